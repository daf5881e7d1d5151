"""Block styles as grammar templates (issue 13): the parse of each bundled keyword-level
language's examples, scaled up (all of its examples, repeated to about 5,000 lines), by
the keyword-level parser and by the PEG engine through the grammar
``syntax/block_templates.py`` writes for it. One run, this process's CPU time
(``time.process_time``), the best of ``ROUNDS`` parses each, the two parsers taking turns
(a busy machine slows both alike); the ratio is template / keyword level.

    PYTHONPATH=server python -m benchmarks.bench_templates"""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from craftls.language.catalog import BUNDLED_DIR, bundled, bundled_ids
from craftls.language.loader import load_definition_text
from craftls.language.model import LanguageDefinition
from craftls.syntax.block_templates import TemplateRefused, dump_yaml, eject
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


def scaled(language: str) -> str:
    text = "".join(p.read_text(encoding="utf-8") + "\n"
                   for p in sorted((EXAMPLES / language).iterdir()))
    return text * max(1, LINES // text.count("\n"))


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
    main()
