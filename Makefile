# Two commands on a fresh machine:
#   make example   run medtrace on the bundled example project
#   make test      lint, type-check, run the whole test suite and check medtrace itself
#
# Prerequisites (each is checked before it is needed, with the way to install it):
#   Python 3.11+ with venv (Debian/Ubuntu: apt-get install python3-venv), make;
#   for the example's suites: Node.js 20+ with npm, CMake 3.21+ and a C compiler (GCC, with
#   gcov, for the example's coverage and static analysis).
#   Graphviz for the SVG architecture diagrams (apt-get install graphviz; CI installs it).
# Set-up and the installed-wheel test download packages from the package index (or pip's cache).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXAMPLE := examples/bolus-advisor
# The oldest Python 3.11 of the machine (Debian 12: 3.11.2) gets its own environment.
OLDEST_VENV := .venv-oldest
OLDEST_STAMP := $(OLDEST_VENV)/.installed-stamp
FIND_OLDEST := tests/install/oldest_python.py

.PHONY: example example-results example-prereqs example-story test lint typecheck pytest install-test \
	oldest-python dogfood bench clean diagram-tools fuzz hostile-full

# $(call need-python,PYTHON): fail with a hint unless PYTHON is a Python 3.11+ that can create
# virtual environments. Debian and Ubuntu ship venv's pip in a separate package: CI (CI=true,
# running as root) installs it; anywhere else the hint says how.
define need-python
@command -v $(1) >/dev/null 2>&1 || { echo "error: $(1) not found: install Python 3.11+ (Debian/Ubuntu: apt-get install python3 python3-venv)" >&2; exit 1; }
@$(1) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: $(1) is Python $$($(1) -c 'import platform; print(platform.python_version())'); medtrace needs 3.11+ (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
@$(1) -c 'import ensurepip, venv' 2>/dev/null || { \
  pkg="python$$($(1) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv"; \
  if [ "$${CI:-}" = true ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
    echo "CI: installing $$pkg (venv for $(1))"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkg python3-venv >/dev/null || exit 1; \
  else \
    echo "error: $(1) cannot create virtual environments: install python3-venv (Debian/Ubuntu: apt-get install python3-venv $$pkg)" >&2; exit 1; \
  fi; }
endef

# The architecture diagrams' tools: Graphviz (`dot`, SVG diagrams) and Chromium (screenshots of
# them). CI (CI=true, running as root) installs what is missing with apt; anywhere else a missing
# Graphviz stops with the way to install it, a missing Chromium is a note (its tests skip).
diagram-tools:
	@missing=""; command -v dot >/dev/null 2>&1 || missing="graphviz"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ] && [ "$${CI:-}" = true ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "CI: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi
	$(call need-tool,dot,install Graphviz (Debian/Ubuntu: apt-get install graphviz))
	@command -v chromium >/dev/null 2>&1 || echo "note: chromium not found: the diagram screenshots are skipped (Debian: apt-get install chromium)"

# $(call need-tool,COMMAND,HINT): fail with HINT when COMMAND is not on the PATH.
define need-tool
@command -v $(1) >/dev/null 2>&1 || { echo "error: $(1) not found: $(2)" >&2; exit 1; }
endef

$(STAMP): pyproject.toml
	$(call need-python,$(PYTHON))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# The tools the example's suites need, checked before they run.
example-prereqs:
	$(call need-tool,node,install Node.js 20+ with npm (Debian 13: apt-get install nodejs npm; Debian 12 and Ubuntu 24.04 ship Node.js 18: use https://nodejs.org))
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || { echo "error: node $$(node --version) is too old: install Node.js 20+ (Debian 13: apt-get install nodejs npm; else https://nodejs.org)" >&2; exit 1; }
	$(call need-tool,npm,install npm with Node.js 20+ (Debian: apt-get install npm))
	$(call need-tool,cmake,install CMake 3.21+ (Debian: apt-get install cmake))
	$(call need-tool,ctest,install CMake 3.21+; ctest comes with it (Debian: apt-get install cmake))
	$(call need-tool,cc,install a C compiler (Debian: apt-get install gcc, or build-essential))
	$(call need-tool,gcc,install GCC for the example's coverage and static analysis (Debian: apt-get install gcc))
	$(call need-tool,gcov,install gcov for the example's coverage; it comes with GCC (Debian: apt-get install gcc))

# The example's own test suites (pytest, jest, CTest) really run and write JUnit XML that
# medtrace then traces to the requirements, then their coverage (coverage.py, jest, gcc with
# gcovr) and static analysis (ruff, gcc -fanalyzer), which medtrace reads as evidence.
example-results: $(STAMP) example-prereqs
	$(MAKE) -C $(EXAMPLE) results PYTHON=$(abspath $(BIN))/python

example: example-results
	$(BIN)/medtrace -C $(EXAMPLE) check
	$(BIN)/medtrace -C $(EXAMPLE) matrix --format html -o $(EXAMPLE)/build/matrix.html --force
	$(BIN)/medtrace -C $(EXAMPLE) evidence --format markdown -o $(EXAMPLE)/build/evidence.md --force
	$(BIN)/medtrace -C $(EXAMPLE) build -o $(EXAMPLE)/build/site
	@echo "documentation set: open file://$(abspath $(EXAMPLE))/build/site/index.html"
	@echo "traceability matrix: $(EXAMPLE)/build/matrix.html"
	@echo "coverage and static analysis per software item: $(EXAMPLE)/build/evidence.md"

# The example's change story: in build/story, a git repository of the example with the release
# v1.0.0 (medtrace release) and then a change to the risk control requirement SRS-6; the diff
# between them is in build/story/build/story-out/.
example-story: example-results
	rm -rf build/story
	$(BIN)/python tests/story/build_story.py build/story --medtrace "$(abspath $(BIN))/medtrace"

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# medtrace's own results (with the @pytest.mark.verifies IDs as properties) feed the dogfood check.
pytest: $(STAMP) diagram-tools
	$(BIN)/pytest --ignore=tests/install --junitxml=.medtrace/results/pytest.xml

# The installed artefact: the wheel built from the clean tree, installed (not editable) in a fresh
# virtualenv outside the repository, then used on a tiny project; with $(PYTHON) and with the
# oldest Python 3.11 of the machine.
# EXTRA_PYTHONS adds interpreters (separated by ':'), e.g. EXTRA_PYTHONS=python3.12:python3.13.
EXTRA_PYTHONS ?=
install-test: $(STAMP)
	@oldest="$$($(BIN)/python $(FIND_OLDEST))"; \
	pythons="$$(command -v $(PYTHON))$${oldest:+:$$oldest}$(if $(EXTRA_PYTHONS),:$(EXTRA_PYTHONS))"; \
	echo "installed-wheel test with: $$pythons"; \
	MEDTRACE_INSTALL_PYTHONS="$$pythons" $(BIN)/pytest tests/install \
	  --junitxml=.medtrace/results/install.xml

# The scanner's tests on the oldest Python 3.11 of the machine (its standard library differs:
# Debian 12's 3.11.2 matches some regular expressions differently). Skipped, with a note, only
# when the machine has no Python 3.11 at all.
oldest-python: $(STAMP)
	@oldest="$$($(BIN)/python $(FIND_OLDEST))" || { \
	  echo "note: no Python 3.11 on this machine: the oldest-Python run is skipped"; exit 0; }; \
	$(MAKE) --no-print-directory $(OLDEST_STAMP) OLDEST="$$oldest" && \
	echo "scanner tests on $$($(OLDEST_VENV)/bin/python --version) ($$oldest)" && \
	$(OLDEST_VENV)/bin/pytest tests/scanning -q -p no:cacheprovider

$(OLDEST_STAMP): pyproject.toml
	$(call need-python,$(OLDEST))
	rm -rf $(OLDEST_VENV)
	$(OLDEST) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet -e ".[dev]"
	echo "$(OLDEST)" > $(OLDEST_STAMP)

dogfood: $(STAMP)
	$(BIN)/medtrace check
	$(BIN)/medtrace -C $(EXAMPLE) check

test: lint typecheck example-results pytest install-test dogfood oldest-python

bench: $(STAMP)
	$(BIN)/python bench/run.py

# On demand: long property-based fuzzing (FUZZ_MINUTES per parser) and the full-size hostile corpus.
FUZZ_MINUTES ?= 10
fuzz: $(STAMP)
	$(BIN)/python bench/fuzz.py --minutes $(FUZZ_MINUTES)

hostile-full: $(STAMP)
	MEDTRACE_HOSTILE=full $(BIN)/pytest tests/hostile -q

clean:
	rm -rf $(VENV) $(OLDEST_VENV) .medtrace .pytest_cache .mypy_cache .ruff_cache
