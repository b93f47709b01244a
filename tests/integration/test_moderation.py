"""Moderation of comments (services.moderation): hide, reject, restore with reasons, the log, the queue,
flags resolved by a decision."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from recdraft.db.models import (
    AuditEvent,
    CommentFlag,
    ModerationEntry,
)
from recdraft.errors import InvalidInput, InvalidTransition, PermissionDenied
from recdraft.services import activity, moderation
from recdraft.services import comments as cm
from recdraft.services import recommendations as recs
from tests.factories import content, make_world

TEXT = "Parliament should adopt a law on the National Society of the Red Crescent."
KK = "Қазақстан Республикасының Қызыл Жарты Ай Қоғамы туралы заң қабылдансын: әғқңөұүһі"
RU = 'Принять закон «Об Обществе Красного Полумесяца», — ёЁ; "кавычки", запятые'


def _world(db, mode):
    w = make_world(db, moderation_mode=mode)
    w.rec = recs.create_recommendation(
        db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content(text=TEXT)
    )
    return w


@pytest.fixture
def world(db):
    """A pre-moderation roundtable with one recommendation by ``expert``."""
    return _world(db, "pre")


@pytest.fixture
def post_world(db):
    """A post-moderation roundtable with one recommendation by ``expert``."""
    return _world(db, "post")


def _post(w, who="expert2", body="A comment", **kw):
    return cm.post_comment(w.db, actor_id=w[who], recommendation_id=w.rec.id, body=body, **kw)


def _seen_by(w, who):
    return {c.id: c for c in cm.list_comments(w.db, actor_id=w[who], recommendation_id=w.rec.id)}


def _count(w, model, *where):
    with w.db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _published(w, who="moderator"):
    return [c.id for c in cm.published_comments_for_export(w.db, actor_id=w[who], roundtable_id=w.roundtable_id)]


# ---------------------------------------------------------------- hide, reject, restore


def test_hiding_with_a_reason_removes_it_from_experts_observers_the_export_and_others_feeds(post_world):
    w = post_world
    c = _post(w, body="Offensive remark")
    assert c.id in _published(w)
    hidden = moderation.moderate_comment(
        w.db, actor_id=w["moderator"], comment_id=c.id, action="hide", reason="Insulting"
    )
    assert hidden.status == "hidden"
    assert c.id not in _seen_by(w, "expert") and c.id not in _seen_by(w, "observer")
    assert c.id not in _published(w)
    assert _seen_by(w, "expert2")[c.id].status == "hidden"  # the author learns what happened
    assert c.id in _seen_by(w, "moderator")
    for who in ("expert", "observer"):
        feed = activity.activity_feed(w.db, actor_id=w[who], roundtable_id=w.roundtable_id)
        assert not [e for e in feed if e.object_type == "comment" and e.object_id == c.id]
        assert "Offensive" not in str([e.details for e in feed])


def test_a_moderator_rejects_a_pending_comment_and_can_restore_it(world):
    c = _post(world)
    out = moderation.moderate_comment(
        world.db, actor_id=world["moderator"], comment_id=c.id, action="reject", reason="Off topic"
    )
    assert out.status == "rejected" and c.id not in _seen_by(world, "expert")
    assert _seen_by(world, "expert2")[c.id].status == "rejected"
    out = moderation.moderate_comment(
        world.db, actor_id=world["admin"], comment_id=c.id, action="restore", reason="It is on topic after all"
    )
    assert out.status == "published" and c.id in _seen_by(world, "expert")


def test_hide_reject_and_restore_need_a_reason(world):
    pending, published = _post(world), _post(world, who="moderator")
    moderation.moderate_comment(
        world.db, actor_id=world["moderator"], comment_id=published.id, action="hide", reason="Rude"
    )
    for action, comment in (("hide", pending), ("reject", pending), ("restore", published)):
        with pytest.raises(InvalidInput, match="Reason cannot be empty"):
            moderation.moderate_comment(
                world.db, actor_id=world["moderator"], comment_id=comment.id, action=action, reason="  "
            )
    assert _count(world, ModerationEntry) == 1


def test_approve_needs_no_reason_and_moderation_follows_the_defined_paths(world):
    c = _post(world)
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    with pytest.raises(InvalidTransition):
        moderation.moderate_comment(
            world.db, actor_id=world["moderator"], comment_id=c.id, action="reject", reason="Late"
        )
    with pytest.raises(InvalidInput, match="Unknown moderation action"):
        moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="delete", reason="x")


def test_only_moderators_moderate_and_a_refusal_writes_nothing(post_world):
    c = _post(post_world)
    before = (_count(post_world, ModerationEntry), _count(post_world, AuditEvent))
    for who in ("expert", "expert2", "observer"):
        with pytest.raises(PermissionDenied):
            moderation.moderate_comment(
                post_world.db, actor_id=post_world[who], comment_id=c.id, action="hide", reason="x"
            )
    assert (_count(post_world, ModerationEntry), _count(post_world, AuditEvent)) == before
    assert _seen_by(post_world, "observer")[c.id].status == "published"


def test_the_moderation_log_records_each_decision_with_moderator_and_reason(world):
    c = _post(world)
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    moderation.moderate_comment(
        world.db, actor_id=world["admin"], comment_id=c.id, action="hide", reason="Personal data"
    )
    log = moderation.moderation_log(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert [(e.action, e.from_status, e.to_status, e.reason, e.moderator_name) for e in log] == [
        ("hide", "published", "hidden", "Personal data", "Admin"),
        ("approve", "pending", "published", "", "Moderator"),
    ]
    assert _count(world, AuditEvent, AuditEvent.action.in_(["comment.approve", "comment.hide"])) == 2
    with pytest.raises(PermissionDenied):
        moderation.moderation_log(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)


# ---------------------------------------------------------------- the queue and reports


def test_the_queue_lists_pending_and_flagged_comments_oldest_first_until_moderated(world):
    flagged = _post(world, who="moderator", body="Published at once")
    pending = _post(world, body="Waiting")
    cm.flag_comment(world.db, actor_id=world["expert"], comment_id=flagged.id, reason="Wrong facts")
    queue = moderation.moderation_queue(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert [c.id for c in queue] == [flagged.id, pending.id]
    # Only the pending comment awaits moderation: a report never holds the memo back (issue 10, item 2).
    assert moderation.unmoderated_count(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id) == 1
    kept = moderation.moderate_comment(
        world.db, actor_id=world["moderator"], comment_id=flagged.id, action="approve", reason="The facts are right"
    )
    assert kept.status == "published" and kept.open_flags == 0
    with world.db.read() as s:
        assert s.scalar(select(CommentFlag.resolved_at).where(CommentFlag.comment_id == flagged.id)) is not None
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=pending.id, action="approve")
    assert moderation.moderation_queue(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id) == []
    assert moderation.unmoderated_count(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id) == 0
    with pytest.raises(PermissionDenied):
        moderation.moderation_queue(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)


def test_hiding_a_flagged_comment_resolves_its_flags(post_world):
    w = post_world
    c = _post(w)
    cm.flag_comment(w.db, actor_id=w["expert"], comment_id=c.id, reason="Rude")
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=c.id, action="hide", reason="Rude")
    assert _count(w, CommentFlag, CommentFlag.resolved_at.is_(None)) == 0
    assert (
        moderation.unmoderated_count(
            w.db, actor_id=w["moderator"], roundtable_id=w.roundtable_id, recommendation_ids=[w.rec.id]
        )
        == 0
    )
