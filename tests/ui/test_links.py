"""A link from a message opens the roundtable it is about; organisations are named in the interface language."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from recdraft.db.models import Roundtable
from recdraft.services import roundtables
from recdraft.services._base import SYSTEM
from recdraft.services.notifications import with_roundtable
from recdraft.ui.context import ROUNDTABLE_KEY


def _second_roundtable(ui_db) -> tuple[int, int]:
    with ui_db.read() as s:
        demo_id = s.scalars(select(Roundtable.id)).one()
    newer = roundtables.create_roundtable(
        ui_db, actor_id=SYSTEM, title={"en": "A later roundtable"}, held_on=date(2026, 3, 1), languages=["en"]
    )
    return demo_id, newer.id


def test_a_link_naming_the_roundtable_opens_it_and_work_stays_there(app_as, ui_db):
    demo_id, newer_id = _second_roundtable(ui_db)
    plain = app_as("admin")
    assert plain.session_state[ROUNDTABLE_KEY] == newer_id  # without a link: the newest

    at = app_as("admin", run=False)
    at.query_params["rt"] = str(demo_id)
    at.query_params["rec"] = "1"
    at.run()
    assert not at.exception
    assert at.session_state[ROUNDTABLE_KEY] == demo_id
    assert "rt" not in at.query_params  # read once: choosing another roundtable later is not undone
    at.run()
    assert at.session_state[ROUNDTABLE_KEY] == demo_id


def test_a_link_to_a_roundtable_one_is_not_in_changes_nothing(app_as, ui_db):
    demo_id, newer_id = _second_roundtable(ui_db)
    at = app_as("expert", run=False)  # a member of the demo roundtable only
    at.query_params["rt"] = str(newer_id)
    at.run()
    assert not at.exception
    assert at.session_state[ROUNDTABLE_KEY] == demo_id
    at = app_as("expert", run=False)
    at.query_params["rt"] = "not-a-number"
    at.run()
    assert not at.exception and at.session_state[ROUNDTABLE_KEY] == demo_id


def test_message_links_name_their_roundtable_once():
    assert with_roundtable("https://s/recommendations?rec=4", 2) == "https://s/recommendations?rec=4&rt=2"
    assert with_roundtable("https://s/vote", 2) == "https://s/vote?rt=2"
    assert with_roundtable("https://s/vote?rt=3", 2) == "https://s/vote?rt=3"
    assert with_roundtable("https://s/", None) == "https://s/"


def test_my_organisation_and_the_participants_list_name_organisations_in_the_interface_language(app_as):
    from tests.ui.conftest import texts

    kk = texts(app_as("admin", "recdraft/ui/pages/account.py", lang="kk"))
    assert "Нархоз университеті — Құқық және мемлекеттік басқару мектебі" in kk
    assert "Narxoz University — School of Law" not in kk
    ru = app_as("admin", "recdraft/ui/pages/participants.py", lang="ru")
    assert not ru.exception
    shown = "\n".join(df.value.to_csv() for df in ru.dataframe)
    assert "Международный Комитет Красного Креста (МККК)" in shown
    assert "International Committee of the Red Cross" not in shown
