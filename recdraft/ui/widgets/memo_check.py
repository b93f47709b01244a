"""On the Memo page: "is this the memo we sent?" (upload or paste a SHA-256) and the data for researchers."""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.i18n import LANGS
from recdraft.services import research
from recdraft.services.memo_check import check_memo
from recdraft.ui.context import db, errors_shown, fmt_datetime, lang, localized, tr
from recdraft.ui.widgets.labels import language_name, upload_help

CHECK_KEY = "memo_check_result"


def _language(code: str) -> str:
    return " + ".join(language_name(part) for part in code.split("+")) if code else "—"


def _show(result: Any) -> None:
    if result.outcome == "no_hash":
        st.warning(tr("friction.check.no_hash"), icon=":material/help:")
        return
    if result.outcome == "unknown":
        st.error(tr("friction.check.unknown", sha256=result.sha256), icon=":material/gpp_bad:")
        return
    facts = tr(
        "friction.check.which",
        id=result.snapshot_id,
        when=fmt_datetime(result.created_at),
        language=_language(result.lang),
        count=result.recommendations,
    )
    if result.sent_at:
        sent = tr(
            "friction.check.sent",
            when=fmt_datetime(result.sent_at),
            who=result.sent_by_name or "—",
            to=localized(result.addressee) or "—",
        )
    else:
        sent = tr("friction.check.not_sent")
    if result.outcome == "matches":
        st.success(f"{tr('friction.check.matches')} {facts} {sent}", icon=":material/verified:")
    elif not result.snapshot_intact:
        st.error(f"{tr('friction.check.snapshot_altered')} {facts}", icon=":material/gpp_bad:")
    else:
        numbers = ", ".join(str(n) for n in result.changed_numbers)
        st.error(f"{tr('friction.check.changed', numbers=numbers)} {facts} {sent}", icon=":material/gpp_bad:")
    st.caption(tr("friction.check.sha256", sha256=result.sha256))


def memo_check(member: Any) -> None:
    """Upload a memo file or paste its SHA-256; say whether it matches a stored snapshot, and which."""
    st.subheader(tr("friction.check.title"), anchor=False)
    st.caption(tr("friction.check.help"))
    with st.form("memo_check_form", border=True):
        types = ["docx", "json", "pdf"]
        upload = st.file_uploader(tr("friction.check.file"), type=types, key="memo_check_file", help=upload_help(types))
        pasted = st.text_input(tr("friction.check.hash"), key="memo_check_hash", max_chars=200)
        sent = st.form_submit_button(
            tr("friction.check.button"), icon=":material/fact_check:", type="primary", key="memo_check_go"
        )
    if sent:
        st.session_state.pop(CHECK_KEY, None)
        with errors_shown():
            data = upload.getvalue() if upload is not None else None
            st.session_state[CHECK_KEY] = check_memo(
                db(),
                actor_id=member.user.id,
                roundtable_id=member.roundtable.id,
                file=data,
                sha256=None if data else pasted,
            )
    result = st.session_state.get(CHECK_KEY)
    if result is not None:
        _show(result)


def research_download(member: Any) -> None:
    """The roundtable's data for researchers, as one ZIP built when the button is pressed."""
    st.subheader(tr("friction.research.title"), anchor=False)
    st.caption(tr("friction.research.help"))
    code = lang() if lang() in LANGS else "en"

    def build() -> bytes:
        return research.export_research(
            db(), actor_id=member.user.id, roundtable_id=member.roundtable.id, lang=code
        ).content

    st.download_button(
        tr("friction.research.download"),
        data=build,
        file_name=f"recdraft-research-{member.roundtable.id}-{code}.zip",
        mime="application/zip",
        key="memo_research_download",
        icon=":material/dataset:",
        on_click="ignore",
    )
