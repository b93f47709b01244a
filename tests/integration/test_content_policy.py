"""The content services after issue 12: one policy, views that say what the viewer may do, keyed messages.

- ``RecommendationView.actions`` and ``CommentView.actions`` are what the services will accept from this
  viewer now, so the pages show exactly those controls;
- refusals and conflicts carry catalogue keys (rendered in the reader's language) and a Conflict names the
  other revision and its author;
- notes the program writes on a revision are stored as messages and shown translated; typed notes and
  notes stored before as English sentences are shown as they are.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from recdraft.db.models import Revision
from recdraft.domain.policy import Action
from recdraft.domain.revisions import note_message, note_text, program_note
from recdraft.errors import Conflict, PermissionDenied
from recdraft.i18n.messages import Msg
from recdraft.services import amendments, comments, moderation, revisions, roundtables
from recdraft.services import recommendations as recs
from recdraft.services._base import SYSTEM
from tests.factories import content, make_world


@pytest.fixture
def world(db):
    w = make_world(db, moderation_mode="post")
    w.rec = recs.create_recommendation(db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content())
    return w


def _actions(world, who):
    return recs.get_recommendation(world.db, actor_id=world[who], recommendation_id=world.rec.id).actions


def test_a_recommendation_says_what_each_viewer_may_do(world):
    assert {Action.EDIT, Action.DRAFT, Action.COMMENT} <= _actions(world, "expert")  # its author
    assert Action.EDIT not in _actions(world, "expert2")  # another expert proposes an amendment instead
    assert Action.DRAFT in _actions(world, "expert2")
    assert {Action.EDIT, Action.MODERATE} <= _actions(world, "moderator")
    assert not {Action.EDIT, Action.DRAFT, Action.COMMENT, Action.MODERATE} & _actions(world, "observer")
    listed = recs.list_recommendations(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    assert Action.EDIT in listed.items[0].actions
    many = recs.get_many(world.db, actor_id=world["expert2"], roundtable_id=world.roundtable_id, ids=[world.rec.id])
    assert Action.EDIT not in many[world.rec.id].actions


def test_in_the_final_phase_the_actions_follow_the_phase(world):
    roundtables.set_phase(world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, phase="closed")
    assert Action.EDIT not in _actions(world, "moderator") and Action.MODERATE in _actions(world, "moderator")
    assert not _actions(world, "expert") & {Action.EDIT, Action.DRAFT, Action.COMMENT}


def test_a_comment_says_what_each_viewer_may_do_with_it(world):
    c = comments.post_comment(world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, body="Why?")

    def actions_of(who):
        return comments.get_comment(world.db, actor_id=world[who], comment_id=c.id).actions

    assert {"edit", "reply"} <= actions_of("expert2") and "flag" not in actions_of("expert2")
    assert {"reply", "flag", "resolve"} <= actions_of("expert")  # the recommendation's author resolves
    assert {"flag"} == actions_of("observer")  # observers report, nothing else
    assert {"hide", "resolve", "reply", "flag"} <= actions_of("moderator") and "edit" not in actions_of("moderator")
    page = comments.comment_page(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)
    assert page.entries[0].comment.actions == actions_of("expert")


def test_refusals_carry_keys_and_name_the_action_in_every_language(world):
    with pytest.raises(PermissionDenied) as refused:
        comments.post_comment(world.db, actor_id=world["observer"], recommendation_id=world.rec.id, body="Hi")
    assert refused.value.key == "svc.comments.observers_cannot_comment"
    assert refused.value.text("ru") != refused.value.text("en")
    c = comments.post_comment(world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, body="Hm")
    with pytest.raises(PermissionDenied, match="moderate comments") as refused:
        moderation.moderate_comment(world.db, actor_id=world["expert"], comment_id=c.id, action="hide", reason="No")
    assert refused.value.key == "svc.comments.only_staff_moderate"


def test_a_conflict_names_the_other_revision_and_its_author(world):
    base = world.rec.current_revision.id
    recs.edit_recommendation(
        world.db,
        actor_id=world["moderator"],
        recommendation_id=world.rec.id,
        base_revision_id=base,
        content=content(text="The moderator's words."),
    )
    with pytest.raises(Conflict) as caught:
        recs.edit_recommendation(
            world.db,
            actor_id=world["expert"],
            recommendation_id=world.rec.id,
            base_revision_id=base,
            content=content(text="The author's words."),
        )
    conflict = caught.value
    assert conflict.current_revision_number == 2 and conflict.current_author_name
    assert conflict.saved_draft_id is not None and conflict.current_saved_at is not None
    assert "revision 2" in conflict.text("en") and "2" in conflict.text("kk")


def test_program_notes_are_messages_shown_in_the_readers_language(world):
    first = world.rec.current_revision.id
    recs.edit_recommendation(
        world.db,
        actor_id=world["expert"],
        recommendation_id=world.rec.id,
        base_revision_id=first,
        content=content(text="Second."),
        note="tightened",
    )
    revisions.restore_revision(world.db, actor_id=world["expert"], recommendation_id=world.rec.id, revision_id=first)
    history = revisions.list_revisions(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)
    restored = history[-1]
    assert note_message(restored.note) == Msg("svc.content.note_restored", number=1)
    assert restored.note_in("en") == "Restored revision 1"
    assert restored.note_in("ru") == "Восстановлена редакция 1"
    assert history[1].note_in("kk") == "tightened"  # typed: as typed
    a = amendments.propose_amendment(
        world.db, actor_id=world["expert2"], recommendation_id=world.rec.id, content=content(text="Amended.")
    )
    amendments.accept_amendment(world.db, actor_id=world["expert"], amendment_id=a.id)
    rec = recs.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)
    assert rec.current_revision.note_in("kk") == "1-түзету қабылданды"


def test_old_english_notes_still_display(world):
    with world.db.write() as s:
        s.execute(
            update(Revision).where(Revision.id == world.rec.current_revision.id).values(note="Restored revision 1")
        )
    rev = revisions.list_revisions(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)[0]
    assert rev.note_in("ru") == "Restored revision 1"
    assert note_text('{"not": "a message"}', "ru") == '{"not": "a message"}'
    assert note_text(program_note(Msg("svc.content.note_restored", number=3)), "en") == "Restored revision 3"
