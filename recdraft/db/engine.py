"""The engine, its SQLite pragmas, and the transaction boundaries services use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000

# One writer at a time per SQLite file within this process. SQLite allows one writer anyway; queueing
# on a Python lock hands the turn over at once, where the busy handler would sleep and poll.
_SQLITE_WRITE_LOCKS: dict[str, threading.RLock] = {}
_LOCKS_GUARD = threading.Lock()


def _sqlite_write_lock(database: str) -> threading.RLock:
    key = str(Path(database).resolve())
    with _LOCKS_GUARD:
        return _SQLITE_WRITE_LOCKS.setdefault(key, threading.RLock())


def _prepare_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, busy timeout, and writes that BEGIN IMMEDIATE.

    pysqlite's own transaction handling would begin lazily (DEFERRED) and upgrade the lock at the
    first write, which deadlocks two writers into SQLITE_BUSY. We switch it off and issue BEGIN
    ourselves: IMMEDIATE for write sessions so writers queue on the busy timeout instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("recdraft_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``; SQLite files get their folder created and the pragmas set."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **kwargs,
        )
        _prepare_sqlite(engine)
        return engine
    from recdraft import config  # RECDRAFT_DB_POOL_SIZE / _MAX_OVERFLOW: see docs/deploy.md (max_connections)

    kwargs.setdefault("pool_size", config.pool_size())
    kwargs.setdefault("max_overflow", config.pool_overflow())
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class Database:
    """An engine plus the two kinds of unit of work: ``read()`` and ``write()``.

    Thread-safe: one per process (the app keeps it in ``st.cache_resource``).
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.dialect = self.engine.dialect.name
        database = make_url(url).database
        self._write_lock = (
            _sqlite_write_lock(database) if self.dialect == "sqlite" and database and database != ":memory:" else None
        )
        self._reader = sessionmaker(bind=self.engine, expire_on_commit=False, autoflush=True)
        self._writer = sessionmaker(
            bind=self.engine.execution_options(recdraft_write=True),
            expire_on_commit=False,
            autoflush=True,
        )

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back whole if it raises."""
        with self._write_lock or nullcontext():
            with self._writer.begin() as session:
                yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end)."""
        with self._reader() as session:
            with session.begin():
                yield session
                session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
