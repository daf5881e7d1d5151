"""The import directions written in docs/architecture.md hold in the code.

The code map's "imports" column is the contract: every import of one of our modules, at
module level or inside a function (a lazy import is still a dependency), must point to
a folder that the importer's row lists. A folder (or module) with no row fails with a
message asking for one, so a new package states its place before it lands.

The import graph, lazy imports included, has no cycle: any cycle fails.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "server" / "craftls"
ARCHITECTURE = ROOT / "docs" / "architecture.md"



# ---------------------------------------------------------------- the contract


@dataclass(frozen=True)
class Rule:
    """What one code-map row allows: its units, and which imports it names."""

    key: str  # "syntax/" or "workspace/index.py", relative to server/craftls
    everything: bool
    allowed: frozenset[str]  # row keys, without the trailing slash
    lazy_only: frozenset[str]  # of those, the ones allowed only inside a function


_TOKEN = re.compile(r"`([^`]+)`(\s*\(lazy\))?")


def parse_imports_cell(key: str, cell: str) -> Rule:
    """The imports column's grammar: ``nothing of ours``, ``everything``, or backticked
    row names separated by commas, each optionally followed by ``(lazy)``; anything
    after a ``;`` is a remark."""
    text = cell.split(";")[0].strip()
    if text == "nothing of ours":
        return Rule(key, False, frozenset(), frozenset())
    if text == "everything":
        return Rule(key, True, frozenset(), frozenset())
    allowed, lazy = set(), set()
    rest = _TOKEN.sub("", text).replace(",", "").strip()
    if rest:
        raise AssertionError(f"docs/architecture.md, code map row {key!r}: cannot read the "
                             f"imports column {cell!r} (left over: {rest!r}); write "
                             "`nothing of ours`, `everything` or backticked row names")
    for match in _TOKEN.finditer(text):
        name = match.group(1).rstrip("/")
        allowed.add(name)
        if match.group(2):
            lazy.add(name)
    return Rule(key, False, frozenset(allowed), frozenset(lazy))


def code_map(text: str) -> dict[str, Rule]:
    """Row key ("syntax/", "workspace/index.py") -> its rule, from the code map table."""
    section = text.split("## Code map", 1)[1].split("\n## ", 1)[0]
    rules: dict[str, Rule] = {}
    for line in section.splitlines():
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = line.strip().strip("|").split("|")
        keys = re.findall(r"`([^`]+)`", cells[0])
        if not keys:  # the header
            continue
        for key in keys:
            rules[key] = parse_imports_cell(key, cells[-1].strip())
    return rules


# ---------------------------------------------------------------- the code


@dataclass(frozen=True)
class Import:
    source: str  # importing module, dotted
    target: str  # imported module of ours, dotted
    line: int
    lazy: bool  # inside a function
    type_only: bool = False  # under `if TYPE_CHECKING:`: never runs, so it makes no cycle


def our_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool,
             modules: dict[str, Path]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module.split(".") if is_package else module.split(".")[:-1]
            package = package[:len(package) - (node.level - 1)]
            base = ".".join(package + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        # `from pkg import name`: name is a submodule or something the package defines
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                 for a in node.names]
    for name in names:
        if name.split(".")[0] != "craftls":
            continue
        while name not in modules:  # `import craftls.x.y` of a name inside a module
            name = name.rsplit(".", 1)[0]
        yield name


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _targets(child, module, path.name == "__init__.py", modules):
                    if target != module:
                        found.append(Import(module, target, child.lineno, in_function,
                                            type_only))
            visit(child, in_function or isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)),
                type_only or _is_type_checking(child))

    visit(tree, False, False)
    return found


def _is_type_checking(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def all_imports() -> list[Import]:
    modules = our_modules()
    return [imp for module, path in modules.items() for imp in imports_of(module, path, modules)]


def row_of(module: str, rules: dict[str, Rule]) -> str | None:
    """The most specific row for a module: its own (``workspace/index.py``), else its
    folder's (``workspace/``), else none."""
    relative = "/".join(module.split(".")[1:])
    if not relative:
        return "__init__.py" if "__init__.py" in rules else None
    path = PACKAGE / relative
    candidates = [f"{relative}.py"] if not path.is_dir() else [f"{relative}/__init__.py"]
    folder = relative if path.is_dir() else relative.rpartition("/")[0]
    while folder:
        candidates.append(f"{folder}/")
        folder = folder.rpartition("/")[0]
    return next((c for c in candidates if c in rules), None)


def violations(rules: dict[str, Rule], imports: list[Import]) -> list[str]:
    problems = []
    for imp in imports:
        source, target = row_of(imp.source, rules), row_of(imp.target, rules)
        if source is None or target is None or source == target:
            continue  # unlisted units are reported by their own test
        rule = rules[source]
        target_names = {target.rstrip("/"), target.split("/")[0]}  # a row, or its folder
        allowed = rule.everything or bool(target_names & rule.allowed)
        if allowed and not imp.lazy and target_names & rule.lazy_only \
                and not target_names & (rule.allowed - rule.lazy_only):
            allowed = False
        if not allowed:
            kind = "a lazy import" if imp.lazy else "an import"
            problems.append(f"{imp.source} (line {imp.line}, row {source}) has {kind} of "
                            f"{imp.target} (row {target}), which its row's imports column "
                            "does not allow")
    return problems


def runtime_graph(imports: list[Import]) -> dict[str, set[str]]:
    """Module -> the modules it imports when it runs (lazy imports included,
    `if TYPE_CHECKING:` ones not)."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        if not imp.type_only:
            graph.setdefault(imp.source, set()).add(imp.target)
            graph.setdefault(imp.target, set())
    return graph


def cycles(imports: list[Import]) -> list[frozenset[str]]:
    """Strongly connected groups of more than one module in the runtime graph (Tarjan)."""
    graph = runtime_graph(imports)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:  # depth <= number of modules (~150)
        index[node] = low[node] = len(index)
        stack.append(node)
        for child in sorted(graph[node]):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in stack:
                low[node] = min(low[node], index[child])
        if low[node] == index[node]:
            group = frozenset(stack[stack.index(node):])
            del stack[stack.index(node):]
            if len(group) > 1:
                found.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# ---------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def rules() -> dict[str, Rule]:
    return code_map(ARCHITECTURE.read_text(encoding="utf-8"))


def test_every_module_has_a_row(rules: dict[str, Rule]) -> None:
    missing = sorted({str(path.relative_to(PACKAGE).parent) + "/"
                      if path.parent != PACKAGE else path.name
                      for module, path in our_modules().items()
                      if row_of(module, rules) is None})
    assert not missing, (f"{', '.join(missing)}: no row in the code map of "
                         "docs/architecture.md; add one (folder | owns | imports) saying "
                         "which folders it may import")


def test_every_row_names_rows_that_exist(rules: dict[str, Rule]) -> None:
    names = {key.rstrip("/") for key in rules} | {key.split("/")[0] for key in rules}
    unknown = {f"{key}: {name}" for key, rule in rules.items() for name in rule.allowed
               if name not in names}
    assert not unknown, f"imports columns that name no row: {sorted(unknown)}"


def test_imports_follow_the_code_map(rules: dict[str, Rule]) -> None:
    problems = violations(rules, all_imports())
    assert not problems, "\n".join(problems)


def test_no_import_cycle() -> None:
    found = [sorted(group) for group in cycles(all_imports())]
    assert not found, (f"import cycles (lazy imports included): {found}; break them (see "
                     "'Import cycles' in docs/architecture.md)")


# ---------------------------------------------------------------- the checker itself


def test_the_checker_catches_what_it_must() -> None:
    rules = code_map("## Code map\n| folder | owns | imports |\n|---|---|---|\n"
                     "| `syntax/` | x | `language` |\n| `language/` | x | nothing of ours |\n"
                     "| `lsp/` | x | everything |\n"
                     "| `workspace/` | x | `syntax`, `features` (lazy) |\n"
                     "| `features/` | x | `workspace`; remark |\n")
    assert rules["syntax/"].allowed == {"language"}
    assert rules["workspace/"].lazy_only == {"features"}
    backwards = Import("craftls.language.model", "craftls.syntax.tree", 3, lazy=True)
    allowed = Import("craftls.syntax.tree", "craftls.language.model", 3, lazy=False)
    eager = Import("craftls.workspace.documents", "craftls.features.analysis", 9, lazy=False)
    lazy = Import("craftls.workspace.documents", "craftls.features.analysis", 9, lazy=True)
    found = violations(rules, [backwards, allowed, eager, lazy])
    assert len(found) == 2
    assert "craftls.language.model (line 3, row language/) has a lazy import" in found[0]
    assert "craftls.workspace.documents (line 9" in found[1]
    with pytest.raises(AssertionError, match="cannot read the imports column"):
        parse_imports_cell("x/", "core layers, `registry`")
    ring = [Import("a", "b", 1, False), Import("b", "c", 1, True), Import("c", "a", 1, False),
            Import("c", "d", 1, False), Import("d", "c", 1, False, type_only=True)]
    assert cycles(ring) == [frozenset({"a", "b", "c"})]


def test_lazy_imports_are_found(tmp_path: Path) -> None:
    module = tmp_path / "documents.py"
    module.write_text("from typing import TYPE_CHECKING\nfrom ..syntax import tree\n"
                      "if TYPE_CHECKING:\n    from ..types import model\n\n"
                      "def f():\n    from ..features import analysis\n    return analysis\n",
                      encoding="utf-8")
    modules = {"craftls.workspace.documents": module, "craftls.syntax.tree": module,
               "craftls.features.analysis": module, "craftls.types.model": module}
    found = imports_of("craftls.workspace.documents", module, modules)
    assert [(i.target, i.lazy, i.type_only) for i in found] == [
        ("craftls.syntax.tree", False, False), ("craftls.types.model", False, True),
        ("craftls.features.analysis", True, False)]
