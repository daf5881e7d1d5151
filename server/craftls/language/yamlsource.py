"""Load YAML into plain data while keeping every key as a string and every
position, so that definition problems can name a line and a column.

PyYAML follows YAML 1.1, where the keys ``true``, ``false``, ``null``, ``on``
and ``off`` become booleans or None; ParserCraft configs use them as keyword
names, so mapping keys are always taken verbatim from the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

Path = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """Plain data plus the (line, column) of every value, 1-based, by path."""

    data: Any
    marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # source text of plain scalars that YAML 1.1 turned into booleans or null (YES, on, ~)
    raw_scalars: dict[Path, str] = field(default_factory=dict)

    def position(self, path: Path, key: bool = False) -> tuple[int, int]:
        """The closest known position for ``path`` (walking up when unknown)."""
        table = self.key_marks if key else self.marks
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), (1, 1))


class YamlSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


_constructor = yaml.constructor.SafeConstructor()
# libyaml's parser when PyYAML was built with it: the same nodes, tags and marks (only
# the unused ``style`` of plain scalars differs), ~8x faster; loading the bundled
# definitions is most of a `craftls check`'s start-up (docs/performance.md).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> YamlDocument:
    """Parse ``text``; raise YamlSyntaxError (with position) on malformed YAML."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlSyntaxError(f"invalid YAML: {exc.problem or exc}", line, col) from exc
    except yaml.YAMLError as exc:  # pragma: no cover - other reader errors
        raise YamlSyntaxError(f"invalid YAML: {exc}", 1, 1) from exc
    doc = YamlDocument(data=None)
    if node is None:
        doc.data = {}
        return doc
    doc.data = _convert(node, (), doc)
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, path: Path, doc: YamlDocument) -> Any:
    doc.marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        _constructor.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            key = str(key)
            doc.key_marks[path + (key,)] = _mark(key_node)
            if key in result:
                doc.marks.setdefault(path + (key, "__duplicate__"), _mark(key_node))
            result[key] = _convert(value_node, path + (key,), doc)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, path + (i,), doc) for i, item in enumerate(node.value)]
    try:
        value = _constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value
    if value is None or isinstance(value, bool):
        doc.raw_scalars[path] = node.value
    return value
