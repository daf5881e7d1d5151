{ A unit: INTERFACE with routine headings, IMPLEMENTATION with their bodies, a FORWARD
  declaration, nested routines, VAR and CONST parameters, LABEL and GOTO, and an
  initialization part (BEGIN ... END. in Turbo Pascal). }
unit Counters;

interface

type
  TCounter = record
    Name: string[16];
    Value: LongInt;
  end;

procedure Reset(var C: TCounter; const Name: string);
procedure Bump(var C: TCounter; By: LongInt);
function Describe(const C: TCounter): string;

implementation

var
  Created: Integer;

function Digits(N: LongInt): Integer; forward;

procedure Reset(var C: TCounter; const Name: string);
begin
  C.Name := Name;
  C.Value := 0;
  Inc(Created);
end;

procedure Bump(var C: TCounter; By: LongInt);
label
  Done;
begin
  if By = 0 then
    goto Done;
  C.Value := C.Value + By;
  Done:
  ;
end;

function Digits(N: LongInt): Integer;
var
  Count: Integer;

  procedure Step;
  begin
    N := N div 10;
    Inc(Count);
  end;

begin
  Count := 1;
  while Abs(N) >= 10 do
    Step;
  Digits := Count;
end;

function Describe(const C: TCounter): string;
var
  Text: string;
begin
  Str(C.Value, Text);
  Describe := C.Name + '=' + Text + ' (' + Chr(Ord('0') + Digits(C.Value)) + ' digits)'#13#10;
end;

begin
  Created := 0;
end.
