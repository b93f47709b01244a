"""Anonymous rounds stay anonymous for every role (item 8), the feed respects a withheld name, and a
reply never carries the id of a comment the viewer may not see (item 10)."""

from __future__ import annotations

import pytest

from recdraft.services import activity, comments, moderation, roundtables, voting
from tests.factories import make_recommendation, make_round, make_world

VIEWERS = ("admin", "moderator", "expert2", "observer")


@pytest.fixture
def world(db):
    return make_world(db, moderation_mode="post")


def _rec(world) -> int:
    return make_recommendation(world, "expert2", status="discussion").id


def _round(world, rec_id: int, *, anonymous: bool):
    return make_round(world, [rec_id], rules={"anonymous": anonymous})


def _events(world, viewer: str) -> list:
    feed = activity.activity_feed(world.db, actor_id=world[viewer], roundtable_id=world.roundtable_id)
    if viewer != "admin":
        return feed
    return feed + activity.audit_log(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id)


def test_nobody_can_tell_from_the_feed_or_the_audit_log_who_voted_in_an_anonymous_round(world):
    """The probe matched the moderators' named vote.cast events against the live tally."""
    rec_id = _rec(world)
    rnd = _round(world, rec_id, anonymous=True)
    vote = voting.cast_vote(
        world.db,
        actor_id=world["expert"],
        round_id=rnd.id,
        recommendation_id=rec_id,
        choice="disagree",
        reason="Too vague",
    )
    voting.cast_vote(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=rec_id, choice="agree")
    for viewer in VIEWERS:
        vote_events = [e for e in _events(world, viewer) if e.action.startswith("vote.")]
        for e in vote_events:
            assert e.actor_id is None and e.actor_name is None, (viewer, e)
            assert e.object_id != vote.id and set(e.details) <= {"round_id", "recommendation_id"}
    filtered = activity.audit_log(
        world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, actor_filter=world["expert"]
    )
    assert [e for e in filtered if e.action.startswith("vote.")] == [], "filtering by a person lists no vote"


def test_a_named_round_still_shows_staff_who_voted(world):
    rec_id = _rec(world)
    rnd = _round(world, rec_id, anonymous=False)
    voting.cast_vote(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=rec_id, choice="agree")
    feed = activity.activity_feed(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert [e.actor_id for e in feed if e.action == "vote.cast"] == [world["expert"]]


def test_the_feed_does_not_name_a_person_who_withheld_their_name_to_other_participants(world):
    roundtables.set_my_consent(
        world.db, actor_id=world["expert2"], roundtable_id=world.roundtable_id, consent_named=False
    )
    rec_id = _rec(world)  # drafted by expert2
    for viewer in ("expert", "observer"):
        feed = activity.activity_feed(world.db, actor_id=world[viewer], roundtable_id=world.roundtable_id)
        mine = [e for e in feed if e.object_id == rec_id and e.action == "recommendation.create"]
        assert mine, viewer
        assert all(e.actor_id is None and e.actor_name is None for e in mine), viewer
    staff = activity.activity_feed(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert world["expert2"] in {e.actor_id for e in staff}


def test_a_reply_to_a_hidden_comment_carries_no_trace_of_it_for_non_staff(world):
    rec_id = _rec(world)
    parent = comments.post_comment(world.db, actor_id=world["expert"], recommendation_id=rec_id, body="A remark")
    reply = comments.post_comment(
        world.db, actor_id=world["expert2"], recommendation_id=rec_id, body="A reply", parent_id=parent.id
    )
    assert reply.parent_id == parent.id
    moderation.moderate_comment(
        world.db, actor_id=world["moderator"], comment_id=parent.id, action="hide", reason="Off topic"
    )
    for viewer in ("expert2", "observer"):
        seen = comments.list_comments(world.db, actor_id=world[viewer], recommendation_id=rec_id)
        assert [c.id for c in seen] == [reply.id]
        assert seen[0].parent_id is None, viewer
    edited = comments.edit_comment(world.db, actor_id=world["expert2"], comment_id=reply.id, body="A reply, edited")
    assert edited.parent_id is None
    exported = comments.published_comments_for_export(
        world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id
    )
    assert [c.parent_id for c in exported] == [None]
    staff = comments.list_comments(world.db, actor_id=world["moderator"], recommendation_id=rec_id)
    assert {c.id: c.parent_id for c in staff}[reply.id] == parent.id


@pytest.mark.parametrize("anonymous", [True, False])
def test_results_of_an_anonymous_round_show_no_group_small_enough_to_name_a_vote(world, anonymous):
    """ "ICRC: 1 voted, 1 disagree" would tell everyone how the one ICRC expert voted."""
    from recdraft.services import voting as results

    rec_id = _rec(world)
    rnd = _round(world, rec_id, anonymous=anonymous)
    voting.cast_vote(
        world.db,
        actor_id=world["expert"],
        round_id=rnd.id,
        recommendation_id=rec_id,
        choice="disagree",
        reason="Too vague",
    )
    for viewer in VIEWERS:
        shown = results.round_results(world.db, actor_id=world[viewer], round_id=rnd.id)
        groups = {g.group: g for item in shown.items for g in item.groups}
        if anonymous:
            assert "ICRC" not in groups and all(g.eligible >= 3 for g in groups.values()), (viewer, groups)
        else:
            assert groups["ICRC"].voted == 1
