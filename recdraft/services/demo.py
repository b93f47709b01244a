"""Load the demo roundtable (6 February 2025) through the same services people use. Idempotent.

The content is data (``recdraft/demo/*.json``, read and checked by ``recdraft.demo``); this module records it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from recdraft.db.engine import Database
from recdraft.db.models import Roundtable, User
from recdraft.demo import Comment, Demo, content
from recdraft.domain.roles import Role
from recdraft.services import accounts, amendments, comments, moderation, recommendations, roundtables
from recdraft.services._base import SYSTEM


@dataclass
class DemoReport:
    created: bool
    roundtable_id: int
    usernames: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return ", ".join(f"{n} {k}" for k, n in self.counts.items())


def _existing(db: Database, demo: Demo) -> int | None:
    held_on = date.fromisoformat(demo.roundtable.held_on)
    with db.read() as s:
        for rt in s.scalars(select(Roundtable).where(Roundtable.held_on == held_on)):
            if rt.title.get("en") == demo.roundtable.title["en"]:
                return rt.id
    return None


def _user_ids(db: Database, demo: Demo, password: str) -> dict[str, int]:
    ids: dict[str, int] = {}
    with db.read() as s:
        existing = {u.username: u.id for u in s.scalars(select(User))}
    for person in demo.people:
        name = person.username
        if name in existing:
            ids[name] = existing[name]
            continue
        ids[name] = accounts.create_user(
            db,
            actor_id=SYSTEM,
            username=name,
            display_name=person.display_name,
            password=password,
            email=person.email,
            is_system_admin=person.role is Role.ADMIN,
        ).id
    return ids


def load_demo(db: Database, *, password: str = "demo") -> DemoReport:
    """Create the demo accounts and roundtable unless the roundtable already exists."""
    demo = content()
    usernames = [p.username for p in demo.people]
    found = _existing(db, demo)
    if found is not None:
        return DemoReport(created=False, roundtable_id=found, usernames=usernames)
    ids = _user_ids(db, demo, password)
    data = demo.roundtable
    rt = roundtables.create_roundtable(
        db,
        actor_id=SYSTEM,
        held_on=date.fromisoformat(data.held_on),
        languages=data.languages,
        moderation_mode=data.moderation_mode,
        **{k: getattr(data, k) for k in ("title", "venue", "organisers", "addressee", "background", "summary")},
    )
    roundtables.update_settings(
        db,
        actor_id=SYSTEM,
        roundtable_id=rt.id,
        settings={
            "closing_formula": data.closing_formula,
            "topics": [t.model_dump() for t in data.topics],
            # Every reference and organisation in kk, ru and en (issue 10, item 7).
            "legal_references": data.legal_references,
            "organisation_names": data.organisation_names,
            "signatory": data.signatory.model_dump(),
            "outgoing_number": data.outgoing_number,
        },
    )
    for person in demo.people:
        roundtables.set_membership(
            db,
            actor_id=SYSTEM,
            roundtable_id=rt.id,
            user_id=ids[person.username],
            role=person.role,
            organisation=person.organisation,
            group=person.group or person.organisation,
            consent_named=person.consent_named,
        )
    report = DemoReport(created=True, roundtable_id=rt.id, usernames=usernames)
    posted: dict[int, int] = {}  # demo comment index -> comment id
    recs = _load_recommendations(db, demo, ids, rt.id, posted)
    report.counts["recommendations"] = len(recs)
    report.counts["amendments"] = _load_amendments(db, demo, ids, recs)
    report.counts["comments"] = _load_comments(db, demo, ids, recs, posted)
    _move_statuses(db, ids, recs)
    from recdraft.services import demo_votes

    report.counts["voting rounds"] = demo_votes.load_rounds(db, ids=ids, roundtable_id=rt.id, recs=recs)
    report.counts["translations"] = _load_translations(db, demo, ids, recs)
    return report


def _load_translations(db: Database, demo: Demo, ids: dict[str, int], recs: dict[str, Any]) -> int:
    """The translators' work after the votes (issue 10, item 7): every adopted text in kk, ru and en."""
    from recdraft.services import translations

    for item in demo.translations:
        translations.save_translation(
            db,
            actor_id=ids[item.translator],
            recommendation_id=recs[item.rec].id,
            lang=item.lang,
            source_lang=item.source,
            texts=item.content,
        )
    return len(demo.translations)


def _load_recommendations(
    db: Database, demo: Demo, ids: dict[str, int], roundtable_id: int, posted: dict[int, int]
) -> dict[str, Any]:
    recs: dict[str, Any] = {}
    for item in demo.recommendations:
        first, *later = item.versions
        rec = recommendations.create_recommendation(
            db,
            actor_id=ids[item.author],
            roundtable_id=roundtable_id,
            content=first.content,
            topic=item.topic,
            priority=item.priority,
        )
        # A comment marked "addressed" was written on the first draft: the later revisions (or an accepted
        # amendment) answer it, and provenance may cite only a revision saved after the comment.
        for index, comment in enumerate(demo.comments):
            if comment.rec == item.key and comment.resolution == "addressed":
                posted[index] = _post_comment(db, demo, ids, rec, comment, posted)
        for revision in later:
            author = ids[revision.author]
            if author != ids[item.author] and author not in rec.coauthor_ids:
                rec = recommendations.set_coauthors(
                    db, actor_id=ids[item.author], recommendation_id=rec.id, user_ids=[*rec.coauthor_ids, author]
                )
            rec = recommendations.edit_recommendation(
                db,
                actor_id=author,
                recommendation_id=rec.id,
                base_revision_id=rec.current_revision.id,
                content=revision.content,
                note=revision.note,
            )
        recs[item.key] = rec
    return recs


def _load_amendments(db: Database, demo: Demo, ids: dict[str, int], recs: dict[str, Any]) -> int:
    for item in demo.amendments:
        rec = recs[item.rec]
        proposal = amendments.propose_amendment(
            db,
            actor_id=ids[item.proposer],
            recommendation_id=rec.id,
            content=item.content,
            justification=item.justification,
        )
        if item.outcome == "accepted":
            amendments.accept_amendment(db, actor_id=rec.created_by, amendment_id=proposal.id)
        elif item.outcome == "rejected":
            amendments.reject_amendment(
                db, actor_id=ids["moderator"], amendment_id=proposal.id, reason=item.reason or ""
            )
        recs[item.rec] = recommendations.get_recommendation(db, actor_id=rec.created_by, recommendation_id=rec.id)
    return len(demo.amendments)


def _load_comments(db: Database, demo: Demo, ids: dict[str, int], recs: dict[str, Any], posted: dict[int, int]) -> int:
    for index, item in enumerate(demo.comments):
        if index not in posted:
            posted[index] = _post_comment(db, demo, ids, recs[item.rec], item, posted)
    for index, item in enumerate(demo.comments):
        rec = recs[item.rec]
        if item.resolution and item.state in {"published", "flagged"}:
            comments.resolve_comment(
                db,
                actor_id=rec.created_by,
                comment_id=posted[index],
                resolution=item.resolution,
                revision_id=rec.current_revision.id if item.resolution == "addressed" else None,
                reason=item.resolution_reason,
            )
    return len(posted)


def _post_comment(
    db: Database, demo: Demo, ids: dict[str, int], rec: Any, item: Comment, posted: dict[int, int]
) -> int:
    """Post one demo comment and bring it to its state (published, hidden, rejected, flagged or pending)."""
    moderator = ids["moderator"]
    parent = posted[demo.comment_index(item.reply_to)] if item.reply_to is not None else None
    c = comments.post_comment(
        db, actor_id=ids[item.author], recommendation_id=rec.id, body=item.body, quote=item.quote, parent_id=parent
    )
    state = item.state
    if c.status == "pending" and state in {"published", "flagged", "hidden"}:
        moderation.moderate_comment(db, actor_id=moderator, comment_id=c.id, action="approve")
    if state == "hidden" or (state == "rejected" and c.status != "pending"):
        moderation.moderate_comment(
            db, actor_id=moderator, comment_id=c.id, action="hide", reason=item.moderation_reason or ""
        )
    elif state == "rejected":
        moderation.moderate_comment(
            db, actor_id=moderator, comment_id=c.id, action="reject", reason=item.moderation_reason or ""
        )
    elif state == "flagged":
        flagger = next(ids[name] for name in demo.experts if ids[name] != ids[item.author])
        comments.flag_comment(db, actor_id=flagger, comment_id=c.id, reason=item.flag_reason or "")
    return c.id


def _move_statuses(db: Database, ids: dict[str, int], recs: dict[str, Any]) -> None:
    """Every demo recommendation reaches discussion; voting is arranged by the voting rounds."""
    for rec in recs.values():
        recommendations.set_status(db, actor_id=ids["moderator"], recommendation_id=rec.id, status="discussion")
