"""Voting tables: rounds, their items, current votes, vote history, recusals and frozen results.

Why the shape:

- ``votes`` holds each voter's *current* vote, one row per (round, recommendation, voter), enforced
  by a unique constraint so no code path can ever count a person twice. Every cast, change and
  confirmation also appends a ``vote_history`` row: the current row says what counts, the history
  says how it got there.
- A vote points at the exact revision it was cast on. Whether it is stale is worked out when it is
  read (``revision_id != recommendation.current_revision_id``), so editing a text needs no voting code.
- ``round_results`` is written once, when the round closes, and never changed: the tally as it was.
- ``round_voters`` is written once, when the round opens: who may vote in it. Someone who joins the
  roundtable later votes in the next round; the eligible count does not move under an open round.
  Rounds from before that table (``voters_frozen_at`` NULL) count the current membership.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow

ROUND_STATUSES = ("open", "closed")
CHOICES = ("agree", "disagree", "abstain", "block")
HISTORY_ACTIONS = ("cast", "change", "confirm")


class VotingRound(Base):
    """A round of voting on a chosen set of recommendations under one set of rules."""

    __tablename__ = "voting_rounds"
    __table_args__ = (
        UniqueConstraint("roundtable_id", "number"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index("ix_voting_rounds_status_closes_at", "status", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200), default="")
    # ``RoundRules`` as JSON (exact fractions stored as "2/3").
    rules: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(8))
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When set, the round is closed from this moment on, whether or not the close job has run.
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # None with a closed_at: closed automatically by its closing date.
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    carried_from_round_id: Mapped[int | None] = mapped_column(ForeignKey("voting_rounds.id"))
    # Secret that orders the "Voter N" pseudonyms of an anonymous export (user ids would identify).
    pseudonym_key: Mapped[str] = mapped_column(String(64))
    # When the eligible voters were frozen into ``round_voters`` (NULL: a round from an older version).
    voters_frozen_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class RoundVoter(Base):
    """Someone who was eligible to vote when the round opened. Written once, never changed."""

    __tablename__ = "round_voters"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class RoundItem(Base):
    """A recommendation put to the vote in a round, with the facilitator's block override if any."""

    __tablename__ = "round_items"
    __table_args__ = (UniqueConstraint("round_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id"))
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    position: Mapped[int]
    block_override_reason: Mapped[str | None] = mapped_column(Text)
    block_override_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    block_override_at: Mapped[datetime | None]
    # Set when the round closes: adopted / rejected / no_consensus.
    outcome: Mapped[str | None] = mapped_column(String(16))


class Vote(Base):
    """A voter's current vote on one recommendation in one round: at most one, by constraint."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("round_id", "recommendation_id", "voter_id"),
        # The recommendation must be an item of the round.
        ForeignKeyConstraint(
            ["round_id", "recommendation_id"],
            ["round_items.round_id", "round_items.recommendation_id"],
            name="fk_votes_round_item",
        ),
        CheckConstraint("choice IN ('agree', 'disagree', 'abstain', 'block') OR choice IS NULL", name="choice"),
        CheckConstraint("rating BETWEEN 1 AND 9 OR rating IS NULL", name="rating"),
        CheckConstraint("choice IS NOT NULL OR rating IS NOT NULL", name="has_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id"))
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The exact text the vote was cast on; differs from the current revision when the vote is stale.
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    choice: Mapped[str | None] = mapped_column(String(8))
    rating: Mapped[int | None]
    # Reason (disagree, block) or Delphi comment.
    reason: Mapped[str | None] = mapped_column(Text)
    # The voter lets the reason appear under their name (never in an anonymous round).
    reason_named: Mapped[bool] = mapped_column(Boolean, default=False)
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class VoteHistory(Base):
    """Append-only: what the vote became at each cast, change or confirmation."""

    __tablename__ = "vote_history"
    __table_args__ = (CheckConstraint("action IN ('cast', 'change', 'confirm')", name="action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id"), index=True)
    action: Mapped[str] = mapped_column(String(8))
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    choice: Mapped[str | None] = mapped_column(String(8))
    rating: Mapped[int | None]
    reason: Mapped[str | None] = mapped_column(Text)
    reason_named: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Recusal(Base):
    """A voter's declared conflict of interest on one recommendation in one round.

    One row per (round, recommendation, voter); ``withdrawn_at`` is set when the voter takes the
    recusal back (allowed while the round is open). Each change is also an audit row.
    """

    __tablename__ = "recusals"
    __table_args__ = (UniqueConstraint("round_id", "recommendation_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id"))
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    voter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    recused_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]


class RoundResult(Base):
    """The tally of one recommendation in one round, frozen when the round closed. Never updated."""

    __tablename__ = "round_results"
    __table_args__ = (UniqueConstraint("round_id", "recommendation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("voting_rounds.id"))
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    # The text in force when the round closed: votes on any other revision were stale.
    revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    outcome: Mapped[str] = mapped_column(String(16))
    # ``Tally`` of everyone, and a list of one ``Tally`` per participant group.
    tally: Mapped[dict[str, Any]]
    group_tallies: Mapped[list[Any]]
    # Every ballot as tallied (voter, choice/rating, group, stale, recused): the recount's input.
    ballots: Mapped[list[Any]]
    # Reasons of counted disagree/block votes (and low Delphi ratings) with each voter's consent.
    dissents: Mapped[list[Any]]
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)
