DIM limit AS INTEGER ' primes.bas: prime numbers, perfect numbers and powers
REM WHILE..WEND, FOR..TO..STEP..NEXT, single-line IF with ELSE,
REM MOD, \ and ^, AND / OR / NOT, and a SUB without parameters.

FUNCTION IsPrime(n AS INTEGER) AS BOOLEAN
    IF n < 2 THEN RETURN FALSE
    IF n < 4 THEN RETURN TRUE
    IF n MOD 2 < 1 THEN RETURN FALSE
    DIM d AS INTEGER = 3
    WHILE d * d <= n
        IF n MOD d < 1 THEN RETURN FALSE
        d = d + 2
    WEND
    RETURN TRUE
END FUNCTION

FUNCTION SumOfDivisors(n AS INTEGER) AS INTEGER
    DIM total AS INTEGER = 1
    DIM d AS INTEGER
    FOR d = 2 TO n \ 2
        IF n MOD d < 1 THEN total = total + d
    NEXT d
    RETURN total
END FUNCTION

FUNCTION Digits(n AS LONG) AS INTEGER
    ' Number of decimal digits of a positive number.
    DIM count AS INTEGER = 1
    WHILE n >= 10
        n = n \ 10
        count = count + 1
    WEND
    RETURN count
END FUNCTION

SUB Banner
    PRINT "==========================="
    PRINT " Fun with numbers"
    PRINT "==========================="
END SUB

Banner
limit = 60

PRINT "Primes below "; limit; ":"
DIM found AS INTEGER = 0
DIM n AS INTEGER
FOR n = 2 TO limit
    IF IsPrime(n) THEN
        PRINT n;
        found = found + 1
    END IF
NEXT n
PRINT
PRINT found; " primes."

' Twin primes: p and p + 2 both prime, counting down in steps of 2.
FOR n = limit - 1 TO 3 STEP -2
    IF IsPrime(n) AND IsPrime(n - 2) THEN PRINT "Twins: "; n - 2; " & "; n
NEXT

REM A perfect number is the sum of its proper divisors.
FOR n = 2 TO 500
    DIM s AS INTEGER = SumOfDivisors(n)
    IF NOT (s <> n) THEN
        PRINT n; " is perfect"
    ELSEIF s > n AND n MOD 2 <> 0 THEN
        PRINT n; " is an odd abundant number"
    END IF
NEXT n

' Powers of two until they get too long to read.
DIM p AS INTEGER = 0
WHILE Digits(2 ^ p) < 7 OR p < 10
    IF p MOD 4 <> 3 THEN PRINT 2 ^ p; ", "; ELSE PRINT 2 ^ p
    p = p + 1
WEND
PRINT
