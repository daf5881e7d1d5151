' Guess the number: DO ... LOOP UNTIL, SELECT CASE with ranges, GOSUB and labels
DEFINT A-Z
RANDOMIZE TIMER
secret = INT(RND * 100) + 1
tries = 0

DO
    INPUT "Your guess (1-100)"; guess
    tries = tries + 1
    SELECT CASE guess - secret
        CASE IS < -10: PRINT "Far too low"
        CASE -10 TO -1: PRINT "A little low"
        CASE 1 TO 10: PRINT "A little high"
        CASE IS > 10: PRINT "Far too high"
        CASE ELSE
            GOSUB Cheer
    END SELECT
LOOP UNTIL guess = secret OR tries >= 7

IF guess <> secret THEN PRINT "It was"; secret
END

Cheer:
PRINT "Right in"; tries; "tries!"
FOR i = 1 TO 3: BEEP: NEXT i
RETURN
