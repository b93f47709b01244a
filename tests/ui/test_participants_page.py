"""The Participants page: a roundtable's administrator invites people one by one or from a pasted list,
hands out their links, replaces a lost link and removes a person without losing what they wrote."""

from __future__ import annotations

import csv
import io

import pytest

from recdraft.errors import NotFound, PermissionDenied
from recdraft.services import accounts, participants, recommendations, roundtables
from recdraft.services._base import SYSTEM
from recdraft.ui.screens.participants import links_csv
from tests.rowcounts import row_counts
from tests.ui.conftest import page_alone, page_files, user_id

PAGE = "recdraft/ui/pages/participants.py"

BAD_LIST = (
    "name\temail\torganisation\trole\tconsent\tlanguage\n"
    "Aigerim Nurlanova\taigerim@example.kz\tKazakh Red Crescent\texpert\tyes\tkk\n"
    "Boris Ivanov\tboris@example.kz\tMinistry of Justice\tchef\tno\tru\n"
)
GOOD_LIST = (
    "name;email;organisation;role;consent;language\n"
    "Aigerim Nurlanova;aigerim@example.kz;Kazakh Red Crescent;эксперт;иә;kk\n"
    "Boris Ivanov;boris@example.kz;Ministry of Justice;moderator;нет;ru\n"
    "Claire Martin;claire@example.org;ICRC;expert;yes;en\n"
)


@pytest.fixture
def page(app_as):
    return app_as("admin", PAGE)


def _people(db) -> dict[str, object]:
    return {p.name: p for p in participants.list_participants(db, actor_id=user_id(db, "admin"), roundtable_id=1)}


def _table(at, column: str):
    """The first table on the page with ``column`` (the participants list has "Status", the preview "Line")."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _token(link: str) -> str:
    return link.rsplit("?invite=", 1)[1].strip()


def _links(at) -> dict[str, str]:
    """The links block: one 'Name <e-mail>\\tlink' line a person."""
    block = next(c.value for c in at.code if "?invite=" in c.value)
    out = {}
    for line in block.splitlines():
        who, link = line.split("\t")
        out[who.split(" <")[0]] = link
    return out


def test_the_list_shows_who_has_joined_with_role_and_organisation(page, ui_db):
    table = _table(page, "Status")
    shown = {row["Name"]: (row["Role"], row["Organisation"], row["Status"]) for _, row in table.iterrows()}
    words = {"admin": "Administrator", "moderator": "Moderator", "expert": "Expert", "observer": "Observer"}
    members = roundtables.list_members(ui_db, actor_id=SYSTEM, roundtable_id=1)
    assert shown == {m.display_name: (words[m.role], m.organisation, "Joined") for m in members}


def test_a_pasted_list_with_a_bad_row_names_the_line_and_imports_nothing(page, ui_db):
    at = page
    before = row_counts(ui_db)
    at.text_area(key="participants_paste_text").input(BAD_LIST)
    at.button(key="participants_preview").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("Line 3:") and "chef" in e for e in errors), errors
    assert at.button(key="participants_import").disabled
    assert row_counts(ui_db) == before
    assert "Aigerim Nurlanova" not in _people(ui_db)
    assert at.text_area(key="participants_paste_text").value == BAD_LIST  # kept, to be corrected


def test_a_good_list_is_previewed_then_imported_with_a_link_for_each_person(page, ui_db):
    at = page
    at.text_area(key="participants_paste_text").input(GOOD_LIST)
    at.button(key="participants_preview").click().run()
    preview = _table(at, "Line")
    assert list(preview["Name"]) == ["Aigerim Nurlanova", "Boris Ivanov", "Claire Martin"]
    assert list(preview["Role"]) == ["Expert", "Moderator", "Expert"]
    assert list(preview["Line"]) == [2, 3, 4]
    assert not at.error
    at.button(key="participants_import").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    people = _people(ui_db)
    assert people["Boris Ivanov"].role == "moderator" and people["Boris Ivanov"].organisation == "Ministry of Justice"
    assert people["Aigerim Nurlanova"].consent_named is True and people["Boris Ivanov"].consent_named is False
    assert not people["Claire Martin"].joined
    links = _links(at)
    assert set(links) == {"Aigerim Nurlanova", "Boris Ivanov", "Claire Martin"}
    offer = accounts.describe_invitation(ui_db, token=_token(links["Boris Ivanov"]))
    assert offer["display_name"] == "Boris Ivanov" and offer["role"] == "moderator"
    table = _table(at, "Status")
    invited = table[table["Name"] == "Claire Martin"].iloc[0]
    assert invited["Status"].startswith("Invited") and invited["Organisation"] == "ICRC"
    assert at.text_area(key="participants_paste_text").value == ""
    # Importing the same list again is refused (they are invited already): nothing doubles.
    counts = row_counts(ui_db)
    at.text_area(key="participants_paste_text").input(GOOD_LIST)
    at.button(key="participants_preview").click().run()
    assert at.error and at.button(key="participants_import").disabled
    assert row_counts(ui_db) == counts


def test_adding_one_person_gives_their_link(page, ui_db):
    at = page
    at.text_input(key="participants_one_name").input("Dana Sarsen")
    at.text_input(key="participants_one_email").input("dana@example.kz")
    at.text_input(key="participants_one_organisation").input("Narxoz University")
    at.selectbox(key="participants_one_role").set_value("observer")
    at.selectbox(key="participants_one_language").set_value("ru")
    at.checkbox(key="participants_one_consent").check()
    at.button(key="participants_one_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    dana = _people(ui_db)["Dana Sarsen"]
    assert (dana.role, dana.organisation, dana.language, dana.consent_named) == (
        "observer",
        "Narxoz University",
        "ru",
        True,
    )
    link = _links(at)["Dana Sarsen"]
    assert accounts.describe_invitation(ui_db, token=_token(link))["role"] == "observer"
    assert "Dana Sarsen has been invited" in at.success[0].value


def test_a_person_without_a_name_is_explained_and_not_added(page, ui_db):
    at = page
    before = row_counts(ui_db)
    at.text_input(key="participants_one_email").input("someone@example.kz")
    at.button(key="participants_one_submit").click().run()
    assert at.error and not at.exception
    assert row_counts(ui_db) == before
    assert at.text_input(key="participants_one_email").value == "someone@example.kz"


def test_a_new_link_replaces_a_lost_one(page, ui_db):
    at = page
    at.text_area(key="participants_paste_text").input(GOOD_LIST)
    at.button(key="participants_preview").click().run()
    at.button(key="participants_import").click().run()
    old = _links(at)["Claire Martin"]
    claire = _people(ui_db)["Claire Martin"]
    at.selectbox(key="participants_reissue_who").set_value(claire.invitation_id).run()
    at.button(key="participants_reissue_one").click().run()
    assert not at.error, [e.value for e in at.error]
    new = _links(at)["Claire Martin"]
    assert new != old
    assert accounts.describe_invitation(ui_db, token=_token(new))["display_name"] == "Claire Martin"
    with pytest.raises(NotFound):
        accounts.describe_invitation(ui_db, token=_token(old))


def test_new_links_for_everyone_not_joined_need_a_confirmation(page, ui_db):
    at = page
    at.text_area(key="participants_paste_text").input(GOOD_LIST)
    at.button(key="participants_preview").click().run()
    at.button(key="participants_import").click().run()
    old = _links(at)
    assert at.button(key="participants_reissue_all").disabled
    at.checkbox(key="participants_reissue_all_confirm").check().run()
    at.button(key="participants_reissue_all").click().run()
    new = _links(at)
    assert set(new) == set(old) and all(new[name] != old[name] for name in old)
    for link in old.values():
        with pytest.raises(NotFound):
            accounts.describe_invitation(ui_db, token=_token(link))


def test_withdrawing_an_invitation_stops_its_link(page, ui_db):
    at = page
    at.text_area(key="participants_paste_text").input(GOOD_LIST)
    at.button(key="participants_preview").click().run()
    at.button(key="participants_import").click().run()
    link = _links(at)["Boris Ivanov"]
    boris = _people(ui_db)["Boris Ivanov"]
    at.selectbox(key="participants_reissue_who").set_value(boris.invitation_id).run()
    at.button(key="participants_withdraw").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Boris Ivanov" not in _people(ui_db)
    with pytest.raises(NotFound):
        accounts.describe_invitation(ui_db, token=_token(link))
    assert "Boris Ivanov" not in _links(at)


def test_someone_who_already_has_an_account_joins_at_once(page, ui_db):
    at = page
    known = accounts.create_user(
        ui_db,
        actor_id=SYSTEM,
        username="e.known",
        display_name="Erlan Known",
        email="erlan@example.kz",
        password="a good password",
    )
    at.text_area(key="participants_paste_text").input("Erlan K.;erlan@example.kz;Bar association;observer;no;ru")
    at.button(key="participants_preview").click().run()
    assert list(_table(at, "Line")["What happens"]) == ["Has an account: joins at once"]
    at.button(key="participants_import").click().run()
    assert not at.error, [e.value for e in at.error]
    assert roundtables.my_role(ui_db, actor_id=known.id, roundtable_id=1) == "observer"
    assert "joined at once" in at.success[0].value and not any("?invite=" in c.value for c in at.code)


def test_removing_a_person_asks_first_and_keeps_what_they_wrote(page, ui_db):
    at = page
    target = user_id(ui_db, "expert2")
    admin = user_id(ui_db, "admin")
    written = [
        r.id
        for r in recommendations.list_recommendations(ui_db, actor_id=admin, roundtable_id=1, page_size=100).items
        if r.created_by == target
    ]
    assert written, "the demo expert wrote recommendations"
    assert any(
        "What they wrote (recommendations, comments, votes) stays, under their name." in c.value for c in at.caption
    )
    at.selectbox(key="participants_remove_who").set_value(target).run()
    assert at.button(key="participants_remove_submit").disabled
    at.checkbox(key=f"participants_remove_confirm_{target}").check().run()
    at.button(key="participants_remove_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert roundtables.my_role(ui_db, actor_id=target, roundtable_id=1) is None
    still = {
        r.id: r
        for r in recommendations.list_recommendations(ui_db, actor_id=admin, roundtable_id=1, page_size=100).items
    }
    assert all(rid in still and still[rid].created_by == target for rid in written)
    assert "no longer takes part" in at.success[0].value


def test_the_links_file_opens_in_a_spreadsheet_without_running_a_formula():
    rows = [
        {
            "name": '=HYPERLINK("http://evil")',
            "email": "a@b.kz",
            "role": "Expert",
            "link": "http://localhost:8501/?invite=abc",
            "expires": "1 May 2026",
        }
    ]
    data = links_csv(rows, ["Name", "E-mail", "Role", "Invitation link", "Valid until"]).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(data)))
    assert table[0] == ["Name", "E-mail", "Role", "Invitation link", "Valid until"]
    assert table[1][0] == '\'=HYPERLINK("http://evil")' and table[1][3].endswith("?invite=abc")


@pytest.mark.parametrize("role", ["expert", "observer", "moderator"])
def test_experts_observers_and_moderators_do_not_get_the_page(app_as, role):
    at = app_as(role)
    assert PAGE not in page_files(at)


@pytest.mark.parametrize("role", ["expert", "observer"])
def test_the_page_run_directly_refuses_them_and_the_services_refuse_anyway(ui_env, ui_db, role):
    at = page_alone(ui_db, role, PAGE)
    assert [w.value for w in at.warning] == ["Your role does not give access to this page."]
    assert not at.text_area
    before = row_counts(ui_db)
    with pytest.raises(PermissionDenied):
        participants.import_participants(ui_db, actor_id=user_id(ui_db, role), roundtable_id=1, text=GOOD_LIST)
    with pytest.raises(PermissionDenied):
        participants.remove_participant(
            ui_db, actor_id=user_id(ui_db, role), roundtable_id=1, user_id=user_id(ui_db, "expert3")
        )
    assert row_counts(ui_db) == before


def test_an_archived_roundtable_shows_its_participants_but_offers_no_changes(app_as, ui_db):
    roundtables.set_phase(ui_db, actor_id=SYSTEM, roundtable_id=1, phase="archived")
    at = app_as("admin", PAGE)
    assert not at.exception
    assert len(_table(at, "Status")) > 0
    assert "Archived" in at.info[0].value
    assert not at.text_area and not at.tabs
