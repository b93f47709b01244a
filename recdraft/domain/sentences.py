"""Sentences of legal text in Kazakh, Russian and English, for quoting a passage.

A full stop after an abbreviation of legal writing («ст.», «п.», «бап», "Art.", "para.", "No.", "e.g."),
after an initial ("А. Б. Иванов") or inside a number ("4.2") does not end a sentence; ``! ? ; …``,
a line break and any other full stop do.
"""

from __future__ import annotations

import re

# Lower-cased, without the full stop. Kept short and specific to legal and academic writing.
ABBREVIATIONS = frozenset(
    {
        # Russian
        "ст",
        "стст",
        "п",
        "пп",
        "ч",
        "чч",
        "подп",
        "абз",
        "гл",
        "разд",
        "прил",
        "т",
        "тт",
        "см",
        "ср",
        "напр",
        "г",
        "гг",
        "в",
        "вв",
        "др",
        "проф",
        "им",
        "обл",
        "р-н",
        "т.е",
        "т.д",
        "т.п",
        "т.к",
        "и.о",
        "млн",
        "млрд",
        "тыс",
        "руб",
        "№",
        "ред",
        "изд",
        "с",
        "стр",
        "рис",
        "табл",
        # Kazakh
        "бап",
        "тарм",
        "тармақ",
        "тармақш",
        "бөл",
        "б",
        "т.б",
        "т.с.с",
        "ж",
        "жж",
        "қ",
        "мыс",
        # English
        "art",
        "arts",
        "para",
        "paras",
        "no",
        "nos",
        "p",
        "pp",
        "e.g",
        "i.e",
        "etc",
        "cf",
        "sec",
        "ch",
        "vol",
        "ed",
        "eds",
        "al",
        "v",
        "vs",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "op",
        "cit",
        "ibid",
        "fig",
        "sub",
        "subpara",
        "annex",
        "approx",
        "inc",
        "ltd",
        "u.s",
        "u.n",
        "un",
        "ref",
    }
)

# A candidate end: ., !, ?, ;, … (possibly repeated), then closing quotes/brackets, then space or the end.
_END = re.compile(r"[.!?;\u2026]+[\"'\u00bb\u201d\u2019)\]]*(?=\s|$)|\n+")
# The word (with inner dots, as in "e.g" or "т.е") just before a full stop.
_WORD_BEFORE = re.compile(r"([\w№\-]+(?:\.[\w]+)*)$", re.UNICODE)


def _is_abbreviation(before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    if match is None:
        return False
    word = match.group(1)
    # "12-бап", "3-тармақ": the abbreviation after a number's hyphen counts too.
    if word.lower() in ABBREVIATIONS or word.rsplit("-", 1)[-1].lower() in ABBREVIATIONS:
        return True
    # An initial: one capital letter ("А." in "А. Б. Иванов", "J." in "J. Smith").
    return len(word) == 1 and word.isalpha() and word.isupper()


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` with their end punctuation, whitespace squashed, empty ones left out."""
    out: list[str] = []
    start = 0
    for match in _END.finditer(text):
        mark = match.group(0)
        if mark.startswith(".") and mark.rstrip("\"'\u00bb\u201d\u2019)]") == ".":
            if _is_abbreviation(text[start : match.start()]):
                continue
        piece = " ".join(text[start : match.end()].split())
        if piece:
            out.append(piece)
        start = match.end()
    rest = " ".join(text[start:].split())
    if rest:
        out.append(rest)
    return out
