"""Accounts: users, passwords (argon2id), sign-in sessions, invitations, back-off."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, cast

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from recdraft import config
from recdraft.db.engine import Database
from recdraft.db.models import (
    BrowserClaim,
    Invitation,
    Membership,
    Roundtable,
    SignInFailure,
    SignInSession,
    User,
    utcnow,
)
from recdraft.domain.policy import Action
from recdraft.domain.roles import Phase, Role
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
from recdraft.services import notifications
from recdraft.services._base import (
    SYSTEM,
    Actor,
    _System,
    actor,
    actor_ref,
    audit,
    get,
    require,
    require_system_admin,
)

# OWASP Password Storage Cheat Sheet, argon2id minimum: m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)

# Every argon2 hash and verification runs on these two threads (one per core of the reference server).
# Why: each one allocates 19 MiB; glibc keeps that memory in the malloc arena of the thread that hashed,
# and each browser session's page script runs in a thread of its own (up to 8 arenas per core), so
# hashing where the sign-in happened kept ~7 MiB more resident per signed-in session, never returned.
# Two fixed threads hold at most two such buffers, whatever the number of sessions (bench/memory.py).
# The argon2 C code releases the GIL, so the caller only waits for its own hash.
_ARGON2 = ThreadPoolExecutor(max_workers=2, thread_name_prefix="recdraft-argon2")


def _hash(password: str) -> str:
    """argon2id hash of ``password`` with the current ``HASHER``, computed on the argon2 threads."""
    return _ARGON2.submit(lambda: HASHER.hash(password)).result()


def _check(password_hash: str, password: str) -> bool:
    """``HASHER.verify`` on the argon2 threads (raises as it does)."""
    return _ARGON2.submit(lambda: HASHER.verify(password_hash, password)).result()


MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1_024
INVITATION_DAYS = 14
# A sliding session is extended at most once per interval so page runs do not all write.
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)

# Sign-in throttling (OWASP ASVS 5 V6.1.1, V6.3.1, V6.3.8; the reasons are in tests/security/README.md).
# Failures are counted per (user name, source), per source and per user name; each count has free attempts,
# then a doubling wait from its last failure, capped. The per-name count over all sources is capped at
# seconds, so people elsewhere can slow an account down but never keep its owner out.
FREE_ATTEMPTS = 5
MAX_BACKOFF_SECONDS = 15 * 60
PAIR_WINDOW = timedelta(hours=24)
SOURCE_FREE_ATTEMPTS = 100
SOURCE_WINDOW = timedelta(hours=1)
ACCOUNT_FREE_ATTEMPTS = 50
ACCOUNT_WINDOW = timedelta(hours=1)
ACCOUNT_MAX_BACKOFF_SECONDS = 30
# The failure record is bounded: at most this many rows, none older than the longest window.
FAILURE_ROWS_CAP = 10_000
UNKNOWN_SOURCE = "unknown"

FAILED_MESSAGE = "svc.sign_in_failed"  # one message for an unknown name and a wrong password

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_username(username: str) -> str:
    """Lower-case, trimmed user name; raise InvalidInput unless 2–64 of a-z 0-9 . _ -."""
    value = (username or "").strip().lower()
    if not 2 <= len(value) <= 64 or not set(value) <= USERNAME_CHARS:
        raise InvalidInput("svc.username_rule", field="username")
    return value


def check_password_policy(password: str, *, relaxed: bool = False) -> None:
    """Raise InvalidInput unless ``password`` meets the policy (``relaxed``: no minimum length, for accounts the
    command line creates with a temporary password). The Admin page, sign-up and the command line share it."""
    if not isinstance(password, str) or not password.strip():
        raise InvalidInput("svc.password_empty", field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput("svc.accounts.password_too_long", max_password_length=MAX_PASSWORD_LENGTH, field="password")
    if not relaxed and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("svc.accounts.password_too_short", min_password_length=MIN_PASSWORD_LENGTH, field="password")


def _wait(failures: int, free: int, cap: int) -> int:
    if failures < free:
        return 0
    return min(2 ** (failures - free + 1), cap)


def backoff_seconds(failures: int) -> int:
    """Seconds to wait after ``failures`` failures for one name from one source: 0 for the first five,
    then doubling to 15 min. Capped so that nobody is locked out for good."""
    return _wait(failures, FREE_ATTEMPTS, MAX_BACKOFF_SECONDS)


def name_key(username: str) -> str:
    """A 16-bit fingerprint of a typed user name: enough to count failures per name, useless to read one back.

    65 536 buckets: a password typed into the name field cannot be recovered from it (every guess list has
    thousands of candidates per bucket). Existing and unknown names are keyed the same way, so throttling
    behaves the same for both (no enumeration).
    """
    digest = hashlib.sha256(b"recdraft sign-in throttle\0" + (username or "").encode("utf-8", "replace"))
    return digest.hexdigest()[:4]


def _source(source: str | None) -> str:
    value = (source or "").strip()[:64]
    return value or UNKNOWN_SOURCE


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
        raise InvalidInput("svc.email_invalid", field="email")
    return value


def _insert_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    email: str | None,
    password: str | None,
    relaxed_password: bool,
    is_system_admin: bool = False,
) -> User:
    data = parse(UserCreate, username=normalise_username(username), display_name=display_name, email=email)
    email_value = _normalise_email(data.email)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise InvalidInput("svc.accounts.username_taken", username=data.username, field="username")
    if email_value and session.scalar(select(User.id).where(User.email == email_value)) is not None:
        raise InvalidInput("svc.email_taken", field="email")
    password_hash = None
    if password is not None:
        check_password_policy(password, relaxed=relaxed_password)
        password_hash = _hash(password)
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
            s,
            username=username,
            display_name=display_name,
            email=email,
            password=password,
            relaxed_password=isinstance(actor_id, _System),
            is_system_admin=is_system_admin,
        )
        audit(
            s,
            actor_id=actor_ref(actor_id),
            action="user.create",
            object_type="user",
            object_id=user.id,
            details={"username": user.username, "system_admin": is_system_admin},
        )
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
            raise NotFound("svc.accounts.no_such_user", username=username)
        return _view(user)


def find_user_by_email(db: Database, *, email: str) -> UserView:
    """The active user with this e-mail address (single sign-on). Raises NotFound."""
    with db.read() as s:
        user = s.scalar(select(User).where(User.email == (email or "").strip().lower(), User.is_active))
        if user is None:
            raise NotFound("svc.accounts.no_account_for_email")
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
    return cast("CursorResult[Any]", session.execute(stmt.values(ended_at=utcnow()))).rowcount


def set_active(db: Database, *, actor_id: Actor, user_id: int, active: bool) -> UserView:
    """Deactivate (ending every session at once) or reactivate an account. Raises PermissionDenied, NotFound."""
    with db.write() as s:
        admin = require_system_admin(s, actor_id)
        user = get(s, User, user_id, "User", lock=True)
        if admin is not None and admin.id == user.id and not active:
            raise PermissionDenied("svc.cannot_deactivate_self")
        user.is_active = active
        ended = 0 if active else _end_sessions(s, user.id)
        audit(
            s,
            actor_id=actor_ref(actor_id),
            action="user.activate" if active else "user.deactivate",
            object_type="user",
            object_id=user.id,
            details={"sessions_ended": ended},
        )
        return _view(user)


def _session_end(created_at: datetime, now: datetime) -> datetime:
    """Sliding expiry (``session_ttl_hours`` after the last use), never past the absolute lifetime."""
    return min(
        now + timedelta(hours=config.session_ttl_hours()), created_at + timedelta(days=config.session_max_days())
    )


def _open_session(session: Session, user: User, now: datetime) -> SignedIn:
    token = secrets.token_urlsafe(32)
    expires = _session_end(now, now)
    session.add(
        SignInSession(
            user_id=user.id, token_hash=_token_hash(token), created_at=now, expires_at=expires, last_seen_at=now
        )
    )
    return SignedIn(user=_view(user), token=token, expires_at=expires)


_DUMMY_HASHES: dict[tuple[object, ...], str] = {}


def _dummy_hash() -> str:
    """A hash made with the current hasher's parameters, so verifying against it costs the same as a real one."""
    key = (HASHER.time_cost, HASHER.memory_cost, HASHER.parallelism, HASHER.hash_len, HASHER.salt_len, HASHER.type)
    cached = _DUMMY_HASHES.get(key)
    if cached is None:
        cached = _hash(secrets.token_urlsafe(16))
        _DUMMY_HASHES[key] = cached
    return cached


_dummy_hash()  # made at import, so that the first unknown name does not cost an extra hash


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _check(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _throttle_wait(s: Session, key: str, source: str, now: datetime) -> int:
    """Seconds this (name, source) must still wait, the longest of the three counts; 0 when free to try."""
    waits = [0]
    for where, window, free, cap in (
        (
            (SignInFailure.name_key == key, SignInFailure.source == source),
            PAIR_WINDOW,
            FREE_ATTEMPTS,
            MAX_BACKOFF_SECONDS,
        ),
        ((SignInFailure.source == source,), SOURCE_WINDOW, SOURCE_FREE_ATTEMPTS, MAX_BACKOFF_SECONDS),
        ((SignInFailure.name_key == key,), ACCOUNT_WINDOW, ACCOUNT_FREE_ATTEMPTS, ACCOUNT_MAX_BACKOFF_SECONDS),
    ):
        count, last = s.execute(
            select(func.count(), func.max(SignInFailure.at)).where(*where, SignInFailure.at > now - window)
        ).one()
        wait = _wait(count or 0, free, cap)
        if wait and last is not None and now < last + timedelta(seconds=wait):
            waits.append(int((last + timedelta(seconds=wait) - now).total_seconds()) + 1)
    return max(waits)


def _record_failure(s: Session, key: str, source: str, now: datetime) -> None:
    """Keep one failure row; drop rows past the longest window and beyond the cap (oldest first)."""
    row = SignInFailure(at=now, name_key=key, source=source)
    s.add(row)
    s.flush()
    s.execute(
        delete(SignInFailure).where(
            or_(SignInFailure.at <= now - PAIR_WINDOW, SignInFailure.id <= row.id - FAILURE_ROWS_CAP)
        )
    )


def sign_in(
    db: Database, *, username: str, password: str, source: str | None = None, now: datetime | None = None
) -> SignedIn:
    """Check the password and open a session. Raises SignInFailed, TooManyAttempts.

    ``source`` is the client address the app saw (``None``: unknown). Unknown names, inactive accounts,
    wrong passwords and throttled attempts all do one argon2 verification of the same cost, outside any
    write transaction, and answer alike whether the name exists or not.
    """
    now = now or utcnow()
    name = (username or "").strip().lower()
    # Longer than any password the policy accepts: cut, so a huge paste costs no more than a long one.
    password = password[:MAX_PASSWORD_LENGTH] if isinstance(password, str) else ""
    key, src = name_key(name), _source(source)
    with db.read() as s:
        wait = _throttle_wait(s, key, src, now)
        row = s.execute(select(User.id, User.password_hash, User.is_active).where(User.username == name)).first()
    stored = row.password_hash if row is not None and row.is_active and not wait else None
    ok = _verify(stored, password)
    if wait:
        remaining = wait
        raise TooManyAttempts("svc.accounts.too_many_attempts", remaining=remaining, retry_after=remaining)
    if ok:
        assert row is not None and stored is not None
        new_hash = _hash(password) if HASHER.check_needs_rehash(stored) else None
        with db.write() as s:
            user = s.scalar(select(User).where(User.id == row.id).with_for_update())
            # The password was checked outside this transaction: it must still be the one checked.
            if user is not None and user.is_active and user.password_hash == stored:
                if new_hash:
                    user.password_hash = new_hash
                user.failed_sign_ins = 0
                user.last_failed_at = None
                s.execute(delete(SignInFailure).where(SignInFailure.name_key == key, SignInFailure.source == src))
                signed = _open_session(s, user, now)
                audit(s, actor_id=user.id, action="auth.sign_in", object_type="user", object_id=user.id)
                return signed
    # A bounded, redacted record (no audit row, no typed name): see SignInFailure.
    with db.write() as s:
        _record_failure(s, key, src, now)
        if row is not None:
            s.execute(
                update(User)
                .where(User.id == row.id)
                .values(failed_sign_ins=User.failed_sign_ins + 1, last_failed_at=now)
            )
    raise SignInFailed(FAILED_MESSAGE)


def authenticate(db: Database, *, token: str | None, now: datetime | None = None) -> UserView:
    """The user behind a session token. Raises NotSignedIn when missing, ended, expired or deactivated."""
    if not token:
        raise NotSignedIn("svc.please_sign_in")
    now = now or utcnow()
    digest = _token_hash(token)
    with db.read() as s:
        row = s.execute(
            select(SignInSession, User)
            .join(User, User.id == SignInSession.user_id)
            .where(SignInSession.token_hash == digest)
        ).first()
        if row is None:
            raise NotSignedIn("svc.please_sign_in")
        sess, user = row
        too_old = now >= sess.created_at + timedelta(days=config.session_max_days())
        if sess.ended_at is not None or sess.expires_at <= now or too_old or not user.is_active:
            raise NotSignedIn("svc.session_ended")
        view = _view(user)
        needs_touch = now - sess.last_seen_at >= SESSION_TOUCH_INTERVAL
        created = sess.created_at
    if needs_touch:
        with db.write() as s:
            s.execute(
                update(SignInSession)
                .where(SignInSession.token_hash == digest, SignInSession.ended_at.is_(None))
                .values(last_seen_at=now, expires_at=_session_end(created, now))
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


# --- browser claims: how a browser gets (or loses) its HttpOnly session cookie ---------------------------

CLAIM_SECONDS = 120
CLAIM_PURPOSES = ("sign_in", "sign_out")
CLAIM_INVALID = "svc.security.claim_invalid"


def _seal(token: str, code: str) -> str:
    """``token`` XOR a keystream derived from the single-use ``code`` (hex); the same call unseals."""
    data = token.encode("ascii")
    stream = hashlib.shake_256(b"recdraft claim seal\0" + code.encode("ascii")).digest(len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True)).hex()


def _unseal(sealed: str, code: str) -> str:
    data = bytes.fromhex(sealed)
    stream = hashlib.shake_256(b"recdraft claim seal\0" + code.encode("ascii")).digest(len(data))
    return bytes(a ^ b for a, b in zip(data, stream, strict=True)).decode("ascii")


def issue_claim(
    db: Database, *, browser: str, purpose: str = "sign_in", token: str | None = None, now: datetime | None = None
) -> str:
    """A single-use code, valid ``CLAIM_SECONDS``, that only ``browser`` (its pre-session cookie) can redeem.

    ``sign_in`` codes stand for the live session ``token``; ``sign_out`` codes for deleting the cookie.
    Raises InvalidInput (no browser, unknown purpose), NotSignedIn (the session is not live).
    """
    now = now or utcnow()
    if not browser:
        raise InvalidInput("svc.security.no_browser_id", field="browser")
    if purpose not in CLAIM_PURPOSES:
        raise InvalidInput("svc.security.unknown_claim_purpose", purpose=purpose, field="purpose")
    if purpose == "sign_in":
        authenticate(db, token=token, now=now)
    code = secrets.token_urlsafe(24)
    with db.write() as s:
        s.execute(delete(BrowserClaim).where(BrowserClaim.expires_at <= now))
        s.add(
            BrowserClaim(
                code_hash=_token_hash(code),
                purpose=purpose,
                browser_hash=_token_hash(browser),
                sealed_token=_seal(token, code) if purpose == "sign_in" and token else "",
                created_at=now,
                expires_at=now + timedelta(seconds=CLAIM_SECONDS),
            )
        )
    return code


def claim_pending(db: Database, *, code: str, now: datetime | None = None) -> bool:
    """Whether ``code`` can still be redeemed (by its browser)."""
    now = now or utcnow()
    with db.read() as s:
        return (
            s.scalar(
                select(BrowserClaim.id).where(
                    BrowserClaim.code_hash == _token_hash(code or ""), BrowserClaim.expires_at > now
                )
            )
            is not None
        )


def redeem_claim(
    db: Database, *, code: str, browser: str | None, purpose: str = "sign_in", now: datetime | None = None
) -> str:
    """Use ``code`` once: the session token it stands for (``""`` for ``sign_out``).

    Raises NotFound when the code is unknown, used, expired, of another purpose or issued to another browser;
    a code shown to the wrong browser stays usable by its own.
    """
    now = now or utcnow()
    with db.write() as s:
        claim = s.scalar(
            select(BrowserClaim).where(BrowserClaim.code_hash == _token_hash(code or "")).with_for_update()
        )
        if (
            claim is None
            or claim.expires_at <= now
            or claim.purpose != purpose
            or not browser
            or not hmac.compare_digest(claim.browser_hash, _token_hash(browser))
        ):
            raise NotFound(CLAIM_INVALID)
        # Single use even under a race: only one transaction deletes the row.
        if cast("CursorResult[Any]", s.execute(delete(BrowserClaim).where(BrowserClaim.id == claim.id))).rowcount != 1:
            raise NotFound(CLAIM_INVALID)
        return _unseal(claim.sealed_token, code) if claim.sealed_token else ""


def change_password(
    db: Database, *, actor_id: Actor, current_password: str, new_password: str, keep_token: str | None = None
) -> None:
    """Change one's own password; other sessions end. Raises SignInFailed (wrong current password), InvalidInput."""
    check_password_policy(new_password, relaxed=False)
    with db.write() as s:
        user = actor(s, actor_ref(actor_id))  # one's own password: the command line resets, it does not change
        try:
            _check(user.password_hash or _dummy_hash(), current_password or "")
            ok = user.password_hash is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            raise SignInFailed("svc.current_password_wrong")
        user.password_hash = _hash(new_password)
        ended = _end_sessions(s, user.id, keep_hash=_token_hash(keep_token) if keep_token else None)
        audit(
            s,
            actor_id=user.id,
            action="user.change_password",
            object_type="user",
            object_id=user.id,
            details={"sessions_ended": ended},
        )


def reset_password(db: Database, *, actor_id: Actor, user_id: int, new_password: str) -> None:
    """Set another person's password (system administrators, command line); their sessions end."""
    with db.write() as s:
        require_system_admin(s, actor_id)
        check_password_policy(new_password, relaxed=isinstance(actor_id, _System))
        user = get(s, User, user_id, "User", lock=True)
        user.password_hash = _hash(new_password)
        user.failed_sign_ins = 0
        user.last_failed_at = None
        _end_sessions(s, user.id)
        audit(s, actor_id=actor_ref(actor_id), action="user.reset_password", object_type="user", object_id=user.id)


def create_invitation(
    db: Database,
    *,
    actor_id: Actor,
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
        raise InvalidInput("svc.accounts.unknown_role", role=role, field="role") from None
    if not 1 <= days <= 90:
        raise InvalidInput("svc.invitation_days", field="days")
    with db.write() as s:
        # Inviting is configuring: not in an archive (domain.policy), like the participants page's invitations.
        require(s, actor_id, Action.CONFIGURE, roundtable_id)
        user = actor(s, actor_ref(actor_id))  # an invitation names who invited: a person, not the command line
        token = secrets.token_urlsafe(32)
        inv = Invitation(
            roundtable_id=roundtable_id,
            role=role_value.value,
            organisation=(organisation or "").strip()[:200],
            email=_normalise_email(email),
            display_name=(display_name or "").strip()[:200],
            token_hash=_token_hash(token),
            created_by=user.id,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        s.add(inv)
        s.flush()
        audit(
            s,
            actor_id=user.id,
            roundtable_id=roundtable_id,
            action="invitation.create",
            object_type="invitation",
            object_id=inv.id,
            details={"role": role_value.value, "email": inv.email},
        )
        notifications.on_invitation_row(s, inv, token)
        return InvitationCreated(id=inv.id, token=token, expires_at=inv.expires_at)


def describe_invitation(db: Database, *, token: str, now: datetime | None = None) -> dict[str, str]:
    """What an invitation offers (for the page that accepts it). Raises NotFound when unusable."""
    now = now or utcnow()
    with db.read() as s:
        inv = s.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token or "")))
        if inv is None or inv.used_at or inv.revoked_at or inv.expires_at <= now:
            raise NotFound("svc.invitation_invalid")
        rt = s.get(Roundtable, inv.roundtable_id)
        return {
            "role": inv.role,
            "display_name": inv.display_name,
            "email": inv.email or "",
            "roundtable": (rt.title.get("en") or next(iter(rt.title.values()), "")) if rt else "",
        }


def accept_invitation(
    db: Database,
    *,
    token: str,
    username: str,
    password: str,
    display_name: str | None = None,
    now: datetime | None = None,
) -> SignedIn:
    """Create the account and membership an invitation offers and sign in; the token then stops working."""
    now = now or utcnow()
    with db.write() as s:
        inv = s.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token or "")).with_for_update())
        if inv is None or inv.used_at or inv.revoked_at or inv.expires_at <= now:
            raise NotFound("svc.invitation_invalid")
        # An archived roundtable takes nobody new, even with a link made before it was archived.
        if s.scalar(select(Roundtable.phase).where(Roundtable.id == inv.roundtable_id)) == Phase.ARCHIVED.value:
            raise NotFound("svc.invitation_invalid")
        user = _insert_user(
            s,
            username=username,
            display_name=display_name or inv.display_name,
            email=inv.email,
            password=password,
            relaxed_password=False,
        )
        # Single use even under a race: only one transaction flips used_at from NULL.
        claimed = cast(
            "CursorResult[Any]",
            s.execute(
                update(Invitation)
                .where(Invitation.id == inv.id, Invitation.used_at.is_(None))
                .values(used_at=now, used_by=user.id)
            ),
        ).rowcount
        if claimed != 1:
            raise NotFound("svc.invitation_invalid")
        # What the organisers recorded (consent to be named, language) applies from the first sign-in.
        if inv.language and not user.preferred_language:
            user.preferred_language = inv.language
        s.add(
            Membership(
                roundtable_id=inv.roundtable_id,
                user_id=user.id,
                role=inv.role,
                organisation=inv.organisation,
                group=inv.organisation,
                consent_named=bool(inv.consent_named),
            )
        )
        audit(
            s,
            actor_id=user.id,
            roundtable_id=inv.roundtable_id,
            action="invitation.accept",
            object_type="invitation",
            object_id=inv.id,
            details={"user_id": user.id, "role": inv.role},
        )
        signed = _open_session(s, user, now)
        audit(s, actor_id=user.id, action="auth.sign_in", object_type="user", object_id=user.id)
        return signed


def set_organiser(db: Database, *, actor_id: Actor, user_id: int, organiser: bool) -> UserView:
    """Let an account create roundtables, or stop it (system administrators, the command line)."""
    if not isinstance(organiser, bool):
        raise InvalidInput("svc.setup.organiser_yes_no", field="organiser")
    with db.write() as s:
        require_system_admin(s, actor_id)
        user = get(s, User, user_id, "User", lock=True)
        user.is_organiser = organiser
        audit(
            s,
            actor_id=actor_ref(actor_id),
            action="user.organiser",
            object_type="user",
            object_id=user.id,
            details={"organiser": organiser},
        )
        return _view(user)


def count_active_sessions(db: Database, *, user_id: int, now: datetime | None = None) -> int:
    """Open, unexpired sessions of a user (for the admin page and tests)."""
    now = now or utcnow()
    with db.read() as s:
        return (
            s.scalar(
                select(func.count())
                .select_from(SignInSession)
                .where(
                    SignInSession.user_id == user_id, SignInSession.ended_at.is_(None), SignInSession.expires_at > now
                )
            )
            or 0
        )


__all__ = [
    "SYSTEM",
    "HASHER",
    "backoff_seconds",
    "create_user",
    "get_user",
    "find_user",
    "find_user_by_email",
    "list_users",
    "set_active",
    "sign_in",
    "authenticate",
    "sign_out",
    "change_password",
    "reset_password",
    "create_invitation",
    "describe_invitation",
    "accept_invitation",
    "count_active_sessions",
    "normalise_username",
    "set_organiser",
    "check_password_policy",
]
