# Two commands on a fresh machine:
#   make example   run medtrace on the bundled example project
#   make test      lint, type-check, run the whole test suite and check medtrace itself
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXAMPLE := examples/bolus-advisor

.PHONY: example test lint typecheck pytest dogfood bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

example: $(STAMP)
	$(BIN)/medtrace -C $(EXAMPLE) check

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

dogfood: $(STAMP)
	$(BIN)/medtrace check

test: lint typecheck pytest dogfood

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .medtrace .pytest_cache .mypy_cache .ruff_cache
