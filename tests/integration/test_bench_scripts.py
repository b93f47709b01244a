"""The benchmark scripts still run (not their speed: ratios are read by people, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_ui_bench_prints_its_ratios():
    out = _bench("ui.py", "--repeat", "1", "--no-browser")
    assert "AppTest render" in out and "(goal <= 3)" in out and "static/bare" in out


def test_the_export_bench_prints_its_ratios():
    out = _bench("export.py", "--runs", "1", "--recommendations", "5")
    assert "goal" in out


@pytest.mark.usefixtures("pg_url")
def test_the_voting_bench_counts_every_vote_once():
    out = _bench("votes.py", "--sqlite-threads", "4", "--pg-threads", "4", "--pg-pool", "2", "--items", "2",
                 "--repeat", "1")
    assert [line.split()[0] for line in out.splitlines() if "lost 0  duplicated 0  uncounted 0  errors 0" in line] == [
        "SQLite", "PostgreSQL"]
