"""Frozen memo snapshots: what a final export said, so anyone can check the text later."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow


class MemoSnapshot(Base):
    """Written once by a final export; its content never changes. Only the record that it was sent to
    parliament (``sent_at``, ``sent_by``) is added later: redlines compare against the last one sent."""

    __tablename__ = "memo_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lang: Mapped[str] = mapped_column(String(8))
    # SHA-256 of ``canonical`` (UTF-8): printed in the memo's last annex.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    # The MemoData as canonical JSON text, byte for byte what was hashed.
    canonical: Mapped[str] = mapped_column(Text)
    # Recommendation number → id at the time, so a later redline can find each text again.
    recommendation_ids: Mapped[dict[str, Any]]
    sent_at: Mapped[datetime | None]
    sent_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
