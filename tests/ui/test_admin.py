"""Administration: accounts, roles, invitations, settings, the audit log and backups — and who may use it."""

from __future__ import annotations

import pytest

from recdraft.errors import NotFound, NotSignedIn
from recdraft.i18n import LANGUAGE_NAMES
from recdraft.services import accounts, activity, backup, roundtables
from recdraft.services._base import SYSTEM
from tests.rowcounts import row_counts
from tests.ui.conftest import TOKEN_KEY, page_alone, page_files, user_id

ADMIN_PAGE = "recdraft/ui/pages/admin.py"
ALL_TABS = ["Accounts", "Participants and roles", "Invitations", "Roundtable settings", "Audit log", "Backup"]


@pytest.fixture
def admin_page(app_as):
    return app_as("admin", ADMIN_PAGE)


def _tab_labels(at) -> list[str]:
    """The page's tabs (not the per-language tabs inside the settings form)."""
    return [t.label for t in at.tabs if t.label not in LANGUAGE_NAMES.values()]


def test_a_system_administrator_sees_every_tab(admin_page):
    assert not admin_page.exception
    assert admin_page.title[0].value == "Administration"
    assert _tab_labels(admin_page) == ALL_TABS


def test_the_tabs_speak_kazakh(app_as):
    at = app_as("admin", ADMIN_PAGE, lang="kk")
    assert _tab_labels(at)[:3] == ["Тіркелгілер", "Қатысушылар мен рөлдер", "Шақырулар"]


def test_creating_an_account_once_even_on_a_double_click(admin_page, ui_db):
    at = admin_page
    at.text_input(key="admin_new_username").input("g.omarova")
    at.text_input(key="admin_new_name").input("Gulnara Omarova")
    at.text_input(key="admin_new_password").input("a good password")
    at.selectbox(key="admin_new_role").set_value("expert")
    at.button(key="admin_create_user_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "The account “g.omarova” has been created." in [s.value for s in at.success]
    # The second click of a double click arrives with the same form values: nothing happens.
    at.button(key="admin_create_user_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    created = accounts.find_user(ui_db, username="g.omarova")
    members = roundtables.list_members(ui_db, actor_id=SYSTEM, roundtable_id=1)
    assert [m.role for m in members if m.user_id == created.id] == ["expert"]


def test_a_bad_username_is_explained_next_to_the_form(admin_page):
    at = admin_page
    at.text_input(key="admin_new_username").input("Not Valid!")
    at.text_input(key="admin_new_name").input("Someone")
    at.button(key="admin_create_user_submit").click().run()
    assert [e.value for e in at.error] == [
        "A user name has 2 to 64 characters: Latin letters, digits, '.', '_' or '-'."
    ]


def test_deactivating_ends_the_persons_sessions_and_reactivating_lets_them_back(admin_page, ui_db):
    at = admin_page
    target = accounts.find_user(ui_db, username="expert5")
    token = accounts.sign_in(ui_db, username="expert5", password="demo").token
    at.selectbox(key="admin_change_user").set_value(target.id).run()
    at.button(key="admin_deactivate").click().run()
    assert not accounts.get_user(ui_db, user_id=target.id).is_active
    with pytest.raises(NotSignedIn):
        accounts.authenticate(ui_db, token=token)
    at.button(key="admin_reactivate").click().run()
    assert accounts.get_user(ui_db, user_id=target.id).is_active


def test_an_administrator_cannot_deactivate_themselves(admin_page, ui_db):
    at = admin_page
    me = accounts.find_user(ui_db, username="admin")
    at.selectbox(key="admin_change_user").set_value(me.id).run()
    assert at.button(key="admin_deactivate").disabled


def test_resetting_a_password(admin_page, ui_db):
    at = admin_page
    target = accounts.find_user(ui_db, username="expert6")
    at.selectbox(key="admin_change_user").set_value(target.id).run()
    at.text_input(key="admin_reset_value").input("brand new password")
    at.button(key="admin_reset_submit").click().run()
    assert not at.error
    assert accounts.sign_in(ui_db, username="expert6", password="brand new password").user.id == target.id
    accounts.reset_password(ui_db, actor_id=SYSTEM, user_id=target.id, new_password="demo")


def test_an_invitation_link_is_shown_once_and_works(admin_page, ui_db):
    at = admin_page
    at.text_input(key="admin_invite_name").input("Murat Seitkali")
    at.button(key="admin_invite_submit").click().run()
    assert not at.error
    link = at.code[0].value
    assert "/?invite=" in link
    offer = accounts.describe_invitation(ui_db, token=link.split("?invite=", 1)[1])
    assert offer["role"] == "expert" and offer["display_name"] == "Murat Seitkali"
    at.run()
    assert not at.code, "the link is not shown again"


def test_setting_a_role(admin_page, ui_db):
    at = admin_page
    target = user_id(ui_db, "expert4")
    at.selectbox(key="admin_role_person").set_value(target)
    at.selectbox(key="admin_role_value").set_value("moderator")
    at.button(key="admin_role_submit").click().run()
    assert not at.error
    assert roundtables.my_role(ui_db, actor_id=target, roundtable_id=1) == "moderator"
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=target, role="expert")


def test_changing_the_roundtable_settings(admin_page, ui_db):
    at = admin_page
    at.text_input(key="admin_set_venue_en").input("Narxoz University, Almaty, room 101")
    at.selectbox(key="admin_set_phase").set_value("discussion")
    at.toggle(key="admin_set_modvote").set_value(True)
    at.button(key="admin_settings_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    at.button(key="admin_phase_confirm").click().run()  # a phase change applies once confirmed
    rt = roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1)
    assert rt.venue["en"] == "Narxoz University, Almaty, room 101"
    assert rt.phase == "discussion" and rt.settings["moderators_vote"] is True
    assert rt.title["kk"].startswith("Қызыл")  # other languages untouched
    roundtables.set_phase(ui_db, actor_id=SYSTEM, roundtable_id=1, phase="drafting")
    roundtables.update_settings(ui_db, actor_id=SYSTEM, roundtable_id=1, settings={"moderators_vote": False})


def test_a_phase_change_waits_for_its_confirmation_and_is_audited(admin_page, ui_db):
    at = admin_page
    assert at.selectbox(key="admin_set_phase").options == [
        "Set-up",
        "Drafting",
        "Commenting",
        "Voting",
        "Final",
        "Archived",
    ]
    at.selectbox(key="admin_set_phase").set_value("closed")
    at.button(key="admin_settings_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    assert roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).phase == "drafting"  # not yet
    assert "from “Drafting” to “Final”?" in at.warning[0].value
    at.button(key="admin_phase_confirm").click().run()
    assert not at.error, [e.value for e in at.error]
    assert roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).phase == "closed"
    assert "The roundtable is now in the phase “Final”." in [s.value for s in at.success]
    events = activity.audit_log(
        ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1, action_prefix="roundtable.phase", limit=5
    )
    assert events[0].details == {"from": "drafting", "to": "closed"}
    assert events[0].actor_id == user_id(ui_db, "admin")


def test_a_cancelled_phase_change_changes_nothing(admin_page, ui_db):
    at = admin_page
    at.selectbox(key="admin_set_phase").set_value("archived")
    at.button(key="admin_settings_submit").click().run()
    at.button(key="admin_phase_cancel").click().run()
    assert roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).phase == "drafting"
    assert at.selectbox(key="admin_set_phase").value == "drafting"
    assert all(b.key != "admin_phase_confirm" for b in at.button)  # nothing waits for a confirmation any more


def test_an_archived_roundtable_offers_only_its_phase_to_bring_it_back(app_as, ui_db):
    roundtables.set_phase(ui_db, actor_id=SYSTEM, roundtable_id=1, phase="archived")
    at = app_as("admin", ADMIN_PAGE)
    assert not at.exception
    assert any("nothing here can change" in i.value for i in at.info)
    assert all(b.key not in ("admin_invite_submit", "admin_role_submit") for b in at.button)
    assert all(not w.key.startswith("admin_set_venue") for w in at.text_input)
    at.selectbox(key="admin_set_phase").set_value("closed")
    at.button(key="admin_settings_submit").click().run()
    at.button(key="admin_phase_confirm").click().run()
    assert roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).phase == "closed"


def test_making_an_account_an_organiser_lets_them_create_roundtables(admin_page, ui_db):
    at = admin_page
    target = accounts.find_user(ui_db, username="expert5")
    at.selectbox(key="admin_change_user").set_value(target.id).run()
    at.checkbox(key=f"admin_organiser_{target.id}").check().run()
    assert not at.error, [e.value for e in at.error]
    assert accounts.get_user(ui_db, user_id=target.id).is_organiser
    assert "“expert5” may now create roundtables." in [s.value for s in at.success]
    at.checkbox(key=f"admin_organiser_{target.id}").uncheck().run()
    assert not accounts.get_user(ui_db, user_id=target.id).is_organiser


def test_a_new_account_can_be_an_organiser_from_the_start(admin_page, ui_db):
    at = admin_page
    at.text_input(key="admin_new_username").input("c.organiser")
    at.text_input(key="admin_new_name").input("Chief Organiser")
    at.text_input(key="admin_new_password").input("a good password")
    at.checkbox(key="admin_new_organiser").check()
    at.button(key="admin_create_user_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    assert accounts.find_user(ui_db, username="c.organiser").is_organiser


def test_the_audit_log_filters_by_action(admin_page):
    at = admin_page
    at.text_input(key="admin_audit_prefix").input("membership.")
    at.button(key="admin_audit_submit").click().run()
    table = next(d.value for d in at.dataframe if "Action" in d.value.columns)
    assert len(table) > 0
    # Only membership.set and membership.consent events, each shown as its sentence (not the raw key).
    assert all(
        "set a participant's role to" in a or "updated their consent to be named" in a for a in table["Action"]
    ), list(table["Action"])


@pytest.mark.parametrize(
    ("lang", "sentence", "detail"),
    [
        ("en", "moved the roundtable to the phase “Voting”", "After: Voting"),
        ("ru", "круглый стол переведён на этап «Голосование»", "Стало: Голосование"),
        ("kk", "дөңгелек үстелді «Дауыс беру» кезеңіне көшірді", "Кейін: Дауыс беру"),
    ],
)
def test_the_audit_log_reads_as_sentences_in_each_language(app_as, ui_db, lang, sentence, detail):
    """Who did what, in the interface language: no raw action keys, no JSON braces."""
    roundtables.set_phase(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1, phase="voting")
    at = app_as("admin", ADMIN_PAGE, lang=lang)
    at.text_input(key="admin_audit_prefix").input("roundtable.phase")
    at.button(key="admin_audit_submit").click().run()
    table = at.dataframe[-1].value
    actions, objects, details = (list(table[c]) for c in table.columns[2:5])
    assert any(sentence in a for a in actions), actions
    assert not any("roundtable.phase" in a for a in actions)
    assert any(detail in d for d in details), details
    assert not any("{" in d or "}" in d for d in details + actions)
    assert objects[0].split()[0] in {"Roundtable", "Круглый", "Дөңгелек"}


def test_the_backup_tab_downloads_and_replaces_the_data_only_once_confirmed(admin_page, ui_db):
    at = admin_page
    assert at.download_button(key="admin_backup_download").label == "Download backup"
    data = backup.backup(ui_db, actor_id=user_id(ui_db, "admin"))
    accounts.create_user(
        ui_db, actor_id=SYSTEM, username="after.backup", display_name="Added After", password="a good password"
    )
    at.file_uploader(key="admin_restore_file").upload("backup.json", data, "application/json")
    at.run()
    assert at.button(key="admin_restore_submit").disabled  # not before the person confirms
    at.checkbox(key="admin_restore_confirm").check().run()
    at.button(key="admin_restore_submit").click().run()
    assert not at.error and not at.exception
    assert "Everyone has been signed out" in at.success[0].value
    with pytest.raises(NotFound):
        accounts.find_user(ui_db, username="after.backup")
    at.run()  # the next click: this session ended with the others
    assert at.button(key="signin_submit").label == "Sign in"


def test_a_damaged_backup_is_refused_with_a_message_and_changes_nothing(admin_page, ui_db):
    at = admin_page
    before = row_counts(ui_db)
    at.file_uploader(key="admin_restore_file").upload(
        "backup.json", b'{"format": "recdraft-backup"', "application/json"
    )
    at.checkbox(key="admin_restore_confirm").check().run()
    at.button(key="admin_restore_submit").click().run()
    assert len(at.error) == 1 and "not valid JSON" in at.error[0].value
    assert row_counts(ui_db) == before
    assert at.button(key="nav_signout")  # still signed in


def test_the_restore_control_still_works_when_the_database_holds_a_bad_row(ui_env, ui_db):
    from sqlalchemy import text

    good = backup.backup(ui_db, actor_id=SYSTEM)
    # What an older, unvalidated restore let in: a title that is not text per language, a role nobody knows.
    with ui_db.write() as s:
        s.execute(text("UPDATE roundtables SET title = :t WHERE id = 1"), {"t": '"Just a string"'})
        s.execute(text("UPDATE memberships SET role = 'superuser' WHERE id = 2"))
    at = page_alone(ui_db, "admin", ADMIN_PAGE)
    assert at.error  # the apology for what cannot be shown, and the backup tab below it
    at.file_uploader(key="admin_restore_file").upload("backup.json", good, "application/json")
    at.checkbox(key="admin_restore_confirm").check().run()
    at.button(key="admin_restore_submit").click().run()
    assert "Everyone has been signed out" in at.success[0].value
    assert roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).title["en"]


@pytest.fixture
def roundtable_admin(ui_db):
    """An administrator of the roundtable who is not a system administrator."""
    try:
        uid = accounts.find_user(ui_db, username="rt.admin").id
    except NotFound:
        uid = accounts.create_user(
            ui_db, actor_id=SYSTEM, username="rt.admin", display_name="Roundtable Admin", password="a good password"
        ).id
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=uid, role="admin")
    return uid


def test_a_roundtable_administrator_gets_no_accounts_or_backup_tabs(app_as, ui_db, roundtable_admin):
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=roundtable_admin, role="admin")
    at = _as_rt_admin(app_as, ui_db)
    assert _tab_labels(at)[:4] == ["Participants and roles", "Invitations", "Roundtable settings", "Audit log"]
    assert "Accounts" not in _tab_labels(at) and "Backup" not in _tab_labels(at)


def _as_rt_admin(app_as, ui_db):
    at = app_as(None, run=False)
    at.session_state[TOKEN_KEY] = accounts.sign_in(ui_db, username="rt.admin", password="a good password").token
    at.run()
    return at.switch_page(ADMIN_PAGE).run()


def test_losing_the_admin_role_removes_the_page_at_the_next_click(app_as, ui_db, roundtable_admin):
    at = _as_rt_admin(app_as, ui_db)
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=roundtable_admin, role="observer")
    at.text_input(key="admin_set_venue_en").input("Somewhere else")
    at.button(key="admin_settings_submit").click().run()
    assert ADMIN_PAGE not in page_files(at)
    assert "Somewhere else" not in roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).venue.values()


def test_the_service_decides_even_when_the_page_offers_the_action(app_as, ui_db, roundtable_admin, monkeypatch):
    """The page is drawn from a stale role (simulated): the click still goes to a service that checks."""
    from recdraft.domain.roles import Role
    from recdraft.ui import context

    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=roundtable_admin, role="admin")
    at = _as_rt_admin(app_as, ui_db)
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=roundtable_admin, role="observer")
    stale = roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1)
    monkeypatch.setattr(context, "_my_roundtables", lambda user: [(stale, roundtables._standing(stale, Role.ADMIN))])
    at.text_input(key="admin_set_venue_en").input("Somewhere else")
    at.button(key="admin_settings_submit").click().run()
    assert "Only administrators of this roundtable can change its settings and participants." in [
        e.value for e in at.error
    ]
    assert "Somewhere else" not in roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).venue.values()
    at.text_input(key="admin_invite_name").input("Should Not Exist")
    at.button(key="admin_invite_submit").click().run()
    assert "Only administrators of this roundtable can change its settings and participants." in [
        e.value for e in at.error
    ]
    assert not at.code


@pytest.mark.parametrize("role", ["expert", "observer", "moderator"])
def test_the_admin_page_file_run_directly_refuses_other_roles(app_as, role):
    at = app_as(role, run=False)
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import ROOT

    direct = AppTest.from_file(str(ROOT / ADMIN_PAGE), default_timeout=30)
    for key in at.session_state:
        direct.session_state[key] = at.session_state[key]
    direct.run()
    assert not direct.exception
    assert [w.value for w in direct.warning] == ["Your role does not give access to this page."]
    assert not direct.tabs


def test_a_system_administrator_reaches_the_restore_control_through_the_app_when_a_roundtable_is_damaged(app_as, ui_db):
    from sqlalchemy import text

    with ui_db.write() as s:
        s.execute(text("UPDATE roundtables SET title = :t WHERE id = 1"), {"t": '"Just a string"'})
    at = app_as("admin")
    assert not at.exception and at.error  # the apology, not a dead end
    at.switch_page(ADMIN_PAGE).run()
    assert not at.exception
    assert at.file_uploader(key="admin_restore_file")
    # Everyone else still gets the apology only: the damaged row is the system administrator's to repair.
    expert = app_as("expert1")
    assert expert.error and not [u for u in expert.get("file_uploader")]


def test_the_audit_log_pages_through_more_than_one_page_of_events(app_as, ui_db):
    # Issue 18: the audit log stopped at 200 rows; now "Older" shows the next page, "Newer" goes back.
    from recdraft.services._base import audit
    from recdraft.ui.screens.admin import AUDIT_LIMIT

    with ui_db.write() as s:
        for i in range(AUDIT_LIMIT + 30):
            audit(
                s,
                actor_id=None,
                roundtable_id=1,
                action="test.paging",
                object_type="roundtable",
                object_id=1,
                details={"i": i},
            )
    at = app_as("admin", ADMIN_PAGE)
    at.text_input(key="admin_audit_prefix").input("test.paging")
    at.button(key="admin_audit_submit").click().run()
    first = next(d.value for d in at.dataframe if "Action" in d.value.columns)
    assert len(first) == AUDIT_LIMIT
    assert at.button(key="admin_audit_prev").disabled
    at.button(key="admin_audit_next").click().run()
    second = next(d.value for d in at.dataframe if "Action" in d.value.columns)
    assert len(second) == 30 and at.button(key="admin_audit_next").disabled
    assert "i: 0" in set(second["Details"])  # the oldest event is on the last page (details as "name: value")
    at.button(key="admin_audit_prev").click().run()
    assert len(next(d.value for d in at.dataframe if "Action" in d.value.columns)) == AUDIT_LIMIT
