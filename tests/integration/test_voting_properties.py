"""Property: whatever happens in a round, the tally equals a recount of the latest valid votes.

A history of casts, changes, confirmations, recusals (and their withdrawal) and text edits is played
against the services and, side by side, against a plain Python model. The model is the recount: it
knows nothing of the database or of ``recdraft.domain.voting``'s counting. SQLite only; each example
gets its own roundtable in one database (the users are made once: argon2 is slow).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from recdraft.db.engine import Database
from recdraft.db.models import Base, User
from recdraft.db.voting_models import Vote, VoteHistory
from recdraft.errors import RecdraftError
from recdraft.services import recommendations as recs
from recdraft.services import voting
from tests.factories import World, content, make_recommendation, make_round, make_roundtable

VOTERS = 4
ITEMS = 2
CHOICES = ["agree", "disagree", "abstain", "block"]


@dataclass
class Scene:
    db: Database
    moderator: int
    voters: list[int]
    made: int = 0


@pytest.fixture(scope="module")
def scene(tmp_path_factory) -> Scene:
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('props') / 'p.sqlite3'}")
    Base.metadata.create_all(db.engine)
    with db.write() as s:
        users = [User(username=f"person{i}", display_name=f"Person {i}", is_active=True) for i in range(VOTERS + 1)]
        s.add_all(users)
        s.flush()
        ids = [u.id for u in users]
    yield Scene(db=db, moderator=ids[0], voters=ids[1:])
    db.dispose()


def _fresh_round(scene: Scene, mode: str) -> tuple[int, list[int], int]:
    """A new roundtable with the same people, ITEMS recommendations in discussion, and an open round."""
    db = scene.db
    scene.made += 1
    members = {scene.moderator: "moderator"} | {
        uid: {"role": "expert", "group": "ICRC" if i % 2 else "Faculty"} for i, uid in enumerate(scene.voters)
    }
    world = World(
        db=db,
        roundtable_id=make_roundtable(db, title=f"Property {scene.made}", held_on=date(2025, 2, 6), members=members),
    )
    rec_ids = [
        make_recommendation(
            world, scene.moderator, title=f"Item {i}", status="discussion", moderator=scene.moderator
        ).id
        for i in range(ITEMS)
    ]
    rnd = make_round(world, rec_ids, scene.moderator, rules={"mode": mode})
    return world.roundtable_id, rec_ids, rnd.id


@dataclass
class Model:
    """The recount: the latest vote of each person, which text it was on, who is recused."""

    revision: dict[int, int] = field(default_factory=lambda: {r: 1 for r in range(ITEMS)})
    votes: dict[tuple[int, int], tuple[object, int]] = field(default_factory=dict)
    recused: set[tuple[int, int]] = field(default_factory=set)
    history_rows: int = 0

    def recount(self, r: int) -> dict[str, object]:
        counted: Counter = Counter()
        stale = recused = 0
        for v in range(VOTERS):
            if (v, r) in self.recused:
                recused += 1
            elif (v, r) in self.votes:
                value, on = self.votes[(v, r)]
                if on == self.revision[r]:
                    counted[value] += 1
                else:
                    stale += 1
        return {"counted": counted, "stale": stale, "recused": recused, "voted": sum(counted.values())}


def _value(mode: str, n: int) -> object:
    return CHOICES[n % 4] if mode == "simple" else n + 1


def _ballot(mode: str, value: object) -> dict[str, object]:
    if mode == "delphi":
        return {"rating": value}
    return {"choice": value, "reason": "Because" if value in ("disagree", "block") else None}


OPS = st.one_of(
    st.tuples(st.just("cast"), st.integers(0, VOTERS - 1), st.integers(0, ITEMS - 1), st.integers(0, 8)),
    st.tuples(st.just("recuse"), st.integers(0, VOTERS - 1), st.integers(0, ITEMS - 1)),
    st.tuples(st.just("unrecuse"), st.integers(0, VOTERS - 1), st.integers(0, ITEMS - 1)),
    st.tuples(st.just("confirm"), st.integers(0, VOTERS - 1), st.integers(0, ITEMS - 1)),
    st.tuples(st.just("edit"), st.integers(0, ITEMS - 1)),
)


def _play(scene: Scene, mode: str, rec_ids: list[int], round_id: int, model: Model, op: tuple) -> None:
    """Apply one operation to the services and to the model; both must accept or refuse it alike."""
    db = scene.db
    kind = op[0]
    if kind == "edit":
        r = op[1]
        current = recs.get_recommendation(db, actor_id=scene.moderator, recommendation_id=rec_ids[r])
        recs.edit_recommendation(
            db,
            actor_id=scene.moderator,
            recommendation_id=rec_ids[r],
            base_revision_id=current.current_revision.id,
            content=content(text=f"Text {model.revision[r] + 1}"),
        )
        model.revision[r] += 1
        return
    v, r = op[1], op[2]
    who = {"actor_id": scene.voters[v], "round_id": round_id, "recommendation_id": rec_ids[r]}
    key = (v, r)
    previous = model.votes.get(key)
    if kind == "cast":
        value = _value(mode, op[3])
        expected = key not in model.recused
        call = lambda: voting.cast_vote(db, **who, **_ballot(mode, value))
    elif kind == "confirm":
        value = previous[0] if previous else None
        expected = key not in model.recused and previous is not None
        call = lambda: voting.confirm_vote(db, **who)
    elif kind == "recuse":
        expected = True
        call = lambda: voting.recuse(db, **who)
    else:
        expected = key in model.recused
        call = lambda: voting.withdraw_recusal(db, **who)
    try:
        call()
        accepted = True
    except RecdraftError:
        accepted = False
    assert accepted == expected, op
    if not accepted:
        return
    if kind in ("cast", "confirm"):
        now = (value, model.revision[r])
        if previous != now:
            model.history_rows += 1
        model.votes[key] = now
    elif kind == "recuse":
        model.recused.add(key)
    else:
        model.recused.discard(key)


def _check(item, expected: dict[str, object], mode: str) -> None:
    overall = item.overall
    assert (overall.voted, overall.stale, overall.recused, overall.eligible) == (
        expected["voted"],
        expected["stale"],
        expected["recused"],
        VOTERS,
    )
    counted = expected["counted"]
    if mode == "simple":
        assert {c: getattr(overall, c) for c in CHOICES} == {c: counted.get(c, 0) for c in CHOICES}
    else:
        assert overall.delphi.distribution == {n: counted.get(n, 0) for n in range(1, 10)}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mode=st.sampled_from(["simple", "delphi"]), ops=st.lists(OPS, max_size=25))
def test_the_tally_equals_a_recount_of_the_latest_valid_votes(scene, mode, ops):
    _, rec_ids, round_id = _fresh_round(scene, mode)
    model = Model()
    for op in ops:
        _play(scene, mode, rec_ids, round_id, model, op)
    live = voting.round_results(scene.db, actor_id=scene.moderator, round_id=round_id)
    frozen = voting.close_round(scene.db, actor_id=scene.moderator, round_id=round_id)
    for r, rec_id in enumerate(rec_ids):
        expected = model.recount(r)
        for result in (live, frozen):
            _check(next(i for i in result.items if i.recommendation_id == rec_id), expected, mode)
    with scene.db.read() as s:
        rows = s.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == round_id))
        history = s.scalar(
            select(func.count())
            .select_from(VoteHistory)
            .join(Vote, Vote.id == VoteHistory.vote_id)
            .where(Vote.round_id == round_id)
        )
    assert rows == len(model.votes)
    assert history == model.history_rows
