"""Text cleaning at the service boundary."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recdraft.domain.text import BIDI_CONTROLS, clean_text, is_blank, xml_safe
from recdraft.errors import InvalidInput
from recdraft.schemas.common import Input, Name, parse
from recdraft.schemas.content import LangContent

XML_INVALID = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]}


def test_text_is_normalised_to_nfc():
    decomposed = "Қ" if False else "К\u0327"  # a base letter and a combining mark
    assert clean_text("e\u0301") == "\u00e9"
    assert clean_text(decomposed) == unicodedata.normalize("NFC", decomposed)


def test_control_characters_and_lone_surrogates_are_removed_but_newlines_and_tabs_kept():
    assert clean_text("a\x00b\x0bc\ud800d\ufffee\r\nf\tg") == "abcde\nf\tg"


def test_bidi_overrides_are_removed_from_titles_and_names_only():
    tricky = "Adopt\u202e the law"
    assert clean_text(tricky, single_line=True, strip_bidi=True) == "Adopt the law"
    assert clean_text(tricky) == tricky


@pytest.mark.parametrize("value", ["", "   ", "\n\t", "\u200b\u200d\ufeff", "\u202e\u2066 "])
def test_empty_whitespace_and_invisible_only_text_is_blank(value):
    assert is_blank(value)


def test_kazakh_russian_and_english_survive_unchanged():
    text = "Қазақстан Республикасының Қызыл Жарты Ай Қоғамы — Общество Красного Полумесяца — Red Crescent"
    assert clean_text(text) == text
    assert parse(LangContent, title=text, text=text).title == text


def test_length_limits_say_the_limit():
    with pytest.raises(InvalidInput, match="at most 200 characters"):
        from recdraft.schemas.common import Input

        class Person(Input):
            name: Name

        parse(Person, name="x" * 201)


@given(st.text())
def test_cleaning_always_gives_xml_safe_nfc_text_and_is_idempotent(value):
    cleaned = clean_text(value)
    assert not (set(cleaned) & XML_INVALID)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in cleaned)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert clean_text(cleaned) == cleaned
    assert xml_safe(cleaned) == cleaned


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",))))
def test_single_line_cleaning_removes_line_breaks_and_bidi(value):
    cleaned = clean_text(value, single_line=True, strip_bidi=True)
    assert "\n" not in cleaned and not (set(cleaned) & set(BIDI_CONTROLS))


@given(st.text(alphabet="ӘәҒғҚқҢңӨөҰұҮүҺһІі абвгдеёжзийклмнопрстуфхцчшщъыьэюя.,;:«»—"))
def test_kazakh_and_russian_letters_round_trip_exactly(value):
    assert clean_text(value) == unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize("value", ["Article\u00a026", "10\u202f000 tenge", "5\u2009%", "Art.\u00a026 \u00a7\u00a02"])
def test_single_line_fields_keep_no_break_and_thin_spaces_exactly(value):
    """Legal text needs "Article 26" unbroken: those spaces used to be folded into plain ones."""
    assert clean_text(value, single_line=True, strip_bidi=True) == value

    class Person(Input):
        name: Name

    assert parse(Person, name=f"  {value}\t\n").name == value


def test_single_line_fields_still_fold_ordinary_whitespace_runs():
    assert clean_text(" a \t b\n\nc  ", single_line=True) == "a b c"


@pytest.mark.parametrize(
    "value",
    [
        "\u200b\u200c",
        "\u3164",
        "\u115f\u1160",
        "\uffa0",
        "\u2800\u2800",
        "\ufe0f\ufe0f",
        "\u0301",
        "\U000e0041\U000e0042",
        "\u2062\u2063",
        " \u00a0\u202f ",
        "\u00ad\u034f",
    ],
)
def test_text_made_only_of_invisible_characters_is_blank(value):
    assert is_blank(value)
    assert clean_text(value, single_line=True) == ""


@pytest.mark.parametrize("value", ["é", "e\u0301", "№", "—", "1", "Ә", "\u2800x"])
def test_anything_visible_is_not_blank(value):
    assert not is_blank(value)


def test_a_name_made_only_of_invisible_characters_is_refused():
    class Person(Input):
        name: Name

    with pytest.raises(InvalidInput, match="cannot be empty"):
        parse(Person, name="\u3164\u200b\u2800")
