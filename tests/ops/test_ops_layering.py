"""Architecture invariant: the ops core never imports pygls or lsprotocol."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import craftls.ops


def test_ops_does_not_import_lsp_libraries() -> None:
    modules = [f"craftls.ops.{m.name}" for m in pkgutil.iter_modules(craftls.ops.__path__)]
    modules.append("craftls.cli.ops_cmd")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(modules) >= 10
