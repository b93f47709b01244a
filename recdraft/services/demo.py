"""Load the demo roundtable (6 February 2025) through the same services people use. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from recdraft import demo_content as demo
from recdraft.db.engine import Database
from recdraft.db.models import Roundtable, User
from recdraft.services import accounts, amendments, comments, recommendations, roundtables
from recdraft.services import moderation
from recdraft.services._base import SYSTEM

STATUS_PATH = {"discussion": ["discussion"], "voting": ["discussion", "voting"]}


@dataclass
class DemoReport:
    created: bool
    roundtable_id: int
    usernames: list[str]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def summary(self) -> str:
        return ", ".join(f"{n} {k}" for k, n in self.counts.items())


def _demo_references() -> list[Any]:
    from recdraft import demo_translations

    return list(demo_translations.LEGAL_REFERENCES)


def _demo_organisations() -> list[Any]:
    from recdraft import demo_translations

    return list(demo_translations.ORGANISATION_NAMES)


def _existing(db: Database) -> int | None:
    held_on = date.fromisoformat(demo.ROUNDTABLE["held_on"])
    title = demo.ROUNDTABLE["title"]["en"]
    with db.read() as s:
        for rt in s.scalars(select(Roundtable).where(Roundtable.held_on == held_on)):
            if rt.title.get("en") == title:
                return rt.id
    return None


def _user_ids(db: Database, password: str) -> dict[str, int]:
    ids: dict[str, int] = {}
    with db.read() as s:
        existing = {u.username: u.id for u in s.scalars(select(User))}
    for person in demo.PEOPLE:
        name = person["username"]
        if name in existing:
            ids[name] = existing[name]
            continue
        ids[name] = accounts.create_user(
            db, actor_id=SYSTEM, username=name, display_name=person["display_name"], password=password,
            email=person.get("email"), is_system_admin=person["role"] == "admin",
        ).id
    return ids


def load_demo(db: Database, *, password: str = "demo") -> DemoReport:
    """Create the demo accounts and roundtable unless the roundtable already exists."""
    usernames = [p["username"] for p in demo.PEOPLE]
    found = _existing(db)
    if found is not None:
        return DemoReport(created=False, roundtable_id=found, usernames=usernames)
    ids = _user_ids(db, password)
    rt_fields = {k: demo.ROUNDTABLE[k] for k in ("title", "venue", "organisers", "addressee", "background", "summary")}
    rt = roundtables.create_roundtable(db, actor_id=SYSTEM, held_on=date.fromisoformat(demo.ROUNDTABLE["held_on"]),
                                       languages=["kk", "ru", "en"], moderation_mode="pre", **rt_fields)
    roundtables.update_settings(db, actor_id=SYSTEM, roundtable_id=rt.id, settings={
        "closing_formula": demo.ROUNDTABLE.get("closing_formula", {}),
        "topics": demo.TOPICS,
        # Every reference and organisation in kk, ru and en (issue 10, item 7).
        "legal_references": _demo_references(),
        "organisation_names": _demo_organisations(),
        "signatory": {
            "name": {"en": "Saule Temirbekova", "ru": "С. Темирбекова", "kk": "С. Темірбекова"},
            "position": {
                "en": "Dean, School of Law and Public Administration, Narxoz University",
                "ru": "Декан Школы права и государственного управления Университета Нархоз",
                "kk": "Нархоз университеті Құқық және мемлекеттік басқару мектебінің деканы",
            },
        },
        "outgoing_number": "№ 01-12/17",
    })
    for person in demo.PEOPLE:
        roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=rt.id, user_id=ids[person["username"]],
                                   role=person["role"], organisation=person["organisation"],
                                   group=person.get("group") or person["organisation"],
                                   consent_named=person.get("consent_named", True))
    report = DemoReport(created=True, roundtable_id=rt.id, usernames=usernames)
    posted: dict[int, int] = {}  # demo comment index -> comment id
    recs = _load_recommendations(db, ids, rt.id, posted)
    report.counts["recommendations"] = len(recs)
    report.counts["amendments"] = _load_amendments(db, ids, recs)
    report.counts["comments"] = _load_comments(db, ids, recs, posted)
    _move_statuses(db, ids, recs)
    try:
        from recdraft.services import demo_votes  # the voting rounds, once voting exists
    except ImportError:  # pragma: no cover - voting not installed
        demo_votes = None
    if demo_votes is not None:
        report.counts["voting rounds"] = demo_votes.load_rounds(db, ids=ids, roundtable_id=rt.id, recs=recs)
    report.counts["translations"] = _load_translations(db, ids, recs)
    return report


def _load_translations(db: Database, ids: dict[str, int], recs: dict[str, Any]) -> int:
    """The translators' work after the votes (issue 10, item 7): every adopted text in kk, ru and en."""
    from recdraft import demo_translations
    from recdraft.services import translations

    for item in demo_translations.TRANSLATIONS:
        translations.save_translation(db, actor_id=ids[item["translator"]], recommendation_id=recs[item["rec"]].id,
                                      lang=item["lang"], source_lang=item["source"], texts=item["content"])
    return len(demo_translations.TRANSLATIONS)


def _load_recommendations(db: Database, ids: dict[str, int], roundtable_id: int,
                          posted: dict[int, int]) -> dict[str, Any]:
    recs: dict[str, Any] = {}
    for item in demo.RECOMMENDATIONS:
        rec = recommendations.create_recommendation(
            db, actor_id=ids[item["author"]], roundtable_id=roundtable_id, content=item["content"],
            topic=demo.TOPIC_KEYS.get(item.get("topic", ""), item.get("topic", "")), priority=item.get("priority", "medium"),
        )
        # A comment marked "addressed" was written on the first draft: the later revisions (or an accepted
        # amendment) answer it, and provenance may cite only a revision saved after the comment.
        for index, comment in enumerate(demo.COMMENTS):
            if comment["rec"] == item["key"] and comment.get("resolution") == "addressed":
                posted[index] = _post_comment(db, ids, rec, comment, posted)
        for revision in item.get("revisions", []):
            author = ids[revision["author"]]
            if author != ids[item["author"]] and author not in rec.coauthor_ids:
                rec = recommendations.set_coauthors(db, actor_id=ids[item["author"]], recommendation_id=rec.id,
                                                    user_ids=[*rec.coauthor_ids, author])
            rec = recommendations.edit_recommendation(
                db, actor_id=author, recommendation_id=rec.id, base_revision_id=rec.current_revision.id,
                content=revision["content"], note=revision.get("note", ""),
            )
        recs[item["key"]] = rec
    return recs


def _load_amendments(db: Database, ids: dict[str, int], recs: dict[str, Any]) -> int:
    for item in demo.AMENDMENTS:
        rec = recs[item["rec"]]
        proposal = amendments.propose_amendment(db, actor_id=ids[item["proposer"]], recommendation_id=rec.id,
                                                content=item["content"], justification=item.get("justification", ""))
        if item["outcome"] == "accepted":
            amendments.accept_amendment(db, actor_id=rec.created_by, amendment_id=proposal.id)
        elif item["outcome"] == "rejected":
            amendments.reject_amendment(db, actor_id=ids["moderator"], amendment_id=proposal.id,
                                        reason=item.get("reason") or "Not accepted by the drafting group.")
        recs[item["rec"]] = recommendations.get_recommendation(db, actor_id=rec.created_by, recommendation_id=rec.id)
    return len(demo.AMENDMENTS)


def _load_comments(db: Database, ids: dict[str, int], recs: dict[str, Any], posted: dict[int, int]) -> int:
    for index, item in enumerate(demo.COMMENTS):
        if index not in posted:
            posted[index] = _post_comment(db, ids, recs[item["rec"]], item, posted)
    for index, item in enumerate(demo.COMMENTS):
        rec = recs[item["rec"]]
        if item.get("resolution") and item["state"] in {"published", "flagged"}:
            comments.resolve_comment(
                db, actor_id=rec.created_by, comment_id=posted[index], resolution=item["resolution"],
                revision_id=rec.current_revision.id if item["resolution"] == "addressed" else None,
                reason=item.get("resolution_reason", ""),
            )
    return len(posted)


def _post_comment(db: Database, ids: dict[str, int], rec: Any, item: dict[str, Any], posted: dict[int, int]) -> int:
    """Post one demo comment and bring it to its state (published, hidden, rejected, flagged or pending)."""
    moderator = ids["moderator"]
    parent = posted[item["reply_to"]] if item.get("reply_to") is not None else None
    c = comments.post_comment(db, actor_id=ids[item["author"]], recommendation_id=rec.id, body=item["body"],
                              quote=item.get("quote", ""), parent_id=parent)
    state = item["state"]
    if c.status == "pending" and state in {"published", "flagged", "hidden"}:
        moderation.moderate_comment(db, actor_id=moderator, comment_id=c.id, action="approve")
    if state == "hidden":
        moderation.moderate_comment(db, actor_id=moderator, comment_id=c.id, action="hide",
                                  reason=item.get("moderation_reason") or "Off-topic")
    elif state == "rejected":
        if c.status != "pending":
            moderation.moderate_comment(db, actor_id=moderator, comment_id=c.id, action="hide",
                                      reason=item.get("moderation_reason") or "Off-topic")
        else:
            moderation.moderate_comment(db, actor_id=moderator, comment_id=c.id, action="reject",
                                      reason=item.get("moderation_reason") or "Off-topic")
    elif state == "flagged":
        flagger = next(ids[p["username"]] for p in demo.PEOPLE
                       if p["role"] == "expert" and ids[p["username"]] != ids[item["author"]])
        comments.flag_comment(db, actor_id=flagger, comment_id=c.id,
                              reason=item.get("flag_reason") or "Please check this comment.")
    return c.id


def _move_statuses(db: Database, ids: dict[str, int], recs: dict[str, Any]) -> None:
    """Every demo recommendation reaches discussion; voting is arranged by the voting rounds."""
    for rec in recs.values():
        recommendations.set_status(db, actor_id=ids["moderator"], recommendation_id=rec.id, status="discussion")
