"""How handlers are declared and installed on a server.

Handler modules (``lsp/handlers/``) declare their functions with ``request``,
``notification`` or ``command``; nothing is bound to a server at import time.
``install`` registers them on one server (``create_server`` calls it), so tests build as
many fresh servers as they like. A handler receives that server first, then the params
(a command: its arguments).

A ``request`` is wrapped: it waits until its document has settled (queued didOpen or
didChange steps done, and the snapshot's analysis computed off the loop), then runs with
timing and error accounting around its work, not around the wait. ``document_at`` is
the one way a handler gets its snapshot and position.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from ..features.documents import Document
from . import from_proto
from .refusals import RequestFailed

if TYPE_CHECKING:
    from .server import CraftLanguageServer

log = logging.getLogger("craftls")
F = TypeVar("F", bound=Callable[..., Any])
# how long a request for a document still being opened (or re-parsed) waits for it
# before it is answered from what there is (a 2 MB file parses in a few seconds)
DOCUMENT_WAIT_SECONDS = 20.0


@dataclass(frozen=True)
class Route:
    method: str
    fn: Callable[..., Any]
    options: Any = None
    kind: str = "request"  # request | notification | command
    accounted: bool = True
    analysed: bool = True


ROUTES: list[Route] = []


def request(method: str, options: Any = None, accounted: bool = True,
            analysed: bool = True) -> Callable[[F], F]:
    """A feature about a document (or the workspace), run once its document has
    settled. ``accounted=False`` keeps it out of the latency statistics;
    ``analysed=False`` is for a feature that reads only the syntax tree (formatting),
    which then does not wait for the snapshot's analysis."""
    def decorate(fn: F) -> F:
        ROUTES.append(Route(method, fn, options, "request", accounted, analysed))
        return fn
    return decorate


def notification(method: str, options: Any = None) -> Callable[[F], F]:
    """Registered as it is (lifecycle requests too): it does its own scheduling."""
    def decorate(fn: F) -> F:
        ROUTES.append(Route(method, fn, options, "notification"))
        return fn
    return decorate


def command(name: str) -> Callable[[F], F]:
    """A ``workspace/executeCommand`` command: called with the server and the arguments."""
    def decorate(fn: F) -> F:
        ROUTES.append(Route(name, fn, kind="command"))
        return fn
    return decorate


def install(server: CraftLanguageServer, routes: list[Route]) -> None:
    for route in routes:
        # options made when the server is (completion's trigger characters come from the
        # bundled definitions: not read when the module is imported)
        options = route.options() if callable(route.options) else route.options
        if route.kind == "request":
            handler_for(server)(route.method, options, route.accounted,
                                route.analysed)(functools.partial(route.fn, server))
        elif route.kind == "notification":
            _register(server, route.method, options, _bound(server, route.fn))
        else:
            server.command(route.method)(_bound_command(server, route.fn))


def _register(server: CraftLanguageServer, method: str, options: Any,
              fn: Callable[..., Any]) -> None:
    if options is not None:
        server.feature(method, options)(fn)
    else:
        server.feature(method)(fn)


def _bound(server: CraftLanguageServer, fn: Callable[..., Any]) -> Callable[[Any], Any]:
    """``fn`` with the server bound, a coroutine function when ``fn`` is one (pygls
    schedules by that)."""
    if asyncio.iscoroutinefunction(fn):
        async def run_async(params: Any) -> Any:
            return await fn(server, params)
        return functools.wraps(fn)(run_async)

    def run(params: Any) -> Any:
        return fn(server, params)
    return functools.wraps(fn)(run)


def _bound_command(server: CraftLanguageServer, fn: Callable[..., Any]
                   ) -> Callable[..., Any]:
    # pygls passes the server first to a function whose first parameter is named `ls`
    if asyncio.iscoroutinefunction(fn):
        async def run_async(ls: object, *args: Any) -> Any:
            return await fn(server, *args)
        return run_async

    def run(ls: object, *args: Any) -> Any:
        return fn(server, *args)
    return run


def handler_for(server: CraftLanguageServer) -> Callable[..., Callable[[F], F]]:
    """The decorator that registers a request on ``server`` with the document wait and
    the accounting (what ``lsp/codegen.py`` registers with): the decorated function
    takes the params only. The registered function is a coroutine (pygls cancels it on
    ``$/cancelRequest``); with nothing to wait for, a plain feature runs in the task's
    first step, before pygls reads the next message, as if it were called directly."""
    def handler(method: str, options: Any = None, accounted: bool = True,
                analysed: bool = True) -> Callable[[F], F]:
        def decorate(fn: F) -> F:
            async def wrapped(params: Any) -> Any:
                await document_settled(server, params, analysed)
                with accounting(server, method) if accounted else contextlib.nullcontext():
                    result = fn(params)
                    return await result if asyncio.iscoroutine(result) else result
            _register(server, method, options, wrapped)
            return fn
        return decorate
    return handler


@contextlib.contextmanager
def accounting(server: CraftLanguageServer, method: str) -> Iterator[None]:
    """Timing, error statistics and the idle-GC clock around one request. A refusal
    (``RequestFailed``) is timed as an answer and counted apart, never as an error."""
    started = time.perf_counter()
    error: BaseException | None = None
    try:
        yield
    except RequestFailed as exc:
        server.ops.request_refused(method, exc)
        raise
    except Exception as exc:
        error = exc
        log.exception("handler %s failed", method)
        raise
    finally:
        server.idle_gc.touch()
        server.ops.request_finished(method, time.perf_counter() - started, error)


async def document_settled(server: CraftLanguageServer, params: Any,
                           analysed: bool = True) -> None:
    """A request about a document that is still being opened or changed off the loop
    waits for it (bounded), so it sees the text the client last sent; then for the
    snapshot's analysis, computed on a worker thread if nothing has computed it yet
    (the first analysis of a 10,000-line file takes a few hundred ms: not on the loop)."""
    uri = getattr(getattr(params, "text_document", None), "uri", None)
    if not isinstance(uri, str):
        return
    waited = server.queue.busy(uri)
    if waited and not await server.queue.settled(uri, DOCUMENT_WAIT_SECONDS):
        log.warning("%s is still being opened; answering from what there is", uri)
    doc = server.document(uri)
    if analysed and doc is not None and doc.cached_analysis() is None:
        await asyncio.get_running_loop().run_in_executor(None, doc.analysis)


def document_at(server: CraftLanguageServer, params: Any) -> tuple[Document, int] | None:
    """The request's document snapshot and, when the params carry a position, its
    code-point offset (0 otherwise); None when the document is not open."""
    doc = server.document(params.text_document.uri)
    if doc is None:
        return None
    position = getattr(params, "position", None)
    off = from_proto.offset(doc.line_index, position, server.encoding) \
        if position is not None else 0
    return doc, off
