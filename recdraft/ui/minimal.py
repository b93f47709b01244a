"""A minimal read-only page until the full app lands: sign in, then see the roundtable's recommendations."""

from __future__ import annotations

import streamlit as st

from recdraft import config
from recdraft.errors import RecdraftError
from recdraft.services import accounts, recommendations, roundtables
from recdraft.ui.state import database

DEMO_ACCOUNTS = ["admin", "moderator", "expert1", "expert2", "expert3", "expert4", "expert5", "expert6", "observer"]


def _sign_in() -> None:
    st.title("recdraft")
    st.caption("Roundtable recommendations for parliament")
    with st.form("sign-in"):
        username = st.text_input("Username")
        password = st.text_input("Password", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        try:
            signed = accounts.sign_in(database(), username=username, password=password)
        except RecdraftError as exc:
            st.error(str(exc))
        else:
            st.session_state["token"] = signed.token
            st.rerun()
    if config.demo_mode():
        st.info("Demo accounts (password `demo`): " + ", ".join(f"`{u}`" for u in DEMO_ACCOUNTS))


def _overview(token: str) -> None:
    db = database()
    try:
        user = accounts.authenticate(db, token=token)
    except RecdraftError:
        st.session_state.pop("token", None)
        st.rerun()
        return
    st.sidebar.write(user.display_name)
    if st.sidebar.button("Sign out"):
        accounts.sign_out(db, token=token)
        st.session_state.pop("token", None)
        st.rerun()
    tables = roundtables.list_roundtables(db, actor_id=user.id)
    if not tables:
        st.info("You are not a participant of any roundtable yet.")
        return
    rt = tables[0]
    st.title(rt.title.get("en") or next(iter(rt.title.values())))
    st.caption(f"{rt.held_on:%d %B %Y} · phase: {rt.phase}")
    page = recommendations.list_recommendations(db, actor_id=user.id, roundtable_id=rt.id, page_size=100)
    for rec in page.items:
        content = rec.current_revision.content
        lang = "en" if "en" in content else next(iter(content))
        with st.expander(f"{rec.number}. {content[lang].title} — {rec.status}"):
            st.text(content[lang].text)


def main() -> None:
    """Entry point called by streamlit_app.py."""
    st.set_page_config(page_title="recdraft", layout="wide")
    token = st.session_state.get("token")
    if token:
        _overview(token)
    else:
        _sign_in()
