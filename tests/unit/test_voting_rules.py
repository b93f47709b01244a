"""The pure voting rules: tallies, thresholds, quorum, blocks, Delphi statistics and ballot checks."""

from __future__ import annotations

import statistics
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recdraft.domain.voting import (
    Ballot,
    Choice,
    DelphiFeedback,
    InvalidChoice,
    InvalidRating,
    Outcome,
    ReasonNotAllowed,
    ReasonRequired,
    RoundRules,
    Tally,
    VotingInputError,
    VotingMode,
    delphi_feedback,
    summarize_ratings,
    tally,
    tally_by_group,
    validate_ballot,
)
from recdraft.errors import InvalidInput, RecdraftError

SIMPLE = RoundRules()
DELPHI = RoundRules(mode=VotingMode.DELPHI)


def votes(*choices: str, start: int = 1, **extra: object) -> list[Ballot]:
    """Simple ballots for consecutive voter ids."""
    return [Ballot(voter_id=start + i, choice=Choice(c), **extra) for i, c in enumerate(choices)]


def ratings(*values: int, start: int = 1) -> list[Ballot]:
    """Delphi ballots for consecutive voter ids."""
    return [Ballot(voter_id=start + i, rating=r) for i, r in enumerate(values)]


def simple_tally(ballots: list[Ballot], eligible: int | None = None, **kwargs: object) -> Tally:
    """Tally under the default simple rules; everyone who has a ballot is eligible unless told."""
    eligible_count = len(ballots) if eligible is None else eligible
    return tally(ballots, rules=kwargs.pop("rules", SIMPLE), eligible_count=eligible_count, **kwargs)


def delphi_tally(ballots: list[Ballot], eligible: int | None = None, **kwargs: object) -> Tally:
    """Tally under the default Delphi rules."""
    eligible_count = len(ballots) if eligible is None else eligible
    return tally(ballots, rules=kwargs.pop("rules", DELPHI), eligible_count=eligible_count, **kwargs)


# --------------------------------------------------------------------------- threshold boundaries


def test_exactly_two_thirds_agree_meets_the_default_threshold() -> None:
    result = simple_tally(votes("agree", "agree", "disagree"))
    assert result.agree_share == Fraction(2, 3)
    assert result.threshold_met and result.rule_met
    assert result.outcome is Outcome.ADOPTED


def test_just_under_two_thirds_agree_does_not_meet_the_default_threshold() -> None:
    # 6 of 9 meets, 6 of 10 does not: no float rounding can make 0.6 reach 2/3.
    assert simple_tally(votes(*["agree"] * 6, *["disagree"] * 3)).outcome is Outcome.ADOPTED
    result = simple_tally(votes(*["agree"] * 6, *["disagree"] * 4))
    assert not result.threshold_met
    assert result.outcome is Outcome.NO_CONSENSUS


def test_a_decimal_threshold_means_exactly_the_decimal_as_written() -> None:
    # The binary float 0.1 is slightly above 1/10; the rule must read it as 1/10.
    rules = RoundRules(threshold=0.1)
    assert rules.threshold == Fraction(1, 10)
    result = simple_tally(votes("agree", *["disagree"] * 9), rules=rules)
    assert result.agree_share == Fraction(1, 10)
    assert result.outcome is Outcome.ADOPTED


def test_a_threshold_can_be_given_as_a_fraction_string() -> None:
    assert RoundRules(threshold="3/4").threshold == Fraction(3, 4)
    assert RoundRules(quorum=Fraction(1, 3)).quorum == Fraction(1, 3)


def test_a_unanimous_threshold_needs_every_non_abstaining_vote() -> None:
    rules = RoundRules(threshold=1)
    assert simple_tally(votes("agree", "agree", "abstain"), rules=rules).outcome is Outcome.ADOPTED
    assert simple_tally(votes("agree", "agree", "disagree"), rules=rules).outcome is Outcome.NO_CONSENSUS


# --------------------------------------------------------------------------- abstentions


def test_abstentions_are_left_out_of_the_threshold_base() -> None:
    result = simple_tally(votes("agree", "agree", "disagree", "abstain", "abstain", "abstain"))
    assert result.non_abstaining == 3
    assert result.agree_share == Fraction(2, 3)
    assert result.outcome is Outcome.ADOPTED


def test_abstentions_count_towards_the_quorum() -> None:
    result = simple_tally(votes("agree", "abstain", "abstain"), eligible=6)
    assert result.voted == 3
    assert result.quorum_met
    assert result.outcome is Outcome.ADOPTED


def test_when_everyone_abstains_the_shares_are_zero_and_there_is_no_consensus() -> None:
    result = simple_tally(votes("abstain", "abstain", "abstain"))
    assert result.quorum_met
    assert result.non_abstaining == 0
    assert result.agree_share == result.against_share == 0
    assert not result.threshold_met
    assert result.outcome is Outcome.NO_CONSENSUS


# --------------------------------------------------------------------------- rejection


def test_a_decisive_majority_against_rejects() -> None:
    result = simple_tally(votes("agree", "disagree", "disagree"))
    assert result.against_share == Fraction(2, 3)
    assert result.outcome is Outcome.REJECTED
    assert result.consensus_met and not result.rule_met


def test_blocks_count_as_votes_against_for_rejection() -> None:
    result = simple_tally(votes("agree", "disagree", "block"))
    assert result.against_share == Fraction(2, 3)
    assert result.outcome is Outcome.REJECTED


def test_a_split_vote_where_neither_side_reaches_the_threshold_is_carried_forward() -> None:
    result = simple_tally(votes("agree", "agree", "disagree", "disagree"))
    assert result.outcome is Outcome.NO_CONSENSUS
    assert not result.consensus_met


def test_with_a_half_threshold_a_tie_is_adopted_not_rejected() -> None:
    # Both sides reach 1/2; rejection needs the agree share to be below the threshold.
    rules = RoundRules(threshold=Fraction(1, 2))
    assert simple_tally(votes("agree", "disagree"), rules=rules).outcome is Outcome.ADOPTED


# --------------------------------------------------------------------------- quorum


def test_exactly_half_of_the_eligible_voting_meets_the_default_quorum() -> None:
    result = simple_tally(votes("agree", "agree"), eligible=4)
    assert result.turnout == Fraction(1, 2)
    assert result.quorum_met
    assert result.outcome is Outcome.ADOPTED


def test_below_the_quorum_even_a_unanimous_vote_is_carried_forward() -> None:
    result = simple_tally(votes("agree"), eligible=4)
    assert not result.quorum_met
    assert result.threshold_met and not result.rule_met
    assert result.outcome is Outcome.NO_CONSENSUS


def test_below_the_quorum_a_unanimous_vote_against_is_not_a_rejection() -> None:
    assert simple_tally(votes("disagree"), eligible=4).outcome is Outcome.NO_CONSENSUS


def test_zero_votes_do_not_meet_the_quorum_and_give_no_consensus() -> None:
    result = simple_tally([], eligible=5)
    assert result.voted == 0
    assert result.turnout == 0
    assert not result.quorum_met
    assert result.outcome is Outcome.NO_CONSENSUS


def test_no_eligible_voters_give_no_consensus() -> None:
    result = tally([], rules=SIMPLE, eligible_count=0)
    assert not result.quorum_met
    assert result.outcome is Outcome.NO_CONSENSUS


def test_a_full_quorum_needs_every_eligible_voter() -> None:
    rules = RoundRules(quorum=1)
    assert simple_tally(votes("agree", "agree"), eligible=3, rules=rules).outcome is Outcome.NO_CONSENSUS
    assert simple_tally(votes("agree", "agree", "abstain"), rules=rules).outcome is Outcome.ADOPTED


# --------------------------------------------------------------------------- stale and recused ballots


def test_recused_voters_are_removed_from_the_quorum_base() -> None:
    ballots = votes("agree", "agree") + [Ballot(voter_id=10, recused=True), Ballot(voter_id=11, recused=True)]
    result = simple_tally(ballots, eligible=5)
    assert result.recused == 2
    assert result.quorum_base == 3
    assert result.turnout == Fraction(2, 3)
    assert result.quorum_met  # 2 of 5 would not have been
    assert result.outcome is Outcome.ADOPTED


def test_a_recused_voters_choice_is_not_counted() -> None:
    ballots = votes("agree", "agree") + votes("disagree", start=3, recused=True)
    result = simple_tally(ballots)
    assert (result.agree, result.disagree, result.recused, result.voted) == (2, 0, 1, 2)
    assert result.outcome is Outcome.ADOPTED


def test_stale_ballots_are_reported_but_not_counted_and_stay_in_the_quorum_base() -> None:
    ballots = votes("agree") + votes("agree", "agree", start=2, stale=True)
    result = simple_tally(ballots, eligible=4)
    assert (result.voted, result.stale, result.agree) == (1, 2, 1)
    assert result.quorum_base == 4
    assert not result.quorum_met
    assert result.outcome is Outcome.NO_CONSENSUS


def test_a_ballot_both_stale_and_recused_counts_as_recused_only() -> None:
    result = simple_tally(votes("agree", "agree") + votes("agree", start=3, stale=True, recused=True))
    assert (result.stale, result.recused, result.quorum_base) == (0, 1, 2)


def test_stale_ballots_need_not_fit_the_current_mode() -> None:
    # A ballot from a simple round before the round became Delphi is only reported.
    ballots = ratings(8, 8) + votes("agree", start=3, stale=True)
    result = delphi_tally(ballots)
    assert result.stale == 1
    assert result.ratings is not None and result.ratings.count == 2


# --------------------------------------------------------------------------- blocks and overrides


def test_a_single_block_prevents_adoption_despite_a_large_majority() -> None:
    result = simple_tally(votes(*["agree"] * 9, "block"))
    assert result.threshold_met
    assert result.blocked
    assert not result.rule_met
    assert not result.block_override_applied
    assert result.outcome is Outcome.NO_CONSENSUS


def test_a_block_override_with_a_reason_allows_adoption_and_is_recorded() -> None:
    result = simple_tally(votes(*["agree"] * 9, "block"), block_override_reason="  Objection answered in para 3.  ")
    assert result.blocked
    assert result.block_override_applied
    assert result.block_override_reason == "Objection answered in para 3."
    assert result.outcome is Outcome.ADOPTED


def test_an_override_without_a_block_is_not_applied_or_recorded() -> None:
    result = simple_tally(votes("agree", "agree"), block_override_reason="just in case")
    assert not result.blocked
    assert not result.block_override_applied
    assert result.block_override_reason is None


def test_an_override_is_applied_even_when_the_threshold_is_missed_but_adopts_nothing() -> None:
    result = simple_tally(votes("agree", "disagree", "block"), block_override_reason="reviewed")
    assert result.block_override_applied
    assert result.outcome is Outcome.REJECTED


def test_a_blank_override_reason_is_refused() -> None:
    with pytest.raises(ReasonRequired, match="Overriding a block needs a reason"):
        simple_tally(votes("agree", "block"), block_override_reason=" \u200b ")


def test_when_blocks_do_not_prevent_adoption_they_count_only_as_votes_against() -> None:
    rules = RoundRules(blocks_prevent_adoption=False)
    result = simple_tally(votes(*["agree"] * 9, "block"), rules=rules)
    assert result.blocked
    assert not result.block_override_applied
    assert result.outcome is Outcome.ADOPTED
    assert simple_tally(votes("agree", "block", "block"), rules=rules).outcome is Outcome.REJECTED


def test_a_block_in_a_delphi_round_prevents_adoption_unless_overridden() -> None:
    ballots = ratings(8, 8, 8, 8) + [Ballot(voter_id=9, rating=8, choice=Choice.BLOCK)]
    blocked = delphi_tally(ballots)
    assert blocked.threshold_met and blocked.blocked
    assert blocked.outcome is Outcome.NO_CONSENSUS
    assert delphi_tally(ballots, block_override_reason="mandate checked").outcome is Outcome.ADOPTED


# --------------------------------------------------------------------------- Delphi statistics


@pytest.mark.parametrize(
    ("values", "median", "q1", "q3", "iqr"),
    [
        ([5], 5.0, 5.0, 5.0, 0.0),
        ([1, 9], 5.0, 3.0, 7.0, 4.0),
        ([7, 8, 8, 9], 8.0, 7.75, 8.25, 0.5),
        ([9, 8, 6, 4, 2], 6.0, 4.0, 8.0, 4.0),
        ([1, 2, 3, 4, 5, 6, 7, 8, 9], 5.0, 3.0, 7.0, 4.0),
        ([6, 6, 6, 7, 7, 7, 8, 8, 8, 9], 7.0, 6.25, 8.0, 1.75),
    ],
)
def test_delphi_median_and_iqr_match_hand_computed_values(
    values: list[int], median: float, q1: float, q3: float, iqr: float
) -> None:
    summary = summarize_ratings(values)
    assert (summary.median, summary.q1, summary.q3, summary.iqr) == (median, q1, q3, iqr)
    assert isinstance(summary.median, float)


def test_the_distribution_lists_every_rating_from_one_to_nine() -> None:
    summary = summarize_ratings([9, 7, 7, 3])
    assert summary.distribution == {1: 0, 2: 0, 3: 1, 4: 0, 5: 0, 6: 0, 7: 2, 8: 0, 9: 1}
    assert summary.count == 4


def test_no_ratings_give_an_empty_distribution_and_no_statistics() -> None:
    summary = summarize_ratings([])
    assert summary.count == 0
    assert set(summary.distribution.values()) == {0}
    assert summary.median is summary.iqr is summary.q1 is summary.q3 is None


# --------------------------------------------------------------------------- Delphi consensus


def test_exactly_seventy_percent_in_the_band_with_a_narrow_spread_is_consensus_to_adopt() -> None:
    result = delphi_tally(ratings(6, 6, 6, 7, 7, 7, 8, 8, 8, 9))
    assert result.band_share == Fraction(7, 10)
    assert result.iqr_met
    assert result.outcome is Outcome.ADOPTED
    assert result.rule_met and result.consensus_met


def test_sixty_percent_in_the_band_is_no_consensus() -> None:
    result = delphi_tally(ratings(6, 6, 6, 6, 7, 7, 7, 8, 8, 8))
    assert result.band_share == Fraction(6, 10)
    assert result.outcome is Outcome.NO_CONSENSUS


def test_a_wide_spread_prevents_consensus_even_with_enough_ratings_in_the_band() -> None:
    result = delphi_tally(ratings(1, 1, 1, 7, 7, 7, 9, 9, 9, 9))
    assert result.band_share == Fraction(7, 10)
    assert result.ratings is not None and result.ratings.iqr == 6.5
    assert not result.iqr_met
    assert result.outcome is Outcome.NO_CONSENSUS


def test_an_iqr_exactly_at_the_limit_meets_it() -> None:
    result = delphi_tally(ratings(7, 7, 9, 9))
    assert result.ratings is not None and result.ratings.iqr == 2.0
    assert result.outcome is Outcome.ADOPTED
    tighter = RoundRules(mode=VotingMode.DELPHI, delphi_max_iqr=1.5)
    assert delphi_tally(ratings(7, 7, 9, 9), rules=tighter).outcome is Outcome.NO_CONSENSUS


def test_most_ratings_in_one_to_three_with_a_narrow_spread_is_consensus_to_reject() -> None:
    result = delphi_tally(ratings(1, 1, 1, 2, 2, 2, 3, 3, 3, 5))
    assert result.reject_share == Fraction(9, 10)
    assert result.outcome is Outcome.REJECTED


def test_consensus_to_reject_can_be_switched_off() -> None:
    rules = RoundRules(mode=VotingMode.DELPHI, delphi_rejection=False)
    assert delphi_tally(ratings(1, 1, 2, 2, 3), rules=rules).outcome is Outcome.NO_CONSENSUS


def test_a_custom_agreement_band_and_share_are_used() -> None:
    rules = RoundRules(mode=VotingMode.DELPHI, delphi_band_low=6, delphi_agreement_share=Fraction(3, 5))
    result = delphi_tally(ratings(6, 6, 6, 5, 5), rules=rules)
    assert result.band_share == Fraction(3, 5)
    assert result.outcome is Outcome.ADOPTED


def test_a_delphi_round_below_the_quorum_has_no_consensus() -> None:
    result = delphi_tally(ratings(8, 8), eligible=5)
    assert not result.quorum_met
    assert result.outcome is Outcome.NO_CONSENSUS


def test_a_delphi_round_with_no_ratings_has_no_consensus() -> None:
    result = delphi_tally([], eligible=3)
    assert result.band_share == 0 and result.iqr_met is False
    assert result.outcome is Outcome.NO_CONSENSUS


def test_a_simple_tally_has_no_delphi_figures_and_a_delphi_tally_no_simple_shares() -> None:
    simple = simple_tally(votes("agree"))
    assert simple.ratings is simple.band_share is simple.iqr_met is None
    delphi = delphi_tally(ratings(8))
    assert delphi.agree_share is delphi.non_abstaining is None


# --------------------------------------------------------------------------- Delphi feedback


def test_delphi_feedback_shows_the_spread_and_the_voters_previous_rating() -> None:
    feedback = delphi_feedback({11: 7, 12: 8, 13: 8, 14: 9}, 12)
    assert isinstance(feedback, DelphiFeedback)
    assert feedback.your_rating == 8
    assert (feedback.median, feedback.iqr, feedback.count) == (8.0, 0.5, 4)
    assert feedback.distribution[8] == 2


def test_delphi_feedback_for_a_voter_who_did_not_rate_has_no_previous_rating() -> None:
    assert delphi_feedback({1: 5}, 2).your_rating is None
    empty = delphi_feedback({}, 1)
    assert empty.count == 0 and empty.median is None and empty.your_rating is None


def test_delphi_feedback_refuses_ratings_off_the_scale() -> None:
    with pytest.raises(InvalidRating):
        delphi_feedback({1: 10}, 1)


# --------------------------------------------------------------------------- groups


GROUPS = {"ICRC": 3, "Red Crescent Society": 2, "Faculty": 2, "Parliament": 2}


def grouped_ballots() -> list[Ballot]:
    """ICRC and Faculty agree; the Red Crescent Society disagrees; Parliament is split."""
    plan = [
        ("ICRC", "agree"), ("ICRC", "agree"), ("ICRC", "abstain"),
        ("Red Crescent Society", "disagree"), ("Red Crescent Society", "disagree"),
        ("Faculty", "agree"), ("Faculty", "agree"),
        ("Parliament", "agree"), ("Parliament", "disagree"),
    ]  # fmt: skip
    return [Ballot(voter_id=i, group=g, choice=Choice(c)) for i, (g, c) in enumerate(plan, 1)]


def test_group_tallies_sum_to_the_overall_tally() -> None:
    result = tally_by_group(grouped_ballots(), rules=SIMPLE, eligible_by_group=GROUPS)
    assert list(result.groups) == list(GROUPS)
    for field in ("agree", "disagree", "abstain", "block", "voted", "eligible", "stale", "recused"):
        assert sum(getattr(t, field) for t in result.groups.values()) == getattr(result.overall, field)


def test_each_group_is_decided_under_the_same_rules_on_its_own_votes() -> None:
    result = tally_by_group(grouped_ballots(), rules=SIMPLE, eligible_by_group=GROUPS)
    assert result.overall.group is None
    assert result.overall.agree_share == Fraction(5, 8)
    assert result.overall.outcome is Outcome.NO_CONSENSUS
    outcomes = {name: t.outcome for name, t in result.groups.items()}
    assert outcomes == {
        "ICRC": Outcome.ADOPTED,
        "Red Crescent Society": Outcome.REJECTED,
        "Faculty": Outcome.ADOPTED,
        "Parliament": Outcome.NO_CONSENSUS,
    }
    assert result.groups["ICRC"].group == "ICRC"


def test_tally_for_one_group_equals_that_groups_entry() -> None:
    result = tally_by_group(grouped_ballots(), rules=SIMPLE, eligible_by_group=GROUPS)
    alone = tally(grouped_ballots(), rules=SIMPLE, eligible_count=2, group="Faculty")
    assert alone == result.groups["Faculty"]


def test_a_group_without_ballots_still_gets_a_tally() -> None:
    result = tally_by_group(grouped_ballots(), rules=SIMPLE, eligible_by_group={**GROUPS, "Observers": 4})
    observers = result.groups["Observers"]
    assert observers.voted == 0 and observers.outcome is Outcome.NO_CONSENSUS
    assert result.overall.eligible == 13


def test_voters_without_a_group_count_only_in_the_overall_tally() -> None:
    ballots = grouped_ballots() + [Ballot(voter_id=99, choice=Choice.AGREE)]
    result = tally_by_group(ballots, rules=SIMPLE, eligible_by_group=GROUPS, eligible_count=10)
    assert result.overall.voted == 10
    assert sum(t.voted for t in result.groups.values()) == 9


def test_a_ballot_naming_an_unknown_group_is_refused() -> None:
    with pytest.raises(ValueError, match="no eligible count: Press"):
        tally_by_group([Ballot(voter_id=1, group="Press", choice=Choice.AGREE)], rules=SIMPLE, eligible_by_group=GROUPS)


def test_an_overall_eligible_count_smaller_than_the_groups_is_refused() -> None:
    with pytest.raises(ValueError, match="more than eligible_count"):
        tally_by_group([], rules=SIMPLE, eligible_by_group=GROUPS, eligible_count=3)


# --------------------------------------------------------------------------- inconsistent tally input


def test_two_ballots_from_one_voter_are_refused() -> None:
    with pytest.raises(ValueError, match="voter 1 has more than one ballot"):
        simple_tally([Ballot(voter_id=1, choice=Choice.AGREE), Ballot(voter_id=1, choice=Choice.BLOCK)])


def test_more_ballots_than_eligible_voters_are_refused() -> None:
    with pytest.raises(ValueError, match="3 ballots but only 2 eligible voters"):
        simple_tally(votes("agree", "agree", "agree"), eligible=2)


def test_a_counted_ballot_that_does_not_fit_the_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit a simple round"):
        simple_tally(ratings(8))
    with pytest.raises(ValueError, match="does not fit a Delphi round"):
        delphi_tally(votes("agree"))


@pytest.mark.parametrize("bad", [-1, True, 2.0])
def test_an_eligible_count_must_be_a_whole_number_of_at_least_zero(bad: object) -> None:
    with pytest.raises(ValueError, match="eligible_count must be a whole number"):
        tally([], rules=SIMPLE, eligible_count=bad)  # type: ignore[arg-type]


def test_a_tally_survives_a_json_round_trip() -> None:
    result = simple_tally(votes("agree", "agree", "block"), block_override_reason="ok")
    assert Tally.model_validate_json(result.model_dump_json()) == result
    delphi = delphi_tally(ratings(7, 8, 9))
    assert Tally.model_validate_json(delphi.model_dump_json()) == delphi


def test_tallies_and_rules_are_immutable() -> None:
    result = simple_tally(votes("agree"))
    with pytest.raises(ValidationError):
        result.outcome = Outcome.REJECTED  # type: ignore[misc]
    with pytest.raises(ValidationError):
        SIMPLE.threshold = Fraction(1, 2)  # type: ignore[misc]


# --------------------------------------------------------------------------- round rules validation


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quorum", 0, "quorum must be greater than 0 and at most 1; got 0"),
        ("quorum", 1.5, "quorum must be greater than 0 and at most 1; got 1.5"),
        ("threshold", 0, "threshold must be greater than 0 and at most 1"),
        ("threshold", "4/3", "threshold must be greater than 0 and at most 1; got 4/3"),
        ("delphi_agreement_share", -0.1, "delphi_agreement_share must be greater than 0 and at most 1"),
        ("delphi_band_high", 10, "delphi_band_high must be from 1 to 9; got 10"),
        ("delphi_band_low", 0, "delphi_band_low must be from 1 to 9; got 0"),
        ("delphi_max_iqr", -1, "delphi_max_iqr must be at least 0; got -1"),
        ("quorum", True, "must be a number, not true/false"),
        ("quorum", float("nan"), "must be a finite number"),
        ("threshold", "two thirds", "must be a number or a fraction such as 2/3"),
    ],
)
def test_round_rules_out_of_range_are_refused_with_the_limit_in_the_message(
    field: str, value: object, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        RoundRules(**{field: value})


def test_the_agreement_band_must_run_from_low_to_high() -> None:
    message = r"delphi_band_low \(9\) must be at most delphi_band_high \(8\)"
    with pytest.raises(ValidationError, match=message):
        RoundRules(delphi_band_low=9, delphi_band_high=8)


def test_the_agreement_band_must_stay_clear_of_the_rejection_band_while_rejection_is_on() -> None:
    message = "delphi_band_low must be at least 4 while delphi_rejection is on"
    with pytest.raises(ValidationError, match=message):
        RoundRules(delphi_band_low=3)
    assert RoundRules(delphi_band_low=3, delphi_rejection=False).delphi_band_low == 3


def test_round_rules_have_the_documented_defaults() -> None:
    rules = RoundRules()
    assert rules.mode is VotingMode.SIMPLE
    assert (rules.quorum, rules.threshold) == (Fraction(1, 2), Fraction(2, 3))
    assert rules.blocks_prevent_adoption and rules.delphi_rejection
    assert rules.delphi_agreement_share == Fraction(7, 10)
    assert (rules.delphi_band_low, rules.delphi_band_high, rules.delphi_max_iqr) == (7, 9, 2)
    assert not rules.anonymous and not rules.blind


def test_unknown_round_rule_settings_are_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        RoundRules(supermajority=True)  # type: ignore[call-arg]


def test_a_ballot_rating_off_the_scale_or_a_bool_is_refused() -> None:
    with pytest.raises(ValidationError, match="rating must be from 1 to 9; got 0"):
        Ballot(voter_id=1, rating=0)
    with pytest.raises(ValidationError):
        Ballot(voter_id=1, rating=True)


def test_a_blank_ballot_group_means_no_group() -> None:
    assert Ballot(voter_id=1, group="  ").group is None
    assert Ballot(voter_id=1, group=" ICRC ").group == "ICRC"


# --------------------------------------------------------------------------- ballot validation


def test_a_block_always_needs_a_reason() -> None:
    with pytest.raises(ReasonRequired, match="A block needs a reason") as caught:
        validate_ballot(VotingMode.SIMPLE, Choice.BLOCK, None, None)
    assert caught.value.field == "reason"
    with pytest.raises(ReasonRequired):
        validate_ballot("simple", "block", None, "   \n ")
    with pytest.raises(ReasonRequired):
        validate_ballot(VotingMode.DELPHI, Choice.BLOCK, 2, "")


def test_a_block_with_a_reason_is_accepted_and_the_reason_cleaned() -> None:
    ballot = validate_ballot("simple", "block", None, "  Conflicts with IHL Art. 3\r\n ")
    assert ballot.choice is Choice.BLOCK
    assert ballot.reason == "Conflicts with IHL Art. 3"


def test_disagree_takes_an_optional_reason() -> None:
    assert validate_ballot("simple", "disagree", None, None).reason is None
    assert validate_ballot("simple", "disagree", None, " ").reason is None
    assert validate_ballot("simple", "disagree", None, "too vague").reason == "too vague"


def test_an_abstention_takes_no_reason() -> None:
    with pytest.raises(ReasonNotAllowed, match="abstention takes no reason"):
        validate_ballot("simple", "abstain", None, "because")
    assert validate_ballot("simple", "abstain", None, "").reason is None


def test_agree_takes_an_optional_reason_which_is_the_dissent_when_the_text_is_rejected() -> None:
    assert validate_ballot("simple", "agree", None, "").reason is None
    assert validate_ballot("simple", "agree", None, " Worth adopting ").reason == "Worth adopting"


def test_a_simple_vote_needs_a_choice() -> None:
    with pytest.raises(InvalidChoice, match="Choose agree, disagree, abstain or block") as caught:
        validate_ballot("simple", None, None, None)
    assert caught.value.field == "choice"


def test_an_unknown_choice_is_refused() -> None:
    with pytest.raises(InvalidChoice, match="Unknown choice 'maybe'"):
        validate_ballot("simple", "maybe", None, None)


def test_a_simple_vote_takes_no_rating() -> None:
    with pytest.raises(InvalidRating, match="A simple vote takes a choice .* not a rating"):
        validate_ballot("simple", "agree", 7, None)


def test_a_delphi_vote_needs_a_rating() -> None:
    with pytest.raises(InvalidRating, match="A Delphi vote needs a rating from 1 to 9"):
        validate_ballot("delphi", None, None, None)


@pytest.mark.parametrize(
    ("rating", "message"),
    [
        (0, "must be from 1 to 9; got 0"),
        (10, "must be from 1 to 9; got 10"),
        (True, "must be a whole number from 1 to 9"),
        (7.0, "must be a whole number from 1 to 9"),
        ("7", "must be a whole number from 1 to 9"),
    ],
)
def test_a_delphi_rating_must_be_a_whole_number_from_one_to_nine(rating: object, message: str) -> None:
    with pytest.raises(InvalidRating, match=message):
        validate_ballot("delphi", None, rating, None)  # type: ignore[arg-type]


def test_a_delphi_rating_may_carry_a_reason_and_a_block() -> None:
    ballot = validate_ballot("delphi", None, 9, "evidence from Yemen")
    assert (ballot.choice, ballot.rating, ballot.reason) == (None, 9, "evidence from Yemen")
    assert validate_ballot("delphi", "block", 1, "mandate").choice is Choice.BLOCK


def test_a_delphi_vote_takes_no_choice_other_than_block() -> None:
    with pytest.raises(InvalidChoice, match="the only choice that can be added is block"):
        validate_ballot("delphi", "agree", 8, None)


def test_ballot_errors_are_value_errors_and_recdraft_input_errors() -> None:
    with pytest.raises(VotingInputError) as caught:
        validate_ballot("simple", None, None, None)
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, InvalidInput)
    assert isinstance(caught.value, RecdraftError)
    assert str(caught.value) == "Choose agree, disagree, abstain or block."


# --------------------------------------------------------------------------- properties

CHOICES = list(Choice)
NO_BLOCK = [Choice.AGREE, Choice.DISAGREE, Choice.ABSTAIN]
GROUP_NAMES = ["ICRC", "Red Crescent Society", "Faculty", "Parliament"]

shares = st.builds(Fraction, st.integers(1, 12), st.just(12))


@st.composite
def simple_rules(draw: st.DrawFn) -> RoundRules:
    """Simple-mode rules with random quorum, threshold and block setting."""
    return RoundRules(quorum=draw(shares), threshold=draw(shares), blocks_prevent_adoption=draw(st.booleans()))


@st.composite
def delphi_rules(draw: st.DrawFn) -> RoundRules:
    """Delphi rules with random shares, band and IQR limit."""
    low = draw(st.integers(4, 9))
    return RoundRules(
        mode=VotingMode.DELPHI,
        quorum=draw(shares),
        delphi_agreement_share=draw(shares),
        delphi_band_low=low,
        delphi_band_high=draw(st.integers(low, 9)),
        delphi_max_iqr=draw(st.sampled_from([0, 0.5, 1, 2, 3.5])),
        delphi_rejection=draw(st.booleans()),
    )


@st.composite
def simple_ballots(draw: st.DrawFn, choices: list[Choice] = CHOICES, max_size: int = 25) -> list[Ballot]:
    """Simple ballots with distinct voters, some stale or recused, in random groups."""
    rows = draw(
        st.lists(
            st.tuples(st.sampled_from(choices), st.booleans(), st.booleans(), st.sampled_from(GROUP_NAMES)),
            max_size=max_size,
        )
    )
    return [
        Ballot(voter_id=i, choice=c, stale=s and i % 3 == 0, recused=r and i % 4 == 0, group=g)
        for i, (c, s, r, g) in enumerate(rows)
    ]


@st.composite
def delphi_ballots(draw: st.DrawFn) -> list[Ballot]:
    """Delphi ballots with distinct voters, a few blocks, some stale or recused."""
    rows = draw(st.lists(st.tuples(st.integers(1, 9), st.integers(0, 9)), max_size=25))
    return [
        Ballot(
            voter_id=i,
            rating=rating,
            choice=Choice.BLOCK if flag == 0 else None,
            stale=flag == 1,
            recused=flag == 2,
        )
        for i, (rating, flag) in enumerate(rows)
    ]


def _shares(result: Tally) -> list[Fraction]:
    """Every share a tally reports, skipping the ones its mode leaves out."""
    values = [
        result.turnout, result.agree_share, result.disagree_share, result.block_share,
        result.against_share, result.band_share, result.reject_share,
    ]  # fmt: skip
    return [v for v in values if v is not None]


@given(ballots=simple_ballots(), rules=simple_rules(), extra=st.integers(0, 10))
def test_property_counts_sum_to_the_number_of_counted_ballots(
    ballots: list[Ballot], rules: RoundRules, extra: int
) -> None:
    result = tally(ballots, rules=rules, eligible_count=len(ballots) + extra)
    counted = [b for b in ballots if not b.stale and not b.recused]
    assert sum(result.counts.values()) == result.voted == len(counted)
    assert result.voted + result.stale + result.recused == len(ballots)
    assert result.quorum_base == len(ballots) + extra - result.recused


@given(ballots=simple_ballots(), rules=simple_rules(), extra=st.integers(0, 10))
def test_property_simple_shares_lie_between_zero_and_one(ballots: list[Ballot], rules: RoundRules, extra: int) -> None:
    result = tally(ballots, rules=rules, eligible_count=len(ballots) + extra)
    assert all(0 <= share <= 1 for share in _shares(result))


@given(ballots=delphi_ballots(), rules=delphi_rules(), extra=st.integers(0, 10))
def test_property_delphi_shares_lie_between_zero_and_one(ballots: list[Ballot], rules: RoundRules, extra: int) -> None:
    result = tally(ballots, rules=rules, eligible_count=len(ballots) + extra)
    assert all(0 <= share <= 1 for share in _shares(result))
    assert result.ratings is not None and result.ratings.count == result.voted


@given(ballots=simple_ballots(choices=NO_BLOCK), rules=simple_rules(), extra=st.integers(1, 10))
def test_property_adding_an_agree_vote_never_undoes_an_adoption_without_blocks(
    ballots: list[Ballot], rules: RoundRules, extra: int
) -> None:
    eligible = len(ballots) + extra
    before = tally(ballots, rules=rules, eligible_count=eligible)
    one_more = ballots + [Ballot(voter_id=10_000, choice=Choice.AGREE)]
    after = tally(one_more, rules=rules, eligible_count=eligible)
    if before.outcome is Outcome.ADOPTED:
        assert after.outcome is Outcome.ADOPTED
    if after.outcome is Outcome.REJECTED:
        assert before.outcome is not Outcome.ADOPTED


@given(data=st.data(), ballots=simple_ballots(), rules=simple_rules(), extra=st.integers(0, 5))
def test_property_a_simple_tally_does_not_depend_on_ballot_order(
    data: st.DataObject, ballots: list[Ballot], rules: RoundRules, extra: int
) -> None:
    shuffled = data.draw(st.permutations(ballots))
    eligible = len(ballots) + extra
    in_order = tally(ballots, rules=rules, eligible_count=eligible)
    assert tally(shuffled, rules=rules, eligible_count=eligible) == in_order


@given(data=st.data(), ballots=delphi_ballots(), rules=delphi_rules(), extra=st.integers(0, 5))
def test_property_a_delphi_tally_does_not_depend_on_ballot_order(
    data: st.DataObject, ballots: list[Ballot], rules: RoundRules, extra: int
) -> None:
    shuffled = data.draw(st.permutations(ballots))
    eligible = len(ballots) + extra
    in_order = tally(ballots, rules=rules, eligible_count=eligible)
    assert tally(shuffled, rules=rules, eligible_count=eligible) == in_order


@given(values=st.lists(st.integers(1, 9), min_size=1, max_size=60))
def test_property_the_median_lies_within_the_ratings_and_the_iqr_is_not_negative(values: list[int]) -> None:
    summary = summarize_ratings(values)
    assert summary.median is not None and summary.iqr is not None
    assert min(values) <= summary.median <= max(values)
    assert summary.iqr >= 0
    assert sum(summary.distribution.values()) == len(values)


@given(values=st.lists(st.integers(1, 9), min_size=2, max_size=60))
def test_property_quartiles_match_the_standard_library_inclusive_method(values: list[int]) -> None:
    summary = summarize_ratings(values)
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert (summary.q1, summary.q3) == pytest.approx((q1, q3), abs=1e-12)
    assert summary.median == pytest.approx(statistics.median(values), abs=1e-12)
    assert summary.median == pytest.approx(q2, abs=1e-12)


@settings(max_examples=60)
@given(ballots=simple_ballots(), rules=simple_rules(), extra=st.integers(0, 3))
def test_property_group_tallies_sum_to_the_overall(ballots: list[Ballot], rules: RoundRules, extra: int) -> None:
    eligible = {name: sum(1 for b in ballots if b.group == name) + extra for name in GROUP_NAMES}
    result = tally_by_group(ballots, rules=rules, eligible_by_group=eligible)
    fields = ("agree", "disagree", "abstain", "block", "voted", "stale", "recused", "eligible", "quorum_base")
    for field in fields:
        assert sum(getattr(t, field) for t in result.groups.values()) == getattr(result.overall, field)
    assert result.overall == tally(ballots, rules=rules, eligible_count=sum(eligible.values()))


def test_ballot_and_rule_errors_are_told_in_kazakh_and_russian_too():
    """The domain's refusals carry catalogue keys: a Kazakh or Russian voter reads them in their language."""
    with pytest.raises(ReasonRequired) as refused:
        validate_ballot(VotingMode.SIMPLE, "block", None, "  ")
    assert str(refused.value) == "A block needs a reason: say what would have to change for you to lift it."
    assert {refused.value.text("kk"), refused.value.text("ru")}.isdisjoint({str(refused.value)})
    with pytest.raises(InvalidRating) as rating:
        validate_ballot(VotingMode.DELPHI, None, 12, None)
    assert "12" in rating.value.text("ru") and rating.value.text("ru") != str(rating.value)
    with pytest.raises(ValidationError) as rules:
        RoundRules(quorum=0)
    error = rules.value.errors()[0]["ctx"]["error"]
    assert str(error) == "quorum must be greater than 0 and at most 1; got 0"
    assert error.msg.render("ru").startswith("кворум")
