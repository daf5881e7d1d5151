"""The runtime library: the operations a builtin can name with ``implements:``.

A definition gives each builtin its meaning by naming one of these; a builtin
without ``implements`` is not runnable (``craftls run`` and ``craftls build``
refuse a program that calls it, at the call). The interpreter and the back ends in
``codegen`` implement every operation listed here; docs/codegen.md describes them.
It lives in ``language`` so the loader can check the names without importing the
code generators."""

from __future__ import annotations

from typing import Final

# name -> (minimum arguments, maximum arguments or None for any, what it does)
OPERATIONS: Final[dict[str, tuple[int, int | None, str]]] = {
    "print_line": (0, None, "write the values separated by spaces, then a line break"),
    "write": (0, None, "write the values one after another, no line break"),
    "write_line": (0, None, "write the values one after another, then a line break"),
    "print_items": (0, None, "BASIC's PRINT: the values one after another (';' or ',' "
                             "between them); a line break unless the list ends with ';' "
                             "or ','"),
    "print_tabs": (0, None, "Lua's print: the values separated by tabs, then a line break"),
    "read_line": (0, 1, "write the prompt if given, read one line from stdin (without "
                        "its line break); reading past the end is a runtime error"),
    "length": (1, 1, "number of characters of a string or elements of an array or list"),
    "abs": (1, 1, "absolute value (an integer stays an integer)"),
    "sqr": (1, 1, "x * x"),
    "sqrt": (1, 1, "square root, a real; a negative argument is a runtime error"),
    "round": (1, 1, "nearest integer, halves away from zero"),
    "trunc": (1, 1, "the integer part, towards zero"),
    "floor": (1, 1, "the largest integer not above x"),
    "odd": (1, 1, "true when the integer is odd"),
    "chr": (1, 1, "the one-character string with that code point"),
    "ord": (1, 1, "the code point of a one-character string"),
    "str": (1, 1, "the value written as text, as the print operations write it"),
    "str_to": (2, 2, "str_to(x, variable): store x written as text into the variable "
                     "(Pascal's Str); a statement, lowered to an assignment of str(x)"),
    "int": (1, 1, "the integer written in a string (or the integer part of a number)"),
    "float": (1, 1, "the number written in a string, as a real"),
    "range": (1, 3, "the list of integers start (default 0) up to, not including, stop, "
                    "by step (default 1)"),
    "append": (2, 2, "append the item at the end of the list"),
    "copy": (3, 3, "copy(s, start, count): count characters of s from position start "
                   "(in the language's index base)"),
    "mid": (2, 3, "mid(s, start[, count]): count characters of s (all the rest without "
                  "count) from position start, 1 the first whatever the index base "
                  "(BASIC's MID$); a start below 1 or a negative count is a runtime error"),
    "upper": (1, 1, "the string with a-z in upper case (other characters kept)"),
    "lower": (1, 1, "the string with A-Z in lower case (other characters kept)"),
    "min": (2, 2, "the smaller of two numbers"),
    "max": (2, 2, "the larger of two numbers"),
    "inc": (1, 2, "add 1 (or the second argument) to a variable"),
    "dec": (1, 2, "subtract 1 (or the second argument) from a variable"),
    "strip": (1, 1, "the string without spaces, tabs, line breaks, form feeds and vertical "
                    "tabs at either end"),
    "starts_with": (2, 2, "true when the string starts with the prefix"),
    "split": (2, 2, "the list of the parts of the string between occurrences of the "
                    "separator (an empty separator is a runtime error)"),
    "replace": (3, 3, "the string with every occurrence of old replaced by new"),
    "pop": (1, 1, "remove and give back the last element of a list (empty: runtime error)"),
    "contains": (2, 2, "true when the item is in the list (or the text in the string)"),
    "halt": (0, 1, "stop the program with the exit code (default 0)"),
    "left": (2, 2, "left(s, n): the first n characters of s (all of s when it is shorter)"),
    "right": (2, 2, "right(s, n): the last n characters of s (all of s when it is shorter)"),
    "string_of": (2, 2, "string_of(count, text): text repeated count times"),
    "assert": (1, 2, "stop with a runtime error ('assertion failed: message') when the "
                     "condition is false"),
    "sorted": (1, 1, "a new list of the elements in ascending order (all numbers or all "
                     "strings)"),
    # Pascal's ordinals and field widths
    "ordinal": (1, 1, "the ordinal number of an integer (itself), a boolean (0 or 1) or one "
                      "character (its code point)"),
    "pad": (2, 3, "pad(x, width[, decimals]): x as text, right-aligned in width characters; "
                  "with decimals a number is written with that many digits after the point"),
    "pi": (0, 0, "the real number pi"),
    "new": (1, 1, "new(pointer): a new variable of the pointed-to type, its default value; "
                  "a statement, lowered to an assignment"),
    "dispose": (1, 1, "dispose(pointer): free what it points to (nothing is freed: the "
                      "pointer keeps its value); a statement"),
    "read_values": (0, None, "Pascal's Read: read each variable from stdin by its declared "
                             "type (an integer or a real: the next word; a string: the rest "
                             "of the line); a statement, lowered to assignments"),
    "read_values_line": (0, None, "Pascal's ReadLn: read_values, then skip past the next "
                                  "line break"),
    "high": (1, 1, "high(array): its declared upper bound (lowered to that constant)"),
    "low": (1, 1, "low(array): its declared lower bound (lowered to that constant)"),
    "random_between": (2, 2, "a pseudo-random integer from low to high, both included; "
                             "the generator starts from the same seed on every run"),
    # BASIC's RANDOMIZE, RND, TIMER and BEEP
    "randomize": (1, 1, "seed the generator of random_between and random_real with a number "
                        "(the same seed draws the same numbers, in every back end)"),
    "random_real": (0, 0, "a pseudo-random real from 0 up to, not including, 1"),
    "timer": (0, 0, "seconds since midnight, a real (the CRAFTLS_CLOCK environment variable, "
                    "when set, fixes it)"),
    "bell": (0, 0, "ring the terminal's bell: write the character 7 to stdout"),
    "screen_only": (0, None, "a statement whose effect is on a screen alone (BASIC's COLOR, "
                             "CLS): its arguments are evaluated, nothing is written to the "
                             "text stream"),
    "print_using": (1, None, "BASIC's PRINT USING: print_using(format, values...): each value "
                             "in the format's next field (#, ., ',', $$ for numbers; !, "
                             "\\  \\, & for strings), the text around them as written"),
    "tab": (1, 1, "BASIC's TAB(n) in PRINT: spaces up to column n of the output line (a line "
                  "break first when the line is past it)"),
    "zone": (1, 1, "BASIC's ',' in PRINT: spaces up to the start of the next print zone of that "
                   "many columns"),
    "fixed_length": (2, 2, "fixed_length(s, n): s cut, or padded with spaces, to n characters "
                           "(a value stored into QBasic's STRING * n)"),
    "sin": (1, 1, "the sine of a number (radians), a real"),
    "cos": (1, 1, "the cosine of a number (radians), a real"),
    "print_spaced": (1, 1, "the value as BASIC's PRINT writes it: a number with a space after "
                           "it and one before it unless it is negative; anything else as text"),
    # Lua's integer bit operators and its `^` (a definition's run: ops may name these)
    "bit_and": (2, 2, "the bits of two integers anded, as 64-bit integers"),
    "bit_or": (2, 2, "the bits of two integers ored, as 64-bit integers"),
    "bit_xor": (2, 2, "the bits of two integers exclusive-ored, as 64-bit integers"),
    "bit_not": (1, 1, "the bits of an integer inverted, as a 64-bit integer"),
    "shift_left": (2, 2, "shift_left(x, n): the 64 bits of x moved n places left (right for a "
                         "negative n), zeros shifted in; 64 places or more give 0"),
    "shift_right": (2, 2, "shift_right(x, n): the 64 bits of x moved n places right, zeros "
                          "shifted in (a logical shift)"),
    "float_power": (2, 2, "x to the power y, always a real (Lua's ^)"),
    "floor_divide": (2, 2, "a divided by b rounded down: an integer for two integers, else "
                           "the real floor(a / b) (Lua's //)"),
    "floor_modulo": (2, 2, "a - floor(a / b) * b, with the sign of b: an integer for two "
                           "integers, else a real (Lua's %)"),
    "truthy": (1, 1, "false for false and null, true for any other value (Lua's conditions)"),
    "falsy": (1, 1, "true for false and null, false for any other value (Lua's not)"),
    "write_plain": (0, None, "Lua's io.write: the values one after another, a real as the "
                             "definition's real_digits give it but without '.0' after a "
                             "whole number; lowered to write of plain_text"),
    "plain_text": (1, 1, "the value as text, a real without '.0' after a whole number when "
                         "the definition gives real_digits (2.0 is 2)"),
    "join": (1, 2, "join(list[, separator]): its elements (strings or numbers, written as "
                   "text) one after another, the separator between them (Lua's table.concat)"),
    "number_type": (1, 1, "\"integer\" or \"float\" for a number, null for anything else "
                          "(Lua's math.type)"),
    # Lua's tables and strings (codegen/tables.py, patterns.py, text_format.py)
    "table_new": (1, None, "table_new(list, key, value, ...): a table (an array part and a "
                           "hash part) of the list's items, then each key and value"),
    "pairs": (1, 1, "the rows (key, value) of a table for a generic for: the array part in "
                    "order, then the other keys in the order they were first stored"),
    "ipairs": (1, 1, "the rows (index, value) of a table for a generic for: 1, 2 ... up to "
                     "the first null"),
    "gmatch": (2, 2, "the rows (match) of every match of a pattern in a string, for a "
                     "generic for"),
    "gsub": (3, 4, "gsub(s, pattern, replacement[, n]): s with every match (at most n) "
                   "replaced; its second result is the count"),
    "match": (2, 3, "match(s, pattern[, start]): the first match of the pattern, or null"),
    "format": (1, None, "format(template, values...): C's printf directives (Lua's "
                        "string.format)"),
    "rep": (2, 3, "rep(s, n[, separator]): s repeated n times, the separator between"),
    "select": (1, None, "select('#', values...): how many values; select(n, values...): "
                        "the n-th value (from the end when negative)"),
    "setmetatable": (2, 2, "setmetatable(table, metatable): give the table a metatable "
                           "(or none, null) and return the table; craftls runs __index "
                           "(a table) and __len, any other metamethod is a runtime error"),
    "sort": (1, 2, "sort(table[, less]): sort the table's array part in place, by the "
                   "function value less(a, b) or by <, stable"),
}
# the operations a generic for runs over: each gives a list of rows, one a turn, whose
# elements are the loop variables' values
ITERATORS: Final = frozenset({"pairs", "ipairs", "gmatch"})
# the operations with more than one result: as a value, the first; how many in all
# (what select('#', ...) counts when the call is the last argument)
RESULTS: Final[dict[str, int]] = {"gsub": 2}
