#!/usr/bin/env bash
# Apply ruff's automatic fixes and its formatting to the whole tree (ruff.toml), then show what is left:
# the findings ruff cannot fix and mypy's errors (mypy.ini), which tests/unit/test_code_quality.py fails on.
# Usage: scripts/quality-fix.sh   (from anywhere; uses the project's .venv)
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
"$BIN/ruff" check --fix --quiet . || true
"$BIN/ruff" format --quiet .
# Formatting can make an import block unsorted again, and fixes can leave lines to format: once more.
"$BIN/ruff" check --fix --quiet . || true
"$BIN/ruff" format --quiet .
status=0
echo "== ruff check (what needs a hand)"
"$BIN/ruff" check . || status=1
echo "== ruff format --check"
"$BIN/ruff" format --check . || status=1
echo "== mypy"
"$BIN/mypy" || status=1
exit $status
