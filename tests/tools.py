"""Skip-or-fail for tests that need an outside program; running a coroutine beside the browser tests.

Locally (no root, tool missing) a test is skipped with one line naming the Debian package.
Under ``CI=true`` a missing tool is a failure: ``make test`` installs it, so absence is a bug.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import shutil
from collections.abc import Coroutine
from typing import Any

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


def run_coroutine(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coroutine`` (an ASGI route handler or app call) on its own loop in a worker thread: the browser
    tests' sync Playwright keeps an event loop registered on the main thread for the whole session, where
    ``asyncio.run()`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
