"""In process: the core work behind the editing figures of `bench_lsp` (formatting a
1,000-line file, completion in a 10,000-line file, the analysis a keystroke's
diagnostics wait for), on the same generated texts and at the same positions, without
the protocol. The garbage collector is set up as `craftls serve` sets it (the analysed
document frozen, a young-generation threshold of 20,000), so a figure is the work the
server does and not a collection of objects it would have frozen."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

from craftls.features.analysis import analyze_with_types
from craftls.features.completion import complete
from craftls.features.formatting import FormatOptions, format_edits
from craftls.language.catalog import bundled
from craftls.ops.idle_gc import YOUNG_THRESHOLD
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

from .common import (
    TYPED_AT,
    basic_script,
    basic_while_script,
    lua_long_function,
    pascal_main_block,
    pascal_nested_main_block,
    pascal_program,
    teachlang_script,
)


def _like_the_server() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)


def formatting() -> dict[str, Any]:
    """`bench_lsp`'s file: every assignment's spacing and indentation are off, so a
    quarter of the lines change (249 edits). Two spaces per level, as the client asks."""
    definition = bundled("pascal")
    parsed = parse(definition, pascal_program(1_000).replace("  T :=", "T:="))
    options = FormatOptions(indent_width=2, insert_spaces=True)
    assert len(format_edits(parsed, options)) == 249
    formatted = parse(definition, _applied(parsed.text, format_edits(parsed, options)))
    assert format_edits(formatted, options) == []
    _like_the_server()
    return {"format_1000_lines": _timed(lambda: format_edits(parsed, options), 60),
            "format_1000_lines_formatted": _timed(lambda: format_edits(formatted, options), 60)}


def on_type_formatting() -> dict[str, Any]:
    """A newline typed after a statement in the middle of the 10,000-line file: on-type
    formatting of the line before and the new line (as `lsp/server.py` asks for it)."""
    definition = bundled("pascal")
    text = pascal_program(10_000)
    end_of_statement = text.index("\n", text.index("T := A *", len(text) // 2))
    typed = text[:end_of_statement] + "\n  " + text[end_of_statement:]
    parsed = parse(definition, typed)
    line = typed.count("\n", 0, end_of_statement) + 1
    options = FormatOptions(indent_width=2, insert_spaces=True)
    assert format_edits(parsed, options, (line - 1, line))  # the new line's indentation
    _like_the_server()
    return {"on_type_10000_lines": _timed(lambda: format_edits(parsed, options,
                                                               (line - 1, line)), 60)}


def _applied(text: str, edits: list[Any]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[:edit.start] + edit.text + text[edit.end:]
    return text


def completion() -> dict[str, Any]:
    """At `bench_lsp`'s position (an empty prefix in the middle of the file: all 890 names
    match and the first 100 are offered), on one snapshot, and as the first request on
    each new snapshot while typing (the edit and its analysis are not timed)."""
    definition = bundled("pascal")
    text = pascal_program(10_000)
    offset = text.index("T := A *", len(text) // 2) + len("T := ")
    analysis = analyze_with_types(parse(definition, text))
    candidates, incomplete = complete(analysis, offset)
    assert len(candidates) == 100 and incomplete
    _like_the_server()
    results = {"completion_10000_lines": _timed(lambda: complete(analysis, offset), 200)}
    # typing: the digit after "A * " alternates, so every snapshot is a real change
    digit_at = offset + len("A * ")
    state = {"parsed": analysis.parsed, "flip": False, "analysis": analysis}

    def next_snapshot() -> None:
        edit = TextEdit(digit_at, digit_at + 1, "7" if state["flip"] else "3")
        state["parsed"], _ = apply_edit(state["parsed"], edit)  # type: ignore[arg-type]
        state["flip"] = not state["flip"]
        state["analysis"] = analyze_with_types(state["parsed"])  # type: ignore[arg-type]

    def first_request() -> None:
        complete(state["analysis"], offset)  # type: ignore[arg-type]

    results["completion_10000_lines_new_snapshot"] = _timed(first_request, 40,
                                                            setup=next_snapshot)
    return results


# completion in one very large top-level item of a grammar-defined language (issue 13):
# case -> (language, text, the text the cursor is before: at a statement's start)
LARGE_ITEMS: dict[str, tuple[str, Callable[[], str], str]] = {
    # 5,000 statements in the main block, the cursor before its last (WriteLn)
    "turbopascal_end": ("turbopascal", lambda: pascal_main_block(8_000, 7_500),
                        "WriteLn(Total)\nEND."),
    # the same block, the cursor in its middle
    "turbopascal_middle": ("turbopascal", lambda: pascal_main_block(8_000, 7_500),
                           "Total := Total + I * 5;"),
    # statements in compound ones (lists inside a list), the cursor before the last
    "turbopascal_nested": ("turbopascal", lambda: pascal_nested_main_block(8_000, 7_500),
                           "WriteLn(Total)\nEND."),
    # a 6,000-line Lua function, the cursor before its `return`
    "lua_function": ("lua", lambda: lua_long_function(1_000), "return total\nend"),
}


def completion_in_large_items() -> dict[str, Any]:
    """Completion (grammar words, then names) at a statement's start in each of
    ``LARGE_ITEMS``: the grammar's words come from the items around the cursor, the
    block's items before it are taken from the tree (``peg.KnownItems``)."""
    results: dict[str, Any] = {}
    for case, (language_id, make, before) in LARGE_ITEMS.items():
        text = make()
        offset = text.index(before, len(text) // 2 if case.endswith("middle") else 0)
        analysis = analyze_with_types(parse(bundled(language_id), text))
        assert complete(analysis, offset)[0]
        _like_the_server()
        results[f"completion_large_item_{case}"] = _timed(
            lambda analysis=analysis, offset=offset: complete(analysis, offset), 30)
    return results


def keystroke() -> dict[str, Any]:
    """The analysis a keystroke's diagnostics wait for (names, types, diagnostics) in the
    10,000-line file, after alternately typing and deleting a character inside one
    function in its middle (`bench_lsp`'s keystroke; offsets after it shift each time).
    The edit is not timed; the analysis is, and the previous one is kept until the next
    is made, as the server keeps its current snapshot."""
    definition = bundled("pascal")
    text = pascal_program(10_000)
    at = text.index("T := A *", len(text) // 2) + len("T := ")
    state: dict[str, Any] = {"parsed": parse(definition, text), "typed": False}
    state["analysis"] = analyze_with_types(state["parsed"])
    _like_the_server()

    def edit() -> None:
        change = TextEdit(at, at + 1, "") if state["typed"] else TextEdit(at, at, "x")
        state["parsed"], _ = apply_edit(state["parsed"], change)
        state["typed"] = not state["typed"]

    def analysis() -> None:
        state["analysis"] = analyze_with_types(state["parsed"])

    return {"keystroke_analysis_10000_lines": _timed(analysis, 80, setup=edit)}


# issue 19, item 4: typing in a 5,000-line main block of a 10,000-line program, in
# 10,000-line scripts of top-level statements (indentation and BASIC-style languages),
# and in a 5,000-line WHILE ... WEND body in the middle of a 10,000-line BASIC script:
# case -> (language, text)
LARGE_BLOCKS: dict[str, tuple[str, Callable[[], str]]] = {
    "pascal": ("pascal", lambda: pascal_main_block(10_000, 5_000)),
    # the same program in the grammar-defined Turbo Pascal (whole-language PEG grammar)
    "turbopascal": ("turbopascal", lambda: pascal_main_block(10_000, 5_000)),
    # its main block's statements in compound statements of ~100 lines: a grammar's
    # statement lists inside one another are split into items at every level
    "turbopascal_nested": ("turbopascal", lambda: pascal_nested_main_block(10_000, 5_000)),
    "teachlang": ("teachlang", lambda: teachlang_script(10_000)),
    "basic": ("basic", lambda: basic_script(10_000)),
    "basic_while": ("basic", lambda: basic_while_script(10_000, 5_000)),
}


def keystroke_in_large_blocks() -> dict[str, Any]:
    """As ``keystroke``, in the middle of each of ``LARGE_BLOCKS``: the reparse (applied
    when the change arrives, before the debounce) and the analysis the republished
    diagnostics wait for (after it), timed apart."""
    results: dict[str, Any] = {}
    for case, (language_id, make) in LARGE_BLOCKS.items():
        text = make()
        # before the digit of `+ I * 3`: the number becomes 73 and back
        at = text.index(TYPED_AT[language_id], len(text) // 2) + len(TYPED_AT[language_id]) + 1
        state: dict[str, Any] = {"parsed": parse(bundled(language_id), text), "typed": False}
        state["analysis"] = analyze_with_types(state["parsed"])
        _like_the_server()

        def edit(state: dict[str, Any] = state, at: int = at) -> None:
            change = TextEdit(at, at + 1, "") if state["typed"] else TextEdit(at, at, "7")
            state["parsed"], _ = apply_edit(state["parsed"], change)
            state["typed"] = not state["typed"]

        def analysis(state: dict[str, Any] = state) -> None:
            state["analysis"] = analyze_with_types(state["parsed"])

        results[f"keystroke_reparse_{case}_block"] = _timed(edit, 40)
        results[f"keystroke_analysis_{case}_block"] = _timed(analysis, 20, setup=edit)
        assert not state["analysis"].diagnostics  # the generated texts are clean
    return results


def reparse_with_errors_in_large_blocks() -> dict[str, Any]:
    """The reparse alone of a 1-character edit in the middle of each of ``LARGE_BLOCKS``
    that makes a syntax error and the next that mends it: the ``+`` before ``I *`` deleted
    (``Total := Total  I * 3``, an error inside the statement) and typed again."""
    results: dict[str, Any] = {}
    for case, (language_id, make) in LARGE_BLOCKS.items():
        text = make()
        at = text.index(TYPED_AT[language_id], len(text) // 2)
        definition = bundled(language_id)
        state: dict[str, Any] = {"parsed": parse(definition, text), "broken": False}
        _like_the_server()

        def edit(state: dict[str, Any] = state, at: int = at) -> None:
            change = TextEdit(at, at, "+") if state["broken"] else TextEdit(at, at + 1, "")
            state["parsed"], _ = apply_edit(state["parsed"], change)
            state["broken"] = not state["broken"]

        def check(state: dict[str, Any] = state) -> None:  # untimed: it walks the tree
            assert bool(state["parsed"].errors) == state["broken"]

        results[f"keystroke_reparse_{case}_block_error"] = _timed(edit, 40, setup=check)
    return results


def _timed(fn: Callable[[], object], repeat: int,
           setup: Callable[[], object] | None = None) -> dict[str, float]:
    """Median and p95 of ``repeat`` runs (each after an untimed ``setup``), in wall-clock
    time and in the CPU time of this thread: on a shared machine the second shows the work
    itself when other processes take the cores."""
    fn()
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        started, started_cpu = time.perf_counter(), time.thread_time()
        fn()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    return {"median_ms": statistics.median(wall), "p95_ms": _p95(wall),
            "cpu_median_ms": statistics.median(cpu), "cpu_p95_ms": _p95(cpu), "runs": repeat}


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


ROWS = [("formatting a 1,000-line file (249 edits)", "format_1000_lines",
         "(<= 30 ms over the wire)"),
        ("  the same file once formatted (no edits)", "format_1000_lines_formatted", ""),
        ("on-type formatting after a newline, 10,000-line file", "on_type_10000_lines", ""),
        ("completion, 10,000-line file (first 100 of 890)", "completion_10000_lines",
         "(p95 <= 5 ms over the wire)"),
        ("  first request on each new snapshot while typing",
         "completion_10000_lines_new_snapshot", ""),
        ("completion at a statement's start, 5,000-statement Turbo Pascal main block",
         "completion_large_item_turbopascal_end", ""),
        ("  the same, in the middle of the block", "completion_large_item_turbopascal_middle",
         ""),
        ("  the same block's statements in compound ones",
         "completion_large_item_turbopascal_nested", ""),
        ("  before the return of a 6,000-line Lua function",
         "completion_large_item_lua_function", ""),
        ("analysis after a keystroke, 10,000-line file", "keystroke_analysis_10000_lines",
         "(<= 50 ms + debounce over the wire)"),
        ("reparse after a keystroke, 5,000-line main block", "keystroke_reparse_pascal_block",
         ""),
        ("  one that makes or mends a syntax error", "keystroke_reparse_pascal_block_error", ""),
        ("analysis after it (10,000-line Pascal-style program)",
         "keystroke_analysis_pascal_block", "<= 50 ms (issue 19)"),
        ("reparse after a keystroke, same main block, Turbo Pascal (grammar)",
         "keystroke_reparse_turbopascal_block", ""),
        ("  one that makes or mends a syntax error", "keystroke_reparse_turbopascal_block_error",
         ""),
        ("  analysis after it", "keystroke_analysis_turbopascal_block", "<= 50 ms (issue 19)"),
        ("reparse after a keystroke, same, statements in compound ones",
         "keystroke_reparse_turbopascal_nested_block", ""),
        ("  one that makes or mends a syntax error",
         "keystroke_reparse_turbopascal_nested_block_error", ""),
        ("  analysis after it", "keystroke_analysis_turbopascal_nested_block",
         "<= 50 ms (issue 19)"),
        ("reparse after a keystroke, 10,000-line TeachLang script",
         "keystroke_reparse_teachlang_block", ""),
        ("  one that makes or mends a syntax error", "keystroke_reparse_teachlang_block_error",
         ""),
        ("  analysis after it", "keystroke_analysis_teachlang_block", "<= 50 ms (issue 19)"),
        ("reparse after a keystroke, 10,000-line BASIC script", "keystroke_reparse_basic_block",
         ""),
        ("  one that makes or mends a syntax error", "keystroke_reparse_basic_block_error", ""),
        ("  analysis after it", "keystroke_analysis_basic_block", "<= 50 ms (issue 19)"),
        ("reparse after a keystroke, 5,000-line WHILE body (BASIC)",
         "keystroke_reparse_basic_while_block", ""),
        ("  one that makes or mends a syntax error", "keystroke_reparse_basic_while_block_error",
         ""),
        ("  analysis after it", "keystroke_analysis_basic_while_block", "<= 50 ms (issue 19)")]


def run() -> dict[str, Any]:
    results = formatting() | on_type_formatting() | completion() | \
        completion_in_large_items() | keystroke() | \
        keystroke_in_large_blocks() | reparse_with_errors_in_large_blocks()
    print(f"{'in process':52} {'wall median/p95':>18} {'CPU median/p95':>18}  target")
    for label, key, target in ROWS:
        r = results[key]
        print(f"{label:52} {r['median_ms']:8.2f}/{r['p95_ms']:6.2f}ms "
              f"{r['cpu_median_ms']:8.2f}/{r['cpu_p95_ms']:6.2f}ms  {target}")
    return results


if __name__ == "__main__":
    import sys
    if sys.argv[1:] in (["blocks"], ["items"]):  # the large-block keystrokes alone, or
        # completion in large items alone
        figures = completion_in_large_items() if sys.argv[1:] == ["items"] else \
            keystroke_in_large_blocks() | reparse_with_errors_in_large_blocks()
        for label, key, target in ROWS:
            if key in figures:
                r = figures[key]
                print(f"{label:52} {r['median_ms']:8.2f}/{r['p95_ms']:6.2f}ms "
                      f"{r['cpu_median_ms']:8.2f}/{r['cpu_p95_ms']:6.2f}ms  {target}")
    else:
        run()
