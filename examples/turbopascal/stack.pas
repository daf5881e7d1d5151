{ Turbo Pascal objects: an OBJECT type with a constructor, virtual methods, an
  inherited call, Self, and a program that uses it through a pointer. }
program StackDemo;

type
  PStack = ^TStack;
  TStack = object
    Items: array[1..16] of Integer;
    Top: Integer;
    constructor Init;
    destructor Done; virtual;
    procedure Push(Value: Integer); virtual;
    function Pop: Integer;
    function Empty: Boolean;
  end;

  PCountingStack = ^TCountingStack;
  TCountingStack = object(TStack)
    Pushes: LongInt;
    constructor Init;
    procedure Push(Value: Integer); virtual;
  end;

constructor TStack.Init;
begin
  Self.Top := 0;
end;

destructor TStack.Done;
begin
end;

procedure TStack.Push(Value: Integer);
begin
  if Self.Top < High(Self.Items) then
  begin
    Inc(Self.Top);
    Self.Items[Self.Top] := Value;
  end;
end;

function TStack.Pop: Integer;
begin
  Pop := Self.Items[Self.Top];
  Dec(Self.Top);
end;

function TStack.Empty: Boolean;
begin
  Empty := Self.Top = 0;
end;

constructor TCountingStack.Init;
begin
  inherited Init;
  Self.Pushes := 0;
end;

procedure TCountingStack.Push(Value: Integer);
begin
  inherited Push(Value);
  Inc(Self.Pushes);
end;

var
  S: PCountingStack;
  I: Integer;

begin
  New(S);
  S^.Init;
  for I := 1 to 5 do
    S^.Push(I * I);
  Write('popped:');
  while not S^.Empty do
    Write(' ', S^.Pop);
  WriteLn;
  WriteLn('pushes: ', S^.Pushes);
  S^.Done;
  Dispose(S);
end.
