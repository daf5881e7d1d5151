{ Shapes: records, variant records, enumerations, sets, pointers and a linked list,
  CASE ... ELSE, REPEAT, FOR ... DOWNTO, typed constants and width specifiers. }
program Shapes;

{$R+}

const
  MaxShapes = 8;
  Title: string[20] = 'Shape report';
  Sides: array[1..3] of Integer = (3, 4, 5);
  Tab = #9;

type
  TKind = (Circle, Rectangle, Triangle);
  TKinds = set of TKind;
  TPoint = record
    X, Y: Real;
  end;
  TShape = record
    Origin: TPoint;
    case Kind: TKind of
      Circle: (Radius: Real);
      Rectangle: (Width, Height: Real);
      Triangle: (A, B, C: Real);
  end;
  PNode = ^TNode;
  TNode = record
    Shape: TShape;
    Next: PNode;
  end;

var
  Head, Node: PNode;
  Count, I: Integer;
  Seen: TKinds;
  Total: Real;

function Area(const S: TShape): Real;
var
  Half: Real;
begin
  case S.Kind of
    Circle: Area := Pi * Sqr(S.Radius);
    Rectangle: Area := S.Width * S.Height;
  else
    Half := (S.A + S.B + S.C) / 2;
    Area := Sqrt(Half * (Half - S.A) * (Half - S.B) * (Half - S.C));
  end;
end;

procedure Push(var List: PNode; const S: TShape);
var
  Fresh: PNode;
begin
  New(Fresh);
  Fresh^.Shape := S;
  Fresh^.Next := List;
  List := Fresh;
end;

procedure MakeShape(K: TKind; Size: Real);
var
  S: TShape;
begin
  S.Origin.X := 0;
  S.Origin.Y := 0;
  S.Kind := K;
  case K of
    Circle: S.Radius := Size;
    Rectangle:
    begin
      S.Width := Size;
      S.Height := Size * 2
    end;
    Triangle:
    begin
      S.A := Sides[1] * Size;
      S.B := Sides[2] * Size;
      S.C := Sides[3] * Size
    end;
  end;
  Push(Head, S);
  Seen := Seen + [K];
end;

begin
  Head := nil;
  Seen := [];
  for I := MaxShapes downto 1 do
    MakeShape(TKind(I mod 3), I);
  WriteLn(Title, Tab, 'kinds seen: ', Ord(Circle in Seen) + Ord(Triangle in Seen));
  Node := Head;
  Count := 0;
  Total := 0;
  repeat
    Total := Total + Area(Node^.Shape);
    Inc(Count);
    Node := Node^.Next;
  until Node = nil;
  WriteLn('shapes: ', Count:3, ' total area: ', Total:10:2);
  while Head <> nil do
  begin
    Node := Head^.Next;
    Dispose(Head);
    Head := Node;
  end;
end.
