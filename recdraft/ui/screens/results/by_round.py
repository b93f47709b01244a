"""The results of one round, a page of items at a time, with the round's management beside them."""

from __future__ import annotations

import streamlit as st

from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import RoundAction, RoundResultsView, RoundView
from recdraft.services import voting as voting_service
from recdraft.ui.context import db, errors_shown, fmt_number, tr
from recdraft.ui.screens.results.card import result_card
from recdraft.ui.screens.results.round_admin import (
    NEXT_ROUND,
    carry_forward_form,
    close_round_form,
    csv_download,
)
from recdraft.ui.screens.results.titles import item_title
from recdraft.ui.widgets.page import Member, query_int
from recdraft.ui.widgets.pager import pager
from recdraft.ui.widgets.round_facts import (
    OPEN,
    round_facts,
    round_name,
    round_title,
    rules_text,
)

# Results shown per page of a round: a closed round of a whole bill has hundreds of items, and each card
# draws a chart and its table (issue 15 goal 1: the page costs the same per page whatever the round's size).
RESULTS_PAGE_SIZE = 10


def eligible_line(rnd: RoundView, results: RoundResultsView) -> str | None:
    """ "N eligible voters (fixed when the round opened)", from the round (or its tally); None when not known."""
    count = getattr(rnd, "eligible_count", None)
    if count is None:
        count = next((i.overall.eligible for i in results.items if i.overall is not None), None)
    if count is None:
        return None
    frozen = getattr(rnd, "voters_frozen_at", True)  # rounds from before frozen lists count today's members
    key = "rounds_ui.eligible_fixed" if frozen is not None else "rounds_ui.eligible_now"
    return tr(key, count=count)


def by_round(member: Member, rounds: list[RoundView], recs: dict[int, RecommendationView]) -> None:
    ordered = sorted(rounds, key=lambda r: -r.number)
    ids = [r.id for r in ordered]
    if NEXT_ROUND in st.session_state:  # a round just opened: show it (set before the widget exists)
        st.session_state["results_round"] = st.session_state.pop(NEXT_ROUND)
    wanted = query_int("round")
    if wanted is not None and "results_round" not in st.session_state:
        match = next((r.id for r in rounds if r.number == wanted), None)
        if match is not None:
            st.session_state["results_round"] = match
    if st.session_state.get("results_round") not in ids:
        st.session_state.pop("results_round", None)
    labels = {r.id: round_name(r) for r in ordered}
    chosen = st.selectbox(tr("results.round"), ids, format_func=labels.__getitem__, key="results_round")
    rnd = next(r for r in ordered if r.id == chosen)
    page_key = f"results_page_{rnd.id}"
    pages = max(1, -(-len(rnd.recommendation_ids) // RESULTS_PAGE_SIZE))
    page_no = min(max(1, int(st.session_state.get(page_key) or 1)), pages)
    results: RoundResultsView | None = None
    with errors_shown():
        results = voting_service.round_results(
            db(),
            actor_id=member.user.id,
            round_id=rnd.id,
            offset=(page_no - 1) * RESULTS_PAGE_SIZE,
            limit=RESULTS_PAGE_SIZE,
        )
    if results is None:
        return
    rnd = results.round
    st.subheader(round_title(rnd), anchor=False)
    st.markdown(round_facts(rnd))
    st.caption(rules_text(rnd.rules))
    eligible = eligible_line(rnd, results)
    if eligible:
        st.caption(eligible)
    # What this person may do with the round is the round's ``actions``, as the service computed them.
    if RoundAction.EXPORT_VOTES in rnd.actions:
        csv_download(member, rnd)
    if RoundAction.CLOSE in rnd.actions:
        close_round_form(member, rnd, results if pages == 1 else _whole_round(member, rnd), recs)
    elif RoundAction.CARRY_FORWARD in rnd.actions:
        carry_forward_form(member, rnd, results if pages == 1 else _whole_round(member, rnd), rounds)
    if results.hidden:
        st.info(tr("results.hidden_round"), icon=":material/visibility_off:")
        return
    if rnd.status == OPEN:
        st.caption(tr("results.provisional"))
    first = (page_no - 1) * RESULTS_PAGE_SIZE + 1
    if pages > 1:
        st.caption(
            tr(
                "threads.results.showing",
                first=fmt_number(first),
                last=fmt_number(first + len(results.items) - 1),
                total=fmt_number(len(rnd.recommendation_ids)),
            )
        )
    for item in results.items:
        result_card(item, rnd.rules, item_title(item))
    if pages > 1:
        _results_pager(page_key, page_no, pages)


def _whole_round(member: Member, rnd: RoundView) -> RoundResultsView:
    """Every item of the round (closing and carrying forward decide on all of them, not on one page)."""
    return voting_service.round_results(db(), actor_id=member.user.id, round_id=rnd.id)


def _results_pager(key: str, current: int, pages: int) -> None:
    """Previous / page n of N / next under the round's results."""
    pager(
        key,
        current,
        pages,
        box_key="results_pager",
        prev_key="results_prev",
        next_key="results_next",
        label_key="threads.results.pages",
    )
