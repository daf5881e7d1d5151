"""The ``craftls.install`` command; the package service itself is ``lsp/packages.py``
(the registry stack is imported when the command first runs)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..commands import INSTALL_PACKAGES
from ..routes import command

if TYPE_CHECKING:
    from ..server import CraftLanguageServer


@command(INSTALL_PACKAGES)
async def install_packages(server: CraftLanguageServer, *args: object) -> dict[str, Any]:
    from .. import packages
    return await packages.install_command(server, args)
