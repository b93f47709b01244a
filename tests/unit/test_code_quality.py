"""ruff (lint and format, ruff.toml) and mypy (mypy.ini) pass on the tree: run here, so inside `make test`.

A failure prints the tools' own output. `scripts/quality-fix.sh` applies what ruff can fix by itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    tool = BIN / command[0]
    argv = [str(tool), *command[1:]] if tool.exists() else [sys.executable, "-m", *command]
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env, check=False)


def _passes(done: subprocess.CompletedProcess[str], what: str) -> None:
    if done.returncode != 0:
        pytest.fail(
            f"{what} failed (scripts/quality-fix.sh fixes what it can):\n{done.stdout}{done.stderr}", pytrace=False
        )


def test_ruff_finds_nothing():
    _passes(_run("ruff", "check", "--no-fix", "--output-format", "concise", "."), "ruff check")


def test_the_code_is_formatted_as_ruff_formats_it():
    _passes(_run("ruff", "format", "--check", "."), "ruff format --check")


def test_mypy_finds_no_type_errors_in_recdraft():
    _passes(_run("mypy", "--config-file", "mypy.ini", "recdraft"), "mypy recdraft")
