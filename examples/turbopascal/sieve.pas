{ A sieve of Eratosthenes: a Boolean array, a recursive function, a VAR parameter,
  FOR ... DOWNTO, WHILE, REPEAT and DIV/MOD as Turbo Pascal rounds them. }
program Sieve;

const
  Limit = 60;

var
  Composite: array[1..Limit] of Boolean;
  I, J, Count, A, B: Integer;
  Line: string;

function Gcd(A, B: Integer): Integer;
begin
  if B = 0 then
    Gcd := A
  else
    Gcd := Gcd(B, A mod B);
end;

procedure Exchange(var X, Y: Integer);
var
  T: Integer;
begin
  T := X;
  X := Y;
  Y := T;
end;

begin
  for I := 2 to Limit do
    if not Composite[I] then
    begin
      J := I * I;
      while J <= Limit do
      begin
        Composite[J] := True;
        J := J + I;
      end;
    end;
  Count := 0;
  Line := '';
  for I := Limit downto 2 do
    if not Composite[I] then
    begin
      Inc(Count);
      Line := Line + ' ' + IntToStr(I);
    end;
  WriteLn('primes up to ', Limit, ':', Line);
  WriteLn('count: ', Count);
  A := 84;
  B := 36;
  Exchange(A, B);
  WriteLn('exchanged: ', A, ' ', B, ', gcd: ', Gcd(A, B));
  I := 1;
  repeat
    I := I * 3;
  until I > 1000;
  WriteLn('first power of 3 above 1000: ', I);
  WriteLn('7 div 2 = ', 7 div 2, ', -7 mod 2 = ', -7 mod 2, ', 7 / 2 = ', 7 / 2);
end.
