' Collatz and factorials: FUNCTIONs, a SUB, FOR ... STEP, WHILE ... WEND, one-line IF
DECLARE FUNCTION Steps% (start AS LONG)
DECLARE FUNCTION Factorial# (n AS INTEGER)
DECLARE SUB Countdown (k AS INTEGER)

CONST TOP = 10
best = 0
bestStart = 0
FOR n = 1 TO TOP
    s = Steps%(n)
    IF s > best THEN best = s: bestStart = n
NEXT n
PRINT "longest run below "; TOP; " starts at "; bestStart; ": "; best; " steps"
PRINT "10! = "; Factorial#(10)
Countdown 5
PRINT 17 \ 5; " "; 17 MOD 5; " "; -17 \ 5; " "; -17 MOD 5
END

FUNCTION Steps% (start AS LONG)
    count = 0
    x = start
    WHILE x <> 1
        IF x MOD 2 = 0 THEN x = x \ 2 ELSE x = 3 * x + 1
        count = count + 1
    WEND
    Steps% = count
END FUNCTION

FUNCTION Factorial# (n AS INTEGER)
    IF n <= 1 THEN Factorial# = 1 ELSE Factorial# = n * Factorial#(n - 1)
END FUNCTION

SUB Countdown (k AS INTEGER)
    FOR i = k TO 1 STEP -1
        PRINT i; " ";
    NEXT i
    PRINT "lift-off"
END SUB
