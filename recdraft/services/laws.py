"""The draft law a roundtable works on (issue 16, item 2): load a version in the languages it exists in,
and read it back as a base text with stable anchors, article by article in every language.

Who: loading a version is part of setting the roundtable up (``Action.CONFIGURE``: its admins, in the
phases that allow configuring); reading it is open to every member. A version is loaded in one
transaction with its audit row. The languages are aligned by article number under the anchors of the
roundtable's first language present; a later version takes the anchors of the previous one where its
articles still exist (matched by wording, so a renumbered article keeps its anchor), and records what
changed, moved, was added or removed (``importing.law.carry_over``).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.law_models import (
    DraftLaw,
    DraftLawArticle,
    DraftLawText,
    DraftLawVersion,
)
from recdraft.db.models import Roundtable
from recdraft.domain.policy import Action
from recdraft.errors import InvalidInput
from recdraft.i18n import LANGS
from recdraft.importing import LANGUAGE_NAMES, content_hash
from recdraft.importing.law import (
    Article,
    Chapter,
    Law,
    Paragraph,
    SubParagraph,
    align,
    carry_over,
    read_law,
)
from recdraft.services._base import (
    Actor,
    actor,
    actor_ref,
    audit,
    get,
    member_role,
    require,
)


class LawArticleView(BaseModel):
    """One article in every language it exists in; ``change`` since the previous version (None: first)."""

    model_config = ConfigDict(frozen=True)

    anchor: str
    number: str
    chapter: str
    titles: dict[str, str]
    paragraphs: dict[str, list[dict[str, Any]]]
    change: str | None = None


class LawView(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int
    loaded_at: datetime
    languages: list[str]
    titles: dict[str, str]
    articles: list[LawArticleView]
    removed: list[dict[str, Any]]  # the previous version's articles that are gone: anchor, old number


def _law_from_rows(rows: list[DraftLawArticle], title: str) -> Law:
    chapters: dict[str, Chapter] = {}
    articles = []
    for row in rows:
        if row.chapter and row.chapter not in chapters:
            chapters[row.chapter] = Chapter(number=row.chapter, title=row.chapter_title, anchor=f"ch-{row.chapter}")
        articles.append(
            Article(
                number=row.number,
                title=row.title,
                chapter=row.chapter,
                anchor=row.anchor,
                paragraphs=[
                    Paragraph(
                        number=p["number"],
                        text=p["text"],
                        anchor=p["anchor"],
                        subparagraphs=[SubParagraph(**s) for s in p["subparagraphs"]],
                    )
                    for p in row.paragraphs
                ],
            )
        )
    return Law(title=title, chapters=list(chapters.values()), articles=articles)


def _latest(s: Session, roundtable_id: int) -> tuple[DraftLaw | None, DraftLawVersion | None]:
    law = s.scalar(select(DraftLaw).where(DraftLaw.roundtable_id == roundtable_id))
    if law is None:
        return None, None
    version = s.scalar(
        select(DraftLawVersion).where(DraftLawVersion.law_id == law.id).order_by(DraftLawVersion.number.desc()).limit(1)
    )
    return law, version


def _text_rows(s: Session, version_id: int) -> dict[str, tuple[DraftLawText, list[DraftLawArticle]]]:
    out = {}
    for text in s.scalars(select(DraftLawText).where(DraftLawText.version_id == version_id)):
        rows = list(
            s.scalars(
                select(DraftLawArticle).where(DraftLawArticle.text_id == text.id).order_by(DraftLawArticle.position)
            )
        )
        out[text.language] = (text, rows)
    return out


def load_version(db: Database, *, actor_id: Actor, roundtable_id: int, files: dict[str, tuple[bytes, str]]) -> LawView:
    """Load a new version of the bill: ``files`` maps a language to (file bytes, file name). Raises
    InvalidInput (a file that cannot be read, a language the roundtable does not use, a file in another
    language than said), NotSignedIn, NotFound, PermissionDenied; nothing is stored then."""
    if not files:
        raise InvalidInput("import.law.no_files", field="files")
    with db.read() as s:
        languages = list(require(s, actor_id, Action.CONFIGURE, roundtable_id).roundtable.languages)
    parsed: dict[str, Law] = {}
    hashes: dict[str, str] = {}
    for lang, (data, name) in files.items():
        if lang not in LANGS or lang not in languages:
            raise InvalidInput("import.language_not_used", field="files", language=LANGUAGE_NAMES.get(lang, lang))
        law, found = read_law(data, name)
        if found != lang:
            raise InvalidInput(
                "import.law.wrong_language",
                field="files",
                name=name,
                language=LANGUAGE_NAMES[found],
                expected=LANGUAGE_NAMES[lang],
            )
        parsed[lang] = law
        hashes[lang] = content_hash([a.wording() for a in law.articles])
    base = next(lang for lang in languages if lang in parsed)
    with db.write() as s:
        require(s, actor_id, Action.CONFIGURE, roundtable_id, lock=True)
        law_row, previous = _latest(s, roundtable_id)
        changes: list[dict[str, Any]] = []
        if previous is not None:
            earlier = _text_rows(s, previous.id)
            common = [lang for lang in languages if lang in earlier and lang in parsed]
            if not common:
                raise InvalidInput("import.law.no_common_language", field="files")
            base = common[0]  # compared in the first language both versions have
            old_text, old_rows = earlier[base]
            parsed[base], moved = carry_over(_law_from_rows(old_rows, old_text.title), parsed[base])
            changes = [asdict(c) for c in moved]
        align(parsed, base=base)
        if law_row is None:
            law_row = DraftLaw(roundtable_id=roundtable_id)
            s.add(law_row)
            s.flush()
        number = (
            s.scalar(select(func.max(DraftLawVersion.number)).where(DraftLawVersion.law_id == law_row.id)) or 0
        ) + 1
        version = DraftLawVersion(law_id=law_row.id, number=number, loaded_by=actor_ref(actor_id), changes=changes)
        s.add(version)
        s.flush()
        for lang, law in parsed.items():
            text = DraftLawText(
                version_id=version.id,
                language=lang,
                file_name=files[lang][1][:255],
                content_hash=hashes[lang],
                title=law.title,
            )
            s.add(text)
            s.flush()
            titles = {c.number: c.title for c in law.chapters}
            for position, article in enumerate(law.articles, start=1):
                s.add(
                    DraftLawArticle(
                        text_id=text.id,
                        position=position,
                        anchor=article.anchor,
                        number=article.number,
                        chapter=article.chapter,
                        chapter_title=titles.get(article.chapter, ""),
                        title=article.title,
                        paragraphs=[asdict(p) for p in article.paragraphs],
                    )
                )
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=roundtable_id,
            action="law.load",
            object_type="draft_law_version",
            object_id=version.id,
            details={
                "version": number,
                "languages": sorted(files),
                "articles": len(parsed[base].articles),
                "flagged": sorted(
                    c["anchor"] for c in changes if c["kind"] in ("changed", "changed_renumbered", "removed")
                ),
            },
        )
        s.flush()
        return _view(s, version)


def _view(s: Session, version: DraftLawVersion) -> LawView:
    texts = _text_rows(s, version.id)
    kinds = {c["anchor"]: c["kind"] for c in version.changes}
    order: list[str] = []
    articles: dict[str, dict[str, DraftLawArticle]] = {}
    for lang in LANGS:
        if lang not in texts:
            continue
        for row in texts[lang][1]:
            if row.anchor not in articles:
                order.append(row.anchor)
                articles[row.anchor] = {}
            articles[row.anchor][lang] = row
    views = []
    for anchor in order:
        by_lang = articles[anchor]
        first = next(iter(by_lang.values()))
        views.append(
            LawArticleView(
                anchor=anchor,
                number=first.number,
                chapter=first.chapter,
                titles={lang: r.title for lang, r in by_lang.items()},
                paragraphs={lang: list(r.paragraphs) for lang, r in by_lang.items()},
                change=kinds.get(anchor) if version.number > 1 else None,
            )
        )
    removed = [{"anchor": c["anchor"], "number": c["old_number"]} for c in version.changes if c["kind"] == "removed"]
    return LawView(
        version=version.number,
        loaded_at=version.loaded_at,
        languages=[code for code in LANGS if code in texts],
        titles={lang: t.title for lang, (t, _) in texts.items()},
        articles=views,
        removed=removed,
    )


def get_law(db: Database, *, actor_id: Actor, roundtable_id: int) -> LawView | None:
    """The latest version of the roundtable's bill (None before one is loaded), for any member. Raises
    NotSignedIn, NotFound, PermissionDenied (not a member)."""
    with db.read() as s:
        get(s, Roundtable, roundtable_id, "Roundtable")
        if isinstance(actor_id, int):
            member_role(s, actor(s, actor_id), roundtable_id)
        _, version = _latest(s, roundtable_id)
        return _view(s, version) if version is not None else None
