# kcm: two commands matter. `make serve` builds and serves the site; `make test` runs every test.
# Both install what they need on first use (.venv from requirements.lock, node_modules from
# package-lock.json).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
NODE_STAMP := node_modules/.installed-stamp
RUBRICS := $(wildcard rubric/*.json)

.PHONY: all setup serve site test lint typecheck pytest test-pyodide test-js validate bench lock clean

all: site

$(STAMP): requirements.lock pyproject.toml
	@py=$$(build_tools/find-python.sh) && echo "Using $$py for $(VENV)" && \
	  { [ -x $(PY) ] || "$$py" -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(NODE_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(STAMP) $(NODE_STAMP)

validate: $(STAMP)
	$(VENV)/bin/kcm validate

site: setup
	$(PY) -m build_tools.site build --out site

serve: setup
	$(PY) -m build_tools.site serve --out site --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

TEST_DIRS := $(wildcard tests/core tests/site tests/e2e tests/pyodide)

# One cache for the five runs, inside .cache/ with the other build caches.
MYPY := $(VENV)/bin/mypy --cache-dir .cache/mypy

typecheck: $(STAMP)
	$(MYPY)
	@set -e; for d in $(TEST_DIRS); do echo "mypy $$d"; MYPYPATH=$$d $(MYPY) $$d; done

pytest: setup
	$(VENV)/bin/pytest

# Hypothesis examples per property test inside Pyodide, where a test needs twice to four times
# as long as on CPython; the CPython run of the same tests (pytest) keeps the full counts.
KCM_PYODIDE_MAX_EXAMPLES ?= 25

# The kcm_core tests (tests/core) inside Pyodide under Node, on the site's own engine.
test-pyodide: setup
	KCM_PYODIDE_MAX_EXAMPLES=$(KCM_PYODIDE_MAX_EXAMPLES) $(PY) -m tests.pyodide.pyodide_tests

# The checklist's storage and export logic (docs/assets/kcm/*.js) under Node's test runner.
test-js:
	node --test tests/js/

test: lint typecheck pytest test-pyodide test-js

bench: setup
	$(PY) -m bench

lock:
	@py=$$(build_tools/find-python.sh) && rm -rf .cache/lockvenv && "$$py" -m venv .cache/lockvenv
	.cache/lockvenv/bin/pip install --quiet -r requirements.in
	{ echo "# Exact pins for every Python tool; regenerate with 'make lock'."; .cache/lockvenv/bin/pip freeze; } > requirements.lock

clean:
	rm -rf site build dist .cache *.egg-info .pytest_cache .mypy_cache .ruff_cache
