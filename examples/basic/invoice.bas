CONST TAXRATE = 0.2 ' invoice.bas: print an invoice with subtotals and tax
REM Shows FUNCTION and SUB with typed parameters, DIM with types and
REM initial values, FOR..NEXT, block IF with ELSEIF and ELSE, and PRINT
REM with ';' separators.

FUNCTION LineTotal(qty AS INTEGER, price AS DOUBLE) AS DOUBLE
    RETURN qty * price
END FUNCTION

FUNCTION Discount(subtotal AS DOUBLE) AS DOUBLE
    ' Bigger orders get a bigger discount.
    IF subtotal >= 500 THEN
        RETURN subtotal * 0.1
    ELSEIF subtotal >= 100 THEN
        RETURN subtotal * 0.05
    ELSE
        RETURN 0
    END IF
END FUNCTION

FUNCTION Money$(amount AS DOUBLE) AS STRING
    ' Round to cents and always show two decimals.
    DIM cents AS LONG = INT(amount * 100 + 0.5)
    DIM frac$ AS STRING = STR$(cents MOD 100)
    IF LEN(frac$) < 2 THEN frac$ = "0" & frac$
    RETURN STR$(cents \ 100) & "." & frac$
END FUNCTION

SUB PrintRule(size AS INTEGER)
    PRINT STRING$(size, "-")
END SUB

SUB PrintLine(label$ AS STRING, amount AS DOUBLE)
    PRINT LEFT$(label$ & STRING$(30, " "), 30); Money$(amount)
END SUB

DIM items AS LIST = ["Pencils", "Notebook", "Backpack", "Ruler"]
DIM quantities AS LIST = [12, 3, 1, 2]
DIM prices AS LIST = [0.75, 4.5, 39.99, 1.25]
DIM subtotal AS DOUBLE = 0
DIM i AS INTEGER

PRINT "INVOICE"
PrintRule 40
FOR i = 0 TO LEN(items) - 1
    DIM amount AS DOUBLE = LineTotal(quantities[i], prices[i])
    PRINT quantities[i]; " x "; items[i]; " @ "; Money$(prices[i]); " = "; Money$(amount)
    subtotal = subtotal + amount
NEXT i
PrintRule 40

DIM off AS DOUBLE = Discount(subtotal)
PrintLine "Subtotal", subtotal
IF off > 0 THEN
    PrintLine "Discount", -off
    subtotal = subtotal - off
END IF
DIM tax AS DOUBLE = subtotal * TAXRATE
PrintLine "Tax (20%)", tax
PrintRule 40
PrintLine "TOTAL", subtotal + tax
