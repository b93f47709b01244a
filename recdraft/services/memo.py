"""The memo for parliament: what it includes, what blocks a final version, export and snapshots.

The renderer (``recdraft.export``) takes plain ``MemoData``; this module builds it from the database.
A final export stores a frozen snapshot (canonical JSON) whose SHA-256 the memo prints, so anyone
can check the text later (``recdraft snapshots --verify ID``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.memo_models import MemoSnapshot
from recdraft.db.models import Comment, Membership, Recommendation, Revision, Roundtable, User, utcnow
from recdraft.domain.roles import Role
from recdraft.domain.statuses import CommentStatus, RecStatus
from recdraft.errors import InvalidInput, NotFound
from recdraft.schemas import memo as m
from recdraft.schemas.common import LANGS
from recdraft.schemas.views import View
from recdraft.services._base import Actor, _System, actor, actor_ref, audit, deny_unless, get, member_role
from recdraft.services.results import results_for_memo

Variant = Literal["final", "review", "redline", "comparison"]
MemoLanguage = Literal["en", "ru", "kk", "kk+ru"]
VARIANTS: tuple[str, ...] = ("final", "review", "redline", "comparison")
LANGUAGES: tuple[str, ...] = ("en", "ru", "kk", "kk+ru")


class MemoStatusView(View):
    """What a final memo would include and what stands in its way."""

    roundtable_id: int
    included: list[int]  # recommendation ids, in memo order
    blockers: list[str]
    can_be_final: bool


class SnapshotView(View):
    id: int
    roundtable_id: int
    created_at: datetime
    created_by: int | None
    lang: str
    sha256: str
    recommendations: int


@dataclass
class ExportResult:
    content: bytes
    filename: str
    warnings: list[str]
    is_final: bool
    blockers: list[str] = field(default_factory=list)
    snapshot_id: int | None = None
    sha256: str | None = None


def _require_admin(s: Session, actor_id: Actor, roundtable_id: int) -> User | None:
    if isinstance(actor_id, _System):
        get(s, Roundtable, roundtable_id, "Roundtable")
        return None
    user = actor(s, actor_id)
    deny_unless(member_role(s, user, roundtable_id) == Role.ADMIN,
                "Only roundtable administrators can export the memo.")
    return user


def _included(s: Session, roundtable_id: int) -> list[Recommendation]:
    return list(s.scalars(
        select(Recommendation).where(Recommendation.roundtable_id == roundtable_id,
                                     Recommendation.status == RecStatus.ADOPTED.value)
        .order_by(Recommendation.position, Recommendation.id)
    ))


def _unmoderated(s: Session, rec_ids: list[int]) -> dict[int, int]:
    if not rec_ids:
        return {}
    rows = s.execute(
        select(Comment.recommendation_id, func.count()).where(
            Comment.recommendation_id.in_(rec_ids),
            or_(Comment.status == CommentStatus.PENDING.value,
                (Comment.open_flags > 0) & (Comment.status == CommentStatus.PUBLISHED.value)),
        ).group_by(Comment.recommendation_id)
    ).all()
    return {rid: n for rid, n in rows}


def _blockers(included: list[Recommendation], unmoderated: dict[int, int], results: dict[int, list[Any]]) -> list[str]:
    if not included:
        return ["No recommendation has been adopted yet: the memo has nothing to recommend."]
    out: list[str] = []
    for memo_number, rec in enumerate(included, start=1):
        label = f"Recommendation {memo_number} (no. {rec.number} in the roundtable)"
        if unmoderated.get(rec.id):
            out.append(f"{label} has {unmoderated[rec.id]} comment(s) awaiting moderation.")
        rounds = results.get(rec.id, [])
        if not rounds or rounds[-1].overall is None or not rounds[-1].overall.rule_met:
            out.append(f"{label} has no closed vote that met its rule.")
    return out


def _status(db: Database, s: Session, actor_id: Actor, roundtable_id: int) -> tuple[list[Recommendation], list[str], dict[int, list[Any]]]:
    included = _included(s, roundtable_id)
    results = results_for_memo(db, actor_id=_results_actor(s, actor_id, roundtable_id), roundtable_id=roundtable_id)
    return included, _blockers(included, _unmoderated(s, [r.id for r in included]), results), results


def _results_actor(s: Session, actor_id: Actor, roundtable_id: int) -> int:
    """The results service names a person; the command line reads as the roundtable's first admin."""
    if not isinstance(actor_id, _System):
        return actor_id
    admin = s.scalar(select(Membership.user_id).where(Membership.roundtable_id == roundtable_id,
                                                      Membership.role == Role.ADMIN.value).order_by(Membership.id))
    if admin is None:
        raise NotFound("This roundtable has no administrator to export its memo.")
    return admin


def memo_status(db: Database, *, actor_id: Actor, roundtable_id: int) -> MemoStatusView:
    """What the memo includes (adopted recommendations) and what blocks a final version (admins)."""
    with db.read() as s:
        _require_admin(s, actor_id, roundtable_id)
        included, blockers, _ = _status(db, s, actor_id, roundtable_id)
        return MemoStatusView(roundtable_id=roundtable_id, included=[r.id for r in included], blockers=blockers,
                              can_be_final=not blockers)


# ------------------------------------------------------------------------------------ building


_CONSENSUS = {
    "adopted": {"en": "Adopted in round {n}", "ru": "Принята в раунде {n}", "kk": "{n}-раундта қабылданды"},
    "rejected": {"en": "Rejected in round {n}", "ru": "Отклонена в раунде {n}", "kk": "{n}-раундта қабылданбады"},
    "no_consensus": {"en": "No consensus in round {n}", "ru": "Нет консенсуса в раунде {n}",
                     "kk": "{n}-раундта консенсус жоқ"},
}
_COUNTS = {
    "simple": {"en": "{a} for, {d} against, {ab} abstained, {b} blocked",
               "ru": "за — {a}, против — {d}, воздержались — {ab}, блок — {b}",
               "kk": "жақтады — {a}, қарсы — {d}, қалыс қалды — {ab}, бұғаттады — {b}"},
    "delphi": {"en": "median {med}, IQR {iqr}", "ru": "медиана {med}, МКР {iqr}", "kk": "медиана {med}, ИКА {iqr}"},
}


def _texts(value: Any) -> list[str]:
    """The non-blank texts of a stored list setting (anything else in it is skipped, never a crash)."""
    return [x for x in value if isinstance(x, str) and x.strip()] if isinstance(value, list) else []


def _per_language(value: Any) -> dict[str, str]:
    """The non-blank kk/ru/en texts of a stored per-language setting (anything else is skipped)."""
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if k in LANGS and isinstance(v, str) and v.strip()}


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}"


def _consensus_text(result: Any) -> dict[str, str]:
    o = result.overall
    if o is None:
        return {}
    out: dict[str, str] = {}
    for lang in ("en", "ru", "kk"):
        head = _CONSENSUS.get(o.outcome, _CONSENSUS["no_consensus"])[lang].format(n=result.round_number)
        if result.mode == "delphi" and o.delphi is not None:
            tail = _COUNTS["delphi"][lang].format(med=_num(o.delphi.median), iqr=_num(o.delphi.iqr))
        else:
            tail = _COUNTS["simple"][lang].format(a=o.agree, d=o.disagree, ab=o.abstain, b=o.block)
        out[lang] = f"{head}: {tail}"
    return out


def _content(data: dict[str, Any]) -> dict[str, m.RecommendationContent]:
    return {lang: m.RecommendationContent(**fields) for lang, fields in data.items() if lang in ("en", "ru", "kk")}


def _previous_from_snapshot(s: Session, snapshot_id: int, roundtable_id: int) -> dict[int, dict[str, Any]]:
    snap = s.get(MemoSnapshot, snapshot_id)
    if snap is None or snap.roundtable_id != roundtable_id:
        raise NotFound(f"Snapshot {snapshot_id} does not exist for this roundtable.")
    earlier = m.MemoData.model_validate_json(snap.canonical)
    by_number = {r.number: r for r in earlier.recommendations}
    out: dict[int, dict[str, Any]] = {}
    for number, rec_id in snap.recommendation_ids.items():
        rec = by_number.get(int(number))
        if rec is not None:
            out[int(rec_id)] = {lang: c.model_dump() for lang, c in rec.content.items()}
    return out


def _latest_snapshot_id(s: Session, roundtable_id: int) -> int | None:
    return s.scalar(select(MemoSnapshot.id).where(MemoSnapshot.roundtable_id == roundtable_id)
                    .order_by(MemoSnapshot.id.desc()))


def _build(
    db: Database, s: Session, *, actor_id: Actor, roundtable_id: int, variant: str, lang: str, against: int | None,
    warnings: list[str],
) -> tuple[m.MemoData, dict[str, int], list[str]]:
    rt = get(s, Roundtable, roundtable_id, "Roundtable")
    included, blockers, results = _status(db, s, actor_id, roundtable_id)
    ids = [r.id for r in included]
    revisions = {r.id: r for r in s.scalars(select(Revision).where(Revision.id.in_(
        [r.current_revision_id for r in included if r.current_revision_id])))} if included else {}

    previous: dict[int, dict[str, Any]] = {}
    notes: dict[int, list[str]] = {}
    if variant in ("redline", "comparison"):
        snapshot_id = against if against is not None else _latest_snapshot_id(s, roundtable_id)
        if snapshot_id is not None:
            previous = _previous_from_snapshot(s, snapshot_id, roundtable_id)
        else:
            warnings.append("No earlier snapshot exists: changes are shown against each recommendation's first draft.")
        firsts = s.execute(select(Revision).where(Revision.recommendation_id.in_(ids)).order_by(Revision.number)).scalars()
        for rev in firsts:
            if snapshot_id is None:
                previous.setdefault(rev.recommendation_id, rev.content)
            if rev.number > 1 and rev.note:
                notes.setdefault(rev.recommendation_id, []).append(rev.note)

    memo_recs: list[m.Recommendation] = []
    number_to_id: dict[str, int] = {}
    for number, rec in enumerate(included, start=1):
        current = revisions[rec.current_revision_id].content
        earlier = previous.get(rec.id)
        rec_results = results.get(rec.id, [])
        memo_recs.append(m.Recommendation(
            number=number, topic=rec.topic, priority=rec.priority, content=_content(current),
            previous=_content(earlier) if earlier is not None else None,
            justification={"en": "; ".join(notes.get(rec.id, []))} if notes.get(rec.id) else {},
            consensus=_consensus_text(rec_results[-1]) if rec_results else {},
        ))
        number_to_id[str(number)] = rec.id

    memo_number = {rec_id: int(n) for n, rec_id in number_to_id.items()}
    votes: list[m.VoteResult] = []
    dissents: list[m.DissentingOpinion] = []
    for rec in included:
        rec_results = results.get(rec.id, [])
        for result in rec_results:
            o = result.overall
            if o is None:
                continue
            delphi = None
            if result.mode == "delphi" and o.delphi is not None:
                delphi = m.DelphiStats(median=o.delphi.median, iqr=o.delphi.iqr,
                                       distribution={int(k): v for k, v in o.delphi.distribution.items()})
            votes.append(m.VoteResult(
                recommendation_number=memo_number[rec.id], round_number=result.round_number, mode=result.mode,
                votes_for=o.agree if result.mode == "simple" else None,
                votes_against=o.disagree if result.mode == "simple" else None,
                abstain=o.abstain if result.mode == "simple" else None, block=o.block,
                eligible=o.eligible, voted=o.voted, quorum_met=o.quorum_met, rule_met=o.rule_met,
                outcome=o.outcome, delphi=delphi,
            ))
        if rec_results:
            for d in rec_results[-1].dissents:
                dissents.append(m.DissentingOpinion(recommendation_number=memo_number[rec.id], name=d.name,
                                                    organisation=d.organisation, reason=d.reason))

    members = s.execute(select(Membership, User).join(User, User.id == Membership.user_id)
                        .where(Membership.roundtable_id == roundtable_id)
                        .order_by(Membership.organisation, User.display_name)).all()
    participants = [m.Participant(name=u.display_name, organisation=ms.organisation, role=role_label(ms.role, lang),
                                  consent_to_be_named=ms.consent_named) for ms, u in members]

    comments: list[m.PublishedComment] = []
    if variant == "review" and ids:
        rows = s.execute(select(Comment, User.display_name).join(User, User.id == Comment.author_id)
                         .where(Comment.recommendation_id.in_(ids),
                                Comment.status == CommentStatus.PUBLISHED.value)
                         .order_by(Comment.created_at, Comment.id)).all()
        comments = [m.PublishedComment(recommendation_number=memo_number[c.recommendation_id], author=name,
                                       published_at=c.created_at, text=c.body, quote=c.quote or None)
                    for c, name in rows]

    settings = rt.settings or {}
    references = [m.LegalReference(text={"en": x}) for x in _texts(settings.get("legal_references"))]
    roundtable = m.Roundtable(
        title=rt.title, venue=rt.venue, organisers=rt.organisers, held_on=rt.held_on,
        executive_summary=rt.summary or {}, background=rt.background,
        closing=_per_language(settings.get("closing_formula")),
        **({"addressee": rt.addressee} if rt.addressee else {}),
    )
    prepared_by = "recdraft"
    if not isinstance(actor_id, _System):
        user = s.get(User, actor_id)
        prepared_by = user.display_name if user else prepared_by
    data = m.MemoData(
        roundtable=roundtable, recommendations=memo_recs, votes=votes, dissents=dissents,
        participants=participants, legal_references=references, comments=comments,
        is_final=not blockers, blockers=blockers, prepared_by=prepared_by, prepared_at=utcnow(),
    )
    return data, number_to_id, blockers


# How the participants annex names each role, in the memo's language.
ROLE_LABELS = {
    "admin": {"en": "organiser", "ru": "организатор", "kk": "ұйымдастырушы"},
    "moderator": {"en": "moderator", "ru": "модератор", "kk": "модератор"},
    "expert": {"en": "expert", "ru": "эксперт", "kk": "сарапшы"},
    "observer": {"en": "observer", "ru": "наблюдатель", "kk": "бақылаушы"},
}


def role_label(role: str, lang: str) -> str:
    """The participants annex's word for a role; "kk+ru" gives both."""
    labels = ROLE_LABELS.get(role, {"en": role, "ru": role, "kk": role})
    if lang == "kk+ru":
        return f"{labels['kk']} / {labels['ru']}"
    return labels.get(lang, labels["en"])


def canonical_json(data: m.MemoData) -> str:
    """The exact text a snapshot's SHA-256 is computed over."""
    return data.model_copy(update={"snapshot_sha256": None}).model_dump_json()


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _filename(rt: Roundtable, variant: str, lang: str, final: bool) -> str:
    stem = f"recdraft-memo-{rt.held_on.isoformat()}-{variant}-{lang.replace('+', '-')}"
    return re.sub(r"[^A-Za-z0-9._-]", "-", stem + ("" if final or variant != "final" else "-DRAFT")) + ".docx"


def export_memo(
    db: Database,
    *,
    actor_id: Actor,
    roundtable_id: int,
    lang: str = "en",
    variant: str = "final",
    against: int | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ExportResult:
    """Build and render the memo (roundtable admins; the command line).

    A "final" export whose blockers are all cleared stores a frozen snapshot and prints its SHA-256;
    otherwise it is a DRAFT that says what blocks the final version. Raises InvalidInput, NotFound,
    PermissionDenied, and MissingStyleError when the template lacks a style.
    """
    if lang not in LANGUAGES:
        raise InvalidInput(f"Unknown memo language '{lang}'. Choose en, ru, kk or kk+ru.", field="lang")
    if variant not in VARIANTS:
        raise InvalidInput(f"Unknown memo variant '{variant}'. Choose final, review, redline or comparison.",
                           field="variant")
    from recdraft.export import render_memo

    warnings: list[str] = []
    if progress:
        progress(0.02, "Reading the roundtable")
    with db.read() as s:
        _require_admin(s, actor_id, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        data, number_to_id, blockers = _build(db, s, actor_id=actor_id, roundtable_id=roundtable_id,
                                              variant=variant, lang=lang, against=against, warnings=warnings)
        filename = _filename(rt, variant, lang, not blockers)
    snapshot = variant == "final" and not blockers
    canonical = canonical_json(data) if snapshot else None
    digest = sha256_of(canonical) if canonical else None
    if digest:
        data = data.model_copy(update={"snapshot_sha256": digest})

    def sub_progress(fraction: float, message: str) -> None:
        if progress:
            progress(0.05 + 0.9 * fraction, message)

    rendered = render_memo(data, lang=lang, variant=variant, progress=sub_progress)  # type: ignore[arg-type]
    # Only a final export stores a snapshot; the other variants need not say they have none.
    warnings.extend(w for w in rendered.warnings if variant == "final" or "snapshot SHA-256" not in w)
    snapshot_id = None
    with db.write() as s:
        if canonical and digest:
            existing = s.scalar(select(MemoSnapshot).where(MemoSnapshot.sha256 == digest))
            if existing is None:
                row = MemoSnapshot(roundtable_id=roundtable_id, created_by=actor_ref(actor_id), lang=lang,
                                   sha256=digest, canonical=canonical, recommendation_ids=number_to_id,
                                   created_at=utcnow())
                s.add(row)
                s.flush()
                snapshot_id = row.id
            else:
                snapshot_id = existing.id
        audit(s, actor_id=actor_ref(actor_id), roundtable_id=roundtable_id, action="memo.export",
              object_type="roundtable", object_id=roundtable_id,
              details={"variant": variant, "lang": lang, "final": bool(snapshot), "snapshot_id": snapshot_id,
                       "sha256": digest, "bytes": len(rendered.content), "blockers": len(blockers)})
    if progress:
        progress(1.0, "Done")
    return ExportResult(content=rendered.content, filename=filename, warnings=warnings, is_final=bool(snapshot),
                        blockers=blockers, snapshot_id=snapshot_id, sha256=digest)


def list_snapshots(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[SnapshotView]:
    """Final-memo snapshots of a roundtable, newest first (admins)."""
    with db.read() as s:
        _require_admin(s, actor_id, roundtable_id)
        rows = s.scalars(select(MemoSnapshot).where(MemoSnapshot.roundtable_id == roundtable_id)
                         .order_by(MemoSnapshot.id.desc()))
        return [SnapshotView(id=r.id, roundtable_id=r.roundtable_id, created_at=r.created_at, created_by=r.created_by,
                             lang=r.lang, sha256=r.sha256, recommendations=len(r.recommendation_ids)) for r in rows]


def verify_snapshot(db: Database, *, actor_id: Actor, snapshot_id: int) -> bool:
    """True when the stored snapshot text still hashes to its recorded SHA-256."""
    with db.read() as s:
        snap = get(s, MemoSnapshot, snapshot_id, "Snapshot")
        _require_admin(s, actor_id, snap.roundtable_id)
        return sha256_of(snap.canonical) == snap.sha256


def snapshot_text(db: Database, *, actor_id: Actor, snapshot_id: int) -> str:
    """The canonical JSON a snapshot's SHA-256 is computed over (for independent checking)."""
    with db.read() as s:
        snap = get(s, MemoSnapshot, snapshot_id, "Snapshot")
        _require_admin(s, actor_id, snap.roundtable_id)
        return snap.canonical


def default_roundtable(db: Database) -> int:
    """The newest roundtable (the command line's default). Raises NotFound when there is none."""
    with db.read() as s:
        rt_id = s.scalar(select(Roundtable.id).order_by(Roundtable.held_on.desc(), Roundtable.id.desc()))
        if rt_id is None:
            raise NotFound("There is no roundtable yet: run 'recdraft demo' or create one.")
        return rt_id
