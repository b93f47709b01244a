"""The presenter's view: the meeting on the projector, run from the same laptop.

One recommendation at a time in large type, in the language chosen for the room (switchable live, and
independent of the laptop's interface language); previous / next; one control opens a live vote on it
and one closes it (after a confirmation, as for rounds). The projector part refreshes itself every
second: the join code, how many of the eligible have voted, and — once the vote closes, or live if the
vote is not blind — the distribution as a large chart with its figures in text.
"""

from __future__ import annotations

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.errors import RecdraftError
from recdraft.i18n import LANGS, LANGUAGE_NAMES, t
from recdraft.services import live
from recdraft.ui.a11y import in_language
from recdraft.ui.context import db, error_message, errors_shown, require_member, tr
from recdraft.ui.screens.live_common import chart, figures_line, heading, md, text_in
from recdraft.ui.widgets.phase_gate import may

REFRESH_SECONDS = 1.0
CONFIRM_KEY = "presenter_confirm_close"
# Large type for the room comes from the app's stylesheet (ui/a11y.py), by the keys of the projector's containers.


def _switch_language(user_id: int, live_id: int) -> None:
    """The language box's callback: the meeting shows the chosen language from now on."""
    try:
        live.set_language(db(), actor_id=user_id, live_id=live_id, language=st.session_state["pres_lang"])
    except RecdraftError as exc:
        st.session_state["pres_error"] = error_message(exc)


def _controls(member, meeting) -> None:
    """The presenter's buttons (small, above the projector part)."""
    state = live.state(db(), actor_id=member.user.id, live_id=meeting.id)
    vote_open = state.round is not None and state.round.status == "open"
    cols = st.columns([1, 1, 2, 2, 2])
    if message := st.session_state.pop("pres_error", None):
        st.error(message)
    with errors_shown():
        if cols[0].button(tr("live.previous"), key="pres_prev", disabled=vote_open, width="stretch"):
            live.show(db(), actor_id=member.user.id, live_id=meeting.id, step=-1)
            st.rerun()
        if cols[1].button(tr("live.next"), key="pres_next", disabled=vote_open, width="stretch"):
            live.show(db(), actor_id=member.user.id, live_id=meeting.id, step=1)
            st.rerun()
        # The screen's language is the meeting's (another laptop may change it): the box shows it, and a
        # choice in the box changes the meeting (its callback runs before the page is drawn again).
        st.session_state["pres_lang"] = meeting.language if meeting.language in LANGS else LANGS[0]
        cols[2].selectbox(
            tr("live.screen_language"),
            LANGS,
            format_func=LANGUAGE_NAMES.__getitem__,
            key="pres_lang",
            on_change=_switch_language,
            args=(member.user.id, meeting.id),
        )
        if not vote_open:
            mode = cols[3].radio(
                tr("live.vote_mode"),
                ("simple", "delphi"),
                horizontal=True,
                key="pres_mode",
                format_func=lambda m: tr(f"live.mode.{m}"),
            )
            if cols[4].button(
                tr("live.open_vote"),
                key="pres_open",
                type="primary",
                width="stretch",
                disabled=state.recommendation is None,
            ):
                live.open_vote(db(), actor_id=member.user.id, live_id=meeting.id, mode=mode)
                st.rerun()
        elif st.session_state.get(CONFIRM_KEY):
            cols[3].warning(tr("live.close_confirm"))
            if cols[4].button(tr("live.close_vote_now"), key="pres_close_yes", type="primary", width="stretch"):
                st.session_state[CONFIRM_KEY] = False
                live.close_vote(db(), actor_id=member.user.id, live_id=meeting.id)
                st.rerun()
            if cols[4].button(tr("live.keep_open"), key="pres_close_no", width="stretch"):
                st.session_state[CONFIRM_KEY] = False
                st.rerun()
        elif cols[4].button(tr("live.close_vote"), key="pres_close", type="primary", width="stretch"):
            st.session_state[CONFIRM_KEY] = True
            st.rerun()


@st.fragment(run_every=REFRESH_SECONDS)
def _projector(user_id: int, live_id: int) -> None:
    """What the room sees; re-read every second (the count moves with every vote)."""
    state = live.state(db(), actor_id=user_id, live_id=live_id)
    lang = state.session.language
    with in_language(lang, "projector_lang"), st.container(key="projector"):
        with st.container(key="projector_code"):
            st.markdown(f"{md(t('live.join_with', lang))} **{state.session.code}**")
        st.caption(md(heading(state, lang)))
        if state.recommendation is not None:
            title, text = text_in(state.recommendation, lang)
            st.markdown(f"# {md(title)}")
            st.markdown(md(text))
        if state.round is None or state.tally is None:
            return
        tally = state.tally
        status = "live.voting_open" if state.round.status == "open" else "live.voting_closed"
        count = (
            t("live.count", lang, voted=tally.voted, eligible=tally.eligible)
            if tally.eligible
            else t("live.count_only", lang, voted=tally.voted)
        )
        with st.container(key="projector_count"):
            st.markdown(md(f"{t(status, lang)} — {count}"))
        if tally.hidden:
            st.info(t("live.blind_hidden", lang))
            return
        chart(tally, lang, key=f"projector_chart_{state.round.id}", height=340)
        st.markdown(md(figures_line(tally, lang)))
        if tally.outcome:
            st.success(t(f"vote.outcome.{tally.outcome}", lang))


def render() -> None:
    member = require_member()
    st.title(tr("live.presenter_title"))
    if not may(member, Action.RUN_ROUNDS):
        st.info(tr("live.presenter_not_allowed"))
        return
    meeting = live.active_meeting(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    if meeting is None:
        st.write(tr("live.presenter_intro"))
        language = st.selectbox(
            tr("live.screen_language"), LANGS, format_func=LANGUAGE_NAMES.__getitem__, key="pres_start_lang"
        )
        with errors_shown():
            if st.button(tr("live.start"), type="primary", key="pres_start"):
                live.start(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id, language=language)
                st.rerun()
        return
    st.caption(tr("live.phones_join", code=meeting.code))
    _controls(member, meeting)
    _projector(member.user.id, meeting.id)
    with st.expander(tr("live.end_meeting")), errors_shown():
        st.caption(tr("live.end_help"))
        if st.button(tr("live.end_meeting_now"), key="pres_end"):
            live.end(db(), actor_id=member.user.id, live_id=meeting.id)
            st.rerun()
