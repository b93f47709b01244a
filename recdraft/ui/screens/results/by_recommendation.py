"""Every round one recommendation was put to, oldest first: its result in each."""

from __future__ import annotations

import streamlit as st

from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import ItemResultView, RoundView
from recdraft.services import voting as voting_service
from recdraft.ui.context import db, errors_shown, fmt_datetime, tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.screens.results.card import result_card
from recdraft.ui.screens.results.titles import title_of
from recdraft.ui.widgets.page import Member
from recdraft.ui.widgets.round_facts import rec_heading, round_title


def by_recommendation(member: Member, rounds: list[RoundView], recs: dict[int, RecommendationView]) -> None:
    voted_on = [
        r.id
        for r in sorted(recs.values(), key=lambda r: (r.position, r.id))
        if any(r.id in rnd.recommendation_ids for rnd in rounds)
    ]
    if not voted_on:
        st.caption(tr("results.none"))
        return
    titles = {rid: f"{recs[rid].number}. {title_of(recs, rid, recs[rid].number)}" for rid in voted_on}
    rec_id = st.selectbox(tr("results.recommendation"), voted_on, format_func=titles.__getitem__, key="results_rec")
    history: list[ItemResultView] = []
    with errors_shown():
        history = voting_service.recommendation_results(db(), actor_id=member.user.id, recommendation_id=rec_id)
    by_id = {r.id: r for r in rounds}
    for item in history:
        rnd = by_id.get(item.round_id)
        rules = rnd.rules if rnd else {}
        heading = f"**{round_title(rnd)}**" if rnd else rec_heading(item.recommendation_number, "")
        if rnd is not None:
            heading += f" · {escape_markdown(fmt_datetime(rnd.closed_at or rnd.opened_at))}"
        result_card(item, rules, titles[rec_id], heading=heading)
