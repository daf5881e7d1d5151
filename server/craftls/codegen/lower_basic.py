"""Lowering of the BASIC-family constructs a grammar's ``run:`` annotations name:
``loop`` (DO ... LOOP with its condition before or after the body; ``exit`` with
``loops``: EXIT DO), ``select`` and ``when`` (SELECT CASE), ``gosub`` and ``label``
(GOSUB subroutines), ``input`` (INPUT), ``data``, ``read`` and ``restore``.

Functions over a ``lower_grammar._GrammarLowering`` (its ``run_*`` methods call them),
kept apart so the grammar lowering's core stays language-free and short. Nothing here knows a language: the tokens (``UNTIL``,
``IS``, ``TO``, ``ELSE``, the ``$`` suffix) come from the annotations
(docs/language-definition.md, docs/codegen.md).

GOSUB runs without a jump in the ``ir``: a subroutine is the top-level statements from
its label to the first top-level RETURN, lowered as a function without parameters or
locals (its names are the main program's globals), and ``GOSUB label`` calls it. That
covers subroutines the program cannot fall into (after END, or after another
subroutine's RETURN); anything else is a build error at its place, never a guess."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..language.run_spec import RunSpec
from ..syntax import kinds as K
from ..syntax.tree import SyntaxNode
from . import ir
from .lower import _text

if TYPE_CHECKING:
    from .lower_grammar import _GrammarLowering as Lo

GOSUB_PREFIX = "\0gosub:"


# ----- DO ... LOOP -----


def run_loop(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    """No condition: until EXIT; ``WHILE c``/``UNTIL c`` (``until``) before the body
    is tested before each turn, after a token of ``after`` (LOOP) after it."""
    parts = lo.parts(node, spec)
    if parts is None:
        return []
    conds = [g[0] for g in parts.get("condition", []) if g]
    body = lo.body_of(node, parts.get("body"))
    if len(conds) > 1:
        lo.unsupported(conds[1], "a loop with a condition at both ends")
        return []
    if not conds:
        return [ir.While(node.start, ir.Const(node.start, True), body)]
    cond_node = conds[0]
    before = [t for t in lo.tokens(node) if t.start < cond_node.start]
    until = bool(before) and lo.same(before[-1].text, spec.until)
    at_end = any(lo.same(t.text, spec.after) for t in before)
    cond = lo.expr(cond_node)
    if at_end:
        return [ir.Repeat(node.start, body,
                          cond if until else ir.Unary(cond_node.start, "not", cond))]
    return [ir.While(node.start, ir.Unary(cond_node.start, "not", cond) if until else cond,
                     body)]


def exit_loop(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    """``EXIT DO``: a ``break`` of the innermost loop, which must be one that starts
    with that word (``EXIT FOR`` in a DO inside a FOR would leave the FOR: refused)."""
    word = next(t for t in lo.tokens(node) if lo.same(t.text, spec.loops))
    parent = node.parent
    while parent is not None:
        construct = lo.construct(parent)
        if construct in ("for", "while", "repeat", "loop"):
            first = lo.tokens(parent)[:1]
            if first and lo.same(first[0].text, (word.text,)):
                return [ir.Jump(node.start, "break")]
            break
        if construct in ("function", "procedure"):
            break
        parent = parent.parent
    lo.fail(node, f"{lo.what(node)} outside a loop that starts with {word.text!r}, or in "
            "another loop inside it, is not supported by craftls run/build")
    return []


# ----- SELECT CASE -----


def run_select(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    """The subject once, into a variable of its own; then the first case whose test
    holds (an ``if`` chain), else the ``otherwise`` case."""
    parts = lo.parts(node, spec)
    if parts is None:
        return []
    subject_node = lo.one(parts.get("subject"))
    if subject_node is None:
        return lo.missing(node, "subject")
    subject = lo.temporary(subject_node)
    out: list[ir.Stmt] = [ir.Assign(subject_node.start, subject, lo.expr(subject_node))]
    arms: list[tuple[ir.Expr, ir.Body]] = []
    orelse: ir.Body | None = None
    for case in lo.flat(parts.get("cases")):
        if orelse is not None:
            lo.fail(case, "a case after the case taken when no other is")
        arm = select_case(lo, node, lo.unwrap(case), subject)
        if arm is not None and arm[0] is not None:
            arms.append((arm[0], arm[1]))
        elif arm is not None:
            orelse = arm[1]
    if arms:
        out.append(ir.If(node.start, tuple(arms), orelse))
    elif orelse is not None:
        out.extend(orelse)
    return out


def select_case(lo: Lo, select: SyntaxNode, case: SyntaxNode,
                subject: ir.Expr) -> tuple[ir.Expr | None, ir.Body] | None:
    """One case: its condition (None for the ``otherwise`` case) and its body; None
    after a build error."""
    cspec = lo.runs.get(case.kind)
    if cspec is None or cspec.construct != "when":
        lo.unsupported(case, f"{lo.what(case)} in {lo.what(select)}")
        return None
    cparts = lo.parts(case, cspec)
    if cparts is None:
        return None
    body = lo.body_of(case, cparts.get("body"))
    if any(lo.same(t.text, cspec.otherwise) for t in lo.tokens(case)):
        return None, body
    tests = [case_test(lo, g[0], cspec, subject) for g in cparts.get("tests", []) if g]
    if not tests:
        lo.missing(case, "tests")
        return None
    cond = tests[0]
    for test in tests[1:]:
        cond = ir.Binary(test.pos, "or", cond, test)
    return cond, body


def case_test(lo: Lo, test: SyntaxNode, spec: RunSpec, subject: ir.Expr) -> ir.Expr:
    """``IS < x`` (a ``compare`` token, an operator of ``ops``), ``a TO b``
    (``through``: both included), or a value the subject must equal."""
    node = lo.unwrap(test)
    if node.kind in lo.runs or node.kind in (K.NAME_REF, K.LITERAL) or not lo.tokens(node):
        return ir.Binary(node.start, "eq", subject, lo.expr(node))
    toks, kids = lo.tokens(node), list(node.children())
    if len(toks) == 2 and len(kids) == 1 and lo.same(toks[0].text, spec.compare):
        op = lo.operator_of(toks[1], spec)
        if op is None:
            lo.fail(toks[1], f"the operator {toks[1].text!r} is not supported by "
                      "craftls run/build")
            return ir.Const(node.start, False)
        return ir.Binary(toks[1].start, op, subject, lo.expr(kids[0]))
    if len(toks) == 1 and len(kids) == 2 and lo.same(toks[0].text, spec.through):
        low = ir.Binary(kids[0].start, "ge", subject, lo.expr(kids[0]))
        high = ir.Binary(kids[1].start, "le", subject, lo.expr(kids[1]))
        return ir.Binary(toks[0].start, "and", low, high)
    return lo.unsupported(node, f"{lo.what(node)} as a case's test")


# ----- GOSUB subroutines -----


def split_subroutines(lo: Lo, items: list[SyntaxNode]) -> list[SyntaxNode]:
    """The top-level items of the main program; each GOSUB subroutine's items go to
    ``lo.gosubs`` (label key -> label node, its statements without the RETURN)."""
    targets = {lo.key(_text(n)) for n in gosub_targets(lo)}
    main: list[SyntaxNode] = []
    current: tuple[SyntaxNode, list[SyntaxNode]] | None = None
    reachable = True
    for item in items:
        node = lo.unwrap(item)
        construct = lo.construct(node)
        if construct == "label" and lo.key(_label_name(lo, node)) in targets:
            start_subroutine(lo, node, current, reachable)
            current = (node, [])
            lo.gosubs[lo.key(_label_name(lo, node))] = current
            continue
        if construct in ("function", "procedure", "none", "data"):
            main.append(item)  # no code of the flow (a SUB, a comment, a ':', DATA)
            continue
        if current is not None:
            if construct == "return" and not list(node.children()):
                current, reachable = None, False
            else:
                current[1].append(item)
            continue
        main.append(item)
        if construct == "halt":
            reachable = False
        elif construct != "label":
            reachable = True
    if current is not None:
        lo.fail(current[0], "this GOSUB subroutine has no RETURN at the top level")
    return main


def start_subroutine(lo: Lo, label: SyntaxNode,
                     current: tuple[SyntaxNode, list[SyntaxNode]] | None,
                     reachable: bool) -> None:
    """Refuse a subroutine the program (or the subroutine before it) runs into."""
    if current is not None:
        lo.fail(label, f"the GOSUB subroutine {_label_name(lo, current[0])!r} runs into "
                "this label: end it with RETURN first")
    elif reachable:
        lo.fail(label, f"the program runs into the GOSUB subroutine "
                f"{_label_name(lo, label)!r} (not supported by craftls run/build: put it "
                "after END or after another subroutine's RETURN)")


def gosub_targets(lo: Lo) -> list[SyntaxNode]:
    found = []
    for node in lo.parsed.root.descendants():
        spec = lo.runs.get(node.kind)
        if spec is not None and spec.construct == "gosub":
            name = lo.name_of(lo.one(lo.select(node, spec.part("label"), set())))
            if name is not None:
                found.append(name)
    return found


def lower_subroutines(lo: Lo) -> None:
    """Each subroutine as a function of the main program's scope (its globals)."""
    for key, (label, items) in lo.gosubs.items():
        lo.in_gosub = True
        body: list[ir.Stmt] = []
        for item in items:
            body.extend(lo.statement(item))
        lo.in_gosub = False
        name = lo.name_of(label)
        lo.functions[GOSUB_PREFIX + key] = ir.Function(
            GOSUB_PREFIX + key, _text(name) if name is not None else key, label.start,
            (), (), tuple(body), None)


def run_gosub(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    parts = lo.parts(node, spec)
    if parts is None:
        return []
    target = lo.one(parts.get("label"))
    name = lo.name_of(target) or target  # a name, or a line number
    if name is None:
        return lo.missing(node, "label")
    key = lo.key(_text(name))
    if lo.scope.key:
        lo.fail(node, "GOSUB inside a SUB or FUNCTION is not supported by craftls "
                  "run/build")
        return []
    if key not in lo.gosubs:
        lo.fail(name, f"no GOSUB subroutine {_text(name)!r}: craftls run/build runs "
                  "a label at the top level, after END, up to its RETURN")
        return []
    return [ir.ExprStmt(node.start, ir.Call(node.start, GOSUB_PREFIX + key, ()))]


# ----- INPUT -----


def run_input(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    """Write the prompt (and ``ask`` where it belongs), read one line, store it: as
    text into a target whose name ends in a ``text_suffix``, else as a number (a
    real for a ``real_suffix``, else a whole number). A line that is no such
    number, or no line at all, is a runtime error."""
    parts = lo.parts(node, spec)
    if parts is None:
        return []
    targets = lo.flat(parts.get("targets"))
    prompt_node = lo.one(parts.get("prompt"))
    if len(targets) != 1:
        lo.unsupported(node, "INPUT into several variables" if targets
                         else f"{lo.what(node)} without a variable")
        return []
    toks = lo.tokens(node)
    prompt = ""
    ask = spec.ask
    if prompt_node is not None:
        value = lo.expr(prompt_node)
        if not isinstance(value, ir.Const) or not isinstance(value.value, str):
            return lo.missing(node, "prompt as a string literal")
        prompt = value.value
        after = next((t for t in toks if t.start >= prompt_node.end), None)
        ask = spec.ask if after is not None and lo.same(after.text, spec.ask_after) else ""
    first = prompt_node.start if prompt_node is not None else targets[0].start
    odd = [t for t in toks[1:] if t.start < first]
    if odd:
        lo.fail(odd[0], f"{odd[0].text!r} in {lo.what(node)} is not supported by "
                  "craftls run/build")
        return []
    target_node = targets[0]
    word = toks[0].text if toks else "input"
    line: ir.Expr = ir.BuiltinCall(node.start, "read_line", word,
                                   (ir.Const(node.start, prompt + ask),))
    target = lo.target(target_node)
    return [ir.Assign(node.start, target, lo.fitted(target, convert(
        lo, target_node, spec, word, line, lo.static_type(target))))]


def _label_name(lo: Lo, label: SyntaxNode) -> str:
    name = lo.name_of(label)
    return _text(name) if name is not None else ""


# ----- DATA, READ, RESTORE -----
# The DATA items of the whole program, in source order, are one list of their texts in
# a hidden global; a hidden index says which READ takes next. READ converts the text as
# INPUT converts a line (by the target's suffix); RESTORE label sets the index to the
# first item after the label. Nothing here runs at a DATA statement.


def collect_data(lo: Lo) -> list[ir.Stmt]:
    """The statements that set up the DATA list (run before the main program), and the
    label key -> first item index table for RESTORE."""
    items: list[ir.Expr] = []
    labels: dict[str, int] = {}
    for node in lo.parsed.root.descendants():
        spec = lo.runs.get(node.kind)
        if spec is None:
            continue
        if spec.construct == "label":
            labels[lo.key(_label_name(lo, node))] = len(items)
        elif spec.construct == "data":
            items.extend(_data_items(lo, node, spec))
    lo.data_labels = labels
    if not items and not _uses(lo, ("read", "restore")):
        return []
    data, index = _data_globals(lo)
    pos = lo.parsed.root.start
    return [ir.Assign(pos, data, ir.ListLit(pos, tuple(items))),
            ir.Assign(pos, index, ir.Const(pos, lo.d.structure.index_base))]


def _data_items(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Expr]:
    """The items of one DATA statement; nothing between two commas is an empty text."""
    chosen = {(n.start, n.kind) for n in lo.flat(lo.select(node, spec.part("items"), set()))}
    out: list[ir.Expr] = []
    pending = False  # after DATA or a comma: an item may come
    for child in lo.items(node):
        if isinstance(child, SyntaxNode) and (child.start, child.kind) in chosen:
            out.append(ir.Const(child.start, _data_text(child)))
            pending = False
        elif child.text == ",":
            if pending:
                out.append(ir.Const(child.start, ""))
            pending = True
        else:
            pending = True  # the DATA keyword
    if pending and any(c.text == "," for c in lo.tokens(node)):
        out.append(ir.Const(node.end, ""))
    return out


def _data_text(item: SyntaxNode) -> str:
    text = item.text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def _uses(lo: Lo, constructs: tuple[str, ...]) -> bool:
    return any(lo.construct(n) in constructs for n in lo.parsed.root.descendants())


def _data_globals(lo: Lo) -> tuple[ir.Global, ir.Global]:
    out = []
    for hidden, shown in (("\0data", "(DATA)"), ("\0data_index", "(DATA index)")):
        slot = lo.global_slots.setdefault(hidden, len(lo.global_names))
        if slot == len(lo.global_names):
            lo.global_names.append(shown)
        out.append(ir.Global(0, shown, slot))
    return out[0], out[1]


def convert(lo: Lo, node: SyntaxNode, spec: RunSpec, word: str, value: ir.Expr,
            declared: ir.TypeSpec = ir.ANY) -> ir.Expr:
    """A text read for ``node`` (INPUT, READ): as the target's declared type says (a
    string, a real, a whole number: DIM n AS STRING, a record's field), else text for a
    name ending in a ``text_suffix``, a real for a ``real_suffix``, else a whole number."""
    name = lo.name_of(node)
    text = _text(name) if name is not None else ""
    kind = declared.name if isinstance(declared, ir.Scalar) else "any"
    if kind == "str" or (kind == "any" and any(text.endswith(s) for s in spec.text_suffix)):
        return value
    op = "float" if kind == "float" or (kind == "any" and any(
        text.endswith(s) for s in spec.real_suffix)) else "int"
    return ir.BuiltinCall(node.start, op, word, (value,))


def run_data(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    return []  # its items are the DATA list's, set up before the program runs


def run_read(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    """Each target takes the next item (past the last one: index out of range)."""
    parts = lo.parts(node, spec)
    if parts is None:
        return []
    data, index = _data_globals(lo)
    word = lo.tokens(node)[0].text if lo.tokens(node) else "read"
    out: list[ir.Stmt] = []
    for target in lo.flat(parts.get("targets")):
        item = ir.Index(node.start, ir.Global(node.start, data.name, data.slot),
                        ir.Global(node.start, index.name, index.slot))
        place = lo.target(target)
        out.append(ir.Assign(target.start, place, lo.fitted(place, convert(
            lo, target, spec, word, item, lo.static_type(place)))))
        out.append(ir.Assign(node.start, index, ir.Binary(
            node.start, "add", ir.Global(node.start, index.name, index.slot),
            ir.Const(node.start, 1))))
    return out


def run_restore(lo: Lo, node: SyntaxNode, spec: RunSpec) -> list[ir.Stmt]:
    parts = lo.parts(node, spec)
    if parts is None:
        return []
    target = lo.one(parts.get("label"))
    first = 0
    if target is not None:
        name = lo.name_of(target) or target
        key = lo.key(_text(name))
        if key not in lo.data_labels:
            lo.fail(name, f"no label {_text(name)!r} for RESTORE")
            return []
        first = lo.data_labels[key]
    _, index = _data_globals(lo)
    return [ir.Assign(node.start, index, ir.Const(node.start, first + lo.d.structure.index_base))]
