"""Single-line fields (item 15): no-break and thin spaces are kept; invisible-only names are not stored."""

from __future__ import annotations

import pytest

from recdraft.errors import InvalidInput, NotFound
from recdraft.services import accounts, roundtables
from recdraft.services._base import SYSTEM
from tests.factories import make_user, make_world

INVISIBLE = "\u200b\u3164\u2800\u200d"


def test_a_display_name_made_only_of_invisible_characters_is_refused_and_nothing_is_written(db):
    with pytest.raises(InvalidInput, match="Name cannot be empty"):
        accounts.create_user(db, actor_id=SYSTEM, username="ghost", display_name=INVISIBLE, password="long enough")
    with pytest.raises(NotFound):
        accounts.find_user(db, username="ghost")


def test_a_display_name_keeps_its_no_break_spaces(db):
    uid = make_user(db, "aigerim", display_name="Aigerim\u00a0N.")
    assert accounts.get_user(db, user_id=uid).display_name == "Aigerim\u00a0N."


def test_an_organisation_made_only_of_invisible_characters_is_not_stored(db):
    world = make_world(db)
    member = roundtables.set_membership(
        db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        user_id=world["expert"],
        role="expert",
        organisation=INVISIBLE,
    )
    assert member.organisation == ""
    kept = roundtables.set_membership(
        db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        user_id=world["expert"],
        role="expert",
        organisation="ICRC\u00a0Almaty",
    )
    assert kept.organisation == "ICRC\u00a0Almaty"
