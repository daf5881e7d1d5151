"""Each test run checks which build of the syntax layer it is testing.

`make test` runs the whole suite on the editable install (pure Python), then the core
and type tests again on the mypyc-compiled build in `.build/compiled`, with
CRAFTLS_EXPECT_BUILD=compiled. A stray compiled module next to the sources would
shadow every later edit of them; a failed compilation would leave the compiled run
testing pure Python. Either fails here."""

from __future__ import annotations

import os
import subprocess
import sys

from craftls.syntax.build import syntax_build


def test_the_syntax_layer_is_the_build_this_run_expects() -> None:
    assert syntax_build() == os.environ.get("CRAFTLS_EXPECT_BUILD", "pure")


def test_version_names_the_syntax_build() -> None:
    result = subprocess.run([sys.executable, "-m", "craftls", "--version"],
                            capture_output=True, text=True, check=True)
    assert f"(syntax layer: {syntax_build()})" in result.stdout
