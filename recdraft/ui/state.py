"""What the pages share: the database handle (cached across reruns, thread-safe) and the answers of one run.

The router wraps each run in ``page_run()``; within it ``cached(key, compute)`` computes an answer once (the
signed-in person, their roundtables, the language), so the router and the page ask the server once per
run. Outside a run (a page run on its own) every call computes afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

import streamlit as st

from recdraft import config
from recdraft.db.engine import Database

T = TypeVar("T")

# The answers of this run (user, roundtables, language); set by the router around the page, None otherwise.
_RUN: ContextVar[dict[str, Any] | None] = ContextVar("recdraft_run", default=None)
_UNSET = object()


@st.cache_resource
def database() -> Database:
    """One engine per process; Sessions and ORM rows are never cached."""
    return Database(config.database_url())


@contextmanager
def page_run() -> Iterator[None]:
    """Share the user, roundtables and language between the router and the page during one run."""
    marker = _RUN.set({})
    try:
        yield
    finally:
        _RUN.reset(marker)


def cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per run (every time outside a run)."""
    memo = _RUN.get()
    if memo is None:
        return compute()
    value = memo.get(key, _UNSET)
    if value is _UNSET:
        value = compute()
        memo[key] = value
    return value


def forget(*keys: str) -> None:
    """Forget some of this run's answers; with no keys, all of them."""
    memo = _RUN.get()
    if memo is None:
        return
    if not keys:
        memo.clear()
    for key in keys:
        memo.pop(key, None)
