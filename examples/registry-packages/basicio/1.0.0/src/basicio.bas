REM BasicIO: prompted input and boxed output.
REM Use it with IMPORT BasicIO, then AskNumber("Age: ") or Boxed "Hello".

FUNCTION AskNumber(prompt AS STRING) AS DOUBLE
    DIM answer AS STRING = INPUT(prompt)
    RETURN VAL(answer)
END FUNCTION

SUB Boxed(text AS STRING)
    PRINT "+"; STRING$(LEN(text) + 2, "-"); "+"
    PRINT "| "; text; " |"
    PRINT "+"; STRING$(LEN(text) + 2, "-"); "+"
END SUB
