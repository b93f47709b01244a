"""The figures behind a voting chart, for the ballot's Delphi feedback and the results cards.

Each chart has its words (``choice_words``, ``rating_words``), its ``alt`` text for screen readers and its
figures as a table beside it, which a screen reader and the keyboard reach (issue 17 item 3).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.ui.context import tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.widgets import charts
from recdraft.ui.widgets.round_facts import CHOICES, RATINGS, number_text, tally_label


def choice_words() -> charts.ChoiceWords:
    return charts.ChoiceWords(
        labels={c: tally_label(c) for c in CHOICES}, votes=tr("vote.chart.votes"), choice=tr("vote.chart.choice")
    )


def rating_words() -> charts.RatingWords:
    return charts.RatingWords(
        rating=tr("vote.chart.rating"),
        count=tr("vote.chart.count"),
        median=tr("vote.chart.median"),
        yours=tr("vote.chart.yours"),
    )


def choice_figures(tally: dict[str, int]) -> tuple[list[str], list[str]]:
    """A simple-vote chart's figures as a table: (header, row) — each choice's label over its number of votes."""
    return (
        [tr("vote.chart.choice"), *(tally_label(c) for c in CHOICES)],
        [tr("vote.chart.votes"), *(str(int(tally.get(c, 0))) for c in CHOICES)],
    )


def rating_figures(distribution: Any) -> tuple[list[str], list[str]]:
    """A Delphi histogram's figures as a table: (header, row) — each rating 1–9 over how many gave it."""
    counts = {int(k): int(v) for k, v in dict(distribution or {}).items()}
    return (
        [tr("vote.chart.rating"), *(str(r) for r in RATINGS)],
        [tr("vote.chart.count"), *(str(counts.get(r, 0)) for r in RATINGS)],
    )


def choice_alt(tally: dict[str, int]) -> str:
    """The simple-vote chart in words, for screen readers (the chart's ``alt``)."""
    return tr(
        "threads.chart.choice_alt", figures=", ".join(f"{tally_label(c)} {int(tally.get(c, 0))}" for c in CHOICES)
    )


def rating_alt(distribution: Any, median: float | None) -> str:
    """The Delphi histogram in words, for screen readers (the chart's ``alt``)."""
    counts = {int(k): int(v) for k, v in dict(distribution or {}).items()}
    return tr(
        "threads.chart.rating_alt",
        figures=", ".join(f"{r}: {counts.get(r, 0)}" for r in RATINGS),
        median=number_text(median),
    )


def figures_markdown(figures: tuple[list[str], list[str]]) -> str:
    """A Markdown table (a real HTML table on the page, with header cells) of one header row and one row."""
    header, row = figures

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"  # escapes "|" too

    return "\n".join([line(header), "|" + "---|" + "---:|" * (len(header) - 1), line(row)])


def figures_table(figures: tuple[list[str], list[str]]) -> None:
    """The chart's figures as a table beside it, which a screen reader and the keyboard reach (issue 17 item 3).

    A Markdown table rather than st.table: the same HTML table, without building a DataFrame for it."""
    st.markdown(figures_markdown(figures))
