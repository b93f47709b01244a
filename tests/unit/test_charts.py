"""The results charts are valid Vega-Lite, built as plain dicts (no per-chart schema validation on the page).

Issue 15 goal 1: Altair's ``to_dict`` validated every chart against the schema (~29 ms each); the page now
hands ``st.vega_lite_chart`` fixed-shape dicts, so the shapes are checked here, once, against the same schema.
"""

from __future__ import annotations

import altair as alt
import pytest
from jsonschema.exceptions import ValidationError

from recdraft.ui.widgets import charts

WORDS = charts.ChoiceWords(
    labels={"agree": "Жақтады", "disagree": "Қарсы", "abstain": "Қалыс қалды", "block": "Бөгеді"},
    votes="Дауыстар",
    choice="Дауыс",
)
RATINGS = charts.RatingWords(rating="Оценка", count="Число оценок", median="Медиана", yours="Ваша оценка")


def test_the_choice_chart_is_valid_vega_lite_and_carries_every_figure_and_word():
    spec = charts.choice_chart({"agree": 5, "disagree": 1, "block": 2}, WORDS)
    alt.LayerChart.from_dict(spec)  # raises on anything the Vega-Lite schema refuses
    rows = {r["key"]: (r["label"], r["votes"]) for r in spec["data"]["values"]}
    assert rows == {
        "agree": ("Жақтады", 5),
        "disagree": ("Қарсы", 1),
        "abstain": ("Қалыс қалды", 0),
        "block": ("Бөгеді", 2),
    }
    assert spec["encoding"]["x"]["title"] == "Дауыстар"


@pytest.mark.parametrize("median, yours, reject", [(6.5, 7, (1, 3)), (None, None, None)])
def test_the_rating_chart_is_valid_vega_lite_with_or_without_median_mark_and_rejection_band(median, yours, reject):
    spec = charts.rating_chart(
        {"3": 1, 7: 4, 9: 2}, RATINGS, band=(7, 9), median=median, yours=yours, reject_band=reject
    )
    alt.LayerChart.from_dict(spec)
    bars = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "rect" and "y" in layer["encoding"])
    assert [(r["rating"], r["count"], r["in_band"]) for r in bars["data"]["values"]] == [
        (1, 0, False),
        (2, 0, False),
        (3, 1, False),
        (4, 0, False),
        (5, 0, False),
        (6, 0, False),
        (7, 4, True),
        (8, 0, True),
        (9, 2, True),
    ]
    assert len(spec["layer"]) == 2 + (median is not None) + (yours is not None) + (reject is not None)


def test_a_chart_that_the_schema_refuses_is_caught_here():
    spec = charts.choice_chart({"agree": 1}, WORDS)
    spec["layer"][0]["mark"]["type"] = "not-a-mark"
    with pytest.raises(ValidationError):
        alt.LayerChart.from_dict(spec)
