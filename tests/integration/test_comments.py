"""Comments: moderation modes, who sees what, edits, flags, resolution, CSV export (moderating them: test_moderation.py)."""

from __future__ import annotations

import csv
import io
import threading

import pytest
from sqlalchemy import event, func, select

from recdraft.db.models import (
    AuditEvent,
    Comment,
    CommentEdit,
    CommentFlag,
    ModerationEntry,
)
from recdraft.errors import InvalidInput, NotFound, PermissionDenied
from recdraft.services import comments as cm
from recdraft.services import moderation, roundtables
from recdraft.services import recommendations as recs
from recdraft.services._base import SYSTEM
from tests.factories import content, make_comment, world_with_recommendation

TEXT = "Parliament should adopt a law on the National Society of the Red Crescent."
KK = "Қазақстан Республикасының Қызыл Жарты Ай Қоғамы туралы заң қабылдансын: әғқңөұүһі"
RU = 'Принять закон «Об Обществе Красного Полумесяца», — ёЁ; "кавычки", запятые'


@pytest.fixture
def world(db):
    """A pre-moderation roundtable with one recommendation by ``expert``."""
    return world_with_recommendation(db, moderation_mode="pre", text=TEXT)


@pytest.fixture
def post_world(db):
    """A post-moderation roundtable with one recommendation by ``expert``."""
    return world_with_recommendation(db, moderation_mode="post", text=TEXT)


def _post(w, who="expert2", body="A comment", **kw):
    return make_comment(w, who, body, **kw)


def _seen_by(w, who):
    return {c.id: c for c in cm.list_comments(w.db, actor_id=w[who], recommendation_id=w.rec.id)}


def _count(w, model, *where):
    with w.db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def _published(w, who="moderator"):
    return [c.id for c in cm.published_comments_for_export(w.db, actor_id=w[who], roundtable_id=w.roundtable_id)]


# ---------------------------------------------------------------- moderation modes


def test_in_pre_moderation_a_comment_is_pending_seen_by_its_author_and_hidden_from_others_until_approved(world):
    c = _post(world)
    assert c.status == "pending"
    assert _seen_by(world, "expert2")[c.id].status == "pending"
    assert c.id not in _seen_by(world, "expert") and c.id not in _seen_by(world, "observer")
    assert c.id in _seen_by(world, "moderator")
    with pytest.raises(NotFound):
        cm.get_comment(world.db, actor_id=world["expert"], comment_id=c.id)
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    assert _seen_by(world, "observer")[c.id].status == "published"


def test_in_post_moderation_a_comment_appears_at_once(post_world):
    c = _post(post_world)
    assert c.status == "published"
    assert c.id in _seen_by(post_world, "observer")


def test_a_moderators_comment_is_published_at_once_even_in_pre_moderation(world):
    assert _post(world, who="moderator").status == "published"
    assert _post(world, who="admin").status == "published"


def test_observers_and_outsiders_cannot_comment_and_nothing_is_written(world):
    before = (_count(world, Comment), _count(world, AuditEvent))
    for who in ("observer", "outsider"):
        with pytest.raises(PermissionDenied):
            _post(world, who=who)
    assert (_count(world, Comment), _count(world, AuditEvent)) == before


def test_once_the_roundtable_is_final_nobody_comments_not_even_admins(post_world):
    roundtables.set_phase(post_world.db, actor_id=SYSTEM, roundtable_id=post_world.roundtable_id, phase="closed")
    for who in ("moderator", "admin"):
        with pytest.raises(PermissionDenied, match="final"):
            _post(post_world, who=who)


def test_a_comment_and_its_audit_row_are_written_together_without_the_body(world):
    before = _count(world, AuditEvent, AuditEvent.action == "comment.post")
    c = _post(world, body="Secret wording only moderators may read")
    assert _count(world, AuditEvent, AuditEvent.action == "comment.post") == before + 1
    with world.db.read() as s:
        row = s.execute(
            select(AuditEvent.actor_id, AuditEvent.details).where(
                AuditEvent.object_id == c.id, AuditEvent.action == "comment.post"
            )
        ).one()
    assert row.actor_id == world["expert2"] and "Secret" not in str(row.details)


def test_when_the_transaction_fails_neither_the_comment_nor_its_audit_row_is_stored(world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("fails after the audit row was added")

    monkeypatch.setattr(cm, "_one_view", boom)
    before = (_count(world, Comment), _count(world, AuditEvent))
    with pytest.raises(RuntimeError):
        _post(world)
    assert (_count(world, Comment), _count(world, AuditEvent)) == before


# ---------------------------------------------------------------- flags and the queue


def test_each_person_flags_a_comment_once_with_a_reason_and_the_author_cannot(post_world):
    w = post_world
    c = _post(w)
    with pytest.raises(InvalidInput, match="Reason cannot be empty"):
        cm.flag_comment(w.db, actor_id=w["expert"], comment_id=c.id, reason="")
    cm.flag_comment(w.db, actor_id=w["expert"], comment_id=c.id, reason="Insulting")
    with pytest.raises(InvalidInput, match="already flagged"):
        cm.flag_comment(w.db, actor_id=w["expert"], comment_id=c.id, reason="Again")
    cm.flag_comment(w.db, actor_id=w["observer"], comment_id=c.id, reason="Agree, insulting")
    with pytest.raises(PermissionDenied):
        cm.flag_comment(w.db, actor_id=w["expert2"], comment_id=c.id, reason="Mine")
    assert _count(w, CommentFlag) == 2
    assert _seen_by(w, "moderator")[c.id].open_flags == 2
    assert _seen_by(w, "expert")[c.id].open_flags == 0  # who reported what is for moderators


# ---------------------------------------------------------------- edits


def test_an_edit_keeps_the_earlier_text_in_the_history(post_world):
    w = post_world
    c = _post(w, body="First words")
    out = cm.edit_comment(w.db, actor_id=w["expert2"], comment_id=c.id, body="Second words")
    assert out.body == "Second words" and out.edited
    history = cm.comment_history(w.db, actor_id=w["moderator"], comment_id=c.id)
    assert [(h.previous_body, h.editor_id) for h in history] == [("First words", w["expert2"])]
    assert _count(w, AuditEvent, AuditEvent.action == "comment.edit") == 1
    with pytest.raises(PermissionDenied):
        cm.comment_history(w.db, actor_id=w["expert"], comment_id=c.id)


def test_only_the_author_can_edit_a_comment(post_world):
    w = post_world
    c = _post(w)
    for who in ("expert", "moderator", "admin"):
        with pytest.raises(PermissionDenied):
            cm.edit_comment(w.db, actor_id=w[who], comment_id=c.id, body="Not my words")
    assert _count(w, CommentEdit) == 0


def test_in_pre_moderation_an_edited_published_comment_waits_for_a_moderator_and_others_keep_the_approved_text(world):
    # Issue 18 item 4: the edit waits for a moderator (it used to send the whole comment back to pending,
    # so it vanished from its thread for everyone else until re-approved).
    c = _post(world, body="Harmless text")
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    out = cm.edit_comment(world.db, actor_id=world["expert2"], comment_id=c.id, body="Text never approved")
    assert out.pending_body == "Text never approved" and out.body == "Harmless text"
    for who in ("expert", "observer"):  # the new text cannot slip past the moderators...
        seen = _seen_by(world, who)[c.id]
        assert seen.body == "Harmless text" and seen.status == "published" and seen.pending_body is None
    memo = [
        v.body
        for v in cm.published_comments_for_export(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    ]
    assert memo == ["Harmless text"]
    queue = moderation.moderation_queue(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert [(q.id, q.pending_body) for q in queue] == [(c.id, "Text never approved")]  # ...who see it waiting


def test_in_post_moderation_an_edit_keeps_the_comment_published(post_world):
    c = _post(post_world)
    out = cm.edit_comment(post_world.db, actor_id=post_world["expert2"], comment_id=c.id, body="Better words")
    assert out.status == "published"


def test_editing_a_hidden_comment_keeps_it_hidden(post_world):
    w = post_world
    c = _post(w)
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=c.id, action="hide", reason="Rude")
    out = cm.edit_comment(w.db, actor_id=w["expert2"], comment_id=c.id, body="Now polite")
    assert out.status == "hidden" and c.id not in _seen_by(w, "expert")


def test_a_moderator_hiding_while_the_author_edits_take_turns_and_the_comment_ends_hidden(world):
    c = _post(world, body="Original")
    moderation.moderate_comment(world.db, actor_id=world["moderator"], comment_id=c.id, action="approve")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(fn, **kw):
        start.wait()
        try:
            fn(world.db, comment_id=c.id, **kw)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=run, args=(cm.edit_comment,), kwargs={"actor_id": world["expert2"], "body": "Edited"}),
        threading.Thread(
            target=run,
            args=(moderation.moderate_comment,),
            kwargs={"actor_id": world["moderator"], "action": "hide", "reason": "Rude"},
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    # Either order ends hidden: edit → pending → hidden, or hidden → edit keeps hidden.
    assert cm.get_comment(world.db, actor_id=world["moderator"], comment_id=c.id).status == "hidden"
    assert _count(world, CommentEdit) == 1 and _count(world, ModerationEntry) == 2


# ---------------------------------------------------------------- replies and quotes


def test_a_reply_to_a_hidden_comment_is_refused_for_non_moderators(post_world):
    w = post_world
    c = _post(w)
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=c.id, action="hide", reason="Rude")
    with pytest.raises(NotFound):
        _post(w, who="expert", parent_id=c.id)
    with pytest.raises(InvalidInput, match="only to published"):
        _post(w, who="expert2", parent_id=c.id)
    assert _post(w, who="moderator", parent_id=c.id, body="Why this was hidden").parent_id == c.id


def test_a_reply_must_be_on_the_same_recommendation(post_world):
    w = post_world
    other = recs.create_recommendation(w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content())
    c = cm.post_comment(w.db, actor_id=w["expert2"], recommendation_id=other.id, body="Elsewhere")
    with pytest.raises(NotFound):
        _post(w, parent_id=c.id)


def test_replies_follow_their_parent_in_thread_order(post_world):
    w = post_world
    a = _post(w, body="First thread")
    b = _post(w, body="Second thread")
    a1 = _post(w, who="expert", body="Reply to first", parent_id=a.id)
    a1x = _post(w, body="Reply to the reply", parent_id=a1.id)
    a2 = _post(w, who="moderator", body="Another reply to first", parent_id=a.id)
    assert list(_seen_by(w, "observer")) == [a.id, a1.id, a1x.id, a2.id, b.id]
    moderation.moderate_comment(w.db, actor_id=w["moderator"], comment_id=a.id, action="hide", reason="Rude")
    # Replies outlive a hidden parent; for those who cannot see it they start threads of their own.
    assert list(_seen_by(w, "observer")) == [b.id, a1.id, a1x.id, a2.id]


def test_a_quote_must_be_a_passage_of_the_current_text(world):
    ok = _post(world, quote="adopt a law\n  on the   National Society")
    assert ok.quote == "adopt a law on the National Society"
    with pytest.raises(InvalidInput, match="not in the recommendation") as info:
        _post(world, quote="repeal every law")
    assert info.value.field == "quote"


def test_a_quote_may_come_from_any_language_of_the_text(world):
    recs.edit_recommendation(
        world.db,
        actor_id=world["expert"],
        recommendation_id=world.rec.id,
        base_revision_id=world.rec.current_revision.id,
        content={"en": {"title": "Adopt", "text": TEXT}, "kk": {"title": "Заң", "text": KK}},
    )
    assert _post(world, quote="Қызыл Жарты Ай Қоғамы").quote == "Қызыл Жарты Ай Қоғамы"


def test_the_same_submission_key_twice_stores_one_comment(world):
    first = _post(world, submission_key="comment-key-1")
    again = _post(world, submission_key="comment-key-1")
    assert again.id == first.id and _count(world, Comment) == 1
    with pytest.raises(InvalidInput, match="already used"):
        _post(world, who="expert", submission_key="comment-key-1")


# ---------------------------------------------------------------- resolution


def test_a_comment_is_addressed_in_revision_n_or_declined_with_a_reason(post_world):
    w = post_world
    c1, c2 = _post(w, body="Name the ministry"), _post(w, body="Drop the deadline")
    r2 = recs.edit_recommendation(
        w.db,
        actor_id=w["expert"],
        recommendation_id=w.rec.id,
        base_revision_id=w.rec.current_revision.id,
        content=content(text=TEXT + " Ministry."),
    )
    out = cm.resolve_comment(
        w.db, actor_id=w["expert"], comment_id=c1.id, resolution="addressed", revision_id=r2.current_revision.id
    )
    assert out.resolution == "addressed" and out.addressed_revision_number == 2
    with pytest.raises(InvalidInput, match="Reason cannot be empty"):
        cm.resolve_comment(w.db, actor_id=w["expert"], comment_id=c2.id, resolution="declined")
    out = cm.resolve_comment(
        w.db,
        actor_id=w["moderator"],
        comment_id=c2.id,
        resolution="declined",
        reason="The deadline is required by the Geneva Conventions commitments",
    )
    assert out.resolution == "declined" and out.resolution_reason.startswith("The deadline")
    assert _seen_by(w, "observer")[c1.id].addressed_revision_number == 2


def test_only_authors_and_moderators_resolve_and_the_revision_must_be_of_this_recommendation(post_world):
    w = post_world
    c = _post(w)
    with pytest.raises(PermissionDenied):
        cm.resolve_comment(w.db, actor_id=w["expert2"], comment_id=c.id, resolution="declined", reason="No")
    other = recs.create_recommendation(w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content())
    with pytest.raises(InvalidInput, match="not a revision of this recommendation"):
        cm.resolve_comment(
            w.db, actor_id=w["expert"], comment_id=c.id, resolution="addressed", revision_id=other.current_revision.id
        )
    with pytest.raises(InvalidInput, match="which revision"):
        cm.resolve_comment(w.db, actor_id=w["expert"], comment_id=c.id, resolution="addressed")


# ---------------------------------------------------------------- export


def test_the_csv_export_neutralises_formulas_and_round_trips_kazakh_and_russian(post_world):
    w = post_world
    bodies = ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(1)", KK, RU + "\nВторая строка"]
    made = [_post(w, body=b) for b in bodies]
    cm.resolve_comment(w.db, actor_id=w["expert"], comment_id=made[5].id, resolution="declined", reason="=1+1")
    rows = list(
        csv.reader(io.StringIO(cm.export_comments_csv(w.db, actor_id=w["moderator"], roundtable_id=w.roundtable_id)))
    )
    assert rows[0] == list(cm.CSV_COLUMNS)
    body = {int(r[0]): r[6] for r in rows[1:]}
    assert [body[c.id] for c in made[:4]] == ["'=cmd|' /C calc'!A0", "'+1", "'-2+3", "'@SUM(1)"]
    assert body[made[4].id] == KK and body[made[5].id] == RU + "\nВторая строка"
    last = next(r for r in rows if r[0] == str(made[5].id))
    assert last[1] == "1" and last[3] == "Expert2" and last[4] == "published"
    assert last[8] == "declined: =1+1"  # does not start with '=', so it stays as written
    with pytest.raises(PermissionDenied):
        cm.export_comments_csv(w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id)


def test_the_export_for_the_memo_holds_published_comments_only(world):
    pending = _post(world)
    published = _post(world, who="moderator")
    assert _published(world, who="expert") == [published.id]
    assert pending.id not in _published(world)


def test_listing_comments_takes_the_same_number_of_queries_for_two_or_twenty(post_world):
    w = post_world

    def statements_to_list() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731 - (conn, cursor, statement, ...)
        event.listen(w.db.engine, "before_cursor_execute", listener)
        try:
            cm.list_comments(w.db, actor_id=w["observer"], recommendation_id=w.rec.id)
            cm.published_comments_for_export(w.db, actor_id=w["observer"], roundtable_id=w.roundtable_id)
        finally:
            event.remove(w.db.engine, "before_cursor_execute", listener)
        return len(seen)

    first = _post(w)
    later = recs.edit_recommendation(
        w.db,
        actor_id=w["expert"],
        recommendation_id=w.rec.id,
        base_revision_id=w.rec.current_revision.id,
        content=content(text="Revised"),
    )
    cm.resolve_comment(
        w.db, actor_id=w["expert"], comment_id=first.id, resolution="addressed", revision_id=later.current_revision.id
    )
    _post(w, who="expert", parent_id=first.id)
    few = statements_to_list()
    for i in range(18):
        c = _post(w, who="moderator" if i % 2 else "expert2", body=f"Comment {i}")
        cm.edit_comment(w.db, actor_id=w["moderator"] if i % 2 else w["expert2"], comment_id=c.id, body=f"Edit {i}")
    assert statements_to_list() == few
