"""Comments on recommendations: post, edit with history, flag, resolve, list, export (moderation: ``services.moderation``).

Decisions (each is tested in tests/integration/test_comments.py):

- Who sees what. Moderators and admins see every comment. Everyone else sees published comments
  and their own comments in any status, labelled with that status, so an author learns that their
  comment is pending, hidden or rejected. Other people's pending, hidden and rejected comments never
  reach them: asking for one by id gives NotFound, as if it did not exist.
- Re-moderation on edit. In a pre-moderation roundtable an expert's edit of a published comment waits
  for a moderator (``comment_pending_edits``), otherwise approving harmless text would let any later text
  through; until the edit is approved everyone else keeps reading the approved text, so the comment does
  not vanish from its thread (issue 18). Its author and the moderators see the waiting text; a moderator
  approves or rejects it (``decide_comment_edit``). Comments by moderators and admins change at once. In
  post-moderation the status is kept. An edit never changes any status: pending stays pending (its text
  simply changes: nobody else reads it yet), hidden stays hidden, rejected stays rejected.
- Replies. A non-moderator replies only to a published comment of the same recommendation; a reply to a
  comment they cannot see is NotFound. Replies stay listed when their parent is later hidden. In
  ``list_comments`` they then start a thread of their own for viewers who cannot see the parent; the
  page's ``comment_page`` keeps them in place under a placeholder ("a comment was hidden by a moderator")
  that carries neither the hidden text, nor its author, nor its id.
- The author of a hidden or rejected comment sees it with the moderator's reason (``moderation_reason``).
- Flags. Every member of the roundtable may flag a published comment — observers included, because
  reporting abuse must not need a vote or a contributing role — once per person, never its author, while
  the roundtable's phase still takes comments. Flag counts and reasons are for moderators: other viewers
  see ``open_flags == 0``.
- A flag is a report for the moderators, not a hold on the record: a moderator resolves it by dismissing
  it with a reason (``dismiss_flags``: the comment stays published) or by hiding the comment
  (``moderate_comment(action="hide")``). A published comment with open flags is NOT awaiting moderation
  and never blocks the final memo (``unmoderated_count``, ``awaiting_moderation``): only pending comments
  do, and a moderator or an administrator clears them by approving or rejecting. Otherwise any member
  could hold the memo hostage with one click.
- Every moderation decision resolves the comment's open flags (reject too: the moderator has looked at
  it). ``approve`` on a published comment that has open flags keeps it published and dismisses the
  flags (kept for callers of the earlier API; the moderation page uses ``dismiss_flags``).
- Provenance. "Addressed in revision N" names a revision saved after the comment was written: an older
  one cannot have answered it.
- ``updated_at`` changes only when the text changes; ``edited`` means an earlier text is kept.
- Audit rows never hold comment bodies, quotes or flag reasons: the activity feed shows audit rows and
  must not leak hidden text. Flag and moderation events are staff-only.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import CompoundSelect, Select, and_, case, func, literal, or_, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from recdraft.db.engine import Database
from recdraft.db.models import (
    Comment,
    CommentEdit,
    CommentFlag,
    ModerationEntry,
    Recommendation,
    Revision,
    Roundtable,
    User,
    utcnow,
)
from recdraft.db.thread_models import CommentPendingEdit
from recdraft.domain import csvsafe, policy
from recdraft.domain.policy import Action
from recdraft.domain.roles import ModerationMode, Role
from recdraft.domain.statuses import CommentStatus, Frozen, is_frozen
from recdraft.errors import InvalidInput, NotFound, PermissionDenied, Word
from recdraft.schemas.common import (
    CommentBody,
    Input,
    OptionalReason,
    Quote,
    Reason,
    parse,
)
from recdraft.schemas.content import FIELDS
from recdraft.schemas.views import (
    CommentEditView,
    CommentPageView,
    CommentView,
    FlagView,
    ThreadEntryView,
)
from recdraft.services import notifications
from recdraft.services._base import (
    Actor,
    actor,
    actor_ref,
    audit,
    deny_unless,
    get,
    member_role,
    roundtable_open_for_writes,
)
from recdraft.services.recommendations import _check_key, is_author, require_as

PUBLISHED = CommentStatus.PUBLISHED.value
PENDING = CommentStatus.PENDING.value
RESOLUTIONS = ("addressed", "declined")
CSV_COLUMNS = ("id", "recommendation", "parent_id", "author", "status", "created_at", "body", "quote", "resolution")


class CommentInput(Input):
    body: CommentBody
    quote: Quote = ""


class ReasonInput(Input):
    reason: Reason


class OptionalReasonInput(Input):
    reason: OptionalReason = ""


# ---------------------------------------------------------------- helpers


def _squash(text: str) -> str:
    return " ".join(text.split())


def _check_quote(s: Session, rec: Recommendation, quote: str) -> None:
    """InvalidInput unless ``quote`` (whitespace-normalised) is in some field of the current text."""
    if not quote:
        return
    rev = s.get(Revision, rec.current_revision_id) if rec.current_revision_id else None
    for fields in (rev.content if rev else {}).values():
        if any(quote in _squash(fields.get(name, "")) for name in FIELDS):
            return
    raise InvalidInput("svc.comments.quote_not_found", field="quote")


def is_staff(role: Role | None) -> bool:
    """Moderators and administrators: they read every comment, flags and reasons included (a reading
    right of the role, whatever the phase; what they may change is ``Action.MODERATE``)."""
    return role in policy.ROLE_RULES[Action.MODERATE]


def _can_see(c: Comment, user_id: int, role: Role) -> bool:
    return is_staff(role) or c.status == PUBLISHED or c.author_id == user_id


def _visible_clause(user_id: int, role: Role) -> Any:
    if is_staff(role):
        return true()
    return or_(Comment.status == PUBLISHED, Comment.author_id == user_id)


def _load(
    s: Session, actor_id: Actor, comment_id: int, *, lock: bool = False
) -> tuple[User, Role, Comment, Recommendation]:
    """Actor, role, comment (row-locked when ``lock``) and its recommendation; NotFound when not visible."""
    user = actor(s, actor_ref(actor_id))
    c = get(s, Comment, comment_id, "Comment", lock=lock)
    rec = get(s, Recommendation, c.recommendation_id, "Recommendation")
    role = member_role(s, user, rec.roundtable_id)
    if not _can_see(c, user.id, role):
        raise NotFound("svc.comments.comment_not_found", comment_id=comment_id)
    return user, role, c, rec


def _rows(s: Session, *where: Any) -> Sequence[Any]:
    """Comments with author name, addressed revision number, edited flag and recommendation number.

    One query whatever the number of comments, ordered by recommendation, then time.
    """
    edited = select(CommentEdit.id).where(CommentEdit.comment_id == Comment.id).exists()
    stmt = (
        select(Comment, User.display_name, Revision.number, edited, Recommendation.number)
        .join(Recommendation, Recommendation.id == Comment.recommendation_id)
        .join(User, User.id == Comment.author_id)
        .outerjoin(Revision, Revision.id == Comment.addressed_revision_id)
        .where(*where)
        .order_by(Recommendation.number, Comment.created_at, Comment.id)
    )
    return s.execute(stmt).all()


def _view(row: Any, *, staff: bool, visible_ids: Collection[int] = ()) -> CommentView:
    """``visible_ids``: the comments this non-staff viewer may see; a reply to any other comment shows no
    ``parent_id``, so a hidden comment leaves no trace (not even its id)."""
    c, author_name, rev_number, edited, _rec_number = row
    parent_id = c.parent_id if staff or c.parent_id in visible_ids else None
    return CommentView(
        id=c.id,
        recommendation_id=c.recommendation_id,
        parent_id=parent_id,
        author_id=c.author_id,
        author_name=author_name,
        body=c.body,
        quote=c.quote,
        status=c.status,
        created_at=c.created_at,
        updated_at=c.updated_at,
        edited=bool(edited),
        resolution=c.resolution,
        addressed_revision_number=rev_number,
        resolution_reason=c.resolution_reason,
        open_flags=c.open_flags if staff else 0,
    )


def _one_view(s: Session, comment_id: int, *, staff: bool, viewer_id: int | None = None) -> CommentView:
    s.flush()
    row = _rows(s, Comment.id == comment_id)[0]
    parent = s.get(Comment, row[0].parent_id) if row[0].parent_id is not None and not staff else None
    view = _view(row, staff=staff, visible_ids={parent.id} if parent is not None and parent.status == PUBLISHED else ())
    return _with_extras(s, [view], viewer_id=viewer_id, staff=staff)[0]


def _with_extras(s: Session, views: list[CommentView], *, viewer_id: int | None, staff: bool) -> list[CommentView]:
    """``views`` with, for their author and for moderators only, the edit waiting for a moderator and the
    moderator's reason for hiding or rejecting (issue 18). Two queries whatever the number of views."""
    mine = [v.id for v in views if staff or (viewer_id is not None and v.author_id == viewer_id)]
    if not mine:
        return views
    pending = {
        p.comment_id: p for p in s.scalars(select(CommentPendingEdit).where(CommentPendingEdit.comment_id.in_(mine)))
    }
    removed = [
        v.id
        for v in views
        if v.id in set(mine) and v.status in (CommentStatus.HIDDEN.value, CommentStatus.REJECTED.value)
    ]
    reasons: dict[int, str] = {}
    if removed:
        for comment_id, reason, _to_status in s.execute(
            select(ModerationEntry.comment_id, ModerationEntry.reason, ModerationEntry.to_status)
            .where(ModerationEntry.comment_id.in_(removed))
            .order_by(ModerationEntry.created_at, ModerationEntry.id)
        ).all():
            reasons[comment_id] = reason  # the latest decision wins
    out = []
    for v in views:
        extra: dict[str, Any] = {}
        if v.id in pending:
            p = pending[v.id]
            extra.update(pending_body=p.body, pending_quote=p.quote, pending_since=p.submitted_at)
        if v.id in reasons:
            extra["moderation_reason"] = reasons[v.id]
        out.append(v.model_copy(update=extra) if extra else v)
    return out


def comment_actions(
    c: CommentView, *, viewer_id: int, role: Role | None, phase: str, is_author: bool, rec_status: str
) -> frozenset[str]:
    """What the viewer may do with comment ``c`` now, as this module's services decide it (the page offers
    exactly these): ``policy.actions`` for their role and the phase, and the rules about one comment."""
    acts = policy.actions(role=role, phase=phase, is_author=is_author)
    open_phase = policy.PHASE_RULES[policy.phase_of(phase)]
    own, published = c.author_id == viewer_id, c.status == PUBLISHED
    out: set[str] = set()
    if Action.COMMENT in acts:
        if published:
            out.add("reply")
        if own:
            out.add("edit")
    if not own and published and role is not None and Action.COMMENT in open_phase:
        out.add("flag")  # any member, observers included (``flag_comment``)
    author_resolves = is_author and role in policy.ROLE_RULES[Action.DRAFT] and Action.MODERATE in open_phase
    if published and not is_frozen(rec_status, Frozen.RESOLUTIONS) and (Action.MODERATE in acts or author_resolves):
        out.add("resolve")
    if c.edited and (own or is_staff(role)):
        out.add("history")
    if Action.MODERATE in acts:
        if c.status == PENDING:
            out.add("approve")
        if c.status in (PUBLISHED, PENDING):
            out.add("hide")
        if c.pending_body is not None and published:
            out.update(("approve_edit", "reject_edit"))
    return frozenset(out)


def _with_actions(
    s: Session, views: list[CommentView], *, viewer_id: int, role: Role | None, rec: Recommendation
) -> list[CommentView]:
    """``views`` carrying what the viewer may do with each (``comment_actions``); one query at most."""
    rt = get(s, Roundtable, rec.roundtable_id, "Roundtable")
    author = is_author(rec, viewer_id)
    return [
        v.model_copy(
            update={
                "actions": comment_actions(
                    v, viewer_id=viewer_id, role=role, phase=rt.phase, is_author=author, rec_status=rec.status
                )
            }
        )
        for v in views
    ]


def _thread_order(rows: Sequence[Any]) -> list[Any]:
    """Each recommendation's comments as threads: a comment, then its replies (by time), depth first.

    ``rows`` come ordered by recommendation and time; a reply whose parent is not among them starts a thread.
    """
    ids = {row[0].id for row in rows}
    children: dict[int, list[Any]] = defaultdict(list)
    roots: list[Any] = []
    for row in rows:
        parent = row[0].parent_id
        (children[parent] if parent in ids else roots).append(row)
    out: list[Any] = []
    stack = list(reversed(roots))
    while stack:  # iterative: a long reply chain must not hit the recursion limit
        row = stack.pop()
        out.append(row)
        stack.extend(reversed(children[row[0].id]))
    return out


def _in_recommendations(recommendation_ids: list[int] | None) -> list[Any]:
    return [] if recommendation_ids is None else [Comment.recommendation_id.in_(list(recommendation_ids))]


# ---------------------------------------------------------------- writes


def post_comment(
    db: Database,
    *,
    actor_id: Actor,
    recommendation_id: int,
    body: str,
    quote: str = "",
    parent_id: int | None = None,
    submission_key: str | None = None,
) -> CommentView:
    """Comment on a recommendation or reply to a comment (experts, moderators, admins).

    Pending in a pre-moderation roundtable unless the actor moderates; published otherwise. The same
    ``submission_key`` twice stores one comment. Raises PermissionDenied, InvalidInput, NotFound.
    """
    data = parse(CommentInput, body=body, quote=quote)
    quote_text = _squash(data.quote)
    key = _check_key(submission_key)
    try:
        with db.write() as s:
            rec = get(s, Recommendation, recommendation_id, "Recommendation")
            granted = require_as(
                s, actor_id, Action.COMMENT, rec.roundtable_id, refused="svc.comments.observers_cannot_comment"
            )
            user, role, rt = actor(s, actor_ref(actor_id)), granted.role, granted.roundtable
            if key:
                existing = s.scalar(select(Comment).where(Comment.submission_key == key))
                if existing is not None:
                    return _same_submission(s, existing, user.id, role, rec.id)
            if parent_id is not None:
                parent = s.get(Comment, parent_id)
                if parent is None or parent.recommendation_id != rec.id or not _can_see(parent, user.id, role):
                    raise NotFound("svc.comments.parent_not_found", parent_id=parent_id)
                if parent.status != PUBLISHED and not is_staff(role):
                    raise InvalidInput("svc.comments.reply_published_only", field="parent_id")
            _check_quote(s, rec, quote_text)
            published = rt.moderation_mode == ModerationMode.POST or is_staff(role)
            now = utcnow()
            c = Comment(
                recommendation_id=rec.id,
                parent_id=parent_id,
                author_id=user.id,
                body=data.body,
                quote=quote_text,
                status=PUBLISHED if published else PENDING,
                created_at=now,
                updated_at=now,
                submission_key=key,
            )
            s.add(c)
            s.flush()
            audit(
                s,
                actor_id=user.id,
                roundtable_id=rec.roundtable_id,
                action="comment.post",
                object_type="comment",
                object_id=c.id,
                details={"recommendation_id": rec.id, "parent_id": parent_id, "status": c.status},
            )
            notifications.on_comment_posted(s, c, rec)
            return _one_view(s, c.id, staff=is_staff(role))
    except IntegrityError:
        # The same submission raced itself past the key check: the other copy is stored.
        if not key:
            raise
        with db.read() as s:
            existing = s.scalar(select(Comment).where(Comment.submission_key == key))
            if existing is None:
                raise
            user = actor(s, actor_ref(actor_id))
            rec = get(s, Recommendation, existing.recommendation_id, "Recommendation")
            return _same_submission(s, existing, user.id, member_role(s, user, rec.roundtable_id), recommendation_id)


def _same_submission(s: Session, existing: Comment, user_id: int, role: Role, recommendation_id: int) -> CommentView:
    # Someone else's key, or one used on another recommendation (or roundtable), is refused rather than
    # answered with that (perhaps pending) comment.
    if existing.author_id != user_id or existing.recommendation_id != recommendation_id:
        raise InvalidInput("svc.comments.submission_key_used", field="submission_key")
    return _one_view(s, existing.id, staff=is_staff(role))


def edit_comment(db: Database, *, actor_id: Actor, comment_id: int, body: str, quote: str | None = None) -> CommentView:
    """Change one's own comment; the earlier text is kept. ``quote=None`` keeps the quote.

    In pre-moderation an expert's edit of a published comment waits for a moderator while everyone else
    keeps reading the approved text (see the module notes; ``decide_comment_edit``). The author (and the
    moderators) see the waiting text as ``pending_body``. Raises PermissionDenied, InvalidInput, NotFound.
    """
    data = parse(CommentInput, body=body, quote=quote or "")
    with db.write() as s:
        user, role, c, rec = _load(s, actor_id, comment_id, lock=True)
        deny_unless(c.author_id == user.id, "svc.comments.only_author_edits")
        rt = require_as(
            s, actor_id, Action.COMMENT, rec.roundtable_id, refused="svc.comments.observers_cannot_edit"
        ).roundtable
        new_quote = c.quote if quote is None else _squash(data.quote)
        if new_quote != c.quote:
            # An unchanged quote is not re-checked: it was taken from the text current back then.
            _check_quote(s, rec, new_quote)
        now = utcnow()
        if c.status == PUBLISHED and rt.moderation_mode == ModerationMode.PRE and not is_staff(role):
            _hold_edit(s, c, rec, user.id, data.body, new_quote, now)
            return _one_view(s, c.id, staff=False, viewer_id=user.id)
        if data.body == c.body and new_quote == c.quote:
            return _one_view(s, c.id, staff=is_staff(role), viewer_id=user.id)
        s.add(
            CommentEdit(comment_id=c.id, editor_id=user.id, previous_body=c.body, previous_quote=c.quote, edited_at=now)
        )
        before = c.status
        c.body, c.quote, c.updated_at = data.body, new_quote, now
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="comment.edit",
            object_type="comment",
            object_id=c.id,
            details={"recommendation_id": rec.id, "from": before, "to": c.status},
        )
        return _one_view(s, c.id, staff=is_staff(role), viewer_id=user.id)


def _hold_edit(s: Session, c: Comment, rec: Recommendation, user_id: int, body: str, quote: str, now: Any) -> None:
    """Keep an expert's edit of a published pre-moderated comment for a moderator; the approved text stays.

    A second edit before the decision replaces the first; going back to the approved words withdraws it.
    """
    pending = s.scalar(select(CommentPendingEdit).where(CommentPendingEdit.comment_id == c.id))
    if body == c.body and quote == c.quote:
        if pending is None:
            return
        s.delete(pending)
        change = "withdrawn"
    elif pending is None:
        s.add(CommentPendingEdit(comment_id=c.id, body=body, quote=quote, submitted_at=now))
        change = "held"
    else:
        pending.body, pending.quote, pending.submitted_at = body, quote, now
        change = "held"
    audit(
        s,
        actor_id=user_id,
        roundtable_id=rec.roundtable_id,
        action="comment.edit",
        object_type="comment",
        object_id=c.id,
        details={"recommendation_id": rec.id, "from": PUBLISHED, "to": PUBLISHED, "edit": change},
    )


def flag_comment(db: Database, *, actor_id: Actor, comment_id: int, reason: str) -> FlagView:
    """Report a published comment to the moderators, once per person: any member but its author, observers
    included (see the module notes). The report never blocks the memo; a moderator resolves it.

    Raises InvalidInput (no reason, already flagged, not published), PermissionDenied, NotFound.
    """
    data = parse(ReasonInput, reason=reason)
    already = InvalidInput("svc.comments.already_flagged", field="comment_id")
    try:
        with db.write() as s:
            user, role, c, rec = _load(s, actor_id, comment_id, lock=True)
            deny_unless(c.author_id != user.id, "svc.comments.cannot_flag_own")
            # Any member may report, observers included (the policy's COMMENT is for contributors): only the
            # phase must still take comments.
            roundtable_open_for_writes(s, rec.roundtable_id, role, Action.COMMENT)
            if c.status != PUBLISHED:
                raise InvalidInput("svc.comments.flag_published_only", status=Word(c.status))
            if (
                s.scalar(select(CommentFlag.id).where(CommentFlag.comment_id == c.id, CommentFlag.user_id == user.id))
                is not None
            ):
                raise already
            flag = CommentFlag(comment_id=c.id, user_id=user.id, reason=data.reason, created_at=utcnow())
            s.add(flag)
            c.open_flags += 1
            s.flush()
            audit(
                s,
                actor_id=user.id,
                roundtable_id=rec.roundtable_id,
                action="comment.flag",
                object_type="comment",
                object_id=c.id,
                details={"recommendation_id": rec.id},
                visibility="staff",
            )
            notifications.on_comment_flagged(s, c, rec, data.reason, user.id)
            return FlagView(
                id=flag.id, user_id=user.id, reason=flag.reason, created_at=flag.created_at, resolved_at=None
            )
    except IntegrityError:
        raise already from None  # a double click raced past the check: the unique (comment, user) held


def resolve_comment(
    db: Database,
    *,
    actor_id: Actor,
    comment_id: int,
    resolution: str,
    revision_id: int | None = None,
    reason: str = "",
) -> CommentView:
    """Record that a comment was addressed (in ``revision_id`` of the same recommendation) or declined (with a reason).

    Recommendation authors and co-authors, moderators, admins. Raises InvalidInput, PermissionDenied, NotFound.
    """
    if resolution not in RESOLUTIONS:
        raise InvalidInput("svc.comments.resolution_values", field="resolution")
    if resolution == "declined":
        reason_text = parse(ReasonInput, reason=reason).reason
    else:
        reason_text = parse(OptionalReasonInput, reason=reason).reason
        if revision_id is None:
            raise InvalidInput("svc.comments.revision_needed", field="revision_id")
    with db.write() as s:
        user, role, c, rec = _load(s, actor_id, comment_id, lock=True)
        # Staff resolve as moderation (open in the final phase too); authors as a change of their text.
        require_as(
            s,
            actor_id,
            Action.MODERATE,
            rec.roundtable_id,
            or_author=is_author(rec, user.id),
            refused="svc.comments.who_resolves",
        )
        if is_frozen(rec.status, Frozen.RESOLUTIONS):
            raise PermissionDenied("svc.frozen.resolutions")
        if c.status != PUBLISHED:
            raise InvalidInput("svc.comments.resolve_published_only", status=Word(c.status))
        rev_number = None
        if resolution == "addressed":
            rev = s.get(Revision, revision_id)
            if rev is None or rev.recommendation_id != rec.id:
                raise InvalidInput("svc.comments.revision_other_rec", field="revision_id")
            if rev.created_at <= c.created_at:
                raise InvalidInput("svc.record.revision_before_comment", field="revision_id", number=rev.number)
            rev_number = rev.number
        c.resolution, c.resolution_reason, c.resolved_by = resolution, reason_text, user.id
        c.addressed_revision_id = revision_id if resolution == "addressed" else None
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="comment.resolve",
            object_type="comment",
            object_id=c.id,
            details={"recommendation_id": rec.id, "resolution": resolution, "revision": rev_number},
        )
        return _one_view(s, c.id, staff=is_staff(role))


# ---------------------------------------------------------------- reads


def get_comment(db: Database, *, actor_id: Actor, comment_id: int) -> CommentView:
    """One comment the actor may see. Raises NotFound, PermissionDenied."""
    with db.read() as s:
        user, role, c, rec = _load(s, actor_id, comment_id)
        view = _one_view(s, c.id, staff=is_staff(role), viewer_id=user.id)
        return _with_actions(s, [view], viewer_id=user.id, role=role, rec=rec)[0]


def list_comments(db: Database, *, actor_id: Actor, recommendation_id: int) -> list[CommentView]:
    """The comments of a recommendation the actor may see, in thread order. Raises PermissionDenied, NotFound."""
    with db.read() as s:
        user = actor(s, actor_ref(actor_id))
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        role = member_role(s, user, rec.roundtable_id)
        rows = _rows(s, Comment.recommendation_id == rec.id, _visible_clause(user.id, role))
        visible = {r[0].id for r in rows}
        views = [_view(r, staff=is_staff(role), visible_ids=visible) for r in _thread_order(rows)]
        return _with_actions(s, views, viewer_id=user.id, role=role, rec=rec)


THREADS_PER_PAGE = 10
MAX_THREADS_PER_PAGE = 50


def _readable_flag(model: Any, user_id: int, staff: bool) -> Any:
    """1 where this viewer may read the comment (``model``: Comment or an alias of it), else 0 — in SQL."""
    if staff:
        return literal(1)
    return case((or_(model.status == PUBLISHED, model.author_id == user_id), 1), else_=0)


def _threads_of(where_first: Any, user_id: int, staff: bool) -> Any:
    """A recursive CTE: every comment of the threads whose first comments match ``where_first``, with the id
    of its thread's first comment (``root``) and whether the viewer may read it (``readable``)."""
    first = (
        select(
            Comment.id.label("id"), Comment.id.label("root"), _readable_flag(Comment, user_id, staff).label("readable")
        )
        .where(where_first)
        .cte("thread_tree", recursive=True)
    )
    reply = aliased(Comment)
    return first.union_all(
        select(reply.id, first.c.root, _readable_flag(reply, user_id, staff)).where(reply.parent_id == first.c.id)
    )


def comment_page(
    db: Database, *, actor_id: Actor, recommendation_id: int, page: int = 1, page_size: int = THREADS_PER_PAGE
) -> CommentPageView:
    """One page of a recommendation's threads as the actor sees them: threads oldest first (as the whole
    list is ordered), each with all its replies. Raises PermissionDenied, NotFound.

    Where the actor may not read a comment but may read a reply to it, the comment's place is kept as a
    placeholder entry (issue 18): the reply stays in its thread, and the hidden text, author and id stay
    hidden. A thread of which the actor may read nothing is not listed. The database pages the threads
    (a recursive query over the replies, with LIMIT/OFFSET), so the rows read and the queries sent are the
    same for 500 or 5,000 comments (issue 15).
    """
    page_size = min(max(1, int(page_size)), MAX_THREADS_PER_PAGE)
    with db.read() as s:
        user = actor(s, actor_ref(actor_id))
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        role = member_role(s, user, rec.roundtable_id)
        staff = is_staff(role)
        first_comment = and_(Comment.recommendation_id == rec.id, Comment.parent_id.is_(None))
        readable_here = _readable_flag(Comment, user.id, staff) == 1
        # Threads listed: those whose first comment the viewer reads, and those whose first comment they may
        # not read but where they read a reply (followed down only from such first comments: a few).
        tree = _threads_of(and_(first_comment, ~readable_here), user.id, staff) if not staff else None
        read_roots = select(Comment.id.label("root")).where(first_comment, readable_here)
        listed: Select[tuple[int]] | CompoundSelect[tuple[int]] = read_roots
        if tree is not None:
            listed = read_roots.union_all(
                select(tree.c.root).group_by(tree.c.root).having(func.max(tree.c.readable) == 1)
            )
        shown = listed.subquery()
        threads, readable_count = s.execute(
            select(
                select(func.count()).select_from(shown).scalar_subquery(),
                select(func.count(Comment.id))
                .where(Comment.recommendation_id == rec.id, readable_here)
                .scalar_subquery(),
            )
        ).one()
        pages = max(1, -(-threads // page_size))
        page = min(max(1, int(page)), pages)
        first = aliased(Comment)
        roots = list(
            s.scalars(
                select(shown.c.root)
                .join(first, first.id == shown.c.root)
                .order_by(first.created_at, first.id)
                .offset((page - 1) * page_size)
                .limit(page_size)
            )
        )
        shape = (
            s.execute(
                select(Comment.id, Comment.parent_id, Comment.status, Comment.author_id)
                .where(Comment.id.in_(select(_threads_of(Comment.id.in_(roots), user.id, staff).c.id)))
                .order_by(Comment.created_at, Comment.id)
            ).all()
            if roots
            else []
        )
        readable = {cid for cid, _p, status, author in shape if staff or status == PUBLISHED or author == user.id}
        children: dict[int | None, list[int]] = defaultdict(list)
        for cid, parent, _status, _author in shape:
            if cid not in roots:
                children[parent].append(cid)
        preorder: list[int] = []
        stack = list(reversed(roots))
        while stack:  # iterative: a long reply chain must not hit the recursion limit
            cid = stack.pop()
            preorder.append(cid)
            stack.extend(reversed(children[cid]))
        keep: dict[int, bool] = {}
        for cid in reversed(preorder):  # replies before the comments they answer
            keep[cid] = cid in readable or any(keep[k] for k in children[cid])
        placed: list[tuple[int, int]] = []  # (comment id, depth) in thread order
        stack2 = [(cid, 0) for cid in reversed(roots)]
        while stack2:
            cid, depth = stack2.pop()
            placed.append((cid, depth))
            stack2.extend((k, depth + 1) for k in reversed(children[cid]) if keep[k])
        wanted = [cid for cid, _d in placed if cid in readable]
        rows = {r[0].id: r for r in _rows(s, Comment.id.in_(wanted))} if wanted else {}
        # A reply's parent id is shown only where the viewer may read the parent (see ``_view``).
        views = _with_extras(
            s, [_view(rows[cid], staff=staff, visible_ids=readable) for cid in wanted], viewer_id=user.id, staff=staff
        )
        views = _with_actions(s, views, viewer_id=user.id, role=role, rec=rec)
        by_id = {v.id: v for v in views}
        status_of = {cid: status for cid, _p, status, _a in shape}
        entries = [
            ThreadEntryView(depth=depth, comment=by_id[cid])
            if cid in by_id
            else ThreadEntryView(depth=depth, comment=None, placeholder=status_of[cid])
            for cid, depth in placed
        ]
        return CommentPageView(
            entries=entries, page=page, page_size=page_size, pages=pages, threads=threads, comments=readable_count
        )


def comment_history(db: Database, *, actor_id: Actor, comment_id: int) -> list[CommentEditView]:
    """Earlier texts of a comment, oldest first (its author, moderators, admins)."""
    with db.read() as s:
        user, role, c, _rec = _load(s, actor_id, comment_id)
        deny_unless(c.author_id == user.id or is_staff(role), "svc.comments.earlier_versions")
        edits = s.scalars(
            select(CommentEdit).where(CommentEdit.comment_id == c.id).order_by(CommentEdit.edited_at, CommentEdit.id)
        )
        return [
            CommentEditView(
                previous_body=e.previous_body,
                previous_quote=e.previous_quote,
                edited_at=e.edited_at,
                editor_id=e.editor_id,
            )
            for e in edits
        ]


def _staff_only(s: Session, actor_id: Actor, roundtable_id: int, key: str) -> Role:
    """The reader's role, when they are staff of the roundtable (reading staff-only lists is a right of the
    role, in every phase: an archived roundtable's moderation log stays readable)."""
    role = member_role(s, actor(s, actor_ref(actor_id)), roundtable_id)
    deny_unless(is_staff(role), key)
    return role


def published_comments_for_export(
    db: Database, *, actor_id: Actor, roundtable_id: int, recommendation_ids: list[int] | None = None
) -> list[CommentView]:
    """Published comments only, by recommendation number and thread (any participant; the memo's review copy)."""
    with db.read() as s:
        member_role(s, actor(s, actor_ref(actor_id)), roundtable_id)
        rows = _rows(
            s,
            Recommendation.roundtable_id == roundtable_id,
            Comment.status == PUBLISHED,
            *_in_recommendations(recommendation_ids),
        )
        published = {r[0].id for r in rows}
        return [_view(r, staff=False, visible_ids=published) for r in _thread_order(rows)]


def _resolution_cell(view: CommentView) -> str:
    if view.resolution == "addressed":
        return f"addressed in revision {view.addressed_revision_number}"
    if view.resolution == "declined":
        return f"declined: {view.resolution_reason}"
    return ""


def export_comments_csv(db: Database, *, actor_id: Actor, roundtable_id: int) -> str:
    """Every comment of the roundtable as CSV, safe to open in a spreadsheet (moderators, admins).

    Returns text; save it as UTF-8 with a BOM (``utf-8-sig``) so Excel reads Kazakh and Russian correctly.
    """
    from recdraft.services.memo import (
        names_for_export,  # here: memo imports the results service
    )

    with db.read() as s:
        _staff_only(s, actor_id, roundtable_id, "svc.content.export_staff_only")
        rows = _thread_order(_rows(s, Recommendation.roundtable_id == roundtable_id))
        # Someone who did not consent to be named is "Participant N" here too, as in the memo.
        name_of = names_for_export(s, roundtable_id)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            v = _view(row, staff=True)
            cells = (
                v.id,
                row[4],
                v.parent_id,
                name_of(v.author_id),
                v.status,
                v.created_at.isoformat(),
                v.body,
                v.quote,
                _resolution_cell(v),
            )
            writer.writerow([csvsafe.neutralise(cell) for cell in cells])
        return out.getvalue()
