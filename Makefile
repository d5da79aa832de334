# Two commands on a fresh machine:
#   make example   run medtrace on the bundled example project
#   make test      lint, type-check, run the whole test suite and check medtrace itself
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXAMPLE := examples/bolus-advisor

.PHONY: example example-results test lint typecheck pytest dogfood bench clean chromium fuzz hostile-full

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The example's own test suites (pytest, jest, CTest) really run and write JUnit XML that
# medtrace then traces to the requirements.
example-results: $(STAMP)
	$(MAKE) -C $(EXAMPLE) results PYTHON=$(abspath $(BIN))/python

example: example-results
	$(BIN)/medtrace -C $(EXAMPLE) check
	$(BIN)/medtrace -C $(EXAMPLE) matrix --format html -o $(EXAMPLE)/build/matrix.html --force
	@echo "traceability matrix: $(EXAMPLE)/build/matrix.html"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# The browser tests need Chromium: CI (as root) installs Debian's package; elsewhere they skip.
chromium:
	@if [ "$$CI" = "true" ] && [ "$$(id -u)" = 0 ] && ! command -v chromium >/dev/null; then \
		apt-get update -qq && apt-get install -y -qq chromium; fi

# medtrace's own results (with the @pytest.mark.verifies IDs as properties) feed the dogfood check.
pytest: $(STAMP) chromium
	$(BIN)/pytest --junitxml=.medtrace/results/pytest.xml

dogfood: $(STAMP)
	$(BIN)/medtrace check
	$(BIN)/medtrace -C $(EXAMPLE) check

test: lint typecheck example-results pytest dogfood

bench: $(STAMP)
	$(BIN)/python bench/run.py

# On demand: long property-based fuzzing (FUZZ_MINUTES per parser) and the full-size hostile corpus.
FUZZ_MINUTES ?= 10
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py --minutes $(FUZZ_MINUTES)

hostile-full: $(STAMP)
	MEDTRACE_HOSTILE=full $(BIN)/pytest tests/hostile -q

clean:
	rm -rf $(VENV) .medtrace .pytest_cache .mypy_cache .ruff_cache
