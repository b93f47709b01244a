"""Amendments: an expert proposes new text against a revision; the author or a moderator decides."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from recdraft.db.engine import Database
from recdraft.db.models import Amendment, Recommendation, Revision, User, utcnow
from recdraft.domain.policy import Action
from recdraft.domain.revisions import program_note, voted_text_changed
from recdraft.domain.statuses import (
    EDITABLE_STATUSES,
    AmendmentStatus,
    Frozen,
    is_frozen,
)
from recdraft.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    Msg,
    PermissionDenied,
    Word,
)
from recdraft.schemas.common import Input, Note, OptionalReason, Reason, parse
from recdraft.schemas.content import Content, content_from_json, content_to_json
from recdraft.schemas.views import AmendmentView
from recdraft.services import notifications
from recdraft.services._base import (
    Actor,
    actor,
    actor_ref,
    audit,
    deny_unless,
    get,
    member_role,
)
from recdraft.services.recommendations import (
    KEY_TAKEN,
    _check_key,
    add_revision,
    load_for_write,
    same_submission,
)


class AmendmentInput(Input):
    content: Content
    justification: OptionalReason = ""


class RejectInput(Input):
    reason: Reason


class AcceptInput(Input):
    note: Note = ""


def _view(a: Amendment, proposer_name: str) -> AmendmentView:
    return AmendmentView(
        id=a.id,
        number=a.number,
        recommendation_id=a.recommendation_id,
        base_revision_id=a.base_revision_id,
        proposer_id=a.proposer_id,
        proposer_name=proposer_name,
        content=content_from_json(a.content),
        justification=a.justification,
        status=a.status,
        decided_by=a.decided_by,
        decided_at=a.decided_at,
        reason=a.reason,
        resulting_revision_id=a.resulting_revision_id,
        created_at=a.created_at,
    )


def propose_amendment(
    db: Database,
    *,
    actor_id: Actor,
    recommendation_id: int,
    content: dict[str, Any],
    justification: str = "",
    submission_key: str | None = None,
) -> AmendmentView:
    """Propose new text against the current revision (experts, moderators, admins). Raises PermissionDenied, InvalidInput."""
    data = parse(AmendmentInput, content=content, justification=justification)
    key = _check_key(submission_key)
    try:
        with db.write() as s:
            user, _role, rec = load_for_write(
                s, actor_id, recommendation_id, Action.DRAFT, refused="svc.amendments.observers_cannot_propose"
            )
            _refuse_if_frozen(rec)
            if rec.status not in EDITABLE_STATUSES:
                raise PermissionDenied("svc.amendments.status_not_amendable", status=Word(rec.status))
            if key:
                existing = s.scalar(select(Amendment).where(Amendment.submission_key == key))
                if existing is not None:
                    if not same_submission(
                        existing.proposer_id,
                        existing.recommendation_id,
                        user_id=user.id,
                        expected_recommendation_id=rec.id,
                    ):
                        raise InvalidInput(KEY_TAKEN, field="submission_key")
                    return _view(existing, user.display_name)
            # The recommendation is locked (load_for_write: FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE on
            # SQLite), so the next number is read and used by one writer at a time; the unique pair backs it.
            number = (
                s.scalar(select(func.max(Amendment.number)).where(Amendment.recommendation_id == rec.id)) or 0
            ) + 1
            a = Amendment(
                recommendation_id=rec.id,
                number=number,
                base_revision_id=rec.current_revision_id,
                proposer_id=user.id,
                content=content_to_json(data.content),
                justification=data.justification,
                status=AmendmentStatus.OPEN.value,
                submission_key=key,
                created_at=utcnow(),
            )
            s.add(a)
            s.flush()
            audit(
                s,
                actor_id=user.id,
                roundtable_id=rec.roundtable_id,
                action="amendment.propose",
                object_type="amendment",
                object_id=a.id,
                details={"recommendation_id": rec.id, "number": a.number},
            )
            notifications.on_amendment_proposed(s, a, rec)
            return _view(a, user.display_name)
    except IntegrityError:
        if not key:
            raise
        with db.read() as s:
            existing = s.scalar(select(Amendment).where(Amendment.submission_key == key))
            if existing is None:
                raise
            if not same_submission(
                existing.proposer_id,
                existing.recommendation_id,
                user_id=actor_id,
                expected_recommendation_id=recommendation_id,
            ):
                raise InvalidInput(KEY_TAKEN, field="submission_key") from None
            proposer = s.get(User, existing.proposer_id)
            return _view(existing, proposer.display_name if proposer else "")


def _refuse_if_frozen(rec: Recommendation) -> None:
    """An adopted text's amendments are settled (``domain.statuses.FROZEN_BY_STATUS``)."""
    if is_frozen(rec.status, Frozen.AMENDMENTS):
        raise PermissionDenied("svc.frozen.amendments")


def _decidable(s, actor_id: Actor, amendment_id: int):
    """Deciding on an amendment is changing the recommendation's text: its authors, moderators, admins."""
    a = get(s, Amendment, amendment_id, "Amendment", lock=True)
    user, _role, rec = load_for_write(
        s, actor_id, a.recommendation_id, Action.EDIT, refused="svc.amendments.who_decides"
    )
    _refuse_if_frozen(rec)
    if a.status != AmendmentStatus.OPEN:
        raise InvalidTransition("svc.amendments.already_decided", status=Word(a.status))
    return a, user, rec


def accept_amendment(db: Database, *, actor_id: Actor, amendment_id: int, note: str = "") -> AmendmentView:
    """Accept: the amendment's text becomes a new revision. Raises Conflict when the text changed since it was proposed."""
    data = parse(AcceptInput, note=note)
    with db.write() as s:
        a, user, rec = _decidable(s, actor_id, amendment_id)
        if rec.status not in EDITABLE_STATUSES:
            raise PermissionDenied("svc.amendments.status_not_amendable", status=Word(rec.status))
        current = s.get(Revision, rec.current_revision_id)
        assert current is not None
        if rec.current_revision_id != a.base_revision_id:
            raise _current_conflict(s, current, a, "svc.amendments.text_changed")
        proposer = s.get(User, a.proposer_id)
        if voted_text_changed(current.content, a.content):
            rev = add_revision(
                s,
                rec,
                author_id=a.proposer_id,
                content=dict(a.content),
                kind="amendment",
                note=data.note or program_note(Msg("svc.content.note_amendment_accepted", number=a.number)),
                base_revision_id=a.base_revision_id,
            )
        else:
            rev = current  # the same words: no revision, so no vote goes stale (domain.revisions)
        a.status = AmendmentStatus.ACCEPTED.value
        a.decided_by, a.decided_at, a.resulting_revision_id = user.id, utcnow(), rev.id
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="amendment.accept",
            object_type="amendment",
            object_id=a.id,
            details={"recommendation_id": rec.id, "revision": rev.number},
        )
        notifications.on_amendment_decided(s, a, rec, user.id)
        return _view(a, proposer.display_name if proposer else "")


def reject_amendment(db: Database, *, actor_id: Actor, amendment_id: int, reason: str) -> AmendmentView:
    """Reject with a reason the proposer will see. Raises InvalidInput when the reason is missing."""
    data = parse(RejectInput, reason=reason)
    with db.write() as s:
        a, user, rec = _decidable(s, actor_id, amendment_id)
        a.status = AmendmentStatus.REJECTED.value
        a.decided_by, a.decided_at, a.reason = user.id, utcnow(), data.reason
        proposer = s.get(User, a.proposer_id)
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="amendment.reject",
            object_type="amendment",
            object_id=a.id,
            details={"recommendation_id": rec.id},
        )
        notifications.on_amendment_decided(s, a, rec, user.id)
        return _view(a, proposer.display_name if proposer else "")


def _own_open_amendment(s, actor_id: Actor, amendment_id: int) -> tuple[Amendment, User, Recommendation]:
    """The actor's own open amendment and its recommendation, locked, where drafting is open; refused otherwise
    (PermissionDenied: not the proposer, a phase without drafting, an adopted text; InvalidTransition: decided)."""
    a = get(s, Amendment, amendment_id, "Amendment", lock=True)
    user, _role, rec = load_for_write(
        s, actor_id, a.recommendation_id, Action.DRAFT, refused="svc.amendments.only_proposer"
    )
    deny_unless(a.proposer_id == user.id, "svc.amendments.only_proposer")
    _refuse_if_frozen(rec)
    if a.status != AmendmentStatus.OPEN:
        raise InvalidTransition("svc.amendments.already_decided", status=Word(a.status))
    return a, user, rec


def update_amendment(
    db: Database, *, actor_id: Actor, amendment_id: int, content: dict[str, Any], justification: str | None = None
) -> AmendmentView:
    """The proposer revises an open amendment; it is re-based on the current text."""
    data = parse(AmendmentInput, content=content, justification=justification or "")
    with db.write() as s:
        a, user, rec = _own_open_amendment(s, actor_id, amendment_id)
        a.content = content_to_json(data.content)
        if justification is not None:
            a.justification = data.justification
        assert rec.current_revision_id is not None  # a recommendation has a revision from its creation on
        a.base_revision_id = rec.current_revision_id
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="amendment.update",
            object_type="amendment",
            object_id=a.id,
            details={"recommendation_id": rec.id},
        )
        return _view(a, user.display_name)


def rebase_amendment(
    db: Database, *, actor_id: Actor, amendment_id: int, content: dict[str, Any], base_revision_id: int
) -> AmendmentView:
    """The proposer updates an outdated open amendment onto the current text (``base_revision_id``).

    ``base_revision_id`` is the revision the proposer saw when updating: if the text changed again since,
    Conflict (with that text, who saved it and when). Refused when the amendment is not open
    (InvalidTransition), already on the current text (InvalidInput), or not the actor's (PermissionDenied).
    """
    data = parse(AmendmentInput, content=content)
    with db.write() as s:
        a, user, rec = _own_open_amendment(s, actor_id, amendment_id)
        if rec.status not in EDITABLE_STATUSES:
            raise PermissionDenied("svc.amendments.status_not_amendable", status=Word(rec.status))
        if a.base_revision_id == rec.current_revision_id:
            raise InvalidInput("svc.record.amendment_current", field="amendment_id")
        current = s.get(Revision, rec.current_revision_id)
        assert current is not None
        if base_revision_id != current.id:
            raise _current_conflict(s, current, a, "svc.record.amendment_changed_again")
        old_base = s.get(Revision, a.base_revision_id)
        a.content = content_to_json(data.content)
        a.base_revision_id = current.id
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="amendment.rebase",
            object_type="amendment",
            object_id=a.id,
            details={
                "recommendation_id": rec.id,
                "from_revision": old_base.number if old_base else None,
                "to_revision": current.number,
            },
        )
        return _view(a, user.display_name)


def _current_conflict(s, current: Revision, a: Amendment, key: str) -> Conflict:
    """The conflict with the text that is current now: its number (the message's ``number``), author, time."""
    author = s.get(User, current.author_id)
    return Conflict(
        key,
        number=current.number,
        current=content_from_json(current.content),
        yours=content_from_json(a.content),
        current_revision_id=current.id,
        current_revision_number=current.number,
        current_author_name=author.display_name if author else None,
        current_saved_at=current.created_at,
    )


def list_amendments(
    db: Database, *, actor_id: Actor, recommendation_id: int, status: str | None = None
) -> list[AmendmentView]:
    """Amendments of a recommendation, oldest first (any participant)."""
    with db.read() as s:
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        member_role(s, actor(s, actor_ref(actor_id)), rec.roundtable_id)
        stmt = (
            select(Amendment, User.display_name)
            .join(User, User.id == Amendment.proposer_id)
            .where(Amendment.recommendation_id == rec.id)
            .order_by(Amendment.id)
        )
        if status:
            if status not in {s_.value for s_ in AmendmentStatus}:
                raise InvalidInput("svc.amendments.unknown_status", status=status)
            stmt = stmt.where(Amendment.status == status)
        return [_view(a, name) for a, name in s.execute(stmt)]
