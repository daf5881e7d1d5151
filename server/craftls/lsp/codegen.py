"""Run and generated code in the editor (docs/codegen.md): a "Run" / "Show C" /
"Show WebAssembly" code lens above the program's main part, the
``craftls/generatedCode`` request (the generated text and its line map, target ``c``
or ``wat``) and the ``craftls.run`` (target ``interp`` or ``wasm``) /
``craftls.showGenerated`` commands. The work is ``codegen``'s; this module only
speaks the protocol, off the event loop."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException

from ..features.documents import Document, path_of
from ..features.main_part import main_start
from ..workspace.imports import module_finder
from .routes import DOCUMENT_WAIT_SECONDS

if TYPE_CHECKING:
    from .server import CraftLanguageServer

Handler = Callable[..., Any]

GENERATED_CODE = "craftls/generatedCode"
RUN = "craftls.run"
SHOW_GENERATED = "craftls.showGenerated"
TARGETS = ("c", "wat")
RUN_TARGETS = ("interp", "wasm")
REQUEST_FAILED = -32803
# a run from the editor has no terminal: empty stdin, and bounded
RUN_MAX_STEPS = 10_000_000
RUN_TIMEOUT_SECONDS = 10.0


def register(server: CraftLanguageServer, handler: Callable[..., Callable[[Handler], Handler]],
             off_loop: Callable[..., Any]) -> None:
    """Register the lens, the request and the commands on ``server``."""

    async def document(uri: Any) -> Document:
        """The open document, once the steps queued for it have run (a request sent
        right after didOpen sees it: the routes' wait reads only `text_document`)."""
        if isinstance(uri, str) and server.queue.busy(uri):
            await server.queue.settled(uri, DOCUMENT_WAIT_SECONDS)
        doc = server.document(uri) if isinstance(uri, str) else None
        if doc is None:
            raise JsonRpcException(f"not an open document: {uri!r}", code=REQUEST_FAILED)
        return doc

    @handler(lsp.TEXT_DOCUMENT_CODE_LENS, analysed=False)
    def code_lens(params: lsp.CodeLensParams) -> list[lsp.CodeLens] | None:
        doc = server.document(params.text_document.uri)
        return None if doc is None else lenses(doc)

    @handler(GENERATED_CODE, analysed=False)
    async def generated_code(params: Any) -> dict[str, Any]:
        uri = _field(_field(params, "textDocument"), "uri")
        doc = await document(uri)
        result: dict[str, Any] = await off_loop(
            lambda _: generated(doc, _field(params, "target") or "c"))
        return result

    @server.command(SHOW_GENERATED)
    async def show_generated(ls: object, *args: Any) -> dict[str, Any]:
        doc = await document(args[0] if args else None)
        result: dict[str, Any] = await off_loop(
            lambda _: generated(doc, args[1] if len(args) > 1 else "c"))
        return result

    @server.command(RUN)
    async def run(ls: object, *args: Any) -> dict[str, Any]:
        doc = await document(args[0] if args else None)
        target = args[1] if len(args) > 1 else "interp"
        result: dict[str, Any] = await off_loop(lambda _: run_document(doc, target))
        return result


def _field(params: Any, name: str) -> Any:
    if isinstance(params, dict):
        return params.get(name)
    return getattr(params, name, None)


def lenses(doc: Document) -> list[lsp.CodeLens]:
    """Above the first statement of the main program (the top when there is none)."""
    line = doc.line_index.position(main_start(doc.parsed))[0]
    at = lsp.Range(start=lsp.Position(line=line, character=0),
                   end=lsp.Position(line=line, character=0))
    uri = doc.uri
    return [lsp.CodeLens(range=at, command=lsp.Command(title="Run", command=RUN,
                                                       arguments=[uri])),
            lsp.CodeLens(range=at, command=lsp.Command(title="Show C", command=SHOW_GENERATED,
                                                       arguments=[uri, "c"])),
            lsp.CodeLens(range=at, command=lsp.Command(title="Show WebAssembly",
                                                       command=SHOW_GENERATED,
                                                       arguments=[uri, "wat"]))]


def _path(doc: Document) -> str:
    return str(path_of(doc.uri) or Path(doc.uri))


def generated(doc: Document, target: str) -> dict[str, Any]:
    """The generated code and its line map (0-based generated line -> 0-based source
    line), or RequestFailed naming what cannot be built, at its place."""
    # imported at the first use, on a worker thread: the code generators are a twelfth
    # of the server's start-up, and most sessions never run or show generated code
    from ..codegen.c_emit import generate_c
    from ..codegen.errors import BuildError
    from ..codegen.program import build_program
    from ..codegen.wasm_emit import generate_wat

    if target not in TARGETS:
        raise JsonRpcException(f"unknown target {target!r}; craftls generates: "
                               f"{', '.join(TARGETS)}", code=REQUEST_FAILED)
    try:
        program = build_program(doc.definition, doc.text, _path(doc), module_finder())
        code = generate_c(program) if target == "c" else generate_wat(program)
    except BuildError as exc:
        raise JsonRpcException(exc.format(_path(doc), doc.text),
                               code=REQUEST_FAILED) from None
    return {"target": target, "language": target, "text": code.text,
            "lineMap": [[g - 1, s - 1] for g, s in code.line_map]}


def run_document(doc: Document, target: str = "interp") -> dict[str, Any]:
    """Run the open text in the interpreter or compiled to WebAssembly (no stdin,
    bounded): its output and exit code."""
    from ..codegen.runner import interpret  # at the first use (see ``generated``)

    if target not in RUN_TARGETS:
        raise JsonRpcException(f"unknown run target {target!r}; craftls runs: "
                               f"{', '.join(RUN_TARGETS)}", code=REQUEST_FAILED)
    out, err = io.StringIO(), io.StringIO()
    code = interpret(doc.definition, doc.text, _path(doc), out, err, io.StringIO(),
                     RUN_MAX_STEPS, RUN_TIMEOUT_SECONDS, target=target, find=module_finder())
    return {"exitCode": code, "stdout": out.getvalue(), "stderr": err.getvalue()}
