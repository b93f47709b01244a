"""Configuration from the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_SQLITE_PATH = Path("data") / "recdraft.sqlite3"


def database_url() -> str:
    """``RECDRAFT_DATABASE_URL`` or a SQLite file under ``./data/``.

    PostgreSQL example: ``postgresql+psycopg://recdraft@127.0.0.1:5432/recdraft``.
    """
    url = os.environ.get("RECDRAFT_DATABASE_URL", "").strip()
    if url:
        return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def session_ttl_hours() -> int:
    """How long a sign-in session lasts without activity (``RECDRAFT_SESSION_HOURS``, default 12)."""
    return int(os.environ.get("RECDRAFT_SESSION_HOURS", "12"))


def demo_mode() -> bool:
    """Demo mode lists the demo accounts on the sign-in page (``RECDRAFT_DEMO=1``)."""
    return os.environ.get("RECDRAFT_DEMO", "").lower() in {"1", "true", "yes"}
