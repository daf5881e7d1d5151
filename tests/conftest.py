"""Session-wide setup: the tests never touch the real user cache or log folders, the
example workspace's packages are installed (offline, from the bundled registry) once, and
each test folder's marker (`protocol`, `editors`) is applied to its tests."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
# `make test` and CI run the property tests on the examples a fixed seed draws, so a run
# is reproducible and a red one says what broke, not which examples were drawn;
# exploring with new examples is `HYPOTHESIS_PROFILE=explore make test` (or
# `--hypothesis-seed N`), and a failure found so becomes an `@example`.
settings.register_profile("reproducible", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))
# the markers registered in pyproject.toml, by the folder whose tests they mark
FOLDER_MARKERS = {"lsp": "protocol", "editors": "editors"}
_SANDBOX = Path(tempfile.mkdtemp(prefix="craftls-tests-"))
# A pytest-xdist worker inherits the folders its controller chose (the controller loads
# this file too): each worker takes its own, or two workers installing the example
# packages into one cache at once read each other's half-written files.
_choose = os.environ.__setitem__ if os.environ.get("PYTEST_XDIST_WORKER") \
    else os.environ.setdefault
_choose("CRAFTLS_CACHE_DIR", str(_SANDBOX / "cache"))
_choose("CRAFTLS_LOG_DIR", str(_SANDBOX / "log"))
_choose("CRAFTLS_CONFIG_DIR", str(_SANDBOX / "config"))
# The `craftls` processes the tests start (about a hundred servers, the CLI runs, the
# editors' servers) share one bytecode cache in the sandbox. Where the environment sets
# PYTHONDONTWRITEBYTECODE (the development machines do) each of them otherwise compiled
# every module of ours from source: about a third of a server's start-up CPU. The prefix
# keeps the cache out of the source tree.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
os.environ.setdefault("PYTHONPYCACHEPREFIX", str(_SANDBOX / "pycache"))


def _serve_bundled_through(engine: str) -> None:
    """``CRAFTLS_TEST_ENGINE=template pytest tests/core/...``: every bundled keyword-level
    definition the tests load (in this process) is served through ``engine`` whatever its
    file chooses. A measuring aid for moving the bundled languages to one engine: what
    fails so is what the move still has to answer (``make test`` never sets it)."""
    import re

    from craftls.language import loader
    from craftls.language.catalog import BUNDLED_DIR

    original = loader.load_definition

    def load(path: str | Path) -> object:
        file = Path(path)
        text = file.read_text(encoding="utf-8") if file.parent == BUNDLED_DIR else ""
        if not re.search(r"(?m)^  block_style:", text) or re.search(r"(?m)^grammar:", text):
            return original(path)
        text = re.sub(r"(?m)^  engine: .*\n", "", text)
        text = re.sub(r"(?m)^structure:\n", f"structure:\n  engine: {engine}\n", text, count=1)
        definition, problems = loader.load_definition_text(text, str(file))
        assert definition is not None, problems
        return definition

    loader.load_definition = load  # type: ignore[assignment]


if os.environ.get("CRAFTLS_TEST_ENGINE"):
    _serve_bundled_through(os.environ["CRAFTLS_TEST_ENGINE"])


@pytest.fixture(scope="session", autouse=True)
def example_packages_installed() -> None:
    result = subprocess.run([sys.executable, "-m", "craftls", "install", "--offline",
                             "--workspace", str(ROOT / "examples")],
                            capture_output=True, text=True, env=os.environ.copy())
    assert result.returncode == 0, result.stdout + result.stderr


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        path = Path(item.path).resolve()
        if tests in path.parents:
            marker = FOLDER_MARKERS.get(path.relative_to(tests).parts[0])
            if marker is not None:
                item.add_marker(marker)
        if _shares_with_its_module(item):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))


def _shares_with_its_module(item: pytest.Item) -> bool:
    """Whether the test uses a fixture made once per module or class (a shared server,
    the module's event loop). ``make test`` runs ``--dist loadgroup``: such a module's
    tests stay on one worker (its group), so the fixture is made once; every other test
    goes to whichever worker is free, so a long module no longer makes the run's tail."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(definition.scope in ("module", "class", "package")
               for definitions in info.name2fixturedefs.values()
               for definition in definitions)
