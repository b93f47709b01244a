"""Pure rules: status paths, moderation paths, word diff, permissions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recdraft.domain.diff import new_text, old_text, tokenize, word_diff
from recdraft.domain.roles import Role, can_contribute, can_edit_recommendation, can_moderate
from recdraft.domain.statuses import (
    REC_TRANSITIONS,
    CommentStatus,
    ModerationAction,
    RecStatus,
    check_transition,
    moderation_target,
)
from recdraft.errors import InvalidTransition


def test_a_draft_cannot_jump_to_adopted():
    with pytest.raises(InvalidTransition, match="Allowed from 'draft'"):
        check_transition(RecStatus.DRAFT, RecStatus.ADOPTED)


def test_the_normal_path_draft_discussion_voting_adopted_is_allowed():
    for a, b in [("draft", "discussion"), ("discussion", "voting"), ("voting", "adopted")]:
        check_transition(RecStatus(a), RecStatus(b))


def test_merged_is_final():
    assert REC_TRANSITIONS[RecStatus.MERGED] == frozenset()


def test_every_status_has_defined_paths():
    assert set(REC_TRANSITIONS) == set(RecStatus)


@pytest.mark.parametrize(
    "current,action,target",
    [
        ("pending", "approve", "published"),
        ("pending", "reject", "rejected"),
        ("published", "hide", "hidden"),
        ("hidden", "restore", "published"),
        ("rejected", "restore", "published"),
    ],
)
def test_moderation_paths(current, action, target):
    assert moderation_target(CommentStatus(current), ModerationAction(action)) == CommentStatus(target)


def test_approving_a_hidden_comment_is_not_a_path():
    with pytest.raises(InvalidTransition):
        moderation_target(CommentStatus.HIDDEN, ModerationAction.APPROVE)


def test_observers_never_contribute_and_experts_edit_only_their_own():
    assert not can_contribute(Role.OBSERVER) and not can_contribute(None)
    assert can_edit_recommendation(Role.EXPERT, is_author=True)
    assert not can_edit_recommendation(Role.EXPERT, is_author=False)
    assert can_edit_recommendation(Role.MODERATOR, is_author=False)
    assert not can_moderate(Role.EXPERT)


def test_word_diff_marks_whole_words():
    segments = word_diff("The Society is auxiliary.", "The National Society is auxiliary.")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "The "),
        ("insert", "National "),
        ("equal", "Society is auxiliary."),
    ]


def test_word_diff_works_on_cyrillic_words():
    segments = word_diff("Қоғам көмекші рөл атқарады", "Қоғам маңызды көмекші рөл атқарады")
    assert ("insert", "маңызды ") in [(s.op, s.text) for s in segments]


@given(st.text(), st.text())
def test_diff_reconstructs_both_texts(a, b):
    segments = word_diff(a, b)
    assert old_text(segments) == a and new_text(segments) == b


@given(st.text())
def test_tokens_join_back_to_the_text(value):
    assert "".join(tokenize(value)) == value


def test_punctuation_does_not_make_a_whole_word_look_changed():
    # Issue 18: a comma added after "law" is the only change; "law" itself stays equal.
    segments = word_diff("The law applies to all.", "The law, as amended, applies to all!")
    ops = [(s.op, s.text) for s in segments]
    assert ("equal", "The law") in ops
    assert all("law" not in text for op, text in ops if op != "equal")
    assert ("delete", ".") in ops and ("insert", "!") in ops
    assert (
        old_text(segments) == "The law applies to all." and new_text(segments) == "The law, as amended, applies to all!"
    )


def test_changing_only_the_full_stop_of_a_cyrillic_sentence_marks_only_the_mark():
    segments = word_diff("Қоғам көмекші рөл атқарады.", "Қоғам көмекші рөл атқарады;")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Қоғам көмекші рөл атқарады"),
        ("delete", "."),
        ("insert", ";"),
    ]
