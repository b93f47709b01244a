"""My own votes on one item, oldest first: when, what I did, what I chose and the reason I gave."""

from __future__ import annotations

import streamlit as st

from recdraft.schemas.voting import VoteHistoryView
from recdraft.ui.context import fmt_datetime, tr
from recdraft.ui.render import escape_markdown, plain_markdown
from recdraft.ui.widgets.round_facts import vote_words


def vote_history(history: list[VoteHistoryView], key: str) -> None:
    """The history in an expander (one line per cast, change or confirmation)."""
    lines = []
    for h in history:
        line = (
            f"- {escape_markdown(fmt_datetime(h.at))} · {escape_markdown(tr(f'vote.history.{h.action}'))}: "
            f"**{escape_markdown(vote_words(h.choice, h.rating))}**"
        )
        if h.reason:
            line += f" · {plain_markdown(h.reason)}"
        lines.append(line)
    with st.expander(tr("vote.history", count=len(history)), icon=":material/history:", key=f"vote_history_{key}"):
        st.markdown("\n".join(lines))
