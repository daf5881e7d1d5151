PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the editor tests' tools: Emacs + eglot (Debian), the Neovim wheel, the extension's npm packages
EDITORS_STAMP := $(VENV)/.editors-installed

COMPILED := .build/compiled
# every source the compiled copy is made of: an edit anywhere makes it stale
CRAFTLS_SOURCES := $(shell find server/craftls -name '*.py' -o -name '*.yaml' -o -name '*.json') setup.py pyproject.toml

.PHONY: run test bench lint check loadtest clean compiled bench-check coverage

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test,dev,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/craftls demo examples/

$(EDITORS_STAMP): $(STAMP) .ci/install-editors.sh editors/vscode/package-lock.json
	bash .ci/install-editors.sh
	touch $(EDITORS_STAMP)

# the syntax layer compiled with mypyc, in its own folder (see .ci/build-compiled.sh)
$(COMPILED)/.attempted: $(STAMP) $(CRAFTLS_SOURCES) .ci/build-compiled.sh
	bash .ci/build-compiled.sh
	mkdir -p $(COMPILED) && touch $@

compiled: $(COMPILED)/.attempted

# the whole suite on the editable (pure Python) install, then the core and type tests on
# the compiled build, when this machine could build it. Both in parallel (pytest-xdist):
# one worker per core, each test to whichever worker is free, but the tests of a module
# that shares a fixture per module (a server, the module's event loop) on one worker
# (--dist loadgroup, groups marked in tests/conftest.py): a long module is spread over
# both workers instead of making the run's tail; much of a protocol test is waiting on
# its server.
# PYTEST_WORKERS=0 runs them in this process.
PYTEST_WORKERS ?= auto
PARALLEL := -n $(PYTEST_WORKERS) --dist loadgroup
test: $(STAMP) $(EDITORS_STAMP) compiled
	$(BIN)/python -m pytest $(PARALLEL) tests
	if [ -f $(COMPILED)/.built ]; then \
		CRAFTLS_EXPECT_BUILD=compiled PYTHONPATH=$(COMPILED) $(BIN)/python -m pytest $(PARALLEL) -q tests/core tests/types; fi

# the parser benchmark on pure Python first, then everything on the compiled build
bench: $(STAMP) compiled
	$(BIN)/python -m benchmarks.bench_parse
	if [ -f $(COMPILED)/.built ]; then export PYTHONPATH=$(COMPILED); fi; \
		$(BIN)/python -m benchmarks.run_all

# the parser and wire benchmarks against benchmarks/baseline.json: fails when a same-run
# ratio (to tree-sitter, to the do-nothing pygls server) is >25% worse; UPDATE=1 records it
bench-check: $(STAMP) compiled
	if [ -f $(COMPILED)/.built ]; then export PYTHONPATH=$(COMPILED); fi; \
		$(BIN)/python -m benchmarks.check $(if $(UPDATE),--update,)

loadtest: $(STAMP)
	$(BIN)/python -m benchmarks.loadtest --seconds $${LOADTEST_SECONDS:-30}

# how much of a corpus of real programs a definition parses (docs/coverage.md):
#   make coverage CORPUS=/work/corpus/lua LANGUAGE=lua
coverage: $(STAMP)
	@test -n "$(CORPUS)" -a -n "$(LANGUAGE)" || { echo "usage: make coverage CORPUS=folder LANGUAGE=id-or-yaml"; exit 2; }
	$(BIN)/python -m benchmarks.coverage "$(CORPUS)" --language "$(LANGUAGE)" $(COVERAGE_ARGS)

# mypy checks server/craftls (strict) and tests/ (strict but for three checks): pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check server tests benchmarks setup.py
	$(BIN)/mypy

# the edit-test loop: lint, then every test that neither starts a server process nor
# drives an editor (markers applied by folder in tests/conftest.py); needs no root
check: lint
	$(BIN)/python -m pytest $(PARALLEL) -q -x -m "not protocol and not editors"

clean:
	rm -rf $(VENV) build .build *.egg-info server/*.egg-info
