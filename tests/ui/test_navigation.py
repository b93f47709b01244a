"""Which pages each role gets, built fresh on every run; language switch; unexpected errors."""

from __future__ import annotations

import pytest

from recdraft.services import roundtables
from recdraft.ui import nav
from tests.ui.conftest import page_files, page_titles, texts, user_id

PAGES = "recdraft/ui/pages"


def _exists(name: str) -> bool:
    return (nav.PAGES_DIR / f"{name}.py").exists()


def _expected(names: list[str]) -> set[str]:
    return {f"{PAGES}/{n}.py" for n in names if _exists(n)}


EXPECTED = {
    "admin": [
        "overview",
        "recommendations",
        "draft",
        "import_recommendations",
        "results",
        "live",
        "translations",
        "moderation",
        "presenter",
        "memo",
        "participants",
        "roundtables",
        "admin",
        "account",
    ],
    "moderator": [
        "overview",
        "recommendations",
        "draft",
        "import_recommendations",
        "results",
        "live",
        "translations",
        "moderation",
        "presenter",
        "account",
    ],
    "expert": [
        "overview",
        "recommendations",
        "draft",
        "import_recommendations",
        "vote",
        "results",
        "live",
        "translations",
        "account",
    ],
    "observer": ["overview", "recommendations", "results", "live", "account"],
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_gets_exactly_its_pages(app_as, role):
    at = app_as(role)
    assert not at.exception
    assert page_files(at) == _expected(EXPECTED[role])


def test_signed_out_people_get_only_the_sign_in_page(app_as):
    at = app_as(None)
    assert page_files(at) == {f"{PAGES}/signin.py"}
    # The other addresses are kept (hidden) and show the sign-in form too: no page script runs.
    assert page_titles(at)[0] == "Sign in"


@pytest.mark.parametrize("role", ["expert", "observer", "moderator"])
def test_no_admin_page_for_experts_observers_or_moderators(app_as, role):
    at = app_as(role)
    assert f"{PAGES}/admin.py" not in page_files(at)
    with pytest.raises(ValueError):
        at.switch_page(f"{PAGES}/admin.py")


def test_a_role_change_changes_the_menu_on_the_next_run(app_as, ui_db):
    at = app_as("expert3")
    assert f"{PAGES}/draft.py" in page_files(at)
    admin, target = user_id(ui_db, "admin"), user_id(ui_db, "expert3")
    roundtables.set_membership(ui_db, actor_id=admin, roundtable_id=1, user_id=target, role="observer")
    try:
        at.run()
        assert f"{PAGES}/draft.py" not in page_files(at)
        assert "Observer" in texts(at)
    finally:
        roundtables.set_membership(ui_db, actor_id=admin, roundtable_id=1, user_id=target, role="expert")


@pytest.mark.parametrize("phase", ["setup", "voting", "closed"])
def test_moderators_get_the_vote_page_only_when_the_roundtable_lets_them_vote(ui_db, phase):
    from recdraft.domain.roles import Role
    from recdraft.services._base import SYSTEM

    rt = roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).model_copy(
        update={"settings": {"moderators_vote": False}, "phase": phase}
    )

    def may_vote(role: str) -> bool:  # the page menu's answer from the standing the service computes
        return nav._may_vote(roundtables._standing(rt, Role(role)), rt)

    assert may_vote("expert")
    assert not may_vote("moderator") and not may_vote("admin")
    assert not may_vote("observer")
    rt = rt.model_copy(update={"settings": {"moderators_vote": True}})
    assert may_vote("moderator") and may_vote("admin")
    assert not may_vote("observer")


def test_page_titles_come_from_the_catalogue_in_the_chosen_language(app_as):
    at = app_as("admin", lang="kk")
    titles = page_titles(at)
    assert "Шолу" in titles and "Әкімшілік" in titles and "Overview" not in titles


def test_the_language_switch_changes_every_label(app_as):
    at = app_as("expert")
    assert "Overview" in page_titles(at)
    at.selectbox(key="nav_language").set_value("ru").run()
    assert "Обзор" in page_titles(at)
    assert "Выйти" in [b.label for b in at.button]
    assert "Мои задачи" in [s.value for s in at.subheader]
    at.selectbox(key="nav_language").set_value("kk").run()
    assert "Шығу" in [b.label for b in at.button]


def test_the_language_defaults_to_the_browsers(app_as):
    at = app_as(None, run=False)
    del at.session_state["recdraft_lang"]
    at.context["locale"] = "ru-RU"
    at.run()
    assert [w.label for w in at.text_input] == ["Имя пользователя", "Пароль"]
    other = app_as(None, run=False)
    del other.session_state["recdraft_lang"]
    other.context["locale"] = "de-DE"
    other.run()
    assert [w.label for w in other.text_input] == ["Username", "Password"]


def test_an_unexpected_error_shows_a_short_apology_and_no_trace(app_as, monkeypatch, caplog):
    from recdraft.services import activity

    def broken(*args, **kwargs):
        raise RuntimeError("database exploded at line 42")

    monkeypatch.setattr(activity, "activity_feed", broken)
    at = app_as("observer")
    assert not at.exception
    shown = texts(at)
    assert "Sorry, something went wrong on our side" in shown
    assert "exploded" not in shown and "Traceback" not in shown
    assert any("database exploded" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)


def test_a_page_file_run_directly_without_signing_in_shows_the_sign_in_page():
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import ROOT

    at = AppTest.from_file(str(ROOT / PAGES / "overview.py"), default_timeout=30).run()
    assert not at.exception
    assert at.text_input(key="signin_username") is not None


def test_the_sidebar_switch_changes_the_roundtable_being_worked_on(app_as, ui_db):
    import datetime as dt

    from recdraft.services._base import SYSTEM

    second = roundtables.create_roundtable(
        ui_db, actor_id=SYSTEM, title={"en": "Autumn session"}, held_on=dt.date(2030, 10, 1), languages=["en"]
    )
    at = app_as("admin")
    assert at.session_state["recdraft_roundtable"] == second.id  # the newest first
    at.selectbox(key="nav_roundtable").set_value(1).run()
    assert at.session_state["recdraft_roundtable"] == 1
    at.run()  # and it stays chosen on the next click
    assert at.session_state["recdraft_roundtable"] == 1 and at.selectbox(key="nav_roundtable").value == 1
