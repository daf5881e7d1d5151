"""QBasic's DO loops, SELECT CASE, GOSUB subroutines, INPUT, RANDOMIZE/RND, TIMER, BEEP,
MID$, COLOR and CLS (codegen/lower_basic.py, c_chance.py): each runs alike in the interpreter, the C
program and the WebAssembly module; what they cannot run is refused at its place."""

from __future__ import annotations

import io

import pytest

from craftls.codegen.builtins import Random
from craftls.codegen.c_emit import generate_c
from craftls.codegen.native import run_c
from craftls.codegen.program import build_program
from craftls.codegen.runner import interpret
from craftls.language.catalog import bundled


def three(text: str, stdin: str = "") -> tuple[int, str, str]:
    """The interpreter's run, after checking that C and WebAssembly give the same."""
    definition = bundled("qbasic")
    runs = []
    for target in ("interp", "wasm"):
        out, err = io.StringIO(), io.StringIO()
        code = interpret(definition, text, "prog", out, err, io.StringIO(stdin), target=target)
        runs.append((code, out.getvalue(), err.getvalue()))
    native = run_c(generate_c(build_program(definition, text, "prog")).text, stdin, timeout=60)
    runs.append((native.returncode, native.stdout, native.stderr))
    assert runs[1] == runs[0] and runs[2] == runs[0]
    return runs[0]


def refused(text: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    assert interpret(bundled("qbasic"), text, "prog", out, err, io.StringIO()) == 1
    return err.getvalue()


def test_do_loops_test_their_condition_before_or_after_the_body() -> None:
    text = ("i = 0\nDO WHILE i < 3\n    i = i + 1\nLOOP\nPRINT i\n"
            "DO UNTIL i = 0\n    i = i - 1\nLOOP\nPRINT i\n"
            "DO\n    i = i + 5\nLOOP WHILE i < 3\nPRINT i\n"  # runs once though i >= 3 after
            "DO\n    i = i - 1\nLOOP UNTIL i <= 2\nPRINT i\n"
            "DO WHILE i > 100\n    PRINT \"never\"\nLOOP\nPRINT \"done\"\n")
    assert three(text) == (0, " 3 \n 0 \n 5 \n 2 \ndone\n", "")


def test_exit_leaves_the_innermost_loop_it_names() -> None:
    text = ("i = 0\nDO\n    i = i + 1\n    IF i = 3 THEN EXIT DO\nLOOP\nPRINT i\n"
            "FOR k = 1 TO 10\n    SELECT CASE k\n        CASE 4: EXIT FOR\n    END SELECT\n"
            "NEXT k\nPRINT k\nWHILE 1 < 2\n    EXIT WHILE\nWEND\nPRINT \"out\"\n")
    assert three(text) == (0, " 3 \n 4 \nout\n", "")


def test_select_case_takes_the_first_matching_case() -> None:
    text = ("FOR k = 1 TO 7\n"
            "    SELECT CASE k\n"
            "        CASE 1, 3: PRINT \"one or three\"\n"
            "        CASE 2 TO 4\n            PRINT \"two to four\"\n"
            "        CASE IS >= 7: PRINT \"seven up\"\n"
            "        CASE IS <> 6: PRINT \"not six\"\n"
            "        CASE ELSE: PRINT \"else\"\n"
            "    END SELECT\nNEXT k\n"
            "SELECT CASE \"banana\"\n    CASE \"apple\" TO \"orange\": PRINT \"fruit\"\n"
            "END SELECT\nSELECT CASE 9\n    CASE 1: PRINT \"no\"\nEND SELECT\n")
    assert three(text) == (0, "one or three\ntwo to four\none or three\ntwo to four\n"
                              "not six\nelse\nseven up\nfruit\n", "")


def test_select_case_evaluates_its_subject_once() -> None:
    text = ("SELECT CASE Tick%\n    CASE 5: PRINT \"five\"\n    CASE 6: PRINT \"six\"\n"
            "    CASE ELSE: PRINT \"other\"\nEND SELECT\nEND\n"
            "FUNCTION Tick%\n    PRINT \"tick\"\n    Tick% = 6\nEND FUNCTION\n")
    assert three(text) == (0, "tick\nsix\n", "")


def test_gosub_runs_its_subroutine_and_comes_back() -> None:
    text = ("x = 1\nGOSUB Twice\nGOSUB Twice\nPRINT x\nGOSUB Check\nx = 0\nGOSUB Check\n"
            "PRINT \"end\"\nEND\n"
            "DATA 1, 2\nTwice:\nx = x * 2\nRETURN\n"
            "Check:\nIF x = 0 THEN RETURN\nPRINT \"x is\"; x\nRETURN\n")
    assert three(text) == (0, " 4 \nx is 4 \nend\n", "")


def test_a_runtime_error_in_a_subroutine_names_it_in_the_traceback() -> None:
    text = "GOSUB Boom\nEND\nBoom:\nPRINT 1 \\ 0\nRETURN\n"
    code, _, err = three(text)
    assert code == 1
    assert err == ("prog:4:9: runtime error: division by zero\n"
                   "traceback (most recent call last):\n"
                   "  prog:1:1: in the main program\n"
                   "  prog:4:9: in Boom\n")


@pytest.mark.parametrize(("text", "where", "what"), [
    ("x = 1\nSub1:\nPRINT x\nRETURN\nGOSUB Sub1\n", "2:1",
     "the program runs into the GOSUB subroutine 'Sub1'"),
    ("GOSUB Sub1\nEND\nSub1:\nPRINT 1\n", "3:1",
     "this GOSUB subroutine has no RETURN at the top level"),
    ("GOSUB Nowhere\n", "1:7", "no GOSUB subroutine 'Nowhere'"),
    ("SUB S\n    GOSUB L\nEND SUB\nEND\nL:\nRETURN\n", "2:5",
     "GOSUB inside a SUB or FUNCTION is not supported"),
    ("INPUT a, b\n", "1:1", "INPUT into several variables is not supported"),
    ("INPUT #1, a\n", "1:7", "'file number' in 'input statement' is not supported"),
    ("RANDOMIZE\n", "1:1", "RANDOMIZE takes 1 argument(s), 0 given"),
    ("FOR k = 1 TO 2\n    DO\n        EXIT FOR\n    LOOP\nNEXT k\n", "3:9",
     "'exit statement' outside a loop that starts with 'FOR', or in another loop inside it"),
    ("EXIT DO\n", "1:1", "'exit statement' outside a loop that starts with 'DO'"),
    ("RESTORE Nowhere\n", "1:9", "no label 'Nowhere' for RESTORE"),
    ("SUB S\n    DIM SHARED x\nEND SUB\n", "2:5",
     "a shared declaration inside a routine is not supported"),
    ("LINE INPUT a$\n", "1:1", "'line input' (its rule has no run: annotation) is not "
     "supported"),
    ("SELECT CASE 1\n    CASE ELSE: PRINT 1\n    CASE 2: PRINT 2\nEND SELECT\n", "3:5",
     "a case after the case taken when no other is"),
])
def test_refusals_at_their_place(text: str, where: str, what: str) -> None:
    assert f"prog:{where}: error: {what}" in refused(text)


def test_input_reads_text_whole_numbers_and_reals() -> None:
    text = ("INPUT \"Name\"; n$\nINPUT \"Age: \", age\nINPUT h#\nPRINT n$; \"/\"; age + 1; "
            "\"/\"; h# * 2\n")
    assert three(text, " Ada \n36\n1.5\n") == (
        0, "Name? Age: ?  Ada / 37 / 3.0 \n", "")  # the line as it is, spaces kept


def test_input_fails_clearly_without_a_line_or_a_number() -> None:
    code, out, err = three("INPUT \"n\"; n\n", "")
    assert (code, out) == (1, "n? ")
    assert err.startswith("prog:1:1: runtime error: INPUT: no more input (stdin has ended)")
    code, _, err = three("INPUT n\n", "twelve\n")
    assert code == 1 and err.startswith("prog:1:7: runtime error: INPUT: not a whole number: "
                                        "twelve")


def test_print_writes_numbers_with_spaces_around_them_as_qbasic_does() -> None:
    text = ("PRINT 1; -2; 2.5; -0.5; \"x\"; 3 > 2\nPRINT \"[\"; 7; \"]\"\nPRINT 0\n"
            "s$ = \"12\"\nPRINT s$\n")
    assert three(text) == (0, " 1 -2  2.5 -0.5 xtrue\n[ 7 ]\n 0 \n12\n", "")


def test_left_and_right_take_the_ends_of_a_string() -> None:
    text = 'w$ = "QBasic"\nPRINT LEFT$(w$, 2); "|"; RIGHT$(w$, 5); "|"; LEFT$(w$, 0); RIGHT$(w$, 9)\n'
    assert three(text) == (0, "QB|Basic|QBasic\n", "")


def test_mid_counts_from_one_whatever_the_index_base() -> None:
    # QBasic's index base is 0 (OPTION BASE), but its strings count from 1
    text = ('w$ = "QBasic"\nPRINT MID$(w$, 1, 2); "|"; MID$(w$, 2); "|"; MID$(w$, 6, 9); '
            '"|"; MID$(w$, 7); "|"; MID$(w$, 3, 0); "|"; MID$(w$, 99, 1); "|"\n'
            'FOR i = LEN(w$) TO 1 STEP -1\n    PRINT MID$(w$, i, 1);\nNEXT i\nPRINT\n')
    assert three(text) == (0, "QB|Basic|c||||\ncisaBQ\n", "")


@pytest.mark.parametrize(("call", "column", "message"), [
    ('MID$("abc", 0)', 7, "MID$: the start must be 1 or more, not 0"),
    ('MID$("abc", 1, -1)', 7, "MID$: the length must be 0 or more, not -1"),
    ('MID$("abc", "1")', 7, "MID$ needs an integer, not a string"),
    ("MID$(12, 1)", 7, "MID$ needs a string, not a integer"),
])
def test_mid_of_a_bad_start_or_length_is_a_runtime_error(call: str, column: int,
                                                          message: str) -> None:
    code, _, err = three(f"PRINT {call}\n")
    assert code == 1
    assert err.startswith(f"prog:1:{column}: runtime error: {message}\n")


def test_mid_with_a_wrong_number_of_arguments_is_refused() -> None:
    assert "prog:1:7: error: MID$ takes 2 to 3 argument(s), 1 given" in refused(
        'PRINT MID$("abc")\n')


def test_color_and_cls_write_nothing_to_the_text_stream() -> None:
    # a text stream has no colours and no screen to clear (QBasic writes nothing of them
    # to a file); their arguments are still evaluated
    text = 'CLS\nCOLOR 12\nPRINT "a"\nCOLOR 7, 1\nPRINT "b"\nCOLOR\nCLS 2\nCOLOR 1 \\ 0\n'
    code, out, err = three(text)
    assert (code, out) == (1, "a\nb\n")
    assert err.startswith("prog:8:9: runtime error: division by zero\n")


def test_read_takes_the_data_items_in_order_and_restore_goes_back() -> None:
    text = ("RESTORE Second\nREAD a$, n, r#\nPRINT a$; n; r#\nRESTORE\nREAD a$\nPRINT a$\n"
            "DO\n    READ w$\n    IF w$ = \"*\" THEN EXIT DO\n    PRINT \"[\"; w$; \"]\";\nLOOP\n"
            "PRINT\nREAD q\nEND\nFirst:\nDATA \"one, two\", 2\nSecond:\n"
            "DATA Hello World, 42, 2.5\nDATA x, , *\n")
    code, out, err = three(text)
    assert (code, out) == (1, "Hello World 42  2.5 \none, two\n[2][Hello World][42][2.5][x][]\n")
    # reading past the last item fails at the READ
    assert err.startswith("prog:13:1: runtime error: index 8 out of range 0..7\n")


def test_read_converts_as_input_does() -> None:
    code, _, err = three("READ n\nDATA 2.5\n")
    assert code == 1 and err.startswith("prog:1:6: runtime error: READ: not a whole number: 2.5")


def test_dim_shared_variables_are_seen_by_every_sub() -> None:
    text = ("DIM SHARED total AS INTEGER, names$\nDIM other\ntotal = 1\nother = 5\n"
            "names$ = \"\"\nAdd 4\nAdd 5\nPRINT total; names$; other\nEND\n"
            "SUB Add (k)\n    total = total + k\n    names$ = names$ + \"x\"\n"
            "    other = 9\nEND SUB\n")
    assert three(text) == (0, " 10 xx 5 \n", "")  # other is the SUB's own


def test_rnd_is_reproducible_from_its_seed_in_every_back_end() -> None:
    text = ("RANDOMIZE 7\nPRINT RND; \" \"; RND\nRANDOMIZE 7.0\nPRINT RND\n"
            "RANDOMIZE 8\nPRINT INT(RND * 1000)\n")
    code, out, _ = three(text)
    first, second, again, other = out.split()
    expected = Random()
    expected.seed("RANDOMIZE", 0, 7)
    assert code == 0 and (float(first), float(second)) == (expected.real(), expected.real())
    assert again == first and 0.0 <= float(first) < 1.0 and float(first) != float(second)
    assert other.isdigit() and other != str(int(float(first) * 1000))


def test_timer_reads_the_fixed_clock_and_beep_writes_the_bell() -> None:
    # conftest.py fixes CRAFTLS_CLOCK for every codegen test
    assert three("PRINT TIMER\nBEEP\n") == (0, " 43200.0 \n\a", "")


def test_timer_of_a_bad_fixed_clock_is_a_runtime_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAFTLS_CLOCK", "noon")
    code, _, err = three("PRINT TIMER\n")
    assert code == 1 and err.startswith("prog:1:7: runtime error: TIMER: not a number: noon")
