{ MathLib 2.0: integer helpers (adds Power and Gcd) shared by the other example packages.
  Programs use it with:  USES MathLib;  and call MathLib.Square(3). }

FUNCTION Square(x : INTEGER) : INTEGER;
BEGIN
  Square := x * x
END;

FUNCTION Abs(X : INTEGER) : INTEGER;
BEGIN
  IF X < 0 THEN
    Abs := -X
  ELSE
    Abs := X
END;

FUNCTION Max(A : INTEGER; B : INTEGER) : INTEGER;
BEGIN
  IF A > B THEN
    Max := A
  ELSE
    Max := B
END;

FUNCTION Min(A : INTEGER; B : INTEGER) : INTEGER;
BEGIN
  IF A < B THEN
    Min := A
  ELSE
    Min := B
END;

FUNCTION Power(Base : INTEGER; Exponent : INTEGER) : INTEGER;
VAR
  Res : INTEGER;
  Left : INTEGER;
BEGIN
  Res := 1;
  Left := Exponent;
  WHILE Left > 0 DO
  BEGIN
    Res := Res * Base;
    Left := Left - 1
  END;
  Power := Res
END;

FUNCTION Gcd(A : INTEGER; B : INTEGER) : INTEGER;
VAR
  T : INTEGER;
BEGIN
  WHILE B <> 0 DO
  BEGIN
    T := B;
    B := A MOD B;
    A := T
  END;
  Gcd := Abs(A)
END;
