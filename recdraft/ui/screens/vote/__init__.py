"""Vote: one ballot with everything open to me, round by round.

Simple rounds take agree / disagree / abstain / block (a reason is required for a block and optional
for disagree, and may carry my name in the dissent annex if I allow it); Delphi rounds take a 1–9
rating with an optional comment, shown beside the group's spread from the previous round. A vote cast
on an earlier text is flagged until I confirm or change it; I can recuse myself from an item and take
the recusal back while the round is open.

Rounds are opened, closed and carried forward on the Results page (moderators and admins see every
round there, and moderators do not necessarily vote). Whether the forms show is the ballot view's
``actions`` (``vote``), as ``services.voting`` computed it: this screen decides nothing by itself.
Screens: ``ballot`` (one item), ``history`` (my votes on it), ``feedback`` (the Delphi spread).
"""

from __future__ import annotations

import streamlit as st

from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import MyBallotsView, RoundAction, VoteHistoryView
from recdraft.services import recommendations as rec_service
from recdraft.services import voting as voting_service
from recdraft.ui.context import db, errors_shown, tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.screens.vote.ballot import ballot_item
from recdraft.ui.widgets.page import require_member, show_flash
from recdraft.ui.widgets.phase_gate import note_key, phase_name, phase_note
from recdraft.ui.widgets.round_facts import round_facts, round_title, rules_text


def _header(ballots: MyBallotsView) -> None:
    if not ballots.rounds:
        st.info(tr("vote.no_rounds"), icon=":material/event_available:")
        return
    if ballots.to_do:
        st.caption(tr("vote.to_do", count=ballots.to_do))
    else:
        st.success(tr("vote.all_done"), icon=":material/task_alt:")


def render() -> None:
    """The whole page."""
    member = require_member()
    st.title(tr("vote.title"))
    show_flash()
    phase_note(member.roundtable)
    ballots: MyBallotsView | None = None
    with errors_shown():
        ballots = voting_service.my_ballots(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    if ballots is None:
        return
    if not ballots.eligible:
        staff = RoundAction.MANAGE_ROUNDS in ballots.actions
        st.info(tr("vote.not_eligible_staff") if staff else tr("vote.not_eligible"), icon=":material/info:")
        return
    # The ballots stay readable in every phase; the forms only where the phase lets this person vote.
    read_only = RoundAction.VOTE not in ballots.actions
    if read_only and note_key(member.roundtable) is None:
        st.info(tr("phase_ui.voting_not_open", phase=phase_name(member.roundtable.phase)), icon=":material/lock:")
    elif not read_only:
        _header(ballots)
    recs: dict[int, RecommendationView] = {}
    histories: dict[tuple[int, int], list[VoteHistoryView]] = {}
    with errors_shown():
        recs = rec_service.get_many(
            db(),
            actor_id=member.user.id,
            roundtable_id=member.roundtable.id,
            ids={i.recommendation_id for r in ballots.rounds for i in r.items},
        )
        histories = voting_service.my_vote_histories(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    for entry in ballots.rounds:
        rnd = entry.round
        with st.container(key=f"vote_round_{rnd.id}"):
            st.subheader(round_title(rnd), anchor=False)
            st.markdown(round_facts(rnd))
            st.caption(rules_text(rnd.rules))
            if rnd.anonymous:
                st.caption(escape_markdown(tr("vote.anonymous_help")))
            if rnd.blind:
                st.caption(escape_markdown(tr("vote.blind_help")))
            for item in entry.items:
                ballot_item(
                    member.user.id,
                    rnd,
                    item,
                    recs.get(item.recommendation_id),
                    histories.get((rnd.id, item.recommendation_id)),
                    read_only=read_only,
                )
