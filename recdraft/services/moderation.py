"""Moderation of comments: approve, hide, reject, restore; decide waiting edits; dismiss reports; the queue,
the open reports, the log, and what blocks a final memo.

The decisions these functions keep are described in ``services.comments`` (who sees what, re-moderation
on edit, flags as reports that never hold the memo back); they are tested in
tests/integration/test_comments.py and test_comment_threads.py. Who may moderate is the policy's
``Action.MODERATE`` (``services._base.require``): moderators and administrators, in the phases that
leave moderation open (final included: pending comments block the memo and must be clearable).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import (
    Comment,
    CommentEdit,
    CommentFlag,
    ModerationEntry,
    Recommendation,
    User,
    utcnow,
)
from recdraft.db.thread_models import CommentPendingEdit
from recdraft.domain.policy import Action
from recdraft.domain.statuses import CommentStatus, ModerationAction, moderation_target
from recdraft.errors import InvalidInput
from recdraft.schemas.common import parse
from recdraft.schemas.views import CommentView, FlagReportView, ModerationEntryView
from recdraft.services import notifications
from recdraft.services._base import Actor, actor, actor_ref, audit, member_role
from recdraft.services.comments import (
    PENDING,
    PUBLISHED,
    OptionalReasonInput,
    ReasonInput,
    _in_recommendations,
    _load,
    _one_view,
    _rows,
    _staff_only,
    _view,
    _with_extras,
)
from recdraft.services.recommendations import require_as


def _apply_waiting_edit(s: Session, c: Comment, pending: CommentPendingEdit, now: Any) -> None:
    """The waiting text becomes the comment's text; the approved one goes to its history."""
    s.add(
        CommentEdit(
            comment_id=c.id,
            editor_id=c.author_id,
            previous_body=c.body,
            previous_quote=c.quote,
            edited_at=pending.submitted_at,
        )
    )
    c.body, c.quote, c.updated_at = pending.body, pending.quote, now
    s.delete(pending)


EDIT_DECISIONS = ("approve", "reject")


def decide_comment_edit(
    db: Database, *, actor_id: Actor, comment_id: int, decision: str, reason: str = ""
) -> CommentView:
    """Approve or reject the edit waiting on a published comment (moderators, admins); a reason to reject.

    Approving makes the waiting text the comment's text (the approved one goes to its history);
    rejecting drops it and the approved text stays. Staff-only audit row, without the texts.
    Raises InvalidInput (no edit waiting, no reason), PermissionDenied, NotFound.
    """
    if decision not in EDIT_DECISIONS:
        raise InvalidInput("svc.content.edit_decision", field="decision")
    if decision == "approve":
        reason_text = parse(OptionalReasonInput, reason=reason).reason
    else:
        reason_text = parse(ReasonInput, reason=reason).reason
    with db.write() as s:
        user, _role, c, rec = _load(s, actor_id, comment_id, lock=True)
        require_as(s, actor_id, Action.MODERATE, rec.roundtable_id, refused="svc.threads.only_moderators_decide")
        pending = s.scalar(select(CommentPendingEdit).where(CommentPendingEdit.comment_id == c.id))
        if pending is None:
            raise InvalidInput("svc.threads.no_edit_waiting", field="comment_id")
        if decision == "approve":
            _apply_waiting_edit(s, c, pending, utcnow())
        else:
            s.delete(pending)
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action=f"comment.{decision}_edit",
            object_type="comment",
            object_id=c.id,
            visibility="staff",
            details={"recommendation_id": rec.id, "reason": reason_text},
        )
        return _one_view(s, c.id, staff=True)


def moderate_comment(db: Database, *, actor_id: Actor, comment_id: int, action: str, reason: str = "") -> CommentView:
    """Approve, hide, reject or restore a comment (moderators, admins); resolves its open flags.

    A reason is required to hide, reject or restore. ``approve`` on a published comment whose edit waits
    approves that edit (as ``decide_comment_edit`` does; kept for callers that approve whatever waits).
    Raises InvalidInput, InvalidTransition, PermissionDenied.
    """
    try:
        act = ModerationAction(action)
    except ValueError:
        raise InvalidInput("svc.comments.unknown_action", field="action", action=action) from None
    if act == ModerationAction.APPROVE:
        reason_text = parse(OptionalReasonInput, reason=reason).reason
    else:
        reason_text = parse(ReasonInput, reason=reason).reason
    with db.write() as s:
        # The row lock makes a moderator and an author editing at the same moment take turns.
        user, _role, c, rec = _load(s, actor_id, comment_id, lock=True)
        require_as(s, actor_id, Action.MODERATE, rec.roundtable_id, refused="svc.comments.only_staff_moderate")
        current = CommentStatus(c.status)
        now = utcnow()
        waiting = (
            s.scalar(select(CommentPendingEdit).where(CommentPendingEdit.comment_id == c.id))
            if act == ModerationAction.APPROVE and current == CommentStatus.PUBLISHED
            else None
        )
        target: CommentStatus
        if (
            act == ModerationAction.APPROVE
            and current == CommentStatus.PUBLISHED
            and (c.open_flags > 0 or waiting is not None)
        ):
            target = current  # keep it and dismiss the flags; approve the edit that waits, if one does
            if waiting is not None:
                _apply_waiting_edit(s, c, waiting, now)
        else:
            target = moderation_target(current, act)
        resolved = cast(
            "CursorResult[Any]",
            s.execute(
                update(CommentFlag)
                .where(CommentFlag.comment_id == c.id, CommentFlag.resolved_at.is_(None))
                .values(resolved_at=now),
                execution_options={"synchronize_session": False},
            ),
        ).rowcount
        c.status, c.open_flags = target.value, 0
        s.add(
            ModerationEntry(
                comment_id=c.id,
                moderator_id=user.id,
                action=act.value,
                from_status=current.value,
                to_status=target.value,
                reason=reason_text,
                created_at=now,
            )
        )
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action=f"comment.{act.value}",
            object_type="comment",
            object_id=c.id,
            visibility="staff",
            details={
                "recommendation_id": rec.id,
                "from": current.value,
                "to": target.value,
                "reason": reason_text,
                "flags_resolved": resolved,
            },
        )
        notifications.on_comment_moderated(
            s, c, rec, moderator_id=user.id, from_status=current.value, to_status=target.value, reason=reason_text
        )
        return _one_view(s, c.id, staff=True)


def dismiss_flags(db: Database, *, actor_id: Actor, comment_id: int, reason: str) -> CommentView:
    """Close a published comment's open reports and keep it published, with a reason (moderators, admins).

    The decision is in the moderation log and the audit trail (staff only). Raises InvalidInput (no
    reason, no open report), PermissionDenied, NotFound.
    """
    reason_text = parse(ReasonInput, reason=reason).reason
    with db.write() as s:
        user, _role, c, rec = _load(s, actor_id, comment_id, lock=True)
        require_as(s, actor_id, Action.MODERATE, rec.roundtable_id, refused="svc.record.dismiss_staff_only")
        now = utcnow()
        resolved = cast(
            "CursorResult[Any]",
            s.execute(
                update(CommentFlag)
                .where(CommentFlag.comment_id == c.id, CommentFlag.resolved_at.is_(None))
                .values(resolved_at=now),
                execution_options={"synchronize_session": False},
            ),
        ).rowcount
        if not resolved:
            raise InvalidInput("svc.record.no_open_reports", field="comment_id")
        c.open_flags = 0
        s.add(
            ModerationEntry(
                comment_id=c.id,
                moderator_id=user.id,
                action="dismiss",
                from_status=c.status,
                to_status=c.status,
                reason=reason_text,
                created_at=now,
            )
        )
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="comment.dismiss_flags",
            object_type="comment",
            object_id=c.id,
            visibility="staff",
            details={"recommendation_id": rec.id, "reason": reason_text, "flags_resolved": resolved},
        )
        return _one_view(s, c.id, staff=True)


def _needs_moderation() -> Any:
    """What the moderation queue lists: pending comments, published ones with open reports, and published
    ones whose edit waits for a moderator (issue 18)."""
    return or_(_awaiting_approval(), _reported(), _edit_waiting())


def _edit_waiting() -> Any:
    """Published comments with an edit waiting: the approved text is what everyone reads (and what the memo
    holds), so these do not block the memo either."""
    return and_(
        Comment.status == PUBLISHED,
        select(CommentPendingEdit.id).where(CommentPendingEdit.comment_id == Comment.id).exists(),
    )


def _awaiting_approval() -> Any:
    """Comments that wait for a moderator's decision before anyone reads them: these block a final memo."""
    return Comment.status == PENDING


def _reported() -> Any:
    """Published comments with open reports: moderators resolve them; they do not block the memo."""
    return and_(Comment.status == PUBLISHED, Comment.open_flags > 0)


def awaiting_moderation(s: Session, recommendation_ids: list[int]) -> dict[int, int]:
    """Comments awaiting moderation by recommendation id — the memo's blockers (pending only; see the notes).

    For services that already hold a session (the memo); moderators and administrators clear them.
    """
    if not recommendation_ids:
        return {}
    return dict(
        s.execute(
            select(Comment.recommendation_id, func.count(Comment.id))
            .where(Comment.recommendation_id.in_(list(recommendation_ids)), _awaiting_approval())
            .group_by(Comment.recommendation_id)
        )
        .tuples()
        .all()
    )


def moderation_queue(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[CommentView]:
    """Pending and flagged comments of the roundtable, oldest first (moderators, admins)."""
    with db.read() as s:
        _staff_only(s, actor_id, roundtable_id, "svc.content.queue_staff_only")
        rows = _rows(s, Recommendation.roundtable_id == roundtable_id, _needs_moderation())
        rows = sorted(rows, key=lambda r: (r[0].created_at, r[0].id))
        return _with_extras(s, [_view(r, staff=True) for r in rows], viewer_id=None, staff=True)


def open_flag_reports(db: Database, *, actor_id: Actor, roundtable_id: int) -> dict[int, list[FlagReportView]]:
    """The reports not yet dealt with, by comment id, oldest first (moderators, admins).

    Reporters and their reasons are for the moderators only (see the module's notes on flags).
    """
    with db.read() as s:
        _staff_only(s, actor_id, roundtable_id, "svc.content.reports_staff_only")
        rows = s.execute(
            select(CommentFlag, User.display_name)
            .join(User, User.id == CommentFlag.user_id)
            .join(Comment, Comment.id == CommentFlag.comment_id)
            .join(Recommendation, Recommendation.id == Comment.recommendation_id)
            .where(Recommendation.roundtable_id == roundtable_id, CommentFlag.resolved_at.is_(None))
            .order_by(CommentFlag.created_at, CommentFlag.id)
        ).all()
        reports: dict[int, list[FlagReportView]] = defaultdict(list)
        for flag, name in rows:
            reports[flag.comment_id].append(
                FlagReportView(
                    id=flag.id,
                    comment_id=flag.comment_id,
                    user_id=flag.user_id,
                    user_name=name,
                    reason=flag.reason,
                    created_at=flag.created_at,
                )
            )
        return dict(reports)


def moderation_log(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[ModerationEntryView]:
    """Every moderation decision in the roundtable, newest first (moderators, admins)."""
    with db.read() as s:
        _staff_only(s, actor_id, roundtable_id, "svc.content.log_staff_only")
        rows = s.execute(
            select(ModerationEntry, User.display_name, Comment.body, Recommendation.id, Recommendation.number)
            .join(User, User.id == ModerationEntry.moderator_id)
            .join(Comment, Comment.id == ModerationEntry.comment_id)
            .join(Recommendation, Recommendation.id == Comment.recommendation_id)
            .where(Recommendation.roundtable_id == roundtable_id)
            .order_by(ModerationEntry.created_at.desc(), ModerationEntry.id.desc())
        ).all()
        return [
            ModerationEntryView(
                id=m.id,
                comment_id=m.comment_id,
                moderator_id=m.moderator_id,
                moderator_name=name,
                action=m.action,
                from_status=m.from_status,
                to_status=m.to_status,
                reason=m.reason,
                created_at=m.created_at,
                comment_excerpt=_opening(body),
                recommendation_id=rec_id,
                recommendation_number=number,
            )
            for m, name, body, rec_id, number in rows
        ]


def _opening(body: str, words: int = 12) -> str:
    """A comment's opening words, for the moderation log (staff only, who may read the whole comment)."""
    parts = (body or "").split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def unmoderated_count(
    db: Database, *, actor_id: Actor, roundtable_id: int, recommendation_ids: list[int] | None = None
) -> int:
    """Comments awaiting moderation, which block a final memo: pending ones only (any participant).

    Published comments with open flags are not counted: a report is resolved by a moderator
    (``dismiss_flags`` or hiding) and never holds the memo back (see the module notes).
    """
    with db.read() as s:
        member_role(s, actor(s, actor_ref(actor_id)), roundtable_id)
        return (
            s.scalar(
                select(func.count(Comment.id))
                .join(Recommendation, Recommendation.id == Comment.recommendation_id)
                .where(
                    Recommendation.roundtable_id == roundtable_id,
                    _awaiting_approval(),
                    *_in_recommendations(recommendation_ids),
                )
            )
            or 0
        )
