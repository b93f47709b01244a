"""A vote costs at most five SQL statements (BEGIN/COMMIT aside) on SQLite and PostgreSQL.

Counted with SQLAlchemy's ``before_cursor_execute`` event on the engine the service uses, for a
first cast, a change of mind, a confirmation of a stale vote (through ``cast_vote`` with the same
choice) and a repeat of the same vote (which writes nothing). Every rule is still checked in the
same transaction: the refusals are covered by test_voting*.py; here we also check that the counted
votes are the ones stored, with their history and audit rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from recdraft.db.models import AuditEvent
from recdraft.db.voting_models import Vote, VoteHistory
from recdraft.services import recommendations as recs
from tests.factories import content, make_recommendation, make_round, make_world, vote

MAX_STATEMENTS = 5
TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK")


@contextmanager
def counting(db) -> Iterator[list[str]]:
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if not statement.strip().upper().startswith(TRANSACTION):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


@pytest.fixture
def world(db):
    return make_world(db)


def _round(world):
    rec = make_recommendation(world, title="Emblem protection", status="discussion")
    return make_round(world, [rec]), rec


def _cast(world, rnd, rec, **kw):
    return vote(world, rnd, rec, "expert", **kw)


def test_cast_change_confirm_and_repeat_each_take_at_most_five_statements(world):
    rnd, rec = _round(world)
    with counting(world.db) as first:
        cast = _cast(world, rnd, rec, choice="agree")
    with counting(world.db) as change:
        changed = _cast(world, rnd, rec, choice="disagree", reason="The emblem law already covers this.")
    with counting(world.db) as repeat:
        again = _cast(world, rnd, rec, choice="disagree", reason="The emblem law already covers this.")
    recs.edit_recommendation(
        world.db,
        actor_id=world["moderator"],
        recommendation_id=rec.id,
        base_revision_id=rec.current_revision.id,
        content=content(title="Emblem protection", text="Parliament should revise the law."),
    )
    with counting(world.db) as confirm:
        confirmed = _cast(world, rnd, rec, choice="disagree", reason="The emblem law already covers this.")

    for label, statements in (("cast", first), ("change", change), ("repeat", repeat), ("confirm", confirm)):
        assert len(statements) <= MAX_STATEMENTS, (label, len(statements), statements)
    # The same vote again only reads (one statement; two on PostgreSQL, see services.voting.ballots._cast_context).
    assert all(q.lstrip().upper().startswith("SELECT") for q in repeat) and len(repeat) <= 2, repeat
    print(
        f"{world.db.dialect}: statements per cast {len(first)}, change {len(change)}, confirm {len(confirm)}, "
        f"repeat {len(repeat)}"
    )

    assert cast.choice == "agree" and not cast.stale
    assert changed.id == cast.id and changed.choice == "disagree" and changed.reason.startswith("The emblem")
    assert again == changed
    assert confirmed.id == cast.id and not confirmed.stale and confirmed.revision_id != cast.revision_id
    with world.db.read() as s:
        votes = s.execute(select(Vote.choice, Vote.reason, Vote.version).where(Vote.round_id == rnd.id)).all()
        history = s.scalars(
            select(VoteHistory.action)
            .join(Vote, Vote.id == VoteHistory.vote_id)
            .where(Vote.round_id == rnd.id)
            .order_by(VoteHistory.id)
        ).all()
        audits = s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "vote", AuditEvent.object_id == cast.id)
            .order_by(AuditEvent.id)
        ).all()
        details = s.scalars(select(AuditEvent.details).where(AuditEvent.object_type == "vote")).all()
        assert s.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == rnd.id)) == 1
    assert [(c, r is not None) for c, r, _ in votes] == [("disagree", True)]
    assert votes[0][2] == 3  # cast, change, confirm: the optimistic-lock version moved with each write
    assert history == ["cast", "change", "confirm"]
    assert audits == ["vote.cast", "vote.change", "vote.confirm"]
    assert all("choice" not in d and "disagree" not in str(d) for d in details)
