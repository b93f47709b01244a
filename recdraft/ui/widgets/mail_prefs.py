"""My account → E-mail: per kind of message, at once / daily digest / off; and whether mail is on at all."""

from __future__ import annotations

import streamlit as st

from recdraft.errors import RecdraftError
from recdraft.schemas.views import UserView
from recdraft.services import notifications
from recdraft.ui.context import db, error_message, tr

MODES = ("now", "digest", "off")


def mail_preferences(user: UserView) -> None:
    """The E-mail section of My account."""
    st.subheader(tr("mail.prefs.heading"), anchor=False)
    if not notifications.mail_is_on():
        st.info(tr("mail.prefs.off"), icon=":material/mail_off:")
    elif not user.email:
        st.warning(tr("mail.prefs.no_address"), icon=":material/mail_off:")
    st.caption(tr("mail.prefs.help"))
    try:
        current = notifications.my_preferences(db(), actor_id=user.id)
    except RecdraftError as exc:
        st.error(error_message(exc))
        return
    for kind in notifications.KINDS:
        key = f"account_mail_{kind}"
        choice = st.segmented_control(
            tr(f"mail.kind.{kind}"),
            MODES,
            format_func=lambda m: tr(f"mail.mode.{m}"),
            default=current.get(kind, "now"),
            key=key,
        )
        if choice and choice != current.get(kind, "now"):
            try:
                notifications.set_preference(db(), actor_id=user.id, kind=kind, mode=choice)
            except RecdraftError as exc:
                st.error(error_message(exc))
            else:
                st.toast(tr("mail.prefs.saved", kind=tr(f"mail.kind.{kind}"), mode=tr(f"mail.mode.{choice}")))
