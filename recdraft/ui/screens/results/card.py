"""One recommendation's result in one round: outcome, chart, quorum and rule, groups, dissent.

Names and organisations in the dissent are those the service let through (named only where the voter allowed
it and the round is not anonymous); what people wrote reaches the screen through ``recdraft.ui.render``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.domain.voting import REJECTION_BAND, VotingMode
from recdraft.schemas.voting import CountsView, ItemResultView
from recdraft.ui import tables
from recdraft.ui.context import tr
from recdraft.ui.render import escape_markdown, plain_markdown, user_text_markdown
from recdraft.ui.widgets import charts
from recdraft.ui.widgets.labels import badge
from recdraft.ui.widgets.round_facts import (
    CHOICES,
    band_of,
    number_text,
    outcome_badge,
    outcome_label,
    percent,
    rec_heading,
    share_text,
    tally_label,
)
from recdraft.ui.widgets.vote_figures import (
    choice_alt,
    choice_figures,
    choice_words,
    figures_table,
    rating_alt,
    rating_figures,
    rating_words,
)


def _check(ok: bool | None) -> str:
    if ok is None:
        return "—"
    return ":green[:material/check_circle:]" if ok else ":red[:material/cancel:]"


def _facts(result: ItemResultView, counts: CountsView, rules: dict[str, Any]) -> None:
    base = counts.quorum_base
    st.markdown(
        f"{_check(counts.quorum_met)} "
        + escape_markdown(tr("results.turnout", voted=counts.voted, base=base, share=percent(counts.turnout)))
        + "  \n"
        + escape_markdown(tr("results.quorum_needed", share=share_text(rules.get("quorum", "1/2"))))
    )
    if result.mode == VotingMode.DELPHI and counts.delphi is not None:
        low, high = band_of(rules)
        d = counts.delphi
        st.markdown(
            f"{_check(counts.threshold_met)} "
            + escape_markdown(
                tr(
                    "results.delphi_line",
                    share=percent(counts.band_share or 0),
                    low=low,
                    high=high,
                    median=number_text(d.median),
                    iqr=number_text(d.iqr),
                )
            )
        )
    else:
        st.markdown(
            f"{_check(counts.threshold_met)} "
            + escape_markdown(
                tr(
                    "results.agree_line",
                    share=percent(counts.agree_share or 0),
                    needed=share_text(rules.get("threshold", "2/3")),
                )
            )
        )
    st.markdown(
        f"{_check(counts.rule_met)} "
        + escape_markdown(tr("results.rule_met") if counts.rule_met else tr("results.rule_not_met"))
    )
    notes = []
    if counts.block:
        notes.append(tr("results.blocks", count=counts.block))
    if counts.stale:
        notes.append(tr("results.stale", count=counts.stale))
    if counts.recused:
        notes.append(tr("results.recused", count=counts.recused))
    if notes:
        st.caption(" · ".join(notes))
    if counts.block_override_applied and result.block_override_reason:
        st.markdown(
            f"**{escape_markdown(tr('results.override'))}** " + user_text_markdown(result.block_override_reason)
        )
    elif counts.blocked and not counts.block_override_applied and rules.get("blocks_prevent_adoption", True):
        st.caption(tr("results.block_stands"))


def _groups_table(result: ItemResultView) -> None:
    rows = []
    for g in result.groups:
        row: dict[str, Any] = {
            tr("results.col.group"): g.group or "—",
            tr("results.col.voted"): f"{g.voted} / {g.quorum_base}",
        }
        if result.mode == VotingMode.DELPHI:
            d = g.delphi
            row[tr("results.col.median")] = number_text(d.median) if d else "—"
            row[tr("results.col.iqr")] = number_text(d.iqr) if d else "—"
            row[tr("results.col.in_band")] = percent(g.band_share or 0)
        else:
            for c in CHOICES:
                row[tally_label(c)] = getattr(g, c)
        row[tr("results.col.outcome")] = outcome_label(g.outcome)
        rows.append(row)
    tables.dataframe(
        rows, hide_index=True, width="stretch", key=f"results_groups_{result.round_id}_{result.recommendation_id}"
    )


def _dissents(result: ItemResultView) -> None:
    for d in result.dissents:
        who = tr("results.anonymous")
        if d.name:
            who = f"{d.name} ({d.organisation})" if d.organisation else d.name
        what = tally_label(d.choice) if d.choice else ""
        if d.rating is not None:
            what = tr("vote.rating_value", rating=d.rating) + (f" · {what}" if what else "")
        st.markdown(f"**{plain_markdown(who)}** · {escape_markdown(what)}  \n{user_text_markdown(d.reason)}")


def result_card(result: ItemResultView, rules: dict[str, Any], title: str, *, heading: str | None = None) -> None:
    """One recommendation's result in one round: outcome, chart, quorum and rule, groups, dissent."""
    key = f"{result.round_id}_{result.recommendation_id}"
    with st.container(border=True, key=f"results_item_{key}"):
        counts = result.overall
        head, state = st.columns([5, 1.6], vertical_alignment="center")
        head.markdown(heading or rec_heading(result.recommendation_number, title))
        corner = state.container(horizontal_alignment="right")
        if result.hidden or counts is None:
            corner.markdown(badge(tr("results.hidden_badge"), "gray"), width="content")
            st.caption(tr("results.hidden"))
            return
        corner.markdown(outcome_badge(counts.outcome, final=result.final), width="content")
        chart_col, facts_col = st.columns([3, 2], gap="large")
        with chart_col:
            if result.mode == VotingMode.DELPHI:
                summary = counts.delphi
                distribution = summary.distribution if summary else {}
                median = summary.median if summary else None
                charts.show(
                    charts.rating_chart(
                        distribution,
                        rating_words(),
                        band=band_of(rules),
                        median=median,
                        reject_band=REJECTION_BAND if rules.get("delphi_rejection", True) else None,
                    ),
                    key=f"results_chart_{key}",
                    alt=rating_alt(distribution, median),
                )
                st.caption(tr("results.delphi_legend", low=band_of(rules)[0], high=band_of(rules)[1]))
                figures_table(rating_figures(distribution))
            else:
                tally = {c: getattr(counts, c) for c in CHOICES}
                charts.show(
                    charts.choice_chart(tally, choice_words()), key=f"results_chart_{key}", alt=choice_alt(tally)
                )
                st.caption(tr("threads.chart.choice_caption"))
                figures_table(choice_figures(tally))
        with facts_col:
            _facts(result, counts, rules)
        if result.groups:
            with st.expander(tr("results.by_group", count=len(result.groups)), icon=":material/groups:"):
                _groups_table(result)
        if result.dissents:
            with st.expander(tr("results.dissent", count=len(result.dissents)), icon=":material/record_voice_over:"):
                _dissents(result)
