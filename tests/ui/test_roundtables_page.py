"""The Roundtables page: a school creates its roundtable in the browser, starts the next one from it, archives it."""

from __future__ import annotations

import datetime as dt

import pytest

from recdraft.errors import PermissionDenied
from recdraft.i18n import LANGUAGE_NAMES
from recdraft.services import accounts, roundtables
from recdraft.services._base import SYSTEM
from tests.rowcounts import row_counts
from tests.ui.conftest import TOKEN_KEY, page_alone, page_files, user_id

PAGE = "recdraft/ui/pages/roundtables.py"
ROUNDTABLE_KEY = "recdraft_roundtable"

TITLES = {
    "kk": "Қызыл Жарты Ай туралы заң: екінші дөңгелек үстел",
    "ru": "Закон о Красном Полумесяце: второй круглый стол",
    "en": "The Red Crescent law: second roundtable",
}
TOPICS = [
    {"kk": "Құқықтық мәртебе", "ru": "Правовой статус", "en": "Legal status"},
    {"key": "emblem", "kk": "Эмблема", "ru": "Эмблема", "en": "The emblem"},
]


def _roundtable_titled(db, title_en: str):
    return next(
        (rt for rt in roundtables.list_roundtables(db, actor_id=SYSTEM) if rt.title.get("en") == title_en), None
    )


def _listed(at):
    """The list of roundtables as the page shows it (a table with a title column)."""
    return next(d.value for d in at.dataframe if len(d.value.columns) == 6)


def _fill_new(at, *, titles=TITLES, topics=TOPICS, everything=True):
    """Type a new roundtable into the form (``everything=False``: titles and topics only, for other languages,
    where the test's option labels would not match the page's)."""
    for code, text in titles.items():
        at.text_input(key=f"rt_new_title_{code}").input(text)
    at.session_state["rt_new_topics"] = {"edited_rows": {}, "added_rows": topics, "deleted_rows": []}
    if not everything:
        return at
    at.text_input(key="rt_new_venue_en").input("Narxoz University, Almaty")
    at.text_input(key="rt_new_venue_ru").input("Университет Нархоз, Алматы")
    at.date_input(key="rt_new_held_on").set_value(dt.date(2026, 3, 12))
    at.multiselect(key="rt_new_memo_languages").set_value(["kk+ru", "en"])
    at.selectbox(key="rt_new_record_language").set_value("kk")
    at.radio(key="rt_new_phase").set_value("setup")
    at.radio(key="rt_new_mode").set_value("post")
    at.text_input(key="rt_new_threshold").input("3/4")
    at.text_area(key="rt_new_references").input("Geneva Convention I (1949), Art. 26\nLaw No. 123 of 2000")
    at.text_input(key="rt_new_signatory_name_ru").input("А. Сейткали")
    at.text_input(key="rt_new_signatory_position_ru").input("Декан Школы права")
    at.text_input(key="rt_new_number").input("№ 01-12/345")
    return at


def test_a_system_administrator_creates_a_roundtable_in_three_languages_and_works_on_it(app_as, ui_db):
    at = _fill_new(app_as("admin", PAGE))
    at.button(key="rt_new_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    rt = _roundtable_titled(ui_db, TITLES["en"])
    assert rt is not None
    assert rt.title == TITLES and rt.held_on == dt.date(2026, 3, 12)
    assert rt.venue == {"en": "Narxoz University, Almaty", "ru": "Университет Нархоз, Алматы"}
    assert rt.addressee["ru"] == "Мажилис Парламента Республики Казахстан"  # the default, kept as offered
    assert rt.addressee["kk"] == "Қазақстан Республикасы Парламентінің Мәжілісі"
    assert rt.phase == "setup" and rt.moderation_mode == "post"
    settings = rt.settings
    assert settings["record_language"] == "kk" and set(settings["memo_languages"]) == {"en", "kk+ru"}
    assert settings["voting_defaults"]["threshold"] in ("3/4", 0.75)
    assert [t["labels"]["en"] for t in settings["topics"]] == ["Legal status", "The emblem"]
    assert settings["topics"][0]["labels"]["kk"] == "Құқықтық мәртебе"
    assert settings["topics"][1]["key"] == "emblem" and settings["topics"][0]["key"]
    assert settings["legal_references"] == ["Geneva Convention I (1949), Art. 26", "Law No. 123 of 2000"]
    assert settings["signatory"]["position"]["ru"] == "Декан Школы права"
    assert settings["outgoing_number"] == "№ 01-12/345"
    # The creator administers it, it is the roundtable being worked on, and the list shows it in its phase.
    assert roundtables.my_role(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=rt.id) == "admin"
    assert at.session_state[ROUNDTABLE_KEY] == rt.id
    assert "The roundtable “The Red Crescent law: second roundtable” has been created" in at.success[0].value
    listed = _listed(at)
    row = listed[listed["Title"] == TITLES["en"]].iloc[0]
    assert row["Phase"] == "Set-up" and bool(row["Open now"])
    # The form is empty again for the next roundtable.
    assert at.text_input(key="rt_new_title_en").value == ""


def test_the_new_roundtable_speaks_the_interface_language(app_as, ui_db):
    at = _fill_new(app_as("admin", PAGE, lang="ru"), everything=False)
    at.button(key="rt_new_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    listed = _listed(at)
    assert TITLES["ru"] in set(listed["Название"])
    assert "Подготовка" in set(listed["Этап"])


def test_an_empty_title_is_explained_keeps_the_typed_text_and_creates_nothing(app_as, ui_db):
    at = _fill_new(app_as("admin", PAGE), titles={"kk": "", "ru": "", "en": "   "})
    before = row_counts(ui_db)
    at.button(key="rt_new_submit").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Title cannot be empty"]
    assert row_counts(ui_db) == before
    assert at.text_input(key="rt_new_venue_en").value == "Narxoz University, Almaty"
    assert at.text_area(key="rt_new_references").value.startswith("Geneva Convention I")


def test_a_memo_language_outside_the_languages_is_explained_and_nothing_is_created(app_as, ui_db):
    at = _fill_new(app_as("admin", PAGE))
    at.multiselect(key="rt_new_languages").set_value(["ru", "en"])
    at.selectbox(key="rt_new_record_language").set_value("ru")
    at.multiselect(key="rt_new_memo_languages").set_value(["kk", "ru"])
    before = row_counts(ui_db)
    at.button(key="rt_new_submit").click().run()
    assert len(at.error) == 1
    assert "'kk'" in at.error[0].value and "not one of the roundtable's languages" in at.error[0].value
    assert row_counts(ui_db) == before
    assert _roundtable_titled(ui_db, TITLES["en"]) is None
    assert at.text_input(key="rt_new_title_en").value == TITLES["en"]
    assert at.multiselect(key="rt_new_memo_languages").value == ["kk", "ru"]


def test_the_message_of_a_bad_field_is_translated(app_as, ui_db):
    at = _fill_new(app_as("admin", PAGE, lang="ru"), titles={"kk": "", "ru": "", "en": ""}, everything=False)
    at.button(key="rt_new_submit").click().run()
    assert len(at.error) == 1 and "Title" not in at.error[0].value


def test_an_organiser_without_a_roundtable_lands_on_the_page_and_creates_the_first_one(app_as, ui_db):
    organiser = accounts.create_user(
        ui_db, actor_id=SYSTEM, username="new.organiser", display_name="New Organiser", password="a good password"
    )
    accounts.set_organiser(ui_db, actor_id=SYSTEM, user_id=organiser.id, organiser=True)
    at = app_as(None, run=False)
    at.session_state[TOKEN_KEY] = accounts.sign_in(ui_db, username="new.organiser", password="a good password").token
    at.run()
    assert not at.exception
    assert PAGE in page_files(at)
    assert at.title[0].value == "Roundtables"  # the first page they see
    assert "There is no roundtable yet" in at.info[0].value
    _fill_new(at)
    at.button(key="rt_new_submit").click().run()
    assert not at.error, [e.value for e in at.error]
    rt = _roundtable_titled(ui_db, TITLES["en"])
    assert roundtables.my_role(ui_db, actor_id=organiser.id, roundtable_id=rt.id) == "admin"
    # Now they administer it: its pages are in their menu.
    assert {"recdraft/ui/pages/admin.py", "recdraft/ui/pages/participants.py"} <= page_files(at)


def test_someone_in_no_roundtable_is_told_how_to_get_in_and_cannot_create_one(app_as, ui_db):
    accounts.create_user(
        ui_db, actor_id=SYSTEM, username="nobody.yet", display_name="Nobody Yet", password="a good password"
    )
    at = app_as(None, run=False)
    at.session_state[TOKEN_KEY] = accounts.sign_in(ui_db, username="nobody.yet", password="a good password").token
    at.run()
    assert not at.exception
    assert "invitation link" in at.info[0].value
    assert [t.label for t in at.tabs] == ["My roundtables"]


def _second_roundtable(ui_db):
    return roundtables.create_roundtable(
        ui_db,
        actor_id=SYSTEM,
        title={"en": "Spring session"},
        held_on=dt.date(2026, 4, 1),
        languages=["en", "ru"],
        phase="drafting",
    )


def test_starting_the_next_roundtable_from_this_one_copies_settings_and_participants(app_as, ui_db):
    at = app_as("admin", PAGE)
    source = roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1)
    at.text_input(key="rt_copy_title_en").input("Second reading")
    at.text_input(key="rt_copy_title_ru").input("Второе чтение")
    at.date_input(key="rt_copy_held_on").set_value(dt.date(2026, 9, 1))
    at.checkbox(key="rt_copy_recommendations").check()
    at.button(key="rt_copy_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    copy = _roundtable_titled(ui_db, "Second reading")
    assert copy is not None and copy.id != 1
    assert copy.title == {"en": "Second reading", "ru": "Второе чтение"} and copy.held_on == dt.date(2026, 9, 1)
    assert copy.languages == source.languages and copy.moderation_mode == source.moderation_mode
    members = {m.username: m.role for m in roundtables.list_members(ui_db, actor_id=SYSTEM, roundtable_id=copy.id)}
    assert members.get("expert1") == "expert" and members.get("moderator") == "moderator"
    from recdraft.services import recommendations

    copied = recommendations.list_recommendations(
        ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=copy.id, page_size=100
    )
    assert copied.total > 0 and {r.status for r in copied.items} == {"draft"}
    assert at.session_state[ROUNDTABLE_KEY] == copy.id
    assert "Second reading" in at.success[0].value


def test_a_copy_without_a_title_is_explained_and_creates_nothing(app_as, ui_db):
    at = app_as("admin", PAGE)
    before = row_counts(ui_db)
    at.button(key="rt_copy_submit").click().run()
    assert len(at.error) == 1 and "Title" in at.error[0].value
    assert row_counts(ui_db) == before


def test_archiving_asks_for_confirmation_then_makes_the_roundtable_read_only(app_as, ui_db):
    at = app_as("admin", PAGE)
    assert at.button(key="roundtables_archive_submit").disabled
    at.selectbox(key="roundtables_archive_which").set_value(1).run()
    at.checkbox(key="roundtables_archive_confirm_1").check().run()
    at.button(key="roundtables_archive_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert roundtables.get_roundtable(ui_db, actor_id=SYSTEM, roundtable_id=1).phase == "archived"
    listed = _listed(at)
    assert "Archived" in set(listed["Phase"])
    assert "is archived" in at.success[0].value


def test_the_switcher_opens_another_roundtable(app_as, ui_db):
    second = _second_roundtable(ui_db)
    at = app_as("admin", PAGE)
    at.selectbox(key="roundtables_choose").set_value(1 if at.session_state[ROUNDTABLE_KEY] != 1 else second.id).run()
    wanted = at.selectbox(key="roundtables_choose").value
    at.button(key="roundtables_open").click().run()
    assert at.session_state[ROUNDTABLE_KEY] == wanted


@pytest.mark.parametrize("role", ["expert", "observer", "moderator"])
def test_experts_observers_and_moderators_do_not_get_the_page(app_as, role):
    at = app_as(role)
    assert PAGE not in page_files(at)
    with pytest.raises(ValueError):
        at.switch_page(PAGE)


@pytest.mark.parametrize("role", ["expert", "observer"])
def test_the_page_run_directly_refuses_them_and_the_service_refuses_anyway(ui_env, ui_db, role):
    at = page_alone(ui_db, role, PAGE)
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    assert not at.text_input
    with pytest.raises(PermissionDenied):
        roundtables.create_roundtable(
            ui_db, actor_id=user_id(ui_db, role), title={"en": "Mine"}, held_on=dt.date(2026, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        roundtables.set_phase(ui_db, actor_id=user_id(ui_db, role), roundtable_id=1, phase="archived")


def test_a_roundtable_admin_who_is_not_an_organiser_archives_but_does_not_create(app_as, ui_db):
    uid = accounts.create_user(
        ui_db, actor_id=SYSTEM, username="rt.admin", display_name="Roundtable Admin", password="a good password"
    ).id
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=uid, role="admin")
    at = app_as(None, run=False)
    at.session_state[TOKEN_KEY] = accounts.sign_in(ui_db, username="rt.admin", password="a good password").token
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert [t.label for t in at.tabs] == ["My roundtables", "Archive"]


def test_the_page_speaks_kazakh(app_as):
    at = app_as("admin", PAGE, lang="kk")
    assert not at.exception
    assert at.title[0].value == "Дөңгелек үстелдер"
    page_tabs = [t.label for t in at.tabs if t.label not in LANGUAGE_NAMES.values()]
    assert page_tabs == ["Менің дөңгелек үстелдерім", "Жаңа дөңгелек үстел", "Келесісін осыдан бастау", "Мұрағат"]
    assert at.text_area(key="rt_new_addressee_kk").value == "Қазақстан Республикасы Парламентінің Мәжілісі"
