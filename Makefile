# recdraft — two commands for a new user: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test install system-deps bench clean lock axe

# The virtual environment is rebuilt when pyproject.toml or the lock file changes. Every dependency (the
# app's and the tests') comes from requirements.lock, pinned with hashes; recdraft itself is added on top.
$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

## run: install, create the SQLite database, load the demo roundtable (first start only) and start the app
run: $(STAMP)
	$(BIN)/recdraft demo
	@echo "Open http://localhost:$(PORT) in your browser (Ctrl+C stops the app)."
	RECDRAFT_DEMO=1 $(BIN)/streamlit run streamlit_app.py --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

## system-deps: the Debian packages the tests need (installed when root and missing)
system-deps:
	@bash scripts/system-deps.sh

## axe: axe-core (npm, pinned in tests/e2e/axe/package-lock.json) for the browser tests' accessibility checks
AXE := tests/e2e/axe/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/axe/package.json tests/e2e/axe/package-lock.json
	cd tests/e2e/axe && npm ci --silent --no-audit --no-fund
	@touch $(AXE)

axe: $(AXE)

## test: install what the tests need and run all of them
test: $(STAMP) system-deps $(AXE)
	$(BIN)/python -m pytest

## lock: re-resolve requirements.lock (hashes) after a dependency changes in pyproject.toml (uses uv, in /tmp)
lock:
	@test -x /tmp/recdraft-lock/bin/uv || { $(PYTHON) -m venv /tmp/recdraft-lock && /tmp/recdraft-lock/bin/pip install --quiet uv; }
	/tmp/recdraft-lock/bin/uv pip compile pyproject.toml --extra test --generate-hashes --universal \
		--python-version 3.11 --custom-compile-command "make lock" --quiet -o requirements.lock

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info
