"""Which of the programme's languages a text is written in: Kazakh, Russian, English, or none of them."""

from __future__ import annotations

import re

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
ENGLISH_WORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "a",
        "is",
        "be",
        "should",
        "that",
        "for",
        "on",
        "by",
        "with",
        "as",
        "are",
        "this",
        "it",
        "or",
        "an",
        "which",
        "from",
        "its",
        "law",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def detect(text: str) -> str | None:
    """kk, ru or en when the text is mostly in that language; None for another language or too little text."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 20:
        return None
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    latin = sum(1 for c in letters if c.isascii())
    if cyrillic >= 0.6 * len(letters):
        kazakh = sum(1 for c in letters if c in KAZAKH_LETTERS)
        # Kazakh prose has one of its own letters in every 15-20; Russian has none (a quoted Kazakh name at most).
        return "kk" if kazakh >= 0.01 * cyrillic else "ru"
    if latin >= 0.6 * len(letters):
        words = [w.casefold() for w in _WORD.findall(text)]
        common = sum(1 for w in words if w in ENGLISH_WORDS)
        return "en" if words and common >= 0.08 * len(words) else None
    return None
