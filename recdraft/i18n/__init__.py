"""Message catalogues: every word of the interface in Kazakh, Russian and English.

Catalogues live in ``catalog/<area>.json`` as ``{"key": {"en": ..., "ru": ..., "kk": ...}}`` so each
part of the app keeps its own file; keys are unique across files. Messages use ``str.format`` fields.
"""

from __future__ import annotations

import json
import re
import string
from functools import lru_cache
from pathlib import Path

LANGS = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
CATALOG_DIR = Path(__file__).parent / "catalog"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All messages, merged from every catalogue file. Raises ValueError on a key defined twice."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOG_DIR.glob("*.json")):
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise ValueError(f"message key {key!r} is defined twice (again in {path.name})")
            merged[key] = entry
    return merged


def t(key: str, lang: str, /, **params: object) -> str:
    """The message ``key`` in ``lang`` (English if that language lacks it), with ``params`` filled in."""
    entry = catalog().get(key)
    if entry is None:
        raise KeyError(f"no message {key!r} in the catalogues")
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def missing_translations() -> list[tuple[str, str]]:
    """(key, language) pairs without a non-empty message."""
    return [(key, lang) for key, entry in catalog().items() for lang in LANGS if not (entry.get(lang) or "").strip()]


def best_language(locale: str | None) -> str:
    """The catalogue language closest to a browser locale like ``ru-RU`` (English otherwise)."""
    if locale:
        prefix = locale.replace("_", "-").split("-")[0].lower()
        if prefix in LANGS:
            return prefix
    return "en"


# --- the services' messages ------------------------------------------------------------------------------
#
# Services speak English (the command line and the logs read them as they are). A message listed in the
# catalogue under ``svc.<area>.<name>`` is shown translated: its English text is a str.format template, so
# "Voting round {number} is already closed." also matches "Voting round 3 is already closed." and the 3 is
# carried over. A value that has its own ``svc.word.<value>`` entry ("Title", "draft") is translated too.

from recdraft.i18n.formats import format_number  # noqa: E402  (formats imports nothing from here)

WORD_PREFIX = "svc.word."
# Only these fields hold a word of the program (a field label, a kind of object, a status): names and
# texts people typed are never looked up, whatever they say.
WORD_FIELDS = frozenset({"label", "what", "status"})
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


@lru_cache(maxsize=1)
def _service_patterns() -> list[tuple[re.Pattern[str], str, list[str]]]:
    """(pattern, key, field names) for every service message, the most specific first."""
    patterns = []
    for key, entry in catalog().items():
        if not key.startswith("svc.") or key.startswith(WORD_PREFIX):
            continue
        regex, names, literal = [], [], 0
        for text, field, _spec, _conv in string.Formatter().parse(entry["en"]):
            regex.append(re.escape(text))
            literal += len(text)
            if field is not None:
                regex.append(f"(?P<f{len(names)}>.+?)")
                names.append(field)
        patterns.append((literal, re.compile("".join(regex), re.DOTALL), key, names))
    patterns.sort(key=lambda item: -item[0])
    return [(pattern, key, names) for _literal, pattern, key, names in patterns]


def translate_service_message(text: str, lang: str) -> str | None:
    """A service's English message in ``lang``, or None when the catalogue does not know it."""
    for pattern, key, names in _service_patterns():
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values = {}
        for index, name in enumerate(names):
            value = match.group(f"f{index}")
            word = catalog().get(WORD_PREFIX + value) if name.rstrip("0123456789") in WORD_FIELDS else None
            if word:
                value = word.get(lang) or value
            elif _GROUPED.fullmatch(value):  # "50,000" written for the language: "50 000"
                value = format_number(int(value.replace(",", "")), lang)
            values[name] = value
        return t(key, lang, **values) if values else t(key, lang)
    return None
