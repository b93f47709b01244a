"""The meeting on a phone: join with the code on the screen, follow the presenter, vote when asked.

Made for 360 px wide and thumbs: the recommendation on the projector in my interface language, and when
a live vote opens, the ballot appears by itself (the page asks the server every second and a half
whether anything changed) with large buttons — agree / disagree / abstain / block (a block needs a
reason), or a rating from 1 to 9 in a Delphi vote. My vote is the server's: after I tap, the page shows
what the server stored and when, and I can change it until the vote closes. A phone that lost the
connection picks up where the meeting is when it is back; a vote the server acknowledged is never lost.
"""

from __future__ import annotations

import streamlit as st

from recdraft.errors import RecdraftError
from recdraft.services import live, voting
from recdraft.ui.context import db, error_message, fmt_datetime, lang, require_member, tr
from recdraft.ui.screens.live_common import CHOICES, heading, md, text_in

REFRESH_SECONDS = 1.5
JOINED_KEY = "live_joined"  # meeting id this browser session follows


def _join(member) -> int | None:
    """The meeting this phone follows: joined before, from the QR code's ?code=, or typed now."""
    joined = st.session_state.get(JOINED_KEY)
    if joined:
        return joined
    code = st.query_params.get("code", "")
    if not code:
        with st.form("live_join"):
            code = st.text_input(tr("live.code_label"), max_chars=12, help=tr("live.code_help"))
            if not st.form_submit_button(tr("live.join"), type="primary", width="stretch"):
                return None
    try:
        meeting = live.join(db(), actor_id=member.user.id, code=code)
    except RecdraftError as exc:
        st.error(error_message(exc))
        return None
    st.session_state[JOINED_KEY] = meeting.id
    return meeting.id


def _cast(user_id: int, round_id: int, rec_id: int, *, reason_key: str | None = None, **vote) -> None:
    """Cast the tapped vote (a button's callback: it runs before the page is drawn again, so the page
    then shows what the server stored)."""
    if reason_key is not None:
        vote["reason"] = (st.session_state.get(reason_key) or "").strip() or None
    st.session_state[CAST_KEY] = True
    try:
        voting.cast_vote(db(), actor_id=user_id, round_id=round_id, recommendation_id=rec_id, **vote)
    except RecdraftError as exc:
        st.session_state["live_error"] = error_message(exc)
    else:
        st.session_state.pop("live_error", None)


def _ballot(user_id: int, state) -> None:
    rnd, rec = state.round, state.recommendation
    if state.my_vote_at is not None:
        mine = tr(f"vote.choice.{state.my_choice}") if state.my_choice else str(state.my_rating)
        st.success(tr("live.recorded", vote=mine, at=fmt_datetime(state.my_vote_at)), icon=":material/check:")
    if message := st.session_state.get("live_error"):
        st.error(message)
    if rnd.mode == "delphi":
        st.caption(tr("live.rate"))
        for row in ((1, 2, 3), (4, 5, 6), (7, 8, 9)):
            cols = st.columns(3)
            for col, rating in zip(cols, row, strict=True):
                chosen = state.my_rating == rating
                col.button(
                    str(rating),
                    key=f"rate_{rnd.id}_{rating}",
                    width="stretch",
                    type="primary" if chosen else "secondary",
                    on_click=_cast,
                    args=(user_id, rnd.id, rec.id),
                    kwargs={"rating": rating},
                )
        return
    reason_key = f"live_reason_{rnd.id}"
    st.text_input(tr("live.reason"), key=reason_key, help=tr("live.reason_help"))
    for choice in CHOICES:
        chosen = state.my_choice == choice
        st.button(
            tr(f"vote.choice.{choice}"),
            key=f"vote_{rnd.id}_{choice}",
            width="stretch",
            type="primary" if chosen else "secondary",
            on_click=_cast,
            args=(user_id, rnd.id, rec.id),
            kwargs={"choice": choice, "reason_key": reason_key},
        )


STATE_KEY = "live_phone_state"  # (version, state) last read: a poll that finds the same version reads nothing more
CAST_KEY = "live_phone_cast"  # set by a tap: the next draw reads the state again (the acknowledgement)


def _current(user_id: int, live_id: int):
    """The meeting's state: read again only when its version changed or after my own tap; otherwise the
    one read before (so a phone's poll costs one indexed read of the version)."""
    now = live.version(db(), live_id=live_id)
    kept = st.session_state.get(STATE_KEY)
    if (
        kept is not None
        and kept[0] == now
        and kept[1].session.id == live_id
        and not st.session_state.pop(CAST_KEY, False)
    ):
        return kept[1]
    fresh = live.state(db(), actor_id=user_id, live_id=live_id, with_tally=False)
    st.session_state[STATE_KEY] = (fresh.session.version, fresh)
    return fresh


@st.fragment(run_every=REFRESH_SECONDS)
def _follow(user_id: int, live_id: int) -> None:
    try:
        state = _current(user_id, live_id)
    except RecdraftError as exc:
        st.error(error_message(exc))
        return
    if state.session.ended_at is not None:
        st.info(tr("live.meeting_over"))
        st.session_state.pop(JOINED_KEY, None)
        return
    box = st.container(key="phone")
    with box:
        st.caption(md(heading(state, lang())))
        if state.recommendation is not None:
            title, text = text_in(state.recommendation, lang())
            st.subheader(md(title))
            with st.expander(tr("live.read_text")):
                st.markdown(md(text))
        if state.round is None:
            st.info(tr("live.waiting"))
            return
        if state.round.status != "open":
            st.info(tr("live.vote_closed_phone"))
            return
        if state.may_vote:
            _ballot(user_id, state)
        else:
            st.info(tr("live.not_voting"))


def render() -> None:
    member = require_member()
    st.title(tr("live.phone_title"))
    live_id = _join(member)
    if live_id is None:
        return
    _follow(member.user.id, live_id)
