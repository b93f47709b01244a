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


def _fill(table, **values):
    """A row for ``table`` with ``values`` and a plain value in every other required column."""
    import datetime as dt

    from sqlalchemy import JSON, Boolean, Date, DateTime, Integer

    row = dict(values)
    for col in table.columns:
        if col.name in row or col.nullable or col.primary_key:
            continue
        kind = type(col.type)
        if isinstance(col.type, JSON) or "JSON" in kind.__name__.upper():
            row[col.name] = {}
        elif isinstance(col.type, Boolean):
            row[col.name] = False
        elif isinstance(col.type, DateTime):
            row[col.name] = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        elif isinstance(col.type, Date):
            row[col.name] = dt.date(2026, 1, 1)
        elif isinstance(col.type, Integer):
            row[col.name] = 1
        else:
            row[col.name] = "x"
    return row


def test_existing_amendments_are_numbered_per_recommendation_in_order_of_creation(tmp_path, pg_url):
    # Issue 18 (migration 0009): global ids 1..5 become 1, 2, 3 and 1, 2 within each recommendation.
    import datetime as dt

    from alembic import command
    from sqlalchemy import MetaData, insert, select

    from recdraft.db.migrate import alembic_config

    with fresh_pg_database("_num", schema=False) as pg:
        for url in (f"sqlite:///{tmp_path / 'n.sqlite3'}", pg):
            command.upgrade(alembic_config(url), "0008")
            engine = make_engine(url)
            meta = MetaData()
            meta.reflect(engine)
            t = meta.tables
            at = [dt.datetime(2026, 1, 1, 9, m, tzinfo=dt.UTC) for m in range(6)]
            with engine.begin() as conn:
                conn.execute(insert(t["users"]).values(_fill(t["users"], id=1, username="u")))
                conn.execute(insert(t["roundtables"]).values(_fill(t["roundtables"], id=1, languages=["en"])))
                for rec_id in (1, 2):
                    conn.execute(
                        insert(t["recommendations"]).values(
                            _fill(
                                t["recommendations"],
                                id=rec_id,
                                roundtable_id=1,
                                number=rec_id,
                                position=rec_id,
                                created_by=1,
                                current_revision_id=None,
                            )
                        )
                    )
                    conn.execute(
                        insert(t["revisions"]).values(
                            _fill(
                                t["revisions"],
                                id=rec_id,
                                recommendation_id=rec_id,
                                number=1,
                                author_id=1,
                                base_revision_id=None,
                            )
                        )
                    )
                # (id, recommendation, created): created out of id order on recommendation 1.
                for amendment_id, rec_id, minute in ((1, 1, 2), (2, 2, 0), (3, 1, 1), (4, 2, 3), (5, 1, 5)):
                    conn.execute(
                        insert(t["amendments"]).values(
                            _fill(
                                t["amendments"],
                                id=amendment_id,
                                recommendation_id=rec_id,
                                base_revision_id=rec_id,
                                proposer_id=1,
                                decided_by=None,
                                resulting_revision_id=None,
                                created_at=at[minute],
                                submission_key=None,
                                status="open",
                            )
                        )
                    )
            engine.dispose()
            upgrade_to_head(url)
            engine = make_engine(url)
            amendments = MetaData()
            amendments.reflect(engine, only=["amendments"])
            a = amendments.tables["amendments"]
            with engine.connect() as conn:
                numbers = dict(conn.execute(select(a.c.id, a.c.number)).all())
            assert numbers == {3: 1, 1: 2, 5: 3, 2: 1, 4: 2}
            assert [d for d in _differences(engine) if "amendments" in repr(d)] == []
            engine.dispose()
