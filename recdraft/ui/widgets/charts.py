"""Altair charts of voting results: simple-vote bars and the Delphi 1–9 histogram with its agreement band.

The chart builders are plain functions returning ``alt.Chart`` objects (testable without a browser);
``show`` puts one on the page. Every word on a chart comes from the caller, already translated: the
builders hold no text of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import altair as alt
import streamlit as st

CHOICES = ("agree", "disagree", "abstain", "block")
# Colour-blind-safe pairs (Okabe–Ito): agree blue-green, disagree vermilion, abstain grey, block dark red.
CHOICE_COLOURS = {"agree": "#009E73", "disagree": "#D55E00", "abstain": "#9AA0A6", "block": "#8B1E1E"}
BAND_COLOUR = "#009E73"
REJECT_COLOUR = "#D55E00"
BAR_COLOUR = "#4C78A8"
MINE_COLOUR = "#CC79A7"
ROW_HEIGHT = 30


@dataclass(frozen=True)
class ChoiceWords:
    """Translated words a simple-vote chart shows."""

    labels: Mapping[str, str]  # choice → label
    votes: str  # axis / tooltip title for the number of votes
    choice: str  # tooltip title for the choice


@dataclass(frozen=True)
class RatingWords:
    """Translated words a Delphi histogram shows."""

    rating: str  # x axis title
    count: str  # y axis / tooltip title
    median: str
    yours: str


def choice_chart(counts: Mapping[str, int], words: ChoiceWords) -> alt.LayerChart:
    """Horizontal bars, one per choice (agree, disagree, abstain, block), with the number at each bar's end."""
    rows = [{"key": key, "label": words.labels[key], "votes": int(counts.get(key, 0)), "order": i}
            for i, key in enumerate(CHOICES)]
    order = [row["label"] for row in rows]
    most = max([row["votes"] for row in rows] + [1])
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=180, ticks=False, domain=False)),
        x=alt.X("votes:Q", title=words.votes, scale=alt.Scale(domain=[0, most + max(1, most // 5)]),
                axis=alt.Axis(tickMinStep=1, format="d", grid=True)),
    )
    bars = base.mark_bar(cornerRadiusEnd=3, height=ROW_HEIGHT - 10).encode(
        color=alt.Color("key:N", scale=alt.Scale(domain=list(CHOICES), range=[CHOICE_COLOURS[c] for c in CHOICES]),
                        legend=None),
        tooltip=[alt.Tooltip("label:N", title=words.choice), alt.Tooltip("votes:Q", title=words.votes)],
    )
    numbers = base.mark_text(align="left", dx=4, fontWeight="bold").encode(text=alt.Text("votes:Q", format="d"))
    # A step height (pixels per row): a fixed height is not kept for a discrete axis inside Streamlit.
    return (bars + numbers).properties(height=alt.Step(ROW_HEIGHT))


def rating_chart(distribution: Mapping[int | str, int], words: RatingWords, *, band: tuple[int, int],
                 median: float | None = None, yours: int | None = None,
                 reject_band: tuple[int, int] | None = (1, 3), height: int = 180) -> alt.LayerChart:
    """A 1–9 histogram; the agreement band shaded green (the rejection band faintly red), the median dashed,
    and the viewer's own rating marked when given."""
    counts = {int(k): int(v) for k, v in distribution.items()}
    rows = [{"rating": r, "count": counts.get(r, 0), "lo": r - 0.38, "hi": r + 0.38,
             "in_band": band[0] <= r <= band[1]} for r in range(1, 10)]
    top = max([row["count"] for row in rows] + [1])
    x_scale = alt.Scale(domain=[0.5, 9.5], nice=False)
    y_scale = alt.Scale(domain=[0, top + 1])
    x_axis = alt.Axis(values=list(range(1, 10)), format="d", grid=False, title=words.rating)

    def shade(lo: int, hi: int, colour: str, opacity: float) -> alt.Chart:
        return alt.Chart(alt.Data(values=[{"a": lo - 0.5, "b": hi + 0.5}])).mark_rect(
            color=colour, opacity=opacity).encode(x=alt.X("a:Q", scale=x_scale, axis=x_axis), x2="b:Q")

    layers: list[alt.Chart] = []
    if reject_band is not None:
        layers.append(shade(reject_band[0], reject_band[1], REJECT_COLOUR, 0.07))
    layers.append(shade(band[0], band[1], BAND_COLOUR, 0.14))
    layers.append(alt.Chart(alt.Data(values=rows)).mark_rect(cornerRadiusTopLeft=2, cornerRadiusTopRight=2).encode(
        x=alt.X("lo:Q", scale=x_scale, axis=x_axis), x2="hi:Q",
        y=alt.Y("count:Q", scale=y_scale, title=words.count, axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.condition("datum.in_band", alt.value(BAND_COLOUR), alt.value(BAR_COLOUR)),
        tooltip=[alt.Tooltip("rating:Q", title=words.rating), alt.Tooltip("count:Q", title=words.count)],
    ))
    if median is not None:
        layers.append(alt.Chart(alt.Data(values=[{"m": median, "label": words.median}])).mark_rule(
            strokeDash=[5, 3], color="#333333", strokeWidth=1.5).encode(
            x=alt.X("m:Q", scale=x_scale), tooltip=[alt.Tooltip("m:Q", title=words.median)]))
    if yours is not None:
        layers.append(alt.Chart(alt.Data(values=[{"r": yours, "y": top + 0.6}])).mark_point(
            shape="triangle-down", size=140, filled=True, color=MINE_COLOUR).encode(
            x=alt.X("r:Q", scale=x_scale), y=alt.Y("y:Q", scale=y_scale),
            tooltip=[alt.Tooltip("r:Q", title=words.yours)]))
    return alt.layer(*layers).properties(height=height)


def show(chart: alt.TopLevelMixin, *, key: str) -> None:
    """Put a chart on the page at the container's width (Streamlit theme, no selection)."""
    st.altair_chart(chart, width="stretch", key=key)
