"""Shared fixtures: the same database tests run on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text

from recdraft.db.engine import Database
from recdraft.db.models import Base
from recdraft.services import accounts

PG_ADMIN_URL = os.environ.get("RECDRAFT_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


@contextmanager
def fresh_pg_database(suffix: str = "", *, schema: bool = True) -> Iterator[str]:
    """Create a PostgreSQL database (with the models' tables unless ``schema=False``), yield its URL, drop it."""
    name = f"recdraft_test_{os.getpid()}_{uuid.uuid4().hex[:6]}{suffix}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        if schema:
            engine = create_engine(url)
            Base.metadata.create_all(engine)
            engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped afterwards."""
    problem = _pg_available()
    if problem:
        message = (
            f"PostgreSQL is not reachable at {PG_ADMIN_URL} ({problem}); "
            "install/start the Debian package 'postgresql' (.ci/run starts it)"
        )
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    with fresh_pg_database() as url:
        yield url


def _truncate_pg(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path) -> Iterator[Database]:
    """An empty database with the current schema, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        Base.metadata.create_all(database.engine)
        yield database
        database.dispose()
    else:
        url = request.getfixturevalue("pg_url")
        database = Database(url)
        _truncate_pg(database)
        yield database
        database.dispose()


@pytest.fixture
def sqlite_db(tmp_path) -> Iterator[Database]:
    """An empty SQLite database only (for tests of SQLite-specific behaviour)."""
    database = Database(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    Base.metadata.create_all(database.engine)
    yield database
    database.dispose()


@pytest.fixture(autouse=True)
def _cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Full-strength argon2id (~50 ms a hash) would dominate the suite; tests marked
    ``real_argon2`` (the accounts tests) keep the production parameters."""
    if request.node.get_closest_marker("real_argon2") is None:
        from argon2 import PasswordHasher

        monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
