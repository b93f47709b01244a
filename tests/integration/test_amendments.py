"""Amendments: propose, accept as a new revision, reject with a reason."""

from __future__ import annotations

import pytest

from recdraft.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from recdraft.services import amendments as am
from recdraft.services import recommendations as recs
from tests.factories import content, world_with_recommendation


@pytest.fixture
def world(db):
    return world_with_recommendation(db)


def test_an_expert_proposes_and_the_author_accepts_it_as_a_new_revision(world):
    a = am.propose_amendment(
        world.db,
        actor_id=world["expert2"],
        recommendation_id=world.rec.id,
        content=content(text="Amended text"),
        justification="Clearer",
    )
    out = am.accept_amendment(world.db, actor_id=world["expert"], amendment_id=a.id)
    assert out.status == "accepted" and out.resulting_revision_id is not None
    rec = recs.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)
    assert rec.current_revision.content["en"].text == "Amended text"
    assert rec.current_revision.kind == "amendment" and rec.current_revision.author_id == world["expert2"]


def test_rejection_needs_a_reason_and_is_final(world):
    a = am.propose_amendment(
        world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, content=content(text="Other")
    )
    with pytest.raises(InvalidInput, match="Reason cannot be empty"):
        am.reject_amendment(world.db, actor_id=world["moderator"], amendment_id=a.id, reason="  ")
    out = am.reject_amendment(world.db, actor_id=world["moderator"], amendment_id=a.id, reason="Out of scope")
    assert out.status == "rejected" and out.reason == "Out of scope"
    with pytest.raises(InvalidTransition):
        am.accept_amendment(world.db, actor_id=world["moderator"], amendment_id=a.id)


def test_another_expert_cannot_decide_and_an_observer_cannot_propose(world):
    a = am.propose_amendment(
        world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, content=content(text="Other")
    )
    with pytest.raises(PermissionDenied):
        am.accept_amendment(world.db, actor_id=world["expert2"], amendment_id=a.id)
    with pytest.raises(PermissionDenied):
        am.propose_amendment(
            world.db, actor_id=world["observer"], recommendation_id=world.rec.id, content=content(text="Other")
        )


def test_accepting_an_amendment_on_an_outdated_text_is_a_conflict_until_rebased(world):
    a = am.propose_amendment(
        world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, content=content(text="Amended")
    )
    recs.edit_recommendation(
        world.db,
        actor_id=world["expert"],
        recommendation_id=world.rec.id,
        base_revision_id=world.rec.current_revision.id,
        content=content(text="Moved on"),
    )
    with pytest.raises(Conflict) as info:
        am.accept_amendment(world.db, actor_id=world["expert"], amendment_id=a.id)
    assert info.value.current["en"].text == "Moved on" and info.value.yours["en"].text == "Amended"
    am.update_amendment(world.db, actor_id=world["expert2"], amendment_id=a.id, content=content(text="Rebased"))
    assert am.accept_amendment(world.db, actor_id=world["expert"], amendment_id=a.id).status == "accepted"
    assert [
        x.status for x in am.list_amendments(world.db, actor_id=world["observer"], recommendation_id=world.rec.id)
    ] == ["accepted"]


def test_amendments_are_numbered_within_each_recommendation(world):
    # Issue 18: not "6", "7" on a recommendation that has only two amendments.
    other = recs.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content(title="Other")
    )
    first = am.propose_amendment(
        world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, content=content(text="One")
    )
    on_other = [
        am.propose_amendment(
            world.db, actor_id=world["expert2"], recommendation_id=other.id, content=content(text=f"Other {i}")
        )
        for i in range(3)
    ]
    second = am.propose_amendment(
        world.db, actor_id=world["moderator"], recommendation_id=world.rec.id, content=content(text="Two")
    )
    assert (first.number, second.number) == (1, 2)
    assert [a.number for a in on_other] == [1, 2, 3]
    listed = am.list_amendments(world.db, actor_id=world["observer"], recommendation_id=world.rec.id)
    assert sorted(a.number for a in listed) == [1, 2]
    out = am.accept_amendment(world.db, actor_id=world["expert"], amendment_id=second.id)
    rec = recs.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)
    assert out.resulting_revision_id == rec.current_revision.id
    assert rec.current_revision.note_in("en") == "Amendment 2 accepted"  # stored as a message, shown translated
    assert rec.current_revision.note_in("ru") == "Поправка 2 принята"


def test_amendments_sent_at_the_same_moment_get_distinct_numbers(world):
    from tests.integration.test_concurrency import race

    proposers = [world["expert"], world["expert2"], world["moderator"], world["admin"]]
    results = race(
        len(proposers),
        lambda i: am.propose_amendment(
            world.db, actor_id=proposers[i], recommendation_id=world.rec.id, content=content(text=f"Race {i}")
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.number for r in results) == [1, 2, 3, 4]
