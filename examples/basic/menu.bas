IMPORT BasicIO ' menu.bas: a small interactive temperature converter
REM Uses AskNumber and Boxed from the basicio package.
REM Shows a WHILE menu loop, LET, string functions and nested IFs.

CONST FREEZING = 32

' Keywords are case-insensitive: this one is written in lower case.
function ToCelsius(f as double) as double
    return (f - FREEZING) * 5 / 9
end function

FUNCTION ToFahrenheit(c AS DOUBLE) AS DOUBLE
    RETURN c * 9 / 5 + FREEZING
END FUNCTION

FUNCTION Describe$(celsius AS DOUBLE) AS STRING
    IF celsius < 0 THEN
        RETURN "freezing"
    ELSEIF celsius < 15 THEN
        RETURN "cold"
    ELSEIF celsius < 25 THEN
        RETURN "mild"
    ELSE
        IF celsius >= 40 THEN
            RETURN "dangerously hot"
        ELSE
            RETURN "hot"
        ENDIF
    END IF
END FUNCTION

SUB ShowMenu
    Boxed "Temperature converter"
    PRINT "  C) Celsius to Fahrenheit"
    PRINT "  F) Fahrenheit to Celsius"
    PRINT "  Q) Quit"
    PRINT "Type ""Q"" to leave the program."
END SUB

LET running = TRUE
LET conversions = 0
WHILE running
    ShowMenu
    DIM choice$ AS STRING = UCASE$(LEFT$(INPUT("Your choice: "), 1))
    IF choice$ <> "C" AND choice$ <> "F" THEN
        IF choice$ <> "Q" THEN
            PRINT "Please type C, F or Q."
        ELSE
            running = FALSE
        END IF
    ELSE
        DIM value AS DOUBLE = AskNumber("Temperature: ")
        DIM celsius AS DOUBLE = value
        IF choice$ <> "F" THEN
            PRINT value; " C = "; ToFahrenheit(value); " F"
        ELSE
            celsius = ToCelsius(value)
            PRINT value; " F = "; celsius; " C"
        END IF
        PRINT "That is "; Describe$(celsius); "."
        conversions = conversions + 1
    END IF
WEND

PRINT "Bye! You made "; conversions; " conversion";
IF conversions <> 1 THEN PRINT "s." ELSE PRINT "."
