"""SQLAlchemy 2 models. Nothing a person wrote is deleted by a normal action: rows change status."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Alembic needs stable constraint names (batch mode on SQLite re-creates tables by name).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC: the same values on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A system administrator manages accounts and backups across roundtables.
    is_system_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # An organiser may create roundtables (and becomes the admin of each one they create).
    is_organiser: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    preferred_language: Mapped[str | None] = mapped_column(String(2))
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Roundtable(Base):
    __tablename__ = "roundtables"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Localised fields are {"en": ..., "ru": ..., "kk": ...}.
    title: Mapped[dict[str, Any]]
    held_on: Mapped[date] = mapped_column(Date)
    venue: Mapped[dict[str, Any]]
    organisers: Mapped[dict[str, Any]]
    addressee: Mapped[dict[str, Any]]
    background: Mapped[dict[str, Any]]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    languages: Mapped[list[Any]]
    phase: Mapped[str] = mapped_column(String(16))
    moderation_mode: Mapped[str] = mapped_column(String(8))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("roundtable_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # Participant group for tallies (e.g. "ICRC", "Faculty"); defaults to the organisation.
    group: Mapped[str] = mapped_column(String(200), default="")
    consent_named: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Recommendation(Base):
    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("roundtable_id", "number"),
        Index("ix_recommendations_roundtable_position", "roundtable_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"))
    number: Mapped[int]
    position: Mapped[int]
    topic: Mapped[str] = mapped_column(String(200), default="")
    priority: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("revisions.id", use_alter=True, name="fk_recommendations_current_revision")
    )
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Case-folded text of the current revision (all languages) so search works the same on
    # SQLite (whose LOWER() only folds ASCII) and PostgreSQL.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Languages of the current revision as ",en,ru," so a LIKE filter works on both databases.
    languages: Mapped[str] = mapped_column(String(16), default="")
    # Optimistic-lock counter: bumped by every change of the row.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    coauthors: Mapped[list[Coauthor]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="Coauthor.user_id"
    )


class Coauthor(Base):
    __tablename__ = "coauthors"

    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    recommendation: Mapped[Recommendation] = relationship(back_populates="coauthors")


class Revision(Base):
    """Append-only: a revision is never updated or deleted."""

    __tablename__ = "revisions"
    __table_args__ = (UniqueConstraint("recommendation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    number: Mapped[int]
    content: Mapped[dict[str, Any]]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    # create / edit / restore / amendment / merge
    kind: Mapped[str] = mapped_column(String(16))
    # Client-chosen key: the same submission twice stores one revision.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class RejectedEdit(Base):
    """An edit that lost a race: kept so the person can merge it, never silently dropped."""

    __tablename__ = "rejected_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    current_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    content: Mapped[dict[str, Any]]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))


class Amendment(Base):
    __tablename__ = "amendments"
    # Amendments are numbered 1, 2, ... within each recommendation (issue 18); the unique pair keeps two
    # amendments sent at the same moment from sharing a number.
    __table_args__ = (UniqueConstraint("recommendation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    base_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    content: Mapped[dict[str, Any]]
    justification: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    resulting_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)


class Comment(Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_recommendation_status", "recommendation_id", "status"),
        CheckConstraint("resolution IN ('addressed', 'declined') OR resolution IS NULL", name="resolution"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    # Indexed: a page of threads follows the replies down from their first comments (issue 15).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolution: Mapped[str | None] = mapped_column(String(16))
    addressed_revision_id: Mapped[int | None] = mapped_column(ForeignKey("revisions.id"))
    resolution_reason: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    open_flags: Mapped[int] = mapped_column(Integer, default=0)
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class CommentEdit(Base):
    """The text a comment had before each edit."""

    __tablename__ = "comment_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    previous_body: Mapped[str] = mapped_column(Text)
    previous_quote: Mapped[str] = mapped_column(Text, default="")
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentFlag(Base):
    __tablename__ = "comment_flags"
    __table_args__ = (UniqueConstraint("comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class ModerationEntry(Base):
    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_roundtable_at", "roundtable_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    # Only moderators see events whose visibility is "staff" (e.g. a hidden comment's text).
    visibility: Mapped[str] = mapped_column(String(8), default="all")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SignInSession(Base):
    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Only the SHA-256 of the token is stored: a leaked database does not leak sessions.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]


class Invitation(Base):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"))
    role: Mapped[str] = mapped_column(String(16))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    # What the organisers already know of the person: applied to the membership and account on acceptance.
    consent_named: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    language: Mapped[str | None] = mapped_column(String(2))


# Voting and memo tables live in their own modules; importing them registers them on Base.metadata.
from recdraft.db import import_models as _import_models  # noqa: E402,F401
from recdraft.db import law_models as _law_models  # noqa: E402,F401
from recdraft.db import live_models as _live_models  # noqa: E402,F401
from recdraft.db import mail_models as _mail_models  # noqa: E402,F401
from recdraft.db import memo_models as _memo_models  # noqa: E402,F401
from recdraft.db import thread_models as _thread_models  # noqa: E402,F401
from recdraft.db import translation_models as _translation_models  # noqa: E402,F401
from recdraft.db import voting_models as _voting_models  # noqa: E402,F401


class SignInFailure(Base):
    """One failed sign-in, kept for throttling only: a day at most, and a bounded number of rows.

    Neither the typed user name nor the password is stored: ``name_key`` is a 16-bit fingerprint of the
    name (many names share one, so it cannot be turned back into what was typed), ``source`` the client
    address the app saw (see services/accounts.py).
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_name_key_at", "name_key", "at"),
        Index("ix_sign_in_failures_source_at", "source", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    name_key: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(64))


class BrowserClaim(Base):
    """A single-use, short-lived code that lets one browser set (``sign_in``) or delete (``sign_out``) its
    session cookie at /auth/*. In the database so that whichever replica answers can redeem it.

    Only hashes are stored: ``code_hash`` of the code, ``browser_hash`` of the pre-session cookie of the
    browser that asked for it; the session token is sealed with a key derived from the code, so the row
    alone does not give the session away.
    """

    __tablename__ = "browser_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(8))
    browser_hash: Mapped[str] = mapped_column(String(64))
    sealed_token: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
