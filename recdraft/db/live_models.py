"""Live mode (issue 19): a roundtable run in the room, one recommendation at a time on the projector.

A ``LiveSession`` is the meeting: its join code, the recommendation on the screen, the language the
projector shows, and the live vote open on it now. Every change bumps ``version``, so a phone or the
projector asks one cheap question ("has anything changed since version N?") between full reads.
A live vote is an ordinary voting round (eligibility, recusal, one vote each, blind and anonymous
rules, the record); ``LiveVote`` only says that it was taken in the meeting, and when.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow


class LiveSession(Base):
    """One meeting of a roundtable in the room, from its start to its end."""

    __tablename__ = "live_sessions"
    __table_args__ = (Index("ix_live_sessions_roundtable_id_ended_at", "roundtable_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"))
    # What people type on their phone (or the QR code carries): short, unambiguous, unique among meetings.
    code: Mapped[str] = mapped_column(String(8), unique=True)
    language: Mapped[str] = mapped_column(String(2))
    current_recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    current_round_id: Mapped[int | None] = mapped_column(ForeignKey("voting_rounds.id"))
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)


class LiveVote(Base):
    """A voting round taken in a meeting: which meeting, on which recommendation, opened when."""

    __tablename__ = "live_votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    live_session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id"), unique=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
