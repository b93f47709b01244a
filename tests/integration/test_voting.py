"""Voting: rounds, ballots, staleness, recusal, eligibility, outcomes, results, CSV, and who may do what."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from recdraft.db.models import AuditEvent, Membership, Recommendation, User
from recdraft.db.voting_models import Recusal, RoundItem, RoundResult, Vote, VoteHistory, VotingRound
from recdraft.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from recdraft.services import recommendations as recs
from recdraft.services import roundtables, voting
from recdraft.services._base import SYSTEM
from recdraft.services.voting import RoundClosed
from tests.factories import edit, make_recommendations, make_round, make_world, vote

ROLES = ["admin", "moderator", "expert", "observer", "outsider"]
WATCHED = [VotingRound, RoundItem, Vote, VoteHistory, Recusal, RoundResult, AuditEvent]


@pytest.fixture
def world(db):
    return make_world(db)


# --------------------------------------------------------------------------- helpers


def _recs(world, n: int = 1, status: str = "discussion") -> list[int]:
    """n recommendations drafted by the expert and moved to ``status`` by the moderator."""
    return [rec.id for rec in make_recommendations(world, n, status=status)]


def _open(world, rec_ids, who="moderator", **kw):
    return make_round(world, rec_ids, who, **kw)


def _cast(world, who, rnd, rec_id, **kw):
    return vote(world, rnd, rec_id, who, **kw)


def _close(world, rnd, who="moderator", **kw):
    return voting.close_round(world.db, actor_id=world[who], round_id=rnd.id, **kw)


def _status(world, rec_id) -> str:
    return recs.get_recommendation(world.db, actor_id=world["admin"], recommendation_id=rec_id).status


def _rows(db) -> dict[str, int]:
    with db.read() as s:
        counts = {m.__tablename__: s.scalar(select(func.count()).select_from(m)) for m in WATCHED}
        counts["statuses"] = tuple(s.scalars(select(Recommendation.status).order_by(Recommendation.id)))
        return counts


def _edit(world, rec_id, text="Changed text", who="moderator"):
    return edit(world, rec_id, who, text=text)


def _make_past(db, round_id):
    """Move a round's closing date to a moment ago, as if time had gone by."""
    when = datetime.now(UTC) - timedelta(milliseconds=20)
    with db.write() as s:
        s.execute(update(VotingRound).where(VotingRound.id == round_id).values(closes_at=when))
    return when


def _add_expert(world, name, group):
    """One more expert in ``group`` (no password: only their id is needed)."""
    with world.db.write() as s:
        user = User(username=name, display_name=name.title(), is_active=True)
        s.add(user)
        s.flush()
        s.add(
            Membership(
                roundtable_id=world.roundtable_id, user_id=user.id, role="expert", organisation=group, group=group
            )
        )
        world.users[name] = user.id
        return user.id


def _moderators_vote(world, on: bool = True):
    roundtables.update_settings(
        world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, settings={"moderators_vote": on}
    )


def _item(result, rec_id):
    return next(i for i in result.items if i.recommendation_id == rec_id)


# --------------------------------------------------------------------------- rounds


def test_opening_a_round_moves_its_texts_to_voting_and_a_text_is_in_one_open_round_at_a_time(world):
    a, b = _recs(world, 2)
    rnd = _open(world, [b, a], name="First reading")
    assert (rnd.number, rnd.status, rnd.name, rnd.recommendation_ids) == (1, "open", "First reading", [b, a])
    assert _status(world, a) == _status(world, b) == "voting"
    with world.db.read() as s:
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-3:] == ["recommendation.status", "recommendation.status", "voting.round.open"]
    with pytest.raises(InvalidInput, match="already being voted on in round 1"):
        _open(world, [a])
    _close(world, rnd)
    with pytest.raises(InvalidTransition, match="already closed"):
        _close(world, rnd)


def test_opening_refuses_drafts_unknown_texts_past_dates_and_bad_rules_and_writes_nothing(world):
    (draft,) = _recs(world, 1, status="draft")
    (ok,) = _recs(world)
    before = _rows(world.db)
    with pytest.raises(InvalidTransition, match="only recommendations in discussion or voting"):
        _open(world, [draft])
    with pytest.raises(InvalidInput, match="at least one"):
        _open(world, [])
    with pytest.raises(NotFound):
        _open(world, [9999])
    with pytest.raises(InvalidInput, match="future"):
        _open(world, [ok], closes_at=datetime.now(UTC) - timedelta(hours=1))
    with pytest.raises(InvalidInput, match="threshold"):
        _open(world, [ok], rules={"threshold": 2})
    with pytest.raises(InvalidInput):
        _open(world, [ok], rules={"no_such_rule": True})
    assert _rows(world.db) == before


def test_outcomes_set_the_recommendation_statuses_with_audit_rows(world):
    adopt, reject, undecided = _recs(world, 3)
    rnd = _open(world, [adopt, reject, undecided])
    for who in ("expert", "expert2"):
        _cast(world, who, rnd, adopt, choice="agree")
        _cast(world, who, rnd, reject, choice="disagree", reason="Duplicates the Civil Code")
    result = _close(world, rnd)
    assert result.round.status == "closed" and result.round.closed_by == world["moderator"]
    assert _item(result, adopt).final and _item(result, adopt).overall.agree == 2
    assert [_item(result, r).overall.outcome for r in (adopt, reject, undecided)] == [
        "adopted",
        "rejected",
        "no_consensus",
    ]
    assert not _item(result, undecided).overall.quorum_met
    # No consensus: carried forward, i.e. back to discussion for another round.
    assert [_status(world, r) for r in (adopt, reject, undecided)] == ["adopted", "rejected", "discussion"]
    with world.db.read() as s:
        moves = {
            e.object_id: (e.details["from"], e.details["to"])
            for e in s.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "recommendation.status", AuditEvent.id > 0)
                .order_by(AuditEvent.id)
            )
            if e.details.get("round_id") == rnd.id and e.details["from"] == "voting"
        }
        assert moves == {
            adopt: ("voting", "adopted"),
            reject: ("voting", "rejected"),
            undecided: ("voting", "discussion"),
        }
        assert s.scalar(select(func.count()).select_from(RoundResult)) == 3


# --------------------------------------------------------------------------- ballots


def test_changing_a_vote_a_then_b_then_a_keeps_three_history_rows_and_counts_once(world):
    (a,) = _recs(world)
    rnd = _open(world, [a])
    for choice in ("agree", "disagree", "agree"):
        _cast(world, "expert", rnd, a, choice=choice)
    history = voting.my_vote_history(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=a)
    assert [(h.action, h.choice) for h in history] == [("cast", "agree"), ("change", "disagree"), ("change", "agree")]
    overall = _item(voting.round_results(world.db, actor_id=world["expert"], round_id=rnd.id), a).overall
    assert (overall.voted, overall.agree, overall.disagree) == (1, 1, 0)
    # The same vote again is not a change: nothing is written.
    before = _rows(world.db)
    _cast(world, "expert", rnd, a, choice="agree")
    assert _rows(world.db) == before and before["votes"] == 1 and before["vote_history"] == 3
    # The database itself refuses a second current vote, whatever the code does.
    with pytest.raises(IntegrityError):
        with world.db.write() as s:
            s.add(
                Vote(
                    round_id=rnd.id,
                    recommendation_id=a,
                    voter_id=world["expert"],
                    revision_id=history[0].revision_id,
                    choice="disagree",
                )
            )


def test_editing_the_text_makes_votes_stale_until_confirmed_or_changed(world):
    (a,) = _recs(world)
    rnd = _open(world, [a])
    with pytest.raises(NotFound, match="not voted"):
        voting.confirm_vote(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=a)
    _cast(world, "expert", rnd, a, choice="agree")
    _cast(world, "expert2", rnd, a, choice="agree")
    new = _edit(world, a)
    overall = _item(voting.round_results(world.db, actor_id=world["moderator"], round_id=rnd.id), a).overall
    assert (overall.voted, overall.stale, overall.agree) == (0, 2, 0)
    ballot = voting.my_ballots(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    item = ballot.rounds[0].items[0]
    assert item.stale and item.needs_action and item.vote.stale and ballot.to_do == 1
    confirmed = voting.confirm_vote(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=a)
    assert not confirmed.stale and confirmed.choice == "agree" and confirmed.revision_id == new.current_revision.id
    history = voting.my_vote_history(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=a)
    assert [h.action for h in history] == ["cast", "confirm"]
    changed = _cast(world, "expert2", rnd, a, choice="disagree", reason="Still too vague")
    assert not changed.stale and changed.revision_id == new.current_revision.id
    overall = _item(voting.round_results(world.db, actor_id=world["moderator"], round_id=rnd.id), a).overall
    assert (overall.voted, overall.stale, overall.agree, overall.disagree) == (2, 0, 1, 1)
    _edit(world, a, text="Third text")
    assert _item(_close(world, rnd), a).overall.stale == 2  # stale votes are not counted at close either


def test_a_recused_voter_is_left_out_of_the_count_and_of_the_quorum_base(world):
    (a,) = _recs(world)
    rnd = _open(world, [a], rules={"quorum": 1})
    _cast(world, "expert", rnd, a, choice="agree")
    _cast(world, "expert2", rnd, a, choice="disagree")
    view = voting.recuse(
        world.db,
        actor_id=world["expert2"],
        round_id=rnd.id,
        recommendation_id=a,
        reason="I drafted the Society's own proposal",
    )
    assert view.recused and view.reason == "I drafted the Society's own proposal"
    with pytest.raises(PermissionDenied, match="recused"):
        _cast(world, "expert2", rnd, a, choice="agree")
    overall = _item(voting.round_results(world.db, actor_id=world["moderator"], round_id=rnd.id), a).overall
    assert (overall.eligible, overall.recused, overall.quorum_base, overall.voted, overall.quorum_met) == (
        2,
        1,
        1,
        1,
        True,
    )
    ballot = voting.my_ballots(world.db, actor_id=world["expert2"], roundtable_id=world.roundtable_id)
    assert ballot.rounds[0].items[0].recused and ballot.to_do == 0
    # Taking the recusal back (allowed while open) makes them a voter again.
    back = voting.withdraw_recusal(world.db, actor_id=world["expert2"], round_id=rnd.id, recommendation_id=a)
    assert not back.recused and back.withdrawn_at is not None
    with pytest.raises(InvalidInput, match="not recused"):
        voting.withdraw_recusal(world.db, actor_id=world["expert2"], round_id=rnd.id, recommendation_id=a)
    _cast(world, "expert2", rnd, a, choice="agree")
    assert _item(_close(world, rnd), a).overall.agree == 2
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Recusal)) == 1
        assert set(s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("vote.%")))) == {
            "vote.cast",
            "vote.change",
            "vote.recuse",
            "vote.unrecuse",
        }


def test_observers_never_vote_and_moderators_vote_only_when_the_setting_is_on(world):
    (a,) = _recs(world)
    rnd = _open(world, [a])
    with pytest.raises(PermissionDenied, match="Observers do not vote"):
        _cast(world, "observer", rnd, a, choice="agree")
    with pytest.raises(PermissionDenied, match="moderators_vote"):
        _cast(world, "moderator", rnd, a, choice="agree")
    assert _item(voting.round_results(world.db, actor_id=world["admin"], round_id=rnd.id), a).overall.eligible == 2
    _moderators_vote(world, True)
    _cast(world, "moderator", rnd, a, choice="agree")
    _cast(world, "admin", rnd, a, choice="agree")
    overall = _item(voting.round_results(world.db, actor_id=world["admin"], round_id=rnd.id), a).overall
    assert (overall.eligible, overall.voted) == (4, 2)
    # Read when the tally is made: switched off again, their votes stay stored but no longer count.
    _moderators_vote(world, False)
    overall = _item(voting.round_results(world.db, actor_id=world["admin"], round_id=rnd.id), a).overall
    assert (overall.eligible, overall.voted) == (2, 0)
    assert not voting.my_ballots(world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id).eligible


def test_refused_votes_write_nothing(world):
    a, b, c, d = _recs(world, 4)
    rnd = _open(world, [a, b, c])
    recs.set_status(world.db, actor_id=world["expert"], recommendation_id=b, status="withdrawn")
    recs.set_status(world.db, actor_id=world["moderator"], recommendation_id=c, status="discussion")
    recs.set_status(world.db, actor_id=world["moderator"], recommendation_id=c, status="merged", merged_into_id=a)
    before = _rows(world.db)
    with pytest.raises(PermissionDenied, match="withdrawn; it no longer accepts votes"):
        _cast(world, "expert", rnd, b, choice="agree")
    with pytest.raises(PermissionDenied, match="merged"):
        _cast(world, "expert", rnd, c, choice="agree")
    with pytest.raises(InvalidInput, match="not on the ballot"):
        _cast(world, "expert", rnd, d, choice="agree")
    with pytest.raises(InvalidInput, match="block needs a reason"):
        _cast(world, "expert", rnd, a, choice="block")
    with pytest.raises(InvalidInput, match="abstention takes no reason"):
        _cast(world, "expert", rnd, a, choice="abstain", reason="because")
    with pytest.raises(InvalidInput, match="not a rating"):
        _cast(world, "expert", rnd, a, rating=7)
    with pytest.raises(PermissionDenied, match="not a participant"):
        _cast(world, "outsider", rnd, a, choice="agree")
    with pytest.raises(NotFound):
        voting.cast_vote(world.db, actor_id=world["expert"], round_id=9999, recommendation_id=a, choice="agree")
    assert _rows(world.db) == before
    _close(world, rnd)
    assert _status(world, b) == "withdrawn"  # closing leaves a withdrawn text as it is
    before = _rows(world.db)
    with pytest.raises(RoundClosed, match="closed; nothing was recorded"):
        _cast(world, "expert", rnd, a, choice="agree")
    with pytest.raises(RoundClosed):
        voting.recuse(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=a)
    assert _rows(world.db) == before


def test_delphi_ballots_take_a_rating_from_1_to_9_with_an_optional_comment(world):
    (a,) = _recs(world)
    rnd = _open(world, [a], rules={"mode": "delphi"})
    before = _rows(world.db)
    with pytest.raises(InvalidInput, match="from 1 to 9"):
        _cast(world, "expert", rnd, a, rating=10)
    with pytest.raises(InvalidInput, match="only choice that can be added is block"):
        _cast(world, "expert", rnd, a, rating=8, choice="agree")
    assert _rows(world.db) == before
    vote = _cast(world, "expert", rnd, a, rating=8, reason="Good, but cite Article 44")
    assert (vote.rating, vote.choice, vote.reason) == (8, None, "Good, but cite Article 44")
    assert _cast(world, "expert2", rnd, a, rating=2, choice="block", reason="Unconstitutional").choice == "block"


# --------------------------------------------------------------------------- closing dates


def test_after_the_closing_date_votes_are_refused_and_the_first_allowed_read_freezes_the_round(world):
    (a,) = _recs(world)
    rnd = _open(world, [a], closes_at=datetime.now(UTC) + timedelta(hours=1))
    _cast(world, "expert", rnd, a, choice="agree")
    _cast(world, "expert2", rnd, a, choice="agree")
    when = _make_past(world.db, rnd.id)
    before = _rows(world.db)
    with pytest.raises(RoundClosed, match="closed at"):
        _cast(world, "expert", rnd, a, choice="disagree", reason="late")
    # Refused readers do not trigger the freeze.
    with pytest.raises(PermissionDenied):
        voting.round_results(world.db, actor_id=world["outsider"], round_id=rnd.id)
    with pytest.raises(PermissionDenied):
        voting.export_votes_csv(world.db, actor_id=world["expert"], round_id=rnd.id)
    assert _rows(world.db) == before
    # An edit after the closing date but before the freeze does not make the votes stale.
    _edit(world, a, text="Edited after the vote closed")
    result = voting.round_results(world.db, actor_id=world["observer"], round_id=rnd.id)
    assert result.round.status == "closed" and result.round.closed_by is None and result.round.closed_at == when
    item = _item(result, a)
    assert item.final and (item.overall.voted, item.overall.stale, item.overall.outcome) == (2, 0, "adopted")
    assert _status(world, a) == "adopted"
    with world.db.read() as s:
        assert (
            s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "voting.round.auto_close"))
            == 1
        )
    before = _rows(world.db)
    voting.round_results(world.db, actor_id=world["observer"], round_id=rnd.id)
    assert _rows(world.db) == before


def test_close_due_rounds_closes_only_rounds_past_their_date(world):
    a, b, c = _recs(world, 3)
    soon = datetime.now(UTC) + timedelta(hours=1)
    r1 = _open(world, [a], closes_at=soon)
    r2 = _open(world, [b], closes_at=soon + timedelta(days=2))
    r3 = _open(world, [c])
    _cast(world, "expert", r1, a, choice="agree")
    assert voting.close_due_rounds(world.db, now=soon + timedelta(minutes=1)) == [r1.id]
    assert voting.close_due_rounds(world.db, now=soon + timedelta(minutes=2)) == []
    statuses = {
        r.id: r.status
        for r in voting.list_rounds(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    }
    assert statuses == {r1.id: "closed", r2.id: "open", r3.id: "open"}
    closed = voting.get_round(world.db, actor_id=world["expert"], round_id=r1.id)
    assert closed.closed_at == soon and closed.closed_by is None
    assert (_status(world, a), _status(world, b)) == ("adopted", "voting")


# --------------------------------------------------------------------------- rules and results


def test_a_block_stops_adoption_unless_overridden_with_a_recorded_reason(world):
    stands, before_close, at_close = _recs(world, 3)
    _add_expert(world, "expert3", "Faculty")
    _add_expert(world, "expert4", "Faculty")
    rnd = _open(world, [stands, before_close, at_close])
    for rec_id in (stands, before_close, at_close):
        for who in ("expert", "expert2", "expert3"):
            _cast(world, who, rnd, rec_id, choice="agree")
        _cast(world, "expert4", rnd, rec_id, choice="block", reason="Conflicts with the Geneva Conventions")
    with pytest.raises(PermissionDenied):
        voting.override_block(world.db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=stands, reason="x")
    with pytest.raises(InvalidInput, match="needs a reason"):
        voting.override_block(
            world.db, actor_id=world["moderator"], round_id=rnd.id, recommendation_id=before_close, reason="  "
        )
    view = voting.override_block(
        world.db,
        actor_id=world["moderator"],
        round_id=rnd.id,
        recommendation_id=before_close,
        reason="Concern addressed in the commentary",
    )
    assert view.block_override_reason == "Concern addressed in the commentary" and view.overall.rule_met
    result = _close(world, rnd, block_overrides={at_close: "Emblem covered by recommendation 2"})
    blocked = _item(result, stands).overall
    assert blocked.blocked and not blocked.block_override_applied and blocked.outcome == "no_consensus"
    assert _item(result, before_close).block_override_reason == "Concern addressed in the commentary"
    assert _item(result, at_close).block_override_reason == "Emblem covered by recommendation 2"
    for rec_id in (before_close, at_close):
        assert _item(result, rec_id).overall.block_override_applied
        assert _item(result, rec_id).overall.outcome == "adopted"
    assert [_status(world, r) for r in (stands, before_close, at_close)] == ["discussion", "adopted", "adopted"]
    with world.db.read() as s:
        reasons = sorted(
            e.details["reason"]
            for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "voting.block_override"))
        )
    assert reasons == ["Concern addressed in the commentary", "Emblem covered by recommendation 2"]


def test_group_tallies_sit_beside_the_overall_tally_and_small_groups_stay_out_of_anonymous_exports(world):
    (a,) = _recs(world)
    for name in ("faculty1", "faculty2", "faculty3"):
        _add_expert(world, name, "Faculty")
    rnd = _open(world, [a], rules={"anonymous": True})
    _cast(world, "expert", rnd, a, choice="agree")  # ICRC, a group of one
    _cast(world, "faculty1", rnd, a, choice="agree")
    _cast(world, "faculty2", rnd, a, choice="disagree", reason='=HYPERLINK("http://x")')
    voting.recuse(world.db, actor_id=world["faculty3"], round_id=rnd.id, recommendation_id=a)
    item = _item(_close(world, rnd), a)
    groups = {g.group: g for g in item.groups}
    # An anonymous round shows no group smaller than 3: "ICRC: 1 agree" would name the vote (issue 11.8).
    assert list(groups) == ["Faculty"]
    assert (
        groups["Faculty"].eligible,
        groups["Faculty"].agree,
        groups["Faculty"].disagree,
        groups["Faculty"].recused,
    ) == (3, 1, 1, 1)
    assert item.overall.group is None and (item.overall.eligible, item.overall.voted) == (5, 3)
    text = voting.export_votes_csv(world.db, actor_id=world["moderator"], round_id=rnd.id)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["voter"] for r in rows) == ["Voter 1", "Voter 2", "Voter 3", "Voter 4"]
    assert {r["group"] for r in rows} == {"Faculty", ""}  # ICRC has one voter: not shown
    assert all(r["organisation"] == "" and r["updated_at"] == "" for r in rows)
    for name in ("Expert", "Faculty1", "Faculty2", "ICRC"):
        assert name not in text
    assert {r["status"] for r in rows} == {"counted", "recused"}
    assert [r["reason"] for r in rows if r["choice"] == "disagree"] == ['\'=HYPERLINK("http://x")']
    # Pseudonyms are stable between exports of the same round.
    assert voting.export_votes_csv(world.db, actor_id=world["admin"], round_id=rnd.id) == text


def test_named_round_export_and_dissent_named_only_with_consent(world):
    a, b = _recs(world, 2)
    named = _open(world, [a])
    _cast(world, "expert", named, a, choice="disagree", reason="Too broad", reason_named=True)
    _cast(world, "expert2", named, a, choice="block", reason="@SUM(1+1) conflicts with Article 44")
    dissents = _item(_close(world, named), a).dissents
    # Rejected: the majority's disagree is not dissent, the block always is (issue 10, item 3).
    assert [(d.name, d.organisation, d.reason) for d in dissents] == [
        (None, None, "@SUM(1+1) conflicts with Article 44")
    ]
    rows = list(
        csv.DictReader(io.StringIO(voting.export_votes_csv(world.db, actor_id=world["moderator"], round_id=named.id)))
    )
    assert [(r["voter"], r["organisation"], r["choice"], r["reason_may_be_named"], r["status"]) for r in rows] == [
        ("Expert", "ICRC", "disagree", "yes", "counted"),
        ("Expert2", "Red Crescent Society of Kazakhstan", "block", "no", "counted"),
    ]
    assert rows[1]["reason"] == "'@SUM(1+1) conflicts with Article 44"
    anonymous = _open(world, [b], rules={"anonymous": True})
    _cast(world, "expert", anonymous, b, choice="disagree", reason="Too broad", reason_named=True)
    _cast(world, "expert2", anonymous, b, choice="agree")  # no consensus: the objection is listed
    dissents = _item(_close(world, anonymous), b).dissents
    assert [(d.name, d.organisation, d.reason) for d in dissents] == [(None, None, "Too broad")]


def test_blind_results_are_hidden_from_non_moderators_until_close_and_the_memo_gets_closed_rounds(world):
    a, b = _recs(world, 2)
    first = _open(world, [a, b], rules={"quorum": 1})
    _cast(world, "expert", first, a, choice="agree")
    _close(world, first)  # one vote of two: no quorum, no consensus
    rnd = _open(world, [a], rules={"blind": True})
    _cast(world, "expert", rnd, a, choice="agree")
    for who in ("expert", "observer"):
        seen = voting.round_results(world.db, actor_id=world[who], round_id=rnd.id)
        assert seen.hidden and seen.items == [] and seen.round.blind
        old, current = voting.recommendation_results(world.db, actor_id=world[who], recommendation_id=a)
        assert not old.hidden and old.final and old.overall.voted == 1
        assert current.hidden and current.overall is None and current.dissents == [] and not current.final
    staff = voting.round_results(world.db, actor_id=world["moderator"], round_id=rnd.id)
    assert not staff.hidden and _item(staff, a).overall.agree == 1
    memo = voting.results_for_memo(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert {k: [v.round_number for v in vs] for k, vs in memo.items()} == {a: [1], b: [1]}
    _cast(world, "expert2", rnd, a, choice="agree")
    _close(world, rnd)
    after = voting.round_results(world.db, actor_id=world["expert"], round_id=rnd.id)
    assert not after.hidden and _item(after, a).overall.agree == 2
    memo = voting.results_for_memo(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert [(v.round_number, v.overall.outcome) for v in memo[a]] == [(1, "no_consensus"), (2, "adopted")]
    with pytest.raises(PermissionDenied):
        voting.results_for_memo(world.db, actor_id=world["outsider"], roundtable_id=world.roundtable_id)


def test_no_consensus_is_carried_forward_with_delphi_feedback(world):
    a, b = _recs(world, 2)
    _add_expert(world, "expert3", "Faculty")
    first = _open(world, [a, b], rules={"mode": "delphi"})
    for who, ra, rb in (("expert", 9, 8), ("expert2", 2, 8), ("expert3", 5, 9)):
        _cast(world, who, first, a, rating=ra)
        _cast(world, who, first, b, rating=rb)
    result = _close(world, first)
    item_a, item_b = _item(result, a), _item(result, b)
    assert item_a.overall.outcome == "no_consensus" and item_b.overall.outcome == "adopted"
    assert item_a.overall.delphi.median == 5 and item_a.overall.delphi.iqr == 3.5
    assert _status(world, a) == "discussion" and _status(world, b) == "adopted"
    second = voting.carry_forward(world.db, actor_id=world["moderator"], round_id=first.id)
    assert second.recommendation_ids == [a] and second.carried_from_round_id == first.id and second.mode == "delphi"
    assert _status(world, a) == "voting"
    ballot = voting.my_ballots(world.db, actor_id=world["expert2"], roundtable_id=world.roundtable_id)
    (item,) = ballot.rounds[0].items
    feedback = item.previous_round_feedback
    assert (feedback.your_rating, feedback.median, feedback.count) == (2, 5, 3)
    assert feedback.distribution == {1: 0, 2: 1, 3: 0, 4: 0, 5: 1, 6: 0, 7: 0, 8: 0, 9: 1}
    assert item.needs_action and item.vote is None and ballot.to_do == 1
    for who in ("expert", "expert2", "expert3"):
        _cast(world, who, second, a, rating=8)
    _close(world, second)
    assert _status(world, a) == "adopted"
    with pytest.raises(InvalidInput, match="nothing to carry forward"):
        voting.carry_forward(world.db, actor_id=world["moderator"], round_id=second.id)


def test_open_round_with_carry_from_round_id_takes_the_undecided_items(world):
    a, b = _recs(world, 2)
    first = _open(world, [a, b])
    _cast(world, "expert", first, a, choice="agree")
    _cast(world, "expert2", first, a, choice="agree")
    with pytest.raises(InvalidInput, match="still open"):
        _open(world, None, carry_from_round_id=first.id)
    _close(world, first)
    second = _open(world, None, carry_from_round_id=first.id, rules={"threshold": "1/2"})
    assert second.recommendation_ids == [b] and second.rules["threshold"] == "1/2"
    assert (_status(world, a), _status(world, b)) == ("adopted", "voting")


# --------------------------------------------------------------------------- who may do what

ACTIONS = ["open round", "close round", "cast", "change", "recuse", "confirm", "read results", "export CSV"]
VOTER_ACTIONS = {"cast", "change", "recuse", "confirm"}


def _allowed(action: str, role: str, moderators_vote: bool) -> bool:
    if action in ("open round", "close round", "export CSV"):
        return role in ("admin", "moderator")
    if action == "read results":
        return role != "outsider"
    voters = {"expert", "admin", "moderator"} if moderators_vote else {"expert"}
    return role in voters


def _as_voter(world, role, fn):
    """Run ``fn`` while ``role`` may vote (to give an existing vote to people who cannot vote now)."""
    if role in ("admin", "moderator"):
        _moderators_vote(world, True)
        try:
            return fn()
        finally:
            _moderators_vote(world, world.moderators_vote)
    if role == "observer":
        roundtables.set_membership(
            world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, user_id=world["observer"], role="expert"
        )
        try:
            return fn()
        finally:
            roundtables.set_membership(
                world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, user_id=world["observer"], role="observer"
            )
    return fn()


def _attempt(world, action: str, role: str):
    """Set the scene for ``action`` and return the call that ``role`` attempts."""
    db, me = world.db, world[role]
    (rec_id,) = _recs(world)
    if action == "open round":
        return lambda: voting.open_round(
            db, actor_id=me, roundtable_id=world.roundtable_id, recommendation_ids=[rec_id]
        )
    rnd = _open(world, [rec_id])
    if action in ("change", "confirm") and role != "outsider":
        _as_voter(world, role, lambda: _cast(world, role, rnd, rec_id, choice="agree"))
        if action == "confirm":
            _edit(world, rec_id)
    _cast(world, "expert2", rnd, rec_id, choice="agree")
    return {
        "close round": lambda: voting.close_round(db, actor_id=me, round_id=rnd.id),
        "cast": lambda: voting.cast_vote(db, actor_id=me, round_id=rnd.id, recommendation_id=rec_id, choice="agree"),
        "change": lambda: voting.cast_vote(
            db, actor_id=me, round_id=rnd.id, recommendation_id=rec_id, choice="disagree", reason="Changed my mind"
        ),
        "recuse": lambda: voting.recuse(db, actor_id=me, round_id=rnd.id, recommendation_id=rec_id),
        "confirm": lambda: voting.confirm_vote(db, actor_id=me, round_id=rnd.id, recommendation_id=rec_id),
        "read results": lambda: voting.round_results(db, actor_id=me, round_id=rnd.id),
        "export CSV": lambda: voting.export_votes_csv(db, actor_id=me, round_id=rnd.id),
    }[action]


@pytest.mark.parametrize("moderators_vote", [False, True], ids=["moderators_do_not_vote", "moderators_vote"])
def test_authorisation_matrix_every_role_times_every_voting_action(world, moderators_vote):
    world.moderators_vote = moderators_vote
    _moderators_vote(world, moderators_vote)
    wrong = []
    for action in ACTIONS:
        for role in ROLES:
            call = _attempt(world, action, role)
            before = _rows(world.db)
            expected = _allowed(action, role, moderators_vote)
            try:
                call()
                outcome = "allowed"
            except PermissionDenied as denied:
                outcome = "denied"
                assert str(denied).strip(), (action, role)
                if _rows(world.db) != before:
                    wrong.append(f"{role} / {action}: denied but wrote something")
            if outcome != ("allowed" if expected else "denied"):
                wrong.append(f"{role} / {action}: {outcome}, expected {'allowed' if expected else 'denied'}")
            elif expected and action not in ("read results",) and _rows(world.db) == before:
                wrong.append(f"{role} / {action}: allowed but wrote nothing")
    assert wrong == []


def test_the_command_line_reads_results_as_an_administrator_and_holds_no_ballot(world):
    (a,) = _recs(world)
    rnd = _open(world, [a], rules={"blind": True})
    _cast(world, "expert", rnd, a, choice="agree")
    # A blind round's live figures: the command line reads them as the roundtable's administrators do.
    shown = voting.round_results(world.db, actor_id=SYSTEM, round_id=rnd.id)
    assert not shown.hidden and _item(shown, a).overall.voted == 1
    assert voting.recommendation_results(world.db, actor_id=SYSTEM, recommendation_id=a)[0].overall.voted == 1
    assert voting.get_round(world.db, actor_id=SYSTEM, round_id=rnd.id).id == rnd.id
    with pytest.raises(PermissionDenied, match="the command line does not vote"):
        voting.cast_vote(world.db, actor_id=SYSTEM, round_id=rnd.id, recommendation_id=a, choice="agree")
    ballots = voting.my_ballots(world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id)
    assert not ballots.eligible and "vote" not in ballots.actions
    _close(world, rnd)
    assert [
        v.overall.agree
        for v in voting.results_for_memo(world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id)[a]
    ] == [1]
    rows = list(csv.DictReader(io.StringIO(voting.export_votes_csv(world.db, actor_id=SYSTEM, round_id=rnd.id))))
    assert [r["choice"] for r in rows] == ["agree"]


def test_views_carry_what_the_viewer_may_do_about_voting(world):
    (a,) = _recs(world)
    rnd = _open(world, [a])
    expert = voting.rounds_overview(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id)
    assert expert.actions == ["vote"] and expert.rounds[0].actions == ["vote"]
    moderator = voting.rounds_overview(world.db, actor_id=world["moderator"], roundtable_id=world.roundtable_id)
    assert moderator.actions == ["manage_rounds", "open_round", "run_rounds"]
    assert moderator.rounds[0].actions == ["close", "export_votes", "override_block"]
    assert voting.my_ballots(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id).actions == ["vote"]
    closed = _close(world, rnd).round
    assert closed.actions == ["carry_forward", "export_votes"]
    assert voting.round_results(world.db, actor_id=world["observer"], round_id=rnd.id).round.actions == []
