"""Charts of voting results as Vega-Lite specs: simple-vote bars and the Delphi 1–9 histogram with its band.

The builders are plain functions returning Vega-Lite specs as plain dicts (testable without a browser),
drawn with ``st.vega_lite_chart``. Why dicts rather than Altair objects: Altair validates every chart
against the Vega-Lite JSON schema in ``to_dict`` (~29 ms a chart, issue 15) — on a results page of
many items that was most of the page's time. The specs here are fixed shapes filled with numbers, so
there is nothing to validate at run time; tests/unit/test_charts.py checks them against the schema once.

Every word on a chart comes from the caller, already translated: the builders hold no text of their
own. Every chart also gets a text alternative (``alt``) and, from the caller, a table of the same
figures (issue 17 item 3): a chart alone reads as "Vega visualization" to a screen reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

CHOICES = ("agree", "disagree", "abstain", "block")
# Colour-blind-safe pairs (Okabe–Ito): agree blue-green, disagree vermilion, abstain grey, block dark red.
CHOICE_COLOURS = {"agree": "#009E73", "disagree": "#D55E00", "abstain": "#9AA0A6", "block": "#8B1E1E"}
BAND_COLOUR = "#009E73"
REJECT_COLOUR = "#D55E00"
BAR_COLOUR = "#4C78A8"
MINE_COLOUR = "#CC79A7"
ROW_HEIGHT = 30

Spec = dict[str, Any]


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


def choice_chart(counts: Mapping[str, int], words: ChoiceWords) -> Spec:
    """Horizontal bars, one per choice (agree, disagree, abstain, block), with the number at each bar's end."""
    rows: list[dict[str, Any]] = [
        {"key": key, "label": words.labels[key], "votes": int(counts.get(key, 0)), "order": i}
        for i, key in enumerate(CHOICES)
    ]
    order = [row["label"] for row in rows]
    most = max([row["votes"] for row in rows] + [1])
    return {
        "data": {"values": rows},
        # A step height (pixels per row): a fixed height is not kept for a discrete axis inside Streamlit.
        "height": {"step": ROW_HEIGHT},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": order,
                "title": None,
                "axis": {"labelLimit": 180, "ticks": False, "domain": False},
            },
            "x": {
                "field": "votes",
                "type": "quantitative",
                "title": words.votes,
                "scale": {"domain": [0, most + max(1, most // 5)]},
                "axis": {"tickMinStep": 1, "format": "d", "grid": True},
            },
        },
        "layer": [
            {
                "mark": {"type": "bar", "cornerRadiusEnd": 3, "height": ROW_HEIGHT - 10},
                "encoding": {
                    "color": {
                        "field": "key",
                        "type": "nominal",
                        "legend": None,
                        "scale": {"domain": list(CHOICES), "range": [CHOICE_COLOURS[c] for c in CHOICES]},
                    },
                    "tooltip": [
                        {"field": "label", "type": "nominal", "title": words.choice},
                        {"field": "votes", "type": "quantitative", "title": words.votes},
                    ],
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "fontWeight": "bold"},
                "encoding": {"text": {"field": "votes", "type": "quantitative", "format": "d"}},
            },
        ],
    }


def rating_chart(
    distribution: Mapping[int, int] | Mapping[str, int],
    words: RatingWords,
    *,
    band: tuple[int, int],
    median: float | None = None,
    yours: int | None = None,
    reject_band: tuple[int, int] | None = (1, 3),
    height: int = 180,
) -> Spec:
    """A 1–9 histogram; the agreement band shaded green (the rejection band faintly red), the median dashed,
    and the viewer's own rating marked when given."""
    counts = {int(k): int(v) for k, v in distribution.items()}
    rows = [
        {"rating": r, "count": counts.get(r, 0), "lo": r - 0.38, "hi": r + 0.38, "in_band": band[0] <= r <= band[1]}
        for r in range(1, 10)
    ]
    top = max([row["count"] for row in rows] + [1])
    x_scale = {"domain": [0.5, 9.5], "nice": False}
    y_scale = {"domain": [0, top + 1]}
    x_axis = {"values": list(range(1, 10)), "format": "d", "grid": False, "title": words.rating}

    def shade(lo: int, hi: int, colour: str, opacity: float) -> Spec:
        return {
            "data": {"values": [{"a": lo - 0.5, "b": hi + 0.5}]},
            "mark": {"type": "rect", "color": colour, "opacity": opacity},
            "encoding": {
                "x": {"field": "a", "type": "quantitative", "scale": x_scale, "axis": x_axis},
                "x2": {"field": "b"},
            },
        }

    layers: list[Spec] = []
    if reject_band is not None:
        layers.append(shade(reject_band[0], reject_band[1], REJECT_COLOUR, 0.07))
    layers.append(shade(band[0], band[1], BAND_COLOUR, 0.14))
    layers.append(
        {
            "data": {"values": rows},
            "mark": {"type": "rect", "cornerRadiusTopLeft": 2, "cornerRadiusTopRight": 2},
            "encoding": {
                "x": {"field": "lo", "type": "quantitative", "scale": x_scale, "axis": x_axis},
                "x2": {"field": "hi"},
                "y": {
                    "field": "count",
                    "type": "quantitative",
                    "scale": y_scale,
                    "title": words.count,
                    "axis": {"tickMinStep": 1, "format": "d"},
                },
                "color": {"condition": {"test": "datum.in_band", "value": BAND_COLOUR}, "value": BAR_COLOUR},
                "tooltip": [
                    {"field": "rating", "type": "quantitative", "title": words.rating},
                    {"field": "count", "type": "quantitative", "title": words.count},
                ],
            },
        }
    )
    if median is not None:
        layers.append(
            {
                "data": {"values": [{"m": median, "label": words.median}]},
                "mark": {"type": "rule", "strokeDash": [5, 3], "color": "#333333", "strokeWidth": 1.5},
                "encoding": {
                    "x": {"field": "m", "type": "quantitative", "scale": x_scale},
                    "tooltip": [{"field": "m", "type": "quantitative", "title": words.median}],
                },
            }
        )
    if yours is not None:
        layers.append(
            {
                "data": {"values": [{"r": yours, "y": top + 0.6}]},
                "mark": {"type": "point", "shape": "triangle-down", "size": 140, "filled": True, "color": MINE_COLOUR},
                "encoding": {
                    "x": {"field": "r", "type": "quantitative", "scale": x_scale},
                    "y": {"field": "y", "type": "quantitative", "scale": y_scale},
                    "tooltip": [{"field": "r", "type": "quantitative", "title": words.yours}],
                },
            }
        )
    return {"layer": layers, "height": height}


def show(chart: Spec, *, key: str, alt: str | None = None) -> None:
    """Put a chart on the page at the container's width (Streamlit theme, no selection); ``alt`` is the
    text a screen reader announces for it (its figures in words)."""
    st.vega_lite_chart(spec=chart, width="stretch", key=key, alt=alt)
