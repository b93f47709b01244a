"""Translating recommendations into the roundtable's other languages (issue 10, item 7).

Who translates: the recommendation's authors and co-authors, moderators and administrators — the people who
may edit its text (``domain.policy``: ``Action.EDIT`` with ``is_author``); the roundtable has no separate translator role,
so a translator is invited as a moderator or made a co-author. Observers never translate.

When: in every phase but an archived roundtable, and whatever the recommendation's status (merged aside):
translation mostly happens *after* adoption, and it never touches the agreed wording — a translation is its
own row (``db.translation_models``), not a revision, so no vote goes stale (``domain.revisions``) and what an
adopted text freezes (``domain.statuses.FROZEN_BY_STATUS``: the revisions) stays frozen. A current original
(the authors' own words in a language) cannot be overwritten by a translation (``domain.translations``).

Every save is one transaction with its audit row ``recommendation.translation``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Recommendation, Revision, Roundtable, User, utcnow
from recdraft.db.translation_models import Translation
from recdraft.domain import policy
from recdraft.domain.policy import PHASE_REFUSALS, Action
from recdraft.domain.roles import Phase
from recdraft.domain.statuses import RecStatus
from recdraft.domain.translations import (
    TRANSLATED_FIELDS,
    RevisionRecord,
    TextStatus,
    TranslationRecord,
    TranslationState,
    derive,
    may_translate,
)
from recdraft.errors import InvalidInput
from recdraft.schemas.common import LANGS, Input, Note, parse, text_check
from recdraft.schemas.views import View
from recdraft.services._base import (
    Actor,
    actor,
    actor_ref,
    audit,
    deny_unless,
    get,
    member_role,
)
from recdraft.services.recommendations import is_author

# Phases in which translating is open: all but archived (read-only). Final (closed) is when most of it is done.
TRANSLATION_PHASES = frozenset({Phase.SETUP, Phase.DRAFTING, Phase.DISCUSSION, Phase.VOTING, Phase.CLOSED})


_Title = Annotated[str, text_check("Title", "title", single_line=True, required=False)]
_Text = Annotated[str, text_check("Recommendation text", "text", required=False)]
_Rationale = Annotated[str, text_check("Rationale", "rationale", required=False)]
_LegalBasis = Annotated[str, text_check("Legal basis", "legal_basis", required=False)]
_Body = Annotated[str, text_check("Responsible body", "responsible_body", single_line=True, required=False)]


class _Texts(Input):
    """A translation's fields: each optional (a translator may do the title and text first)."""

    title: _Title = ""
    text: _Text = ""
    rationale: _Rationale = ""
    legal_basis: _LegalBasis = ""
    responsible_body: _Body = ""
    note: Note = ""


class FieldStateView(View):
    lang: str
    field: str
    status: str  # original / translated / outdated / needed
    text: str
    source_lang: str | None = None
    revision: int | None = None  # revision number written in / translated from
    translator_name: str | None = None
    translated_at: datetime | None = None


class RecommendationTranslationsView(View):
    """Every language × field of one recommendation, and what a translator may do."""

    recommendation_id: int
    roundtable_id: int
    number: int
    status: str
    current_revision_id: int
    current_revision_number: int
    languages: list[str]  # the roundtable's languages
    fields: dict[str, dict[str, FieldStateView]]  # lang → field → state
    language_status: dict[str, str | None]  # lang → worst field status (None: nothing written yet)
    sources: list[str]  # languages a translation may be made from
    can_translate: bool

    def gaps(self, lang: str) -> list[FieldStateView]:
        return [s for name, s in self.fields.get(lang, {}).items() if s.status in ("needed", "outdated")]


class NeedsTranslationItem(View):
    """One recommendation with something to translate in ``lang``."""

    recommendation_id: int
    number: int
    status: str
    title: str  # in a source language
    title_lang: str
    lang: str
    fields: list[str]  # needed or outdated fields, in field order
    outdated: list[str]  # of those, the outdated ones
    sources: list[str]


# ------------------------------------------------------------------------------------------ the record


def _records(
    s: Session, rec_ids: list[int]
) -> tuple[dict[int, list[RevisionRecord]], dict[int, list[TranslationRecord]], dict[int, Translation]]:
    revisions: dict[int, list[RevisionRecord]] = {rid: [] for rid in rec_ids}
    numbers: dict[int, int] = {}
    if not rec_ids:
        return revisions, {}, {}
    for rev_id, rec_id, number, content in s.execute(
        select(Revision.id, Revision.recommendation_id, Revision.number, Revision.content)
        .where(Revision.recommendation_id.in_(rec_ids))
        .order_by(Revision.recommendation_id, Revision.number)
    ):
        revisions[rec_id].append(RevisionRecord(number=number, content=content or {}))
        numbers[rev_id] = number
    translations: dict[int, list[TranslationRecord]] = {rid: [] for rid in rec_ids}
    rows: dict[int, Translation] = {}
    for tr in s.scalars(select(Translation).where(Translation.recommendation_id.in_(rec_ids)).order_by(Translation.id)):
        rows[tr.id] = tr
        translations[tr.recommendation_id].append(
            TranslationRecord(
                id=tr.id,
                lang=tr.lang,
                source_lang=tr.source_lang,
                source_revision=numbers.get(tr.source_revision_id, 0),
                texts=tr.content or {},
                source_texts=tr.source_texts or {},
                author_id=tr.translator_id,
            )
        )
    return revisions, translations, rows


def states_for(s: Session, recs: Iterable[Recommendation]) -> dict[int, TranslationState]:
    """recommendation id → its translation state (two queries for any number of recommendations)."""
    recs = list(recs)
    revisions, translations, _ = _records(s, [r.id for r in recs])
    out: dict[int, TranslationState] = {}
    for rec in recs:
        # The current revision is always the newest (a restore makes an older text current as a new one).
        out[rec.id] = derive(revisions.get(rec.id, []), translations.get(rec.id, []))
    return out


def _may_translate_here(s: Session, user: User, rec: Recommendation) -> tuple[bool, str]:
    role = member_role(s, user, rec.roundtable_id)
    rt = get(s, Roundtable, rec.roundtable_id, "Roundtable")
    try:
        phase = Phase(rt.phase)
    except ValueError:
        phase = Phase.ARCHIVED
    if phase not in TRANSLATION_PHASES:
        return False, PHASE_REFUSALS.get(phase, PHASE_REFUSALS[Phase.ARCHIVED])
    if rec.status == RecStatus.MERGED.value:
        return False, "svc.translations.archived_or_merged"
    # Translating has its own phases (above); who translates is who may change the text (the policy's EDIT
    # rule for the role, asked of a working phase).
    if not policy.can(Action.EDIT, role=role, phase=Phase.DRAFTING, is_author=is_author(rec, user.id)):
        return False, "svc.translations.who"
    return True, ""


def _view(
    s: Session, rec: Recommendation, state: TranslationState, rows: dict[int, Translation], can: bool
) -> RecommendationTranslationsView:
    rt = get(s, Roundtable, rec.roundtable_id, "Roundtable")
    current = get(s, Revision, rec.current_revision_id, "Revision")
    translator_ids = {
        rows[st.translation_id].translator_id
        for per in state.fields.values()
        for st in per.values()
        if st.translation_id in rows
    }
    names = (
        dict(s.execute(select(User.id, User.display_name).where(User.id.in_(translator_ids))).tuples().all())
        if translator_ids
        else {}
    )
    fields: dict[str, dict[str, FieldStateView]] = {}
    for lang, per in state.fields.items():
        for name, st in per.items():
            row = rows.get(st.translation_id) if st.translation_id else None
            fields.setdefault(lang, {})[name] = FieldStateView(
                lang=lang,
                field=name,
                status=st.status.value,
                text=st.text,
                source_lang=st.source_lang,
                revision=st.revision,
                translator_name=names.get(row.translator_id) if row else None,
                translated_at=row.created_at if row else None,
            )
    languages = [lang for lang in LANGS if lang in (rt.languages or LANGS)] or list(LANGS)
    return RecommendationTranslationsView(
        recommendation_id=rec.id,
        roundtable_id=rec.roundtable_id,
        number=rec.number,
        status=rec.status,
        current_revision_id=current.id,
        current_revision_number=current.number,
        languages=languages,
        fields=fields,
        language_status={lang: (status_.value if (status_ := state.status(lang)) else None) for lang in LANGS},
        sources=state.sources(),
        can_translate=can,
    )


def get_translations(db: Database, *, actor_id: Actor, recommendation_id: int) -> RecommendationTranslationsView:
    """Each language's status and text, field by field (any participant). Raises NotFound, PermissionDenied."""
    with db.read() as s:
        user = actor(s, actor_ref(actor_id))
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        member_role(s, user, rec.roundtable_id)
        revisions, translations, rows = _records(s, [rec.id])
        state = derive(revisions[rec.id], translations.get(rec.id, []))
        return _view(s, rec, state, rows, _may_translate_here(s, user, rec)[0])


# ------------------------------------------------------------------------------------------ saving


def _check_lang(value: Any, field: str) -> str:
    if value not in LANGS:
        raise InvalidInput("svc.translations.lang", field=field)
    return str(value)


def save_translation(
    db: Database,
    *,
    actor_id: Actor,
    recommendation_id: int,
    lang: str,
    source_lang: str,
    texts: dict[str, str],
    base_revision_id: int | None = None,
    note: str = "",
) -> RecommendationTranslationsView:
    """Save ``texts`` (field → text) as the ``lang`` translation of the recommendation, made from ``source_lang``.

    ``base_revision_id`` is the revision the translator saw: when the source words changed since, nothing is
    saved (InvalidInput) so a translation is never recorded against words its translator did not read. Empty
    fields are left as they are; a field whose ``lang`` text is a current original (the authors' wording) is
    refused. Saving the same text as a current translation records nothing; saving it for an outdated one
    confirms it against the new source. Raises InvalidInput, PermissionDenied, NotFound.
    """
    target = _check_lang(lang, "lang")
    source = _check_lang(source_lang, "source_lang")
    if target == source:
        raise InvalidInput("svc.translations.same_lang", field="source_lang")
    unknown = sorted(set(texts) - set(TRANSLATED_FIELDS))
    if unknown:
        raise InvalidInput("svc.translations.unknown_field", field=unknown[0], name=unknown[0])
    data = parse(_Texts, **{k: v for k, v in texts.items()}, note=note)
    wanted = {name: getattr(data, name) for name in TRANSLATED_FIELDS if getattr(data, name)}
    if not wanted:
        raise InvalidInput("svc.translations.empty", field="text")
    with db.write() as s:
        user = actor(s, actor_ref(actor_id))
        rec = get(s, Recommendation, recommendation_id, "Recommendation", lock=True)
        can, why = _may_translate_here(s, user, rec)
        deny_unless(can, why)
        revisions, translations, _rows = _records(s, [rec.id])
        state = derive(revisions[rec.id], translations.get(rec.id, []))
        current = get(s, Revision, rec.current_revision_id, "Revision")
        if base_revision_id is not None and base_revision_id != current.id:
            base = s.get(Revision, base_revision_id)
            if base is None or base.recommendation_id != rec.id:
                raise InvalidInput("svc.translations.other_rec", field="base_revision_id")
            if (base.content or {}).get(source) != (current.content or {}).get(source):
                raise InvalidInput("svc.translations.source_changed", field="base_revision_id")
        source_texts: dict[str, str] = {}
        for name in wanted:
            if not may_translate(state, target, name):
                raise InvalidInput("svc.translations.original", field=name)
            src = state.get(source, name)
            if src is None or not src.current or not src.text:
                raise InvalidInput("svc.translations.no_source", field=name)
            source_texts[name] = src.text
        unchanged = all(
            (st := state.get(target, name)) is not None
            and st.status == TextStatus.TRANSLATED
            and st.text == text
            and st.source_lang == source
            for name, text in wanted.items()
        )
        if not unchanged:
            row = Translation(
                recommendation_id=rec.id,
                lang=target,
                source_lang=source,
                source_revision_id=current.id,
                content=wanted,
                source_texts=source_texts,
                translator_id=user.id,
                note=data.note,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            audit(
                s,
                actor_id=user.id,
                roundtable_id=rec.roundtable_id,
                action="recommendation.translation",
                object_type="recommendation",
                object_id=rec.id,
                details={
                    "lang": target,
                    "from": source,
                    "revision": current.number,
                    "fields": sorted(wanted),
                    "translation_id": row.id,
                },
            )
        revisions, translations, rows = _records(s, [rec.id])
        return _view(s, rec, derive(revisions[rec.id], translations.get(rec.id, [])), rows, True)


# ------------------------------------------------------------------------------------------ the work list


def needs_translation(
    db: Database, *, actor_id: Actor, roundtable_id: int, langs: list[str] | None = None, adopted_only: bool = False
) -> dict[str, list[NeedsTranslationItem]]:
    """Per language (the roundtable's, or ``langs``): the recommendations with a field needed or outdated,
    adopted ones first (they hold the final memo), then by number. Any participant may read it."""
    with db.read() as s:
        user = actor(s, actor_ref(actor_id))
        member_role(s, user, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        wanted = [lang for lang in LANGS if lang in (langs or rt.languages or LANGS)]
        stmt = select(Recommendation).where(
            Recommendation.roundtable_id == roundtable_id,
            Recommendation.status.not_in([RecStatus.MERGED.value, RecStatus.WITHDRAWN.value]),
        )
        if adopted_only:
            stmt = stmt.where(Recommendation.status == RecStatus.ADOPTED.value)
        recs = sorted(s.scalars(stmt), key=lambda r: (r.status != RecStatus.ADOPTED.value, r.number))
        states = states_for(s, recs)
        out: dict[str, list[NeedsTranslationItem]] = {lang: [] for lang in wanted}
        for rec in recs:
            state = states[rec.id]
            sources = state.sources()
            title_lang = sources[0] if sources else next(iter(state.fields), "en")
            title_state = state.get(title_lang, "title")
            for lang in wanted:
                gaps = state.gaps([lang])
                if not gaps:
                    continue
                out[lang].append(
                    NeedsTranslationItem(
                        recommendation_id=rec.id,
                        number=rec.number,
                        status=rec.status,
                        title=title_state.text if title_state else "",
                        title_lang=title_lang,
                        lang=lang,
                        fields=[g.field for g in gaps],
                        outdated=[g.field for g in gaps if g.status == TextStatus.OUTDATED],
                        sources=[x for x in sources if x != lang],
                    )
                )
        return out


# ------------------------------------------------------------------------------------------ wording


def field_label(name: str, lang: str) -> str:
    """A field's name ("legal basis") in ``lang``, from the catalogue."""
    from recdraft.i18n import t

    return t(f"translations.field.{name}", lang)


def translation_blocker_text(blocker: Any, lang: str) -> str:
    """A translation blocker of the memo (``services.memo.BlockerView``) in ``lang``: which recommendation,
    which language, which fields are missing and which are outdated, and who can clear it."""
    from recdraft.i18n import t

    parts = []
    if blocker.needed:
        parts.append(
            t("translations.blocker.missing", lang, fields=", ".join(field_label(f, lang) for f in blocker.needed))
        )
    if blocker.outdated:
        parts.append(
            t("translations.blocker.outdated", lang, fields=", ".join(field_label(f, lang) for f in blocker.outdated))
        )
    head = t(
        "memo.blocker.translation",
        lang,
        n=blocker.memo_number,
        number=blocker.roundtable_number,
        language=t(f"translations.in_lang.{blocker.lang}", lang),
        what="; ".join(parts),
    )
    return f"{head} {t('memo.cleared_by.translators', lang)}"
