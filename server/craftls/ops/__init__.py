"""Operations core: settings, health, latency, errors, audit log, shutdown, warm state.

Architecture invariant: nothing under `craftls.ops` imports pygls or lsprotocol.
The `lsp` layer wires these plain objects to requests and notifications.
"""
