"""Integrity of the vote and of the record (issue 10 items 1–5, issue 18 item 7), on SQLite and PostgreSQL.

An unchanged Save voids no vote; a flag never holds the memo back; dissent is the minority against the
outcome; provenance cites only later revisions; an outdated amendment can be brought up to date; a
conflict names who saved the other revision, and when.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from recdraft.db.models import AuditEvent, CommentFlag, ModerationEntry, RejectedEdit, Revision
from recdraft.errors import Conflict, InvalidInput, InvalidTransition, PermissionDenied
from recdraft.services import amendments as am
from recdraft.services import comments as cm
from recdraft.services import moderation, revisions, voting
from recdraft.services import recommendations as recs
from tests.factories import (
    add_member,
    content,
    make_amendment,
    make_comment,
    make_round,
    move_to,
    world_with_recommendation,
)

BLOCK_REASON = "Conflicts with Article 44 of the Geneva Convention"


@pytest.fixture
def world(db):
    return world_with_recommendation(
        db,
        content=content(text="Parliament should adopt a law.", rationale="Because."),
        topic="Legal status",
        priority="medium",
    )


def _experts(world, *names: str) -> None:
    for name in names:
        add_member(world, name, "expert", organisation="Faculty of Law", consent_named=True)


def _to_vote(world, rec_id: int, **kw):
    move_to(world, rec_id, "discussion", current="draft")
    return make_round(world, [rec_id], **kw)


def _current(world, rec_id: int | None = None):
    return recs.get_recommendation(world.db, actor_id=world["admin"], recommendation_id=rec_id or world.rec.id)


def _save(world, who="expert", base=None, **kw):
    rec = _current(world)
    kw.setdefault("content", {k: v.model_dump() for k, v in rec.current_revision.content.items()})
    return recs.edit_recommendation(
        world.db, actor_id=world[who], recommendation_id=rec.id, base_revision_id=base or rec.current_revision.id, **kw
    )


def _count(db, model, *where) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where)) or 0


class _Event:
    def __init__(self, e: AuditEvent) -> None:
        self.actor_id, self.visibility, self.details = e.actor_id, e.visibility, dict(e.details or {})


def _actions(db, action: str) -> list[_Event]:
    with db.read() as s:
        return [
            _Event(e) for e in s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        ]


def _item(result, rec_id):
    return next(i for i in result.items if i.recommendation_id == rec_id)


# ----------------------------------------------------------------- 1. an unchanged Save voids no vote


def test_an_unchanged_save_during_a_round_keeps_the_block_and_it_is_in_the_results_after_closing(world):
    rnd = _to_vote(world, world.rec.id)
    voting.cast_vote(
        world.db,
        actor_id=world["expert2"],
        round_id=rnd.id,
        recommendation_id=world.rec.id,
        choice="block",
        reason=BLOCK_REASON,
    )
    voting.cast_vote(
        world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=world.rec.id, choice="agree"
    )
    revisions_before = _count(world.db, Revision)

    outcome = _save(world)  # the author opens Edit and clicks Save without changing anything

    assert outcome.nothing_changed and not outcome.revision_saved and outcome.current_revision.number == 1
    assert _count(world.db, Revision) == revisions_before
    assert _actions(world.db, "recommendation.edit") == []
    ballot = voting.my_ballots(world.db, actor_id=world["expert2"], roundtable_id=world.roundtable_id)
    mine = ballot.rounds[0].items[0]
    assert not mine.stale and not mine.vote.stale and not mine.needs_action  # "your vote still counts"
    result = _item(voting.close_round(world.db, actor_id=world["moderator"], round_id=rnd.id), world.rec.id)
    assert (result.overall.block, result.overall.agree, result.overall.stale) == (1, 1, 0)
    assert result.overall.blocked and result.overall.outcome == "no_consensus"
    assert [d.reason for d in result.dissents] == [BLOCK_REASON]


def test_changing_only_the_topic_and_priority_makes_no_revision_and_no_vote_stale(world):
    rnd = _to_vote(world, world.rec.id)
    voting.cast_vote(
        world.db, actor_id=world["expert2"], round_id=rnd.id, recommendation_id=world.rec.id, choice="agree"
    )
    outcome = _save(world, topic="Emblem", priority="high")
    assert outcome.revision_saved is False and outcome.details == ["priority", "topic"]
    assert (outcome.topic, outcome.priority, outcome.current_revision.number) == ("Emblem", "high", 1)
    [details] = _actions(world.db, "recommendation.details")
    assert details.details == {"topic": ["Legal status", "Emblem"], "priority": ["medium", "high"]}
    counts = _item(voting.round_results(world.db, actor_id=world["moderator"], round_id=rnd.id), world.rec.id).overall
    assert (counts.voted, counts.stale, counts.agree) == (1, 0, 1)
    # The search index follows the new topic.
    found = recs.list_recommendations(
        world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id, search="emblem"
    )
    assert [r.id for r in found.items] == [world.rec.id]


def test_a_changed_text_and_new_details_are_one_revision_in_one_save(world):
    rnd = _to_vote(world, world.rec.id)
    voting.cast_vote(
        world.db, actor_id=world["expert2"], round_id=rnd.id, recommendation_id=world.rec.id, choice="agree"
    )
    outcome = _save(
        world, content=content(text="Parliament should adopt a law this year.", rationale="Because."), priority="low"
    )
    assert outcome.revision_saved and outcome.details == ["priority"] and outcome.current_revision.number == 2
    assert [e.details for e in _actions(world.db, "recommendation.edit")] == [
        {"revision": 2, "changed": {"priority": ["medium", "low"]}}
    ]
    assert _actions(world.db, "recommendation.details") == []
    counts = _item(voting.round_results(world.db, actor_id=world["moderator"], round_id=rnd.id), world.rec.id).overall
    assert (counts.voted, counts.stale) == (0, 1)  # the words voted on changed: the vote must be renewed


def test_a_field_left_out_and_a_field_sent_empty_are_the_same_text(world):
    outcome = _save(
        world,
        content=content(
            text="Parliament should adopt a law.", rationale="Because.", legal_basis="", responsible_body=""
        ),
    )
    assert outcome.nothing_changed and _count(world.db, Revision) == 1


def test_a_bad_priority_is_refused_and_nothing_is_saved(world):
    with pytest.raises(InvalidInput, match="Priority is high, medium or low"):
        _save(world, content=content(text="New words"), priority="urgent")
    assert _count(world.db, Revision) == 1 and _current(world).priority == "medium"


def test_restoring_a_revision_with_the_same_words_as_the_current_one_is_refused(world):
    first = _current(world).current_revision
    _save(world, content=content(text="Second words"))
    _save(world, content=content(text="Parliament should adopt a law.", rationale="Because."))
    with pytest.raises(InvalidInput, match="already the current text"):
        revisions.restore_revision(
            world.db, actor_id=world["expert"], recommendation_id=world.rec.id, revision_id=first.id
        )
    assert _count(world.db, Revision) == 3


def test_saving_the_base_text_unchanged_after_someone_else_saved_is_not_a_conflict(world):
    base = _current(world).current_revision.id
    _save(world, who="moderator", content=content(text="The moderator's words"))
    outcome = _save(
        world, base=base, content=content(text="Parliament should adopt a law.", rationale="Because."), topic="Emblem"
    )
    assert not outcome.revision_saved and outcome.details == ["topic"]
    assert outcome.current_revision.content["en"].text == "The moderator's words"
    assert _count(world.db, RejectedEdit) == 0


def test_a_save_marks_the_kept_texts_it_merges_in_the_same_transaction(world):
    base = _current(world).current_revision.id
    _save(world, who="moderator", content=content(text="The moderator's words"))
    with pytest.raises(Conflict) as lost:
        _save(world, base=base, content=content(text="My words"))
    merged = _save(
        world,
        base=lost.value.current_revision_id,
        content=content(text="Both sets of words"),
        merged_draft_ids=[lost.value.saved_draft_id],
    )
    kept = recs.get_rejected_edit(world.db, actor_id=world["expert"], draft_id=lost.value.saved_draft_id)
    assert kept.resolved_revision_id == merged.current_revision.id
    with pytest.raises(Exception, match="does not exist"):
        _save(world, content=content(text="Other words"), merged_draft_ids=[9999])
    assert _current(world).current_revision.content["en"].text == "Both sets of words"


# ----------------------------------------------------------------- 6. the conflict names who and when


def test_a_conflict_names_who_saved_the_other_revision_and_when(world):
    base = _current(world).current_revision.id
    theirs = _save(world, who="moderator", content=content(text="The moderator's words"))
    with pytest.raises(Conflict) as caught:
        _save(world, base=base, content=content(text="My words"))
    conflict = caught.value
    assert conflict.current_revision_number == 2 == theirs.current_revision.number
    assert conflict.current_author_name == "Moderator"
    assert conflict.current_saved_at == theirs.current_revision.created_at


# ----------------------------------------------------------------- 2. a flag never holds the memo back


@pytest.fixture
def flagged(world):
    c = make_comment(world, "moderator", "Published at once")
    make_comment(world, "expert2", "Waits for approval")
    return c


def test_an_observer_flags_a_comment_and_what_blocks_the_memo_does_not_change(world, flagged):
    before = moderation.unmoderated_count(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
    assert before == 1  # the pending comment
    cm.flag_comment(world.db, actor_id=world["observer"], comment_id=flagged.id, reason="Insulting")
    assert moderation.unmoderated_count(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id) == before
    assert (
        moderation.unmoderated_count(
            world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id, recommendation_ids=[world.rec.id]
        )
        == before
    )
    with world.db.read() as s:
        assert moderation.awaiting_moderation(s, [world.rec.id]) == {world.rec.id: 1}
    # The moderators still see the report in their queue, with its own resolution.
    queue = moderation.moderation_queue(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert flagged.id in [c.id for c in queue]


def test_a_moderator_dismisses_a_report_with_a_reason_and_it_is_closed_and_audited(world, flagged):
    cm.flag_comment(world.db, actor_id=world["observer"], comment_id=flagged.id, reason="Insulting")
    with pytest.raises(InvalidInput, match="Reason"):
        moderation.dismiss_flags(world.db, actor_id=world["moderator"], comment_id=flagged.id, reason="  ")
    with pytest.raises(PermissionDenied, match="dismiss reports"):
        moderation.dismiss_flags(world.db, actor_id=world["expert"], comment_id=flagged.id, reason="Fine")
    assert _count(world.db, CommentFlag, CommentFlag.resolved_at.is_(None)) == 1  # refusals changed nothing

    view = moderation.dismiss_flags(
        world.db, actor_id=world["moderator"], comment_id=flagged.id, reason="Robust criticism, not an insult"
    )
    assert view.status == "published" and view.open_flags == 0
    assert _count(world.db, CommentFlag, CommentFlag.resolved_at.is_(None)) == 0
    with world.db.read() as s:
        entry = s.execute(
            select(
                ModerationEntry.action, ModerationEntry.from_status, ModerationEntry.to_status, ModerationEntry.reason
            ).where(ModerationEntry.comment_id == flagged.id)
        ).one()
    assert tuple(entry) == ("dismiss", "published", "published", "Robust criticism, not an insult")
    [event] = _actions(world.db, "comment.dismiss_flags")
    assert event.visibility == "staff" and event.actor_id == world["moderator"]
    assert event.details["reason"] == "Robust criticism, not an insult" and event.details["flags_resolved"] == 1
    assert "Insulting" not in str(event.details)  # the reporter's words stay out of the audit trail
    assert flagged.id not in [
        c.id
        for c in moderation.moderation_queue(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    ]
    with pytest.raises(InvalidInput, match="no open reports"):
        moderation.dismiss_flags(world.db, actor_id=world["moderator"], comment_id=flagged.id, reason="Again")


def test_hiding_a_reported_comment_also_resolves_the_report(world, flagged):
    cm.flag_comment(world.db, actor_id=world["observer"], comment_id=flagged.id, reason="Personal data")
    moderation.moderate_comment(
        world.db, actor_id=world["moderator"], comment_id=flagged.id, action="hide", reason="Names a volunteer"
    )
    assert _count(world.db, CommentFlag, CommentFlag.resolved_at.is_(None)) == 0


# ----------------------------------------------------------------- 3. dissent is the minority


def _six_voters(world):
    _experts(world, "expert3", "expert4", "expert5", "expert6")
    return ["expert", "expert2", "expert3", "expert4", "expert5", "expert6"]


def test_the_dissent_of_a_rejected_recommendation_is_the_agree_reason_not_the_majority(world):
    voters = _six_voters(world)
    rnd = _to_vote(world, world.rec.id)
    choices = [
        ("agree", "It is what the National Society needs"),
        ("disagree", "Duplicates the Civil Code"),
        ("disagree", "Too broad"),
        ("disagree", "Premature"),
        ("disagree", "Unclear"),
        ("abstain", None),
    ]
    for who, (choice, reason) in zip(voters, choices, strict=True):
        voting.cast_vote(
            world.db,
            actor_id=world[who],
            round_id=rnd.id,
            recommendation_id=world.rec.id,
            choice=choice,
            reason=reason,
            reason_named=bool(reason),
        )
    item = _item(voting.close_round(world.db, actor_id=world["moderator"], round_id=rnd.id), world.rec.id)
    assert (item.overall.agree, item.overall.disagree, item.overall.abstain) == (1, 4, 1)
    assert item.overall.outcome == "rejected"
    assert [(d.name, d.choice, d.reason) for d in item.dissents] == [
        ("Expert", "agree", "It is what the National Society needs")
    ]


def test_the_dissent_of_an_adopted_recommendation_is_the_disagree_votes_and_every_block(world):
    voters = _six_voters(world)
    rnd = _to_vote(world, world.rec.id)
    for who in voters[:4]:
        voting.cast_vote(world.db, actor_id=world[who], round_id=rnd.id, recommendation_id=world.rec.id, choice="agree")
    voting.cast_vote(
        world.db,
        actor_id=world["expert5"],
        round_id=rnd.id,
        recommendation_id=world.rec.id,
        choice="disagree",
        reason="Too broad",
    )
    voting.cast_vote(
        world.db,
        actor_id=world["expert6"],
        round_id=rnd.id,
        recommendation_id=world.rec.id,
        choice="block",
        reason=BLOCK_REASON,
    )
    result = voting.close_round(
        world.db,
        actor_id=world["moderator"],
        round_id=rnd.id,
        block_overrides={world.rec.id: "Covered by the commentary"},
    )
    item = _item(result, world.rec.id)
    assert item.overall.outcome == "adopted"
    assert sorted(d.reason for d in item.dissents) == [BLOCK_REASON, "Too broad"]


def test_delphi_dissent_is_the_ratings_outside_the_band_of_the_outcome(world):
    voters = _six_voters(world)
    rnd = _to_vote(world, world.rec.id, rules={"mode": "delphi"})
    for who, rating in zip(voters, [8, 8, 9, 7, 8, 2], strict=True):
        voting.cast_vote(
            world.db,
            actor_id=world[who],
            round_id=rnd.id,
            recommendation_id=world.rec.id,
            rating=rating,
            reason=f"Rated {rating}",
        )
    item = _item(voting.close_round(world.db, actor_id=world["moderator"], round_id=rnd.id), world.rec.id)
    assert item.overall.outcome == "adopted"
    assert [d.reason for d in item.dissents] == ["Rated 2"]


def test_delphi_dissent_of_a_rejected_recommendation_is_the_rating_above_the_rejection_band(world):
    voters = _six_voters(world)
    rnd = _to_vote(world, world.rec.id, rules={"mode": "delphi"})
    for who, rating in zip(voters, [1, 2, 2, 3, 2, 8], strict=True):
        voting.cast_vote(
            world.db,
            actor_id=world[who],
            round_id=rnd.id,
            recommendation_id=world.rec.id,
            rating=rating,
            reason=f"Rated {rating}",
        )
    item = _item(voting.close_round(world.db, actor_id=world["moderator"], round_id=rnd.id), world.rec.id)
    assert item.overall.outcome == "rejected"
    assert [d.reason for d in item.dissents] == ["Rated 8"]


# ----------------------------------------------------------------- 4. provenance cites later revisions


def test_a_comment_is_addressed_only_by_a_revision_saved_after_it(world):
    older = _current(world).current_revision
    c = cm.post_comment(
        world.db, actor_id=world["moderator"], recommendation_id=world.rec.id, body="Name the responsible body."
    )
    with pytest.raises(InvalidInput, match=f"Revision {older.number} was saved before this comment"):
        cm.resolve_comment(
            world.db, actor_id=world["expert"], comment_id=c.id, resolution="addressed", revision_id=older.id
        )
    assert cm.get_comment(world.db, actor_id=world["expert"], comment_id=c.id).resolution is None
    later = _save(world, content=content(text="Parliament should adopt a law.", responsible_body="Mazhilis"))
    done = cm.resolve_comment(
        world.db,
        actor_id=world["expert"],
        comment_id=c.id,
        resolution="addressed",
        revision_id=later.current_revision.id,
    )
    assert done.resolution == "addressed" and done.addressed_revision_number == 2


# ----------------------------------------------------------------- 5. an outdated amendment is updated


@pytest.fixture
def outdated(world):
    """expert2's amendment on revision 1, then the author saved revision 2."""
    a = make_amendment(
        world, world.rec, "expert2", text="Parliament should adopt a law within a year.", justification="A deadline"
    )
    _save(world, content=content(text="Parliament should adopt a law.", rationale="Because it protects."))
    return a


def test_the_proposer_updates_an_outdated_amendment_and_it_can_then_be_accepted(world, outdated):
    current = _current(world).current_revision
    with pytest.raises(Conflict, match="ask the proposer|Ask the proposer"):
        am.accept_amendment(world.db, actor_id=world["expert"], amendment_id=outdated.id)
    text = content(text="Parliament should adopt a law within a year.", rationale="Because it protects.")
    view = am.rebase_amendment(
        world.db, actor_id=world["expert2"], amendment_id=outdated.id, content=text, base_revision_id=current.id
    )
    assert view.base_revision_id == current.id and view.status == "open"
    assert view.content["en"].rationale == "Because it protects." and view.justification == "A deadline"
    [event] = _actions(world.db, "amendment.rebase")
    assert event.actor_id == world["expert2"]
    assert event.details == {"recommendation_id": world.rec.id, "from_revision": 1, "to_revision": 2}
    accepted = am.accept_amendment(world.db, actor_id=world["expert"], amendment_id=outdated.id)
    rec = _current(world)
    assert accepted.resulting_revision_id == rec.current_revision.id and rec.current_revision.number == 3
    assert rec.current_revision.content["en"].text == "Parliament should adopt a law within a year."


def test_updating_an_amendment_is_refused_to_others_when_current_or_closed_and_writes_nothing(world, outdated):
    current = _current(world).current_revision
    text = content(text="Other words")
    with pytest.raises(PermissionDenied, match="Only the proposer"):
        am.rebase_amendment(
            world.db, actor_id=world["expert"], amendment_id=outdated.id, content=text, base_revision_id=current.id
        )
    with pytest.raises(Conflict, match="changed again") as caught:
        am.rebase_amendment(
            world.db,
            actor_id=world["expert2"],
            amendment_id=outdated.id,
            content=text,
            base_revision_id=outdated.base_revision_id,
        )
    assert caught.value.current_author_name == "Expert" and caught.value.current_revision_number == 2
    assert _actions(world.db, "amendment.rebase") == []
    am.rebase_amendment(
        world.db, actor_id=world["expert2"], amendment_id=outdated.id, content=text, base_revision_id=current.id
    )
    with pytest.raises(InvalidInput, match="already based on the current text"):
        am.rebase_amendment(
            world.db, actor_id=world["expert2"], amendment_id=outdated.id, content=text, base_revision_id=current.id
        )
    am.reject_amendment(world.db, actor_id=world["expert"], amendment_id=outdated.id, reason="Out of scope")
    _save(world, content=content(text="Third words"))
    with pytest.raises(InvalidTransition, match="already rejected"):
        am.rebase_amendment(
            world.db,
            actor_id=world["expert2"],
            amendment_id=outdated.id,
            content=text,
            base_revision_id=_current(world).current_revision.id,
        )
    assert len(_actions(world.db, "amendment.rebase")) == 1
