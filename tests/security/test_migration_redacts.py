"""Upgrading removes the typed user names that older versions kept in failed sign-in audit rows (item 5)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from recdraft.db.engine import make_engine
from recdraft.db.migrate import alembic_config, upgrade_to_head
from tests.conftest import fresh_pg_database

TYPED = "my-secret-password-typed-as-a-name"


def _upgrade_an_old_database(url: str) -> list[tuple[str, str]]:
    command.upgrade(alembic_config(url), "0005")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_events (at, action, object_type, visibility, details) VALUES "
                "(CURRENT_TIMESTAMP, 'auth.sign_in_failed', 'user', 'all', :unknown), "
                "(CURRENT_TIMESTAMP, 'user.create', 'user', 'all', :other)"
            ),
            {"unknown": f'{{"username": "{TYPED}"}}', "other": '{"username": "alice"}'},
        )
    upgrade_to_head(url)
    with engine.connect() as conn:
        rows = [(a, str(d)) for a, d in conn.execute(text("SELECT action, details FROM audit_events ORDER BY id"))]
    engine.dispose()
    return rows


def test_sqlite_upgrade_removes_typed_names_from_failed_sign_in_rows(tmp_path):
    rows = _upgrade_an_old_database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    assert [a for a, _ in rows] == ["auth.sign_in_failed", "user.create"]
    assert TYPED not in " ".join(d for _, d in rows) and "alice" in rows[1][1]


def test_postgresql_upgrade_removes_typed_names_from_failed_sign_in_rows(pg_url):
    with fresh_pg_database("_redact", schema=False) as url:
        rows = _upgrade_an_old_database(url)
    assert [a for a, _ in rows] == ["auth.sign_in_failed", "user.create"]
    assert TYPED not in " ".join(d for _, d in rows) and "alice" in rows[1][1]
