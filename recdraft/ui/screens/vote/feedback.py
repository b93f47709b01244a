"""Between Delphi rounds: the previous round's spread beside the viewer's own previous rating."""

from __future__ import annotations

import streamlit as st

from recdraft.domain.voting import DelphiFeedback
from recdraft.ui.context import tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.widgets import charts
from recdraft.ui.widgets.round_facts import number_text
from recdraft.ui.widgets.vote_figures import (
    figures_table,
    rating_alt,
    rating_figures,
    rating_words,
)


def delphi_feedback(feedback: DelphiFeedback, band: tuple[int, int], *, key: str) -> None:
    """The previous round's spread beside the viewer's own previous rating."""
    with st.container(border=True, key=f"vote_feedback_{key}"):
        st.markdown(f"**{escape_markdown(tr('vote.feedback.title'))}**")
        mine, median, middle, count = st.columns(4)
        mine.metric(tr("vote.feedback.yours"), str(feedback.your_rating) if feedback.your_rating is not None else "—")
        median.metric(tr("vote.feedback.median"), number_text(feedback.median))
        if feedback.q1 is not None and feedback.q3 is not None:
            middle.metric(
                tr("vote.feedback.iqr"),
                f"{number_text(feedback.q1)}–{number_text(feedback.q3)}",
                help=tr("vote.feedback.iqr_help", iqr=number_text(feedback.iqr)),
            )
        count.metric(tr("vote.feedback.count_label"), str(feedback.count))
        charts.show(
            charts.rating_chart(
                feedback.distribution,
                rating_words(),
                band=band,
                median=feedback.median,
                yours=feedback.your_rating,
                height=170,
            ),
            key=f"vote_feedback_chart_{key}",
            alt=rating_alt(feedback.distribution, feedback.median),
        )
        st.caption(tr("vote.feedback.legend", low=band[0], high=band[1]))
        figures_table(rating_figures(feedback.distribution))
