"""The phase table: what each role may do in each phase of a roundtable."""

from __future__ import annotations

import pytest

from recdraft.domain.phases import PHASE_ORDER, is_read_only
from recdraft.domain.policy import Action, actions, can
from recdraft.domain.roles import Phase, Role


@pytest.mark.parametrize("phase", [Phase.DRAFTING, Phase.DISCUSSION, Phase.VOTING])
def test_working_phases_let_experts_draft_comment_and_vote_but_not_configure(phase):
    assert actions(role=Role.EXPERT, phase=phase) == {Action.DRAFT, Action.COMMENT, Action.VOTE}


def test_observers_never_act_in_any_phase():
    assert all(actions(role=Role.OBSERVER, phase=p) == frozenset() for p in PHASE_ORDER)


def test_in_set_up_nobody_comments_or_votes_yet():
    for role in Role:
        assert not can(Action.COMMENT, role=role, phase=Phase.SETUP)
        assert not can(Action.VOTE, role=role, phase=Phase.SETUP, moderators_vote=True)
    assert can(Action.CONFIGURE, role=Role.ADMIN, phase=Phase.SETUP)


def test_a_final_roundtable_takes_no_drafts_comments_or_votes_but_moderation_and_export_go_on():
    for role in Role:
        for action in (Action.DRAFT, Action.COMMENT, Action.VOTE):
            assert not can(action, role=role, phase=Phase.CLOSED, moderators_vote=True)
    assert can(Action.MODERATE, role=Role.MODERATOR, phase=Phase.CLOSED)
    assert can(Action.EXPORT, role=Role.ADMIN, phase=Phase.CLOSED)


def test_an_archived_roundtable_is_read_only_but_exportable_and_can_be_unarchived_by_an_admin():
    assert is_read_only(Phase.ARCHIVED) and not is_read_only("closed")
    assert actions(role=Role.ADMIN, phase=Phase.ARCHIVED) == {Action.EXPORT, Action.CHANGE_PHASE}
    assert actions(role=Role.MODERATOR, phase=Phase.ARCHIVED) == frozenset()


def test_moderators_vote_only_when_the_roundtable_says_so():
    assert not can(Action.VOTE, role=Role.MODERATOR, phase=Phase.VOTING)
    assert can(Action.VOTE, role=Role.MODERATOR, phase=Phase.VOTING, moderators_vote=True)
    assert not can(Action.VOTE, role=Role.OBSERVER, phase=Phase.VOTING, moderators_vote=True)


def test_unknown_roles_and_phases_are_refused_not_errors():
    assert not can("draft", role="superuser", phase="drafting")
    assert not can("draft", role="expert", phase="bogus")
    assert not can("draft", role=None, phase="drafting")
