"""`craftls check FILE` in this fresh process, phase by phase (issue 19, item 5).

Run by ``bench_check.process_phases`` as ``python -m benchmarks.check_phases FILE``: the
steps of ``cli.analysis_cmd.run_check`` and ``features.analysis.analyze_with_types``, in
their order, each timed in CPU (``time.process_time``), in a process that has done
nothing before (so each phase pays its own first use of memory, as the command does):
imports, loading the definition (from the cache folder), reading, parsing (with
lexing), names, the diagnostics of syntax and names, types, output (printed to a
buffer), and the collector's work once it is enabled again. Prints one JSON object of
milliseconds. Only the standard library is imported before the first mark.
"""

from __future__ import annotations

import time

STARTED = time.process_time()

import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402


def main(file: str) -> None:
    import craftls.cli.analysis_cmd as command
    import craftls.cli.main

    marks: dict[str, float] = {"imports": (time.process_time() - STARTED) * 1000}
    last = time.process_time()

    def mark(name: str) -> None:
        nonlocal last
        now = time.process_time()
        marks[name] = (now - last) * 1000
        last = now

    from craftls.features.caches import DEFAULT_CACHES
    from craftls.semantics.diagnostics import (
        Diagnostic,
        semantic_diagnostics,
        syntax_diagnostics,
    )
    from craftls.semantics.resolve import Resolver
    from craftls.syntax.parse import GC_PAUSE, parse
    from craftls.types import TypeChecker
    from craftls.workspace.imports import ModuleResolver, resolve_imports

    path = Path(file)
    last = time.process_time()
    craftls.cli.main._cache_definitions("check")
    definition = command._definition(path, "pascal")  # keyword-level, as bench_check
    assert definition is not None
    mark("definition")
    with DEFAULT_CACHES.keeping_nothing(), GC_PAUSE:
        text = command._read(path)
        mark("read")
        parsed = parse(definition, text)
        mark("parse")
        resolve_imports(parsed, path, ModuleResolver())
        resolver = Resolver(parsed, {}, DEFAULT_CACHES.names)
        model = resolver.run()
        mark("names")
        diagnostics = syntax_diagnostics(parsed) + semantic_diagnostics(resolver, model)
        diagnostics.sort(key=lambda d: (d.start, d.end, d.code))
        mark("diagnostics")
        report = TypeChecker(definition, cache=DEFAULT_CACHES.types).check(parsed, model)
        diagnostics.extend(Diagnostic(d.start, d.end, d.severity, d.message, d.code,
                                      data=d.data) for d in report.diagnostics)
        diagnostics.sort(key=lambda d: (d.start, d.end, d.code))
        mark("types")
        with contextlib.redirect_stdout(io.StringIO()):
            command.report(path, text, diagnostics)
        mark("output")
        command.promote_survivors()
    # the collector, enabled again: a young collection at the next allocations if the
    # check's objects were still young (``analysis_cmd.promote_survivors``)
    made = [[n] for n in range(1_000)]
    mark("collector")
    del made
    print(json.dumps(marks), flush=True)
    os._exit(0)  # as `craftls check` ends (``cli.main.run``): nothing freed


if __name__ == "__main__":
    main(sys.argv[1])
