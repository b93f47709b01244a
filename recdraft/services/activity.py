"""The audit log (roundtable admins) and the activity feed: what changed since I last looked.

Feed rules, all applied in SQL so ``limit`` counts only what the viewer may see:
- sign-in events (``auth.*``) and the viewer's own actions are left out;
- events marked ``visibility="staff"`` (flags, moderation decisions) reach moderators and admins only;
- events about a comment reach others only while that comment is published, or when the viewer wrote it.
  The check uses the comment's status now, so a comment hidden later disappears from everyone's feed.
Audit details never hold comment text (see services/comments.py), so even a leak of an event would not
leak a hidden comment.

Anonymity, for every role (the feed and the audit log alike):
- a vote event (``vote.*``: cast, change, confirm, recuse) of an anonymous round names nobody and no vote:
  its actor and object are left out, so a "who voted when" line cannot be matched against the live tally;
- in the feed, a participant who has not agreed to be named (``Membership.consent_named`` False) is not
  named to experts and observers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, not_, or_, select, true
from sqlalchemy.orm import Session, aliased

from recdraft.db.engine import Database
from recdraft.db.models import (
    Amendment,
    AuditEvent,
    Coauthor,
    Comment,
    Membership,
    ModerationEntry,
    Recommendation,
    User,
    utcnow,
)
from recdraft.db.voting_models import Recusal, Vote, VotingRound
from recdraft.domain.policy import ROLE_RULES, Action
from recdraft.domain.roles import Role
from recdraft.domain.statuses import CommentStatus
from recdraft.errors import InvalidInput
from recdraft.i18n import catalog, t
from recdraft.i18n.messages import Msg, render_value
from recdraft.schemas.views import AuditEventView
from recdraft.services._base import Actor, actor, actor_ref, member_role
from recdraft.services.roundtables import require_to_read

MAX_LIMIT = 1_000


def _aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput("svc.activity.time_zone_needed", field=field)
    return value


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput("svc.activity.limit_range", max_limit=MAX_LIMIT, field="limit")
    if offset < 0:
        raise InvalidInput("svc.activity.negative_offset", field="offset")


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


VOTE_EVENT_PREFIX = "vote."
# What a vote event of an anonymous round still says: that a vote happened, in which round, on what.
ANONYMOUS_VOTE_DETAILS = ("round_id", "recommendation_id")


def _anonymous_rounds(s: Session, events: list[AuditEvent]) -> set[int]:
    ids = {
        e.details.get("round_id")
        for e in events
        if e.action.startswith(VOTE_EVENT_PREFIX) and isinstance(e.details, dict)
    }
    ids = {i for i in ids if isinstance(i, int)}
    if not ids:
        return set()
    return {
        rid
        for rid, rules in s.execute(select(VotingRound.id, VotingRound.rules).where(VotingRound.id.in_(ids)))
        if isinstance(rules, dict) and rules.get("anonymous")
    }


def _anonymous_vote_events(s: Session, roundtable_id: int) -> Any:
    """SQL: the event is a vote or recusal of an anonymous round of this roundtable (filters must skip it,
    or filtering the log by a person would list when they voted)."""
    anonymous = [
        rid for rid, rules in s.execute(_rounds_of(roundtable_id)) if isinstance(rules, dict) and rules.get("anonymous")
    ]
    return or_(
        and_(
            AuditEvent.object_type == "vote",
            AuditEvent.object_id.in_(select(Vote.id).where(Vote.round_id.in_(anonymous))),
        ),
        and_(
            AuditEvent.object_type == "recusal",
            AuditEvent.object_id.in_(select(Recusal.id).where(Recusal.round_id.in_(anonymous))),
        ),
    )


def _rounds_of(roundtable_id: int) -> Any:
    return select(VotingRound.id, VotingRound.rules).where(VotingRound.roundtable_id == roundtable_id)


def _unnamed_members(s: Session, roundtable_id: int) -> set[int]:
    return set(
        s.scalars(
            select(Membership.user_id).where(
                Membership.roundtable_id == roundtable_id, Membership.consent_named.is_(False)
            )
        )
    )


def _views(s: Session, stmt: Any, *, hide_actors: set[int] | None = None) -> list[AuditEventView]:
    rows = s.execute(stmt).all()
    anonymous = _anonymous_rounds(s, [e for e, _ in rows])
    views = []
    for e, name in rows:
        details = e.details or {}
        actor_id, object_id = e.actor_id, e.object_id
        if e.action.startswith(VOTE_EVENT_PREFIX) and details.get("round_id") in anonymous:
            actor_id = object_id = None
            details = {k: v for k, v in details.items() if k in ANONYMOUS_VOTE_DETAILS}
        elif hide_actors and actor_id in hide_actors:
            actor_id = None
        views.append(
            AuditEventView(
                id=e.id,
                at=e.at,
                actor_id=actor_id,
                actor_name=name if actor_id else None,
                roundtable_id=e.roundtable_id,
                action=e.action,
                object_type=e.object_type,
                object_id=object_id,
                details=details,
            )
        )
    return views


def _base_select() -> Any:
    return select(AuditEvent, User.display_name).outerjoin(User, User.id == AuditEvent.actor_id)


def audit_log(
    db: Database,
    *,
    actor_id: Actor,
    roundtable_id: int,
    action_prefix: str | None = None,
    actor_filter: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[AuditEventView]:
    """Audit events of a roundtable, newest first (roundtable admins; moderators use the moderation log).

    ``since`` is inclusive, ``until`` exclusive. Raises PermissionDenied, InvalidInput.
    """
    _page(limit, offset)
    _aware(since, "since")
    _aware(until, "until")
    with db.read() as s:
        require_to_read(s, actor_id, Action.CONFIGURE, roundtable_id, refusal="svc.only_admin_audit")
        where: list[Any] = [AuditEvent.roundtable_id == roundtable_id]
        if action_prefix:
            where.append(AuditEvent.action.like(_like_prefix(action_prefix), escape="\\"))
        if actor_filter is not None:
            where.append(AuditEvent.actor_id == actor_filter)
            where.append(not_(_anonymous_vote_events(s, roundtable_id)))
        if since is not None:
            where.append(AuditEvent.at >= since)
        if until is not None:
            where.append(AuditEvent.at < until)
        return _views(
            s,
            _base_select()
            .where(*where)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
            .offset(offset),
        )


def _sees_staff_events(role: Role) -> bool:
    """Moderators' and administrators' events, unpublished comments and unnamed people: for those who moderate."""
    return role in ROLE_RULES[Action.MODERATE]


def _viewer(
    s: Session, actor_id: Actor, roundtable_id: int, since: datetime | None
) -> tuple[User, Role, datetime | None]:
    """The member reading the feed, their role, and ``since`` (default: when they last marked the feed seen)."""
    user = actor(s, actor_ref(actor_id))  # a person's feed: the command line has none
    role = member_role(s, user, roundtable_id)
    if since is None:
        since = s.scalar(
            select(Membership.last_seen_at).where(
                Membership.roundtable_id == roundtable_id, Membership.user_id == user.id
            )
        )
    return user, role, since


def activity_feed(
    db: Database, *, actor_id: Actor, roundtable_id: int, since: datetime | None = None, limit: int = 100
) -> list[AuditEventView]:
    """What others did in the roundtable after ``since`` (default: when the viewer last marked it seen), newest first.

    Raises PermissionDenied, InvalidInput.
    """
    _page(limit, 0)
    _aware(since, "since")
    with db.read() as s:
        user, role, since = _viewer(s, actor_id, roundtable_id, since)
        stmt = _base_select()
        where: list[Any] = [
            AuditEvent.roundtable_id == roundtable_id,
            not_(AuditEvent.action.like("auth.%")),
            or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != user.id),
        ]
        if since is not None:
            where.append(AuditEvent.at > since)
        if not _sees_staff_events(role):
            stmt = stmt.outerjoin(
                Comment, and_(AuditEvent.object_type == "comment", Comment.id == AuditEvent.object_id)
            )
            where.append(AuditEvent.visibility != "staff")
            # A comment event whose comment cannot be found fails closed (NULL status).
            where.append(
                or_(
                    AuditEvent.object_type != "comment",
                    Comment.status == CommentStatus.PUBLISHED.value,
                    Comment.author_id == user.id,
                )
            )
        hide = None if _sees_staff_events(role) else _unnamed_members(s, roundtable_id)
        return _views(
            s, stmt.where(*where).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit), hide_actors=hide
        )


def mark_seen(db: Database, *, actor_id: Actor, roundtable_id: int, when: datetime | None = None) -> None:
    """Remember that the actor has looked at the feed up to ``when`` (default now). Raises PermissionDenied.

    Not audited: it records reading, not a change. System administrators without a membership have no
    row to update; their feed then starts from the beginning.
    """
    _aware(when, "when")
    with db.write() as s:
        user = actor(s, actor_ref(actor_id))
        member_role(s, user, roundtable_id)
        m = s.scalar(select(Membership).where(Membership.roundtable_id == roundtable_id, Membership.user_id == user.id))
        if m is not None:
            m.last_seen_at = when or utcnow()


# --- what concerns me (issue 18) --------------------------------------------------------------------------
#
# The feed above lists what others did; these are the few things a person must not miss: their comment was
# hidden (with the moderator's reason), rejected, restored, answered or resolved; an amendment arrived on
# their recommendation; their amendment was accepted or rejected; their recommendation changed status.
# Moderators are not named in these lines (a moderator acts for the roundtable); a replier who has not
# agreed to be named is not named to experts and observers, as in the feed.

PERSONAL_LIMIT = 50
# What a comment's author is told of a moderation decision on it.
_MY_MODERATION = {
    "hide": "comment_hidden",
    "reject": "comment_rejected",
    "restore": "comment_restored",
    "approve": "comment_approved",
}


class PersonalEvent(BaseModel):
    """One thing that concerns the viewer: ``kind`` names it (a catalogue key ``friction.mine.<kind>``)."""

    kind: str
    at: datetime
    recommendation_id: int
    recommendation_number: int
    actor_name: str | None = None
    reason: str = ""
    excerpt: str = ""  # the opening words of the viewer's comment it is about
    status: str = ""


def _excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def concerning_me(
    db: Database,
    *,
    actor_id: Actor,
    roundtable_id: int,
    since: datetime | None = None,
    limit: int = PERSONAL_LIMIT,
) -> list[PersonalEvent]:
    """What happened to the viewer's comments, amendments and recommendations after ``since`` (default: when
    they last dismissed the feed), newest first. Raises PermissionDenied, InvalidInput."""
    _page(limit, 0)
    _aware(since, "since")
    with db.read() as s:
        user, role, since = _viewer(s, actor_id, roundtable_id, since)
        after = (lambda col: col > since) if since is not None else (lambda col: true())
        hide = set() if _sees_staff_events(role) else _unnamed_members(s, roundtable_id)
        in_rt = Recommendation.roundtable_id == roundtable_id
        out: list[PersonalEvent] = []

        mine = aliased(Comment)
        for m, c, number in s.execute(
            select(ModerationEntry, Comment, Recommendation.number)
            .join(Comment, Comment.id == ModerationEntry.comment_id)
            .join(Recommendation, Recommendation.id == Comment.recommendation_id)
            .where(
                in_rt,
                Comment.author_id == user.id,
                ModerationEntry.moderator_id != user.id,
                ModerationEntry.action.in_(list(_MY_MODERATION)),
                after(ModerationEntry.created_at),
            )
            .order_by(ModerationEntry.created_at.desc())
            .limit(limit)
        ):
            out.append(
                PersonalEvent(
                    kind=_MY_MODERATION[m.action],
                    at=m.created_at,
                    recommendation_id=c.recommendation_id,
                    recommendation_number=number,
                    reason=m.reason,
                    excerpt=_excerpt(c.body),
                )
            )

        for reply, parent_body, number, name in s.execute(
            select(Comment, mine.body, Recommendation.number, User.display_name)
            .join(mine, mine.id == Comment.parent_id)
            .join(Recommendation, Recommendation.id == Comment.recommendation_id)
            .join(User, User.id == Comment.author_id)
            .where(
                in_rt,
                mine.author_id == user.id,
                Comment.author_id != user.id,
                Comment.status == CommentStatus.PUBLISHED.value,
                after(Comment.created_at),
            )
            .order_by(Comment.created_at.desc())
            .limit(limit)
        ):
            out.append(
                PersonalEvent(
                    kind="comment_answered",
                    at=reply.created_at,
                    recommendation_id=reply.recommendation_id,
                    recommendation_number=number,
                    actor_name=None if reply.author_id in hide else name,
                    excerpt=_excerpt(parent_body),
                )
            )

        for event, c, number, name in s.execute(
            select(AuditEvent, Comment, Recommendation.number, User.display_name)
            .join(Comment, and_(AuditEvent.object_type == "comment", Comment.id == AuditEvent.object_id))
            .join(Recommendation, Recommendation.id == Comment.recommendation_id)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(
                in_rt,
                AuditEvent.action == "comment.resolve",
                Comment.author_id == user.id,
                or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != user.id),
                after(AuditEvent.at),
            )
            .order_by(AuditEvent.at.desc())
            .limit(limit)
        ):
            out.append(
                PersonalEvent(
                    kind=f"comment_{c.resolution or 'resolved'}",
                    at=event.at,
                    recommendation_id=c.recommendation_id,
                    recommendation_number=number,
                    actor_name=None if event.actor_id in hide else name,
                    reason=c.resolution_reason,
                    excerpt=_excerpt(c.body),
                )
            )

        authored = or_(
            Recommendation.created_by == user.id,
            Recommendation.id.in_(select(Coauthor.recommendation_id).where(Coauthor.user_id == user.id)),
        )
        for a, number, name in s.execute(
            select(Amendment, Recommendation.number, User.display_name)
            .join(Recommendation, Recommendation.id == Amendment.recommendation_id)
            .join(User, User.id == Amendment.proposer_id)
            .where(in_rt, authored, Amendment.proposer_id != user.id, after(Amendment.created_at))
            .order_by(Amendment.created_at.desc())
            .limit(limit)
        ):
            out.append(
                PersonalEvent(
                    kind="amendment_proposed",
                    at=a.created_at,
                    recommendation_id=a.recommendation_id,
                    recommendation_number=number,
                    actor_name=None if a.proposer_id in hide else name,
                    excerpt=str(a.number),
                )
            )

        for a, number in s.execute(
            select(Amendment, Recommendation.number)
            .join(Recommendation, Recommendation.id == Amendment.recommendation_id)
            .where(
                in_rt,
                Amendment.proposer_id == user.id,
                Amendment.decided_at.is_not(None),
                Amendment.decided_by != user.id,
                after(Amendment.decided_at),
            )
            .order_by(Amendment.decided_at.desc())
            .limit(limit)
        ):
            out.append(
                PersonalEvent(
                    kind=f"amendment_{a.status}",
                    at=a.decided_at,
                    recommendation_id=a.recommendation_id,
                    recommendation_number=number,
                    reason=a.reason,
                    excerpt=str(a.number),
                )
            )

        for event, number in s.execute(
            select(AuditEvent, Recommendation.number)
            .join(
                Recommendation,
                and_(AuditEvent.object_type == "recommendation", Recommendation.id == AuditEvent.object_id),
            )
            .where(
                in_rt,
                authored,
                AuditEvent.action == "recommendation.status",
                or_(AuditEvent.actor_id.is_(None), AuditEvent.actor_id != user.id),
                after(AuditEvent.at),
            )
            .order_by(AuditEvent.at.desc())
            .limit(limit)
        ):
            details = event.details if isinstance(event.details, dict) else {}
            out.append(
                PersonalEvent(
                    kind="recommendation_status",
                    at=event.at,
                    recommendation_id=event.object_id,
                    recommendation_number=number,
                    status=str(details.get("to", "")),
                    reason=str(details.get("reason") or ""),
                )
            )
        out.sort(key=lambda e: e.at, reverse=True)
        return out[:limit]


# --- the audit log in words (the Admin page) ------------------------------------------------------------------
#
# An audit row holds an action name and details as data (ids, numbers, names of fields, statuses; a sentence,
# where one is stored, as ``Msg.to_json()``). These turn a row into what a person reads, in their language:
# the action's label (``audit.action.<action>``), then each detail as "label: value" (``audit.detail.<key>``),
# roles, phases and statuses by their names in the catalogue.

# The catalogue family a detail's value is named by, per detail key (and, for before/after, per action).
_VALUE_FAMILIES = {
    "role": "role.",
    "phase": "phase.",
    "kind": "mail.kind.",
    "mode": "mail.mode.",
    "variant": "memo.variant.",
}
_FROM_TO_FAMILIES = (
    ("roundtable.phase", "phase."),
    ("membership.", "role."),
    ("recommendation.", "recs.status."),
    ("comment.", "recs.comment_status."),
    ("mail.", "mail.mode."),
)


def _word(family: str | None, value: str, lang: str) -> str:
    if family and f"{family}{value}" in catalog():
        return t(f"{family}{value}", lang)
    if f"audit.value.{value}" in catalog():
        return t(f"audit.value.{value}", lang)
    return value


def _value_text(value: Any, lang: str, family: str | None = None) -> str:
    if Msg.is_json(value):
        return Msg.from_json(value).render(lang)
    if value is None:
        return t("audit.value.none", lang)
    if isinstance(value, bool):
        return t("audit.value.yes" if value else "audit.value.no", lang)
    if isinstance(value, str):
        return _word(family, value, lang)
    if isinstance(value, list | tuple):
        if len(value) == 2 and family == "→":  # [before, after]
            return " → ".join(_value_text(v, lang) for v in value)
        return ", ".join(_value_text(v, lang, family) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value_text(v, lang, family)}" for k, v in value.items())
    return render_value(value, lang)


def _family(action: str, key: str) -> str | None:
    if key in {"from", "to", "status"}:
        return next((family for prefix, family in _FROM_TO_FAMILIES if action.startswith(prefix)), None)
    if key in {"numbers", "changed", "topic", "priority"}:
        return "→"
    if key == "outcomes":
        return "vote.outcome."
    return _VALUE_FAMILIES.get(key)


def _detail_label(key: str, lang: str) -> str:
    return t(f"audit.detail.{key}", lang) if f"audit.detail.{key}" in catalog() else key.replace("_", " ")


def audit_action_text(action: str, lang: str) -> str:
    """The label of an audit action in ``lang`` ("Phase changed")."""
    key = f"audit.action.{action}"
    return t(key if key in catalog() else "audit.action.other", lang)


def audit_object_text(event: AuditEventView, lang: str) -> str:
    """What the event is about in ``lang`` ("recommendation 12"), "" when it names nothing."""
    if not event.object_type:
        return ""
    key = f"audit.object.{event.object_type}"
    if key in catalog():
        return t(key, lang, id="" if event.object_id is None else event.object_id).strip()
    return t(
        "audit.object.other",
        lang,
        kind=event.object_type.replace("_", " "),
        id="" if event.object_id is None else event.object_id,
    ).strip()


def audit_details_text(event: AuditEventView, lang: str) -> str:
    """The event's details in ``lang``, "label: value; label: value" ("" when it has none)."""
    details = event.details if isinstance(event.details, dict) else {}
    if Msg.is_json(details):
        return Msg.from_json(details).render(lang)
    return "; ".join(
        f"{_detail_label(key, lang)}: {_value_text(value, lang, _family(event.action, key))}"
        for key, value in details.items()
    )


def audit_text(event: AuditEventView, lang: str) -> str:
    """One audit row as a sentence in ``lang``: the action and its details ("Phase changed: Before: Drafting;
    After: Voting"). The Admin page's audit log shows this; the row itself stays data."""
    details = audit_details_text(event, lang)
    action = audit_action_text(event.action, lang)
    return t("audit.sentence", lang, action=action, details=details) if details else action
