"""The roundtables a person works in, with their role: what the router reads on every page run."""

from __future__ import annotations

from datetime import date

import pytest

from recdraft.errors import InvalidInput, NotSignedIn
from recdraft.services import accounts, roundtables
from recdraft.services._base import SYSTEM
from tests.factories import make_user, make_world


def _second_roundtable(db, held_on: date) -> int:
    return roundtables.create_roundtable(db, actor_id=SYSTEM, title={"en": "Emblem law follow-up"},
                                         held_on=held_on).id


def test_members_get_their_roundtables_newest_first_with_their_role(db):
    world = make_world(db)
    newer = _second_roundtable(db, date(2025, 9, 1))
    older = _second_roundtable(db, date(2024, 5, 1))
    roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=newer, user_id=world["expert"], role="moderator")
    roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=older, user_id=world["expert"], role="observer")

    mine = roundtables.list_my_roundtables(db, actor_id=world["expert"])

    assert [(rt.id, role) for rt, role in mine] == [(newer, "moderator"), (world.roundtable_id, "expert"),
                                                    (older, "observer")]
    assert mine[1][0].title["en"] == "National Societies: Legal Foundations"
    # The same answers as the one-roundtable calls.
    for rt, role in mine:
        assert roundtables.my_role(db, actor_id=world["expert"], roundtable_id=rt.id) == role
    assert [rt.id for rt, _ in mine] == [rt.id for rt in roundtables.list_roundtables(db, actor_id=world["expert"])]


def test_role_changes_show_on_the_next_call(db):
    world = make_world(db)
    roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, user_id=world["observer"],
                               role="expert")
    assert roundtables.list_my_roundtables(db, actor_id=world["observer"])[0][1] == "expert"


def test_outsiders_get_nothing_and_system_administrators_get_everything_as_admin(db):
    world = make_world(db)
    other = _second_roundtable(db, date(2025, 9, 1))
    assert roundtables.list_my_roundtables(db, actor_id=world["outsider"]) == []
    root = make_user(db, "root", system_admin=True)
    assert [(rt.id, role) for rt, role in roundtables.list_my_roundtables(db, actor_id=root)] == [
        (other, "admin"), (world.roundtable_id, "admin")]


def test_a_deactivated_person_gets_no_roundtables(db):
    world = make_world(db)
    accounts.set_active(db, actor_id=SYSTEM, user_id=world["expert"], active=False)
    with pytest.raises(NotSignedIn):
        roundtables.list_my_roundtables(db, actor_id=world["expert"])


def test_settings_are_cleaned_and_bad_values_are_refused_with_the_field_named(db):
    world = make_world(db)
    rt = roundtables.update_settings(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, settings={
        "closing_formula": {"ru": "  С уважением,\r\nВысшая школа права  ", "en": "   "},
        "legal_references": ["Geneva Convention I (1949),\tArt. 26", "", "Statutes\u202e of the Movement"]})
    assert rt.settings["closing_formula"] == {"ru": "С уважением,\nВысшая школа права"}
    assert rt.settings["legal_references"] == ["Geneva Convention I (1949), Art. 26", "Statutes of the Movement"]
    assert rt.settings["moderators_vote"] is False
    bad = {
        "closing_formula": ({"de": "Hochachtungsvoll"}, "unknown language"),
        "legal_references": ([["nested"]], "Each legal reference is a text"),
        "moderators_vote": ("yes", "yes or no"),
        "colour": ("red", "Unknown setting"),
    }
    for key, (value, message) in bad.items():
        with pytest.raises(InvalidInput, match=message) as refused:
            roundtables.update_settings(db, actor_id=world["admin"], roundtable_id=world.roundtable_id,
                                        settings={key: value})
        assert refused.value.field == key
    with pytest.raises(InvalidInput, match="too long"):
        roundtables.update_settings(db, actor_id=world["admin"], roundtable_id=world.roundtable_id,
                                    settings={"legal_references": ["x" * 501]})
    kept = roundtables.get_roundtable(db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
    assert kept.settings["legal_references"] == ["Geneva Convention I (1949), Art. 26", "Statutes of the Movement"]
