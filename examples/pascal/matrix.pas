PROGRAM Matrix;
USES MathLib;
// Two-dimensional arrays, nested loops (TO and DOWNTO), WHILE, BREAK,
// CONTINUE and EXIT, hexadecimal constants, DIV and MOD.

CONST
  N = 4;
  Mask = $0F;

TYPE
  Grid = ARRAY [1..N, 1..N] OF INTEGER;

VAR
  A, B, C : Grid;
  Row, Col, Zeros : INTEGER;
  Found : BOOLEAN;

PROCEDURE Fill(VAR M : Grid; Seed : INTEGER);
VAR
  I, J : INTEGER;
BEGIN
  FOR I := 1 TO N DO
    FOR J := 1 TO N DO
      M[I, J] := (Seed * I + J * J) MOD 7 - 2
END;

PROCEDURE Multiply(X, Y : Grid; VAR Z : Grid);
VAR
  I, J, K, Sum : INTEGER;
BEGIN
  FOR I := 1 TO N DO
    FOR J := 1 TO N DO
    BEGIN
      Sum := 0;
      FOR K := 1 TO N DO
        Sum := Sum + X[I, K] * Y[K, J];
      Z[I, J] := Sum
    END
END;

PROCEDURE Print(M : Grid; Title : STRING);
VAR
  I, J : INTEGER;
BEGIN
  WriteLn(Title);
  FOR I := 1 TO N DO
  BEGIN
    FOR J := 1 TO N DO
      Write(M[I, J], ' ');
    WriteLn
  END
END;

FUNCTION Trace(M : Grid) : INTEGER;
VAR
  I, T : INTEGER;
BEGIN
  T := 0;
  FOR I := N DOWNTO 1 DO
    T := T + M[I, I];
  Trace := T
END;

FUNCTION LargestAbs(M : Grid) : INTEGER;
VAR
  I, J, Best : INTEGER;
BEGIN
  Best := 0;
  FOR I := 1 TO N DO
    FOR J := 1 TO N DO
      Best := MathLib.Max(Best, MathLib.Abs(M[I, J]));
  LargestAbs := Best
END;

PROCEDURE FindNegative(M : Grid; VAR R, Q : INTEGER; VAR Ok : BOOLEAN);
{ The first negative entry, row by row; EXIT as soon as it is found. }
VAR
  I, J : INTEGER;
BEGIN
  Ok := FALSE;
  FOR I := 1 TO N DO
    FOR J := 1 TO N DO
      IF M[I, J] < 0 THEN
      BEGIN
        R := I;
        Q := J;
        Ok := TRUE;
        EXIT
      END
END;

BEGIN
  Fill(A, 3);
  Fill(B, 5);
  Multiply(A, B, C);
  Print(A, 'A =');
  Print(B, 'B =');
  Print(C, 'A * B =');
  WriteLn('trace: ', Trace(C), ', largest: ', LargestAbs(C));
  WriteLn('trace AND $0F: ', Trace(C) AND Mask, ', squared: ', MathLib.Square(Trace(A)));

  FindNegative(C, Row, Col, Found);
  IF Found THEN
    WriteLn('first negative at (', Row, ', ', Col, ')')
  ELSE
    WriteLn('no negative entries');

  (* Count zeros in A, skipping the diagonal, and stop at the first
     row that has none. *)
  Zeros := 0;
  Row := 1;
  WHILE Row <= N DO
  BEGIN
    Found := FALSE;
    FOR Col := 1 TO N DO
    BEGIN
      IF (Row = Col) OR (A[Row, Col] < 0) THEN
        CONTINUE;
      IF A[Row, Col] = 0 THEN
      BEGIN
        Zeros := Zeros + 1;
        Found := TRUE
      END
    END;
    IF NOT Found AND (Row > N DIV 2) THEN
      BREAK;
    Row := Row + 1
  END;
  WriteLn(Zeros, ' zeros off the diagonal')
END.
