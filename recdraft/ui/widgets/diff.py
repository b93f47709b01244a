"""Word diffs on screen: between two revisions, or between the current text and a proposed one."""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.domain.diff import word_diff
from recdraft.schemas.content import FIELDS, LangContent
from recdraft.ui.context import tr
from recdraft.ui.render import diff_markdown
from recdraft.ui.widgets.labels import CONTENT_LANGS, field_label, language_name


def _fields_of(content: dict[str, Any], code: str) -> dict[str, str]:
    value = content.get(code)
    if value is None:
        return {}
    if isinstance(value, LangContent):
        return value.model_dump()
    return dict(value)


def content_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, list[Any], bool]]:
    """(language, field, segments, changed) for every field written in either text."""
    out = []
    for code in CONTENT_LANGS:
        if code not in old and code not in new:
            continue
        a, b = _fields_of(old, code), _fields_of(new, code)
        for name in FIELDS:
            before, after = a.get(name, "") or "", b.get(name, "") or ""
            if before or after:
                out.append((code, name, word_diff(before, after), before != after))
    return out


def show_changes(changes: list[tuple[str, str, Any, bool]], *, only_changed: bool = True) -> None:
    """Each changed field under a small heading, insertions green and deletions struck through."""
    shown = 0
    for code, name, segments, changed in changes:
        if only_changed and not changed:
            continue
        shown += 1
        st.markdown(f"**{field_label(name)}** · {language_name(code)}")
        with st.container(border=True):
            st.markdown(diff_markdown(segments))
    if not shown:
        st.caption(tr("recs.diff.no_changes"))


def show_revision_diff(diff: Any, code: str | None = None) -> None:
    """A ``RevisionDiff`` from the recommendations service; with ``code``, that language's fields only
    (the other languages that changed are named)."""
    fields = [(f.lang, f.field, f.segments, f.changed) for f in diff.fields]
    if code is None:
        show_changes(fields)
        return
    show_changes([f for f in fields if f[0] == code])
    others = sorted({f[0] for f in fields if f[0] != code and f[3]}, key=CONTENT_LANGS.index)
    if others:
        st.caption(tr("recs.diff.also_changed", languages=", ".join(language_name(c) for c in others)))


def show_content_diff(old: dict[str, Any], new: dict[str, Any]) -> None:
    """The difference between two texts (both: language → fields)."""
    show_changes(content_changes(old, new))


def diff_legend() -> None:
    st.caption(tr("recs.diff.legend"))
