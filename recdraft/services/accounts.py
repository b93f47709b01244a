"""Accounts: users, passwords (argon2id), sign-in sessions, invitations, back-off."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from recdraft import config
from recdraft.db.engine import Database
from recdraft.db.models import Invitation, Membership, Roundtable, SignInSession, User, utcnow
from recdraft.domain.roles import Role
from recdraft.errors import (
    InvalidInput,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    SignInFailed,
    TooManyAttempts,
)
from recdraft.schemas.common import Input, Name, parse
from recdraft.schemas.views import InvitationCreated, SignedIn, UserView
from recdraft.services._base import (
    SYSTEM,
    Actor,
    _System,
    actor,
    actor_ref,
    audit,
    deny_unless,
    get,
    member_role,
    require_system_admin,
)

# OWASP Password Storage Cheat Sheet, argon2id minimum: m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
_DUMMY_HASH = HASHER.hash("not a real password")

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1_024
FREE_ATTEMPTS = 5
MAX_BACKOFF_SECONDS = 15 * 60
INVITATION_DAYS = 14
# A sliding session is extended at most once per interval so page runs do not all write.
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)

FAILED_MESSAGE = "The user name or password is not correct."

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_username(username: str) -> str:
    """Lower-case, trimmed user name; raise InvalidInput unless 2–64 of a-z 0-9 . _ -."""
    value = (username or "").strip().lower()
    if not 2 <= len(value) <= 64 or not set(value) <= USERNAME_CHARS:
        raise InvalidInput(
            "A user name has 2 to 64 characters: Latin letters, digits, '.', '_' or '-'.", field="username"
        )
    return value


def _check_password_policy(password: str, *, relaxed: bool) -> None:
    if not isinstance(password, str) or not password.strip():
        raise InvalidInput("The password cannot be empty.", field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"The password is too long: at most {MAX_PASSWORD_LENGTH} characters.", field="password")
    if not relaxed and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"The password is too short: at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )


def backoff_seconds(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: 0 for the first five, then doubling to 15 min.

    Capped so that nobody can lock another person out for good by guessing at their name.
    """
    if failures < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS + 1), MAX_BACKOFF_SECONDS)


class UserCreate(Input):
    username: str
    display_name: Name
    email: str | None = None


def _view(user: User) -> UserView:
    return UserView.model_validate(user)


def _normalise_email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    value = email.strip().lower()
    if "@" not in value or len(value) > 320 or any(c.isspace() for c in value):
        raise InvalidInput("The e-mail address is not valid.", field="email")
    return value


def _insert_user(
    session: Session, *, username: str, display_name: str, email: str | None, password: str | None,
    relaxed_password: bool, is_system_admin: bool = False,
) -> User:
    data = parse(UserCreate, username=normalise_username(username), display_name=display_name, email=email)
    email_value = _normalise_email(data.email)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise InvalidInput(f"The user name '{data.username}' is already taken.", field="username")
    if email_value and session.scalar(select(User.id).where(User.email == email_value)) is not None:
        raise InvalidInput("An account with this e-mail address already exists.", field="email")
    password_hash = None
    if password is not None:
        _check_password_policy(password, relaxed=relaxed_password)
        password_hash = HASHER.hash(password)
    user = User(
        username=data.username,
        display_name=data.display_name,
        email=email_value,
        password_hash=password_hash,
        is_system_admin=is_system_admin,
        is_active=True,
        failed_sign_ins=0,
    )
    session.add(user)
    session.flush()
    return user


def create_user(
    db: Database,
    *,
    actor_id: Actor,
    username: str,
    display_name: str,
    password: str | None = None,
    email: str | None = None,
    is_system_admin: bool = False,
) -> UserView:
    """Create an account (system administrators, or the command line). Raises InvalidInput, PermissionDenied."""
    with db.write() as s:
        require_system_admin(s, actor_id)
        user = _insert_user(
            s, username=username, display_name=display_name, email=email, password=password,
            relaxed_password=isinstance(actor_id, _System), is_system_admin=is_system_admin,
        )
        audit(s, actor_id=actor_ref(actor_id), action="user.create", object_type="user", object_id=user.id,
              details={"username": user.username, "system_admin": is_system_admin})
        return _view(user)


def get_user(db: Database, *, user_id: int) -> UserView:
    """One user's public view. Raises NotFound."""
    with db.read() as s:
        return _view(get(s, User, user_id, "User"))


def find_user(db: Database, *, username: str) -> UserView:
    """The user with this user name. Raises NotFound."""
    with db.read() as s:
        user = s.scalar(select(User).where(User.username == (username or "").strip().lower()))
        if user is None:
            raise NotFound(f"There is no user '{username}'.")
        return _view(user)


def find_user_by_email(db: Database, *, email: str) -> UserView:
    """The active user with this e-mail address (single sign-on). Raises NotFound."""
    with db.read() as s:
        user = s.scalar(select(User).where(User.email == (email or "").strip().lower(), User.is_active))
        if user is None:
            raise NotFound("No active account uses this e-mail address.")
        return _view(user)


def list_users(db: Database, *, actor_id: Actor) -> list[UserView]:
    """All accounts (system administrators). Raises PermissionDenied."""
    with db.read() as s:
        require_system_admin(s, actor_id)
        return [_view(u) for u in s.scalars(select(User).order_by(User.username))]


def _end_sessions(session: Session, user_id: int, *, keep_hash: str | None = None) -> int:
    stmt = update(SignInSession).where(SignInSession.user_id == user_id, SignInSession.ended_at.is_(None))
    if keep_hash:
        stmt = stmt.where(SignInSession.token_hash != keep_hash)
    return session.execute(stmt.values(ended_at=utcnow())).rowcount


def set_active(db: Database, *, actor_id: Actor, user_id: int, active: bool) -> UserView:
    """Deactivate (ending every session at once) or reactivate an account. Raises PermissionDenied, NotFound."""
    with db.write() as s:
        admin = require_system_admin(s, actor_id)
        user = get(s, User, user_id, "User", lock=True)
        if admin is not None and admin.id == user.id and not active:
            raise PermissionDenied("You cannot deactivate your own account.")
        user.is_active = active
        ended = 0 if active else _end_sessions(s, user.id)
        audit(s, actor_id=actor_ref(actor_id), action="user.activate" if active else "user.deactivate",
              object_type="user", object_id=user.id, details={"sessions_ended": ended})
        return _view(user)


def _open_session(session: Session, user: User, now: datetime) -> SignedIn:
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=config.session_ttl_hours())
    session.add(SignInSession(user_id=user.id, token_hash=_token_hash(token), created_at=now,
                              expires_at=expires, last_seen_at=now))
    return SignedIn(user=_view(user), token=token, expires_at=expires)


def sign_in(db: Database, *, username: str, password: str, now: datetime | None = None) -> SignedIn:
    """Check the password and open a session. Raises SignInFailed (same for unknown user and wrong password), TooManyAttempts."""
    now = now or utcnow()
    name = (username or "").strip().lower()
    password = password if isinstance(password, str) else ""
    failure: Exception | None = None
    with db.write() as s:
        user = s.scalar(select(User).where(User.username == name).with_for_update())
        if user is None or not user.is_active or not user.password_hash:
            # Verify against a dummy hash so timing does not reveal which names exist.
            try:
                HASHER.verify(_DUMMY_HASH, password)
            except VerificationError:
                pass
            return_failure = SignInFailed(FAILED_MESSAGE)
            audit(s, actor_id=None, action="auth.sign_in_failed", object_type="user", object_id=None,
                  details={"username": name[:64]})
            failure = return_failure
        else:
            wait = backoff_seconds(user.failed_sign_ins)
            if wait and user.last_failed_at and now < user.last_failed_at + timedelta(seconds=wait):
                remaining = int((user.last_failed_at + timedelta(seconds=wait) - now).total_seconds()) + 1
                failure = TooManyAttempts(
                    f"Too many failed attempts. Please wait {remaining} seconds and try again.",
                    retry_after=remaining,
                )
            else:
                try:
                    HASHER.verify(user.password_hash, password)
                except (VerifyMismatchError, VerificationError, InvalidHashError):
                    user.failed_sign_ins += 1
                    user.last_failed_at = now
                    audit(s, actor_id=None, action="auth.sign_in_failed", object_type="user",
                          object_id=user.id, details={"failures": user.failed_sign_ins})
                    failure = SignInFailed(FAILED_MESSAGE)
                else:
                    if HASHER.check_needs_rehash(user.password_hash):
                        user.password_hash = HASHER.hash(password)
                    user.failed_sign_ins = 0
                    user.last_failed_at = None
                    signed = _open_session(s, user, now)
                    audit(s, actor_id=user.id, action="auth.sign_in", object_type="user", object_id=user.id)
                    return signed
    # Raised after the commit so the failure count and its audit row are kept.
    assert failure is not None
    raise failure


def authenticate(db: Database, *, token: str | None, now: datetime | None = None) -> UserView:
    """The user behind a session token. Raises NotSignedIn when missing, ended, expired or deactivated."""
    if not token:
        raise NotSignedIn("Please sign in.")
    now = now or utcnow()
    digest = _token_hash(token)
    with db.read() as s:
        row = s.execute(
            select(SignInSession, User).join(User, User.id == SignInSession.user_id)
            .where(SignInSession.token_hash == digest)
        ).first()
        if row is None:
            raise NotSignedIn("Please sign in.")
        sess, user = row
        if sess.ended_at is not None or sess.expires_at <= now or not user.is_active:
            raise NotSignedIn("Your session has ended. Please sign in again.")
        view = _view(user)
        needs_touch = now - sess.last_seen_at >= SESSION_TOUCH_INTERVAL
    if needs_touch:
        with db.write() as s:
            s.execute(
                update(SignInSession).where(SignInSession.token_hash == digest, SignInSession.ended_at.is_(None))
                .values(last_seen_at=now, expires_at=now + timedelta(hours=config.session_ttl_hours()))
            )
    return view


def sign_out(db: Database, *, token: str | None) -> None:
    """End the session behind ``token`` (no error when it is already gone)."""
    if not token:
        return
    with db.write() as s:
        sess = s.scalar(select(SignInSession).where(SignInSession.token_hash == _token_hash(token)))
        if sess is not None and sess.ended_at is None:
            sess.ended_at = utcnow()
            audit(s, actor_id=sess.user_id, action="auth.sign_out", object_type="user", object_id=sess.user_id)


def change_password(
    db: Database, *, actor_id: int, current_password: str, new_password: str, keep_token: str | None = None
) -> None:
    """Change one's own password; other sessions end. Raises SignInFailed (wrong current password), InvalidInput."""
    _check_password_policy(new_password, relaxed=False)
    with db.write() as s:
        user = actor(s, actor_id)
        try:
            HASHER.verify(user.password_hash or _DUMMY_HASH, current_password or "")
            ok = user.password_hash is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            raise SignInFailed("The current password is not correct.")
        user.password_hash = HASHER.hash(new_password)
        ended = _end_sessions(s, user.id, keep_hash=_token_hash(keep_token) if keep_token else None)
        audit(s, actor_id=user.id, action="user.change_password", object_type="user", object_id=user.id,
              details={"sessions_ended": ended})


def reset_password(db: Database, *, actor_id: Actor, user_id: int, new_password: str) -> None:
    """Set another person's password (system administrators, command line); their sessions end."""
    with db.write() as s:
        require_system_admin(s, actor_id)
        _check_password_policy(new_password, relaxed=isinstance(actor_id, _System))
        user = get(s, User, user_id, "User", lock=True)
        user.password_hash = HASHER.hash(new_password)
        user.failed_sign_ins = 0
        user.last_failed_at = None
        _end_sessions(s, user.id)
        audit(s, actor_id=actor_ref(actor_id), action="user.reset_password", object_type="user", object_id=user.id)


def create_invitation(
    db: Database,
    *,
    actor_id: int,
    roundtable_id: int,
    role: str = Role.EXPERT,
    display_name: str = "",
    email: str | None = None,
    organisation: str = "",
    days: int = INVITATION_DAYS,
    now: datetime | None = None,
) -> InvitationCreated:
    """Invite someone into a roundtable with a single-use token (roundtable admins). Raises PermissionDenied, InvalidInput."""
    now = now or utcnow()
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput(f"Unknown role '{role}'.", field="role") from None
    if not 1 <= days <= 90:
        raise InvalidInput("An invitation lasts between 1 and 90 days.", field="days")
    with db.write() as s:
        user = actor(s, actor_id)
        deny_unless(member_role(s, user, roundtable_id) == Role.ADMIN, "Only roundtable administrators can invite people.")
        get(s, Roundtable, roundtable_id, "Roundtable")
        token = secrets.token_urlsafe(32)
        inv = Invitation(
            roundtable_id=roundtable_id, role=role_value.value, organisation=(organisation or "").strip()[:200],
            email=_normalise_email(email), display_name=(display_name or "").strip()[:200],
            token_hash=_token_hash(token), created_by=user.id, created_at=now, expires_at=now + timedelta(days=days),
        )
        s.add(inv)
        s.flush()
        audit(s, actor_id=user.id, roundtable_id=roundtable_id, action="invitation.create", object_type="invitation",
              object_id=inv.id, details={"role": role_value.value, "email": inv.email})
        return InvitationCreated(id=inv.id, token=token, expires_at=inv.expires_at)


def describe_invitation(db: Database, *, token: str, now: datetime | None = None) -> dict[str, str]:
    """What an invitation offers (for the page that accepts it). Raises NotFound when unusable."""
    now = now or utcnow()
    with db.read() as s:
        inv = s.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token or "")))
        if inv is None or inv.used_at or inv.revoked_at or inv.expires_at <= now:
            raise NotFound("This invitation link is not valid any more. Ask the organisers for a new one.")
        rt = s.get(Roundtable, inv.roundtable_id)
        return {"role": inv.role, "display_name": inv.display_name, "email": inv.email or "",
                "roundtable": (rt.title.get("en") or next(iter(rt.title.values()), "")) if rt else ""}


def accept_invitation(
    db: Database, *, token: str, username: str, password: str, display_name: str | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """Create the account and membership an invitation offers and sign in; the token then stops working."""
    now = now or utcnow()
    with db.write() as s:
        inv = s.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token or "")).with_for_update())
        if inv is None or inv.used_at or inv.revoked_at or inv.expires_at <= now:
            raise NotFound("This invitation link is not valid any more. Ask the organisers for a new one.")
        user = _insert_user(
            s, username=username, display_name=display_name or inv.display_name, email=inv.email,
            password=password, relaxed_password=False,
        )
        # Single use even under a race: only one transaction flips used_at from NULL.
        claimed = s.execute(
            update(Invitation).where(Invitation.id == inv.id, Invitation.used_at.is_(None))
            .values(used_at=now, used_by=user.id)
        ).rowcount
        if claimed != 1:
            raise NotFound("This invitation link is not valid any more. Ask the organisers for a new one.")
        s.add(Membership(roundtable_id=inv.roundtable_id, user_id=user.id, role=inv.role,
                         organisation=inv.organisation, group=inv.organisation, consent_named=False))
        audit(s, actor_id=user.id, roundtable_id=inv.roundtable_id, action="invitation.accept",
              object_type="invitation", object_id=inv.id, details={"user_id": user.id, "role": inv.role})
        signed = _open_session(s, user, now)
        audit(s, actor_id=user.id, action="auth.sign_in", object_type="user", object_id=user.id)
        return signed


def count_active_sessions(db: Database, *, user_id: int, now: datetime | None = None) -> int:
    """Open, unexpired sessions of a user (for the admin page and tests)."""
    now = now or utcnow()
    with db.read() as s:
        return s.scalar(
            select(func.count()).select_from(SignInSession).where(
                SignInSession.user_id == user_id, SignInSession.ended_at.is_(None), SignInSession.expires_at > now
            )
        ) or 0


__all__ = [
    "SYSTEM", "HASHER", "backoff_seconds", "create_user", "get_user", "find_user", "find_user_by_email",
    "list_users", "set_active", "sign_in", "authenticate", "sign_out", "change_password", "reset_password",
    "create_invitation", "describe_invitation", "accept_invitation", "count_active_sessions", "normalise_username",
]
