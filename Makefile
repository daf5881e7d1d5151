PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint loadtest clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test,dev,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/craftls demo examples/

test: $(STAMP)
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
