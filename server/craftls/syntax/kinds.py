"""Node kinds of the syntax tree (shared by every language).

Final: compiled with mypyc, a Final str is a literal in every module that uses it
(not a lookup of a module attribute)."""

from typing import Final

SOURCE_FILE: Final = "SOURCE_FILE"
PROGRAM_HEADER: Final = "PROGRAM_HEADER"
PROGRAM_END: Final = "PROGRAM_END"
ERROR: Final = "ERROR"
# declarations
VAR_SECTION: Final = "VAR_SECTION"
CONST_SECTION: Final = "CONST_SECTION"
TYPE_SECTION: Final = "TYPE_SECTION"
VAR_DECL: Final = "VAR_DECL"
CONST_DECL: Final = "CONST_DECL"
TYPE_DECL: Final = "TYPE_DECL"
LET_STMT: Final = "LET_STMT"
FUNCTION_DECL: Final = "FUNCTION_DECL"
CLASS_DECL: Final = "CLASS_DECL"  # class NAME (BASES): members
BASE_LIST: Final = "BASE_LIST"  # a class's bases
PARAM_LIST: Final = "PARAM_LIST"
PARAM_GROUP: Final = "PARAM_GROUP"
RESULT_TYPE: Final = "RESULT_TYPE"
NAME: Final = "NAME"  # a declared name
IMPORT_STMT: Final = "IMPORT_STMT"
# types
TYPE_REF: Final = "TYPE_REF"
ARRAY_TYPE: Final = "ARRAY_TYPE"
RECORD_TYPE: Final = "RECORD_TYPE"
LIST_TYPE: Final = "LIST_TYPE"
FIELD_DECL: Final = "FIELD_DECL"
# statements
BLOCK: Final = "BLOCK"
ASSIGN_STMT: Final = "ASSIGN_STMT"
EXPR_STMT: Final = "EXPR_STMT"
IF_STMT: Final = "IF_STMT"
ELIF_CLAUSE: Final = "ELIF_CLAUSE"
ELSE_CLAUSE: Final = "ELSE_CLAUSE"
WHILE_STMT: Final = "WHILE_STMT"
FOR_STMT: Final = "FOR_STMT"
FOR_IN_STMT: Final = "FOR_IN_STMT"
REPEAT_STMT: Final = "REPEAT_STMT"
CASE_STMT: Final = "CASE_STMT"
CASE_ARM: Final = "CASE_ARM"
RETURN_STMT: Final = "RETURN_STMT"
JUMP_STMT: Final = "JUMP_STMT"  # break, continue, pass
TRY_STMT: Final = "TRY_STMT"  # try ... except ... finally
EXCEPT_CLAUSE: Final = "EXCEPT_CLAUSE"
FINALLY_CLAUSE: Final = "FINALLY_CLAUSE"
COMMAND_STMT: Final = "COMMAND_STMT"  # a keyword used as a command: SAY "hi"
# expressions
NAME_REF: Final = "NAME_REF"
LITERAL: Final = "LITERAL"
BINARY_EXPR: Final = "BINARY_EXPR"
UNARY_EXPR: Final = "UNARY_EXPR"
PAREN_EXPR: Final = "PAREN_EXPR"
CALL_EXPR: Final = "CALL_EXPR"
ARG_LIST: Final = "ARG_LIST"
INDEX_EXPR: Final = "INDEX_EXPR"
MEMBER_EXPR: Final = "MEMBER_EXPR"
LIST_EXPR: Final = "LIST_EXPR"
DICT_EXPR: Final = "DICT_EXPR"
RANGE_EXPR: Final = "RANGE_EXPR"
LAMBDA_EXPR: Final = "LAMBDA_EXPR"  # lambda x, y: expression

STATEMENTS: Final = frozenset({
    VAR_SECTION, CONST_SECTION, TYPE_SECTION, LET_STMT, FUNCTION_DECL, IMPORT_STMT, BLOCK,
    ASSIGN_STMT, EXPR_STMT, IF_STMT, WHILE_STMT, FOR_STMT, FOR_IN_STMT, REPEAT_STMT, CASE_STMT,
    RETURN_STMT, JUMP_STMT, COMMAND_STMT, ERROR, PROGRAM_HEADER, TRY_STMT, CLASS_DECL,
})
EXPRESSIONS: Final = frozenset({
    NAME_REF, LITERAL, BINARY_EXPR, UNARY_EXPR, PAREN_EXPR, CALL_EXPR, INDEX_EXPR, MEMBER_EXPR,
    LIST_EXPR, RANGE_EXPR, DICT_EXPR, LAMBDA_EXPR,
})
