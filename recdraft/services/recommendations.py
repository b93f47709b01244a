"""Recommendations: create, edit with conflict detection (one Save, one call), list, details, status, numbers,
co-authors, kept texts. Their revisions (list, diff, restore, history): ``services.revisions``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import (
    Coauthor,
    Membership,
    Recommendation,
    RejectedEdit,
    Revision,
    Roundtable,
    User,
    utcnow,
)
from recdraft.domain import policy
from recdraft.domain.policy import Action
from recdraft.domain.revisions import voted_text_changed
from recdraft.domain.roles import Role
from recdraft.domain.statuses import (
    EDITABLE_STATUSES,
    Frozen,
    Priority,
    RecStatus,
    check_transition,
    is_frozen,
)
from recdraft.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Word
from recdraft.schemas.common import Input, Note, OptionalReason, Topic, parse
from recdraft.schemas.content import FIELDS, Content, content_from_json, content_to_json
from recdraft.schemas.views import (
    RecommendationPage,
    RecommendationView,
    RejectedEditView,
    RevisionView,
)
from recdraft.services._base import (
    Actor,
    Granted,
    actor,
    actor_ref,
    audit,
    get,
    member_role,
    moderators_vote,
    require,
    role_of,
)

MAX_PAGE_SIZE = 200


class RecommendationInput(Input):
    content: Content
    topic: Topic = ""
    priority: Priority = Priority.MEDIUM
    note: Note = ""


class EditInput(Input):
    content: Content
    note: Note = ""


class SubmissionKey(Input):
    key: str | None = None


def _check_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = str(key).strip()
    if not 8 <= len(key) <= 64 or not key.isascii():
        raise InvalidInput("svc.recommendations.submission_key_format", field="submission_key")
    return key


KEY_TAKEN = "svc.frozen.key_taken"


def same_submission(owner_id: int, recommendation_id: int, *, user_id: Actor, expected_recommendation_id: int) -> bool:
    """Whether a stored object with a submission key is the actor's own earlier copy of this very submission.

    Keys are scoped to the actor and the recommendation (hence its roundtable): a key someone else used, or
    one used on another recommendation, is never answered with that object; the caller refuses it instead.
    """
    return owner_id == user_id and recommendation_id == expected_recommendation_id


def search_text_of(content: dict[str, dict[str, str]], topic: str) -> str:
    """Everything searchable in one case-folded string."""
    parts = [topic]
    for fields in content.values():
        parts.extend(fields.get(f, "") for f in FIELDS)
    return "\n".join(p for p in parts if p).casefold()


def languages_of(content: dict[str, Any]) -> str:
    return "," + ",".join(sorted(content)) + ","


def _revision_view(rev: Revision, author_name: str) -> RevisionView:
    return RevisionView(
        id=rev.id,
        recommendation_id=rev.recommendation_id,
        number=rev.number,
        content=content_from_json(rev.content),
        author_id=rev.author_id,
        author_name=author_name,
        created_at=rev.created_at,
        base_revision_id=rev.base_revision_id,
        note=rev.note,
        kind=rev.kind,
    )


def _rec_view(rec: Recommendation, rev: Revision, author_name: str, coauthor_ids: list[int]) -> RecommendationView:
    return RecommendationView(
        id=rec.id,
        roundtable_id=rec.roundtable_id,
        number=rec.number,
        position=rec.position,
        topic=rec.topic,
        priority=rec.priority,
        status=rec.status,
        version=rec.version,
        created_by=rec.created_by,
        created_at=rec.created_at,
        updated_at=rec.updated_at,
        coauthor_ids=coauthor_ids,
        merged_into_id=rec.merged_into_id,
        current_revision=_revision_view(rev, author_name),
    )


def load_view(s: Session, rec: Recommendation) -> RecommendationView:
    """The view of one recommendation with its current revision."""
    rev = s.get(Revision, rec.current_revision_id)
    assert rev is not None
    author = s.get(User, rev.author_id)
    coauthors = sorted(c.user_id for c in rec.coauthors)
    return _rec_view(rec, rev, author.display_name if author else "", coauthors)


def is_author(rec: Recommendation, user_id: int) -> bool:
    """The creator or a co-author."""
    return rec.created_by == user_id or any(c.user_id == user_id for c in rec.coauthors)


def require_as(
    s: Session,
    actor_id: Actor,
    action: Action,
    roundtable_id: int,
    *,
    is_author: bool = False,
    or_author: bool = False,
    refused: str | None = None,
    lock: bool = False,
) -> Granted:
    """``_base.require`` for the content services: the policy decides who may do ``action``.

    ``refused``: when the policy refuses because of the role (not the phase, not membership), the message
    names this very action ("Only moderators and administrators can dismiss reports.") instead of the
    policy's general sentence. ``or_author``: the recommendation's authors who contribute may do ``action``
    too, wherever its phase leaves it open (authors resolve the comments on their text and withdraw it).
    """
    act = Action(action)
    try:
        return require(s, actor_id, act, roundtable_id, is_author=is_author, lock=lock)
    except PermissionDenied as refusal:
        if refusal.key != policy.ROLE_REFUSALS[act]:
            raise
        if or_author and not isinstance(actor_id, int):  # pragma: no cover - SYSTEM is never refused
            raise
        if or_author:
            user = actor(s, actor_ref(actor_id))
            role = role_of(s, user, roundtable_id)
            if role in policy.ROLE_RULES[Action.DRAFT]:
                return Granted(user=user, role=role, roundtable=get(s, Roundtable, roundtable_id, "Roundtable"))
        if refused is not None:
            raise PermissionDenied(refused) from None
        raise


def load_for_write(
    s: Session,
    actor_id: Actor,
    recommendation_id: int,
    action: Action = Action.EDIT,
    *,
    refused: str | None = None,
    or_author: bool = False,
) -> tuple[User, Role, Recommendation]:
    """Actor, their role and the locked recommendation, when the policy lets the actor do ``action`` on it
    (``require_as``: for EDIT, experts on their own recommendation). Raises PermissionDenied, NotFound."""
    rec = get(s, Recommendation, recommendation_id, "Recommendation", lock=True)
    author = isinstance(actor_id, int) and is_author(rec, actor_id)
    granted = require_as(
        s, actor_id, action, rec.roundtable_id, is_author=author, or_author=or_author and author, refused=refused
    )
    user = granted.user if granted.user is not None else actor(s, actor_ref(actor_id))
    return user, granted.role, rec


def add_revision(
    s: Session,
    rec: Recommendation,
    *,
    author_id: int,
    content: dict[str, Any],
    kind: str,
    note: str = "",
    base_revision_id: int | None,
    submission_key: str | None = None,
) -> Revision:
    """Append a revision and make it current (the caller holds the recommendation's lock)."""
    number = (s.scalar(select(func.max(Revision.number)).where(Revision.recommendation_id == rec.id)) or 0) + 1
    rev = Revision(
        recommendation_id=rec.id,
        number=number,
        content=content,
        author_id=author_id,
        kind=kind,
        note=note,
        base_revision_id=base_revision_id,
        submission_key=submission_key,
        created_at=utcnow(),
    )
    s.add(rev)
    s.flush()
    rec.current_revision_id = rev.id
    rec.search_text = search_text_of(content, rec.topic)
    rec.languages = languages_of(content)
    rec.updated_at = rev.created_at
    return rev


def create_recommendation(
    db: Database,
    *,
    actor_id: Actor,
    roundtable_id: int,
    content: dict[str, Any],
    topic: str = "",
    priority: str = "medium",
    note: str = "",
    submission_key: str | None = None,
) -> RecommendationView:
    """Draft a new recommendation (experts, moderators, admins). Raises InvalidInput, PermissionDenied."""
    data = parse(RecommendationInput, content=content, topic=topic, priority=priority, note=note)
    key = _check_key(submission_key)
    with db.write() as s:
        # Lock the roundtable row so two creations cannot take the same number (PostgreSQL).
        require_as(
            s, actor_id, Action.DRAFT, roundtable_id, refused="svc.recommendations.observers_cannot_draft", lock=True
        )
        user = actor(s, actor_ref(actor_id))
        if key:
            existing = s.scalar(select(Revision).where(Revision.submission_key == key))
            if existing is not None:
                earlier = get(s, Recommendation, existing.recommendation_id, "Recommendation")
                if existing.kind != "create" or existing.author_id != user.id or earlier.roundtable_id != roundtable_id:
                    raise InvalidInput(KEY_TAKEN, field="submission_key")
                return load_view(s, earlier)
        top = s.execute(
            select(func.max(Recommendation.number), func.max(Recommendation.position)).where(
                Recommendation.roundtable_id == roundtable_id
            )
        ).one()
        stored = content_to_json(data.content)
        rec = Recommendation(
            roundtable_id=roundtable_id,
            number=(top[0] or 0) + 1,
            position=(top[1] or 0) + 1,
            topic=data.topic,
            priority=data.priority.value,
            status=RecStatus.DRAFT.value,
            created_by=user.id,
            created_at=utcnow(),
        )
        s.add(rec)
        s.flush()
        rev = add_revision(
            s,
            rec,
            author_id=user.id,
            content=stored,
            kind="create",
            note=data.note,
            base_revision_id=None,
            submission_key=key,
        )
        audit(
            s,
            actor_id=user.id,
            roundtable_id=roundtable_id,
            action="recommendation.create",
            object_type="recommendation",
            object_id=rec.id,
            details={"number": rec.number, "revision": rev.number},
        )
        return load_view(s, rec)


class EditOutcome(RecommendationView):
    """What a Save did: ``revision_saved`` when the voted text changed (a new revision), ``details`` changed.

    Neither set means nothing changed: no revision was made and no vote was touched.
    """

    revision_saved: bool = False
    details: list[str] = []

    @property
    def nothing_changed(self) -> bool:
        return not self.revision_saved and not self.details


def _outcome(view: RecommendationView, *, revision_saved: bool, details: list[str]) -> EditOutcome:
    return EditOutcome(**dict(view), revision_saved=revision_saved, details=details)


def _apply_details(
    rec: Recommendation, rev: Revision | None, *, topic: str | None, priority: str | None
) -> dict[str, list[str]]:
    """Set topic and priority (details not voted on: no revision); {name: [before, after]} of what changed."""
    changed: dict[str, list[str]] = {}
    if topic is not None and topic != rec.topic:
        changed["topic"] = [rec.topic, topic]
        rec.topic = topic
        rec.search_text = search_text_of(rev.content if rev else {}, rec.topic)
    if priority is not None and priority != rec.priority:
        changed["priority"] = [rec.priority, priority]
        rec.priority = priority
    return changed


def _checked_details(topic: str | None, priority: str | None) -> tuple[str | None, str | None]:
    topic_value = None if topic is None else parse(_TopicInput, topic=topic).topic
    if priority is None:
        return topic_value, None
    try:
        return topic_value, Priority(priority).value
    except ValueError:
        raise InvalidInput("svc.recommendations.priority_values", field="priority") from None


def _resolve_kept(s: Session, rec: Recommendation, user_id: int, draft_ids: list[int], revision_id: int) -> None:
    """Mark the actor's kept texts (from earlier conflicts) as merged into ``revision_id``."""
    for draft_id in draft_ids:
        d = s.get(RejectedEdit, draft_id)
        if d is None or d.author_id != user_id or d.recommendation_id != rec.id:
            raise NotFound("svc.recommendations.kept_text_not_found", draft_id=draft_id)
        d.resolved_revision_id = revision_id


def edit_recommendation(
    db: Database,
    *,
    actor_id: Actor,
    recommendation_id: int,
    base_revision_id: int,
    content: dict[str, Any],
    note: str = "",
    topic: str | None = None,
    priority: str | None = None,
    merged_draft_ids: list[int] | None = None,
    submission_key: str | None = None,
) -> EditOutcome:
    """Save what the draft page's Save sends, in one transaction: the text made from ``base_revision_id``
    and the details (``topic``, ``priority``; None keeps them).

    A new revision is made only when a voted word changed (``domain.revisions``): an unchanged text makes
    no revision and leaves every vote counting; topic and priority change without one. ``merged_draft_ids``
    are the actor's kept texts from earlier conflicts that this save merges.

    Raises Conflict when someone saved a different text since that base: the conflict carries the current
    text, who saved it and when, and the actor's text, which is also stored (``Conflict.saved_draft_id``)
    so nothing is lost. Also raises InvalidInput, PermissionDenied, NotFound.
    """
    data = parse(EditInput, content=content, note=note)
    new_topic, new_priority = _checked_details(topic, priority)
    key = _check_key(submission_key)
    stored = content_to_json(data.content)
    conflict: Conflict | None = None
    try:
        with db.write() as s:
            user, _role, rec = load_for_write(
                s, actor_id, recommendation_id, Action.EDIT, refused="svc.recommendations.who_edits"
            )
            if rec.status not in EDITABLE_STATUSES:
                raise PermissionDenied("svc.recommendations.status_not_editable", status=Word(rec.status))
            if key:
                existing = s.scalar(select(Revision).where(Revision.submission_key == key))
                if existing is not None:
                    if existing.kind != "edit" or not same_submission(
                        existing.author_id,
                        existing.recommendation_id,
                        user_id=user.id,
                        expected_recommendation_id=rec.id,
                    ):
                        raise InvalidInput(KEY_TAKEN, field="submission_key")
                    return _outcome(load_view(s, rec), revision_saved=True, details=[])
            current = s.get(Revision, rec.current_revision_id)
            assert current is not None
            text_changed = voted_text_changed(current.content, stored)
            if text_changed and rec.current_revision_id != base_revision_id:
                base = s.get(Revision, base_revision_id)
                if base is None or base.recommendation_id != rec.id or voted_text_changed(base.content, stored):
                    conflict = _conflict(s, rec, user, current, base_revision_id, stored, data)
                else:
                    # The actor's words are the base's, unchanged: nothing of theirs to save, and the newer
                    # text stays current (saving the old words would undo someone else's revision).
                    text_changed = False
            if conflict is None:
                rev = None
                if text_changed:
                    rev = add_revision(
                        s,
                        rec,
                        author_id=user.id,
                        content=stored,
                        kind="edit",
                        note=data.note,
                        base_revision_id=base_revision_id,
                        submission_key=key,
                    )
                changed = _apply_details(rec, rev or current, topic=new_topic, priority=new_priority)
                assert rec.current_revision_id is not None  # ``current`` was found above, or ``rev`` just set it
                _resolve_kept(s, rec, user.id, list(merged_draft_ids or []), rec.current_revision_id)
                if rev is not None:
                    audit(
                        s,
                        actor_id=user.id,
                        roundtable_id=rec.roundtable_id,
                        action="recommendation.edit",
                        object_type="recommendation",
                        object_id=rec.id,
                        details={"revision": rev.number, **({"changed": changed} if changed else {})},
                    )
                elif changed:
                    rec.updated_at = utcnow()
                    audit(
                        s,
                        actor_id=user.id,
                        roundtable_id=rec.roundtable_id,
                        action="recommendation.details",
                        object_type="recommendation",
                        object_id=rec.id,
                        details=changed,
                    )
                s.flush()
                return _outcome(load_view(s, rec), revision_saved=rev is not None, details=sorted(changed))
    except IntegrityError:
        # The same submission raced itself past the key check: the other copy is stored.
        if key:
            with db.read() as s:
                existing = s.scalar(select(Revision).where(Revision.submission_key == key))
                if existing is not None:
                    if not same_submission(
                        existing.author_id,
                        existing.recommendation_id,
                        user_id=actor_id,
                        expected_recommendation_id=recommendation_id,
                    ):
                        raise InvalidInput(KEY_TAKEN, field="submission_key") from None
                    view = load_view(s, get(s, Recommendation, existing.recommendation_id, "Recommendation"))
                    return _outcome(view, revision_saved=True, details=[])
        raise
    # Raised after the commit: the rejected text and its audit row are stored.
    assert conflict is not None
    raise conflict


def _conflict(
    s: Session,
    rec: Recommendation,
    user: User,
    current: Revision,
    base_revision_id: int,
    stored: dict[str, Any],
    data: EditInput,
) -> Conflict:
    """Keep the losing text and describe the revision that won (number, author, time)."""
    draft = RejectedEdit(
        recommendation_id=rec.id,
        author_id=user.id,
        base_revision_id=base_revision_id,
        current_revision_id=current.id,
        content=stored,
        note=data.note,
        created_at=utcnow(),
    )
    s.add(draft)
    s.flush()
    audit(
        s,
        actor_id=user.id,
        roundtable_id=rec.roundtable_id,
        action="recommendation.edit_conflict",
        object_type="recommendation",
        object_id=rec.id,
        details={"draft_id": draft.id, "base_revision_id": base_revision_id, "current_revision": current.number},
    )
    author = s.get(User, current.author_id)
    return Conflict(
        "svc.recommendations.edit_conflict",
        number=current.number,
        current=content_from_json(current.content),
        yours=data.content,
        current_revision_id=current.id,
        saved_draft_id=draft.id,
        current_revision_number=current.number,
        current_author_name=author.display_name if author else None,
        current_saved_at=current.created_at,
    )


def with_actions(
    s: Session, actor_id: Actor, roundtable_id: int, views: list[RecommendationView], role: Role | None
) -> list[RecommendationView]:
    """``views`` carrying what the actor (whose ``role`` it is) may do with each (``policy.actions``, with
    ``is_author``). One query (the roundtable, when not already in the session)."""
    if not views:
        return views
    rt = get(s, Roundtable, roundtable_id, "Roundtable")
    mv = moderators_vote(rt)
    out = []
    for view in views:
        author = isinstance(actor_id, int) and (view.created_by == actor_id or actor_id in view.coauthor_ids)
        out.append(
            view.model_copy(
                update={"actions": policy.actions(role=role, phase=rt.phase, moderators_vote=mv, is_author=author)}
            )
        )
    return out


def get_recommendation(db: Database, *, actor_id: Actor, recommendation_id: int) -> RecommendationView:
    """One recommendation with its current text and what the actor may do with it (any participant).
    Raises NotFound, PermissionDenied."""
    with db.read() as s:
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        role = member_role(s, actor(s, actor_ref(actor_id)), rec.roundtable_id)
        return with_actions(s, actor_id, rec.roundtable_id, [load_view(s, rec)], role)[0]


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_recommendations(
    db: Database,
    *,
    actor_id: Actor,
    roundtable_id: int,
    status: str | list[str] | None = None,
    topic: str | None = None,
    language: str | None = None,
    search: str | None = None,
    page: int = 1,
    page_size: int = 25,
) -> RecommendationPage:
    """A page of recommendations in order, filtered by status, topic, language and search words.

    Issues a fixed number of queries whatever the page size (role, count, rows, co-authors).
    """
    page = max(1, int(page))
    page_size = min(max(1, int(page_size)), MAX_PAGE_SIZE)
    with db.read() as s:
        role = member_role(s, actor(s, actor_ref(actor_id)), roundtable_id)
        where = [Recommendation.roundtable_id == roundtable_id]
        if status:
            statuses = [status] if isinstance(status, str) else list(status)
            where.append(Recommendation.status.in_(statuses))
        if topic:
            where.append(Recommendation.topic == topic)
        if language:
            where.append(Recommendation.languages.like(f"%,{_like_escape(language)},%", escape="\\"))
        if search and search.strip():
            for word in search.casefold().split():
                where.append(Recommendation.search_text.like(f"%{_like_escape(word)}%", escape="\\"))
        total = s.scalar(select(func.count()).select_from(Recommendation).where(*where)) or 0
        rows = s.execute(
            select(Recommendation, Revision, User.display_name)
            .join(Revision, Revision.id == Recommendation.current_revision_id)
            .join(User, User.id == Revision.author_id)
            .where(*where)
            .order_by(Recommendation.position, Recommendation.id)
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
        items = with_actions(s, actor_id, roundtable_id, _views(s, rows), role)
        return RecommendationPage(items=items, total=total, page=page, page_size=page_size)


def _views(s: Session, rows: Any) -> list[RecommendationView]:
    """Views of (recommendation, current revision, author name) rows, with their co-authors (one query)."""
    ids = [rec.id for rec, _, _ in rows]
    coauthors: dict[int, list[int]] = {i: [] for i in ids}
    if ids:
        for rid, uid in s.execute(
            select(Coauthor.recommendation_id, Coauthor.user_id)
            .where(Coauthor.recommendation_id.in_(ids))
            .order_by(Coauthor.user_id)
        ):
            coauthors[rid].append(uid)
    return [_rec_view(rec, rev, name, coauthors[rec.id]) for rec, rev, name in rows]


def get_many(db: Database, *, actor_id: Actor, roundtable_id: int, ids: Iterable[int]) -> dict[int, RecommendationView]:
    """The recommendations of ``roundtable_id`` among ``ids``, by id, with their current texts (any participant).

    Ids of other roundtables or of nothing are left out. Three queries whatever the number of ids.
    """
    wanted = sorted({int(i) for i in ids})
    with db.read() as s:
        role = member_role(s, actor(s, actor_ref(actor_id)), roundtable_id)
        if not wanted:
            return {}
        rows = s.execute(
            select(Recommendation, Revision, User.display_name)
            .join(Revision, Revision.id == Recommendation.current_revision_id)
            .join(User, User.id == Revision.author_id)
            .where(Recommendation.roundtable_id == roundtable_id, Recommendation.id.in_(wanted))
            .order_by(Recommendation.position, Recommendation.id)
        ).all()
        return {view.id: view for view in with_actions(s, actor_id, roundtable_id, _views(s, rows), role)}


def list_topics(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[str]:
    """The distinct topics used in a roundtable."""
    with db.read() as s:
        member_role(s, actor(s, actor_ref(actor_id)), roundtable_id)
        return [
            t
            for t in s.scalars(
                select(Recommendation.topic)
                .where(Recommendation.roundtable_id == roundtable_id, Recommendation.topic != "")
                .distinct()
                .order_by(Recommendation.topic)
            )
        ]


def set_status(
    db: Database,
    *,
    actor_id: Actor,
    recommendation_id: int,
    status: str,
    reason: str = "",
    merged_into_id: int | None = None,
) -> RecommendationView:
    """Move a recommendation along a defined path (moderators, admins; authors may withdraw their own).

    Raises InvalidTransition, PermissionDenied, InvalidInput.
    """
    try:
        target = RecStatus(status)
    except ValueError:
        raise InvalidInput("svc.recommendations.unknown_status", field="status", status=status) from None
    reason_text = parse(_ReasonInput, reason=reason).reason
    with db.write() as s:
        # Moderation; besides, the authors may withdraw their own recommendation.
        user, _role, rec = load_for_write(
            s,
            actor_id,
            recommendation_id,
            Action.MODERATE,
            or_author=target == RecStatus.WITHDRAWN,
            refused="svc.recommendations.who_changes_status",
        )
        current = RecStatus(rec.status)
        check_transition(current, target)
        if target == RecStatus.MERGED:
            if merged_into_id is None:
                raise InvalidInput("svc.recommendations.merge_target_needed", field="merged_into_id")
            other = get(s, Recommendation, merged_into_id, "Recommendation")
            if other.roundtable_id != rec.roundtable_id or other.id == rec.id:
                raise InvalidInput("svc.recommendations.merge_same_roundtable", field="merged_into_id")
            rec.merged_into_id = other.id
        rec.status = target.value
        rec.updated_at = utcnow()
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="recommendation.status",
            object_type="recommendation",
            object_id=rec.id,
            details={
                "from": current.value,
                "to": target.value,
                "reason": reason_text,
                "merged_into_id": rec.merged_into_id,
            },
        )
        return load_view(s, rec)


class _ReasonInput(Input):
    reason: OptionalReason = ""


def set_details(
    db: Database, *, actor_id: Actor, recommendation_id: int, topic: str | None = None, priority: str | None = None
) -> RecommendationView:
    """Change topic or priority (authors, moderators, admins): details not voted on, so no revision."""
    new_topic, new_priority = _checked_details(topic, priority)
    with db.write() as s:
        user, _role, rec = load_for_write(
            s, actor_id, recommendation_id, Action.EDIT, refused="svc.recommendations.who_changes"
        )
        if is_frozen(rec.status, Frozen.DETAILS):
            raise PermissionDenied("svc.frozen.details")
        changed = _apply_details(rec, s.get(Revision, rec.current_revision_id), topic=new_topic, priority=new_priority)
        if changed:
            rec.updated_at = utcnow()
            audit(
                s,
                actor_id=user.id,
                roundtable_id=rec.roundtable_id,
                action="recommendation.details",
                object_type="recommendation",
                object_id=rec.id,
                details=changed,
            )
        return load_view(s, rec)


class _TopicInput(Input):
    topic: Topic = ""


def renumber(db: Database, *, actor_id: Actor, roundtable_id: int, order: list[int]) -> list[RecommendationView]:
    """Give the roundtable's recommendations the numbers 1..n in ``order`` (all of them, each once)."""
    with db.write() as s:
        require_as(s, actor_id, Action.MODERATE, roundtable_id, refused="svc.recommendations.who_renumbers", lock=True)
        user = actor(s, actor_ref(actor_id))
        recs = {
            r.id: r
            for r in s.scalars(
                select(Recommendation).where(Recommendation.roundtable_id == roundtable_id).with_for_update()
            )
        }
        if sorted(order) != sorted(recs) or len(set(order)) != len(order):
            raise InvalidInput("svc.recommendations.order_each_once", field="order")
        before = {rid: recs[rid].number for rid in order}
        # Two passes: negative numbers first, so swapping never trips the unique (roundtable, number).
        s.execute(
            update(Recommendation)
            .where(Recommendation.roundtable_id == roundtable_id)
            .values(number=-Recommendation.number, version=Recommendation.version + 1),
            execution_options={"synchronize_session": False},
        )
        for index, rid in enumerate(order, start=1):
            s.execute(
                update(Recommendation).where(Recommendation.id == rid).values(number=index, position=index),
                execution_options={"synchronize_session": False},
            )
        s.expire_all()
        audit(
            s,
            actor_id=user.id,
            roundtable_id=roundtable_id,
            action="recommendation.renumber",
            object_type="roundtable",
            object_id=roundtable_id,
            details={"numbers": {str(rid): [before[rid], i] for i, rid in enumerate(order, start=1)}},
        )
        rows = s.scalars(
            select(Recommendation)
            .where(Recommendation.roundtable_id == roundtable_id)
            .order_by(Recommendation.position)
        ).all()
        return [load_view(s, r) for r in rows]


def set_coauthors(db: Database, *, actor_id: Actor, recommendation_id: int, user_ids: list[int]) -> RecommendationView:
    """Replace the co-authors (the creator, moderators, admins); co-authors must be contributing participants."""
    with db.write() as s:
        # Choosing the co-authors is the creator's change (co-authors do not choose each other), or staff's.
        rec = get(s, Recommendation, recommendation_id, "Recommendation", lock=True)
        require_as(
            s,
            actor_id,
            Action.EDIT,
            rec.roundtable_id,
            is_author=rec.created_by == actor_id,
            refused="svc.recommendations.who_chooses_coauthors",
        )
        user = actor(s, actor_ref(actor_id))
        if is_frozen(rec.status, Frozen.COAUTHORS):
            raise PermissionDenied("svc.frozen.coauthors")
        wanted = sorted(set(user_ids) - {rec.created_by})
        if wanted:
            roles = dict(
                s.execute(
                    select(Membership.user_id, Membership.role).where(
                        Membership.roundtable_id == rec.roundtable_id, Membership.user_id.in_(wanted)
                    )
                )
                .tuples()
                .all()
            )
            for uid in wanted:
                if roles.get(uid) not in policy.ROLE_RULES[Action.DRAFT]:
                    raise InvalidInput("svc.recommendations.coauthor_not_contributor", field="user_ids", uid=uid)
        before = sorted(c.user_id for c in rec.coauthors)
        rec.coauthors = [c for c in rec.coauthors if c.user_id in wanted]
        have = {c.user_id for c in rec.coauthors}
        rec.coauthors.extend(Coauthor(user_id=uid, added_at=utcnow()) for uid in wanted if uid not in have)
        rec.updated_at = utcnow()
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="recommendation.coauthors",
            object_type="recommendation",
            object_id=rec.id,
            details={"from": before, "to": wanted},
        )
        s.flush()
        return load_view(s, rec)


def _rejected_view(d: RejectedEdit) -> RejectedEditView:
    return RejectedEditView(
        id=d.id,
        recommendation_id=d.recommendation_id,
        author_id=d.author_id,
        base_revision_id=d.base_revision_id,
        current_revision_id=d.current_revision_id,
        content=content_from_json(d.content),
        note=d.note,
        created_at=d.created_at,
        resolved_revision_id=d.resolved_revision_id,
    )


def list_rejected_edits(db: Database, *, actor_id: Actor, recommendation_id: int) -> list[RejectedEditView]:
    """Texts that lost an edit race: one's own, or everyone's for moderators."""
    with db.read() as s:
        user = actor(s, actor_ref(actor_id))
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        role = member_role(s, user, rec.roundtable_id)
        stmt = select(RejectedEdit).where(RejectedEdit.recommendation_id == rec.id).order_by(RejectedEdit.id)
        if role not in policy.ROLE_RULES[Action.MODERATE]:
            stmt = stmt.where(RejectedEdit.author_id == user.id)
        return [_rejected_view(d) for d in s.scalars(stmt)]


def get_rejected_edit(db: Database, *, actor_id: Actor, draft_id: int) -> RejectedEditView:
    """One kept text from a lost edit race (its author or a moderator)."""
    with db.read() as s:
        user = actor(s, actor_ref(actor_id))
        d = get(s, RejectedEdit, draft_id, "Kept text")
        rec = get(s, Recommendation, d.recommendation_id, "Recommendation")
        role = member_role(s, user, rec.roundtable_id)
        if d.author_id != user.id and role not in policy.ROLE_RULES[Action.MODERATE]:
            raise NotFound("svc.recommendations.kept_text_not_found", draft_id=draft_id)
        return _rejected_view(d)


def resolve_rejected_edit(db: Database, *, actor_id: Actor, draft_id: int, revision_id: int) -> None:
    """Mark a kept text as merged into ``revision_id`` (its author).

    Merging a kept text is drafting, so the roundtable's phase must allow drafting (not when final or
    archived: the record of the drafting is then settled).
    """
    with db.write() as s:
        user = actor(s, actor_ref(actor_id))
        d = get(s, RejectedEdit, draft_id, "Kept text", lock=True)
        if d.author_id != user.id:
            raise NotFound("svc.recommendations.kept_text_not_found", draft_id=draft_id)
        owner = get(s, Recommendation, d.recommendation_id, "Recommendation")
        require(s, actor_id, Action.DRAFT, owner.roundtable_id)
        rev = get(s, Revision, revision_id, "Revision")
        if rev.recommendation_id != d.recommendation_id:
            raise InvalidInput("svc.recommendations.revision_other_rec")
        d.resolved_revision_id = rev.id
        rec = get(s, Recommendation, d.recommendation_id, "Recommendation")
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="recommendation.conflict_resolved",
            object_type="recommendation",
            object_id=rec.id,
            details={"draft_id": d.id, "revision": rev.number},
        )
