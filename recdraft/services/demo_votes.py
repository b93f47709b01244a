"""The demo's voting rounds: a closed simple round, a closed Delphi round with one item carried
forward, and open rounds — so the app and the memo have real results to show."""

from __future__ import annotations

from typing import Any

from recdraft import demo_content as demo
from recdraft.db.engine import Database
from recdraft.services import voting

EXPERTS = [f"expert{i}" for i in range(1, 7)]
# Which keys go to the Delphi round beside the one that is carried forward.
DELPHI_CONSENSUS_KEY = "armed_forces_medical"
BLOCKED_KEY = "emblem_penalties"

# Per expert: (choice, reason, may the reason carry my name?) for the contested items of round 1.
REJECTED_VOTES = {
    "expert1": ("disagree", "A separate authority duplicates what the Ministry of Justice already does.", True),
    "expert2": ("disagree", "Emblem supervision should stay with the Government, not a new body.", False),
    "expert3": ("disagree", "Premature before the recognition law itself is adopted.", True),
    # The minority for a rejected text: its reason is the dissenting opinion (issue 10, item 3).
    "expert4": ("agree", "The ICRC Model Law recommends one supervising authority; without it misuse of the "
                         "emblem goes unchecked.", True),
    "expert5": ("disagree", "Cost and staffing are not justified for the expected case load.", False),
    "expert6": ("abstain", None, False),
}
DISSENT_ON_ADOPTED = {
    "expert6": ("disagree", "Criminal penalties for indicative misuse go further than the Conventions require.", False),
}
BLOCK = ("expert5", "The penalty scale must be agreed with the Ministry of Internal Affairs first.")
BLOCK_OVERRIDE = "The Ministry was consulted at the roundtable; the penalty scale is left to the implementing act."

DELPHI_RATINGS = {
    DELPHI_CONSENSUS_KEY: {"expert1": 8, "expert2": 9, "expert3": 7, "expert4": 8, "expert5": 7, "expert6": 8},
    demo.DELPHI_CARRIED_KEY: {"expert1": 3, "expert2": 8, "expert3": 5, "expert4": 7, "expert5": 4, "expert6": 9},
}
DELPHI_COMMENTS = {
    ("expert1", demo.DELPHI_CARRIED_KEY): "Tax relief needs a cost estimate from the Ministry of Finance first.",
    ("expert5", demo.DELPHI_CARRIED_KEY): "VAT relief on donated goods yes; a general exemption no.",
}


def _cast(db: Database, ids: dict[str, int], round_id: int, rec_id: int, who: str, **ballot: Any) -> None:
    voting.cast_vote(db, actor_id=ids[who], round_id=round_id, recommendation_id=rec_id, **ballot)


def load_rounds(db: Database, *, ids: dict[str, int], roundtable_id: int, recs: dict[str, Any]) -> int:
    """Open, vote and close the demo rounds; returns how many rounds exist."""
    moderator = ids["moderator"]
    later = {*demo.OPEN_ROUND_KEYS, demo.DELPHI_CARRIED_KEY, DELPHI_CONSENSUS_KEY}
    first_keys = [key for key in recs if key not in later]

    # Round 1: a simple vote, named, open results; most items adopted, one rejected, one block overridden.
    simple = voting.open_round(db, actor_id=moderator, roundtable_id=roundtable_id,
                               recommendation_ids=[recs[k].id for k in first_keys], name="Round 1 (simple vote)",
                               rules={"mode": "simple", "quorum": "1/2", "threshold": "2/3"})
    for key in first_keys:
        rec_id = recs[key].id
        for who in EXPERTS:
            if key == demo.REJECTED_KEY:
                choice, reason, named = REJECTED_VOTES[who]
            elif key == BLOCKED_KEY and who == BLOCK[0]:
                choice, reason, named = "block", BLOCK[1], True
            elif key == BLOCKED_KEY and who in DISSENT_ON_ADOPTED:
                choice, reason, named = DISSENT_ON_ADOPTED[who]
            else:
                choice, reason, named = "agree", None, False
            _cast(db, ids, simple.id, rec_id, who, choice=choice, reason=reason, reason_named=named)
    voting.close_round(db, actor_id=moderator, round_id=simple.id,
                       block_overrides={recs[BLOCKED_KEY].id: BLOCK_OVERRIDE})

    # Round 2: Delphi ratings; one item reaches consensus, the contested one is carried forward.
    delphi_keys = [DELPHI_CONSENSUS_KEY, demo.DELPHI_CARRIED_KEY]
    delphi = voting.open_round(db, actor_id=moderator, roundtable_id=roundtable_id,
                               recommendation_ids=[recs[k].id for k in delphi_keys], name="Round 2 (Delphi)",
                               rules={"mode": "delphi", "quorum": "1/2", "delphi_agreement_share": "7/10",
                                      "delphi_max_iqr": 2, "anonymous": True})
    for key in delphi_keys:
        for who, rating in DELPHI_RATINGS[key].items():
            _cast(db, ids, delphi.id, recs[key].id, who, rating=rating, reason=DELPHI_COMMENTS.get((who, key)))
    voting.close_round(db, actor_id=moderator, round_id=delphi.id)

    # Round 3 (open): the carried item again, with each expert's previous rating beside the group's.
    carried = voting.carry_forward(db, actor_id=moderator, round_id=delphi.id, name="Round 3 (Delphi, carried forward)")
    for who, rating in (("expert2", 8), ("expert4", 7)):
        _cast(db, ids, carried.id, recs[demo.DELPHI_CARRIED_KEY].id, who, rating=rating)

    # Round 4 (open, blind): the recommendations still under discussion.
    open_simple = voting.open_round(db, actor_id=moderator, roundtable_id=roundtable_id,
                                    recommendation_ids=[recs[k].id for k in demo.OPEN_ROUND_KEYS],
                                    name="Round 4 (simple vote)",
                                    rules={"mode": "simple", "quorum": "1/2", "threshold": "2/3", "blind": True})
    _cast(db, ids, open_simple.id, recs[demo.OPEN_ROUND_KEYS[0]].id, "expert1", choice="agree")
    return 4
