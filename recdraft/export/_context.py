"""The state one rendering carries around: languages, styles, ids, warnings, TOC entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar, cast

from lxml import etree

from recdraft.export._ooxml import AUTHOR, DATE, ID, Splicer, clean
from recdraft.export.wording import FALLBACK, LANG_TAGS, format_date, word
from recdraft.i18n.formats import format_datetime

if TYPE_CHECKING:
    from typing import TypeAlias

    from recdraft.export._template import Numbering, StyleMap
    from recdraft.schemas.memo import MemoData, MemoLang, Recommendation, RecommendationContent

    # Texts by language: the memo's views key them by its language literal, other callers by plain codes.
    TextByLang: TypeAlias = Mapping[str, str] | Mapping[MemoLang, str]

_V = TypeVar("_V")


def by_lang(values: Mapping[str, _V] | Mapping[MemoLang, _V], lang: str) -> _V | None:
    """``values.get(lang)`` for a mapping keyed by language codes, typed as ``MemoLang`` or as ``str``."""
    return cast("Mapping[str, _V]", values).get(lang)


@dataclass(slots=True)
class TocEntry:
    level: int
    label: str  # heading number ("1.") or ""
    text: str
    bookmark: str


@dataclass
class Ctx:
    data: MemoData
    langs: tuple[str, ...]  # ("en",) or ("kk", "ru") for the side-by-side edition
    variant: str
    styles: StyleMap
    numbering: Numbering
    width: int  # usable text width, twips
    warnings: list[str] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    heading_count: int = 0
    # Anchors for review comments: comment index -> (first run, last run).
    comment_anchors: dict[int, tuple[etree._Element, etree._Element]] = field(default_factory=dict)
    heading_runs: dict[int, tuple[etree._Element, etree._Element]] = field(default_factory=dict)
    progress: Callable[[float, str], None] = lambda fraction, message: None
    _next_id: int = 10_000  # annotation ids (bookmarks, ins/del); python-docx comments use 0..n
    _revision: dict[str, str] | None = None
    # The recommendation being written: its tracked changes carry its reviser and revision date.
    current: Recommendation | None = None
    # Markup written as strings, put into document.xml when it is saved (see _ooxml.Splicer).
    splicer: Splicer = field(default_factory=Splicer)

    @property
    def bilingual(self) -> bool:
        return len(self.langs) > 1

    @property
    def lang(self) -> str:
        """The primary language (Kazakh in the side-by-side edition)."""
        return self.langs[0]

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def s(self, name: str) -> str:
        """Style id for style ``name``."""
        return self.styles[name]

    def word(self, key: str, lang: str | None = None, **values: object) -> str:
        return word(lang or self.lang, key, **values)

    def label(self, key: str, **values: object) -> str:
        """Fixed wording in every language of the edition, "kk / ru" when side by side."""
        return " / ".join(dict.fromkeys(word(lang, key, **values) for lang in self.langs))

    def date(self, value: dt.date, lang: str | None = None) -> str:
        """The date in every language of the edition (or ``lang``); it never breaks across lines."""
        langs = (lang,) if lang else self.langs
        return " / ".join(format_date(value, code).replace(" ", "\u00a0") for code in langs)

    def in_meeting(self, value: dt.datetime, lang: str | None = None) -> str:
        """ "taken in the meeting, 6 February 2025, 14:05" for a live vote, in every language of the edition."""
        langs = (lang,) if lang else self.langs
        return " / ".join(
            word(code, "in_meeting", at=format_datetime(value, code).replace(" ", "\u00a0")) for code in langs
        )

    @property
    def prepared_on(self) -> dt.date:
        """The memo's own date: when it was prepared (exported), not when the roundtable met."""
        moment = self.data.prepared_at or dt.datetime.now(dt.UTC)
        return moment.date()

    def tag(self, lang: str) -> str:
        return LANG_TAGS[lang]

    def pick(self, values: TextByLang, lang: str | None = None) -> tuple[str, str | None]:
        """(text, language it came from) using the fallback order; ("", None) when none."""
        for candidate in FALLBACK[lang or self.lang]:
            text = by_lang(values, candidate)
            if text and text.strip():
                return text, candidate
        return "", None

    def text(self, values: TextByLang, lang: str | None = None) -> str:
        return self.pick(values, lang)[0]

    def joined(self, values: TextByLang) -> str:
        """One line in every language of the edition, duplicates removed."""
        return " / ".join(dict.fromkeys(t for t in (self.text(values, lang) for lang in self.langs) if t))

    def content(self, rec: Recommendation, lang: str) -> tuple[RecommendationContent | None, str | None]:
        """The recommendation's content in ``lang`` or a fallback; warns when it falls back.

        Side by side (kk | ru) there is no fallback: a column never repeats the other language's text under
        its own labels (issue 10, item 7); a missing version is said to be missing.
        """
        for candidate in (lang,) if self.bilingual else FALLBACK[lang]:
            if candidate in rec.content:
                if candidate != lang:
                    self.warnings.append(
                        f"Recommendation {rec.number} has no text in '{lang}'; rendered from '{candidate}'."
                    )
                return rec.content[candidate], candidate
        if self.bilingual:
            self.warnings.append(f"Recommendation {rec.number} has no text in '{lang}'; its column says so.")
        return None, None

    def run_lang(self, lang: str | None) -> str | None:
        """The ``w:lang`` a run needs: its own language when it differs from the memo's (or side by side)."""
        if lang is None or lang not in LANG_TAGS:
            return None
        return self.tag(lang) if self.bilingual or lang != self.lang else None

    def foreign_lang(self, text: str, lang: str | None = None) -> str | None:
        """The ``w:lang`` for a name or borrowed text printed in a paragraph of ``lang`` (the memo's): its own
        language when its letters show it is another one (a Latin name in a Kazakh memo, a Kazakh quotation
        in a Russian one), else None (the paragraph's language applies)."""
        from recdraft.domain.translations import guess_language

        base = lang or self.lang
        guessed = guess_language(text)
        if guessed is None or guessed == base:
            return None
        if base == "kk" and guessed == "ru":
            return None  # Kazakh text need not use a Kazakh-only letter: Cyrillic stays Kazakh here
        return self.tag(guessed)

    def revision_attrs(self) -> dict[str, str]:
        """Attributes of a tracked change: a fresh id, who made the revision and its date (UTC).

        Inside a recommendation these are its reviser and revision date; elsewhere (or when unknown)
        the memo's preparer and preparation time.
        """
        rec = self.current
        if rec is not None and (rec.revised_by or rec.revised_at):
            author = clean(rec.revised_by, single_line=True) or self._default_revision()[AUTHOR]
            date = _stamp(rec.revised_at) if rec.revised_at else self._default_revision()[DATE]
            return {ID: str(self.next_id()), AUTHOR: author, DATE: date}
        return {ID: str(self.next_id()), **self._default_revision()}

    def _default_revision(self) -> dict[str, str]:
        if self._revision is None:
            self._revision = {
                AUTHOR: clean(self.data.prepared_by, single_line=True) or "recdraft",
                DATE: _stamp(self.data.prepared_at or dt.datetime.now(dt.UTC)),
            }
        return self._revision


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
