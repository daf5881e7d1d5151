"""Block styles as grammar templates (issue 13): the parse of each bundled keyword-level
language's examples, scaled up (all of its examples, repeated to about 5,000 lines), by
the keyword-level parser and by the PEG engine through the grammar
``syntax/block_templates.py`` writes for it. One run, this process's CPU time
(``time.process_time``), the best of ``ROUNDS`` parses each, the two parsers taking turns
(a busy machine slows both alike); the ratio is template / keyword level.

``--keystrokes``: a 1-character edit (a digit typed after a digit, then taken back) at
``EDITS`` places spread over a 10,000-line file of each language's examples, through its
template (issue 13: "<= 1 ms median in a 10,000-line file"): ``apply_edit``'s wall time,
median and p95, and the nodes it parsed again (``ReparseStats.reparsed_nodes``), median
and largest.

    PYTHONPATH=server python -m benchmarks.bench_templates [--keystrokes]"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from pathlib import Path

import yaml

from craftls.language.catalog import BUNDLED_DIR, bundled, bundled_ids
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.ops.idle_gc import YOUNG_THRESHOLD
from craftls.syntax.block_templates import TemplateRefused, dump_yaml, eject
from craftls.syntax.incremental import TextEdit, apply_edit
from craftls.syntax.parse import parse

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LINES = 5000


def templated(language: str) -> LanguageDefinition | None:
    source = yaml.safe_load((BUNDLED_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    try:
        ejected, _ = eject(source, bundled(language))
    except TemplateRefused:
        return None
    definition, _ = load_definition_text(dump_yaml(ejected))
    return definition


def scaled(language: str, lines: int = LINES) -> str:
    text = "".join(p.read_text(encoding="utf-8") + "\n"
                   for p in sorted((EXAMPLES / language).iterdir()))
    return text * max(1, lines // text.count("\n"))


EDITS = 200


def keystrokes(definition: LanguageDefinition, text: str) -> dict[str, float]:
    """``EDITS`` digits typed after a digit (outside comments and strings, mostly: a
    digit after a digit), each then taken back, in the file's middle 90 %."""
    rng = random.Random(13)
    digits = [i + 1 for i in range(len(text) // 20, len(text) * 19 // 20)
              if text[i].isdigit() and not text[i - 1].isalpha()]
    places = sorted(rng.sample(digits, min(EDITS, len(digits))))
    parsed = parse(definition, text)
    like_the_server()
    times: list[float] = []
    cpu: list[float] = []
    nodes: list[int] = []
    for at in places:
        start, start_cpu = time.perf_counter(), time.thread_time()
        edited, stats = apply_edit(parsed, TextEdit(at, at, "7"))
        times.append(time.perf_counter() - start)
        cpu.append(time.thread_time() - start_cpu)
        nodes.append(stats.reparsed_nodes)
        parsed, _ = apply_edit(edited, TextEdit(at, at + 1, ""))
    return {"median_ms": statistics.median(times) * 1000, "p95_ms": _p95(times) * 1000,
            "cpu_median_ms": statistics.median(cpu) * 1000, "cpu_p95_ms": _p95(cpu) * 1000,
            "nodes_median": statistics.median(nodes), "nodes_max": max(nodes),
            "edits": len(places)}


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(round(0.95 * (len(ordered) - 1)))]


def like_the_server() -> None:
    """The server's collector settings (``bench_editing._like_the_server``): the parsed
    tree frozen, a young generation of its size."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, 20, 20)


def keystrokes_main() -> None:
    print(f"{'language':10} {'lines':>6} {'edits':>5} {'median ms':>9} {'p95 ms':>7} "
          f"{'cpu median':>10} {'cpu p95':>7} {'nodes median':>12} {'nodes max':>9}")
    for language in bundled_ids():
        if bundled(language).grammar is not None:
            continue
        template = templated(language)
        if template is None:
            continue
        text = scaled(language, 10_000)
        found = keystrokes(template, text)
        print(f"{language:10} {text.count(chr(10)):6} {found['edits']:5} "
              f"{found['median_ms']:9.3f} {found['p95_ms']:7.3f} "
              f"{found['cpu_median_ms']:10.3f} {found['cpu_p95_ms']:7.3f} "
              f"{found['nodes_median']:12.0f} {found['nodes_max']:9}")


ROUNDS = 5


def best(definitions: list[LanguageDefinition], text: str) -> list[tuple[float, int]]:
    """Each definition's best time and its error count, the parses taking turns."""
    times: list[list[float]] = [[] for _ in definitions]
    errors = [0] * len(definitions)
    for _ in range(ROUNDS):
        for i, definition in enumerate(definitions):
            start = time.process_time()
            parsed = parse(definition, text)
            times[i].append(time.process_time() - start)
            errors[i] = len(parsed.errors)
    return [(min(t), e) for t, e in zip(times, errors, strict=True)]


def main() -> None:
    print(f"{'language':10} {'lines':>6} {'keyword ms':>10} {'template ms':>11} {'ratio':>6}"
          "  errors (keyword/template)")
    for language in bundled_ids():
        if bundled(language).grammar is not None:
            continue
        template = templated(language)
        text = scaled(language)
        if template is None:
            keyword_time, _ = best([bundled(language)], text)[0]
            print(f"{language:10} {text.count(chr(10)):6} {keyword_time * 1000:10.1f} "
                  f"{'(no template)':>11}")
            continue
        (keyword_time, keyword_errors), (template_time, template_errors) = best(
            [bundled(language), template], text)
        print(f"{language:10} {text.count(chr(10)):6} {keyword_time * 1000:10.1f} "
              f"{template_time * 1000:11.1f} {template_time / keyword_time:6.2f}  "
              f"{keyword_errors}/{template_errors}")


if __name__ == "__main__":
    keystrokes_main() if "--keystrokes" in sys.argv[1:] else main()
