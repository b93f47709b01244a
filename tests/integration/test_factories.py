"""The factories make what they say, through the services (so a set-up never holds what a person could not make)."""

from __future__ import annotations

import pytest

from recdraft.services import amendments, comments, revisions, voting
from tests.factories import (
    cast_votes,
    make_amendment,
    make_comment,
    make_recommendation,
    make_recommendations,
    make_round,
    make_world,
    move_to,
    world_with_recommendation,
)


@pytest.fixture
def world(db):
    return make_world(db, moderation_mode="post")


def test_a_recommendation_with_revisions_and_a_status(world):
    rec = make_recommendation(world, "expert2", title="Emblem", revisions=["Second", "Third"], status="adopted")
    assert (rec.status, rec.current_revision.number) == ("adopted", 3)
    assert rec.current_revision.content["en"].text == "Third"
    history = revisions.list_revisions(world.db, actor_id=world["admin"], recommendation_id=rec.id)
    assert {r.author_id for r in history} == {world["expert2"]}


@pytest.mark.parametrize("status", ["draft", "discussion", "voting", "adopted", "rejected", "withdrawn"])
def test_every_status_is_reached_from_a_draft_and_back_to_discussion_from_an_outcome(world, status):
    rec = make_recommendation(world, status=status)
    assert rec.status == status
    if status in ("adopted", "rejected"):
        assert move_to(world, rec.id, "discussion").status == "discussion"


def test_numbered_recommendations(world):
    first, second = make_recommendations(world, 2)
    assert [first.current_revision.content["en"].title, second.number] == ["Recommendation 1", 2]


def test_comments_waiting_or_approved_and_amendments(db):
    w = world_with_recommendation(db, moderation_mode="pre", who="expert2", text="The text")
    pending = make_comment(w, "expert", "Please cite the law")
    approved = make_comment(w, "expert", "Which article?", approve_by="moderator")
    reply = make_comment(w, "expert2", "Article 26", parent_id=approved.id)
    assert (pending.status, approved.status, reply.status) == ("pending", "published", "pending")
    assert comments.get_comment(w.db, actor_id=w["moderator"], comment_id=reply.id).parent_id == approved.id
    amendment = make_amendment(w, w.rec, "expert", text="Better text", justification="Clearer")
    assert amendments.list_amendments(w.db, actor_id=w["expert2"], recommendation_id=w.rec.id)[0].id == amendment.id


def test_a_round_moves_drafts_to_discussion_first_and_takes_votes(world):
    rec = make_recommendation(world)
    rnd = make_round(world, [rec], rules={"anonymous": False})
    assert rnd.recommendation_ids == [rec.id]
    votes = cast_votes(world, rnd, rec, {"expert": "agree", "expert2": {"choice": "disagree", "reason": "Too broad"}})
    assert [v.choice for v in votes] == ["agree", "disagree"]
    closed = voting.close_round(world.db, actor_id=world["moderator"], round_id=rnd.id)
    assert closed is not None
