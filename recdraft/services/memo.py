"""The memo for parliament: what it includes, what blocks a final version, export and snapshots.

The renderer (``recdraft.export``) takes plain ``MemoData``; this module builds it from the database.
A final export stores a frozen snapshot (canonical JSON) whose SHA-256 the memo prints, so anyone
can check the text later (``recdraft snapshots --verify ID``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.live_models import LiveVote
from recdraft.db.memo_models import MemoSnapshot
from recdraft.db.models import (
    Comment,
    Membership,
    Recommendation,
    Revision,
    Roundtable,
    User,
    utcnow,
)
from recdraft.db.voting_models import VotingRound
from recdraft.domain.policy import Action
from recdraft.domain.revisions import note_text
from recdraft.domain.roles import Role
from recdraft.domain.statuses import CommentStatus, RecStatus
from recdraft.errors import InvalidInput, NotFound
from recdraft.export.wording import format_date, word
from recdraft.schemas import memo as m
from recdraft.schemas.common import LANG_NAMES, LANGS
from recdraft.schemas.views import View
from recdraft.services._base import (
    Actor,
    _System,
    actor_ref,
    audit,
    get,
    require,
)
from recdraft.services.translations import states_for as translation_states
from recdraft.services.translations import translation_blocker_text
from recdraft.services.voting import results_for_memo
from recdraft.services.voting._common import rules_of

Variant = Literal["final", "review", "redline", "comparison"]
MemoLanguage = Literal["en", "ru", "kk", "kk+ru"]
VARIANTS: tuple[str, ...] = ("final", "review", "redline", "comparison")
LANGUAGES: tuple[str, ...] = ("en", "ru", "kk", "kk+ru")
FORMATS: tuple[str, ...] = ("docx", "pdf")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# What a redline or comparison compares against, besides a snapshot id.
FIRST_DRAFTS = "first"  # each recommendation's first draft
LAST_SENT = "sent"  # the last snapshot sent to parliament, else the first drafts (the default)


class BlockerView(View):
    """One thing that stands in the way of a final memo, and who can clear it."""

    kind: Literal["nothing_adopted", "comments", "no_vote", "translation"]
    message: str  # English, as in MemoStatusView.blockers
    # moderators (and admins) / admins and moderators run a round / the authors, moderators and admins translate
    cleared_by: Literal["moderators", "staff", "translators"]
    memo_number: int | None = None
    roundtable_number: int | None = None
    count: int | None = None
    # A translation blocker: the memo language, and the fields missing ("needed") or outdated in it.
    lang: str | None = None
    needed: list[str] = []
    outdated: list[str] = []


class MemoStatusView(View):
    """What a final memo would include and what stands in its way."""

    roundtable_id: int
    included: list[int]  # recommendation ids, in memo order
    blockers: list[str]
    can_be_final: bool
    blocking: list[BlockerView] = []


class SnapshotView(View):
    id: int
    roundtable_id: int
    created_at: datetime
    created_by: int | None
    lang: str
    sha256: str
    recommendations: int
    sent_at: datetime | None = None
    sent_by: int | None = None


@dataclass
class ExportResult:
    content: bytes
    filename: str
    warnings: list[str]
    is_final: bool
    blockers: list[str] = field(default_factory=list)
    snapshot_id: int | None = None
    sha256: str | None = None
    media_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _included(s: Session, roundtable_id: int) -> list[Recommendation]:
    return list(
        s.scalars(
            select(Recommendation)
            .where(Recommendation.roundtable_id == roundtable_id, Recommendation.status == RecStatus.ADOPTED.value)
            .order_by(Recommendation.position, Recommendation.id)
        )
    )


def _unmoderated(s: Session, rec_ids: list[int]) -> dict[int, int]:
    """Comments still awaiting a moderator's decision, per recommendation.

    An open flag on a published comment is for moderators to resolve, but it does not hold the memo:
    anyone may flag, and nobody may keep the memo hostage by doing so (issue 10, item 2).
    """
    if not rec_ids:
        return {}
    rows = s.execute(
        select(Comment.recommendation_id, func.count())
        .where(
            Comment.recommendation_id.in_(rec_ids),
            Comment.status == CommentStatus.PENDING.value,
        )
        .group_by(Comment.recommendation_id)
    ).all()
    return {rid: n for rid, n in rows}


_CLEARED_BY = {
    "moderators": "Moderators (or administrators) can clear this on the Moderation page.",
    "staff": "Administrators or moderators can clear this by running a vote round that meets its rule.",
    "translators": "The authors, moderators or administrators can clear this on the Translations page.",
}


def memo_languages(lang: str | None) -> tuple[str, ...]:
    """The languages a memo edition is written in ("kk+ru": both)."""
    if lang is None:
        return ()
    return ("kk", "ru") if lang == "kk+ru" else (lang,)


def _translation_blocking(
    included: list[Recommendation], states: dict[int, Any], lang: str | None
) -> list[BlockerView]:
    """Per recommendation and memo language: the fields missing or outdated (issue 10, item 7)."""
    out: list[BlockerView] = []
    for memo_number, rec in enumerate(included, start=1):
        state = states.get(rec.id)
        if state is None:
            continue
        for code in memo_languages(lang):
            gaps = state.gaps([code])
            if not gaps:
                continue
            needed = [g.field for g in gaps if g.status == "needed"]
            outdated = [g.field for g in gaps if g.status == "outdated"]
            parts = []
            if needed:
                parts.append("missing: " + ", ".join(f.replace("_", " ") for f in needed))
            if outdated:
                parts.append("outdated after an edit: " + ", ".join(f.replace("_", " ") for f in outdated))
            out.append(
                BlockerView(
                    kind="translation",
                    cleared_by="translators",
                    memo_number=memo_number,
                    roundtable_number=rec.number,
                    lang=code,
                    needed=needed,
                    outdated=outdated,
                    message=f"Recommendation {memo_number} (no. {rec.number} in the roundtable) in {LANG_NAMES[code]}: "
                    + "; ".join(parts)
                    + ". "
                    + _CLEARED_BY["translators"],
                )
            )
    return out


def _blocking(
    included: list[Recommendation], unmoderated: dict[int, int], results: dict[int, list[Any]]
) -> list[BlockerView]:
    if not included:
        return [
            BlockerView(
                kind="nothing_adopted",
                cleared_by="staff",
                message="No recommendation has been adopted yet: the memo has nothing to recommend. "
                + _CLEARED_BY["staff"],
            )
        ]
    out: list[BlockerView] = []
    for memo_number, rec in enumerate(included, start=1):
        label = f"Recommendation {memo_number} (no. {rec.number} in the roundtable)"
        if unmoderated.get(rec.id):
            out.append(
                BlockerView(
                    kind="comments",
                    cleared_by="moderators",
                    memo_number=memo_number,
                    roundtable_number=rec.number,
                    count=unmoderated[rec.id],
                    message=f"{label} has {unmoderated[rec.id]} comment(s) awaiting moderation. "
                    + _CLEARED_BY["moderators"],
                )
            )
        rounds = results.get(rec.id, [])
        if not rounds or rounds[-1].overall is None or not rounds[-1].overall.rule_met:
            out.append(
                BlockerView(
                    kind="no_vote",
                    cleared_by="staff",
                    memo_number=memo_number,
                    roundtable_number=rec.number,
                    message=f"{label} has no closed vote that met its rule. " + _CLEARED_BY["staff"],
                )
            )
    return out


def _status(
    db: Database, s: Session, actor_id: Actor, roundtable_id: int, lang: str | None = None
) -> tuple[list[Recommendation], list[BlockerView], dict[int, list[Any]]]:
    included = _included(s, roundtable_id)
    results = results_for_memo(db, actor_id=actor_id, roundtable_id=roundtable_id)
    blocking = _blocking(included, _unmoderated(s, [r.id for r in included]), results)
    if lang is not None and included:
        blocking += _translation_blocking(included, translation_states(s, included), lang)
    return included, blocking, results


def _memo_blockers(blocking: list[BlockerView], lang: str) -> list[str]:
    """The blockers as the memo prints them, in its language(s)."""
    langs = ("kk", "ru") if lang == "kk+ru" else (lang,)
    out = []
    for b in blocking:
        texts = []
        for code in langs:
            if b.kind == "translation":
                texts.append(translation_blocker_text(b, code))
                continue
            if b.kind == "nothing_adopted":
                text = word(code, "blocker_nothing")
            elif b.kind == "comments":
                text = word(code, "blocker_comments", n=b.memo_number, number=b.roundtable_number, count=b.count)
            else:
                text = word(code, "blocker_no_vote", n=b.memo_number, number=b.roundtable_number)
            texts.append(f"{text} {word(code, f'cleared_by_{b.cleared_by}')}")
        out.append(" / ".join(texts))
    return out


def memo_status(db: Database, *, actor_id: Actor, roundtable_id: int, lang: str | None = None) -> MemoStatusView:
    """What the memo includes (adopted recommendations) and what blocks a final version (admins).

    With ``lang`` (en, ru, kk or kk+ru) the blockers include every adopted text missing or outdated in that
    edition's language(s): a final memo is whole in its language (issue 10, item 7).
    """
    if lang is not None and lang not in LANGUAGES:
        raise InvalidInput("svc.memo.unknown_language", lang=lang, field="lang")
    with db.read() as s:
        require(s, actor_id, Action.EXPORT, roundtable_id)
        included, blocking, _ = _status(db, s, actor_id, roundtable_id, lang)
        return MemoStatusView(
            roundtable_id=roundtable_id,
            included=[r.id for r in included],
            blockers=[b.message for b in blocking],
            can_be_final=not blocking,
            blocking=blocking,
        )


# ------------------------------------------------------------------------------------ building


_CONSENSUS = {
    "adopted": {"en": "Adopted in round {n}", "ru": "Принята в раунде {n}", "kk": "{n}-раундта қабылданды"},
    "rejected": {"en": "Rejected in round {n}", "ru": "Отклонена в раунде {n}", "kk": "{n}-раундта қабылданбады"},
    "no_consensus": {
        "en": "No consensus in round {n}",
        "ru": "Нет консенсуса в раунде {n}",
        "kk": "{n}-раундта консенсус жоқ",
    },
}
_COUNTS = {
    "simple": {
        "en": "{a} for, {d} against, {ab} abstained, {b} blocked",
        "ru": "за — {a}, против — {d}, воздержались — {ab}, блок — {b}",
        "kk": "жақтады — {a}, қарсы — {d}, қалыс қалды — {ab}, бұғаттады — {b}",
    },
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


def _current_content(revision_content: dict[str, Any], state: Any) -> dict[str, m.RecommendationContent]:
    """Each language's current texts (the authors' originals and current translations); a language whose
    title or text is missing or outdated is left out, so the memo never prints a stale or borrowed text as
    if it were that language's (the DRAFT lists it instead)."""
    if state is None:
        return _content(revision_content)
    out = {
        lang: m.RecommendationContent(**texts)
        for lang in ("en", "ru", "kk")
        if (texts := state.current_content(lang)) is not None
    }
    return out or _content(revision_content)


def _content(data: dict[str, Any]) -> dict[str, m.RecommendationContent]:
    return {lang: m.RecommendationContent(**fields) for lang, fields in data.items() if lang in ("en", "ru", "kk")}


def _previous_from_snapshot(snap: MemoSnapshot) -> dict[int, dict[str, Any]]:
    earlier = m.MemoData.model_validate_json(snap.canonical)
    by_number = {r.number: r for r in earlier.recommendations}
    out: dict[int, dict[str, Any]] = {}
    for number, rec_id in snap.recommendation_ids.items():
        rec = by_number.get(int(number))
        if rec is not None:
            out[int(rec_id)] = {lang: c.model_dump() for lang, c in rec.content.items()}
    return out


def _last_sent(s: Session, roundtable_id: int) -> MemoSnapshot | None:
    return s.scalar(
        select(MemoSnapshot)
        .where(MemoSnapshot.roundtable_id == roundtable_id, MemoSnapshot.sent_at.is_not(None))
        .order_by(MemoSnapshot.sent_at.desc(), MemoSnapshot.id.desc())
    )


def _baseline(s: Session, roundtable_id: int, against: int | str | None) -> MemoSnapshot | None:
    """The snapshot a redline compares against (None: the first drafts). Raises NotFound, InvalidInput."""
    if against is None or against == LAST_SENT:
        return _last_sent(s, roundtable_id)
    if against == FIRST_DRAFTS:
        return None
    if isinstance(against, bool) or not isinstance(against, int):
        raise InvalidInput("svc.memo.against_kind", field="against")
    snap = s.get(MemoSnapshot, against)
    if snap is None or snap.roundtable_id != roundtable_id:
        raise NotFound("svc.memo.snapshot_not_found", snapshot_id=against)
    return snap


def _baseline_text(snap: MemoSnapshot | None) -> dict[str, str]:
    """What the redline's first page says it compares against, in every language."""
    out = {}
    for lang in ("en", "ru", "kk"):
        if snap is None:
            out[lang] = word(lang, "baseline_first")
        elif snap.sent_at is not None:
            out[lang] = word(lang, "baseline_sent", date=format_date(snap.sent_at.date(), lang), id=snap.id)
        else:
            out[lang] = word(lang, "baseline_snapshot", date=format_date(snap.created_at.date(), lang), id=snap.id)
    return out


def _label(lang: str, n: int) -> str:
    if lang == "kk+ru":
        return f"{word('kk', 'participant_n', n=n)} / {word('ru', 'participant_n', n=n)}"
    return word(lang, "participant_n", n=n)


class _Names:
    """How the memo names people: their display name with consent, else a neutral "Participant N".

    N counts the people who withheld their name, in the order they joined the roundtable, so the
    label is the same person everywhere in one memo (comments, tracked changes, properties).
    """

    def __init__(self, s: Session, roundtable_id: int, lang: str) -> None:
        rows = s.execute(
            select(Membership.user_id, Membership.consent_named, User.display_name)
            .join(User, User.id == Membership.user_id)
            .where(Membership.roundtable_id == roundtable_id)
            .order_by(Membership.id)
        ).all()
        self.lang = lang
        self.s = s
        self.named: dict[int, str] = {uid: name for uid, consent, name in rows if consent}
        self.withheld: dict[int, str] = {}
        self.withheld_names: set[str] = set()
        for uid, consent, name in rows:
            if not consent:
                self.withheld[uid] = _label(lang, len(self.withheld) + 1)
                self.withheld_names.add(name)

    def __call__(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        if user_id in self.named:
            return self.named[user_id]
        if user_id not in self.withheld:
            # Not (or no longer) a member: nobody recorded their consent, so they are not named.
            self.withheld[user_id] = _label(self.lang, len(self.withheld) + 1)
            name = self.s.scalar(select(User.display_name).where(User.id == user_id))
            if name:
                self.withheld_names.add(name)
        return self.withheld[user_id]


def names_for_export(s: Session, roundtable_id: int, lang: str = "en") -> Callable[[int | None], str]:
    """user id → the name every export prints: the display name with consent, else "Participant N"
    (the same N as in the memo). Used by the memo and by the comment and vote CSV exports."""
    return _Names(s, roundtable_id, lang)


def _fraction(value: Any) -> str:
    from fractions import Fraction

    f = Fraction(value)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _in_meeting(s: Session, round_ids: set[int]) -> dict[int, datetime]:
    """When each of these rounds was opened in a meeting (live mode), for those taken in the room."""
    if not round_ids:
        return {}
    return dict(
        s.execute(select(LiveVote.round_id, LiveVote.opened_at).where(LiveVote.round_id.in_(round_ids))).tuples().all()
    )


def _round_rules(s: Session, round_ids: set[int]) -> dict[int, Any]:
    if not round_ids:
        return {}
    return {r.id: rules_of(r) for r in s.scalars(select(VotingRound).where(VotingRound.id.in_(round_ids)))}


def _references(value: Any) -> list[m.LegalReference]:
    """Legal references as stored: plain texts (one language) or {lang: text} per language."""
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, str) and item.strip():
            out.append(m.LegalReference(text={"en": item}))
        elif isinstance(item, dict):
            texts = _per_language(item)
            if texts:
                out.append(m.LegalReference(text=texts))
    return out


def _organisation_namer(settings: dict[str, Any], lang: str) -> Callable[[str], str]:
    """stored organisation → its name in the memo language(s), from the ``organisation_names`` setting (the
    stored name as it is when the setting does not know it: the export tags it with its own language)."""
    table: dict[str, dict[str, str]] = {}
    for item in settings.get("organisation_names") or []:
        names = _per_language(item)
        for value in names.values():
            table[value.strip().casefold()] = names

    def name(stored: str) -> str:
        names = table.get((stored or "").strip().casefold())
        if not names:
            return stored
        wanted = [names[code] for code in memo_languages(lang) if names.get(code)]
        return " / ".join(dict.fromkeys(wanted)) or stored

    return name


def _revisers(
    s: Session, rec_ids: list[int], since: datetime | None, names: _Names
) -> dict[int, tuple[str, datetime | None]]:
    """Per recommendation: who made the revisions after ``since`` (None: after the first draft) and
    when the latest was saved — the author and date of its tracked changes."""
    if not rec_ids:
        return {}
    rows = s.execute(
        select(Revision.recommendation_id, Revision.number, Revision.author_id, Revision.created_at)
        .where(Revision.recommendation_id.in_(rec_ids))
        .order_by(Revision.number)
    ).all()
    authors: dict[int, list[str]] = {}
    latest: dict[int, datetime] = {}
    for rec_id, number, author_id, created_at in rows:
        later = number > 1 if since is None else _aware(created_at) > _aware(since)
        if not later:
            continue
        label = names(author_id)
        if label and label not in authors.setdefault(rec_id, []):
            authors[rec_id].append(label)
        latest[rec_id] = created_at
    return {rid: (", ".join(authors.get(rid, [])), latest.get(rid)) for rid in rec_ids if rid in latest}


def _aware(moment: datetime) -> datetime:

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _build(
    db: Database,
    s: Session,
    *,
    actor_id: Actor,
    roundtable_id: int,
    variant: str,
    lang: str,
    against: int | str | None,
    warnings: list[str],
) -> tuple[m.MemoData, dict[str, int], list[str]]:
    rt = get(s, Roundtable, roundtable_id, "Roundtable")
    included, blocking, results = _status(db, s, actor_id, roundtable_id, lang)
    blockers = [b.message for b in blocking]
    states = translation_states(s, included)
    names = _Names(s, roundtable_id, lang)
    ids = [r.id for r in included]
    revisions = (
        {
            r.id: r
            for r in s.scalars(
                select(Revision).where(
                    Revision.id.in_([r.current_revision_id for r in included if r.current_revision_id])
                )
            )
        }
        if included
        else {}
    )

    previous: dict[int, dict[str, Any]] = {}
    notes: dict[int, list[str]] = {}
    revisers: dict[int, tuple[str, datetime | None]] = {}
    baseline: dict[str, str] = {}
    if variant in ("redline", "comparison"):
        snap = _baseline(s, roundtable_id, against)
        baseline = _baseline_text(snap)
        if snap is not None:
            previous = _previous_from_snapshot(snap)
        else:
            warnings.append(
                "No snapshot has been sent to parliament yet: changes are shown against each "
                "recommendation's first draft."
                if against in (None, LAST_SENT)
                else "Changes are shown against each recommendation's first draft."
            )
        firsts = s.execute(
            select(Revision).where(Revision.recommendation_id.in_(ids)).order_by(Revision.number)
        ).scalars()
        for rev in firsts:
            if snap is None:
                previous.setdefault(rev.recommendation_id, rev.content)
            if rev.number > 1 and rev.note:
                notes.setdefault(rev.recommendation_id, []).append(note_text(rev.note, memo_languages(lang)[0]))
        revisers = _revisers(s, ids, snap.created_at if snap is not None else None, names)

    memo_recs: list[m.Recommendation] = []
    number_to_id: dict[str, int] = {}
    for number, rec in enumerate(included, start=1):
        assert rec.current_revision_id is not None  # an adopted recommendation has its text
        current = revisions[rec.current_revision_id].content
        earlier = previous.get(rec.id)
        rec_results = results.get(rec.id, [])
        revised_by, revised_at = revisers.get(rec.id, ("", None))
        memo_recs.append(
            m.Recommendation(
                number=number,
                topic=rec.topic,
                priority=rec.priority,
                content=_current_content(current, states.get(rec.id)),
                previous=_content(earlier) if earlier is not None else None,
                justification={"en": "; ".join(notes.get(rec.id, []))} if notes.get(rec.id) else {},
                consensus=_consensus_text(rec_results[-1]) if rec_results else {},
                revised_by=revised_by,
                revised_at=revised_at,
            )
        )
        number_to_id[str(number)] = rec.id

    memo_number = {rec_id: int(n) for n, rec_id in number_to_id.items()}
    organisation = _organisation_namer(rt.settings or {}, lang)  # names in the memo's language(s)
    round_ids = {r.round_id for rec in included for r in results.get(rec.id, [])}
    rules = _round_rules(s, round_ids)
    in_meeting = _in_meeting(s, round_ids)
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
                delphi = m.DelphiStats(
                    median=o.delphi.median,
                    iqr=o.delphi.iqr,
                    distribution={int(k): v for k, v in o.delphi.distribution.items()},
                )
            rule = rules.get(result.round_id)
            is_delphi = result.mode == "delphi"
            votes.append(
                m.VoteResult(
                    recommendation_number=memo_number[rec.id],
                    round_number=result.round_number,
                    mode=result.mode,
                    in_meeting_at=in_meeting.get(result.round_id),
                    votes_for=o.agree if result.mode == "simple" else None,
                    votes_against=o.disagree if result.mode == "simple" else None,
                    abstain=o.abstain if result.mode == "simple" else None,
                    block=o.block,
                    eligible=o.eligible,
                    voted=o.voted,
                    quorum_met=o.quorum_met,
                    rule_met=o.rule_met,
                    outcome=o.outcome,
                    delphi=delphi,
                    quorum=_fraction(rule.quorum) if rule else None,
                    threshold=_fraction(rule.threshold) if rule and not is_delphi else None,
                    blocks_prevent_adoption=rule.blocks_prevent_adoption if rule else None,
                    delphi_agreement_share=_fraction(rule.delphi_agreement_share) if rule and is_delphi else None,
                    delphi_band=(rule.delphi_band_low, rule.delphi_band_high) if rule and is_delphi else None,
                    delphi_max_iqr=_fraction(rule.delphi_max_iqr) if rule and is_delphi else None,
                    block_override_reason=(result.block_override_reason or None) if o.block_override_applied else None,
                )
            )
        if rec_results:
            for d in rec_results[-1].dissents:
                # A voter may let a reason carry their name only if they consented to be named at all.
                named = d.name is not None and d.name not in names.withheld_names
                dissents.append(
                    m.DissentingOpinion(
                        recommendation_number=memo_number[rec.id],
                        name=d.name if named else None,
                        organisation=organisation(d.organisation or "") or None if named else None,
                        reason=d.reason,
                    )
                )

    members = list(
        s.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.roundtable_id == roundtable_id)
        ).all()
    )
    # Sorted here, not by the database: collations differ between SQLite and PostgreSQL, the seal must not.
    members.sort(key=lambda row: (row[0].organisation.casefold(), names(row[1].id).casefold(), row[0].id))
    participants = [
        m.Participant(
            name=names(u.id),
            organisation=organisation(ms.organisation),
            role=role_label(ms.role, lang),
            consent_to_be_named=ms.consent_named,
        )
        for ms, u in members
    ]

    comments: list[m.PublishedComment] = []
    if variant == "review" and ids:
        rows = (
            s.execute(
                select(Comment)
                .where(Comment.recommendation_id.in_(ids), Comment.status == CommentStatus.PUBLISHED.value)
                .order_by(Comment.created_at, Comment.id)
            )
            .scalars()
            .all()
        )
        index: dict[int, int] = {}
        for c in _threads(rows):
            index[c.id] = len(comments)
            comments.append(
                m.PublishedComment(
                    recommendation_number=memo_number[c.recommendation_id],
                    author=names(c.author_id),
                    published_at=c.created_at,
                    text=c.body,
                    quote=c.quote or None,
                    parent=index.get(c.parent_id) if c.parent_id is not None else None,
                    resolved=c.resolution is not None,
                )
            )

    settings = rt.settings or {}
    stored_signatory = settings.get("signatory")
    signatory = stored_signatory if isinstance(stored_signatory, dict) else {}
    outgoing = settings.get("outgoing_number")
    roundtable = m.Roundtable(
        title=rt.title,
        venue=rt.venue,
        organisers=rt.organisers,
        held_on=rt.held_on,
        executive_summary=rt.summary or {},
        background=rt.background,
        closing=_per_language(settings.get("closing_formula")),
        **({"addressee": rt.addressee} if rt.addressee else {}),
    )
    prepared_by = "recdraft"
    if not isinstance(actor_id, _System):
        prepared_by = names(actor_id) or prepared_by
    data = m.MemoData(
        roundtable=roundtable,
        recommendations=memo_recs,
        votes=votes,
        dissents=dissents,
        participants=participants,
        legal_references=_references(settings.get("legal_references")),
        comments=comments,
        is_final=not blockers,
        blockers=_memo_blockers(blocking, lang),
        signatory=m.Signatory(
            name=_per_language(signatory.get("name")), position=_per_language(signatory.get("position"))
        ),
        outgoing_number=outgoing.strip() if isinstance(outgoing, str) else "",
        baseline=baseline,
        prepared_by=prepared_by,
        prepared_at=utcnow(),
    )
    return data, number_to_id, blockers


def _threads(rows: Sequence[Comment]) -> list[Comment]:
    """Each comment followed by its replies (depth first, by time): a parent always precedes its replies."""
    children: dict[int | None, list[Comment]] = {}
    ids = {c.id for c in rows}
    for c in rows:
        children.setdefault(c.parent_id if c.parent_id in ids else None, []).append(c)
    out: list[Comment] = []

    def walk(parent: int | None) -> None:
        for c in children.get(parent, []):
            out.append(c)
            walk(c.id)

    walk(None)
    return out


def _role_labels() -> dict[str, dict[str, str]]:
    from recdraft.i18n import catalog

    return {role.value: dict(catalog()[f"memo.role.{role.value}"]) for role in Role}


# How the participants annex names each role, in every language: from the catalogue (translations.json).
ROLE_LABELS = _role_labels()


def role_label(role: str, lang: str) -> str:
    """The participants annex's word for a role; "kk+ru" gives both."""
    labels = ROLE_LABELS.get(role, {"en": role, "ru": role, "kk": role})
    if lang == "kk+ru":
        return f"{labels['kk']} / {labels['ru']}"
    return labels.get(lang, labels["en"])


# Not content: the moment and the person of the export, and what a redline compares against.
_NOT_SEALED = {"snapshot_sha256", "prepared_at", "prepared_by", "baseline"}


def canonical_json(data: m.MemoData) -> str:
    """The exact text a snapshot's SHA-256 is computed over: the content (agreed texts, votes, names),
    not the export moment, so the same content exported twice gives the same seal."""
    return data.model_dump_json(exclude=_NOT_SEALED)


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
    against: int | str | None = None,
    progress: Callable[[float, str], None] | None = None,
    format: str = "docx",
    page_numbers: bool = False,
) -> ExportResult:
    """Build and render the memo (roundtable admins; the command line).

    A "final" export whose blockers are all cleared stores a frozen snapshot and prints its SHA-256;
    otherwise it is a DRAFT that says what blocks the final version. A redline or comparison compares
    against ``against``: a snapshot id, ``FIRST_DRAFTS``, or (None, ``LAST_SENT``) the last snapshot sent
    to parliament, else the first drafts. ``format`` "pdf" gives PDF/A-2b (LibreOffice headless; the
    contents with page numbers, the same seal); ``page_numbers`` asks LibreOffice for the contents'
    page numbers of a .docx too (slower). Raises InvalidInput, NotFound, PermissionDenied,
    PdfUnavailable, and MissingStyleError when the template lacks a style.
    """
    if format not in FORMATS:
        raise InvalidInput("svc.memo.unknown_format", format=format, field="format")
    if lang not in LANGUAGES:
        raise InvalidInput("svc.memo.unknown_language", lang=lang, field="lang")
    if variant not in VARIANTS:
        raise InvalidInput("svc.memo.unknown_variant", variant=variant, field="variant")
    from recdraft.export import PdfUnavailable, render_memo, to_pdf

    warnings: list[str] = []
    if progress:
        progress(0.02, "Reading the roundtable")
    with db.read() as s:
        rt = require(s, actor_id, Action.EXPORT, roundtable_id).roundtable
        data, number_to_id, blockers = _build(
            db,
            s,
            actor_id=actor_id,
            roundtable_id=roundtable_id,
            variant=variant,
            lang=lang,
            against=against,
            warnings=warnings,
        )
        filename = _filename(rt, variant, lang, not blockers)
    snapshot = variant == "final" and not blockers
    canonical = canonical_json(data) if snapshot else None
    digest = sha256_of(canonical) if canonical else None
    if digest:
        data = data.model_copy(update={"snapshot_sha256": digest})

    def sub_progress(fraction: float, message: str) -> None:
        if progress:
            progress(0.05 + 0.9 * fraction, message)

    pdf_wanted = format == "pdf"
    scale = 0.55 if pdf_wanted or page_numbers else 1.0

    def render_progress(fraction: float, message: str) -> None:
        sub_progress(scale * fraction, message)

    rendered = render_memo(data, lang=lang, variant=variant, progress=render_progress)  # type: ignore[arg-type]
    content = rendered.content
    if pdf_wanted or page_numbers:
        sub_progress(0.6, "Laying out the pages in LibreOffice")
        try:
            pdf, pages = to_pdf(rendered.content)
        except PdfUnavailable as exc:
            if pdf_wanted:
                raise
            # The Word file is still good without page numbers: Word fills them in when it opens it.
            warnings.append(f"The contents have no page numbers: {exc}")
            pdf, pages = b"", None
        if pdf_wanted:
            content = pdf
            filename = filename.removesuffix(".docx") + ".pdf"
        elif variant != "comparison" and pages is not None:
            sub_progress(0.9, "Saving")
            rendered = render_memo(data, lang=lang, variant=variant, toc_pages=pages)  # type: ignore[arg-type]
            content = rendered.content
    # Only a final export stores a snapshot; the other variants need not say they have none.
    warnings.extend(w for w in rendered.warnings if variant == "final" or "snapshot SHA-256" not in w)
    snapshot_id = None
    with db.write() as s:
        if canonical and digest:
            existing = s.scalar(select(MemoSnapshot).where(MemoSnapshot.sha256 == digest))
            if existing is None:
                row = MemoSnapshot(
                    roundtable_id=roundtable_id,
                    created_by=actor_ref(actor_id),
                    lang=lang,
                    sha256=digest,
                    canonical=canonical,
                    recommendation_ids=number_to_id,
                    created_at=utcnow(),
                )
                s.add(row)
                s.flush()
                snapshot_id = row.id
            else:
                snapshot_id = existing.id
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=roundtable_id,
            action="memo.export",
            object_type="roundtable",
            object_id=roundtable_id,
            details={
                "variant": variant,
                "lang": lang,
                "final": bool(snapshot),
                "snapshot_id": snapshot_id,
                "sha256": digest,
                "bytes": len(content),
                "blockers": len(blockers),
                "format": format,
            },
        )
    if progress:
        progress(1.0, "Done")
    return ExportResult(
        content=content,
        filename=filename,
        warnings=warnings,
        is_final=bool(snapshot),
        blockers=blockers,
        snapshot_id=snapshot_id,
        sha256=digest,
        media_type=MEDIA_TYPES[format],
    )


def _snapshot_view(r: MemoSnapshot) -> SnapshotView:
    return SnapshotView(
        id=r.id,
        roundtable_id=r.roundtable_id,
        created_at=r.created_at,
        created_by=r.created_by,
        lang=r.lang,
        sha256=r.sha256,
        recommendations=len(r.recommendation_ids),
        sent_at=r.sent_at,
        sent_by=r.sent_by,
    )


def list_snapshots(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[SnapshotView]:
    """Final-memo snapshots of a roundtable, newest first (admins)."""
    with db.read() as s:
        require(s, actor_id, Action.EXPORT, roundtable_id)
        rows = s.scalars(
            select(MemoSnapshot).where(MemoSnapshot.roundtable_id == roundtable_id).order_by(MemoSnapshot.id.desc())
        )
        return [_snapshot_view(r) for r in rows]


def mark_sent(db: Database, *, actor_id: Actor, snapshot_id: int, sent: bool = True) -> SnapshotView:
    """Record that a snapshot's memo was sent to parliament (or undo a mistaken mark) (admins).

    Redlines then compare against the last snapshot sent. Marking twice keeps the first date.
    Raises NotFound, PermissionDenied.
    """
    with db.write() as s:
        snap = get(s, MemoSnapshot, snapshot_id, "Snapshot")
        require(s, actor_id, Action.EXPORT, snap.roundtable_id)
        before = snap.sent_at
        if sent and snap.sent_at is None:
            snap.sent_at = utcnow()
            snap.sent_by = actor_ref(actor_id)
        elif not sent:
            snap.sent_at = None
            snap.sent_by = None
        if before != snap.sent_at:
            audit(
                s,
                actor_id=actor_ref(actor_id),
                roundtable_id=snap.roundtable_id,
                action="memo.sent" if sent else "memo.unsent",
                object_type="memo_snapshot",
                object_id=snap.id,
                details={"sha256": snap.sha256, "sent_at": snap.sent_at.isoformat() if snap.sent_at else None},
            )
        s.flush()
        return _snapshot_view(snap)


def verify_snapshot(db: Database, *, actor_id: Actor, snapshot_id: int) -> bool:
    """True when the stored snapshot text still hashes to its recorded SHA-256."""
    with db.read() as s:
        snap = get(s, MemoSnapshot, snapshot_id, "Snapshot")
        require(s, actor_id, Action.EXPORT, snap.roundtable_id)
        return sha256_of(snap.canonical) == snap.sha256


def snapshot_text(db: Database, *, actor_id: Actor, snapshot_id: int) -> str:
    """The canonical JSON a snapshot's SHA-256 is computed over (for independent checking)."""
    with db.read() as s:
        snap = get(s, MemoSnapshot, snapshot_id, "Snapshot")
        require(s, actor_id, Action.EXPORT, snap.roundtable_id)
        return snap.canonical


def default_roundtable(db: Database) -> int:
    """The newest roundtable (the command line's default). Raises NotFound when there is none."""
    with db.read() as s:
        rt_id = s.scalar(select(Roundtable.id).order_by(Roundtable.held_on.desc(), Roundtable.id.desc()))
        if rt_id is None:
            raise NotFound("svc.memo.no_roundtable")
        return rt_id
