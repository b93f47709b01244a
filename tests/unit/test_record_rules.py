"""The record's rules in the domain: which fields a vote approves, and whose reasons are dissent."""

from __future__ import annotations

import pytest

from recdraft.domain.revisions import UNVOTED_DETAILS, VOTED_FIELDS, voted_text, voted_text_changed
from recdraft.domain.voting import Outcome, RoundRules, is_dissent
from recdraft.schemas.content import FIELDS, LangContent

SIMPLE = RoundRules()
DELPHI = RoundRules(mode="delphi")


def test_every_field_of_a_recommendation_text_is_decided_as_voted_and_topic_and_priority_are_not():
    assert set(VOTED_FIELDS) == set(FIELDS)  # a new text field must be decided here
    assert set(UNVOTED_DETAILS).isdisjoint(VOTED_FIELDS)


def test_the_same_words_are_the_same_text_however_they_are_written_down():
    stored = {"en": {"title": "T", "text": "X", "rationale": "", "legal_basis": "", "responsible_body": ""}}
    assert not voted_text_changed(stored, {"en": {"title": "T", "text": "X"}})
    assert not voted_text_changed(stored, {"en": LangContent(title="T", text="X")})
    assert not voted_text_changed(stored, {**stored, "ru": {"title": "", "text": ""}})
    assert voted_text({"en": {"title": "T", "text": "X", "extra": "ignored"}}) == {
        "en": {"title": "T", "text": "X", "rationale": "", "legal_basis": "", "responsible_body": ""}
    }


@pytest.mark.parametrize(
    "change",
    [
        {"en": {"title": "T", "text": "X."}},  # one full stop
        {"en": {"title": "T", "text": "X", "responsible_body": "Mazhilis"}},
        {"en": {"title": "T", "text": "X"}, "kk": {"title": "Т", "text": "Х"}},  # a language added
        {"kk": {"title": "T", "text": "X"}},  # the same words filed under another language
    ],
)
def test_any_change_of_a_voted_word_is_a_new_text(change):
    assert voted_text_changed({"en": {"title": "T", "text": "X"}}, change)


@pytest.mark.parametrize(
    ("outcome", "choice", "expected"),
    [
        ("adopted", "disagree", True),
        ("adopted", "agree", False),
        ("adopted", "block", True),
        ("rejected", "agree", True),
        ("rejected", "disagree", False),
        ("rejected", "block", True),
        ("no_consensus", "disagree", True),
        ("no_consensus", "agree", False),
        ("no_consensus", "block", True),
        ("adopted", "abstain", False),
        ("rejected", "abstain", False),
    ],
)
def test_a_simple_vote_is_dissent_when_it_stands_against_the_outcome_and_a_block_always_is(outcome, choice, expected):
    assert is_dissent(choice, None, outcome=Outcome(outcome), rules=SIMPLE) is expected


@pytest.mark.parametrize(
    ("outcome", "rating", "expected"),
    [
        ("adopted", 6, True),
        ("adopted", 7, False),
        ("adopted", 9, False),
        ("adopted", 1, True),
        ("rejected", 3, False),
        ("rejected", 1, False),
        ("rejected", 4, True),
        ("rejected", 9, True),
        ("no_consensus", 6, True),
        ("no_consensus", 7, False),
    ],
)
def test_a_delphi_rating_is_dissent_when_it_lies_outside_the_band_of_the_outcome(outcome, rating, expected):
    assert is_dissent(None, rating, outcome=outcome, rules=DELPHI) is expected


def test_a_delphi_block_is_dissent_even_with_a_rating_in_the_band():
    assert is_dissent("block", 8, outcome="adopted", rules=DELPHI)
