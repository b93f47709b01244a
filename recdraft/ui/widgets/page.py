"""Small navigation helpers the recommendation pages share (and, re-exported, their page guard).

``Member`` and ``require_member`` are ``recdraft.ui.context``'s (one Member for every page): what the
person may do is ``member.actions`` (``phase_gate.may``), never a check of their role here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from recdraft.domain.roles import Role
from recdraft.ui.context import Member, require_member, require_role, tr

__all__ = [
    "Member",
    "flash",
    "forget_topics",
    "form_nonce",
    "go_to",
    "query_int",
    "require_member",
    "require_staff",
    "show_flash",
    "submission_key",
]

TOPICS_CACHE = "recs_topics_"  # session-state prefix of the cached topic lists (see the list page)
PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
PAGES = {name: PAGES_DIR / f"{name}.py" for name in ("recommendations", "draft", "moderation")}


def require_staff() -> Member:
    """The moderation page's audience, moderators and administrators; anyone else sees a refusal and nothing more."""
    return require_role(Role.ADMIN, Role.MODERATOR)


def go_to(page: str, **params: Any) -> None:
    """Open another page (with query parameters); without the app's navigation, stay and set the parameters."""
    clean = {k: str(v) for k, v in params.items() if v is not None}
    try:
        st.switch_page(PAGES.get(page, page), query_params=clean or None)
    except StreamlitAPIException:
        # The page is not registered (a page run on its own, e.g. in tests): keep the parameters.
        st.session_state["recs_wanted_page"] = page
        for key, value in clean.items():
            st.query_params[key] = value
        st.rerun()


def query_int(name: str) -> int | None:
    """An integer query parameter, or None when missing or not a number."""
    raw = st.query_params.get(name)
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def form_nonce(name: str, *, renew: bool = False) -> str:
    """A random value that lives as long as one opened form (new after a successful save)."""
    import uuid

    key = f"recs_nonce_{name}"
    if renew or key not in st.session_state:
        st.session_state[key] = uuid.uuid4().hex
    return st.session_state[key]


def submission_key(nonce: str, *parts: Any) -> str:
    """The key that makes a double click store one thing: the same form and the same text give the same key."""
    import hashlib
    import json

    payload = json.dumps([nonce, *parts], sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


def flash(message_key: str, **params: Any) -> None:
    """A success message to show once, on the next run (after st.rerun)."""
    st.session_state["recs_flash"] = (message_key, params)


def show_flash() -> None:
    item = st.session_state.pop("recs_flash", None)
    if item:
        key, params = item
        st.success(tr(key, **params))


def forget_topics() -> None:
    """Drop the cached topic lists (after a recommendation was created or its topic changed)."""
    for key in [k for k in st.session_state if str(k).startswith(TOPICS_CACHE)]:
        del st.session_state[key]
