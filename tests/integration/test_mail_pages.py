"""The pages where mail matters (AppTest): My account's choices per kind, the Participants page saying
whether invitations are mailed, and the Admin page listing the addresses the mail server refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from recdraft.db.mail_models import MailAddress, MailPreference
from recdraft.db.models import utcnow
from tests.smtp_server import MAIL_ENV
from tests.ui.conftest import app_as, demo_template, texts, ui_db, ui_db_url, ui_env, user_id  # noqa: F401

ACCOUNT = "recdraft/ui/pages/account.py"
PARTICIPANTS = "recdraft/ui/pages/participants.py"
ADMIN = "recdraft/ui/pages/admin.py"


@pytest.fixture
def mail_on(monkeypatch):
    for key, value in {**MAIL_ENV, "RECDRAFT_SMTP_HOST": "127.0.0.1", "RECDRAFT_SMTP_PORT": "2525"}.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def mail_off(monkeypatch):
    monkeypatch.delenv("RECDRAFT_SMTP_HOST", raising=False)


def test_my_account_keeps_a_choice_per_kind_of_message(app_as, ui_db, mail_on):
    ru = app_as("expert", ACCOUNT, lang="ru")
    labels = [c.label for c in ru.get("button_group")]
    assert "Новые комментарии к моим рекомендациям" in labels
    assert "Ежедневная сводка" in str(ru.get("button_group")[0].proto)
    # (in English: AppTest formats the chosen option outside the page's run, in the default language)
    at = app_as("expert", ACCOUNT)
    controls = {c.label: c for c in at.get("button_group")}
    controls["New comments on my recommendations"].set_value("digest").run()
    assert not at.exception
    assert [t.value for t in at.toast] == ["Saved: New comments on my recommendations — Daily digest."]
    with ui_db.read() as s:
        stored = s.scalars(select(MailPreference).where(MailPreference.user_id == user_id(ui_db, "expert"))).all()
        assert [(p.kind, p.mode) for p in stored] == [("comment_new", "digest")]
    assert "Mail is off" not in texts(at)


def test_my_account_and_participants_say_when_mail_is_off(app_as, mail_off):
    at = app_as("expert", ACCOUNT, lang="kk")
    assert "Бұл серверде пошта өшірулі" in texts(at)
    admin = app_as("admin", PARTICIPANTS, lang="ru")
    assert "Почта выключена: скопируйте ссылки ниже и отправьте их сами." in texts(admin)


def test_participants_say_invitations_are_mailed_when_mail_is_on(app_as, mail_on):
    at = app_as("admin", PARTICIPANTS)
    assert "Invitations are e-mailed to everyone with an address" in texts(at)


def test_the_admin_page_lists_refused_addresses(app_as, ui_db, mail_on):
    with ui_db.write() as s:
        s.add(MailAddress(email="j.aebischer@example.org", bounced_at=utcnow(), bounce_reason="550 5.1.1 no such user"))
    at = app_as("admin", ADMIN)
    assert not at.exception
    text = texts(at)
    assert "Addresses the mail server refused" in text
    rows = [row for d in at.dataframe for row in d.value.astype(str).to_dict("records")]
    assert {
        "Address": "j.aebischer@example.org",
        "Account": "Jonas Aebischer",
        "Server's answer": "550 5.1.1 no such user",
    }.items() <= next((r for r in rows if r.get("Address") == "j.aebischer@example.org"), {}).items(), [
        e.value for e in at.error
    ]
