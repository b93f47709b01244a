"""The text of a recommendation as a form: one tab per language (kk, ru, en), five fields each.

Widgets are keyed ``<prefix>_<lang>_<field>``; ``seed`` puts a text into them before they are drawn
(so a draft, a conflict or a kept text can be loaded), ``collect`` reads them back.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.schemas.common import LIMITS
from recdraft.schemas.content import FIELDS, LangContent
from recdraft.ui.context import lang, tr
from recdraft.ui.widgets.labels import CONTENT_LANGS, field_label, language_name

TEXT_HEIGHT = {"text": 220, "rationale": 140, "legal_basis": 100}


def _key(prefix: str, code: str, field: str) -> str:
    return f"{prefix}_{code}_{field}"


def _fields(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, LangContent):
        return value.model_dump()
    return {k: v or "" for k, v in dict(value).items()}


def seed(prefix: str, content: dict[str, Any] | None) -> None:
    """Fill the form's fields with ``content`` (language → fields); languages not in it are emptied."""
    content = content or {}
    for code in CONTENT_LANGS:
        values = _fields(content.get(code))
        for field in FIELDS:
            st.session_state[_key(prefix, code, field)] = values.get(field, "")


def collect(prefix: str) -> dict[str, dict[str, str]]:
    """What was typed: every language with at least one field filled in (the service checks the rest)."""
    out: dict[str, dict[str, str]] = {}
    for code in CONTENT_LANGS:
        values = {field: st.session_state.get(_key(prefix, code, field)) or "" for field in FIELDS}
        if any(v.strip() for v in values.values()):
            out[code] = values
    return out


def content_inputs(prefix: str) -> None:
    """The language tabs with their fields (call inside a form, after ``seed``)."""
    codes = list(CONTENT_LANGS)
    labels = [language_name(c) for c in codes]
    default = labels[codes.index(lang())] if lang() in codes else labels[0]
    for code, tab in zip(codes, st.tabs(labels, default=default), strict=True):
        with tab:
            st.text_input(field_label("title"), key=_key(prefix, code, "title"), max_chars=LIMITS["title"])
            st.text_area(
                field_label("text"), key=_key(prefix, code, "text"), height=TEXT_HEIGHT["text"], help=_format_help()
            )
            left, right = st.columns(2)
            with left:
                st.text_area(
                    field_label("rationale"), key=_key(prefix, code, "rationale"), height=TEXT_HEIGHT["rationale"]
                )
            with right:
                st.text_area(
                    field_label("legal_basis"), key=_key(prefix, code, "legal_basis"), height=TEXT_HEIGHT["legal_basis"]
                )
                st.text_input(
                    field_label("responsible_body"),
                    key=_key(prefix, code, "responsible_body"),
                    max_chars=LIMITS["responsible_body"],
                )


def _format_help() -> str:
    return tr("recs.format_help")


def ensure_seeded(prefix: str, marker: Any, content: dict[str, Any] | None) -> None:
    """Seed once per ``marker`` (e.g. the revision the edit started from), and again if the widgets were dropped."""
    marker_key = f"{prefix}__seeded"
    if st.session_state.get(marker_key) != marker or _key(prefix, CONTENT_LANGS[0], "title") not in st.session_state:
        seed(prefix, content)
        st.session_state[marker_key] = marker
