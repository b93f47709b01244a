"""Which messages an action causes, and to whom: written to the outbox inside the action's own transaction.

Each ``on_*`` function takes the open session of the service that calls it (one line per action), so
the message exists exactly when the action committed. Mail off (``RECDRAFT_SMTP_HOST`` unset): nothing
is queued, and nothing piles up to be sent the day mail is turned on.

Decisions (what a careful maintainer of Loomio's mailers would do):
- Nobody is told about their own action (the moderator who hides, the author who comments).
- Each person's preference per kind decides: ``now`` (queued for the sender), ``digest`` (kept for the
  daily digest), ``off`` (nothing). Addresses the server refused (5xx) or that unsubscribed get nothing.
- Votes never appear in any message: the result says each recommendation's outcome, never who voted how
  or how many chose what, so anonymous and blind rounds stay so. Reminders say only what the reader
  themselves has not done yet.
- A comment waiting for pre-moderation is told to moderators only; the recommendation's authors hear
  of it once it is published. A notice about a comment hidden in the meantime is dropped by the sender
  and never enters a digest (``comment_id``).
- The text of a hidden or rejected comment is not repeated in the mail to its author: the reason is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from recdraft import config
from recdraft.db.engine import Database
from recdraft.db.mail_models import MODES, MailAddress, MailPreference, OutboxMessage
from recdraft.db.models import (
    Amendment,
    Coauthor,
    Comment,
    Membership,
    Recommendation,
    Revision,
    Roundtable,
    User,
    utcnow,
)
from recdraft.db.voting_models import Recusal, RoundItem, Vote, VotingRound
from recdraft.domain.roles import Role
from recdraft.errors import InvalidInput
from recdraft.i18n import LANGS, t
from recdraft.i18n.formats import format_date, format_datetime
from recdraft.mail import compose
from recdraft.mail.settings import MailSettings, mail_settings
from recdraft.services._base import Actor, actor, actor_ref, audit

# The kinds a person chooses for (My account); invitations and digests have no preference of their own.
KINDS = (
    "round_opened",
    "reminder",
    "round_result",
    "comment_moderated",
    "comment_new",
    "amendment_new",
    "amendment_decided",
    "moderation",
)
DEFAULT_MODE = "now"


# --- addresses and links ---------------------------------------------------------------------------------


def app_url(path: str = "/", **query: object) -> str:
    """An absolute link into the app: ``RECDRAFT_PUBLIC_URL`` + ``RECDRAFT_BASE_PATH`` + ``path`` + query."""
    root = (config.public_url() or "http://localhost:8501").rstrip("/")
    base = config.base_path()
    if base and not root.endswith("/" + base):
        root += "/" + base
    clean = {k: v for k, v in query.items() if v is not None}
    return root + path + ("?" + urlencode(clean) if clean else "")


def with_roundtable(link: str, roundtable_id: int | None) -> str:
    """``link`` naming the roundtable (``rt=``), so it opens there for someone who works in several."""
    if roundtable_id is None or "rt=" in link.partition("?")[2]:
        return link
    return link + ("&" if "?" in link else "?") + f"rt={roundtable_id}"


def unsubscribe_url(payload: str) -> str:
    """The signed one-click link that stops ``payload`` (``u<id>:<kind>`` or ``e<address>``)."""
    return app_url("/mail/unsubscribe", t=compose.sign(payload, config.secret() or ""))


def _lang(user_lang: str | None, rt: Roundtable | None) -> str:
    if user_lang in LANGS:
        return str(user_lang)
    for candidate in (rt.languages if rt is not None else []) or []:
        if candidate in LANGS:
            return str(candidate)
    return "en"


def _localized(value: dict[str, Any] | None, lang: str) -> str:
    value = value or {}
    for candidate in (lang, "kk", "ru", "en"):
        if str(value.get(candidate) or "").strip():
            return str(value[candidate])
    return ""


def _rec_title(s: Session, rec: Recommendation, lang: str) -> str:
    rev = s.get(Revision, rec.current_revision_id) if rec.current_revision_id else None
    content = rev.content if rev is not None else {}
    for candidate in (lang, "kk", "ru", "en"):
        title = str((content.get(candidate) or {}).get("title") or "").strip()
        if title:
            return title
    return ""


# --- queueing ----------------------------------------------------------------------------------------------


_MUTED: ContextVar[bool] = ContextVar("recdraft_mail_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Queue nothing in this block (loading the demo: its made-up people must get no mail)."""
    token = _MUTED.set(True)
    try:
        yield
    finally:
        _MUTED.reset(token)


def settings_if_on() -> MailSettings | None:
    """The mail settings when mail is on (and not muted), else None."""
    if _MUTED.get():
        return None
    settings = mail_settings()
    return settings if settings.enabled else None


def comment_still_shown(kind: str, status: str | None) -> bool:
    """Whether a queued notice of ``kind`` about a comment now ``status`` may still go out (or into a digest):
    authors hear only of published comments; moderators of comments still waiting or published (a comment
    hidden or rejected in the meantime is never mailed)."""
    if kind == "moderation":
        return status in {"pending", "published"}
    return status == "published"


def mail_is_on() -> bool:
    """Whether this server sends mail (the pages say so where it matters)."""
    return mail_settings().enabled


def _blocked(s: Session, emails: Iterable[str]) -> set[str]:
    wanted = sorted({e for e in emails if e})
    if not wanted:
        return set()
    return set(
        s.scalars(
            select(MailAddress.email).where(
                MailAddress.email.in_(wanted),
                (MailAddress.bounced_at.is_not(None)) | (MailAddress.unsubscribed_at.is_not(None)),
            )
        )
    )


def modes_of(s: Session, user_ids: Iterable[int], kind: str) -> dict[int, str]:
    """Each user's mode for ``kind`` (the default when they never chose)."""
    ids = sorted(set(user_ids))
    chosen = (
        dict(
            s.execute(
                select(MailPreference.user_id, MailPreference.mode).where(
                    MailPreference.user_id.in_(ids), MailPreference.kind == kind
                )
            )
            .tuples()
            .all()
        )
        if ids
        else {}
    )
    return {uid: chosen.get(uid, DEFAULT_MODE) for uid in ids}


def _to_users(
    s: Session,
    settings: MailSettings,
    *,
    kind: str,
    user_ids: Iterable[int],
    rt: Roundtable | None,
    exclude: Iterable[int | None] = (),
    make: Any,
    comment_id: int | None = None,
    dedupe: Any = None,
) -> int:
    """Queue ``make(user, lang) -> (params, link, quotes)`` for each user who wants ``kind``; returns how many."""
    skip = {u for u in exclude if u is not None}
    ids = [u for u in sorted(set(user_ids)) if u not in skip]
    if not ids:
        return 0
    users = [u for u in s.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)) if u.is_active and u.email]
    modes = modes_of(s, [u.id for u in users], kind)
    blocked = _blocked(s, [u.email or "" for u in users])
    rows = []
    now = utcnow()
    for user in users:
        mode = modes[user.id]
        if mode == "off" or user.email in blocked:
            continue
        lang = _lang(user.preferred_language, rt)
        params, link, quotes = make(user, lang)
        link = with_roundtable(link, rt.id if rt is not None else None)
        unsubscribe = unsubscribe_url(f"u{user.id}:{kind}")
        rendered = compose.render(kind, lang, params=params, link=link, unsubscribe_url=unsubscribe, quotes=quotes)
        rows.append(
            {
                "created_at": now,
                "kind": kind,
                "user_id": user.id,
                "to_addr": user.email,
                "to_name": user.display_name,
                "lang": lang,
                "roundtable_id": rt.id if rt is not None else None,
                "comment_id": comment_id,
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "link": link,
                "unsubscribe_url": unsubscribe,
                "secret": False,
                "dedupe_key": dedupe(user) if dedupe else None,
                "message_id": compose.new_message_id(settings.sender),
                "status": "queued" if mode == "now" else "digest",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
            }
        )
    if rows:
        s.execute(insert(OutboxMessage), rows)
    return len(rows)


def _authors(s: Session, rec: Recommendation) -> list[int]:
    return [rec.created_by, *s.scalars(select(Coauthor.user_id).where(Coauthor.recommendation_id == rec.id))]


def _staff(s: Session, roundtable_id: int) -> list[int]:
    return list(
        s.scalars(
            select(Membership.user_id).where(
                Membership.roundtable_id == roundtable_id, Membership.role.in_((Role.ADMIN.value, Role.MODERATOR.value))
            )
        )
    )


def _rt(s: Session, roundtable_id: int) -> Roundtable | None:
    return s.get(Roundtable, roundtable_id)


def _rec_params(s: Session, rec: Recommendation, rt: Roundtable | None, lang: str) -> dict[str, object]:
    return {
        "number": rec.number,
        "title": _rec_title(s, rec, lang),
        "roundtable": _localized(rt.title if rt is not None else None, lang),
    }


# --- the actions --------------------------------------------------------------------------------------------


def on_invitations(
    s: Session,
    *,
    roundtable_id: int,
    inviter_id: int,
    invitations: Iterable[Any],
    languages: dict[int, str | None] | None = None,
) -> int:
    """Invitations just made (``InvitationLink``s, with their token) in each one's language: one message each."""
    settings = settings_if_on()
    if settings is None:
        return 0
    rt = _rt(s, roundtable_id)
    inviter = s.get(User, inviter_id)
    items = [i for i in invitations if getattr(i, "email", None)]
    blocked = _blocked(s, [i.email for i in items])
    rows = []
    now = utcnow()
    for inv in items:
        if inv.email in blocked:
            continue
        lang = _lang((languages or {}).get(inv.id), rt)
        link = app_url("/", invite=inv.token)
        unsubscribe = unsubscribe_url(f"e{inv.email}")
        params = {
            "name": inv.display_name,
            "roundtable": _localized(rt.title if rt else None, lang),
            "inviter": inviter.display_name if inviter else "",
            "role": t(f"role.{inv.role}", lang),
            "expires": format_date(inv.expires_at.date(), lang),
        }
        rendered = compose.render("invitation", lang, params=params, link=link, unsubscribe_url=unsubscribe)
        rows.append(
            {
                "created_at": now,
                "kind": "invitation",
                "user_id": None,
                "to_addr": inv.email,
                "to_name": inv.display_name,
                "lang": lang,
                "roundtable_id": roundtable_id,
                "comment_id": None,
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "link": app_url("/"),
                "unsubscribe_url": unsubscribe,
                "secret": True,
                "dedupe_key": None,
                "message_id": compose.new_message_id(settings.sender),
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
            }
        )
    if rows:
        s.execute(insert(OutboxMessage), rows)
    return len(rows)


def on_invitation_row(s: Session, inv: Any, token: str) -> int:
    """One invitation row just made with its token (the Admin page's single invitation)."""
    from types import SimpleNamespace

    link = SimpleNamespace(
        id=inv.id, email=inv.email, display_name=inv.display_name, role=inv.role, token=token, expires_at=inv.expires_at
    )
    return on_invitations(
        s,
        roundtable_id=inv.roundtable_id,
        inviter_id=inv.created_by,
        invitations=[link],
        languages={inv.id: getattr(inv, "language", None)},
    )


def on_round_opened(s: Session, rnd: VotingRound) -> int:
    """A round opened: each eligible voter hears what is on the ballot and until when."""
    settings = settings_if_on()
    if settings is None:
        return 0
    from recdraft.services.voting._common import (
        eligible_voters,  # voting.results calls on_round_closed
    )

    rt = _rt(s, rnd.roundtable_id)
    assert rt is not None
    voter_ids = list(eligible_voters(s, rt, rnd))
    count = s.scalar(select(func.count()).select_from(RoundItem).where(RoundItem.round_id == rnd.id)) or 0

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        closes = (
            t("mail.closes_at", lang, when=format_datetime(rnd.closes_at, lang))
            if rnd.closes_at
            else t("mail.closes_open", lang)
        )
        return (
            {
                "number": rnd.number,
                "name": rnd.name or "",
                "count": count,
                "closes": closes,
                "roundtable": _localized(rt.title if rt else None, lang),
            },
            app_url("/vote"),
            [],
        )

    return _to_users(
        s,
        settings,
        kind="round_opened",
        user_ids=voter_ids,
        rt=rt,
        exclude=[rnd.opened_by],
        make=make,
        dedupe=lambda u: f"opened:{rnd.id}:{u.id}",
    )


def on_round_closed(s: Session, rnd: VotingRound, outcomes: dict[int, str]) -> int:
    """A round closed (by hand or by the clock): every participant hears each recommendation's outcome.

    Only outcomes: no counts, no names, so nothing of an anonymous or blind round is given away.
    """
    settings = settings_if_on()
    if settings is None:
        return 0
    rt = _rt(s, rnd.roundtable_id)
    recs = {r.id: r for r in s.scalars(select(Recommendation).where(Recommendation.id.in_(list(outcomes))))}
    members = list(s.scalars(select(Membership.user_id).where(Membership.roundtable_id == rnd.roundtable_id)))

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        lines = []
        for rid in sorted(outcomes, key=lambda r: recs[r].number if r in recs else r):
            rec = recs.get(rid)
            if rec is None:
                continue
            lines.append(
                t(
                    "mail.round_result.line",
                    lang,
                    number=rec.number,
                    title=_rec_title(s, rec, lang),
                    outcome=t(f"mail.outcome.{outcomes[rid]}", lang),
                )
            )
        return (
            {
                "number": rnd.number,
                "name": rnd.name or "",
                "outcomes": "\n".join(lines),
                "roundtable": _localized(rt.title if rt else None, lang),
            },
            app_url("/results", round=rnd.id),
            [],
        )

    return _to_users(
        s, settings, kind="round_result", user_ids=members, rt=rt, make=make, dedupe=lambda u: f"result:{rnd.id}:{u.id}"
    )


def on_comment_posted(s: Session, c: Comment, rec: Recommendation) -> int:
    """A new comment: moderators when it waits for approval, else the recommendation's authors."""
    settings = settings_if_on()
    if settings is None:
        return 0
    if c.status == "pending":
        return _moderators(s, settings, c, rec, "waiting", "")
    if c.status == "published":
        return _comment_new(s, settings, c, rec)
    return 0


def _comment_new(s: Session, settings: MailSettings, c: Comment, rec: Recommendation) -> int:
    rt = _rt(s, rec.roundtable_id)
    author = s.get(User, c.author_id)

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        return (
            {**_rec_params(s, rec, rt, lang), "author": author.display_name if author else ""},
            app_url("/recommendations", rec=rec.id, comment=c.id),
            [("mail.label.comment", c.body)],
        )

    return _to_users(
        s,
        settings,
        kind="comment_new",
        user_ids=_authors(s, rec),
        rt=rt,
        exclude=[c.author_id],
        make=make,
        comment_id=c.id,
    )


def _moderators(s: Session, settings: MailSettings, c: Comment, rec: Recommendation, why: str, reason: str) -> int:
    rt = _rt(s, rec.roundtable_id)
    author = s.get(User, c.author_id)

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        quotes = [("mail.label.comment", c.body)] + ([("mail.label.flag_reason", reason)] if reason else [])
        return (
            {
                **_rec_params(s, rec, rt, lang),
                "author": author.display_name if author else "",
                "why": t(f"mail.moderation.{why}", lang),
            },
            app_url("/moderation", comment=c.id),
            quotes,
        )

    return _to_users(
        s,
        settings,
        kind="moderation",
        user_ids=_staff(s, rec.roundtable_id),
        rt=rt,
        exclude=[c.author_id],
        make=make,
        comment_id=c.id,
    )


def on_comment_flagged(s: Session, c: Comment, rec: Recommendation, reason: str, flagger_id: int) -> int:
    """A published comment was reported: the moderators hear it with the report's reason (not who sent it)."""
    settings = settings_if_on()
    if settings is None:
        return 0
    rt = _rt(s, rec.roundtable_id)
    author = s.get(User, c.author_id)

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        quotes = [("mail.label.comment", c.body), ("mail.label.flag_reason", reason)]
        return (
            {
                **_rec_params(s, rec, rt, lang),
                "author": author.display_name if author else "",
                "why": t("mail.moderation.flagged", lang),
            },
            app_url("/moderation", comment=c.id),
            quotes,
        )

    return _to_users(
        s,
        settings,
        kind="moderation",
        user_ids=_staff(s, rec.roundtable_id),
        rt=rt,
        exclude=[c.author_id, flagger_id],
        make=make,
        comment_id=c.id,
    )


def on_comment_moderated(
    s: Session, c: Comment, rec: Recommendation, *, moderator_id: int, from_status: str, to_status: str, reason: str
) -> int:
    """Hidden or rejected: the author hears it with the moderator's reason. Approved from pending: the
    recommendation's authors hear of the new comment."""
    settings = settings_if_on()
    if settings is None or from_status == to_status:
        return 0
    if to_status == "published" and from_status == "pending":
        return _comment_new(s, settings, c, rec)
    if to_status not in {"hidden", "rejected"}:
        return 0
    rt = _rt(s, rec.roundtable_id)

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        return (
            {
                **_rec_params(s, rec, rt, lang),
                "status": t(f"mail.comment_status.{to_status}", lang),
                "action": t(f"mail.comment_action.{to_status}", lang),
            },
            app_url("/recommendations", rec=rec.id, comment=c.id),
            [("mail.label.reason", reason)],
        )

    # No comment_id: this notice is about the author's own comment being hidden; it must reach them.
    return _to_users(
        s, settings, kind="comment_moderated", user_ids=[c.author_id], rt=rt, exclude=[moderator_id], make=make
    )


def on_amendment_proposed(s: Session, a: Amendment, rec: Recommendation) -> int:
    """A new amendment: the recommendation's authors hear it, with the justification."""
    settings = settings_if_on()
    if settings is None:
        return 0
    rt = _rt(s, rec.roundtable_id)
    proposer = s.get(User, a.proposer_id)

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        return (
            {**_rec_params(s, rec, rt, lang), "author": proposer.display_name if proposer else ""},
            app_url("/recommendations", rec=rec.id, amendment=a.id),
            [("mail.label.justification", a.justification)],
        )

    return _to_users(
        s, settings, kind="amendment_new", user_ids=_authors(s, rec), rt=rt, exclude=[a.proposer_id], make=make
    )


def on_amendment_decided(s: Session, a: Amendment, rec: Recommendation, decider_id: int) -> int:
    """Accepted or rejected: the proposer hears it (with the reason of a rejection)."""
    settings = settings_if_on()
    if settings is None:
        return 0
    rt = _rt(s, rec.roundtable_id)

    def make(user: User, lang: str) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
        return (
            {**_rec_params(s, rec, rt, lang), "status": t(f"mail.amendment_status.{a.status}", lang)},
            app_url("/recommendations", rec=rec.id, amendment=a.id),
            [("mail.label.reason", a.reason)] if a.status == "rejected" else [],
        )

    return _to_users(
        s, settings, kind="amendment_decided", user_ids=[a.proposer_id], rt=rt, exclude=[decider_id], make=make
    )


# --- the clock's messages ---------------------------------------------------------------------------------


def queue_reminders(db: Database, *, now: datetime | None = None) -> int:
    """Remind eligible voters who have not voted on everything, ``reminder_hours`` before a round closes.

    Once per person and round (``dedupe_key``), however often or however many ticks run at once.
    """
    settings = settings_if_on()
    if settings is None:
        return 0
    from recdraft.services.voting._common import (
        eligible_voters,  # voting imports this module
    )

    moment = now or utcnow()
    horizon = moment + timedelta(hours=settings.reminder_hours)
    with db.read() as s:
        rounds = list(
            s.scalars(
                select(VotingRound.id)
                .where(
                    VotingRound.status == "open",
                    VotingRound.closes_at.is_not(None),
                    VotingRound.closes_at > moment,
                    VotingRound.closes_at <= horizon,
                )
                .order_by(VotingRound.id)
            )
        )
    queued = 0
    for round_id in rounds:
        try:
            with db.write() as s:
                rnd = s.get(VotingRound, round_id)
                if rnd is None or rnd.status != "open":
                    continue
                rt = _rt(s, rnd.roundtable_id)
                assert rt is not None
                items = list(s.scalars(select(RoundItem.recommendation_id).where(RoundItem.round_id == rnd.id)))
                voters = eligible_voters(s, rt, rnd)
                done: dict[int, set[int]] = {}
                for uid, rid in s.execute(select(Vote.voter_id, Vote.recommendation_id).where(Vote.round_id == rnd.id)):
                    done.setdefault(uid, set()).add(rid)
                for uid, rid in s.execute(
                    select(Recusal.voter_id, Recusal.recommendation_id).where(
                        Recusal.round_id == rnd.id, Recusal.withdrawn_at.is_(None)
                    )
                ):
                    done.setdefault(uid, set()).add(rid)
                already = set(
                    s.scalars(
                        select(OutboxMessage.user_id).where(OutboxMessage.dedupe_key.like(f"reminder:{rnd.id}:%"))
                    )
                )
                missing = {uid: len(set(items) - done.get(uid, set())) for uid in voters}
                wanted = [uid for uid, left in missing.items() if left and uid not in already]

                def make(
                    user: User,
                    lang: str,
                    rnd: VotingRound = rnd,
                    rt: Roundtable = rt,
                    missing: dict[int, int] = missing,
                    total: int = len(items),
                ) -> tuple[dict[str, object], str, list[tuple[str, str]]]:
                    assert rnd.closes_at is not None
                    return (
                        {
                            "number": rnd.number,
                            "name": rnd.name or "",
                            "left": missing[user.id],
                            "total": total,
                            "when": format_datetime(rnd.closes_at, lang),
                            "roundtable": _localized(rt.title, lang),
                        },
                        app_url("/vote"),
                        [],
                    )

                queued += _to_users(
                    s,
                    settings,
                    kind="reminder",
                    user_ids=wanted,
                    rt=rt,
                    make=make,
                    dedupe=lambda u, rid=rnd.id: f"reminder:{rid}:{u.id}",
                )
        except IntegrityError:
            continue  # another tick queued these reminders at the same moment
    return queued


def queue_digests(db: Database, *, now: datetime | None = None) -> int:
    """From the digest hour on, one message a day per person gathering what they chose to get as a digest.

    Notices about comments no longer published are left out (and dropped): a hidden comment never
    appears in a digest.
    """
    settings = settings_if_on()
    if settings is None:
        return 0
    moment = now or utcnow()
    if moment.hour < settings.digest_hour:
        return 0
    day = moment.date().isoformat()
    with db.read() as s:
        users = list(
            s.scalars(
                select(OutboxMessage.user_id)
                .where(OutboxMessage.status == "digest", OutboxMessage.user_id.is_not(None))
                .group_by(OutboxMessage.user_id)
                .order_by(OutboxMessage.user_id)
            )
        )
    made = 0
    for uid in users:
        try:
            with db.write() as s:
                key = f"digest:{uid}:{day}"
                if s.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)) is not None:
                    continue
                user = s.get(User, uid)
                rows = list(
                    s.scalars(
                        select(OutboxMessage)
                        .where(OutboxMessage.user_id == uid, OutboxMessage.status == "digest")
                        .order_by(OutboxMessage.id)
                        .with_for_update()
                    )
                )
                comment_ids = [r.comment_id for r in rows if r.comment_id is not None]
                status = (
                    dict(
                        s.execute(select(Comment.id, Comment.status).where(Comment.id.in_(comment_ids))).tuples().all()
                    )
                    if comment_ids
                    else {}
                )
                keep = [
                    r for r in rows if r.comment_id is None or comment_still_shown(r.kind, status.get(r.comment_id))
                ]
                for r in rows:
                    if r not in keep:
                        r.status = "dropped"
                if user is None or not user.is_active or not user.email or not keep:
                    continue
                lang = _lang(user.preferred_language, None)
                unsubscribe = unsubscribe_url(f"u{uid}:digest")
                rendered = compose.digest(
                    lang,
                    items=[(r.subject, r.body_text, r.body_html) for r in keep],
                    link=app_url("/"),
                    unsubscribe_url=unsubscribe,
                )
                digest_row = OutboxMessage(
                    created_at=moment,
                    kind="digest",
                    user_id=uid,
                    to_addr=user.email,
                    to_name=user.display_name,
                    lang=lang,
                    subject=rendered.subject,
                    body_text=rendered.text,
                    body_html=rendered.html,
                    link=app_url("/"),
                    unsubscribe_url=unsubscribe,
                    dedupe_key=key,
                    message_id=compose.new_message_id(settings.sender),
                    status="queued",
                    next_attempt_at=moment,
                )
                s.add(digest_row)
                s.flush()
                for r in keep:
                    r.status, r.digest_id = "digested", digest_row.id
                made += 1
        except IntegrityError:
            continue  # another tick made today's digest for this person
    return made


# --- preferences and unsubscribing ---------------------------------------------------------------------------


def my_preferences(db: Database, *, actor_id: Actor) -> dict[str, str]:
    """The signed-in person's mode for each kind of message (``KINDS``)."""
    with db.read() as s:
        user = actor(s, actor_ref(actor_id))  # a person's own choice: the command line has none
        return modes_all(s, user.id)


def modes_all(s: Session, user_id: int) -> dict[str, str]:
    chosen = dict(
        s.execute(select(MailPreference.kind, MailPreference.mode).where(MailPreference.user_id == user_id))
        .tuples()
        .all()
    )
    return {kind: chosen.get(kind, DEFAULT_MODE) for kind in (*KINDS, "digest")}


def set_preference(db: Database, *, actor_id: Actor, kind: str, mode: str) -> dict[str, str]:
    """Choose how one kind of message reaches me (now / digest / off). Raises InvalidInput."""
    if kind not in KINDS:
        raise InvalidInput("svc.mail.unknown_kind", kind=kind, field="kind")
    if mode not in MODES:
        raise InvalidInput("svc.mail.mode", field="mode")
    with db.write() as s:
        user = actor(s, actor_ref(actor_id))
        _set_mode(s, user.id, kind, mode)
        audit(
            s,
            actor_id=user.id,
            action="mail.preference",
            object_type="user",
            object_id=user.id,
            details={"kind": kind, "mode": mode},
            visibility="staff",
        )
        return modes_all(s, user.id)


def _set_mode(s: Session, user_id: int, kind: str, mode: str) -> None:
    row = s.get(MailPreference, (user_id, kind))
    if row is None:
        s.add(MailPreference(user_id=user_id, kind=kind, mode=mode, updated_at=utcnow()))
    else:
        row.mode, row.updated_at = mode, utcnow()


def describe_token(db: Database, *, token: str) -> tuple[str, str] | None:
    """(language, kind or "all") a genuine unsubscribe token stands for, without acting on it."""
    payload = compose.verify(token, config.secret() or "")
    if payload is None:
        return None
    if payload.startswith("u") and ":" in payload:
        uid_text, kind = payload[1:].split(":", 1)
        with db.read() as s:
            user = s.get(User, int(uid_text)) if uid_text.isdigit() else None
            if user is None or kind not in (*KINDS, "digest"):
                return None
            return _lang(user.preferred_language, None), kind
    return ("en", "all") if payload.startswith("e") else None


def unsubscribe(db: Database, *, token: str) -> tuple[str, str] | None:
    """Act on a signed unsubscribe token (no sign-in): that kind off for that person, or the address off.

    Returns (language, what) for the confirmation page, None for a token that is not genuine.
    """
    payload = compose.verify(token, config.secret() or "")
    if payload is None:
        return None
    with db.write() as s:
        if payload.startswith("u") and ":" in payload:
            uid_text, kind = payload[1:].split(":", 1)
            user = s.get(User, int(uid_text)) if uid_text.isdigit() else None
            if user is None or kind not in (*KINDS, "digest"):
                return None
            if kind == "digest":
                # Stopping the digest: everything sent as a digest is off (nothing is sent at once instead).
                for k, m in modes_all(s, user.id).items():
                    if m == "digest" and k != "digest":
                        _set_mode(s, user.id, k, "off")
            else:
                _set_mode(s, user.id, kind, "off")
            audit(
                s,
                actor_id=user.id,
                action="mail.unsubscribe",
                object_type="user",
                object_id=user.id,
                details={"kind": kind},
                visibility="staff",
            )
            return _lang(user.preferred_language, None), kind
        if payload.startswith("e"):
            email = payload[1:]
            row = s.get(MailAddress, email)
            if row is None:
                s.add(MailAddress(email=email, unsubscribed_at=utcnow()))
            elif row.unsubscribed_at is None:
                row.unsubscribed_at = utcnow()
            audit(
                s,
                actor_id=None,
                action="mail.unsubscribe",
                object_type="address",
                object_id=None,
                details={"kind": "all"},
                visibility="staff",
            )
            return "en", "all"
    return None
