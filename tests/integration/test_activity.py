"""The activity feed ("what changed since I last looked") and the admins' audit log."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from recdraft.db.models import AuditEvent, Membership
from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.services import activity, moderation
from recdraft.services import comments as cm
from recdraft.services import recommendations as recs
from recdraft.services._base import audit
from tests.factories import content, make_comment, make_world, world_with_recommendation


@pytest.fixture
def world(db):
    """A post-moderation roundtable with one recommendation by ``expert``; everyone has looked at the feed."""
    w = world_with_recommendation(db, moderation_mode="post")
    for who in ("admin", "moderator", "expert", "expert2", "observer"):
        activity.mark_seen(db, actor_id=w[who], roundtable_id=w.roundtable_id)
    return w


def _feed(w, who, **kw):
    return activity.activity_feed(w.db, actor_id=w[who], roundtable_id=w.roundtable_id, **kw)


def _about(events, comment_id):
    return [e.action for e in events if e.object_type == "comment" and e.object_id == comment_id]


def _post(w, who="expert2", body="A comment", **kw):
    return make_comment(w, who, body, **kw)


def test_the_feed_shows_what_others_did_newest_first_and_not_my_own_actions(world):
    c = _post(world)
    recs.set_status(world.db, actor_id=world["moderator"], recommendation_id=world.rec.id, status="discussion")
    feed = _feed(world, "expert")
    assert [e.action for e in feed] == ["recommendation.status", "comment.post"]
    assert feed[1].actor_name == "Expert2" and feed[1].object_id == c.id
    assert _about(_feed(world, "expert2"), c.id) == []  # my own comment is not news to me


def test_the_feed_starts_where_i_last_looked(world):
    start = datetime.now(UTC)
    earlier = _post(world, body="Before I looked")
    activity.mark_seen(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    later = _post(world, body="After I looked")
    assert [e.object_id for e in _feed(world, "expert")] == [later.id]
    with world.db.read() as s:
        seen = s.scalar(select(Membership.last_seen_at).where(Membership.user_id == world["expert"]))
    assert seen < datetime.now(UTC)
    assert [e.object_id for e in _feed(world, "expert", since=start)] == [later.id, earlier.id]
    activity.mark_seen(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    assert _feed(world, "expert") == []


def test_pending_comments_reach_only_their_author_and_the_moderators(db):
    w = make_world(db, moderation_mode="pre")
    w.rec = recs.create_recommendation(db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content())
    c = _post(w)
    assert _about(_feed(w, "expert"), c.id) == [] and _about(_feed(w, "observer"), c.id) == []
    assert _about(_feed(w, "moderator"), c.id) == ["comment.post"]
    moderation.moderate_comment(db, actor_id=w["moderator"], comment_id=c.id, action="approve")
    assert _about(_feed(w, "expert"), c.id) == ["comment.post"]  # the approval itself is staff-only
    assert _about(_feed(w, "expert2"), c.id) == []  # staff-only, and the post was my own


def test_a_hidden_comment_leaves_everyone_elses_feed_but_not_the_moderators(world):
    c = _post(world, body="Rude words")
    assert _about(_feed(world, "expert"), c.id) == ["comment.post"]
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Ruder words")
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="hide", reason="Rude")
    for who in ("expert", "observer"):
        assert _about(_feed(world, who), c.id) == []
    assert _about(_feed(world, "admin"), c.id) == ["comment.hide", "comment.edit", "comment.post"]
    assert _about(_feed(world, "moderator"), c.id) == ["comment.edit", "comment.post"]  # the hide was theirs


def test_flags_are_staff_only_events(world):
    c = _post(world)
    cm.flag_comment(world.db, actor_id=world["expert"], comment_id=c.id, reason="Wrong")
    assert "comment.flag" not in _about(_feed(world, "observer"), c.id)
    assert "comment.flag" not in _about(_feed(world, "expert2"), c.id)  # the author does not learn who flagged
    assert "comment.flag" in _about(_feed(world, "moderator"), c.id)


def test_sign_in_events_are_never_in_the_feed(world):
    with world.db.write() as s:
        audit(
            s,
            actor_id=world["expert2"],
            roundtable_id=world.roundtable_id,
            action="auth.sign_in",
            object_type="user",
            object_id=world["expert2"],
        )
    assert [e for e in _feed(world, "admin") if e.action.startswith("auth.")] == []


def test_no_audit_row_holds_the_text_of_a_comment_or_a_flag(world):
    c = _post(world, body="Unique body words")
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Unique edited words")
    cm.flag_comment(world.db, actor_id=world["expert"], comment_id=c.id, reason="Unique flag words")
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="hide", reason="Rude")
    with world.db.read() as s:
        details = str(s.scalars(select(AuditEvent.details)).all())
    assert "Unique" not in details


def test_the_audit_log_is_for_roundtable_admins_only(world):
    for who in ("moderator", "expert", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            activity.audit_log(world.db, actor_id=world[who], roundtable_id=world.roundtable_id)
    log = activity.audit_log(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
    assert log[0].action == "recommendation.create" and log[0].actor_name == "Expert"


def test_the_audit_log_filters_by_action_prefix_actor_and_time_and_pages(world):
    before = datetime.now(UTC)
    first = _post(world)
    _post(world, who="expert", body="Second")
    moderation.moderate_comment(
        world.db, actor_id=world["moderator"], comment_id=first.id, action="hide", reason="Rude"
    )

    def log(**kw):
        return [
            (e.action, e.actor_id)
            for e in activity.audit_log(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, **kw)
        ]

    assert log(action_prefix="comment.") == [
        ("comment.hide", world["moderator"]),
        ("comment.post", world["expert"]),
        ("comment.post", world["expert2"]),
    ]
    assert log(action_prefix="comment.", actor_filter=world["expert2"]) == [("comment.post", world["expert2"])]
    assert log(since=before) == log(action_prefix="comment.")
    assert ("recommendation.create", world["expert"]) in log(until=before)
    assert log(action_prefix="comment.", limit=1, offset=1) == [("comment.post", world["expert"])]
    assert log(action_prefix="comment_") == []  # '_' is a literal, not a LIKE wildcard
    with pytest.raises(InvalidInput):
        log(limit=0)
    with pytest.raises(InvalidInput, match="time zone"):
        log(since=datetime(2025, 1, 1))


# --- what concerns me first (issue 18, item 1) --------------------------------------------------------------


def test_my_hidden_comment_its_reason_and_a_reply_concern_me_and_stay_until_i_dismiss_them(world):
    from recdraft.services import amendments as am

    mine = _post(world, who="expert2", body="The draft forgets the emblem law of 2003 entirely")
    reply = _post(world, who="expert", body="It is in Art. 4", parent_id=mine.id)
    hidden = _post(world, who="expert2", body="Something rude about the chair")
    moderation.moderate_comment(
        world.db,
        actor_id=world["moderator"],
        comment_id=hidden.id,
        action="hide",
        reason="Personal remarks are not allowed",
    )
    proposal = am.propose_amendment(
        world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, content=content(text="Better words")
    )
    am.reject_amendment(world.db, actor_id=world["expert"], amendment_id=proposal.id, reason="Too narrow")
    assert reply.parent_id == mine.id

    def kinds(who="expert2", **kw):
        return [
            (e.kind, e.reason, e.excerpt, e.actor_name)
            for e in activity.concerning_me(world.db, actor_id=world[who], roundtable_id=world.roundtable_id, **kw)
        ]

    got = kinds()
    assert ("comment_hidden", "Personal remarks are not allowed", "Something rude about the chair", None) in got
    assert ("comment_answered", "", "The draft forgets the emblem law of 2003 …", "Expert") in got
    assert ("amendment_rejected", "Too narrow", "1", None) in got
    # The author of the recommendation hears of the amendment on it; nobody else hears of my hidden comment.
    assert ("amendment_proposed", "", "1", "Expert2") in kinds("expert")
    assert not [k for k in kinds("observer") if k[0] == "comment_hidden"]
    # Reading the list does not clear it; dismissing does.
    assert kinds() == got
    activity.mark_seen(world.db, actor_id=world["expert2"], roundtable_id=world.roundtable_id)
    assert kinds() == []
    # "The last 7 days" brings it back on demand.
    from datetime import timedelta

    week = datetime.now(UTC) - timedelta(days=7)
    assert kinds(since=week) == got


def test_a_reply_by_someone_who_withheld_their_name_does_not_name_them_to_an_expert(world):
    from recdraft.services import roundtables

    mine = _post(world, who="expert", body="A question for the Society")
    roundtables.set_membership(
        world.db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        user_id=world["expert2"],
        role="expert",
        consent_named=False,
    )
    _post(world, who="expert2", body="An answer", parent_id=mine.id)
    answered = [
        e
        for e in activity.concerning_me(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
        if e.kind == "comment_answered"
    ]
    assert len(answered) == 1 and answered[0].actor_name is None
