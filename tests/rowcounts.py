"""Count every table's rows: a denied or failed action must leave them all unchanged."""

from __future__ import annotations

from sqlalchemy import func, select

from recdraft.db.engine import Database
from recdraft.db.models import Base


def row_counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return {t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}
