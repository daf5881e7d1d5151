' Inventory: a small QBasic program that keeps stock records in a TYPE array,
' reads the opening stock from DATA, and reports with PRINT USING.
DECLARE SUB ShowStock (items() AS StockItem, count AS INTEGER)
DECLARE FUNCTION StockValue# (items() AS StockItem, count AS INTEGER)

TYPE StockItem
    title AS STRING * 16
    amount AS INTEGER
    price AS DOUBLE
END TYPE

CONST MAXITEMS = 20, REORDER = 5
DIM SHARED warnings AS INTEGER
DIM stock(1 TO MAXITEMS) AS StockItem
DIM count AS INTEGER

count = 0
RESTORE Opening
DO
    READ title$, amount%, price#
    IF title$ = "*" THEN EXIT DO
    count = count + 1
    stock(count).title = title$
    stock(count).amount = amount%
    stock(count).price = price#
LOOP UNTIL count = MAXITEMS

CLS
ShowStock stock(), count
PRINT USING "Total value: #####.##"; StockValue#(stock(), count)
IF warnings > 0 THEN PRINT warnings; "item(s) to reorder" ELSE PRINT "Stock is fine"
END

Opening:
DATA Bolts, 120, 0.05
DATA Nuts, 3, 0.04
DATA Washers, 40, 0.02
DATA *, 0, 0

SUB ShowStock (items() AS StockItem, count AS INTEGER)
    FOR i% = 1 TO count
        SELECT CASE items(i%).amount
            CASE IS < REORDER
                COLOR 12
                warnings = warnings + 1
            CASE 5 TO 50
                COLOR 14
            CASE ELSE
                COLOR 7
        END SELECT
        PRINT items(i%).title; TAB(20); items(i%).amount
    NEXT i%
    COLOR 7
END SUB

FUNCTION StockValue# (items() AS StockItem, count AS INTEGER)
    total# = 0
    FOR i% = 1 TO count
        total# = total# + items(i%).amount * items(i%).price
    NEXT
    StockValue# = total#
END FUNCTION
