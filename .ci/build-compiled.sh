#!/usr/bin/env bash
# Build craftls with its syntax layer compiled by mypyc (what `pip install .` gives where a
# C compiler exists) into .build/compiled, apart from the editable install, whose pure
# modules stay the ones you edit. `make test` tests it and `make bench` measures it.
# Without a C compiler the build falls back to pure Python: then this says so and removes
# the folder (exit 0), unless CRAFTLS_REQUIRE_COMPILED is set (CI), where it fails.
set -euo pipefail
cd "$(dirname "$0")/.."
target=.build/compiled
rm -rf "$target"
# setuptools builds in ./build and copies every extension it finds there: a module
# compiled by an earlier build and since dropped from the list would come back stale
rm -rf build
CRAFTLS_MYPYC=1 .venv/bin/python -m pip install -q --no-deps --target "$target" . || true
if build=$(PYTHONPATH="$target" .venv/bin/python -c \
        'from craftls.syntax.build import syntax_build; print(syntax_build())' 2>/dev/null) \
        && [ "$build" = compiled ]; then
    touch "$target/.built"
    exit 0
fi
rm -rf "$target"
if [ -n "${CRAFTLS_REQUIRE_COMPILED:-}" ]; then
    echo "craftls: the mypyc build of the syntax layer failed" >&2
    exit 1
fi
echo "craftls: no compiled syntax layer (no C compiler or Python headers?): pure Python only" >&2
