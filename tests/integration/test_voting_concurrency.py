"""Concurrency, on SQLite and PostgreSQL: many threads, each calling the service in its own transaction.

- 50 threads casting the same person's vote at once leave one counted vote;
- votes racing a close are either in the frozen snapshot or refused, never half;
- many voters on many items: no vote lost, none doubled.
Each scenario is repeated; threads start together on a ``threading.Barrier``.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from recdraft.db.engine import Database
from recdraft.db.models import Membership, User
from recdraft.db.voting_models import RoundResult, Vote, VoteHistory
from recdraft.services import recommendations as recs
from recdraft.services import roundtables, voting
from recdraft.services._base import SYSTEM
from recdraft.services.voting import RoundClosed
from tests.factories import content

REPETITIONS = 3


@pytest.fixture
def pooled(db):
    """The test database with a bounded pool: threads queue for connections (PostgreSQL allows 100)."""
    database = Database(db.url, pool_size=20, max_overflow=0, pool_timeout=120)
    yield database
    database.dispose()


class Scene:
    """A roundtable with a moderator and ``n`` experts (made directly: only their ids are needed)."""

    def __init__(self, db: Database, n: int) -> None:
        self.db = db
        self.roundtable_id = roundtables.create_roundtable(
            db, actor_id=SYSTEM, title={"en": "Concurrency"}, held_on=date(2025, 2, 6)
        ).id
        with db.write() as s:
            people = [
                User(username=f"c{self.roundtable_id}_{i}", display_name=f"Person {i}", is_active=True)
                for i in range(n + 1)
            ]
            s.add_all(people)
            s.flush()
            s.add(Membership(roundtable_id=self.roundtable_id, user_id=people[0].id, role="moderator"))
            for i, p in enumerate(people[1:]):
                group = ("ICRC", "Red Crescent Society", "Faculty")[i % 3]
                s.add(Membership(roundtable_id=self.roundtable_id, user_id=p.id, role="expert", group=group))
            self.moderator = people[0].id
            self.voters = [p.id for p in people[1:]]

    def round(self, items: int) -> tuple[int, list[int]]:
        rec_ids = []
        for i in range(items):
            rec = recs.create_recommendation(
                self.db, actor_id=self.moderator, roundtable_id=self.roundtable_id, content=content(title=f"Item {i}")
            )
            recs.set_status(self.db, actor_id=self.moderator, recommendation_id=rec.id, status="discussion")
            rec_ids.append(rec.id)
        rnd = voting.open_round(
            self.db, actor_id=self.moderator, roundtable_id=self.roundtable_id, recommendation_ids=rec_ids
        )
        return rnd.id, rec_ids


def _run_together(tasks: list[Callable[[], None]]) -> list[BaseException]:
    """Start every task at the same moment; return the unexpected errors."""
    barrier = threading.Barrier(len(tasks))
    errors: list[BaseException] = []
    lock = threading.Lock()

    def runner(task: Callable[[], None]) -> None:
        barrier.wait()
        try:
            task()
        except BaseException as exc:  # noqa: BLE001 - collected and asserted empty by the test
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=runner, args=(t,)) for t in tasks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return errors


def _counts(db: Database, round_id: int) -> tuple[int, int]:
    with db.read() as s:
        votes = s.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == round_id))
        history = s.scalar(
            select(func.count())
            .select_from(VoteHistory)
            .join(Vote, Vote.id == VoteHistory.vote_id)
            .where(Vote.round_id == round_id)
        )
        return votes, history


def _same_person_once(db: Database, scene: Scene) -> None:
    me = scene.voters[0]
    round_id, (rec_id,) = scene.round(1)

    def cast(choice: str) -> None:
        voting.cast_vote(
            db,
            actor_id=me,
            round_id=round_id,
            recommendation_id=rec_id,
            choice=choice,
            reason="No" if choice == "disagree" else None,
        )

    assert _run_together([lambda: cast("agree")] * 50) == []
    assert _counts(db, round_id) == (1, 1)  # one row; the identical repeats wrote nothing
    # Now the threads disagree with each other: still one vote, and the history ends where the vote is.
    assert _run_together([lambda c=c: cast(c) for c in ["agree", "disagree"] * 25]) == []
    votes, history = _counts(db, round_id)
    assert votes == 1 and history >= 1
    with db.read() as s:
        vote = s.scalars(select(Vote).where(Vote.round_id == round_id)).one()
        last = s.scalars(
            select(VoteHistory).where(VoteHistory.vote_id == vote.id).order_by(VoteHistory.id.desc())
        ).first()
        assert (last.choice, last.reason) == (vote.choice, vote.reason)
    overall = voting.round_results(db, actor_id=scene.moderator, round_id=round_id).items[0].overall
    assert overall.voted == 1 and overall.agree + overall.disagree == 1


def test_fifty_threads_casting_the_same_persons_vote_leave_one_counted_vote(pooled):
    scene = Scene(pooled, 2)
    for _ in range(REPETITIONS):
        _same_person_once(pooled, scene)


def _race_once(db: Database, scene: Scene, repetition: int) -> None:
    round_id, rec_ids = scene.round(2)
    landed: set[tuple[int, int]] = set()
    refused: set[tuple[int, int]] = set()
    lock = threading.Lock()
    jitter = random.Random(repetition)
    pauses = {v: [jitter.uniform(0, 0.04) for _ in rec_ids] for v in scene.voters}

    def vote(voter: int) -> None:
        for rec_id, pause in zip(rec_ids, pauses[voter], strict=True):
            # Spread the casts out so the close lands among them rather than before or after all.
            threading.Event().wait(pause)
            try:
                voting.cast_vote(db, actor_id=voter, round_id=round_id, recommendation_id=rec_id, choice="agree")
                with lock:
                    landed.add((rec_id, voter))
            except RoundClosed:
                with lock:
                    refused.add((rec_id, voter))

    def close() -> None:
        threading.Event().wait(0.03)
        voting.close_round(db, actor_id=scene.moderator, round_id=round_id)

    assert _run_together([lambda v=v: vote(v) for v in scene.voters] + [close]) == []
    assert len(landed) + len(refused) == 2 * len(scene.voters)
    with db.read() as s:
        stored = set(s.execute(select(Vote.recommendation_id, Vote.voter_id).where(Vote.round_id == round_id)))
        snapshot = {
            (res.recommendation_id, b["voter_id"])
            for res in s.scalars(select(RoundResult).where(RoundResult.round_id == round_id))
            for b in res.ballots
        }
    assert stored == landed and snapshot == stored
    result = voting.round_results(db, actor_id=scene.moderator, round_id=round_id)
    for item in result.items:
        assert item.final
        assert item.overall.agree == item.overall.voted == sum(1 for r, _ in landed if r == item.recommendation_id)


def test_votes_racing_a_close_are_in_the_snapshot_or_refused_never_half(pooled):
    scene = Scene(pooled, 30)
    for repetition in range(REPETITIONS):
        _race_once(pooled, scene, repetition)


def _many_once(db: Database, scene: Scene, items: int) -> None:
    round_id, rec_ids = scene.round(items)

    def ballot(voter: int) -> None:
        for rec_id in rec_ids:
            voting.cast_vote(db, actor_id=voter, round_id=round_id, recommendation_id=rec_id, choice="agree")
        voting.cast_vote(
            db,
            actor_id=voter,
            round_id=round_id,
            recommendation_id=rec_ids[0],
            choice="disagree",
            reason="On reflection, no",
        )

    assert _run_together([lambda v=v: ballot(v) for v in scene.voters]) == []
    n = len(scene.voters)
    assert _counts(db, round_id) == (n * items, n * (items + 1))
    with db.read() as s:
        distinct = s.execute(
            select(func.count()).select_from(
                select(Vote.recommendation_id, Vote.voter_id).where(Vote.round_id == round_id).distinct().subquery()
            )
        ).scalar()
    assert distinct == n * items
    result = voting.close_round(db, actor_id=scene.moderator, round_id=round_id)
    by_rec = {i.recommendation_id: i.overall for i in result.items}
    assert (by_rec[rec_ids[0]].disagree, by_rec[rec_ids[0]].voted) == (n, n)
    assert all((by_rec[r].agree, by_rec[r].voted) == (n, n) for r in rec_ids[1:])
    assert sum(g.voted for g in result.items[1].groups) == n


def test_many_voters_on_many_items_lose_and_double_nothing(pooled):
    scene = Scene(pooled, 40)
    for _ in range(REPETITIONS):
        _many_once(pooled, scene, items=5)
