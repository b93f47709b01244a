"""Factories: a roundtable with people in every role, recommendations and comments in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from recdraft.db.engine import Database
from recdraft.services import accounts, roundtables
from recdraft.services._base import SYSTEM

PASSWORD = "correct horse battery"


@dataclass
class World:
    """A roundtable and the ids of its people, by role name."""

    db: Database
    roundtable_id: int
    users: dict[str, int] = field(default_factory=dict)

    def __getitem__(self, name: str) -> int:
        return self.users[name]


def make_user(db: Database, username: str, *, display_name: str | None = None, system_admin: bool = False,
              email: str | None = None) -> int:
    return accounts.create_user(
        db, actor_id=SYSTEM, username=username, display_name=display_name or username.title(),
        password=PASSWORD, is_system_admin=system_admin, email=email,
    ).id


def make_world(db: Database, *, moderation_mode: str = "pre", **overrides: Any) -> World:
    """Admin, moderator, two experts (expert, expert2), observer and an outsider with no role."""
    rt = roundtables.create_roundtable(
        db, actor_id=SYSTEM,
        title={"en": "National Societies: Legal Foundations", "ru": "Национальные общества: правовые основы"},
        held_on=date(2025, 2, 6), venue={"en": "Narxoz University, Almaty"}, moderation_mode=moderation_mode,
        **overrides,
    )
    world = World(db=db, roundtable_id=rt.id)
    for name, role, org in [
        ("admin", "admin", "Narxoz University"),
        ("moderator", "moderator", "Narxoz University"),
        ("expert", "expert", "ICRC"),
        ("expert2", "expert", "Red Crescent Society of Kazakhstan"),
        ("observer", "observer", "Narxoz University"),
    ]:
        uid = make_user(db, name)
        roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=rt.id, user_id=uid, role=role,
                                   organisation=org, consent_named=True)
        world.users[name] = uid
    world.users["outsider"] = make_user(db, "outsider")
    return world


def content(title: str = "Adopt a law on the National Society", text: str = "Parliament should adopt a law.",
            lang: str = "en", **extra: str) -> dict[str, dict[str, str]]:
    return {lang: {"title": title, "text": text, **extra}}


def make_organiser(db: Database, username: str, **kwargs: Any) -> int:
    """An account that may create roundtables (and has no role anywhere yet)."""
    uid = make_user(db, username, **kwargs)
    accounts.set_organiser(db, actor_id=SYSTEM, user_id=uid, organiser=True)
    return uid


FULL_SETTINGS: dict[str, Any] = {
    "record_language": "kk",
    "memo_languages": ["kk", "ru", "kk+ru"],
    "topics": [{"labels": {"en": "Legal status", "ru": "Правовой статус", "kk": "Құқықтық мәртебе"}},
               {"key": "emblem", "labels": {"ru": "Эмблема", "kk": "Эмблема"}}],
    "voting_defaults": {"quorum": "3/5", "threshold": "0.75", "delphi_agreement_share": "7/10",
                        "delphi_max_iqr": "2", "blocks_prevent_adoption": False},
    "legal_references": ["Geneva Convention I (1949), Art. 26",
                         {"ru": "Закон РК «Об общественных объединениях»", "kk": "ҚР «Қоғамдық бірлестіктер туралы» Заңы"}],
    "signatory": {"name": {"ru": "А. Б. Сериков", "kk": "А. Б. Серіков"}, "position": {"ru": "Декан", "kk": "Декан"}},
    "outgoing_number": "№ 01-12/345",
}
