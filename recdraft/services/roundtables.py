"""Roundtables and memberships: create, settings, phases, roles."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Membership, Roundtable, User, utcnow
from recdraft.domain.roles import ModerationMode, Phase, Role
from recdraft.domain.text import clean_text, is_blank
from recdraft.errors import InvalidInput, NotFound
from recdraft.schemas.common import LANGS, LIMITS, Input, parse
from recdraft.schemas.views import MembershipView, RoundtableView
from recdraft.services._base import (
    Actor,
    _System,
    actor,
    actor_ref,
    audit,
    deny_unless,
    get,
    member_role,
    require_system_admin,
    role_of,
)

# Settings a roundtable can hold, with their defaults; unknown keys are refused.
DEFAULT_SETTINGS: dict[str, Any] = {
    "moderators_vote": False,
    "closing_formula": {},
    "legal_references": [],
}


def _localized(label: str, limit: int, *, single_line: bool):
    def check(value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            raise ValueError(f"{label} must be text per language")
        out: dict[str, str] = {}
        for lang in LANGS:
            raw = value.get(lang)
            if raw is None:
                continue
            text = clean_text(str(raw), single_line=single_line, strip_bidi=single_line).strip()
            if is_blank(text):
                continue
            if len(text) > limit:
                raise ValueError(f"{label} is too long: at most {limit:,} characters (this one has {len(text):,})")
            out[lang] = text
        unknown = set(value) - set(LANGS)
        if unknown:
            raise ValueError(f"{label}: unknown language {sorted(unknown)[0]!r}; use kk, ru or en")
        return out

    return check


class RoundtableInput(Input):
    title: dict[str, str]
    held_on: date
    venue: dict[str, str] = {}
    organisers: dict[str, str] = {}
    addressee: dict[str, str] = {}
    background: dict[str, str] = {}
    summary: dict[str, str] = {}
    languages: list[str] = ["en", "ru", "kk"]
    moderation_mode: ModerationMode = ModerationMode.PRE

    _title = field_validator("title", mode="before")(_localized("Title", LIMITS["title"], single_line=True))
    _venue = field_validator("venue", mode="before")(_localized("Venue", LIMITS["title"], single_line=True))
    _org = field_validator("organisers", mode="before")(_localized("Organisers", LIMITS["responsible_body"], single_line=False))
    _addr = field_validator("addressee", mode="before")(_localized("Addressee", LIMITS["responsible_body"], single_line=False))
    _bg = field_validator("background", mode="before")(_localized("Background", LIMITS["rationale"], single_line=False))
    _sum = field_validator("summary", mode="before")(_localized("Executive summary", LIMITS["rationale"], single_line=False))

    @field_validator("title")
    @classmethod
    def _title_required(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise ValueError("Title cannot be empty")
        return value

    @field_validator("languages")
    @classmethod
    def _langs(cls, value: list[str]) -> list[str]:
        chosen = [lang for lang in LANGS if lang in value]
        if not chosen or set(value) - set(LANGS):
            raise ValueError("Languages must be one or more of kk, ru, en")
        return chosen


def _view(rt: Roundtable) -> RoundtableView:
    return RoundtableView.model_validate(rt)


def create_roundtable(db: Database, *, actor_id: Actor, **fields: Any) -> RoundtableView:
    """Create a roundtable (system administrators); its creator becomes its admin. Raises InvalidInput."""
    data = parse(RoundtableInput, **fields)
    with db.write() as s:
        creator = require_system_admin(s, actor_id)
        rt = Roundtable(
            title=data.title, held_on=data.held_on, venue=data.venue, organisers=data.organisers,
            addressee=data.addressee, background=data.background, summary=data.summary,
            languages=data.languages, phase=Phase.DRAFTING.value, moderation_mode=data.moderation_mode.value,
            settings=dict(DEFAULT_SETTINGS), created_by=creator.id if creator else None,
        )
        s.add(rt)
        s.flush()
        if creator is not None:
            s.add(Membership(roundtable_id=rt.id, user_id=creator.id, role=Role.ADMIN.value, consent_named=True))
        audit(s, actor_id=actor_ref(actor_id), roundtable_id=rt.id, action="roundtable.create",
              object_type="roundtable", object_id=rt.id)
        return _view(rt)


def _require_admin(s: Session, actor_id: Actor, roundtable_id: int) -> None:
    if isinstance(actor_id, _System):
        return
    user = actor(s, actor_id)
    deny_unless(member_role(s, user, roundtable_id) == Role.ADMIN, "Only roundtable administrators can do this.")


def get_roundtable(db: Database, *, actor_id: Actor, roundtable_id: int) -> RoundtableView:
    """A roundtable the actor takes part in. Raises NotFound, PermissionDenied."""
    with db.read() as s:
        if not isinstance(actor_id, _System):
            member_role(s, actor(s, actor_id), roundtable_id)
        return _view(get(s, Roundtable, roundtable_id, "Roundtable"))


_NEWEST_FIRST = (Roundtable.held_on.desc(), Roundtable.id.desc())


def list_roundtables(db: Database, *, actor_id: Actor) -> list[RoundtableView]:
    """The roundtables the actor takes part in (all of them for system administrators)."""
    if not isinstance(actor_id, _System):
        return [rt for rt, _role in list_my_roundtables(db, actor_id=actor_id)]
    with db.read() as s:
        return [_view(rt) for rt in s.scalars(select(Roundtable).order_by(*_NEWEST_FIRST))]


def list_my_roundtables(db: Database, *, actor_id: int) -> list[tuple[RoundtableView, str]]:
    """The roundtables the actor takes part in, each with the actor's role there, newest first.

    One read, two statements: the pages' router calls it on every run (system administrators get every
    roundtable, as admins).
    """
    with db.read() as s:
        user = actor(s, actor_id)
        if user.is_system_admin:
            return [(_view(rt), Role.ADMIN.value) for rt in s.scalars(select(Roundtable).order_by(*_NEWEST_FIRST))]
        rows = s.execute(
            select(Roundtable, Membership.role).join(Membership, Membership.roundtable_id == Roundtable.id)
            .where(Membership.user_id == user.id).order_by(*_NEWEST_FIRST)
        ).all()
        return [(_view(rt), Role(role).value) for rt, role in rows]


def update_roundtable(db: Database, *, actor_id: Actor, roundtable_id: int, **changes: Any) -> RoundtableView:
    """Change the roundtable's descriptive fields and moderation mode (roundtable admins)."""
    with db.write() as s:
        _require_admin(s, actor_id, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable", lock=True)
        current = _view(rt).model_dump(include=set(RoundtableInput.model_fields))
        unknown = set(changes) - set(RoundtableInput.model_fields)
        if unknown:
            raise InvalidInput(f"Unknown roundtable field '{sorted(unknown)[0]}'.")
        data = parse(RoundtableInput, **{**current, **changes})
        changed = {}
        for name in changes:
            value = getattr(data, name)
            value = value.value if hasattr(value, "value") else value
            if getattr(rt, name) != value:
                setattr(rt, name, value)
                changed[name] = True
        audit(s, actor_id=actor_ref(actor_id), roundtable_id=rt.id, action="roundtable.update",
              object_type="roundtable", object_id=rt.id, details={"fields": sorted(changed)})
        return _view(rt)


MAX_LEGAL_REFERENCES = 200
_closing_formula = _localized("Closing formula", LIMITS["reason"], single_line=False)


def _legal_references(value: Any) -> list[str]:
    """One reference per item (single line each, blanks dropped): 'Geneva Convention I (1949), Art. 26'."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        raise ValueError("Legal references are a list of texts, one reference each")
    out: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValueError("Each legal reference is a text")
        text = clean_text(item, single_line=True, strip_bidi=True).strip()
        if is_blank(text):
            continue
        if len(text) > LIMITS["title"]:
            raise ValueError(f"A legal reference is too long: at most {LIMITS['title']:,} characters "
                             f"(this one has {len(text):,})")
        out.append(text)
    if len(out) > MAX_LEGAL_REFERENCES:
        raise ValueError(f"At most {MAX_LEGAL_REFERENCES} legal references (this list has {len(out)})")
    return out


def _checked_setting(key: str, value: Any) -> Any:
    if key not in DEFAULT_SETTINGS:
        raise InvalidInput(f"Unknown setting '{key}'.", field=key)
    if key == "moderators_vote":
        if not isinstance(value, bool):
            raise InvalidInput("'moderators_vote' is yes or no.", field=key)
        return value
    check = _closing_formula if key == "closing_formula" else _legal_references
    try:
        return check(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=key) from None


def update_settings(db: Database, *, actor_id: Actor, roundtable_id: int, settings: dict[str, Any]) -> RoundtableView:
    """Change roundtable settings (roundtable admins). Raises InvalidInput for an unknown key or a bad value.

    Texts are cleaned like every other text: the closing formula is text per language (kk, ru, en), the
    legal references a list of single-line texts.
    """
    with db.write() as s:
        _require_admin(s, actor_id, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable", lock=True)
        checked = {key: _checked_setting(key, value) for key, value in settings.items()}
        rt.settings = {**DEFAULT_SETTINGS, **rt.settings, **checked}
        audit(s, actor_id=actor_ref(actor_id), roundtable_id=rt.id, action="roundtable.settings",
              object_type="roundtable", object_id=rt.id, details={"keys": sorted(settings)})
        return _view(rt)


def set_phase(db: Database, *, actor_id: Actor, roundtable_id: int, phase: str) -> RoundtableView:
    """Move the roundtable to another phase (roundtable admins)."""
    try:
        target = Phase(phase)
    except ValueError:
        raise InvalidInput(f"Unknown phase '{phase}'. Phases: {', '.join(p.value for p in Phase)}.", field="phase") from None
    with db.write() as s:
        _require_admin(s, actor_id, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable", lock=True)
        before = rt.phase
        rt.phase = target.value
        audit(s, actor_id=actor_ref(actor_id), roundtable_id=rt.id, action="roundtable.phase",
              object_type="roundtable", object_id=rt.id, details={"from": before, "to": target.value})
        return _view(rt)


def _membership_view(m: Membership, u: User) -> MembershipView:
    return MembershipView(
        id=m.id, roundtable_id=m.roundtable_id, user_id=u.id, username=u.username, display_name=u.display_name,
        role=m.role, organisation=m.organisation, group=m.group, consent_named=m.consent_named, is_active=u.is_active,
    )


def set_membership(
    db: Database,
    *,
    actor_id: Actor,
    roundtable_id: int,
    user_id: int,
    role: str,
    organisation: str | None = None,
    group: str | None = None,
    consent_named: bool | None = None,
) -> MembershipView:
    """Add a person to a roundtable or change their role; it takes effect on their next action (roundtable admins)."""
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput(f"Unknown role '{role}'. Roles: admin, moderator, expert, observer.", field="role") from None
    org = clean_text(organisation or "", single_line=True, strip_bidi=True).strip() if organisation is not None else None
    grp = clean_text(group or "", single_line=True, strip_bidi=True).strip() if group is not None else None
    for label, value in (("Organisation", org), ("Group", grp)):
        if value is not None and len(value) > LIMITS["name"]:
            raise InvalidInput(f"{label} is too long: at most {LIMITS['name']} characters.")
    with db.write() as s:
        _require_admin(s, actor_id, roundtable_id)
        get(s, Roundtable, roundtable_id, "Roundtable")
        user = get(s, User, user_id, "User")
        m = s.scalar(select(Membership).where(Membership.roundtable_id == roundtable_id, Membership.user_id == user_id))
        before = m.role if m else None
        if m is None:
            m = Membership(roundtable_id=roundtable_id, user_id=user_id, role=role_value.value,
                           organisation=org or "", group=grp if grp is not None else (org or ""),
                           consent_named=bool(consent_named))
            s.add(m)
        else:
            if before == Role.ADMIN and role_value != Role.ADMIN and not isinstance(actor_id, _System):
                admins = s.scalars(select(Membership.id).where(Membership.roundtable_id == roundtable_id,
                                                               Membership.role == Role.ADMIN.value)).all()
                if len(admins) <= 1:
                    raise InvalidInput("A roundtable needs at least one administrator.", field="role")
            m.role = role_value.value
            if org is not None:
                m.organisation = org
            if grp is not None:
                m.group = grp
            if consent_named is not None:
                m.consent_named = consent_named
        s.flush()
        audit(s, actor_id=actor_ref(actor_id), roundtable_id=roundtable_id, action="membership.set",
              object_type="membership", object_id=m.id, details={"user_id": user_id, "from": before, "to": role_value.value})
        return _membership_view(m, user)


def set_my_consent(db: Database, *, actor_id: int, roundtable_id: int, consent_named: bool) -> MembershipView:
    """A participant chooses whether the memo may name them."""
    with db.write() as s:
        user = actor(s, actor_id)
        m = s.scalar(select(Membership).where(Membership.roundtable_id == roundtable_id, Membership.user_id == user.id))
        if m is None:
            raise NotFound("You are not a participant of this roundtable.")
        m.consent_named = consent_named
        audit(s, actor_id=user.id, roundtable_id=roundtable_id, action="membership.consent",
              object_type="membership", object_id=m.id, details={"consent_named": consent_named})
        return _membership_view(m, user)


def list_members(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[MembershipView]:
    """Participants of a roundtable, by organisation then name (any participant may see them)."""
    with db.read() as s:
        if not isinstance(actor_id, _System):
            member_role(s, actor(s, actor_id), roundtable_id)
        rows = s.execute(
            select(Membership, User).join(User, User.id == Membership.user_id)
            .where(Membership.roundtable_id == roundtable_id)
            .order_by(Membership.organisation, User.display_name)
        ).all()
        return [_membership_view(m, u) for m, u in rows]


def my_role(db: Database, *, actor_id: int, roundtable_id: int) -> str | None:
    """The actor's role in the roundtable now, or None."""
    with db.read() as s:
        role = role_of(s, actor(s, actor_id), roundtable_id)
        return role.value if role else None


def touch_last_seen(db: Database, *, actor_id: int, roundtable_id: int, when=None) -> None:
    """Remember when the person last looked at the activity feed."""
    with db.write() as s:
        m = s.scalar(select(Membership).where(Membership.roundtable_id == roundtable_id, Membership.user_id == actor_id))
        if m is not None:
            m.last_seen_at = when or utcnow()
