"""The demo's voting rounds: a closed simple round, a closed Delphi round with one item carried
forward, and open rounds — so the app and the memo have real results to show.

Who votes what is data (``recdraft/demo/rounds.json``); this module opens, fills and closes the rounds.
"""

from __future__ import annotations

from typing import Any

from recdraft.db.engine import Database
from recdraft.demo import Ballot, SimpleRound, content
from recdraft.services import voting

AGREE = Ballot(choice="agree")


def _cast(db: Database, ids: dict[str, int], round_id: int, rec_id: int, who: str, **ballot: Any) -> None:
    voting.cast_vote(db, actor_id=ids[who], round_id=round_id, recommendation_id=rec_id, **ballot)


def _simple(
    db: Database, ids: dict[str, int], round_id: int, spec: SimpleRound, key: str, rec_id: int, voters: list[str]
) -> None:
    for who in voters:
        ballot = spec.ballots.get(key, {}).get(who, AGREE)
        _cast(db, ids, round_id, rec_id, who, choice=ballot.choice, reason=ballot.reason, reason_named=ballot.named)


def load_rounds(db: Database, *, ids: dict[str, int], roundtable_id: int, recs: dict[str, Any]) -> int:
    """Open, vote and close the demo rounds; returns how many rounds exist."""
    demo = content()
    rounds, experts = demo.rounds, demo.experts
    moderator = ids["moderator"]
    later = {*rounds.still_open, *rounds.delphi.ratings}
    first_keys = [key for key in recs if key not in later]

    # Round 1: a simple vote, named, open results; most items adopted, one rejected, one block overridden.
    simple = voting.open_round(
        db,
        actor_id=moderator,
        roundtable_id=roundtable_id,
        recommendation_ids=[recs[k].id for k in first_keys],
        name=rounds.simple.name,
        rules=rounds.simple.rules,
    )
    for key in first_keys:
        _simple(db, ids, simple.id, rounds.simple, key, recs[key].id, experts)
    voting.close_round(
        db,
        actor_id=moderator,
        round_id=simple.id,
        block_overrides={recs[k].id: text for k, text in rounds.simple.block_overrides.items()},
    )

    # Round 2: Delphi ratings; one item reaches consensus, the contested one is carried forward.
    delphi_keys = list(rounds.delphi.ratings)
    delphi = voting.open_round(
        db,
        actor_id=moderator,
        roundtable_id=roundtable_id,
        recommendation_ids=[recs[k].id for k in delphi_keys],
        name=rounds.delphi.name,
        rules=rounds.delphi.rules,
    )
    for key in delphi_keys:
        for who, rating in rounds.delphi.ratings[key].items():
            _cast(
                db,
                ids,
                delphi.id,
                recs[key].id,
                who,
                rating=rating,
                reason=rounds.delphi.comments.get(key, {}).get(who),
            )
    voting.close_round(db, actor_id=moderator, round_id=delphi.id)

    # Round 3 (open): the carried item again, with each expert's previous rating beside the group's.
    carried = voting.carry_forward(db, actor_id=moderator, round_id=delphi.id, name=rounds.carried_forward.name)
    for who, rating in rounds.carried_forward.ratings.items():
        _cast(db, ids, carried.id, recs[rounds.carried_forward.key].id, who, rating=rating)

    # Round 4 (open, blind): the recommendations still under discussion; a few ballots are in.
    open_simple = voting.open_round(
        db,
        actor_id=moderator,
        roundtable_id=roundtable_id,
        recommendation_ids=[recs[k].id for k in rounds.still_open],
        name=rounds.open.name,
        rules=rounds.open.rules,
    )
    for key, ballots in rounds.open.ballots.items():
        _simple(db, ids, open_simple.id, rounds.open, key, recs[key].id, list(ballots))
    return 4
