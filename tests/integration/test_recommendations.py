"""Drafting: create, edit, conflicts, list, diff, restore, status, renumber, co-authors."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from recdraft.db.models import AuditEvent, RejectedEdit, Revision
from recdraft.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from recdraft.services import recommendations as recs
from recdraft.services import revisions, roundtables
from recdraft.services._base import SYSTEM
from tests.factories import content, make_recommendation, make_world


@pytest.fixture
def world(db):
    return make_world(db)


def _create(world, who="expert", **kw):
    return make_recommendation(world, who, **kw)


def test_an_expert_drafts_a_recommendation_with_number_one_and_revision_one(world):
    rec = _create(world, topic="Recognition", priority="high")
    assert rec.number == 1 and rec.status == "draft" and rec.priority == "high"
    assert rec.current_revision.number == 1
    assert rec.current_revision.content["en"].title == "Adopt a law on the National Society"


def test_kazakh_russian_and_english_text_round_trips_exactly(world):
    kk = "Қазақстан Республикасының Қызыл Жарты Ай Қоғамы туралы заң қабылдансын: әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
    ru = "Принять закон «Об Обществе Красного Полумесяца Республики Казахстан» — ёЁ"
    c = {
        "kk": {"title": kk, "text": kk},
        "ru": {"title": ru, "text": ru + "\n\nВторой абзац."},
        "en": {"title": "Adopt", "text": "Text"},
    }
    rec = _create(world, content=c)
    again = recs.get_recommendation(world.db, actor_id=world["expert2"], recommendation_id=rec.id)
    assert again.current_revision.content["kk"].text == kk
    assert again.current_revision.content["ru"].text == ru + "\n\nВторой абзац."


def test_observer_cannot_draft_and_nothing_is_written(world):
    with pytest.raises(PermissionDenied):
        _create(world, who="observer")
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Revision)) == 0


def test_second_editor_from_the_same_base_gets_a_conflict_and_keeps_their_text(world):
    rec = _create(world)
    base = rec.current_revision.id
    recs.edit_recommendation(
        world.db,
        actor_id=world["expert"],
        recommendation_id=rec.id,
        base_revision_id=base,
        content=content(text="First editor's text"),
    )
    with pytest.raises(Conflict) as info:
        recs.edit_recommendation(
            world.db,
            actor_id=world["moderator"],
            recommendation_id=rec.id,
            base_revision_id=base,
            content=content(text="Second editor's text"),
        )
    assert info.value.current["en"].text == "First editor's text"
    assert info.value.yours["en"].text == "Second editor's text"
    kept = recs.get_rejected_edit(world.db, actor_id=world["moderator"], draft_id=info.value.saved_draft_id)
    assert kept.content["en"].text == "Second editor's text"


def test_an_expert_who_is_not_an_author_cannot_edit(world):
    rec = _create(world)
    with pytest.raises(PermissionDenied):
        recs.edit_recommendation(
            world.db,
            actor_id=world["expert2"],
            recommendation_id=rec.id,
            base_revision_id=rec.current_revision.id,
            content=content(text="x"),
        )


def test_a_co_author_can_edit(world):
    rec = _create(world)
    recs.set_coauthors(world.db, actor_id=world["expert"], recommendation_id=rec.id, user_ids=[world["expert2"]])
    out = recs.edit_recommendation(
        world.db,
        actor_id=world["expert2"],
        recommendation_id=rec.id,
        base_revision_id=rec.current_revision.id,
        content=content(text="Co-authored"),
    )
    assert out.current_revision.number == 2 and out.coauthor_ids == [world["expert2"]]


def test_the_same_submission_twice_stores_one_revision(world):
    rec = _create(world)
    for _ in range(2):
        recs.edit_recommendation(
            world.db,
            actor_id=world["expert"],
            recommendation_id=rec.id,
            base_revision_id=rec.current_revision.id,
            content=content(text="Once"),
            submission_key="key-123456",
        )
    assert len(revisions.list_revisions(world.db, actor_id=world["expert"], recommendation_id=rec.id)) == 2


def test_list_filters_by_status_topic_language_and_search_in_cyrillic(world):
    _create(world, topic="Emblem", content=content(title="Protect the emblem", text="Penalties for misuse"))
    _create(world, topic="Tax", content={"ru": {"title": "Налоговые льготы", "text": "Освободить от НДС"}})
    page = recs.list_recommendations(
        world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id, search="ндс"
    )
    assert [r.topic for r in page.items] == ["Tax"]
    assert (
        recs.list_recommendations(
            world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id, language="en"
        ).total
        == 1
    )
    assert (
        recs.list_recommendations(
            world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id, topic="Emblem"
        )
        .items[0]
        .number
        == 1
    )
    assert (
        recs.list_recommendations(
            world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id, search="100%"
        ).total
        == 0
    )


def test_word_diff_and_restore_make_a_new_revision(world):
    rec = _create(world, content=content(text="Parliament should adopt a law soon."))
    r2 = recs.edit_recommendation(
        world.db,
        actor_id=world["expert"],
        recommendation_id=rec.id,
        base_revision_id=rec.current_revision.id,
        content=content(text="Parliament must adopt a law in 2026."),
    )
    d = revisions.diff_revisions(
        world.db,
        actor_id=world["observer"],
        recommendation_id=rec.id,
        old_revision_id=rec.current_revision.id,
        new_revision_id=r2.current_revision.id,
    )
    text_diff = next(f for f in d.fields if f.field == "text")
    ops = [(s.op, s.text) for s in text_diff.segments]
    assert ("delete", "should") in ops and ("insert", "must") in ops  # words, without the space (issue 18)
    r3 = revisions.restore_revision(
        world.db, actor_id=world["expert"], recommendation_id=rec.id, revision_id=rec.current_revision.id
    )
    assert r3.current_revision.number == 3 and r3.current_revision.kind == "restore"
    assert r3.current_revision.content["en"].text == "Parliament should adopt a law soon."


def test_status_moves_only_along_defined_paths(world):
    rec = _create(world)
    with pytest.raises(InvalidTransition):
        recs.set_status(world.db, actor_id=world["moderator"], recommendation_id=rec.id, status="adopted")
    with pytest.raises(PermissionDenied):
        recs.set_status(world.db, actor_id=world["expert"], recommendation_id=rec.id, status="discussion")
    out = recs.set_status(world.db, actor_id=world["moderator"], recommendation_id=rec.id, status="discussion")
    assert out.status == "discussion"
    out = recs.set_status(world.db, actor_id=world["expert"], recommendation_id=rec.id, status="withdrawn")
    assert out.status == "withdrawn"


def test_renumber_swaps_numbers_without_tripping_the_unique_constraint(world):
    a, b, c = (_create(world) for _ in range(3))
    out = recs.renumber(
        world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, order=[c.id, a.id, b.id]
    )
    assert [(r.id, r.number) for r in out] == [(c.id, 1), (a.id, 2), (b.id, 3)]
    with pytest.raises(InvalidInput):
        recs.renumber(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, order=[a.id])


def test_empty_or_invisible_text_is_refused_with_a_clear_message(world):
    with pytest.raises(InvalidInput, match="cannot be empty"):
        _create(world, content=content(title="\u200b \u200d"))
    with pytest.raises(InvalidInput, match="at most 500 characters"):
        _create(world, content=content(title="x" * 501))
    with pytest.raises(InvalidInput, match="at least one language"):
        _create(world, content={})


def test_outsider_cannot_read(world):
    rec = _create(world)
    with pytest.raises(PermissionDenied):
        recs.get_recommendation(world.db, actor_id=world["outsider"], recommendation_id=rec.id)
    with pytest.raises(NotFound):
        recs.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=9999)


def test_conflict_writes_its_audit_row_and_kept_text(world):
    rec = _create(world)
    base = rec.current_revision.id
    recs.edit_recommendation(
        world.db, actor_id=world["expert"], recommendation_id=rec.id, base_revision_id=base, content=content(text="A")
    )
    with pytest.raises(Conflict):
        recs.edit_recommendation(
            world.db,
            actor_id=world["expert"],
            recommendation_id=rec.id,
            base_revision_id=base,
            content=content(text="B"),
        )
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(RejectedEdit)) == 1
        assert (
            s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "recommendation.edit_conflict")
            )
            == 1
        )


def test_history_lists_priority_and_topic_changes_with_who_and_the_values(world):
    # Issue 18: a change of priority or topic is part of the recommendation's history.
    rec = _create(world)
    recs.set_details(world.db, actor_id=world["expert"], recommendation_id=rec.id, priority="high")
    recs.edit_recommendation(
        world.db,
        actor_id=world["expert"],
        recommendation_id=rec.id,
        base_revision_id=rec.current_revision.id,
        content=content(text="A wholly new text of the recommendation."),
        topic="Emblem",
    )
    changes = revisions.list_detail_changes(world.db, actor_id=world["observer"], recommendation_id=rec.id)
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("priority", rec.priority, "high"),
        ("topic", rec.topic, "Emblem"),
    ]
    assert changes[1].revision == 2 and changes[0].revision is None
    assert all(c.actor_name for c in changes)


def test_get_many_returns_the_asked_recommendations_of_the_roundtable_only(world):
    first, second, third = (_create(world, content=content(title=f"Item {n}")) for n in (1, 2, 3))
    other = roundtables.create_roundtable(
        world.db, actor_id=SYSTEM, title={"en": "Another roundtable"}, held_on=date(2025, 3, 1)
    )
    roundtables.set_membership(
        world.db,
        actor_id=SYSTEM,
        roundtable_id=other.id,
        user_id=world["expert"],
        role="expert",
        organisation="ICRC",
        consent_named=True,
    )
    foreign = recs.create_recommendation(
        world.db, actor_id=world["expert"], roundtable_id=other.id, content=content(title="Elsewhere")
    )
    found = recs.get_many(
        world.db,
        actor_id=world["observer"],
        roundtable_id=world.roundtable_id,
        ids=[third.id, first.id, foreign.id, 10**6],
    )
    assert sorted(found) == sorted([first.id, third.id])
    assert found[third.id].current_revision.content["en"].title == "Item 3"
    assert second.id not in found
    with pytest.raises(PermissionDenied):
        recs.get_many(world.db, actor_id=world["outsider"], roundtable_id=world.roundtable_id, ids=[first.id])
