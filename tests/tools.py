"""Skip-or-fail for tests that need an outside program.

Locally (no root, tool missing) a test is skipped with one line naming the Debian package.
Under ``CI=true`` a missing tool is a failure: ``make test`` installs it, so absence is a bug.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require_tool(command: str, *, package: str) -> str:
    """Return the path of ``command`` or skip (fail under CI) naming the package that provides it."""
    path = shutil.which(command)
    if path:
        return path
    message = f"'{command}' not found: install the Debian package '{package}' (make test does this as root)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)
