"""Live mode: the meeting, the projector's figures, the phones' votes, and the record they end up in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from recdraft.db.live_models import LiveSession, LiveVote
from recdraft.db.models import AuditEvent
from recdraft.db.voting_models import Vote, VotingRound
from recdraft.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from recdraft.services import live, voting
from recdraft.services import recommendations as recs
from tests.factories import content, make_world


@pytest.fixture
def world(db):
    w = make_world(db)
    for i in range(3):
        rec = recs.create_recommendation(
            db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content(title=f"Recommendation {i + 1}")
        )
        recs.set_status(db, actor_id=w["moderator"], recommendation_id=rec.id, status="discussion")
        w.users[f"rec{i + 1}"] = rec.id
    return w


def _start(world, who="moderator", **kw):
    return live.start(world.db, actor_id=world[who], roundtable_id=world.roundtable_id, **kw)


def test_the_moderator_starts_a_meeting_with_a_short_code_on_the_first_recommendation(world):
    meeting = _start(world, language="ru")
    assert len(meeting.code) == live.CODE_LENGTH and set(meeting.code) <= set(live.CODE_ALPHABET)
    assert meeting.current_recommendation_id == world["rec1"] and meeting.language == "ru"
    # Starting again (a second laptop, a reload) gives the same meeting, not a second one.
    assert _start(world).id == meeting.id
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(LiveSession)) == 1
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "live_session")) == "live.start"


@pytest.mark.parametrize("who", ["expert", "observer", "outsider"])
def test_only_those_who_run_rounds_start_a_meeting(world, who):
    with pytest.raises(PermissionDenied):
        _start(world, who=who)
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(LiveSession)) == 0


def test_a_participant_joins_with_the_code_typed_loosely_and_an_outsider_cannot(world):
    meeting = _start(world)
    typed = " " + "-".join([meeting.code[:3].lower(), meeting.code[3:]]) + " "
    assert live.join(world.db, actor_id=world["observer"], code=typed).id == meeting.id
    with pytest.raises(PermissionDenied):
        live.join(world.db, actor_id=world["outsider"], code=meeting.code)
    with pytest.raises(NotFound) as wrong:
        live.join(world.db, actor_id=world["expert"], code="ZZZZZZ")
    assert "ZZZZZZ" in wrong.value.text("ru") and "Заседания" in wrong.value.text("ru")


def test_the_presenter_moves_through_the_recommendations_and_every_move_bumps_the_version(world):
    meeting = _start(world)
    v0 = live.version(world.db, live_id=meeting.id)
    moved = live.show(world.db, actor_id=world["moderator"], live_id=meeting.id, step=1)
    assert moved.current_recommendation_id == world["rec2"] and moved.version == v0 + 1
    assert (
        live.show(world.db, actor_id=world["moderator"], live_id=meeting.id, step=5).current_recommendation_id
        == world["rec3"]
    )  # the end stays the end
    assert (
        live.show(world.db, actor_id=world["moderator"], live_id=meeting.id, step=-9).current_recommendation_id
        == world["rec1"]
    )
    with pytest.raises(PermissionDenied):
        live.show(world.db, actor_id=world["expert"], live_id=meeting.id, step=1)
    lang = live.set_language(world.db, actor_id=world["moderator"], live_id=meeting.id, language="kk")
    assert lang.language == "kk"
    with pytest.raises(InvalidInput):
        live.set_language(world.db, actor_id=world["moderator"], live_id=meeting.id, language="de")


def test_a_live_vote_is_a_real_round_the_phones_vote_in_and_the_projector_counts(world):
    meeting = _start(world)
    opened = live.open_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    rnd = voting.get_round(world.db, actor_id=world["admin"], round_id=opened.current_round_id)
    assert rnd.status == "open" and rnd.recommendation_ids == [world["rec1"]]
    phone = live.state(world.db, actor_id=world["expert"], live_id=meeting.id)
    assert phone.may_vote and phone.my_choice is None and not phone.may_present
    # The phone votes through the ordinary service, and the state is its acknowledgement.
    voting.cast_vote(
        world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=world["rec1"], choice="agree"
    )
    voting.cast_vote(
        world.db,
        actor_id=world["expert2"],
        round_id=rnd.id,
        recommendation_id=world["rec1"],
        choice="disagree",
        reason="Needs a reference to the 1949 Conventions",
    )
    phone = live.state(world.db, actor_id=world["expert"], live_id=meeting.id)
    assert phone.my_choice == "agree" and phone.my_vote_at is not None
    projector = live.state(world.db, actor_id=world["moderator"], live_id=meeting.id)
    assert projector.may_present and projector.in_meeting_at is not None
    assert (projector.tally.voted, projector.tally.eligible) == (2, 2)
    assert projector.tally.choices == {"agree": 1, "disagree": 1, "abstain": 0, "block": 0}
    # An observer follows but does not vote; nor does the moderator (moderators_vote is off).
    assert not live.state(world.db, actor_id=world["observer"], live_id=meeting.id).may_vote
    assert not projector.may_vote
    # Moving on is refused while the vote is open.
    with pytest.raises(InvalidTransition):
        live.show(world.db, actor_id=world["moderator"], live_id=meeting.id, step=1)
    live.close_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    closed = live.state(world.db, actor_id=world["expert"], live_id=meeting.id)
    assert closed.round.status == "closed" and not closed.may_vote and closed.tally.outcome is not None
    # Into the record: the same round, figures and outcome as the Results page shows.
    results = voting.round_results(world.db, actor_id=world["admin"], round_id=rnd.id)
    assert results.items[0].overall.agree == 1 and results.items[0].overall.outcome == closed.tally.outcome
    assert live.meeting_rounds(world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id) == {
        rnd.id: projector.in_meeting_at
    }
    # The Results page's rounds say it was taken in the meeting, and when; a round opened elsewhere does not.
    other = voting.open_round(
        world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id, recommendation_ids=[world["rec2"]]
    )
    marks = {
        r.id: r.in_meeting_at
        for r in voting.rounds_overview(world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id).rounds
    }
    assert marks == {rnd.id: projector.in_meeting_at, other.id: None}
    assert results.round.in_meeting_at == projector.in_meeting_at


def test_a_blind_live_vote_shows_only_how_many_have_voted_until_it_closes_even_on_the_projector(world):
    meeting = _start(world)
    with world.db.write() as s:
        from recdraft.db.models import Roundtable

        rt = s.get(Roundtable, world.roundtable_id)
        rt.settings = {
            **(rt.settings or {}),
            "voting_defaults": {**(rt.settings or {}).get("voting_defaults", {}), "blind": True},
        }
    opened = live.open_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    voting.cast_vote(
        world.db,
        actor_id=world["expert"],
        round_id=opened.current_round_id,
        recommendation_id=world["rec1"],
        choice="block",
        reason="Contradicts Article 3",
    )
    projector = live.state(world.db, actor_id=world["moderator"], live_id=meeting.id)
    assert projector.round.blind and projector.tally.hidden and projector.tally.voted == 1
    assert projector.tally.choices == {}
    phone = live.state(world.db, actor_id=world["expert2"], live_id=meeting.id)
    assert phone.tally.hidden and phone.tally.voted == 1 and phone.tally.choices == {}
    live.close_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    after = live.state(world.db, actor_id=world["expert2"], live_id=meeting.id)
    assert not after.tally.hidden and after.tally.choices["block"] == 1


def test_a_delphi_live_vote_counts_ratings(world):
    meeting = _start(world)
    opened = live.open_vote(world.db, actor_id=world["moderator"], live_id=meeting.id, mode="delphi")
    for who, rating in (("expert", 8), ("expert2", 9)):
        voting.cast_vote(
            world.db,
            actor_id=world[who],
            round_id=opened.current_round_id,
            recommendation_id=world["rec1"],
            rating=rating,
        )
    tally = live.state(world.db, actor_id=world["moderator"], live_id=meeting.id).tally
    assert tally.mode == "delphi" and tally.ratings["8"] == 1 and tally.ratings["9"] == 1 and tally.median == 8.5
    with pytest.raises(InvalidInput):
        live.open_vote(world.db, actor_id=world["moderator"], live_id=meeting.id, mode="poll")


def test_ending_the_meeting_waits_for_the_vote_and_then_the_code_no_longer_joins(world):
    meeting = _start(world)
    live.open_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    with pytest.raises(InvalidTransition):
        live.end(world.db, actor_id=world["moderator"], live_id=meeting.id)
    live.close_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    ended = live.end(world.db, actor_id=world["moderator"], live_id=meeting.id)
    assert ended.ended_at is not None
    with pytest.raises(NotFound):
        live.join(world.db, actor_id=world["expert"], code=meeting.code)
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(LiveVote)) == 1
        assert s.scalar(select(func.count()).select_from(VotingRound)) == 1
        assert s.scalar(select(func.count()).select_from(Vote)) == 0
    # A new meeting later is a new meeting with a new code.
    again = _start(world)
    assert again.id != meeting.id and again.code != meeting.code


@pytest.mark.parametrize(
    "lang, words", [("en", "taken in the meeting"), ("ru", "проведено на заседании"), ("kk", "отырыста өткізілді")]
)
def test_a_live_vote_is_in_the_memos_vote_annex_marked_as_taken_in_the_meeting_with_its_time(world, lang, words):
    from recdraft.services import memo

    meeting = _start(world)
    opened = live.open_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    for who in ("expert", "expert2"):
        voting.cast_vote(
            world.db,
            actor_id=world[who],
            round_id=opened.current_round_id,
            recommendation_id=world["rec1"],
            choice="agree",
        )
    live.close_vote(world.db, actor_id=world["moderator"], live_id=meeting.id)
    assert (
        recs.get_recommendation(world.db, actor_id=world["admin"], recommendation_id=world["rec1"]).status == "adopted"
    )
    result = memo.export_memo(
        world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id, lang=lang, variant="final"
    )
    text = _docx_text(result.content)
    assert words in text
    at = live.meeting_rounds(world.db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
    from recdraft.i18n.formats import format_datetime

    assert format_datetime(next(iter(at.values())), lang) in text


def _docx_text(content: bytes) -> str:
    """Every text of the document (tables included), non-breaking spaces read as spaces."""
    import io

    from docx import Document

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    return "".join(t.text or "" for t in Document(io.BytesIO(content)).element.body.iter(w)).replace("\u00a0", " ")
