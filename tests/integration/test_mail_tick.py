"""``recdraft tick``: rounds past their closing time close as closing by hand would, reminders reach only
eligible people who have not voted, result messages are queued once — on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from recdraft.cli import main
from recdraft.db.mail_models import OutboxMessage
from recdraft.db.models import AuditEvent, Recommendation, User, utcnow
from recdraft.db.voting_models import RoundResult, VotingRound
from recdraft.services import outbox, voting
from tests.factories import make_recommendations, make_round, make_world
from tests.integration.test_mail_outbox import LANGS, smtp  # noqa: F401 - the SMTP server fixture


def _world(db):
    world = make_world(db, moderation_mode="post")
    with db.write() as s:
        for name, lang in LANGS.items():
            s.execute(
                update(User).where(User.id == world[name]).values(email=f"{name}@example.org", preferred_language=lang)
            )
    return world


def _round(world, n=2, **rules):
    ids = [rec.id for rec in make_recommendations(world, n, status="discussion")]
    closes = utcnow() + timedelta(hours=10)
    return make_round(world, ids, closes_at=closes, rules=rules or None), ids, closes


def _kinds(db):
    with db.read() as s:
        return dict(s.execute(select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind)).all())


def test_tick_closes_a_round_past_its_time_freezes_it_and_tells_everyone_the_result_once(db, smtp):
    world = _world(db)
    rnd, ids, closes = _round(world, anonymous=True, blind=True)
    for rid in ids:
        voting.cast_vote(db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=rid, choice="agree")
        voting.cast_vote(
            db,
            actor_id=world["expert2"],
            round_id=rnd.id,
            recommendation_id=rid,
            choice="disagree",
            reason="Against, says Expert2",
        )
    later = closes + timedelta(minutes=1)
    report = outbox.tick(db, now=later)
    assert report.closed_rounds == [rnd.id]
    with db.read() as s:
        r = s.get(VotingRound, rnd.id)
        assert r.status == "closed" and r.closed_at == closes  # as of its closing time, as closing would
        assert s.scalar(select(func.count()).select_from(RoundResult).where(RoundResult.round_id == rnd.id)) == 2
        assert {x.status for x in s.scalars(select(Recommendation).where(Recommendation.id.in_(ids)))} <= {
            "adopted",
            "rejected",
            "discussion",
        }
        assert (
            s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "voting.round.auto_close"))
            == 1
        )
    # Every participant with an address hears the result once (the round opener included), in their language.
    assert outbox.tick(db, now=later + timedelta(minutes=1)).closed_rounds == []
    assert _kinds(db)["round_result"] == 5
    assert len(smtp.wait_for(2 + 5)) == 2 + 5  # "round opened" to the two experts, then the five results
    results = [r for r in smtp.received if f"results?round={rnd.id}" in r.part("plain")]
    assert sorted(r.rcpt_tos[0] for r in results) == sorted(f"{n}@example.org" for n in LANGS)
    kk = next(r for r in results if r.rcpt_tos == ["expert2@example.org"])
    assert kk.message["Subject"].startswith(f"{rnd.number}-дауыс беру турының қорытындысы")
    assert "1-ұсыным «Recommendation 1»: " in kk.part("plain")
    # Anonymous and blind: no names, no reasons, no counts in any message about the round.
    for mail in smtp.received:
        body = mail.part("plain") + mail.part("html")
        assert "Expert2" not in body and "Against, says" not in body


def test_reminders_reach_only_eligible_people_who_have_not_voted_once(db, smtp):
    world = _world(db)
    rnd, ids, closes = _round(world)
    for rid in ids:
        voting.cast_vote(db, actor_id=world["expert"], round_id=rnd.id, recommendation_id=rid, choice="agree")
    voting.cast_vote(db, actor_id=world["expert2"], round_id=rnd.id, recommendation_id=ids[0], choice="agree")
    early = closes - timedelta(hours=30)
    assert outbox.tick(db, now=early).reminders == 0  # more than 24 hours before the close
    soon = closes - timedelta(hours=20)
    assert outbox.tick(db, now=soon).reminders == 1
    assert outbox.tick(db, now=soon + timedelta(minutes=1)).reminders == 0
    outbox.send_outbox(db)  # (the clock above was set back in time; the messages are due now)
    reminders = [r for r in smtp.received if "2 ұсынымның 1 ұсынымы" in r.part("plain")]
    assert [r.rcpt_tos for r in reminders] == [
        ["expert2@example.org"]
    ]  # Kazakh; the moderator and observer do not vote
    assert "Еске салу" in reminders[0].message["Subject"]


def test_the_reminder_hours_are_configurable(db, smtp, monkeypatch):
    monkeypatch.setenv("RECDRAFT_SMTP_REMINDER_HOURS", "2")
    world = _world(db)
    rnd, ids, closes = _round(world, n=1)
    assert outbox.tick(db, now=closes - timedelta(hours=3)).reminders == 0
    assert outbox.tick(db, now=closes - timedelta(hours=1)).reminders == 2  # expert and expert2


def test_two_ticks_at_once_close_the_round_and_queue_its_results_once(db, smtp):
    world = _world(db)
    rnd, ids, closes = _round(world)
    later = closes + timedelta(minutes=1)
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def run() -> None:
        try:
            barrier.wait()
            reports.append(outbox.tick(db, now=later))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert errors == []
    assert sorted(len(r.closed_rounds) for r in reports) == [0, 1]
    assert _kinds(db)["round_result"] == 5
    sent = [r.message["Message-ID"] for r in smtp.wait_for(_kinds(db)["round_result"] + 2)]
    assert len(sent) == len(set(sent))


def test_the_tick_command_runs_without_mail_and_closes_due_rounds(db, monkeypatch, capsys):
    monkeypatch.delenv("RECDRAFT_SMTP_HOST", raising=False)
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", db.url)
    world = _world(db)
    rnd, ids, closes = _round(world)
    with db.write() as s:
        s.execute(update(VotingRound).where(VotingRound.id == rnd.id).values(closes_at=utcnow() - timedelta(seconds=1)))
    assert main(["tick"]) == 0
    assert "closed rounds: 1" in capsys.readouterr().out
    with db.read() as s:
        assert s.get(VotingRound, rnd.id).status == "closed"
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 0  # mail off: nothing queued
    assert main(["tick"]) == 0
    assert "closed rounds: 0" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["abc", "0"])
def test_the_tick_command_refuses_a_bad_mail_setting_with_its_name(monkeypatch, capsys, value, db):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", db.url)
    monkeypatch.setenv("RECDRAFT_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("RECDRAFT_SMTP_SENDER", "recdraft@example.org")
    monkeypatch.setenv("RECDRAFT_SMTP_REMINDER_HOURS", value)
    assert main(["tick"]) == 2
    assert "RECDRAFT_SMTP_REMINDER_HOURS" in capsys.readouterr().err


def test_loading_the_demo_with_mail_on_mails_nobody(tmp_path, monkeypatch, smtp, capsys):
    from recdraft.db.engine import Database

    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", url)
    assert main(["demo"]) == 0
    db = Database(url)
    try:
        assert _kinds(db) == {}
    finally:
        db.dispose()
