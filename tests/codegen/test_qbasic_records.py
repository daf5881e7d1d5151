"""QBasic's TYPE records, bounded arrays and array parameters, fixed-length strings,
PRINT USING, TAB, DEF FN and the screen statements (codegen/basic_ops.py,
c_basic_ops.py, the qbasic definition's run: annotations): each runs alike in the
interpreter, the C program and the WebAssembly module, with the output written out by
hand from QBasic's rules; random formats and record programs agree in the three."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_basic_run import refused, three

STOCK = """TYPE Item
    title AS STRING * 6
    amount AS INTEGER
    price AS DOUBLE
END TYPE
DIM stock(1 TO 3) AS Item
stock(1).title = "Bolts": stock(1).amount = 120: stock(1).price = 0.05
stock(2).title = "Hexagon nuts": stock(2).amount = 3
Grow stock(), 2
PRINT "["; stock(1).title; "]"; stock(1).amount; stock(2).amount; stock(3).amount
PRINT "["; stock(2).title; "]"; LEN(stock(2).title); LEN(stock(3).title)
PRINT stock(3).price
SUB Grow (items() AS Item, n AS INTEGER)
    FOR i% = 1 TO n
        items(i%).amount = items(i%).amount + 10
    NEXT
END SUB
"""


def test_records_in_a_bounded_array_passed_by_reference() -> None:
    # STRING * 6: padded with spaces or cut; a SUB's array parameter is the caller's array
    assert three(STOCK) == (0, "[Bolts ] 130  13  0 \n[Hexago] 6  6 \n 0.0 \n", "")


def test_stores_through_an_array_parameter_keep_the_fixed_length() -> None:
    # READ into a field reads as the field's type says (a string, though no $ ends it)
    text = ("TYPE R\n    s AS STRING * 3\n    n AS INTEGER\nEND TYPE\nDIM a(1 TO 2) AS R\n"
            "SetIt a()\nPRINT \"[\"; a(1).s; \"][\"; a(2).s; \"]\"; a(1).n\n"
            "SUB SetIt (v() AS R)\n    v(2).s = \"abcdef\"\n    READ v(1).s, v(1).n\nEND SUB\n"
            "DATA xy, 42\n")
    assert three(text) == (0, "[xy ][abc] 42 \n", "")


def test_a_fixed_length_string_starts_as_nul_characters() -> None:
    text = "DIM s AS STRING * 3\nPRINT LEN(s); s = CHR$(0) + CHR$(0) + CHR$(0)\n" \
           "s = \"\"\nPRINT \"[\"; s; \"]\"\n"
    assert three(text) == (0, " 3 true\n[   ]\n", "")


def test_an_array_without_a_low_bound_starts_at_the_index_base() -> None:
    text = "DIM a(3) AS INTEGER\nFOR i = 0 TO 3: a(i) = i * i: NEXT\n" \
           "PRINT a(0); a(3)\nPRINT a(4)\n"
    code, out, err = three(text)
    assert (code, out) == (1, " 0  9 \n")
    assert "prog:4:9: runtime error: index 4 out of range 0..3" in err


@pytest.mark.parametrize(("fmt", "values", "written"), [
    ('"Total: #####.##"', "6.92", "Total:     6.92"),
    ('"##.##"', "3.14159", " 3.14"),
    ('"###"', "-5", " -5"),
    ('"#,###.##"', "1234.5", "1,234.50"),
    ('"$$##.##"', "7.5", "  $7.50"),
    ('"##"', "123", "%123"),
    ('".##"', "0.5", ".50"),
    ('"#.##"', "-0.5", "-.50"),
    ('"##.#"', "0.25", " 0.3"),  # half away from zero
    ('"## "', "1; 2; 3", " 1  2  3 "),  # the format again for each value
    ('"(!) [\\  \\] <&>"', '"hello"; "hello"; "hello"', "(h) [hell] <hello>"),
    ('"a_#b #"', "7", "a#b 7"),
])
def test_print_using_formats_as_qbasic_does(fmt: str, values: str, written: str) -> None:
    assert three(f"PRINT USING {fmt}; {values}\n") == (0, written + "\n", "")


@pytest.mark.parametrize(("fmt", "value", "message"), [
    ('"**#"', "1", "the format's ** (asterisk fill) is not supported"),
    ('"+##"', "1", "the format's + (a sign before a field) is not supported"),
    ('"##-"', "1", "the format's - after a field (a trailing sign) is not supported"),
    ('"#.##^^^^"', "1", "the format's ^^^^ (an exponent) is not supported"),
    ('"no field"', "1", "the format has no field"),
    ('"##"', '"x"', "the field ## needs a number, not a string"),
    ('"&"', "1", "the field & needs a string, not a integer"),
])
def test_print_using_refuses_what_it_does_not_format(fmt: str, value: str,
                                                     message: str) -> None:
    code, out, err = three(f"PRINT USING {fmt}; {value}\n")
    assert code == 1 and out == ""
    assert f"prog:1:13: runtime error: PRINT: {message}" in err


def test_tab_moves_to_a_column_of_the_line() -> None:
    text = 'PRINT "ab"; TAB(5); "c"; TAB(3); "d"\nPRINT TAB(0); "e"; TAB(2); 7\n'
    assert three(text) == (0, "ab  c\n  d\ne 7 \n", "")


def test_a_comma_moves_to_the_next_zone_of_14_columns() -> None:
    # zones start at columns 1, 15, 29; a trailing comma keeps the line open; PRINT
    # USING's commas only separate
    text = ('PRINT 1, 2\nPRINT , "a"; -3,\nPRINT "x"\nPRINT "abcdefghijklmnop", "q"\n'
            'PRINT USING "##"; 1, 2\n')
    assert three(text) == (0, " 1 " + " " * 11 + " 2 \n" + " " * 14 + "a-3 " + " " * 10
                           + "x\nabcdefghijklmnop" + " " * 12 + "q\n 1 2\n", "")


def test_def_fn_returns_its_expression() -> None:
    text = "k = 10\nDEF FNscale (x) = x * k + 1\nPRINT FNscale(2); FNscale(-1)\n"
    assert three(text) == (0, " 21 -9 \n", "")


def test_graphics_and_locate_evaluate_their_arguments_and_write_nothing() -> None:
    text = ("SCREEN 12\nLINE (0, 0)-(10, 10), 7, BF\nLINE -(20, 5), 4\nPSET (1, 2), 3\n"
            "CIRCLE (5, 5), 2, 12\nPAINT (5, 5), 12, 12\nLOCATE 1, 3: PRINT \"here\"\n"
            "SLEEP\nSCREEN 0\nPSET (1 / 0, 2)\n")
    code, out, err = three(text)
    assert (code, out) == (1, "here\n")
    assert "prog:10:9: runtime error: division by zero" in err


@pytest.mark.parametrize(("text", "where", "what"), [
    ("x = SCREEN(1, 1)\n", "1:5", "SCREEN (screen_only) as a value is not supported"),
    ("x = SCREEN\n", "1:5", "SCREEN (screen_only) as a value is not supported"),
    ("x$ = TAB(3)\n", "1:6", "TAB (tab) as a value outside PRINT's items is not supported"),
    ("TYPE T\n    a(3) AS INTEGER\nEND TYPE\n", "2:6", "'bounds' in 'field decl' is not "
     "supported"),
    ("DIM a(n) AS INTEGER\n", "1:7", "array bounds must be constant whole numbers"),
    ("DIM s AS STRING * 0\n", "1:19", "a string's fixed length must be a constant whole "
     "number from 1 to 32767"),
    ("PRINT USING \"##\";\n", "1:1", "PRINT USING without a value to format"),
])
def test_refusals_at_their_place(text: str, where: str, what: str) -> None:
    assert f"prog:{where}: error: {what}" in refused(text)


# ----- random programs: the three targets agree -----

_PIECES = st.sampled_from(["#", "#", "#", ".", ",", "$$", "!", "&", "\\  \\", "x", " ", "-",
                           "+", "*", "_#", "^^^^"])
_NUMBERS = st.one_of(st.integers(-10**12, 10**12).map(str),
                     st.floats(-1e9, 1e9, allow_nan=False).map(repr),
                     st.sampled_from(["0.5", "-0.5", "0.005", "999.995", "1e15"]))
_TEXTS = st.text(alphabet="abc xyz", max_size=6).map(lambda s: f'"{s}"')


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.tuples(st.lists(_PIECES, min_size=1, max_size=8),
                                st.lists(st.one_of(_NUMBERS, _TEXTS), min_size=1,
                                         max_size=3)), min_size=1, max_size=12))
def test_random_print_using_formats_agree(lines: list[tuple[list[str], list[str]]]) -> None:
    program = "".join(f'PRINT USING "{"".join(fmt)}"; {"; ".join(values)}\n'
                      for fmt, values in lines)
    three(program)


@st.composite
def record_programs(draw: st.DrawFn) -> str:
    low = draw(st.integers(-3, 3))
    high = low + draw(st.integers(0, 4))
    width = draw(st.integers(1, 6))
    lines = ["TYPE R", f"    s AS STRING * {width}", "    n AS INTEGER", "    x AS DOUBLE",
             "END TYPE", f"DIM a({low} TO {high}) AS R"]
    for _ in range(draw(st.integers(1, 10))):
        i = draw(st.integers(low - 1, high + 1))  # sometimes out of range
        field = draw(st.sampled_from(["s", "n", "x"]))
        value = {"s": _TEXTS, "n": st.integers(-99, 99).map(str),
                 "x": st.floats(-100, 100, allow_nan=False).map(repr)}[field]
        lines.append(f"a({i}).{field} = {draw(value)}")
        j = draw(st.integers(low, high))
        lines.append(f'PRINT "["; a({j}).s; "]"; a({j}).n; a({j}).x; LEN(a({i}).s)')
    lines.append(f"Bump a()\nSUB Bump (v() AS R)\n    v({low}).n = v({low}).n + 1\n"
                 f"    PRINT v({low}).n\nEND SUB")
    return "\n".join(lines) + "\n"


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(program=record_programs())
def test_random_record_arrays_agree(program: str) -> None:
    three(program)
