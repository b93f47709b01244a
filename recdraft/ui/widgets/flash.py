"""A success message that survives the rerun an action ends with (``st.rerun`` clears the page)."""

from __future__ import annotations

import streamlit as st

from recdraft.ui.context import tr


def flash(store: str, key: str, **params: object) -> None:
    """Remember the message ``key`` (with ``params``) to show once on the next run of the page."""
    st.session_state[store] = (key, params)


def show_flash(store: str) -> None:
    """Show, once, the message remembered under ``store``, translated in the current language."""
    item = st.session_state.pop(store, None)
    if item:
        key, params = item
        st.success(tr(key, **params))
