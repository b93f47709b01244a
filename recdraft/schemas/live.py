"""Views of live mode (issue 19): the meeting, and what the projector and a phone show now."""

from __future__ import annotations

from datetime import datetime

from recdraft.schemas.views import RecommendationView, View
from recdraft.schemas.voting import RoundView


class LiveSessionView(View):
    """A meeting of a roundtable in the room."""

    id: int
    roundtable_id: int
    code: str
    language: str
    current_recommendation_id: int | None
    current_round_id: int | None  # the live vote on the screen (open, or closed and its result shown)
    started_at: datetime
    ended_at: datetime | None
    version: int


class LiveTallyView(View):
    """The live vote's figures as the room may see them.

    ``hidden``: a blind vote still open — only how many have voted is shown. ``choices`` (simple votes:
    agree / disagree / abstain / block) or ``ratings`` (Delphi: "1".."9") count the current votes;
    ``outcome`` is set once the vote is closed (adopted / rejected / no_consensus).
    """

    mode: str
    eligible: int
    voted: int
    hidden: bool
    choices: dict[str, int] = {}
    ratings: dict[str, int] = {}
    median: float | None = None
    outcome: str | None = None


class LiveStateView(View):
    """Everything a screen of the meeting shows now, read in one go."""

    session: LiveSessionView
    position: int  # the recommendation's place in the list (1-based; 0: none)
    total: int  # recommendations that can be shown
    recommendation: RecommendationView | None
    round: RoundView | None
    in_meeting_at: datetime | None  # when the live vote on the screen was opened in the meeting
    tally: LiveTallyView | None
    # The viewer's own current vote on it, as the server stored it: the phone's acknowledgement.
    my_choice: str | None = None
    my_rating: int | None = None
    my_vote_at: datetime | None = None
    may_vote: bool  # the viewer is an eligible voter of the live vote, which is open
    may_present: bool  # the viewer may run the meeting (open and close votes, move on)
