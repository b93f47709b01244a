"""A roundtable's topics as people read them: the label in the interface language, the key underneath.

The roundtable's settings hold the topics defined at set-up (``{"key": ..., "labels": {kk, ru, en}}``); a
recommendation stores the key. Topics typed before the list existed (or typed as new) are shown as stored.
"""

from __future__ import annotations

from typing import Any

from recdraft.i18n import LANGS
from recdraft.schemas.views import RoundtableView
from recdraft.ui.language import lang

_FALLBACK = tuple(reversed(LANGS))  # en, ru, kk


def defined_topics(rt: RoundtableView) -> list[dict[str, Any]]:
    """The topics the roundtable defines, in their order (malformed entries skipped)."""
    raw = (rt.settings or {}).get("topics") or []
    return [t for t in raw if isinstance(t, dict) and isinstance(t.get("key"), str) and t["key"]]


def topic_label(rt: RoundtableView, key: str, language: str | None = None) -> str:
    """The topic's label in ``language`` (the interface's by default), else in another language, else the key."""
    if not key:
        return ""
    language = language or lang()
    for topic in defined_topics(rt):
        if topic["key"] == key:
            stored_labels = topic.get("labels")
            labels = stored_labels if isinstance(stored_labels, dict) else {}
            for code in (language, *_FALLBACK):
                text = labels.get(code)
                if isinstance(text, str) and text.strip():
                    return text
    return key


def topic_options(rt: RoundtableView, used: list[str]) -> list[str]:
    """Topic keys to offer: the roundtable's own first, then those already used that it does not define."""
    keys = [t["key"] for t in defined_topics(rt)]
    return keys + [u for u in used if u and u not in keys]
