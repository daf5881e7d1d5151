{ MathLib 1.0: integer helpers shared by the other example packages.
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
