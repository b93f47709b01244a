"""Races, repeated, on SQLite and PostgreSQL: threads released together by a Barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from recdraft.errors import Conflict
from recdraft.services import moderation
from recdraft.services import recommendations as recs
from recdraft.services import revisions as revision_service
from tests.factories import content, make_world

REPEAT = 5


def race(n: int, fn: Callable[[int], Any]) -> list[Any]:
    """Run ``fn(i)`` in ``n`` threads released at the same moment; return results or exceptions."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def world(db):
    return make_world(db)


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_two_editors_from_the_same_base_one_wins_the_other_gets_a_conflict_and_both_texts_are_kept(world, attempt):
    rec = recs.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    base = rec.current_revision.id
    editors = [world["expert"], world["moderator"]]
    texts = [f"Text of editor {i} in attempt {attempt}" for i in range(2)]
    results = race(
        2,
        lambda i: recs.edit_recommendation(
            world.db,
            actor_id=editors[i],
            recommendation_id=rec.id,
            base_revision_id=base,
            content=content(text=texts[i]),
        ),
    )
    wins = [r for r in results if not isinstance(r, Exception)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    loser = results.index(conflicts[0])
    assert conflicts[0].yours["en"].text == texts[loser]
    assert conflicts[0].current["en"].text == texts[1 - loser]
    kept = recs.get_rejected_edit(world.db, actor_id=editors[loser], draft_id=conflicts[0].saved_draft_id)
    assert kept.content["en"].text == texts[loser]
    revisions = revision_service.list_revisions(world.db, actor_id=world["expert"], recommendation_id=rec.id)
    assert [r.number for r in revisions] == [1, 2]


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_the_same_submission_sent_twice_at_once_stores_one_revision(world, attempt):
    rec = recs.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    key = f"double-click-{attempt:04d}"
    results = race(
        2,
        lambda i: recs.edit_recommendation(
            world.db,
            actor_id=world["expert"],
            recommendation_id=rec.id,
            base_revision_id=rec.current_revision.id,
            content=content(text="Once only"),
            submission_key=key,
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    revisions = revision_service.list_revisions(world.db, actor_id=world["expert"], recommendation_id=rec.id)
    assert len(revisions) == 2
    assert {r.current_revision.id for r in results} == {revisions[-1].id}


@pytest.mark.parametrize("attempt", range(2))
def test_many_experts_drafting_at_once_get_distinct_numbers(world, attempt):
    authors = [world["expert"], world["expert2"], world["moderator"], world["admin"]] * 2
    results = race(
        len(authors),
        lambda i: recs.create_recommendation(
            world.db, actor_id=authors[i], roundtable_id=world.roundtable_id, content=content(title=f"Draft {i}")
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(r.number for r in results)
    assert numbers == list(range(numbers[0], numbers[0] + len(authors)))


@pytest.mark.parametrize("attempt", range(REPEAT))
def test_comment_moderation_racing_the_authors_edit_ends_hidden_with_the_edit_in_history(world, attempt):
    from recdraft.services import comments

    rec = recs.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
    )
    c = comments.post_comment(world.db, actor_id=world["expert2"], recommendation_id=rec.id, body="Original")
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    calls = [
        lambda: comments.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Edited"),
        lambda: moderation.moderate_comment(
            world.db, actor_id=world["moderator"], comment_id=c.id, action="hide", reason="Personal remark"
        ),
    ]
    results = race(2, lambda i: calls[i]())
    assert not [r for r in results if isinstance(r, Exception)], results
    final = comments.get_comment(world.db, actor_id=world["moderator"], comment_id=c.id)
    # Whatever the order, the moderator's decision stands and the author's earlier text is kept.
    assert final.status == "hidden" and final.body == "Edited"
    history = comments.comment_history(world.db, actor_id=world["expert2"], comment_id=c.id)
    assert [h.previous_body for h in history] == ["Original"]
    assert c.id not in {
        x.id for x in comments.list_comments(world.db, actor_id=world["expert"], recommendation_id=rec.id)
    }
