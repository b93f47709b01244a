"""Voting and results: rounds, ballots, tallies, the vote record. ``from recdraft.services import voting``.

- ``rounds``: open, close, carry forward a round, override a block; the rounds a participant reads.
- ``ballots``: cast, change, confirm a vote, recuse and withdraw; one's own ballots and history.
- ``results``: tallies and consensus (``domain.voting`` counts), the frozen snapshot at close, results.
- ``csv``: a round's vote record as CSV.

Who may is ``domain.policy``'s answer (``Action.VOTE``, ``Action.RUN_ROUNDS``); the views a page decides
its controls from carry ``actions`` (``schemas.voting.RoundAction``). Results accept the command line
(``services._base.SYSTEM``), which reads as an administrator.
"""

from recdraft.services.voting._common import RoundClosed
from recdraft.services.voting.ballots import (
    cast_vote,
    confirm_vote,
    my_ballots,
    my_vote_histories,
    my_vote_history,
    recuse,
    withdraw_recusal,
)
from recdraft.services.voting.csv import export_votes_csv
from recdraft.services.voting.results import (
    recommendation_results,
    results_for_memo,
    round_results,
)
from recdraft.services.voting.rounds import (
    carry_forward,
    close_due_rounds,
    close_round,
    get_round,
    list_rounds,
    open_round,
    override_block,
    rounds_overview,
)

__all__ = [
    "RoundClosed",
    "carry_forward",
    "cast_vote",
    "close_due_rounds",
    "close_round",
    "confirm_vote",
    "export_votes_csv",
    "get_round",
    "list_rounds",
    "my_ballots",
    "my_vote_histories",
    "my_vote_history",
    "open_round",
    "override_block",
    "recommendation_results",
    "recuse",
    "results_for_memo",
    "round_results",
    "rounds_overview",
    "withdraw_recusal",
]
