"""The sender and the clock: deliver the outbox with retries, and ``tick`` for cron or a systemd timer.

Never twice, even with two senders (two replicas, a timer and a manual run) at once:
- a sender *claims* a batch in one short write transaction: the oldest due ``queued`` rows (or
  ``sending`` rows whose lease ran out: a sender that died), taken ``FOR UPDATE SKIP LOCKED`` on
  PostgreSQL (another sender skips them instead of waiting) and under SQLite's write lock
  (``BEGIN IMMEDIATE``: claims take turns), set to ``sending`` with a random claim and a lease;
- it talks to the SMTP server with no transaction open (a slow server must not hold the database);
- it records each result only where the row still carries its claim.
A sender that dies after the server accepted a message but before recording it leaves the row to be
retried when the lease ends: the only duplicate SMTP itself cannot rule out; it keeps its Message-ID,
so mail programs show it once.

Order: rows go out by id. When the server cannot be reached, the rest of the batch is put back with
the same back-off, so once it is up again everything arrives once, in the order it was queued.
Back-off: 1, 2, 4 … minutes, at most an hour, ``max_attempts`` tries; a 5xx answer fails the
message at once and records the address as refused (the Admin page lists it).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.mail_models import MailAddress, OutboxMessage
from recdraft.db.models import Comment, User, utcnow
from recdraft.mail import compose, smtp
from recdraft.mail.settings import MailSettings, mail_settings
from recdraft.schemas.mail import MailStatusView, RefusedAddressView
from recdraft.services._base import Actor, audit, require_system_admin

LEASE = timedelta(minutes=10)
BATCH = 100


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: 1, 2, 4 … minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


@dataclass
class _Row:
    """What the sender needs of a claimed row, read before the session ends."""

    id: int
    to_addr: str
    to_name: str
    subject: str
    body_text: str
    body_html: str
    message_id: str
    lang: str
    unsubscribe_url: str
    attempts: int
    secret: bool
    comment_id: int | None


@dataclass
class SendReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    dropped: int = 0
    errors: list[str] = field(default_factory=list)


def _claim(db: Database, *, now: datetime, limit: int) -> tuple[str, list[int]]:
    claim = secrets.token_hex(8)
    with db.write() as s:
        stmt = (
            select(OutboxMessage.id)
            .where(
                or_(
                    OutboxMessage.status == "queued",
                    (OutboxMessage.status == "sending") & (OutboxMessage.claimed_until < now),
                ),
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if db.dialect == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        ids = list(s.scalars(stmt))
        if ids:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids))
                .values(status="sending", claim=claim, claimed_until=now + LEASE),
                execution_options={"synchronize_session": False},
            )
    return claim, ids


def _record(db: Database, row_id: int, held: str, **values: object) -> None:
    """Write a result only where the row still carries this sender's claim."""
    with db.write() as s:
        s.execute(
            update(OutboxMessage).where(OutboxMessage.id == row_id, OutboxMessage.claim == held).values(**values),
            execution_options={"synchronize_session": False},
        )


def _defer(
    db: Database, row: _Row, claim: str, error: str, now: datetime, settings: MailSettings, report: SendReport
) -> None:
    attempts = row.attempts + 1
    if attempts >= settings.max_attempts:
        _record(db, row.id, claim, status="failed", attempts=attempts, last_error=error[:1000], claim=None)
        report.failed += 1
    else:
        _record(
            db,
            row.id,
            claim,
            status="queued",
            attempts=attempts,
            last_error=error[:1000],
            claim=None,
            claimed_until=None,
            next_attempt_at=now + backoff(attempts),
        )
        report.deferred += 1


def _refused(db: Database, row: _Row, claim: str, error: str, now: datetime) -> None:
    with db.write() as s:
        s.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.claim == claim)
            .values(status="failed", attempts=row.attempts + 1, last_error=error[:1000], claim=None),
            execution_options={"synchronize_session": False},
        )
        address = s.get(MailAddress, row.to_addr)
        if address is None:
            s.add(MailAddress(email=row.to_addr, bounced_at=now, bounce_reason=error[:1000]))
        else:
            address.bounced_at, address.bounce_reason = now, error[:1000]


def _still_shown(s: Session, row: OutboxMessage) -> bool:
    if row.comment_id is None:
        return True
    from recdraft.services.notifications import comment_still_shown

    return comment_still_shown(row.kind, s.scalar(select(Comment.status).where(Comment.id == row.comment_id)))


def send_outbox(
    db: Database, *, now: datetime | None = None, settings: MailSettings | None = None, limit: int = BATCH
) -> SendReport:
    """Send the due messages once each (see the module notes). Does nothing when mail is off."""
    settings = settings or mail_settings()
    report = SendReport()
    if not settings.enabled:
        return report
    moment = now or utcnow()
    claim, ids = _claim(db, now=moment, limit=limit)
    if not ids:
        return report
    with db.read() as s:
        found = list(s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)))
        shown = {r.id: _still_shown(s, r) for r in found}
        rows = [_Row(**{c: getattr(r, c) for c in _Row.__dataclass_fields__}) for r in found]
    pending = list(rows)
    try:
        with smtp.Connection(settings) as conn:
            while pending:
                row = pending[0]
                if not shown[row.id]:
                    _record(
                        db,
                        row.id,
                        claim,
                        status="dropped",
                        claim=None,
                        last_error="the comment was hidden or rejected before this was sent",
                    )
                    report.dropped += 1
                    pending.pop(0)
                    continue
                msg = compose.build(
                    sender=settings.sender,
                    sender_name=settings.sender_name,
                    reply_to=settings.reply_to,
                    to_addr=row.to_addr,
                    to_name=row.to_name,
                    subject=row.subject,
                    text=row.body_text,
                    html_body=row.body_html,
                    message_id=row.message_id,
                    lang=row.lang,
                    unsubscribe_url=row.unsubscribe_url,
                    date=moment,
                )
                try:
                    conn.send(msg, row.to_addr)
                except smtp.PermanentFailure as exc:
                    _refused(db, row, claim, str(exc), moment)
                    report.failed += 1
                    report.errors.append(f"{row.to_addr}: {exc}")
                except smtp.ServerUnavailable:
                    raise
                except smtp.TemporaryFailure as exc:
                    _defer(db, row, claim, str(exc), moment, settings, report)
                    report.errors.append(f"{row.to_addr}: {exc}")
                else:
                    done = {
                        "status": "sent",
                        "sent_at": moment,
                        "attempts": row.attempts + 1,
                        "claim": None,
                        "last_error": "",
                    }
                    if row.secret:
                        done |= {"body_text": "", "body_html": ""}  # the invitation link lives on only in the mail
                    _record(db, row.id, claim, **done)
                    report.sent += 1
                pending.pop(0)
    except smtp.ServerUnavailable as exc:
        report.errors.append(str(exc))
        for row in pending:
            _defer(db, row, claim, str(exc), moment, settings, report)
    return report


@dataclass
class TickReport:
    closed_rounds: list[int]
    reminders: int
    digests: int
    sent: SendReport


def tick(db: Database, *, now: datetime | None = None) -> TickReport:
    """What the clock does every minute: close due rounds, queue reminders and digests, send the outbox.

    Safe to run twice at once or often: each step claims or re-checks what it does.
    """
    from recdraft.services import notifications, voting

    moment = now or utcnow()
    closed = voting.close_due_rounds(db, now=moment)
    reminders = notifications.queue_reminders(db, now=moment)
    digests = notifications.queue_digests(db, now=moment)
    sent = send_outbox(db, now=moment)
    return TickReport(closed_rounds=closed, reminders=reminders, digests=digests, sent=sent)


# --- for the administrator ---------------------------------------------------------------------------------


def mail_status(db: Database, *, actor_id: Actor) -> MailStatusView:
    """Whether mail is on, the outbox by status, and the addresses the server refused (system administrators)."""
    settings = mail_settings()
    with db.read() as s:
        require_system_admin(s, actor_id)
        counts = dict(
            s.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).tuples().all()
        )
        names = {}
        refused = list(
            s.scalars(
                select(MailAddress)
                .where(MailAddress.bounced_at.is_not(None))
                .order_by(MailAddress.bounced_at.desc())
                .limit(500)
            )
        )
        if refused:
            names = dict(
                s.execute(select(User.email, User.display_name).where(User.email.in_([a.email for a in refused])))
                .tuples()
                .all()
            )
        return MailStatusView(
            enabled=settings.enabled,
            server=f"{settings.host}:{settings.port}" if settings.enabled else "",
            counts={str(k): int(v) for k, v in counts.items()},
            refused=[
                RefusedAddressView(email=a.email, name=names.get(a.email, ""), at=a.bounced_at, reason=a.bounce_reason)
                for a in refused
                if a.bounced_at is not None
            ],
        )


def forget_refusal(db: Database, *, actor_id: Actor, email: str) -> None:
    """Send to a refused address again (after it was corrected at the other end; system administrators)."""
    with db.write() as s:
        admin = require_system_admin(s, actor_id)
        row = s.get(MailAddress, email)
        if row is not None:
            row.bounced_at, row.bounce_reason = None, ""
            audit(
                s,
                actor_id=admin.id if admin else None,
                action="mail.refusal_forgotten",
                object_type="address",
                object_id=None,
                details={"email": email},
                visibility="staff",
            )
