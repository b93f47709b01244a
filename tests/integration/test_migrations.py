"""Alembic manages the schema from the first table; init-db upgrades to head on SQLite and PostgreSQL."""

from __future__ import annotations


import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from recdraft.db.engine import make_engine
from recdraft.db.migrate import current_revision, head_revision, upgrade_to_head
from recdraft.db.models import Base
from tests.conftest import fresh_pg_database


def _differences(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, Base.metadata)


def test_sqlite_upgrade_to_head_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    assert upgrade_to_head(url) == head_revision(url)
    engine = make_engine(url)
    assert current_revision(engine) == head_revision(url)
    assert _differences(engine) == []
    engine.dispose()
    # Running it again is harmless.
    upgrade_to_head(url)


def test_postgresql_upgrade_to_head_matches_the_models(pg_url):
    with fresh_pg_database("_mig", schema=False) as url:
        upgrade_to_head(url)
        engine = make_engine(url)
        assert current_revision(engine) == head_revision(url)
        assert _differences(engine) == []
        engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()


def test_sqlite_writes_begin_immediate(sqlite_db):
    from sqlalchemy import event

    seen: list[str] = []
    event.listen(sqlite_db.engine, "before_cursor_execute", lambda c, cur, stmt, *a: seen.append(stmt))
    with sqlite_db.write() as s:
        s.execute(text("SELECT 1"))
    with sqlite_db.read() as s:
        s.execute(text("SELECT 1"))
    assert [x for x in seen if x.startswith("BEGIN")] == ["BEGIN IMMEDIATE", "BEGIN"]


@pytest.mark.parametrize("dummy", [0])
def test_the_migration_chain_has_one_head(dummy, tmp_path):
    from alembic.script import ScriptDirectory

    from recdraft.db.migrate import alembic_config

    assert len(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()) == 1


def test_downgrade_to_base_and_upgrade_again_on_both_databases(tmp_path, pg_url):
    from alembic import command

    from recdraft.db.migrate import alembic_config

    with fresh_pg_database("_down", schema=False) as pg:
        for url in (f"sqlite:///{tmp_path / 'd.sqlite3'}", pg):
            upgrade_to_head(url)
            command.downgrade(alembic_config(url), "base")
            upgrade_to_head(url)
            engine = make_engine(url)
            assert _differences(engine) == []
            engine.dispose()
