PROGRAM Primes;
{ Prints the prime numbers below a limit, using a sieve. }

CONST
  Limit = 100;

TYPE
  Sieve = ARRAY [1..Limit] OF BOOLEAN;
  Point = RECORD
    X, Y : REAL;
  END;

VAR
  Flags : Sieve;
  I, J, Count : INTEGER;
  Name : STRING;

(* True when n is prime, by trial division. *)
FUNCTION IsPrime(N : INTEGER) : BOOLEAN;
VAR
  D : INTEGER;
BEGIN
  IsPrime := N > 1;
  D := 2;
  WHILE D * D <= N DO
  BEGIN
    IF N MOD D = 0 THEN
      IsPrime := FALSE;
    D := D + 1
  END
END;

PROCEDURE Report(Total : INTEGER; Label : STRING);
BEGIN
  WriteLn(Label, ': ', Total)
END;

FUNCTION Gcd(A, B : INTEGER) : INTEGER;
BEGIN
  IF B = 0 THEN
    Gcd := A
  ELSE
    Gcd := Gcd(B, A MOD B)
END;

BEGIN
  Name := 'Sieve';
  FOR I := 1 TO Limit DO
    Flags[I] := TRUE;
  Flags[1] := FALSE;
  FOR I := 2 TO Limit DIV 2 DO
    IF Flags[I] THEN
    BEGIN
      J := I * 2;
      WHILE J <= Limit DO
      BEGIN
        Flags[J] := FALSE;
        J := J + I
      END
    END;
  Count := 0;
  FOR I := Limit DOWNTO 1 DO
    IF Flags[I] AND IsPrime(I) THEN
      Inc(Count);
  REPEAT
    Count := Count - 1
  UNTIL Count < 10;
  CASE Count OF
    1, 2: WriteLn('few');
    3..9: WriteLn('some')
  ELSE
    WriteLn('many')
  END;
  Report(Count, Name);
  WriteLn(Gcd(12, 18))
END.
