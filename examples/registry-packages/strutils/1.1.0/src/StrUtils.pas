{ StrUtils 1.1: adds PadRight and Center; needs MathLib 2. }

USES MathLib;

FUNCTION RepeatStr(S : STRING; Times : INTEGER) : STRING;
VAR
  Res : STRING;
  Left : INTEGER;
BEGIN
  Res := '';
  Left := Times;
  WHILE Left > 0 DO
  BEGIN
    Res := Res + S;
    Left := Left - 1
  END;
  RepeatStr := Res
END;

FUNCTION PadLeft(S : STRING; Width : INTEGER) : STRING;
BEGIN
  PadLeft := RepeatStr(' ', MathLib.Max(0, Width - Length(S))) + S
END;

FUNCTION PadRight(S : STRING; Width : INTEGER) : STRING;
BEGIN
  PadRight := S + RepeatStr(' ', MathLib.Max(0, Width - Length(S)))
END;

FUNCTION Center(S : STRING; Width : INTEGER) : STRING;
VAR
  Spare : INTEGER;
BEGIN
  Spare := MathLib.Max(0, Width - Length(S));
  Center := RepeatStr(' ', Spare DIV 2) + S + RepeatStr(' ', Spare - Spare DIV 2)
END;
