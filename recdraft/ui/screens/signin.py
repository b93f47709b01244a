"""Sign in: user name and password, an invitation link (?invite=…), or single sign-on when configured."""

from __future__ import annotations

import streamlit as st

from recdraft import config
from recdraft.errors import RecdraftError
from recdraft.services import accounts
from recdraft.ui import auth
from recdraft.ui.language import language_switch, tr
from recdraft.ui.messages import error_message
from recdraft.ui.state import database as db

DEMO_ACCOUNTS = ("admin", "moderator", "expert1", "expert2", "expert3", "expert4", "expert5", "expert6", "observer")


def _header() -> st.delta_generator.DeltaGenerator:
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        top = st.columns([3, 1], vertical_alignment="bottom")
        top[0].title(tr("app.name"))
        language_switch(top[1])
        st.caption(tr("app.tagline"))
    return middle


def _password_form(where) -> None:
    with where.form("signin", border=True):
        st.subheader(tr("signin.heading"))
        username = st.text_input(tr("signin.username"), key="signin_username", autocomplete="username")
        password = st.text_input(
            tr("signin.password"), type="password", key="signin_password", autocomplete="current-password"
        )
        submitted = st.form_submit_button(tr("signin.submit"), key="signin_submit", type="primary", width="stretch")
        problem = st.empty()
    if submitted:
        try:
            signed = accounts.sign_in(db(), username=username, password=password, source=auth.client_source())
        except RecdraftError as exc:
            problem.error(error_message(exc))
        else:
            auth.start_session(signed)
            st.rerun()


def _single_sign_on(where) -> None:
    if not auth.sso_configured():
        return
    where.caption(tr("signin.or"))
    if st.session_state.get(auth.SSO_FAILED_KEY):
        where.error(tr("signin.sso_no_account"))
    if where.button(tr("signin.sso"), key="signin_sso", icon=":material/key:", width="stretch"):
        st.session_state.pop(auth.SSO_FAILED_KEY, None)
        st.login()


def _demo_hint(where) -> None:
    if config.demo_mode():
        where.info(tr("signin.demo", accounts=", ".join(DEMO_ACCOUNTS), password="demo"), icon=":material/info:")


def _invitation(where, token: str) -> None:
    try:
        offer = accounts.describe_invitation(db(), token=token)
    except RecdraftError as exc:
        where.error(error_message(exc))
        if where.button(tr("invite.back"), key="invite_back"):
            st.query_params.pop("invite", None)
            st.rerun()
        return
    where.subheader(tr("invite.heading"))
    where.caption(tr("invite.roundtable"))
    where.text(offer["roundtable"])
    where.caption(tr("invite.role", role=tr(f"role.{offer['role']}")))
    with where.form("invite", border=True):
        name = st.text_input(
            tr("invite.display_name"), value=offer.get("display_name", ""), key="invite_name", max_chars=200
        )
        username = st.text_input(
            tr("invite.username"), key="invite_username", help=tr("invite.username_help"), autocomplete="username"
        )
        password = st.text_input(
            tr("invite.password"),
            type="password",
            key="invite_password",
            help=tr("invite.password_help"),
            autocomplete="new-password",
        )
        again = st.text_input(
            tr("invite.password_again"), type="password", key="invite_password_again", autocomplete="new-password"
        )
        submitted = st.form_submit_button(tr("invite.submit"), key="invite_submit", type="primary", width="stretch")
        problem = st.empty()
    if submitted:
        if password != again:
            problem.error(tr("invite.passwords_differ"))
            return
        try:
            signed = accounts.accept_invitation(
                db(), token=token, username=username, password=password, display_name=name or None
            )
        except RecdraftError as exc:
            problem.error(error_message(exc))
            return
        st.query_params.pop("invite", None)
        auth.start_session(signed)
        st.rerun()


def render() -> None:
    """The sign-in page (also shown in place of any page when nobody is signed in)."""
    where = _header()
    invite = st.query_params.get("invite")
    if invite:
        _invitation(where, invite)
        return
    _password_form(where)
    _single_sign_on(where)
    _demo_hint(where)
