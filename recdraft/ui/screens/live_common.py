"""What the projector and the phones share: the recommendation in a language, the room's figures."""

from __future__ import annotations

import streamlit as st

from recdraft.i18n import t
from recdraft.schemas.live import LiveStateView, LiveTallyView
from recdraft.schemas.views import RecommendationView
from recdraft.ui.render import escape_markdown

CHOICES = ("agree", "disagree", "abstain", "block")
STATE_KEY = "live_state_"  # + meeting id: the last state read, reused while the version is unchanged


def text_in(rec: RecommendationView, lang: str) -> tuple[str, str]:
    """(title, text) of the current revision in ``lang``, else in a language it has."""
    content = rec.current_revision.content
    for code in (lang, "en", "ru", "kk", *content):
        c = content.get(code)
        if c is not None and (c.title or c.text):
            return c.title, c.text
    return "", ""


def figures_line(tally: LiveTallyView, lang: str) -> str:
    """The figures in words, for the screen and for a screen reader: 'Agree 8 · Disagree 2 · …'."""
    if tally.mode == "delphi":
        parts = [f"{rating}: {tally.ratings.get(str(rating), 0)}" for rating in range(1, 10)]
        if tally.median is not None:
            parts.append(t("live.median", lang, median=f"{tally.median:g}"))
        return " · ".join(parts)
    return " · ".join(f"{t(f'vote.choice.{c}', lang)} {tally.choices.get(c, 0)}" for c in CHOICES)


def chart(tally: LiveTallyView, lang: str, *, key: str, height: int = 320) -> None:
    """The distribution as a large bar chart, its figures as labels on the bars (a plain Vega-Lite dict)."""
    if tally.mode == "delphi":
        rows = [{"label": str(r), "n": tally.ratings.get(str(r), 0)} for r in range(1, 10)]
        axis = t("vote.chart.rating", lang)
    else:
        rows = [{"label": t(f"vote.choice.{c}", lang), "n": tally.choices.get(c, 0)} for c in CHOICES]
        axis = t("vote.chart.choice", lang)
    encoding = {
        "x": {
            "field": "label",
            "type": "nominal",
            "sort": None,
            "title": axis,
            "axis": {"labelFontSize": 22, "titleFontSize": 18, "labelAngle": 0, "labelLimit": 0},
        },
        "y": {
            "field": "n",
            "type": "quantitative",
            "title": t("vote.chart.votes", lang),
            "axis": {"tickMinStep": 1, "labelFontSize": 16, "titleFontSize": 16},
        },
    }
    spec = {
        "data": {"values": rows},
        "height": height,
        "layer": [
            {"mark": {"type": "bar", "color": "#1f5f99"}, "encoding": encoding},
            {
                "mark": {"type": "text", "dy": -14, "fontSize": 26, "fontWeight": "bold"},
                "encoding": {**encoding, "text": {"field": "n", "type": "quantitative"}},
            },
        ],
    }
    st.vega_lite_chart(spec=spec, width="stretch", key=key, alt=figures_line(tally, lang))


def heading(state: LiveStateView, lang: str) -> str:
    """'Recommendation 3 (3 of 25)'."""
    rec = state.recommendation
    if rec is None:
        return t("live.nothing_on_screen", lang)
    return t("live.heading", lang, number=rec.number, position=state.position, total=state.total)


def md(text: str) -> str:
    return escape_markdown(text)
