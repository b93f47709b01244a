"""Comment threads a page at a time, hidden comments in their place, and edits that wait for a moderator.

Issue 15 goal 2 (the detail page gets one page of threads, not every comment) and issue 18 item 4
(a reply to a hidden comment keeps its context; the author of a hidden comment sees why; under
pre-moderation an edited comment keeps its approved text for everyone else until a moderator decides).
Runs on SQLite and PostgreSQL (the ``db`` fixture).
"""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from recdraft.db.models import AuditEvent, CommentEdit
from recdraft.db.thread_models import CommentPendingEdit
from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.services import comments as cm
from recdraft.services import moderation
from tests.factories import make_comment, world_with_recommendation


@pytest.fixture
def world(db):
    return world_with_recommendation(db, moderation_mode="pre", text="Parliament should adopt a law on the Society.")


@pytest.fixture
def post_world(db):
    return world_with_recommendation(db, moderation_mode="post", text="Parliament should adopt a law on the Society.")


def _post(w, who="expert2", body="A comment", **kw):
    return make_comment(w, who, body, **kw)


def _page(w, who, page=1, size=cm.THREADS_PER_PAGE):
    return cm.comment_page(w.db, actor_id=w[who], recommendation_id=w.rec.id, page=page, page_size=size)


def _shape(view):
    """(depth, body or the placeholder's reason) for each entry."""
    return [(e.depth, e.comment.body if e.comment else f"<{e.placeholder}>") for e in view.entries]


# ---------------------------------------------------------------- pages of threads


def test_a_page_holds_whole_threads_oldest_first_with_their_replies(post_world):
    w = post_world
    firsts = [_post(w, body=f"Thread {i}") for i in range(5)]
    _post(w, who="expert", body="Reply to 1", parent_id=firsts[1].id)
    deep = _post(w, body="Reply to 4", parent_id=firsts[4].id)
    _post(w, who="moderator", body="Reply to the reply", parent_id=deep.id)
    one = _page(w, "observer", page=1, size=2)
    assert (one.page, one.pages, one.threads, one.comments) == (1, 3, 5, 8)
    assert _shape(one) == [(0, "Thread 0"), (0, "Thread 1"), (1, "Reply to 1")]
    assert _shape(_page(w, "observer", page=3, size=2)) == [
        (0, "Thread 4"),
        (1, "Reply to 4"),
        (2, "Reply to the reply"),
    ]
    # A page past the end shows the last page rather than nothing.
    assert _page(w, "observer", page=99, size=2).page == 3
    # The same order as the whole list.
    every = [e.comment.id for p in (1, 2, 3) for e in _page(w, "observer", page=p, size=2).entries]
    assert every == [c.id for c in cm.list_comments(w.db, actor_id=w["observer"], recommendation_id=w.rec.id)]


def test_a_page_costs_the_same_queries_for_ten_or_two_hundred_comments(post_world):
    w = post_world

    def statements() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(w.db.engine, "before_cursor_execute", listener)
        try:
            view = _page(w, "expert")
        finally:
            event.remove(w.db.engine, "before_cursor_execute", listener)
        assert len([e for e in view.entries if e.depth == 0]) == min(view.threads, cm.THREADS_PER_PAGE)
        return len(seen)

    for i in range(10):
        c = _post(w, body=f"First {i}")
        _post(w, who="moderator", body=f"Answer {i}", parent_id=c.id)
    few = statements()
    for i in range(190):
        _post(w, who="moderator" if i % 2 else "expert2", body=f"More {i}")
    assert statements() == few


# ---------------------------------------------------------------- hidden comments in their thread


def test_a_reply_to_a_hidden_comment_stays_in_place_under_a_placeholder(post_world):
    w = post_world
    first = _post(w, body="Rude words")
    reply = _post(w, who="expert", body="Please stay polite", parent_id=first.id)
    other = _post(w, body="Another thread")
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=first.id, action="hide", reason="Insulting")
    seen = _page(w, "observer")
    assert _shape(seen) == [(0, "<hidden>"), (1, "Please stay polite"), (0, "Another thread")]
    placeholder = seen.entries[0]
    assert placeholder.comment is None  # neither text, nor author, nor id of the hidden comment
    assert "Rude words" not in placeholder.model_dump_json() and str(first.id) not in placeholder.model_dump_json()
    assert seen.entries[1].comment.parent_id is None and seen.entries[1].comment.id == reply.id
    assert seen.comments == 2 and seen.threads == 2
    # Moderators see the comment itself.
    assert _shape(_page(w, "moderator"))[0] == (0, "Rude words")
    # A hidden comment nobody answered leaves no placeholder.
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=other.id, action="hide", reason="Spam")
    assert _shape(_page(w, "observer")) == [(0, "<hidden>"), (1, "Please stay polite")]


def test_the_author_of_a_hidden_comment_sees_it_with_the_moderators_reason(post_world):
    w = post_world
    c = _post(w, body="My strong words")
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=c.id, action="hide", reason="Personal attack")
    mine = _page(w, "expert2").entries[0].comment
    assert (mine.body, mine.status, mine.moderation_reason) == ("My strong words", "hidden", "Personal attack")
    assert cm.get_comment(w.db, actor_id=w["expert2"], comment_id=c.id).moderation_reason == "Personal attack"
    # Restored, then hidden again: the latest reason is the one shown.
    moderation.moderate_comment(
        w.db, actor_id=w["moderator"], comment_id=c.id, action="restore", reason="Appeal granted"
    )
    assert _page(w, "expert2").entries[0].comment.moderation_reason is None
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=c.id, action="hide", reason="Again rude")
    assert _page(w, "expert2").entries[0].comment.moderation_reason == "Again rude"
    # Nobody else reads the reason (or the comment).
    assert _page(w, "expert").entries == []


# ---------------------------------------------------------------- an edit waits, the approved text stays


def _approved(world, body="Approved words"):
    c = _post(world, body=body)
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    return c


def test_others_read_the_approved_text_the_author_and_moderators_see_the_waiting_edit(world):
    c = _approved(world)
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Words not yet approved")
    other = _page(world, "expert").entries[0].comment
    assert (other.body, other.status, other.pending_body) == ("Approved words", "published", None)
    author = _page(world, "expert2").entries[0].comment
    assert (author.body, author.pending_body) == ("Approved words", "Words not yet approved")
    staff = _page(world, "moderator").entries[0].comment
    assert staff.pending_body == "Words not yet approved" and staff.pending_since is not None
    # A second edit replaces the waiting one; going back to the approved words withdraws it.
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Second try")
    with world.db.read() as s:
        assert list(s.scalars(select(CommentPendingEdit.body))) == ["Second try"]
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Approved words")
    assert moderation.moderation_queue(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id) == []


def test_approving_the_edit_makes_it_the_text_and_keeps_the_approved_one_in_the_history(world):
    c = _approved(world)
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Better words")
    assert moderation.unmoderated_count(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id) == 0
    out = moderation.decide_comment_edit(world.db, actor_id=world["moderator"], comment_id=c.id, decision="approve")
    assert (out.body, out.pending_body, out.edited) == ("Better words", None, True)
    assert _page(world, "observer").entries[0].comment.body == "Better words"
    history = cm.comment_history(world.db, actor_id=world["expert2"], comment_id=c.id)
    assert [(h.previous_body, h.editor_id) for h in history] == [("Approved words", world["expert2"])]
    with world.db.read() as s:
        event_ = s.scalars(select(AuditEvent).where(AuditEvent.action == "comment.approve_edit")).one()
        assert event_.visibility == "staff" and "Better words" not in str(event_.details)
    assert moderation.moderation_queue(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id) == []


def test_rejecting_the_edit_needs_a_reason_and_keeps_the_approved_text(world):
    c = _approved(world)
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Insulting words")
    with pytest.raises(InvalidInput):
        moderation.decide_comment_edit(world.db, actor_id=world["moderator"], comment_id=c.id, decision="reject")
    out = moderation.decide_comment_edit(
        world.db, actor_id=world["moderator"], comment_id=c.id, decision="reject", reason="Not acceptable"
    )
    assert (out.body, out.pending_body) == ("Approved words", None)
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(CommentPendingEdit)) == 0
        assert s.scalar(select(func.count()).select_from(CommentEdit)) == 0
    with pytest.raises(InvalidInput):  # nothing waits any more
        moderation.decide_comment_edit(world.db, actor_id=world["moderator"], comment_id=c.id, decision="approve")


def test_only_moderators_decide_an_edit_and_a_refusal_changes_nothing(world):
    c = _approved(world)
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Waiting words")
    for who in ("expert", "expert2", "observer"):
        with pytest.raises(PermissionDenied):
            moderation.decide_comment_edit(world.db, actor_id=world[who], comment_id=c.id, decision="approve")
    assert _page(world, "moderator").entries[0].comment.pending_body == "Waiting words"
    assert _page(world, "observer").entries[0].comment.body == "Approved words"


def test_in_post_moderation_an_edit_changes_the_text_at_once(post_world):
    c = _post(post_world, body="Before")
    out = cm.edit_comment(post_world.db, actor_id=post_world["expert2"], comment_id=c.id, body="After")
    assert (out.body, out.pending_body) == ("After", None)
    assert _page(post_world, "observer").entries[0].comment.body == "After"


def test_a_moderators_edit_changes_the_text_at_once_even_in_pre_moderation(world):
    mine = cm.post_comment(world.db, actor_id=world["moderator"], recommendation_id=world.rec.id, body="Staff note")
    out = cm.edit_comment(world.db, actor_id=world["moderator"], comment_id=mine.id, body="Staff note, corrected")
    assert (out.body, out.pending_body) == ("Staff note, corrected", None)
    assert _page(world, "observer").entries[0].comment.body == "Staff note, corrected"


def test_approving_the_comment_as_before_approves_its_waiting_edit(world):
    c = _approved(world)
    cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Words approved the old way")
    out = moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    assert (out.status, out.body, out.pending_body) == ("published", "Words approved the old way", None)
    assert _page(world, "expert").entries[0].comment.body == "Words approved the old way"
