"""Which language versions of a recommendation exist and are current: one rule, derived from the record.

A recommendation is written by its authors in one or more languages (its revisions, which the experts vote
on); the trilingual mission then translates it into the others. Per language and per field (title, text,
rationale, legal basis, responsible body) the text is:

- ``original``   written by the authors in a revision, and no other language's original of that field was
                 changed after it (it is the text as agreed);
- ``translated`` made by a translator from a source text (another language) that is still what it was when
                 the translation was made;
- ``outdated``   an original that another language's later edit left behind (a revision changed the English
                 and kept the old Russian; adding a new language does not count), or a translation whose
                 source has changed since it was made;
- ``needed``     missing, while another language has the field.

The key fact is which revision a translation was made from (``TranslationRecord.source_revision``) and what
the source said then (``source_texts``): a later revision that changes the source makes the translation
outdated; a later revision that rewrites the translated language itself makes the authors' text the
original again. A translation never changes a revision, so it never makes a vote stale (``domain.revisions``):
votes approve the authors' wording; translations render it. A current original is never replaced by a
translation (the agreed wording stays what was agreed): only needed, outdated or translated texts are.

An unchanged re-translation (the same text, made from the same, current source) records nothing; saving the
same text again for an *outdated* translation is how a translator confirms it still matches the new source.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from recdraft.domain.revisions import VOTED_FIELDS
from recdraft.i18n import LANGS

LANGUAGES: tuple[str, ...] = LANGS  # the languages of the program (recdraft.i18n)
# The fields a translator translates: exactly the voted fields, all printed in the memo.
TRANSLATED_FIELDS: tuple[str, ...] = VOTED_FIELDS
# A language's version needs at least these to stand in the memo as a recommendation.
REQUIRED_FIELDS: tuple[str, ...] = ("title", "text")


class TextStatus(StrEnum):
    ORIGINAL = "original"
    TRANSLATED = "translated"
    OUTDATED = "outdated"
    NEEDED = "needed"


CURRENT = frozenset({TextStatus.ORIGINAL, TextStatus.TRANSLATED})


@dataclass(frozen=True)
class RevisionRecord:
    """One stored revision: its number and its content {lang: {field: text}}."""

    number: int
    content: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class TranslationRecord:
    """One stored translation into ``lang`` of ``texts`` (field → text), made from ``source_lang`` while
    revision ``source_revision`` (its number) was current; ``source_texts`` are the source's words then."""

    id: int
    lang: str
    source_lang: str
    source_revision: int
    texts: Mapping[str, str]
    source_texts: Mapping[str, str]
    author_id: int | None = None


@dataclass(frozen=True)
class FieldState:
    """The state of one field in one language."""

    lang: str
    field: str
    status: TextStatus
    text: str = ""  # what stands now (an outdated text too); "" when needed
    source_lang: str | None = None  # a translation's source language
    revision: int | None = None  # the revision an original was written in / a translation was made from
    translation_id: int | None = None

    @property
    def current(self) -> bool:
        return self.status in CURRENT


@dataclass(frozen=True)
class Gap:
    """A field missing or outdated in a language: what a translator has to do."""

    lang: str
    field: str
    status: TextStatus  # needed or outdated


@dataclass
class TranslationState:
    """Every language × field of one recommendation."""

    fields: dict[str, dict[str, FieldState]] = field(default_factory=dict)  # lang → field → state

    def get(self, lang: str, name: str) -> FieldState | None:
        return self.fields.get(lang, {}).get(name)

    def status(self, lang: str) -> TextStatus | None:
        """One status for a whole language version: the worst of its fields (None: nothing to translate)."""
        states = list(self.fields.get(lang, {}).values())
        if not states:
            return None
        for worst in (TextStatus.NEEDED, TextStatus.OUTDATED, TextStatus.TRANSLATED):
            if any(s.status == worst for s in states):
                return worst
        return TextStatus.ORIGINAL

    def gaps(self, langs: Iterable[str]) -> list[Gap]:
        """Fields needed or outdated in ``langs``, in field order."""
        out = []
        for lang in langs:
            for name in TRANSLATED_FIELDS:
                state = self.get(lang, name)
                if state is not None and not state.current:
                    out.append(Gap(lang, name, state.status))
        return out

    def current_content(self, lang: str) -> dict[str, str] | None:
        """The current texts of ``lang`` ({field: text}, outdated and missing fields empty), or None when its
        title or text is not current (the version cannot stand in a memo)."""
        states = self.fields.get(lang, {})
        out = {name: (s.text if s.current else "") for name, s in states.items()}
        if any(not out.get(name) for name in REQUIRED_FIELDS):
            return None
        return {name: out.get(name, "") for name in TRANSLATED_FIELDS}

    def originals(self) -> list[str]:
        """Languages holding at least one current original field (what the authors wrote)."""
        return [
            lang
            for lang in LANGUAGES
            if any(s.status == TextStatus.ORIGINAL for s in self.fields.get(lang, {}).values())
        ]

    def sources(self) -> list[str]:
        """Languages a translator may translate from (title and text current), the authors' languages first."""
        ok = [
            lang
            for lang in LANGUAGES
            if all((st := self.get(lang, name)) is not None and st.current for name in REQUIRED_FIELDS)
        ]
        originals = self.originals()
        return [lang for lang in ok if lang in originals] + [lang for lang in ok if lang not in originals]


def _text(content: Mapping[str, Mapping[str, str]], lang: str, name: str) -> str:
    return str((content.get(lang) or {}).get(name) or "").strip()


def _set_at(revisions: Sequence[RevisionRecord], lang: str, name: str) -> int:
    """The number of the revision in which ``lang``'s current ``name`` got its present wording."""
    current = _text(revisions[-1].content, lang, name)
    number = revisions[-1].number
    for rev in reversed(revisions[:-1]):
        if _text(rev.content, lang, name) != current:
            break
        number = rev.number
    return number


def derive(revisions: Sequence[RevisionRecord], translations: Sequence[TranslationRecord]) -> TranslationState:
    """The state of every language and field, from the revisions (oldest first) and translations (any order).

    ``revisions[-1]`` is the current revision. Pure: the same record always gives the same state.
    """
    state = TranslationState()
    if not revisions:
        return state
    revs = sorted(revisions, key=lambda r: r.number)
    current = revs[-1].content
    latest: dict[tuple[str, str], TranslationRecord] = {}
    for tr in sorted(translations, key=lambda t: t.id):
        for name, text in tr.texts.items():
            if str(text or "").strip():
                latest[(tr.lang, name)] = tr

    for name in TRANSLATED_FIELDS:
        # Authors' texts of this field in the current revision, and when each got its wording.
        authored = {lang: _set_at(revs, lang, name) for lang in LANGUAGES if _text(current, lang, name)}
        # A translation made at or after an authored text's revision replaces it (the authors did not rewrite
        # that language since); an authored text written after the translation is the original again.
        translated: dict[str, TranslationRecord] = {}
        for lang in LANGUAGES:
            found = latest.get((lang, name))
            if found is not None and (lang not in authored or found.source_revision >= authored[lang]):
                translated[lang] = found
        originals = {lang: n for lang, n in authored.items() if lang not in translated}
        # When each original was *changed* (not merely added: a language written later to match the others
        # leaves them current). A text the authors put over an earlier translation counts as a change.
        changed: dict[str, int] = {}
        for lang, n in originals.items():
            words = _text(current, lang, name)
            before = next((_text(r.content, lang, name) for r in reversed(revs) if r.number < n), "")
            earlier = latest.get((lang, name))
            if (before and before != words) or (
                earlier is not None
                and earlier.source_revision < n
                and str(earlier.texts.get(name) or "").strip() != words
            ):
                changed[lang] = n
        states: dict[str, FieldState] = {}
        for lang, n in originals.items():
            left_behind = any(at > n for other, at in changed.items() if other != lang)
            status = TextStatus.OUTDATED if left_behind else TextStatus.ORIGINAL
            states[lang] = FieldState(lang, name, status, _text(current, lang, name), revision=n)
        # Translations in rounds: a translation made from another translation is current only while that is.
        pending = dict(translated)
        for _ in range(len(LANGUAGES) + 1):
            for lang, tr in list(pending.items()):
                source = states.get(tr.source_lang)
                if source is None and tr.source_lang in pending:
                    continue  # its source is decided in a later round
                fresh = (
                    source is not None
                    and source.current
                    and source.text == str(tr.source_texts.get(name) or "").strip()
                )
                states[lang] = FieldState(
                    lang,
                    name,
                    TextStatus.TRANSLATED if fresh else TextStatus.OUTDATED,
                    str(tr.texts.get(name) or "").strip(),
                    source_lang=tr.source_lang,
                    revision=tr.source_revision,
                    translation_id=tr.id,
                )
                del pending[lang]
        for lang, tr in pending.items():  # a cycle of translations: none of them rests on an original
            states[lang] = FieldState(
                lang,
                name,
                TextStatus.OUTDATED,
                str(tr.texts.get(name) or "").strip(),
                source_lang=tr.source_lang,
                revision=tr.source_revision,
                translation_id=tr.id,
            )
        if not states:
            continue  # no language has this field (an empty rationale): nothing to translate
        for lang in LANGUAGES:
            states.setdefault(lang, FieldState(lang, name, TextStatus.NEEDED))
            state.fields.setdefault(lang, {})[name] = states[lang]
    return state


def may_translate(state: TranslationState, lang: str, name: str) -> bool:
    """Whether a translator may write ``name`` in ``lang``: never over a current original (agreed wording)."""
    current = state.get(lang, name)
    return current is None or current.status != TextStatus.ORIGINAL


# Letters only Kazakh Cyrillic has (beyond Russian): a text holding one of them is Kazakh.
_KAZAKH_LETTERS = frozenset("ӘәҒғҚқҢңӨөҰұҮүҺһІі")


def guess_language(text: str) -> str | None:
    """The language a short text (a name, a borrowed quotation) is written in, by its letters: Kazakh-only
    letters → kk, other Cyrillic → ru, Latin → en; None when it has no letters. Used to tag text that is
    printed in another language than its paragraph (spell-checkers and screen readers read it right)."""
    cyrillic = latin = 0
    for ch in text:
        if ch in _KAZAKH_LETTERS:
            return "kk"
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
        elif ch.isascii() and ch.isalpha():
            latin += 1
    if not cyrillic and not latin:
        return None
    return "ru" if cyrillic >= latin else "en"


_ROMAN = re.compile(r"[IVXLCDM]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def _script(ch: str) -> str | None:
    if "\u0400" <= ch <= "\u04ff":
        return "cyrillic"
    if ch.isascii() and ch.isalpha():
        return "latin"
    return None


def foreign_segments(text: str, base: str) -> list[tuple[int, int, str]]:
    """(start, end, language) of the words in ``text`` written in another script than ``base``'s: Latin words
    (two letters or more, with what joins them: "ICRC", "Jonas Aebischer") in a Kazakh or Russian text are
    English; Cyrillic ones in an English text are Kazakh when they hold a Kazakh-only letter, else Russian."""
    foreign = "latin" if base in ("kk", "ru") else "cyrillic"
    if not (_LATIN if foreign == "latin" else _CYRILLIC).search(text):
        return []  # the common case, checked at C speed: the whole text is in the paragraph's script
    out: list[tuple[int, int, str]] = []
    i, n = 0, len(text)
    while i < n:
        if _script(text[i]) != foreign:
            i += 1
            continue
        start = end = i
        j = i
        while j < n and _script(text[j]) != ("cyrillic" if foreign == "latin" else "latin"):
            if _script(text[j]) == foreign:
                end = j + 1
            elif text[j] in "\n":
                break
            j += 1
        segment = text[start:end]
        letters = sum(1 for ch in segment if _script(ch) == foreign)
        if letters >= 2 and not _ROMAN.fullmatch(segment):  # "III" (Protocol III) belongs to no language
            code = "en" if foreign == "latin" else (guess_language(segment) or "ru")
            out.append((start, end, code))
        i = max(end, i + 1)
    return out
