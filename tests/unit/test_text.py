"""Text cleaning at the service boundary."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recdraft.domain.text import BIDI_CONTROLS, clean_text, is_blank, xml_safe
from recdraft.errors import InvalidInput
from recdraft.schemas.common import Name, parse
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
