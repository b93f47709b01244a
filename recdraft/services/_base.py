"""Helpers every service uses: the actor, their role, lookups and the audit row."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.models import AuditEvent, Base, Membership, Roundtable, User, utcnow
from recdraft.domain.phases import PHASE_RULES, Action
from recdraft.domain.roles import Phase, Role
from recdraft.errors import NotFound, NotSignedIn, PermissionDenied

T = TypeVar("T", bound=Base)


def get(session: Session, model: type[T], object_id: int, what: str, *, lock: bool = False) -> T:
    """The row with ``object_id`` or NotFound naming ``what``. ``lock`` takes a row lock (PostgreSQL)."""
    stmt = select(model).where(model.id == object_id)  # type: ignore[attr-defined]
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalars(stmt).first()
    if row is None:
        raise NotFound(f"{what} {object_id} does not exist.")
    return row


def actor(session: Session, actor_id: int | None) -> User:
    """The acting user, who must exist and be active."""
    if actor_id is None:
        raise NotSignedIn("Please sign in.")
    user = session.get(User, actor_id)
    if user is None or not user.is_active:
        raise NotSignedIn("Your account is not active. Please sign in again.")
    return user


def role_of(session: Session, user: User, roundtable_id: int) -> Role | None:
    """The user's role in the roundtable now; system administrators act as admins everywhere."""
    if user.is_system_admin:
        return Role.ADMIN
    value = session.scalar(
        select(Membership.role).where(
            Membership.roundtable_id == roundtable_id, Membership.user_id == user.id
        )
    )
    return Role(value) if value else None


def member_role(session: Session, user: User, roundtable_id: int) -> Role:
    """The user's role, or PermissionDenied when they are not a member of the roundtable."""
    role = role_of(session, user, roundtable_id)
    if role is None:
        raise PermissionDenied("You are not a participant of this roundtable.")
    return role


def deny_unless(allowed: bool, message: str) -> None:
    """Raise PermissionDenied with ``message`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


# Why a phase refuses an action: one sentence per phase, naming what is still possible.
PHASE_REFUSALS = {
    Phase.SETUP: "This roundtable is still being set up: commenting and voting start once an administrator "
                 "moves it on to drafting.",
    Phase.CLOSED: "This roundtable is final: nobody drafts, comments or votes in it any more.",
    Phase.ARCHIVED: "This roundtable is archived: it is read-only (an administrator can un-archive it).",
}


def roundtable_open_for_writes(session: Session, roundtable_id: int, role: Role | None,
                               action: Action | str) -> Roundtable:
    """The roundtable, or PermissionDenied when its phase does not allow ``action`` (``domain.phases``).

    Only the phase is checked here; who may do the action is checked by the service, with its own message.
    """
    rt = get(session, Roundtable, roundtable_id, "Roundtable")
    try:
        phase = Phase(rt.phase)
    except ValueError:
        phase = Phase.ARCHIVED  # an unknown stored phase writes nothing
    if Action(action) not in PHASE_RULES[phase]:
        raise PermissionDenied(PHASE_REFUSALS.get(phase, PHASE_REFUSALS[Phase.ARCHIVED]))
    return rt


def audit(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None,
    roundtable_id: int | None = None,
    details: dict[str, Any] | None = None,
    visibility: str = "all",
    at: datetime | None = None,
) -> AuditEvent:
    """Add the audit row for this action to the current transaction."""
    event = AuditEvent(
        at=at or utcnow(),
        actor_id=actor_id,
        roundtable_id=roundtable_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
        visibility=visibility,
    )
    session.add(event)
    return event


class _System:
    """The operator at the command line: trusted, recorded in audit rows as ``via: cli``."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()
Actor = int | _System


def require_system_admin(session: Session, actor_id: Actor) -> User | None:
    """The acting system administrator (None for the command line) or PermissionDenied."""
    if isinstance(actor_id, _System):
        return None
    user = actor(session, actor_id)
    deny_unless(user.is_system_admin, "Only a system administrator can do this.")
    return user


def actor_ref(actor_id: Actor) -> int | None:
    """The user id to store in audit rows (None for the command line)."""
    return None if isinstance(actor_id, _System) else actor_id
