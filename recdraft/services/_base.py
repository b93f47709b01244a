"""Helpers every service uses: the actor, the one permission guard, lookups and the audit row.

``require(session, actor_id, action, roundtable_id)`` is how a service asks ``domain.policy`` whether the
actor may do ``action`` there: it reads the actor (who must be signed in and active), their role, the
roundtable's phase and its ``moderators_vote`` setting, and raises PermissionDenied with the policy's
reason when the answer is no. ``actor_id`` is an ``Actor``: a user id, or ``SYSTEM`` for the operator at
the command line, who may do everything an administrator may.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.models import AuditEvent, Base, Membership, Roundtable, User, utcnow
from recdraft.domain import policy
from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.errors import NotFound, NotSignedIn, PermissionDenied, Word

T = TypeVar("T", bound=Base)


def get(session: Session, model: type[T], object_id: int | None, what: str, *, lock: bool = False) -> T:
    """The row with ``object_id`` (None finds none) or NotFound naming ``what``. ``lock`` takes a row lock (PostgreSQL)."""
    stmt = select(model).where(model.id == object_id)  # type: ignore[attr-defined]
    if lock:
        stmt = stmt.with_for_update()
    row = session.scalars(stmt).first()
    if row is None:
        raise NotFound("svc._base.not_found", what=Word(what), object_id=object_id)
    return row


def actor(session: Session, actor_id: int | None) -> User:
    """The acting user, who must exist and be active."""
    if actor_id is None:
        raise NotSignedIn("svc.please_sign_in")
    user = session.get(User, actor_id)
    if user is None or not user.is_active:
        raise NotSignedIn("svc.account_inactive")
    return user


def role_of(session: Session, user: User, roundtable_id: int) -> Role | None:
    """The user's role in the roundtable now; system administrators act as admins everywhere."""
    if user.is_system_admin:
        return Role.ADMIN
    value = session.scalar(
        select(Membership.role).where(Membership.roundtable_id == roundtable_id, Membership.user_id == user.id)
    )
    return Role(value) if value else None


def member_role(session: Session, user: User, roundtable_id: int) -> Role:
    """The user's role, or PermissionDenied when they are not a member of the roundtable."""
    role = role_of(session, user, roundtable_id)
    if role is None:
        raise PermissionDenied(policy.NOT_A_MEMBER)
    return role


def deny_unless(allowed: bool, key: str, /, **params: Any) -> None:
    """Raise PermissionDenied with the message ``key`` unless ``allowed`` (for rules about one object,
    such as "you cannot flag your own comment"; who may act at all is ``require``'s question)."""
    if not allowed:
        raise PermissionDenied(key, **params)


def roundtable_open_for_writes(
    session: Session, roundtable_id: int, role: Role | None, action: Action | str
) -> Roundtable:
    """The roundtable, or PermissionDenied when its phase does not allow ``action`` (``domain.policy``).

    Only the phase is checked here; ``require`` checks the role too.
    """
    rt = get(session, Roundtable, roundtable_id, "Roundtable")
    phase = policy.phase_of(rt.phase)
    if Action(action) not in policy.PHASE_RULES[phase]:
        raise PermissionDenied(policy.PHASE_REFUSALS.get(phase, policy.PHASE_REFUSALS[policy.Phase.ARCHIVED]))
    return rt


@dataclass(frozen=True)
class Granted:
    """What ``require`` read to say yes: the actor (None for the command line), their role, the roundtable."""

    user: User | None
    role: Role
    roundtable: Roundtable


def moderators_vote(rt: Roundtable) -> bool:
    """Whether moderators and admins vote in this roundtable (its setting; off by default)."""
    return bool((rt.settings or {}).get("moderators_vote", False))


def require(
    session: Session,
    actor_id: Actor | None,
    action: Action | str,
    roundtable_id: int,
    *,
    is_author: bool = False,
    lock: bool = False,
) -> Granted:
    """The actor, role and roundtable when ``domain.policy`` lets the actor do ``action`` in it.

    Raises NotSignedIn (no actor, inactive account), NotFound (no such roundtable) or PermissionDenied
    with the policy's reason (not a member, the phase, the role). ``is_author``: the actor wrote (or
    co-authors) the recommendation the action is on. ``lock`` locks the roundtable row (PostgreSQL).
    """
    rt = get(session, Roundtable, roundtable_id, "Roundtable", lock=lock)
    role: Role | None
    if isinstance(actor_id, _System):
        user, role = None, Role.ADMIN
    else:
        user = actor(session, actor_id)
        role = role_of(session, user, roundtable_id)
    why = policy.refusal(action, role=role, phase=rt.phase, moderators_vote=moderators_vote(rt), is_author=is_author)
    if why is not None:
        raise PermissionDenied(why)
    assert role is not None  # a refusal names a missing role
    return Granted(user=user, role=role, roundtable=rt)


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
    deny_unless(user.is_system_admin, "svc.only_system_admin")
    return user


def actor_ref(actor_id: Actor) -> int | None:
    """The user id to store in audit rows (None for the command line)."""
    return None if isinstance(actor_id, _System) else actor_id
