"""Admin → Mail (system administrators): is mail on, how the outbox stands, which addresses were refused."""

from __future__ import annotations

import streamlit as st

from recdraft.errors import RecdraftError
from recdraft.schemas.views import UserView
from recdraft.services import outbox
from recdraft.ui.context import db, error_message, fmt_datetime, tr
from recdraft.ui.tables import dataframe


def mail_tab(me: UserView) -> None:
    st.subheader(tr("mail.admin.heading"), anchor=False)
    try:
        status = outbox.mail_status(db(), actor_id=me.id)
    except RecdraftError as exc:
        st.error(error_message(exc))
        return
    if not status.enabled:
        st.info(tr("mail.admin.off"), icon=":material/mail_off:")
    else:
        c = status.counts
        st.caption(
            tr(
                "mail.admin.on",
                server=status.server,
                sent=c.get("sent", 0),
                queued=c.get("queued", 0) + c.get("sending", 0),
                failed=c.get("failed", 0),
            )
        )
    st.markdown(f"**{tr('mail.admin.refused')}**")
    if not status.refused:
        st.caption(tr("mail.admin.none_refused"))
        return
    dataframe(
        [
            {
                tr("mail.admin.col.email"): a.email,
                tr("mail.admin.col.name"): a.name,
                tr("mail.admin.col.at"): fmt_datetime(a.at),
                tr("mail.admin.col.reason"): a.reason,
            }
            for a in status.refused
        ],
        hide_index=True,
        key="admin_mail_refused",
    )
    choice = st.selectbox(tr("mail.admin.col.email"), [a.email for a in status.refused], key="admin_mail_pick")
    if choice and st.button(tr("mail.admin.forget", email=choice), key="admin_mail_forget"):
        try:
            outbox.forget_refusal(db(), actor_id=me.id, email=choice)
        except RecdraftError as exc:
            st.error(error_message(exc))
        else:
            st.success(tr("mail.admin.forgotten", email=choice))
