{ Geometry: areas and perimeters, with a padded text report. }

USES MathLib, StrUtils;

FUNCTION SquareArea(Side : INTEGER) : INTEGER;
BEGIN
  SquareArea := MathLib.Square(Side)
END;

FUNCTION RectArea(Width : INTEGER; Height : INTEGER) : INTEGER;
BEGIN
  RectArea := Width * Height
END;

FUNCTION Perimeter(Width : INTEGER; Height : INTEGER) : INTEGER;
BEGIN
  Perimeter := 2 * (Width + Height)
END;

FUNCTION Report(Width : INTEGER; Height : INTEGER) : STRING;
BEGIN
  Report := StrUtils.PadRight('area', 10) + StrUtils.PadLeft(IntToStr(RectArea(Width, Height)), 8)
END;
