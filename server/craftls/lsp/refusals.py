"""A user's mistake is an answer, not a crash.

pygls turns any exception a handler raises into JSON-RPC -32603 (InternalError), unless
it is a ``JsonRpcException``, whose code it sends as is. ``RequestFailed`` (-32803, the
LSP code for "the request was valid but could not be done here") carries a sentence for
the user; the request accounting counts it as a refusal, never as an error, so a user
renaming a keyword neither fills the error statistics nor degrades health.
"""

from __future__ import annotations

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException


class RequestFailed(JsonRpcException):
    """The request cannot be done here; the message tells the user why."""

    CODE = int(lsp.LSPErrorCodes.RequestFailed)
    MESSAGE = "request failed"


