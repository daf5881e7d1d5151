{ StrUtils 1.0: padding and repetition of strings. }

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
