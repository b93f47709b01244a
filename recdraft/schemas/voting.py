"""Views the voting services return: rounds, votes, results, ballots to cast. Plain data, no ORM rows.

Shares are floats for display; the decisions (quorum_met, rule_met, outcome) were taken on exact
fractions by ``recdraft.domain.voting`` and are reported as they were decided.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from recdraft.domain.voting import DelphiFeedback, RatingSummary
from recdraft.schemas.views import View


class RoundAction(StrEnum):
    """What a viewer may do about voting, as the services computed it from ``domain.policy``: a page shows
    exactly these controls (in a view's ``actions``)."""

    VOTE = "vote"  # cast, change, confirm, recuse (the roundtable; on a round: it is open too)
    RUN_ROUNDS = "run_rounds"  # open, close, carry forward rounds, override blocks (the phase allows it now)
    OPEN_ROUND = "open_round"  # run rounds, and the phase lets people vote in a new one
    MANAGE_ROUNDS = "manage_rounds"  # the role runs rounds: sees blind figures live, the round forms' data
    CLOSE = "close"  # on an open round
    OVERRIDE_BLOCK = "override_block"  # on an open round
    CARRY_FORWARD = "carry_forward"  # on a closed round
    EXPORT_VOTES = "export_votes"  # the round's vote record as CSV


class RoundView(View):
    id: int
    roundtable_id: int
    number: int
    name: str
    mode: str  # simple / delphi
    anonymous: bool
    blind: bool
    rules: dict[str, Any]  # RoundRules as JSON (fractions as "2/3")
    status: str  # open / closed
    opened_by: int
    opened_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None
    closed_by: int | None  # None on a closed round: closed by its closing date
    carried_from_round_id: int | None
    recommendation_ids: list[int]  # in ballot order
    actions: list[str] = Field(default_factory=list)  # RoundAction values: what the viewer may do with this round
    in_meeting_at: datetime | None = None  # a live vote: when it was opened in the meeting (services.live)


class RoundsView(View):
    """Every round of a roundtable and what the viewer may do about voting there."""

    roundtable_id: int
    rounds: list[RoundView]
    actions: list[str]  # RoundAction values for the roundtable (vote, run_rounds, open_round, manage_rounds)
    open_round_candidates: list[int] = Field(default_factory=list)  # ids a new round may take (with open_round)


class VoteView(View):
    """A voter's own current vote."""

    id: int
    round_id: int
    recommendation_id: int
    voter_id: int
    revision_id: int
    choice: str | None
    rating: int | None
    reason: str | None
    reason_named: bool
    stale: bool  # cast on an earlier text: not counted until confirmed or changed
    cast_at: datetime
    updated_at: datetime


class VoteHistoryView(View):
    action: str  # cast / change / confirm
    revision_id: int
    choice: str | None
    rating: int | None
    reason: str | None
    reason_named: bool
    at: datetime


class RecusalView(View):
    round_id: int
    recommendation_id: int
    voter_id: int
    reason: str
    recused: bool  # False once withdrawn
    recused_at: datetime
    withdrawn_at: datetime | None


class CountsView(View):
    """One tally: everyone (``group`` None) or one participant group."""

    group: str | None
    eligible: int
    voted: int
    stale: int
    recused: int
    quorum_base: int
    turnout: float
    quorum_met: bool
    agree: int
    disagree: int
    abstain: int
    block: int
    agree_share: float | None
    disagree_share: float | None
    block_share: float | None
    against_share: float | None
    delphi: RatingSummary | None  # distribution, median, quartiles, IQR (Delphi rounds)
    band_share: float | None
    reject_share: float | None
    iqr_met: bool | None
    threshold_met: bool
    blocked: bool
    block_override_applied: bool
    rule_met: bool
    outcome: str  # adopted / rejected / no_consensus


class DissentView(View):
    """A reason given with a counted disagree/block vote (or a low Delphi rating).

    ``name`` and ``organisation`` are set only when the voter let this reason carry their name and
    the round is not anonymous; otherwise both are None.
    """

    name: str | None
    organisation: str | None
    choice: str | None
    rating: int | None
    reason: str


class ItemResultView(View):
    """The result of one recommendation in one round: frozen (``final``) once the round closed."""

    round_id: int
    round_number: int
    round_name: str
    mode: str
    anonymous: bool
    blind: bool
    recommendation_id: int
    recommendation_number: int
    final: bool  # the round is closed: these figures are the frozen snapshot
    hidden: bool  # blind round still open and the viewer is not a moderator: no figures below
    overall: CountsView | None
    groups: list[CountsView]
    dissents: list[DissentView]
    block_override_reason: str | None  # as recorded by the facilitator (see overall.block_override_applied)
    closed_at: datetime | None
    title: dict[str, str] = {}  # language → the recommendation's current title (pydantic copies the default)


class RoundResultsView(View):
    round: RoundView
    hidden: bool  # see ItemResultView.hidden; items is empty when hidden
    items: list[ItemResultView]


class BallotItemView(View):
    """One recommendation on the actor's ballot."""

    round_id: int
    recommendation_id: int
    recommendation_number: int
    title: dict[str, str]  # current title per language
    current_revision_id: int
    recommendation_status: str
    vote: VoteView | None
    stale: bool
    recused: bool
    needs_action: bool  # not recused, and no vote yet or the vote is stale
    can_vote: bool  # the recommendation still accepts votes (status voting)
    previous_round_feedback: DelphiFeedback | None  # Delphi: spread of the round carried from, own rating


class BallotRoundView(View):
    round: RoundView
    items: list[BallotItemView]


class MyBallotsView(View):
    """Everything open to the actor in one roundtable: the ballot page and the to-do count."""

    roundtable_id: int
    eligible: bool  # False: the actor does not vote in this roundtable (rounds is then empty)
    rounds: list[BallotRoundView]
    to_do: int  # items needing a vote or a re-confirmation
    actions: list[str] = Field(
        default_factory=list
    )  # RoundAction values for the roundtable: "vote" when the ballot forms apply
