' Plot: a sine wave and a frame in SCREEN 12 graphics, with a DEF FN and a FUNCTION
DECLARE FUNCTION Scale! (v!, lo!, hi!, size%)
CONST PI = 3.14159
DEF FNwave (x) = SIN(x) * COS(x / 3)

SCREEN 12
CLS
LINE (20, 20)-(620, 460), 7, B
LINE (20, 240)-(620, 240), 8
FOR px% = 20 TO 620
    x! = (px% - 20) / 600 * 4 * PI
    py% = Scale!(FNwave(x!), -1, 1, 440)
    IF px% = 20 THEN PSET (px%, py%), 14 ELSE LINE -(px%, py%), 14
NEXT px%
CIRCLE (320, 240), 5, 12
PAINT (320, 240), 12, 12
LOCATE 1, 3: PRINT "f(x) = SIN(x) * COS(x / 3)"
SLEEP
SCREEN 0

FUNCTION Scale! (v!, lo!, hi!, size%)
    ' larger values are higher on the screen
    Scale! = 20 + size% - (v! - lo!) / (hi! - lo!) * size%
END FUNCTION
