"""Outgoing mail through a real SMTP server (aiosmtpd on 127.0.0.1), on SQLite and PostgreSQL.

What a person cares about: the message reaches the right person once, in their language, links to the
exact page, can be stopped with one click, carries nothing that was hidden, and nothing arrives for an
action that did not happen.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from recdraft import config
from recdraft.db.mail_models import MailAddress, OutboxMessage
from recdraft.db.models import Comment, Invitation, User, utcnow
from recdraft.mail import compose
from recdraft.mail.settings import mail_settings
from recdraft.services import comments, moderation, notifications, outbox, participants
from recdraft.services import recommendations as recs
from recdraft.services._base import SYSTEM
from tests.factories import content, make_recommendation, make_world
from tests.smtp_server import MAIL_ENV, SmtpServer, free_port


@pytest.fixture
def smtp(monkeypatch):
    server = SmtpServer().start()
    for key, value in MAIL_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RECDRAFT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RECDRAFT_SMTP_PORT", str(server.port))
    yield server
    server.stop()


LANGS = {"admin": "en", "moderator": "kk", "expert": "ru", "expert2": "kk", "observer": "en"}


def mail_world(db, moderation_mode="post"):
    world = make_world(db, moderation_mode=moderation_mode)
    with db.write() as s:
        for name, lang in LANGS.items():
            s.execute(
                update(User).where(User.id == world[name]).values(email=f"{name}@example.org", preferred_language=lang)
            )
    return world


def _rec(world, who="expert", title="Recognise the Society by law"):
    return make_recommendation(world, who, title=title).id


def _outbox(db, **where):
    with db.read() as s:
        stmt = select(OutboxMessage).order_by(OutboxMessage.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(OutboxMessage, key) == value)
        rows = list(s.scalars(stmt))
        s.expunge_all()  # plain objects the test can read after the unit of work
        return rows


def _send(db, **kw):
    return outbox.send_outbox(db, **kw)


# --------------------------------------------------------------------------- settings


def test_mail_is_off_without_a_host_and_queues_nothing(db, monkeypatch):
    monkeypatch.delenv("RECDRAFT_SMTP_HOST", raising=False)
    world = mail_world(db)
    rec_id = _rec(world)
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="A comment")
    assert mail_settings().enabled is False
    assert _outbox(db) == []
    assert outbox.send_outbox(db).sent == 0


@pytest.mark.parametrize(
    "env, named",
    [
        ({"RECDRAFT_SMTP_PORT": "seventy"}, "RECDRAFT_SMTP_PORT"),
        ({"RECDRAFT_SMTP_PORT": "70000"}, "RECDRAFT_SMTP_PORT"),
        ({"RECDRAFT_SMTP_SECURITY": "ssl3"}, "RECDRAFT_SMTP_SECURITY"),
        ({"RECDRAFT_SMTP_SENDER": "not an address"}, "RECDRAFT_SMTP_SENDER"),
        ({"RECDRAFT_SMTP_SENDER": ""}, "RECDRAFT_SMTP_SENDER"),
        ({"RECDRAFT_SMTP_USER": "someone"}, "RECDRAFT_SMTP_PASSWORD"),
        ({"RECDRAFT_PUBLIC_URL": ""}, "RECDRAFT_PUBLIC_URL"),
        ({"RECDRAFT_SECRET": ""}, "RECDRAFT_SECRET"),
    ],
)
def test_a_bad_mail_setting_stops_the_start_naming_the_variable(monkeypatch, env, named):
    for key, value in {**MAIL_ENV, "RECDRAFT_SMTP_HOST": "smtp.example.org", **env}.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(config.ConfigError) as caught:
        config.check_settings()
    assert named in str(caught.value)
    assert "password" not in str(caught.value).lower() or named == "RECDRAFT_SMTP_PASSWORD"


def test_good_settings_get_the_default_port_of_their_security(monkeypatch):
    for key, value in {**MAIL_ENV, "RECDRAFT_SMTP_HOST": "smtp.example.org", "RECDRAFT_SMTP_SECURITY": "tls"}.items():
        monkeypatch.setenv(key, value)
    assert mail_settings().port == 465
    assert config.check_settings()["mail"] == "smtp.example.org:465 (tls) as recdraft@school.example"


# --------------------------------------------------------------------------- the outbox and the transaction


def test_an_action_that_rolls_back_leaves_no_message(db, smtp, monkeypatch):
    world = mail_world(db)
    rec_id = _rec(world)
    c = comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="Too harsh")
    before = len(_outbox(db))

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away half-way")

    monkeypatch.setattr(moderation, "_one_view", broken)  # fails after the hide and its message were written
    with pytest.raises(RuntimeError):
        moderation.moderate_comment(db, actor_id=world["moderator"], comment_id=c.id, action="hide", reason="Off topic")
    monkeypatch.undo()
    with db.read() as s:
        assert s.get(Comment, c.id).status == "published"
    assert len(_outbox(db)) == before
    assert _outbox(db, kind="comment_moderated") == []


def test_a_hidden_comment_reaches_its_author_with_the_reason_in_their_language(db, smtp):
    world = mail_world(db)
    rec_id = _rec(world, who="admin")
    c = comments.post_comment(db, actor_id=world["expert"], recommendation_id=rec_id, body="My <b>own</b> words")
    moderation.moderate_comment(
        db,
        actor_id=world["moderator"],
        comment_id=c.id,
        action="hide",
        reason='Personal remarks <script>alert("x")</script> & insults',
    )
    report = _send(db)
    assert report.failed == 0
    mails = smtp.to("expert@example.org")
    assert len(mails) == 1
    got = mails[0]
    msg = got.message
    assert "скрыт" in msg["Subject"] and "Ваш комментарий" in msg["Subject"]  # the author reads Russian
    text = got.part("plain")
    assert "Personal remarks <script>" in text  # plain text keeps the characters
    html_part = got.part("html")
    assert (
        "<script>" not in html_part and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; insults" in html_part
    )
    assert "My <b>own</b> words" not in text + html_part  # the hidden text is not repeated
    link = f"https://recdraft.school.example/recommendations?rec={rec_id}&comment={c.id}"
    assert link in text and link.replace("&", "&amp;") in html_part
    assert msg["List-Unsubscribe"].startswith("<https://recdraft.school.example/mail/unsubscribe?t=")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert msg["Content-Language"] == "ru"
    assert got.rcpt_tos == ["expert@example.org"]
    assert got.mail_from == "recdraft@school.example"
    # Nobody else heard of it, and the moderator is not told of their own action.
    assert [r.rcpt_tos for r in smtp.received] == [["expert@example.org"]] or all(
        "moderator@example.org" not in r.rcpt_tos for r in smtp.received if "скрыт" in r.message["Subject"]
    )


def test_the_base_path_is_part_of_every_link(db, smtp, monkeypatch):
    monkeypatch.setenv("RECDRAFT_BASE_PATH", "/recdraft")
    world = mail_world(db)
    rec_id = _rec(world)
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="Agree with the aim")
    _send(db)
    text = smtp.to("expert@example.org")[0].part("plain")
    assert f"https://recdraft.school.example/recdraft/recommendations?rec={rec_id}" in text
    assert "https://recdraft.school.example/recdraft/mail/unsubscribe?t=" in text


# --------------------------------------------------------------------------- delivery: once, in order


@pytest.mark.parametrize("repeat", [50])
def test_two_senders_at_once_deliver_each_message_exactly_once(db, smtp, repeat):
    world = mail_world(db)
    rec_id = _rec(world)
    settings = mail_settings()
    expected: list[str] = []
    for i in range(repeat):
        for who in ("expert2", "moderator", "admin"):
            comments.post_comment(db, actor_id=world[who], recommendation_id=rec_id, body=f"Comment {i} by {who}")
        queued = _outbox(db, status="queued")
        expected += [m.message_id for m in queued]
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def sender(barrier: threading.Barrier = barrier, errors: list[BaseException] = errors) -> None:
            try:
                barrier.wait()
                outbox.send_outbox(db, settings=settings)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=sender) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert errors == []
        assert _outbox(db, status="queued") == []
    received = [r.message["Message-ID"] for r in smtp.wait_for(len(expected))]
    assert sorted(received) == sorted(expected)
    assert len(set(received)) == len(received) == 3 * repeat
    assert all(m.status == "sent" for m in _outbox(db))


def test_the_server_down_then_up_delivers_everything_once_in_order(db, monkeypatch):
    for key, value in MAIL_ENV.items():
        monkeypatch.setenv(key, value)
    port = free_port()
    monkeypatch.setenv("RECDRAFT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("RECDRAFT_SMTP_PORT", str(port))
    world = mail_world(db)
    rec_id = _rec(world)
    for i in range(5):
        comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body=f"Point {i + 1}")
    queued = [m.message_id for m in _outbox(db)]
    assert len(queued) == 5
    now = utcnow()
    down = outbox.send_outbox(db, now=now)
    assert (down.sent, down.deferred) == (0, 5)
    rows = _outbox(db)
    assert {m.status for m in rows} == {"queued"} and all(m.attempts == 1 for m in rows)
    assert all(m.next_attempt_at > now for m in rows)  # back-off: not hammered again at once
    server = SmtpServer(port).start()
    try:
        assert outbox.send_outbox(db, now=now).sent == 0  # still backing off
        later = now + timedelta(minutes=2)
        assert outbox.send_outbox(db, now=later).sent == 5
        assert outbox.send_outbox(db, now=later + timedelta(hours=1)).sent == 0
        got = server.wait_for(5)
        assert [r.message["Message-ID"] for r in got] == queued
        assert [r.part("plain").split("\n")[0] for r in got] == [
            "Expert2 оставил(а) комментарий к вашей рекомендации 1 «Recognise the Society by law» на круглом "
            "столе «Национальные общества: правовые основы»."
        ] * 5
        assert [(r.part("plain").split("> ", 1)[1].split("\n")[0]) for r in got] == [f"Point {i}" for i in range(1, 6)]
    finally:
        server.stop()


def test_a_refused_address_fails_at_once_is_shown_to_the_administrator_and_gets_nothing_more(db, smtp):
    world = mail_world(db)
    smtp.handler.refuse.add("expert@example.org")
    smtp.handler.defer.add("admin@example.org")
    rec_id = _rec(world)
    recs.set_coauthors(db, actor_id=world["expert"], recommendation_id=rec_id, user_ids=[world["admin"]])
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="First")
    report = _send(db)
    assert (report.sent, report.failed, report.deferred) == (0, 1, 1)
    status = outbox.mail_status(db, actor_id=SYSTEM)
    assert [(a.email, a.name) for a in status.refused] == [("expert@example.org", "Expert")]
    assert status.refused[0].reason.startswith("550")
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="Second")
    assert [m.to_addr for m in _outbox(db) if m.body_text and "Second" in m.body_text] == ["admin@example.org"]
    # The 451 one is retried later and arrives once the server takes it.
    smtp.handler.defer.clear()
    assert _send(db, now=utcnow() + timedelta(minutes=5)).sent == 2
    assert len(smtp.to("admin@example.org")) == 2 and smtp.to("expert@example.org") == []
    outbox.forget_refusal(db, actor_id=SYSTEM, email="expert@example.org")
    assert outbox.mail_status(db, actor_id=SYSTEM).refused == []


def test_names_and_titles_cannot_inject_headers(db, smtp):
    world = mail_world(db)
    with db.write() as s:
        s.execute(update(User).where(User.id == world["expert2"]).values(display_name="Eve\r\nBcc: victim@example.net"))
        s.execute(update(User).where(User.id == world["expert"]).values(display_name="Bob\nBcc: other@example.net"))
    rec_id = _rec(world, title="Title")
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="x\r\nBcc: y@example.net")
    _send(db)
    (got,) = smtp.received
    assert got.rcpt_tos == ["expert@example.org"]
    msg = got.message
    assert msg.get_all("Bcc") is None
    assert "\n" not in msg["To"] and "Bob Bcc: other@example.net" in msg["To"]


# --------------------------------------------------------------------------- preferences, digests, unsubscribing


def test_preferences_off_digest_and_a_hidden_comment_never_in_the_digest(db, smtp):
    world = mail_world(db)
    rec_id = _rec(world)
    notifications.set_preference(db, actor_id=world["expert"], kind="comment_new", mode="digest")
    notifications.set_preference(db, actor_id=world["moderator"], kind="moderation", mode="off")
    kept = comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="Keep this one")
    gone = comments.post_comment(db, actor_id=world["admin"], recommendation_id=rec_id, body="Secret remark")
    moderation.moderate_comment(db, actor_id=world["moderator"], comment_id=gone.id, action="hide", reason="Private")
    assert _send(db).sent == 1  # only the hide notice to the admin, who wrote the hidden comment
    assert smtp.to("expert@example.org") == []
    morning = utcnow().replace(hour=8)
    assert notifications.queue_digests(db, now=morning.replace(hour=5)) == 0  # before the digest hour
    assert notifications.queue_digests(db, now=morning) == 1
    assert notifications.queue_digests(db, now=morning) == 0  # once a day
    _send(db, now=morning)
    (digest,) = smtp.to("expert@example.org")
    text, html_part = digest.part("plain"), digest.part("html")
    assert "ежедневная сводка" in digest.message["Subject"]
    assert "Keep this one" in text and "Keep this one" in html_part
    assert "Secret remark" not in text + html_part
    assert {m.comment_id: m.status for m in _outbox(db, kind="comment_new")} == {
        kept.id: "digested",
        gone.id: "dropped",
    }
    assert smtp.to("moderator@example.org") == []


def test_the_one_click_link_stops_that_kind_without_signing_in(db, smtp):
    world = mail_world(db)
    rec_id = _rec(world)
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="One")
    _send(db)
    url = smtp.to("expert@example.org")[0].message["List-Unsubscribe"].strip("<>")
    token = url.split("t=", 1)[1]
    assert notifications.unsubscribe(db, token=token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]) is None
    assert notifications.unsubscribe(db, token=token) == ("ru", "comment_new")
    assert notifications.my_preferences(db, actor_id=world["expert"])["comment_new"] == "off"
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="Two")
    assert _outbox(db, to_addr="expert@example.org", status="queued") == []
    # A token for one person cannot be turned into another's.
    forged = compose.sign(f"u{world['expert2']}:comment_new", "another secret that is long enough!!")
    assert notifications.unsubscribe(db, token=forged) is None


# --------------------------------------------------------------------------- invitations


def test_an_invitation_arrives_in_the_invitees_language_with_a_working_personal_link(db, smtp):
    world = mail_world(db)
    result = participants.import_participants(
        db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        text="Айгерим Сапарова\taigerim@example.kz\tNarxoz\texpert\tиә\tkk\n"
        "John Smith\tjohn@example.org\tICRC\tobserver\tno\ten\n"
        "Без почты\t\tMazhilis\texpert\tда\tru\n",
    )
    assert len(result.invitations) == 3
    _send(db)
    (kk,) = smtp.to("aigerim@example.kz")
    (en,) = smtp.to("john@example.org")
    assert len(smtp.received) == 2
    assert kk.message["Subject"] == "«Национальные общества: правовые основы» дөңгелек үстеліне шақыру"
    assert "Құрметті Айгерим Сапарова!" in kk.part("plain") and "Сарапшы" in kk.part("plain")
    token = next(i.token for i in result.invitations if i.email == "aigerim@example.kz")
    assert f"https://recdraft.school.example/?invite={token}" in kk.part("plain")
    assert "Invitation to the roundtable" in en.message["Subject"] and "Observer" in en.part("plain")
    with db.read() as s:
        # The link lives on only in the mail: the sent row keeps no copy of it, as the invitation keeps a hash.
        assert s.scalar(select(func.count()).select_from(Invitation)) == 3
    assert all(token not in (m.body_text + m.body_html) for m in _outbox(db))
    # A new link replaces the old one, by mail too.
    inv_id = next(i.id for i in result.invitations if i.email == "john@example.org")
    again = participants.reissue_invitation(db, actor_id=world["admin"], invitation_id=inv_id)
    _send(db)
    assert again.token in smtp.to("john@example.org")[-1].part("plain")


def test_an_address_that_unsubscribed_from_an_invitation_gets_no_more(db, smtp):
    world = mail_world(db)
    result = participants.import_participants(
        db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        text="John Smith\tjohn@example.org\tICRC\texpert\tno\ten\n",
    )
    _send(db)
    url = smtp.to("john@example.org")[0].message["List-Unsubscribe"].strip("<>")
    assert notifications.unsubscribe(db, token=url.split("t=", 1)[1]) == ("en", "all")
    with db.read() as s:
        assert s.get(MailAddress, "john@example.org").unsubscribed_at is not None
    participants.reissue_invitation(db, actor_id=world["admin"], invitation_id=result.invitations[0].id)
    assert _send(db).sent == 0


# --------------------------------------------------------------------------- amendments, reports, rounds


def test_amendments_reach_the_authors_and_the_decision_reaches_the_proposer(db, smtp):
    from recdraft.services import amendments

    world = mail_world(db)
    rec_id = _rec(world, title="Protect the emblem")
    a = amendments.propose_amendment(
        db,
        actor_id=world["expert2"],
        recommendation_id=rec_id,
        content=content(title="Protect the emblem and the name"),
        justification="GC I Art. 53 covers <the name> too",
    )
    amendments.reject_amendment(db, actor_id=world["expert"], amendment_id=a.id, reason="Out of scope & too broad")
    _send(db)
    (to_author,) = smtp.to("expert@example.org")
    assert to_author.message["Subject"] == "Новая поправка к вашей рекомендации 1"
    assert "&lt;the name&gt;" in to_author.part("html")
    assert f"rec={rec_id}&amendment={a.id}" in to_author.part("plain")
    (to_proposer,) = smtp.to("expert2@example.org")
    assert to_proposer.message["Subject"] == "1-ұсынымға ұсынған түзетуіңіз қабылданбады"
    assert "Out of scope & too broad" in to_proposer.part("plain")
    assert "Out of scope &amp; too broad" in to_proposer.part("html")


def test_moderators_hear_of_a_waiting_or_reported_comment_but_not_who_reported_it(db, smtp):
    pre = mail_world(db, moderation_mode="pre")
    rec_id = _rec(pre)
    waiting = comments.post_comment(db, actor_id=pre["expert2"], recommendation_id=rec_id, body="Please look")
    assert waiting.status == "pending"
    _send(db)
    assert smtp.to("expert@example.org") == []  # the author hears of it once it is published
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["admin@example.org", "moderator@example.org"]
    assert "Мақұлдауыңызды күтуде" in smtp.to("moderator@example.org")[0].message["Subject"]
    moderation.moderate_comment(db, actor_id=pre["moderator"], comment_id=waiting.id, action="approve")
    comments.flag_comment(db, actor_id=pre["observer"], comment_id=waiting.id, reason="Contains a phone number")
    _send(db)
    assert "Please look" in smtp.to("expert@example.org")[0].part("plain")
    flagged = [r for r in smtp.to("moderator@example.org") if "Қатысушы шағымданды" in r.message["Subject"]]
    assert len(flagged) == 1
    body = flagged[0].part("plain")
    assert "Contains a phone number" in body and "Observer" not in body


def test_a_round_opening_reaches_the_voters_only(db, smtp):
    from recdraft.services import voting

    world = mail_world(db)
    rec_id = _rec(world)
    recs.set_status(db, actor_id=world["moderator"], recommendation_id=rec_id, status="discussion")
    rnd = voting.open_round(
        db,
        actor_id=world["moderator"],
        roundtable_id=world.roundtable_id,
        recommendation_ids=[rec_id],
        closes_at=utcnow() + timedelta(days=2),
    )
    _send(db)
    assert sorted(r.rcpt_tos[0] for r in smtp.received) == ["expert2@example.org", "expert@example.org"]
    ru = smtp.to("expert@example.org")[0]
    assert ru.message["Subject"] == f"Открыт тур голосования {rnd.number} — Национальные общества: правовые основы"
    assert "по времени Алматы" in ru.part("plain") and "https://recdraft.school.example/vote" in ru.part("plain")


def test_a_restored_backup_never_sends_old_mail_again(db, smtp):
    from recdraft.services import backup

    world = mail_world(db)
    rec_id = _rec(world)
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="Sent before the backup")
    _send(db)
    comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec_id, body="Waiting at backup time")
    data = backup.backup(db, actor_id=SYSTEM)
    assert b"mail_outbox" in data and b"mail_preferences" in data
    _send(db)
    assert len(smtp.received) == 2
    backup.restore(db, actor_id=SYSTEM, data=data, replace=True)
    assert {m.body_text.split("> ", 1)[1].split("\n")[0]: m.status for m in _outbox(db)} == {
        "Sent before the backup": "sent",
        "Waiting at backup time": "dropped",
    }
    assert _send(db).sent == 0
    assert len(smtp.received) == 2


def test_a_comment_hidden_before_its_notices_went_out_is_never_mailed(db, smtp):
    pre = mail_world(db, moderation_mode="pre")
    rec_id = _rec(pre)
    c = comments.post_comment(db, actor_id=pre["expert2"], recommendation_id=rec_id, body="Call me on +7 701 …")
    moderation.moderate_comment(
        db, actor_id=pre["moderator"], comment_id=c.id, action="reject", reason="A phone number"
    )
    report = _send(db)
    # The moderators' "waiting" notices (admin, moderator) were dropped; the author hears of the rejection.
    assert report.dropped == 2 and report.sent == 1
    assert [r.rcpt_tos for r in smtp.received] == [["expert2@example.org"]]
    assert all("+7 701" not in r.part("plain") for r in smtp.received)
    assert "A phone number" in smtp.received[0].part("plain")
