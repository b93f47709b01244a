"""The draft-law import bench still runs (its figures are read by people, never asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_law_import_bench_prints_its_ratio():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "import_law.py"), "--pages", "5", "--runs", "1"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "(goal <= 3)" in done.stdout and "carry_over" in done.stdout
