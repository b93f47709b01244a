"""Revisions of a recommendation: list them, compare two, restore an old one, and the history of the details
that are not voted on (topic, priority). Saving a new text is ``services.recommendations.edit_recommendation``.

Notes the program writes on a revision ("Restored revision 1", "Amendment 6 accepted") are stored as
catalogue messages (``domain.revisions.program_note``) and shown in the reader's language; notes people
type are kept as typed.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select

from recdraft.db.engine import Database
from recdraft.db.models import AuditEvent, Recommendation, Revision, User
from recdraft.domain.diff import Segment, word_diff
from recdraft.domain.policy import Action
from recdraft.domain.revisions import program_note, voted_text_changed
from recdraft.domain.statuses import EDITABLE_STATUSES
from recdraft.errors import InvalidInput, NotFound, PermissionDenied, Word
from recdraft.i18n import LANGS
from recdraft.i18n.messages import Msg
from recdraft.schemas.content import FIELDS
from recdraft.schemas.views import RecommendationView, RevisionView
from recdraft.services._base import Actor, actor, actor_ref, audit, get, member_role
from recdraft.services.recommendations import (
    _revision_view,
    add_revision,
    load_for_write,
    load_view,
)


def list_revisions(db: Database, *, actor_id: Actor, recommendation_id: int) -> list[RevisionView]:
    """Every revision, oldest first."""
    with db.read() as s:
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        member_role(s, actor(s, actor_ref(actor_id)), rec.roundtable_id)
        rows = s.execute(
            select(Revision, User.display_name)
            .join(User, User.id == Revision.author_id)
            .where(Revision.recommendation_id == rec.id)
            .order_by(Revision.number)
        ).all()
        return [_revision_view(rev, name) for rev, name in rows]


class DetailChange(BaseModel):
    """A change of a detail that is not voted on (topic, priority): no revision, but part of the history."""

    at: datetime
    actor_name: str
    field: str  # "topic" or "priority"
    before: str
    after: str
    revision: int | None = None  # the revision saved in the same edit, if any


DETAIL_FIELDS = ("topic", "priority")


def list_detail_changes(db: Database, *, actor_id: Actor, recommendation_id: int) -> list[DetailChange]:
    """Topic and priority changes of one recommendation, oldest first (from its audit rows). Raises PermissionDenied."""
    with db.read() as s:
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        member_role(s, actor(s, actor_ref(actor_id)), rec.roundtable_id)
        rows = s.execute(
            select(AuditEvent, User.display_name)
            .outerjoin(User, User.id == AuditEvent.actor_id)
            .where(
                AuditEvent.object_type == "recommendation",
                AuditEvent.object_id == rec.id,
                AuditEvent.action.in_(("recommendation.details", "recommendation.edit")),
            )
            .order_by(AuditEvent.at, AuditEvent.id)
        ).all()
        out: list[DetailChange] = []
        for event, name in rows:
            details = event.details if isinstance(event.details, dict) else {}
            changed = details.get("changed", {}) if event.action == "recommendation.edit" else details
            if not isinstance(changed, dict):
                continue
            for field in DETAIL_FIELDS:
                pair = changed.get(field)
                if isinstance(pair, list) and len(pair) == 2:
                    revision = details.get("revision") if event.action == "recommendation.edit" else None
                    out.append(
                        DetailChange(
                            at=event.at,
                            actor_name=name or "",
                            field=field,
                            before=str(pair[0]),
                            after=str(pair[1]),
                            revision=revision if isinstance(revision, int) else None,
                        )
                    )
        return out


class FieldDiff(BaseModel):
    lang: str
    field: str
    segments: list[Segment]
    changed: bool


class RevisionDiff(BaseModel):
    old_number: int
    new_number: int
    fields: list[FieldDiff]


def diff_revisions(
    db: Database, *, actor_id: Actor, recommendation_id: int, old_revision_id: int, new_revision_id: int
) -> RevisionDiff:
    """Word-level differences of every language and field between two revisions of one recommendation."""
    with db.read() as s:
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        member_role(s, actor(s, actor_ref(actor_id)), rec.roundtable_id)
        old = get(s, Revision, old_revision_id, "Revision")
        new = get(s, Revision, new_revision_id, "Revision")
        if old.recommendation_id != rec.id or new.recommendation_id != rec.id:
            raise NotFound("svc.recommendations.revisions_both_here")
        fields: list[FieldDiff] = []
        for lang in LANGS:
            a, b = old.content.get(lang), new.content.get(lang)
            if a is None and b is None:
                continue
            for name in FIELDS:
                before = (a or {}).get(name, "")
                after = (b or {}).get(name, "")
                if not before and not after:
                    continue
                fields.append(
                    FieldDiff(lang=lang, field=name, segments=word_diff(before, after), changed=before != after)
                )
        return RevisionDiff(old_number=old.number, new_number=new.number, fields=fields)


def restore_revision(db: Database, *, actor_id: Actor, recommendation_id: int, revision_id: int) -> RecommendationView:
    """Make an old revision's text current again, as a new revision (history is never rewritten)."""
    with db.write() as s:
        user, _role, rec = load_for_write(
            s, actor_id, recommendation_id, Action.EDIT, refused="svc.recommendations.who_restores"
        )
        if rec.status not in EDITABLE_STATUSES:
            raise PermissionDenied("svc.recommendations.status_not_editable", status=Word(rec.status))
        old = get(s, Revision, revision_id, "Revision")
        if old.recommendation_id != rec.id:
            raise NotFound("svc.recommendations.revision_other_rec")
        current = s.get(Revision, rec.current_revision_id)
        # Restoring the same words would only make every vote stale (domain.revisions).
        if old.id == rec.current_revision_id or not voted_text_changed(current.content if current else {}, old.content):
            raise InvalidInput("svc.recommendations.revision_already_current")
        rev = add_revision(
            s,
            rec,
            author_id=user.id,
            content=dict(old.content),
            kind="restore",
            note=program_note(Msg("svc.content.note_restored", number=old.number)),
            base_revision_id=rec.current_revision_id,
        )
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rec.roundtable_id,
            action="recommendation.restore",
            object_type="recommendation",
            object_id=rec.id,
            details={"from": old.number, "revision": rev.number},
        )
        return load_view(s, rec)
