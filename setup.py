"""Optional mypyc compilation of the core: the syntax layer (lexer, parser, tree), the
type layer (inference, checking, the type model), the name walk and its semantic model,
and the file's diagnostics.

Everything else is in pyproject.toml. The compiled modules are the same source as
the .py files, which stay the reference. Wheels (pip install ., pip wheel .) are
compiled; an editable install (pip install -e .) is not, unless CRAFTLS_MYPYC=1: its
.so files would sit next to the .py files and shadow every later edit of them until
the next build. CRAFTLS_MYPYC=0, or no mypy or no C compiler: pure Python.
"""

from __future__ import annotations

import os
import sys

from setuptools import setup
from setuptools.command.build_ext import build_ext

SYNTAX = ["tokens", "kinds", "tree", "grammar", "lexer", "parser", "parse", "incremental",
          "peg_tables", "peg", "extension"]
# What a whole-file check spends most of its time in after parsing (docs/performance.md).
# semantics/model.py: its weakly referenced classes (Scope, SemanticModel) stay Python
# classes inside the compiled module (mypyc_attr(native_class=False)), and ItemNames
# admits item_walks.ReplayedItem, an interpreted subclass. Not item_walks.py (its
# anchors are weakly referenced; its work is per item, not per name).
TYPES = ["model", "assignability", "names", "protocols", "infer", "check", "cache"]
SEMANTICS = ["model", "diagnostics", "resolve"]


class OptionalBuildExt(build_ext):
    """A failed compilation leaves the pure package: no half-built set of extensions
    (a per-module shim without the shared mypyc library would fail to import)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # no compiler, no Python headers, ...
            for ext in self.extensions:
                path = self.get_ext_fullpath(ext.name)
                if os.path.exists(path):
                    os.remove(path)
            print(f"craftls: mypyc build failed, installing pure Python ({error})",
                  file=sys.stderr)


def ext_modules() -> list:
    wanted = os.environ.get("CRAFTLS_MYPYC")
    if wanted == "0" or (wanted != "1" and "editable_wheel" in sys.argv):
        return []
    if not {"build", "build_ext", "bdist_wheel", "editable_wheel", "install"} & set(sys.argv):
        return []  # metadata steps (egg_info, dist_info): no type check of the sources
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    here = os.path.dirname(os.path.abspath(__file__))
    old = os.getcwd()
    os.chdir(os.path.join(here, "server"))  # module names from server/, like mypy_path
    try:
        return mypycify([f"craftls/syntax/{name}.py" for name in SYNTAX]
                        + [f"craftls/types/{name}.py" for name in TYPES]
                        + [f"craftls/semantics/{name}.py" for name in SEMANTICS], opt_level="3",
                        group_name="craftls_syntax",
                        target_dir=os.path.join(here, "build", "mypyc"))
    finally:
        os.chdir(old)


setup(ext_modules=ext_modules(), cmdclass={"build_ext": OptionalBuildExt})
