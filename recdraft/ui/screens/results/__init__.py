"""Results: every round and every recommendation's result in it; round management for moderators and admins.

Everyone sees, per round, each recommendation's distribution (bars, or the Delphi 1–9 histogram with
its agreement band), quorum, rule, outcome, the tallies per participant group and the dissenting
reasons (named only where the voter allowed it and the round is not anonymous: the service decides).
While a blind round is open, people other than moderators and admins see that the figures are hidden.

Moderators and admins manage rounds here, beside the live figures they decide on: open a round on
chosen recommendations with its rules, close a round (overriding a block with a recorded reason),
carry the undecided items forward, and download the votes as CSV (UTF-8 with BOM, for Excel).
The round to show can be given in the URL: ``results?round=<number>``. Which controls show is the
views' ``actions`` (``services.voting.rounds_overview``, ``round_results``): this screen decides nothing.

Screens: ``by_round`` (one round, a page of items), ``by_recommendation`` (one text across rounds),
``round_admin`` (open, close, carry forward, CSV), ``card`` (one result), ``titles``.
"""

from __future__ import annotations

import streamlit as st

from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import RoundAction, RoundsView
from recdraft.services import recommendations as rec_service
from recdraft.services import voting as voting_service
from recdraft.ui.context import db, errors_shown, tr
from recdraft.ui.screens.results.by_recommendation import by_recommendation
from recdraft.ui.screens.results.by_round import RESULTS_PAGE_SIZE, by_round
from recdraft.ui.screens.results.round_admin import open_round_form
from recdraft.ui.widgets.labels import labels_for
from recdraft.ui.widgets.page import Member, require_member, show_flash
from recdraft.ui.widgets.phase_gate import phase_note

__all__ = ["RESULTS_PAGE_SIZE", "render"]
VIEWS = ["round", "recommendation"]


def _recommendations(member: Member, overview: RoundsView) -> dict[int, RecommendationView]:
    """The recommendations the page names: those of every round, and those a new round may take."""
    ids = {rid for rnd in overview.rounds for rid in rnd.recommendation_ids} | set(overview.open_round_candidates)
    return rec_service.get_many(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id, ids=ids)


def render() -> None:
    """The whole page."""
    member = require_member()
    st.title(tr("results.title"))
    show_flash()
    phase_note(member.roundtable)
    overview: RoundsView | None = None
    recs: dict[int, RecommendationView] = {}
    with errors_shown():
        overview = voting_service.rounds_overview(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
        if RoundAction.MANAGE_ROUNDS in overview.actions:
            # The round forms choose among the recommendations; a round's results carry their own titles.
            recs = _recommendations(member, overview)
    if overview is None:
        return
    rounds = overview.rounds
    if RoundAction.OPEN_ROUND in overview.actions:  # a new round only where the phase lets people vote in it
        open_round_form(member, recs, overview.open_round_candidates)
    if not rounds:
        st.info(tr("results.no_rounds"), icon=":material/bar_chart:")
        return
    view = st.segmented_control(
        tr("results.view"),
        VIEWS,
        default="round",
        required=True,
        format_func=labels_for(VIEWS, lambda v: tr(f"results.view.{v}")),
        key="results_view",
        label_visibility="collapsed",
    )
    if view == "recommendation":
        if not recs:
            with errors_shown():
                recs = _recommendations(member, overview)
        by_recommendation(member, rounds, recs)
    else:
        by_round(member, rounds, recs)
