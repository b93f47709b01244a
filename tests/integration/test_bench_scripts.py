"""The benchmark scripts still run (not their speed: ratios are read by people, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _bench(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
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
    out = _bench(
        "votes.py",
        "--sqlite-threads",
        "4",
        "--pg-threads",
        "4",
        "--pg-pool",
        "2",
        "--items",
        "2",
        "--repeat",
        "1",
        "--pgbench-clients",
        "4",
        "--limit-seconds",
        "1",
    )
    assert [line.split()[0] for line in out.splitlines() if "lost 0  duplicated 0  uncounted 0  errors 0" in line] == [
        "SQLite",
        "PostgreSQL",
    ]


def test_the_pages_bench_prints_paired_ratios_for_the_detail_and_results_pages():
    out = _bench("pages.py", "--sizes", "50", "--repeat", "1")
    for page in ("detail expert", "detail moderator", "results expert"):
        assert any(line.strip().startswith(page) and "ratio" in line and "spread" in line for line in out.splitlines())
    assert "goal <= 5 at 500" in out and "goal <= 10 at 500" in out


def test_the_memory_bench_prints_the_extra_memory_of_a_signed_in_session():
    out = _bench("memory.py", "--sessions", "2")
    lines = [line for line in out.splitlines() if "extra per signed-in" in line]
    assert len(lines) == 2 and all("(goal <= 1 MiB)" in line for line in lines), out
