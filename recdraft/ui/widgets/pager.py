"""Previous / page n of N / next: the pager under a long list (plain buttons and a select box)."""

from __future__ import annotations

import streamlit as st

from recdraft.ui.context import tr
from recdraft.ui.widgets.labels import labels_for


def _step(key: str, delta: int, pages: int) -> None:
    st.session_state[key] = min(pages, max(1, int(st.session_state.get(key) or 1) + delta))


def pager(key: str, current: int, pages: int, *, box_key: str, prev_key: str, next_key: str, label_key: str) -> None:
    """The pager for the page number kept in session state under ``key`` (``current`` of ``pages``).

    The widget keys are the caller's: the pages' tests and styles address them by name."""
    st.session_state[key] = current
    numbers = list(range(1, pages + 1))
    with st.container(horizontal=True, horizontal_alignment="center", vertical_alignment="center", key=box_key):
        st.button(
            tr("recs.page.previous"),
            key=prev_key,
            icon=":material/chevron_left:",
            disabled=current <= 1,
            on_click=_step,
            args=(key, -1, pages),
            type="tertiary",
        )
        st.selectbox(
            tr(label_key),
            numbers,
            key=key,
            label_visibility="collapsed",
            width=200,
            format_func=labels_for(numbers, lambda n: tr("recs.page.n_of", number=n, total=pages)),
        )
        st.button(
            tr("recs.page.next"),
            key=next_key,
            icon=":material/chevron_right:",
            icon_position="right",
            disabled=current >= pages,
            on_click=_step,
            args=(key, 1, pages),
            type="tertiary",
        )
