"""How votes are counted and when a recommendation is adopted, rejected or carried forward.

Experts vote on each recommendation in a round. A round follows one of two modes.

**Simple vote.** Each expert chooses *agree*, *disagree*, *abstain* or *block*.

- *Quorum*: the round counts only if enough of the eligible experts voted (default: half).
  Abstentions and blocks count as having voted. Experts who recused themselves (a conflict of
  interest) are taken out of the eligible number: recusing does not count as staying away.
  A vote cast on an earlier version of the text ("stale") is not counted: that expert still
  has to vote again on the current text, and stays in the eligible number.
- *Threshold*: the share of *agree* among the experts who took a side, i.e.
  agree / (agree + disagree + block). Abstentions are left out of this share. The default
  threshold is two thirds, and reaching it exactly is enough: 2 agree out of 3 is adopted.
- *Block*: a block is a serious objection and always comes with a reason. One block stops
  adoption, however large the majority, unless the facilitator overrides it and records why;
  the override and its reason are kept with the result. A round may be set so that blocks
  count only as votes against.
- *Outcome*: **adopted** when the quorum is met, the threshold is reached and no block stands.
  **Rejected** when the quorum is met, the threshold is not reached and the votes against
  (disagree + block) themselves reach the threshold. Otherwise there is **no consensus** and
  the recommendation is carried forward to be revised and voted on again.

**Delphi round.** Each expert rates the recommendation from 1 (reject) to 9 (fully agree) and
may explain the rating. Between rounds everyone sees, anonymously, how the ratings spread out
(how many gave each rating, the median and the interquartile range) and their own previous rating.

- The same quorum applies.
- *Consensus to adopt*: at least 70 % of the ratings lie in the agreement band (default 7–9)
  and the ratings are close together: the interquartile range is at most 2.
- *Consensus to reject* (can be switched off): at least the same share of ratings lie in 1–3,
  again with an interquartile range of at most 2, and there is no consensus to adopt.
- Otherwise there is no consensus and the recommendation goes to another round.
- A Delphi rating may be accompanied by a block, with the same effect as in a simple vote.

All shares are compared as exact fractions, never as rounded decimals, so a share that equals
the threshold always meets it. A threshold written as a decimal (0.7) means exactly that
decimal (7/10). With no votes at all the quorum is not met and there is no consensus.

The median and the quartiles follow Python's ``statistics.quantiles(ratings, n=4,
method="inclusive")``: the ratings are sorted and the quartiles are read off by linear
interpolation between neighbouring ratings, with the lowest rating at 0 % and the highest at
100 %. With a single rating, median and both quartiles equal that rating and the IQR is 0.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StrictBool,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from recdraft.domain.text import clean_text, is_blank
from recdraft.errors import InvalidInput, InvalidValue, Word

__all__ = [
    "MIN_RATING",
    "MAX_RATING",
    "REJECTION_BAND",
    "Choice",
    "VotingMode",
    "Outcome",
    "RoundRules",
    "Ballot",
    "RatingSummary",
    "DelphiFeedback",
    "Tally",
    "GroupTallies",
    "ValidBallot",
    "VotingInputError",
    "InconsistentTally",
    "InvalidChoice",
    "InvalidRating",
    "ReasonRequired",
    "ReasonNotAllowed",
    "tally",
    "tally_by_group",
    "summarize_ratings",
    "delphi_feedback",
    "validate_ballot",
    "clean_override_reason",
    "is_dissent",
]

MIN_RATING = 1
MAX_RATING = 9
# Ratings in this band count towards a Delphi consensus to reject.
REJECTION_BAND: tuple[int, int] = (1, 3)


# --------------------------------------------------------------------------- enums


class Choice(StrEnum):
    """What an expert chooses in a simple vote."""

    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"
    BLOCK = "block"


class VotingMode(StrEnum):
    """Simple vote (agree/disagree/abstain/block) or Delphi rating (1–9)."""

    SIMPLE = "simple"
    DELPHI = "delphi"


class Outcome(StrEnum):
    """The result of a round for one recommendation."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    NO_CONSENSUS = "no_consensus"  # carried forward: revise and vote again


# --------------------------------------------------------------------------- errors


class VotingInputError(InvalidInput, ValueError):
    """A ballot or override a person can fix; both a recdraft ``InvalidInput`` and a ``ValueError``."""


class InconsistentTally(ValueError):
    """The caller (a service, a test) passed a tally that cannot be: two ballots of one voter, more ballots than
    eligible voters, a ballot that does not fit the round's mode. A programming error that never reaches a
    person, so its message is plain English for the developer and not in the catalogues."""


class InvalidChoice(VotingInputError):
    """The choice is missing, unknown or not allowed in this voting mode."""


class InvalidRating(VotingInputError):
    """The Delphi rating is missing, not a whole number, or outside 1–9."""


class ReasonRequired(VotingInputError):
    """A block (or a block override) was given without a reason."""


class ReasonNotAllowed(VotingInputError):
    """A reason was given with a choice that does not take one (agree, abstain)."""


# --------------------------------------------------------------------------- helpers


def _to_fraction(value: Any) -> Fraction:
    """Read a share or limit exactly: ints, Fractions, "2/3", and decimals as written (0.7 → 7/10)."""
    if isinstance(value, bool):
        raise InvalidValue("svc.voting.rules.not_bool")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidValue("svc.voting.rules.finite")
        return Fraction(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidValue("svc.voting.rules.finite")
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise InvalidValue("svc.voting.rules.number") from None
    raise InvalidValue("svc.voting.rules.number")


ExactNumber = Annotated[Fraction, BeforeValidator(_to_fraction)]


def _fmt(value: Fraction) -> str:
    """Show an exact number the way a person would write it: 1, 0.7 or 2/3."""
    if value.denominator == 1:
        return str(value.numerator)
    as_float = float(value)
    return repr(as_float) if Fraction(repr(as_float)) == value else str(value)


def _share(part: int, whole: int) -> Fraction:
    """``part / whole`` as an exact fraction; 0 when ``whole`` is 0."""
    return Fraction(part, whole) if whole else Fraction(0)


def _check_rating(rating: Any) -> int:
    """Return ``rating`` if it is an int from 1 to 9 (bool refused); raise InvalidRating otherwise."""
    if isinstance(rating, bool) or not isinstance(rating, int):
        raise InvalidRating("svc.voting.rating_whole", low=MIN_RATING, high=MAX_RATING, field="rating")
    if not MIN_RATING <= rating <= MAX_RATING:
        raise InvalidRating("svc.voting.rating_range", low=MIN_RATING, high=MAX_RATING, rating=rating, field="rating")
    return rating


def _check_count(name: str, value: Any) -> int:
    """Return ``value`` if it is a non-negative int (bool refused); raise InconsistentTally otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InconsistentTally(f"{name} must be a whole number of at least 0; got {value!r}")
    return value


class _Frozen(BaseModel):
    """Immutable, validated, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- rules


class RoundRules(_Frozen):
    """How a round is decided; every share is an exact fraction between 0 (exclusive) and 1."""

    mode: VotingMode = VotingMode.SIMPLE
    quorum: ExactNumber = Fraction(1, 2)
    threshold: ExactNumber = Fraction(2, 3)
    blocks_prevent_adoption: StrictBool = True
    delphi_agreement_share: ExactNumber = Fraction(7, 10)
    delphi_band_low: StrictInt = 7
    delphi_band_high: StrictInt = 9
    delphi_max_iqr: ExactNumber = Fraction(2)
    delphi_rejection: StrictBool = True
    anonymous: StrictBool = False
    blind: StrictBool = False

    @field_validator("quorum", "threshold", "delphi_agreement_share")
    @classmethod
    def _share_in_range(cls, value: Fraction, info: ValidationInfo) -> Fraction:
        """Shares must be greater than 0 and at most 1."""
        if not 0 < value <= 1:
            raise InvalidValue("svc.voting.rules.share_range", name=Word(str(info.field_name)), value=_fmt(value))
        return value

    @field_validator("delphi_band_low", "delphi_band_high")
    @classmethod
    def _band_in_scale(cls, value: int, info: ValidationInfo) -> int:
        """Band edges lie on the 1–9 scale."""
        if not MIN_RATING <= value <= MAX_RATING:
            raise InvalidValue(
                "svc.voting.rules.on_scale",
                name=Word(str(info.field_name)),
                low=MIN_RATING,
                high=MAX_RATING,
                value=value,
            )
        return value

    @field_validator("delphi_max_iqr")
    @classmethod
    def _iqr_not_negative(cls, value: Fraction) -> Fraction:
        """The largest allowed interquartile range is at least 0."""
        if value < 0:
            raise InvalidValue("svc.voting.rules.iqr_negative", value=_fmt(value))
        return value

    @model_validator(mode="after")
    def _band_ordered(self) -> RoundRules:
        """The agreement band runs low → high and stays clear of the rejection band when that is on."""
        if self.delphi_band_low > self.delphi_band_high:
            raise InvalidValue("svc.voting.rules.band_order", low=self.delphi_band_low, high=self.delphi_band_high)
        if self.delphi_rejection and self.delphi_band_low <= REJECTION_BAND[1]:
            raise InvalidValue(
                "svc.voting.rules.band_clear",
                least=REJECTION_BAND[1] + 1,
                reject_low=REJECTION_BAND[0],
                reject_high=REJECTION_BAND[1],
                value=self.delphi_band_low,
            )
        return self


# --------------------------------------------------------------------------- ballots


class Ballot(_Frozen):
    """One voter's current ballot as the services read it; one per voter per recommendation."""

    voter_id: StrictInt
    choice: Choice | None = None
    rating: StrictInt | None = None
    group: str | None = None
    stale: StrictBool = False  # cast on an earlier version of the text: reported, not counted
    recused: StrictBool = False  # voter declared a conflict of interest: reported, not counted

    @field_validator("rating")
    @classmethod
    def _rating_in_scale(cls, value: int | None) -> int | None:
        """Ratings lie on the 1–9 scale."""
        if value is not None and not MIN_RATING <= value <= MAX_RATING:
            raise InvalidValue(
                "svc.voting.rules.on_scale", name=Word("rating"), low=MIN_RATING, high=MAX_RATING, value=value
            )
        return value

    @field_validator("group")
    @classmethod
    def _group_trimmed(cls, value: str | None) -> str | None:
        """Group names are trimmed; a blank group means no group."""
        if value is None:
            return None
        value = value.strip()
        return value or None

    @property
    def counted(self) -> bool:
        """True when this ballot counts: neither stale nor recused."""
        return not (self.stale or self.recused)


class ValidBallot(_Frozen):
    """A ballot's content after ``validate_ballot``: the choice, rating and cleaned reason to store."""

    choice: Choice | None
    rating: int | None
    reason: str | None


def _clean_reason(reason: str | None) -> str | None:
    """Cleaned, trimmed reason text; None when blank."""
    if reason is None:
        return None
    if not isinstance(reason, str):
        raise TypeError(f"reason must be text or None, not {type(reason).__name__}")
    if is_blank(reason):
        return None
    return clean_text(reason).strip()


def validate_ballot(
    mode: VotingMode | str,
    choice: Choice | str | None,
    rating: int | None,
    reason: str | None,
) -> ValidBallot:
    """Check a ballot before it is stored and return it cleaned; raise a ``VotingInputError`` if invalid."""
    mode = VotingMode(mode)
    if choice is not None:
        try:
            choice = Choice(choice)
        except ValueError:
            raise InvalidChoice("svc.voting.unknown_choice", choice=repr(choice), field="choice") from None
    text = _clean_reason(reason)

    if mode is VotingMode.SIMPLE:
        if rating is not None:
            raise InvalidRating("svc.voting.simple_no_rating", field="rating")
        if choice is None:
            raise InvalidChoice("svc.vote_choose", field="choice")
        # An agree vote may carry a reason: when the text is rejected, that reason is the dissenting
        # opinion (``is_dissent``). An abstention takes no side, so it carries none.
        if choice is Choice.ABSTAIN and text is not None:
            raise ReasonNotAllowed("svc.record.abstain_no_reason", field="reason")
    else:
        if rating is None:
            raise InvalidRating("svc.voting.delphi_needs_rating", low=MIN_RATING, high=MAX_RATING, field="rating")
        _check_rating(rating)
        if choice not in (None, Choice.BLOCK):
            raise InvalidChoice("svc.voting.delphi_only_block", field="choice")

    if choice is Choice.BLOCK and text is None:
        raise ReasonRequired("svc.vote_block_reason", field="reason")
    return ValidBallot(choice=choice, rating=rating, reason=text)


def clean_override_reason(reason: str | None) -> str | None:
    """The facilitator's block-override reason, cleaned; None stays None, a blank reason is refused."""
    if reason is None:
        return None
    text = _clean_reason(reason)
    if text is None:
        raise ReasonRequired("svc.vote_override_reason", field="block_override_reason")
    return text


# --------------------------------------------------------------------------- rating statistics


class RatingSummary(_Frozen):
    """How Delphi ratings spread out: counts for 1..9, median, quartiles and IQR (None without ratings)."""

    count: int
    distribution: dict[int, int]
    median: float | None
    q1: float | None
    q3: float | None
    iqr: float | None


class DelphiFeedback(RatingSummary):
    """What a voter sees between Delphi rounds: the anonymous spread and their own previous rating."""

    your_rating: int | None


def _exact_quartiles(ratings: Sequence[int]) -> tuple[Fraction, Fraction, Fraction]:
    """Q1, median, Q3 of sorted ``ratings`` as exact fractions, inclusive method (one rating: all equal)."""
    if len(ratings) == 1:
        only = Fraction(ratings[0])
        return only, only, only
    m = len(ratings) - 1
    cuts: list[Fraction] = []
    for i in (1, 2, 3):
        j, delta = divmod(i * m, 4)
        cuts.append(Fraction(ratings[j] * (4 - delta) + ratings[j + 1] * delta, 4))
    return cuts[0], cuts[1], cuts[2]


def _summary_and_exact_iqr(ratings: Iterable[int]) -> tuple[RatingSummary, Fraction | None]:
    """The rating summary plus the IQR as an exact fraction (for rule comparisons)."""
    data = sorted(_check_rating(r) for r in ratings)
    counts = Counter(data)
    distribution = {value: counts.get(value, 0) for value in range(MIN_RATING, MAX_RATING + 1)}
    if not data:
        empty = RatingSummary(count=0, distribution=distribution, median=None, q1=None, q3=None, iqr=None)
        return empty, None
    q1, median, q3 = _exact_quartiles(data)
    summary = RatingSummary(
        count=len(data),
        distribution=distribution,
        median=float(median),
        q1=float(q1),
        q3=float(q3),
        iqr=float(q3 - q1),
    )
    return summary, q3 - q1


def summarize_ratings(ratings: Iterable[int]) -> RatingSummary:
    """Distribution, median, quartiles and IQR of Delphi ratings (each an int from 1 to 9)."""
    return _summary_and_exact_iqr(ratings)[0]


def delphi_feedback(ratings_by_voter: Mapping[int, int], voter_id: int) -> DelphiFeedback:
    """The group's rating spread (this voter's rating included) and this voter's own previous rating."""
    summary = summarize_ratings(ratings_by_voter.values())
    return DelphiFeedback(**summary.model_dump(), your_rating=ratings_by_voter.get(voter_id))


# --------------------------------------------------------------------------- tally


class Tally(_Frozen):
    """The counted result of one round for one recommendation, overall or for one group."""

    mode: VotingMode
    group: str | None  # None: everyone
    rules: RoundRules

    # Counted ballots per choice (in a Delphi round only ``block`` can be non-zero).
    agree: int
    disagree: int
    abstain: int
    block: int

    voted: int  # counted ballots: neither stale nor recused
    eligible: int  # eligible voters as given by the caller, recused ones included
    stale: int  # ballots cast on an earlier text and not yet renewed (recused ones excluded)
    recused: int
    quorum_base: int  # eligible - recused
    turnout: Fraction  # voted / quorum_base (0 when the base is 0)
    quorum_met: bool

    # Simple mode (None in a Delphi round); shares are of agree + disagree + block, 0 when that is 0.
    non_abstaining: int | None
    agree_share: Fraction | None
    disagree_share: Fraction | None
    block_share: Fraction | None
    against_share: Fraction | None  # (disagree + block) / non_abstaining

    # Delphi mode (None in a simple round).
    ratings: RatingSummary | None
    band_share: Fraction | None  # share of ratings in [delphi_band_low, delphi_band_high]
    reject_share: Fraction | None  # share of ratings in REJECTION_BAND
    iqr_met: bool | None  # IQR ≤ delphi_max_iqr (False without ratings)

    threshold_met: bool  # adoption share rule alone (simple: threshold; Delphi: band share and IQR)
    blocked: bool  # at least one counted block
    block_override_applied: bool  # a block would have stopped adoption and a reason lifted it
    block_override_reason: str | None  # recorded only when the override was applied
    rule_met: bool  # quorum met, threshold met and no standing block: the recommendation is adopted
    outcome: Outcome

    @property
    def counts(self) -> dict[Choice, int]:
        """Counted ballots per choice."""
        return {
            Choice.AGREE: self.agree,
            Choice.DISAGREE: self.disagree,
            Choice.ABSTAIN: self.abstain,
            Choice.BLOCK: self.block,
        }

    @property
    def consensus_met(self) -> bool:
        """True when the round reached a decision either way (adopted or rejected)."""
        return self.outcome is not Outcome.NO_CONSENSUS


class GroupTallies(_Frozen):
    """The overall tally beside one tally per participant group (in the order the groups were given)."""

    overall: Tally
    groups: dict[str, Tally]


def _check_ballot_fits(ballot: Ballot, mode: VotingMode) -> None:
    """Raise InconsistentTally if a counted ballot does not have the shape its round's mode needs."""
    if mode is VotingMode.SIMPLE:
        if ballot.choice is None or ballot.rating is not None:
            raise InconsistentTally(
                f"ballot of voter {ballot.voter_id} does not fit a simple round: it needs a choice and no rating"
            )
    elif ballot.rating is None or ballot.choice not in (None, Choice.BLOCK):
        raise InconsistentTally(
            f"ballot of voter {ballot.voter_id} does not fit a Delphi round: "
            "it needs a rating and no choice other than block"
        )


def _check_unique_voters(ballots: Sequence[Ballot]) -> None:
    """Raise InconsistentTally if a voter has more than one ballot."""
    seen: set[int] = set()
    for ballot in ballots:
        if ballot.voter_id in seen:
            raise InconsistentTally(
                f"voter {ballot.voter_id} has more than one ballot; pass only each voter's current ballot"
            )
        seen.add(ballot.voter_id)


def _tally_checked(
    ballots: Sequence[Ballot],
    rules: RoundRules,
    eligible_count: int,
    override_reason: str | None,
    group: str | None,
) -> Tally:
    """Tally ballots already checked for uniqueness, with an already cleaned override reason."""
    if len(ballots) > eligible_count:
        where = f" in group {group!r}" if group is not None else ""
        raise InconsistentTally(
            f"{len(ballots)} ballots{where} but only {eligible_count} eligible voters; "
            "every ballot must belong to an eligible voter"
        )
    recused = sum(1 for b in ballots if b.recused)
    stale = sum(1 for b in ballots if b.stale and not b.recused)
    counted = [b for b in ballots if b.counted]
    for ballot in counted:
        _check_ballot_fits(ballot, rules.mode)

    choices = Counter(b.choice for b in counted)
    agree, disagree = choices[Choice.AGREE], choices[Choice.DISAGREE]
    abstain, block = choices[Choice.ABSTAIN], choices[Choice.BLOCK]

    voted = len(counted)
    quorum_base = eligible_count - recused
    turnout = _share(voted, quorum_base)
    quorum_met = quorum_base > 0 and turnout >= rules.quorum

    blocked = block > 0
    block_applies = blocked and rules.blocks_prevent_adoption
    override_applied = block_applies and override_reason is not None
    block_stands = block_applies and not override_applied

    simple: dict[str, Any] = dict(
        non_abstaining=None, agree_share=None, disagree_share=None, block_share=None, against_share=None
    )
    delphi: dict[str, Any] = dict(ratings=None, band_share=None, reject_share=None, iqr_met=None)

    if rules.mode is VotingMode.SIMPLE:
        base = agree + disagree + block
        against_share = _share(disagree + block, base)
        agree_share = _share(agree, base)
        simple = dict(
            non_abstaining=base,
            agree_share=agree_share,
            disagree_share=_share(disagree, base),
            block_share=_share(block, base),
            against_share=against_share,
        )
        threshold_met = base > 0 and agree_share >= rules.threshold
        rejects = base > 0 and against_share >= rules.threshold
    else:
        ratings = [b.rating for b in counted if b.rating is not None]
        summary, exact_iqr = _summary_and_exact_iqr(ratings)
        n = len(ratings)
        low, high = rules.delphi_band_low, rules.delphi_band_high
        band_share = _share(sum(1 for r in ratings if low <= r <= high), n)
        reject_low, reject_high = REJECTION_BAND
        reject_share = _share(sum(1 for r in ratings if reject_low <= r <= reject_high), n)
        iqr_met = exact_iqr is not None and exact_iqr <= rules.delphi_max_iqr
        delphi = dict(ratings=summary, band_share=band_share, reject_share=reject_share, iqr_met=iqr_met)
        threshold_met = n > 0 and iqr_met and band_share >= rules.delphi_agreement_share
        rejects = rules.delphi_rejection and n > 0 and iqr_met and reject_share >= rules.delphi_agreement_share

    rule_met = quorum_met and threshold_met and not block_stands
    if rule_met:
        outcome = Outcome.ADOPTED
    elif quorum_met and not threshold_met and rejects:
        outcome = Outcome.REJECTED
    else:
        outcome = Outcome.NO_CONSENSUS

    return Tally(
        mode=rules.mode,
        group=group,
        rules=rules,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        block=block,
        voted=voted,
        eligible=eligible_count,
        stale=stale,
        recused=recused,
        quorum_base=quorum_base,
        turnout=turnout,
        quorum_met=quorum_met,
        **simple,
        **delphi,
        threshold_met=threshold_met,
        blocked=blocked,
        block_override_applied=override_applied,
        block_override_reason=override_reason if override_applied else None,
        rule_met=rule_met,
        outcome=outcome,
    )


def tally(
    ballots: Iterable[Ballot],
    *,
    rules: RoundRules,
    eligible_count: int,
    block_override_reason: str | None = None,
    group: str | None = None,
) -> Tally:
    """Count the ballots under ``rules`` and decide the outcome (only ``group``'s ballots when given).

    ``eligible_count`` is every voter entitled to vote (with ``group``: in that group), recused
    voters included: they are subtracted here to form the quorum base (recusing does not count
    as staying away), so the caller need not know who recused. Stale ballots stay in the base
    (the voter is still expected to vote on the current text). Each
    voter has at most one ballot (their current one); a ballot both stale and recused counts as
    recused. Raises ``InconsistentTally`` (a ValueError) for inconsistent input (duplicate voters, more ballots than
    eligible voters, a counted ballot that does not fit the mode) and ``ReasonRequired`` for a
    blank override reason.
    """
    _check_count("eligible_count", eligible_count)
    all_ballots = tuple(ballots)
    _check_unique_voters(all_ballots)
    reason = clean_override_reason(block_override_reason)
    if group is not None:
        all_ballots = tuple(b for b in all_ballots if b.group == group)
    return _tally_checked(all_ballots, rules, eligible_count, reason, group)


def tally_by_group(
    ballots: Iterable[Ballot],
    *,
    rules: RoundRules,
    eligible_by_group: Mapping[str, int],
    eligible_count: int | None = None,
    block_override_reason: str | None = None,
) -> GroupTallies:
    """The overall tally and one tally per group named in ``eligible_by_group``.

    Each group is counted against its own eligible number.
    ``eligible_count`` (overall) defaults to the sum of the groups; give it when some voters
    belong to no group. A ballot naming a group missing from the mapping is an error. The
    overall outcome is the one that decides; group outcomes show how each group would have
    decided under the same rules.
    """
    all_ballots = tuple(ballots)
    _check_unique_voters(all_ballots)
    for name, count in eligible_by_group.items():
        _check_count(f"eligible count of group {name!r}", count)
    group_total = sum(eligible_by_group.values())
    overall_eligible = group_total if eligible_count is None else _check_count("eligible_count", eligible_count)
    if group_total > overall_eligible:
        raise InconsistentTally(
            f"the groups have {group_total} eligible voters together, more than eligible_count {overall_eligible}"
        )
    unknown = sorted({b.group for b in all_ballots if b.group is not None} - set(eligible_by_group))
    if unknown:
        raise InconsistentTally(f"ballots name groups with no eligible count: {', '.join(unknown)}")

    reason = clean_override_reason(block_override_reason)
    overall = _tally_checked(all_ballots, rules, overall_eligible, reason, None)
    groups = {
        name: _tally_checked(tuple(b for b in all_ballots if b.group == name), rules, count, reason, name)
        for name, count in eligible_by_group.items()
    }
    return GroupTallies(overall=overall, groups=groups)


# --------------------------------------------------------------------------- dissent


def is_dissent(choice: Choice | str | None, rating: int | None, *, outcome: Outcome | str, rules: RoundRules) -> bool:
    """Whether a counted ballot's reason is a dissenting opinion: the minority against the outcome.

    - Every block is dissent, whatever the outcome (a block overridden to adopt is the plainest case).
    - Adopted: the votes against it — *disagree* (Delphi: ratings outside the agreement band).
    - Rejected: the votes for it — *agree* (Delphi: ratings outside the rejection band 1–3).
    - No consensus: nothing was decided, so there is no majority to stand against; the objections to
      the text (*disagree*; Delphi: ratings below the agreement band) are listed, since the next
      revision has to answer them.
    Abstentions are never dissent.
    """
    if choice == Choice.BLOCK:
        return True
    result = Outcome(outcome)
    if rules.mode is VotingMode.DELPHI:
        if rating is None:
            return False
        if result is Outcome.ADOPTED:
            return not rules.delphi_band_low <= rating <= rules.delphi_band_high
        if result is Outcome.REJECTED:
            return not REJECTION_BAND[0] <= rating <= REJECTION_BAND[1]
        return rating < rules.delphi_band_low
    if result is Outcome.REJECTED:
        return choice == Choice.AGREE
    return choice == Choice.DISAGREE
