"""My account: who I am, my password, whether the memo may name me, my language."""

from __future__ import annotations

import streamlit as st

from recdraft.errors import RecdraftError
from recdraft.services import accounts, roundtables
from recdraft.ui.context import (
    current_role,
    current_roundtable,
    current_user,
    db,
    error_message,
    session_token,
    stop_with_sign_in,
    tr,
)
from recdraft.ui.widgets.labels import organisation_label
from recdraft.ui.widgets.mail_prefs import mail_preferences


def _identity(user, rt, role) -> None:
    cols = st.columns(3)
    for col, label, value in (
        (cols[0], "account.name", user.display_name),
        (cols[1], "account.username", user.username),
        (cols[2], "account.email", user.email or "—"),
    ):
        col.caption(tr(label))
        col.text(value)
    if rt is not None and role:
        st.caption(tr("account.role", role=tr(f"role.{role}")))


def _consent(user, rt) -> None:
    members = {m.user_id: m for m in roundtables.list_members(db(), actor_id=user.id, roundtable_id=rt.id)}
    mine = members.get(user.id)
    if mine is None:
        return
    if mine.organisation:
        st.caption(tr("account.organisation"))
        st.text(organisation_label(rt.settings, mine.organisation))
    value = st.toggle(
        tr("account.consent"), value=mine.consent_named, help=tr("account.consent_help"), key="account_consent"
    )
    if value != mine.consent_named:
        try:
            roundtables.set_my_consent(db(), actor_id=user.id, roundtable_id=rt.id, consent_named=value)
        except RecdraftError as exc:
            st.error(error_message(exc))
        else:
            st.toast(tr("account.consent_saved"))


def _password(user) -> None:
    with st.form("account_password", clear_on_submit=True):
        st.subheader(tr("account.password"))
        current = st.text_input(
            tr("account.current_password"), type="password", key="account_current", autocomplete="current-password"
        )
        new = st.text_input(
            tr("account.new_password"),
            type="password",
            key="account_new",
            help=tr("invite.password_help"),
            autocomplete="new-password",
        )
        again = st.text_input(
            tr("account.new_password_again"), type="password", key="account_again", autocomplete="new-password"
        )
        submitted = st.form_submit_button(tr("account.save_password"), key="account_password_submit", type="primary")
        result = st.empty()
    if not submitted:
        return
    if new != again:
        result.error(tr("invite.passwords_differ"))
        return
    try:
        accounts.change_password(
            db(), actor_id=user.id, current_password=current, new_password=new, keep_token=session_token()
        )
    except RecdraftError as exc:
        result.error(error_message(exc))
    else:
        result.success(tr("account.password_changed"))


def render() -> None:
    user = current_user()
    if user is None:
        stop_with_sign_in()
    rt = current_roundtable(user)
    role = current_role(user, rt.id) if rt is not None else None
    st.title(tr("account.heading"))
    _identity(user, rt, role)
    if rt is not None and role:
        _consent(user, rt)
    st.divider()
    left, _ = st.columns([1, 1])
    with left:
        _password(user)
    st.divider()
    mail_preferences(user)
