"""CSV cells a spreadsheet would run as formulas are prefixed with a single quote."""

from __future__ import annotations

import pytest

from recdraft.domain.csvsafe import is_dangerous, neutralise


@pytest.mark.parametrize(
    "cell",
    [
        "=cmd|' /C calc'!A0",
        "+1",
        "-2+3",
        "@SUM(1)",
        "\t=1+1",
        "\r=1+1",
        "-5",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(1)",
        "  =1+1",
        "\u3000=1+1",
        '\u200b=HYPERLINK("http://example.com")',
        "\n=1+1",
    ],
)
def test_a_cell_that_starts_like_a_formula_gets_a_leading_quote(cell):
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    [
        "Parliament should adopt a law.",
        "Қазақстан Республикасының Қызыл Жарты Ай Қоғамы",
        "Общество Красного Полумесяца",
        "a=b",
        "1+1",
        "email@example.com",
        "",
        "   ",
        "'=already quoted",
    ],
)
def test_ordinary_text_is_left_exactly_as_it_was(cell):
    assert neutralise(cell) == cell
    assert not is_dangerous(cell)


def test_non_text_values_become_text_and_none_becomes_empty():
    assert neutralise(None) == ""
    assert neutralise(42) == "42"
    assert neutralise(-7) == "'-7"
