"""Mail tables: the outbox, each person's preferences, and what is known of each address.

Why the shape:

- ``mail_outbox`` is written in the same transaction as the action that causes a message, so a message
  exists exactly when its action committed. A sender claims rows (``status`` queued → sending, with a
  lease in ``claimed_until``) before it talks to the SMTP server and marks them sent afterwards, so two
  senders never take the same row (``services.outbox``).
- ``dedupe_key`` (unique) makes the clock's messages (reminders, digests) idempotent: a second tick, or
  two at once, cannot queue the same reminder twice.
- ``comment_id`` lets the sender and the digest drop a notice about a comment hidden in the meantime.
- ``mail_addresses`` holds what the sender learnt (a refused address, SMTP 5xx) and one-click
  unsubscriptions of addresses without an account (invitations); the Admin page lists the refused ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow

OUTBOX_STATUSES = ("queued", "sending", "sent", "failed", "digest", "digested", "dropped")
MODES = ("now", "digest", "off")


class OutboxMessage(Base):
    """One message to one address, rendered in the recipient's language when its action happened."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        CheckConstraint(
            "status IN ('queued', 'sending', 'sent', 'failed', 'digest', 'digested', 'dropped')", name="status"
        ),
        Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_mail_outbox_user_id_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    to_addr: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str] = mapped_column(String(2))
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(Text, default="")
    unsubscribe_url: Mapped[str] = mapped_column(Text, default="")
    # The body holds a secret (an invitation link): emptied once sent, like the invitation keeps only a hash.
    secret: Mapped[bool] = mapped_column(default=False)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[datetime | None]
    claim: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # A digest row: the daily message that carried this row (status ``digested``).
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("mail_outbox.id"))


class MailPreference(Base):
    """How a person wants one kind of message: at once, in the daily digest, or not at all."""

    __tablename__ = "mail_preferences"
    __table_args__ = (CheckConstraint("mode IN ('now', 'digest', 'off')", name="mode"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    mode: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MailAddress(Base):
    """What the sender learnt about an address: refused by the server (bounced), or unsubscribed by link."""

    __tablename__ = "mail_addresses"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    bounced_at: Mapped[datetime | None]
    bounce_reason: Mapped[str] = mapped_column(Text, default="")
    unsubscribed_at: Mapped[datetime | None]
