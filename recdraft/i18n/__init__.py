"""Message catalogues: every word of the interface in Kazakh, Russian and English.

Catalogues live in ``catalog/<area>.json`` as ``{"key": {"en": ..., "ru": ..., "kk": ...}}`` so each
part of the app keeps its own file; keys are unique across files. Messages use ``str.format`` fields.
An error, an audit row or a history note carries its key and parameters (``recdraft.i18n.messages.Msg``)
and is rendered in the reader's language when it is shown.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGS = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
CATALOG_DIR = Path(__file__).parent / "catalog"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, str]]:
    """All messages, merged from every catalogue file. Raises RuntimeError on a key defined twice (a mistake
    in the catalogue files, never a person's)."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(CATALOG_DIR.glob("*.json")):
        for key, entry in json.loads(path.read_text(encoding="utf-8")).items():
            if key in merged:
                raise RuntimeError(f"message key {key!r} is defined twice (again in {path.name})")
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
