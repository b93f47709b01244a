"""Issue 11, items 12 and 14: submission keys belong to one person and one recommendation; an adopted text
freezes what was adopted; a final roundtable still lets a person choose to be named, an archived one nothing.
"""

from __future__ import annotations

import pytest

from recdraft.errors import Conflict, InvalidInput, PermissionDenied
from recdraft.services import amendments as am
from recdraft.services import comments as cm
from recdraft.services import recommendations as recs
from recdraft.services import roundtables
from recdraft.services._base import SYSTEM
from tests.factories import (
    content,
    edit,
    make_amendment,
    make_comment,
    make_recommendation,
    make_roundtable,
    make_user,
    move_to,
    world_with_recommendation,
)
from tests.rowcounts import row_counts

KEY = "key-used-in-roundtable-a"


@pytest.fixture
def world(db):
    w = world_with_recommendation(db, submission_key=KEY)
    w.users["bee"] = make_user(db, "bee")
    w.other_id = make_roundtable(db, title="Roundtable B", members={w["bee"]: "expert", w["expert"]: "expert"})
    w.other_rec = make_recommendation(w.in_roundtable(w.other_id), "bee", title="B's own text")
    return w


def _adopt(w, rec_id: int) -> None:
    move_to(w, rec_id, "adopted", current="draft")


# ---------------------------------------------------------------- item 12: submission keys


def test_a_key_used_in_another_roundtable_never_returns_that_roundtables_recommendation(world):
    before = row_counts(world.db)
    with pytest.raises(InvalidInput, match="belongs to another submission"):
        recs.create_recommendation(
            world.db,
            actor_id=world["bee"],
            roundtable_id=world.other_id,
            content=content(title="Mine"),
            submission_key=KEY,
        )
    assert row_counts(world.db) == before


def test_the_same_person_reusing_a_key_in_another_roundtable_is_refused_too(world):
    with pytest.raises(InvalidInput, match="belongs to another submission"):
        recs.create_recommendation(
            world.db, actor_id=world["expert"], roundtable_id=world.other_id, content=content(), submission_key=KEY
        )


def test_sending_the_same_draft_twice_still_stores_it_once(world):
    again = recs.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content(), submission_key=KEY
    )
    assert again.id == world.rec.id


def test_an_edit_with_someone_elses_key_is_refused_instead_of_silently_saving_nothing(world):
    before = row_counts(world.db)
    with pytest.raises(InvalidInput, match="belongs to another submission"):
        recs.edit_recommendation(
            world.db,
            actor_id=world["bee"],
            recommendation_id=world.other_rec.id,
            base_revision_id=world.other_rec.current_revision.id,
            content=content(title="B's better text"),
            submission_key=KEY,
        )
    assert row_counts(world.db) == before
    # With a key of their own the same edit is saved.
    out = recs.edit_recommendation(
        world.db,
        actor_id=world["bee"],
        recommendation_id=world.other_rec.id,
        base_revision_id=world.other_rec.current_revision.id,
        content=content(title="B's better text"),
        submission_key="bee-own-key-1",
    )
    assert out.revision_saved and out.current_revision.content["en"].title == "B's better text"


def test_an_amendment_key_from_another_roundtable_never_returns_that_amendment(world):
    a = am.propose_amendment(
        world.db,
        actor_id=world["expert2"],
        recommendation_id=world.rec.id,
        content=content(text="Amended in A"),
        submission_key="amend-key-in-a",
    )
    before = row_counts(world.db)
    with pytest.raises(InvalidInput, match="belongs to another submission"):
        am.propose_amendment(
            world.db,
            actor_id=world["bee"],
            recommendation_id=world.other_rec.id,
            content=content(text="Amended in B"),
            submission_key="amend-key-in-a",
        )
    assert row_counts(world.db) == before
    again = am.propose_amendment(
        world.db,
        actor_id=world["expert2"],
        recommendation_id=world.rec.id,
        content=content(text="Amended in A"),
        submission_key="amend-key-in-a",
    )
    assert again.id == a.id


def test_a_comment_key_reused_on_another_recommendation_is_refused(world):
    cm.post_comment(
        world.db,
        actor_id=world["expert"],
        recommendation_id=world.rec.id,
        body="In A",
        submission_key="comment-key-in-a",
    )
    before = row_counts(world.db)
    with pytest.raises(InvalidInput, match="already used"):
        cm.post_comment(
            world.db,
            actor_id=world["expert"],
            recommendation_id=world.other_rec.id,
            body="In B",
            submission_key="comment-key-in-a",
        )
    assert row_counts(world.db) == before


# ---------------------------------------------------------------- item 14: an adopted text is frozen


@pytest.fixture
def adopted(world):
    world.amendment = make_amendment(world, world.rec, "expert2", text="Open amendment")
    revised = edit(world, world.rec, "expert", text="v2", base_revision_id=world.rec.current_revision.id)
    world.revision_id = revised.current_revision.id
    world.comment = make_comment(world, "expert2", "A remark", approve_by="moderator")
    _adopt(world, world.rec.id)
    return world


FROZEN_WRITES = {
    "topic and priority": (
        "topic and priority are frozen",
        lambda w, uid: recs.set_details(w.db, actor_id=uid, recommendation_id=w.rec.id, topic="Other", priority="high"),
    ),
    "co-authors": (
        "authors are frozen",
        lambda w, uid: recs.set_coauthors(w.db, actor_id=uid, recommendation_id=w.rec.id, user_ids=[w["expert2"]]),
    ),
    "propose an amendment": (
        "amendments are frozen",
        lambda w, uid: am.propose_amendment(
            w.db, actor_id=uid, recommendation_id=w.rec.id, content=content(text="Late amendment")
        ),
    ),
    "reject an amendment": (
        "amendments are frozen",
        lambda w, uid: am.reject_amendment(w.db, actor_id=uid, amendment_id=w.amendment.id, reason="Too late"),
    ),
    "resolve a comment": (
        "comments were resolved is frozen",
        lambda w, uid: cm.resolve_comment(
            w.db, actor_id=uid, comment_id=w.comment.id, resolution="addressed", revision_id=w.revision_id
        ),
    ),
}


@pytest.mark.parametrize("what", sorted(FROZEN_WRITES))
@pytest.mark.parametrize("who", ["expert", "moderator", "admin"])
def test_an_adopted_text_freezes_what_was_adopted_for_authors_and_staff(adopted, what, who):
    message, act = FROZEN_WRITES[what]
    before = row_counts(adopted.db)
    with pytest.raises(PermissionDenied, match=message):
        act(adopted, adopted[who])
    assert row_counts(adopted.db) == before


def test_the_proposer_cannot_update_an_amendment_of_an_adopted_text(adopted):
    with pytest.raises(PermissionDenied, match="amendments are frozen"):
        am.update_amendment(
            adopted.db,
            actor_id=adopted["expert2"],
            amendment_id=adopted.amendment.id,
            content=content(text="Updated late"),
        )


def test_details_sent_with_an_edit_of_an_adopted_text_are_refused(adopted):
    rec = recs.get_recommendation(adopted.db, actor_id=adopted["expert"], recommendation_id=adopted.rec.id)
    with pytest.raises(PermissionDenied):
        recs.edit_recommendation(
            adopted.db,
            actor_id=adopted["expert"],
            recommendation_id=rec.id,
            base_revision_id=rec.current_revision.id,
            content=content(text="v2"),
            topic="Changed",
            priority="low",
        )
    after = recs.get_recommendation(adopted.db, actor_id=adopted["expert"], recommendation_id=rec.id)
    assert (after.topic, after.priority) == (rec.topic, rec.priority)


def test_reopening_an_adopted_text_for_discussion_unfreezes_it(adopted):
    recs.set_status(
        adopted.db,
        actor_id=adopted["moderator"],
        recommendation_id=adopted.rec.id,
        status="discussion",
        reason="New evidence",
    )
    out = recs.set_details(
        adopted.db, actor_id=adopted["expert"], recommendation_id=adopted.rec.id, topic="Emblem", priority="high"
    )
    assert (out.topic, out.priority) == ("Emblem", "high")
    out = recs.set_coauthors(
        adopted.db, actor_id=adopted["expert"], recommendation_id=adopted.rec.id, user_ids=[adopted["expert2"]]
    )
    assert out.coauthor_ids == [adopted["expert2"]]
    resolved = cm.resolve_comment(
        adopted.db,
        actor_id=adopted["expert"],
        comment_id=adopted.comment.id,
        resolution="declined",
        reason="Out of scope",
    )
    assert resolved.resolution == "declined"
    rejected = am.reject_amendment(
        adopted.db, actor_id=adopted["expert"], amendment_id=adopted.amendment.id, reason="Superseded"
    )
    assert rejected.status == "rejected"


# ---------------------------------------------------------------- item 14: final and archived roundtables


def _phase(w, phase: str) -> None:
    roundtables.set_phase(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase=phase)


def test_a_kept_text_cannot_be_marked_merged_once_the_roundtable_is_final(world):
    _phase(world, "drafting")
    first = world.rec.current_revision.id
    recs.edit_recommendation(
        world.db,
        actor_id=world["moderator"],
        recommendation_id=world.rec.id,
        base_revision_id=first,
        content=content(text="Theirs"),
    )
    with pytest.raises(Conflict) as info:
        recs.edit_recommendation(
            world.db,
            actor_id=world["expert"],
            recommendation_id=world.rec.id,
            base_revision_id=first,
            content=content(text="Mine"),
        )
    draft_id = info.value.saved_draft_id
    current = recs.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=world.rec.id)
    _phase(world, "closed")
    before = row_counts(world.db)
    with pytest.raises(PermissionDenied, match="final"):
        recs.resolve_rejected_edit(
            world.db, actor_id=world["expert"], draft_id=draft_id, revision_id=current.current_revision.id
        )
    assert row_counts(world.db) == before
    kept = recs.get_rejected_edit(world.db, actor_id=world["expert"], draft_id=draft_id)
    assert kept.resolved_revision_id is None


def _consent(w) -> bool:
    members = roundtables.list_members(w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id)
    return next(m.consent_named for m in members if m.user_id == w["expert"])


def test_on_a_final_roundtable_a_person_can_still_withdraw_and_give_consent_to_be_named(world):
    _phase(world, "drafting")
    _phase(world, "closed")
    roundtables.set_my_consent(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, consent_named=False
    )
    assert _consent(world) is False
    roundtables.set_my_consent(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, consent_named=True
    )
    assert _consent(world) is True


def test_in_an_archived_roundtable_consent_no_longer_changes(world):
    _phase(world, "drafting")
    _phase(world, "archived")
    before = row_counts(world.db)
    with pytest.raises(PermissionDenied, match="archived"):
        roundtables.set_my_consent(
            world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, consent_named=False
        )
    assert row_counts(world.db) == before
    assert _consent(world) is True
