"""Sign-in throttling (issue 11 items 1, 2, 5): by account AND source, no enumeration, argon2 outside the
write lock, a bounded and redacted record of failures. Service tests on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import func, select

from recdraft.db.models import AuditEvent, SignInFailure, utcnow
from recdraft.errors import SignInFailed, TooManyAttempts
from recdraft.services import accounts, backup
from recdraft.services._base import SYSTEM
from tests.factories import PASSWORD, make_user

ATTACKER = "203.0.113.66"
OWNER_AT_HOME = "198.51.100.20"


def _attempt(db, username: str, password: str, source: str, at) -> tuple[str, str, int | None]:
    """What a person sees: the kind of answer, its text and the wait."""
    try:
        accounts.sign_in(db, username=username, password=password, source=source, now=at)
    except TooManyAttempts as exc:
        return "TooManyAttempts", str(exc), exc.retry_after
    except SignInFailed as exc:
        return "SignInFailed", str(exc), None
    return "signed in", "", None


def test_a_correct_password_from_a_new_source_is_not_held_up_by_someone_elses_failures(db):
    """The probe's attack: failures at ~4 an hour for 6 hours kept the owner out 52 times of 52."""
    make_user(db, "alice")
    start = utcnow()
    for i in range(23):  # enough to reach the 15-minute cap under a per-account back-off
        _attempt(db, "alice", "guess", ATTACKER, start + timedelta(seconds=i))
    for hour in range(6):
        for quarter in range(4):
            at = start + timedelta(hours=hour, minutes=15 * quarter, seconds=30)
            _attempt(db, "alice", "guess", ATTACKER, at)
            assert _attempt(db, "alice", PASSWORD, OWNER_AT_HOME, at + timedelta(seconds=5))[0] == "signed in"


def test_failures_from_one_source_slow_down_that_source_only_and_expire(db):
    make_user(db, "alice")
    start = utcnow()
    for i in range(accounts.FREE_ATTEMPTS):
        assert _attempt(db, "alice", "guess", ATTACKER, start + timedelta(seconds=i))[0] == "SignInFailed"
    kind, _, wait = _attempt(db, "alice", PASSWORD, ATTACKER, start + timedelta(seconds=5))
    assert kind == "TooManyAttempts" and 0 < wait <= accounts.MAX_BACKOFF_SECONDS
    later = start + timedelta(seconds=5 + accounts.MAX_BACKOFF_SECONDS + 1)
    assert _attempt(db, "alice", PASSWORD, ATTACKER, later)[0] == "signed in"


def test_a_source_spraying_many_names_is_slowed_down_for_every_name(db):
    make_user(db, "alice")
    start = utcnow()
    for i in range(accounts.SOURCE_FREE_ATTEMPTS):
        _attempt(db, f"name{i}", "guess", ATTACKER, start + timedelta(seconds=i))
    at = start + timedelta(seconds=accounts.SOURCE_FREE_ATTEMPTS)
    assert _attempt(db, "alice", PASSWORD, ATTACKER, at)[0] == "TooManyAttempts"
    assert _attempt(db, "alice", PASSWORD, OWNER_AT_HOME, at)[0] == "signed in"


def test_failures_from_many_sources_slow_an_account_by_seconds_never_for_hours(db):
    """A distributed guesser is slowed down; the owner waits half a minute at most."""
    make_user(db, "alice")
    start = utcnow()
    for i in range(200):
        _attempt(db, "alice", "guess", f"10.0.{i // 250}.{i % 250}", start + timedelta(seconds=i))
    last = start + timedelta(seconds=199)
    kind, _, wait = _attempt(db, "alice", PASSWORD, OWNER_AT_HOME, last + timedelta(seconds=1))
    assert kind == "TooManyAttempts" and wait <= accounts.ACCOUNT_MAX_BACKOFF_SECONDS
    after = last + timedelta(seconds=accounts.ACCOUNT_MAX_BACKOFF_SECONDS + 1)
    assert _attempt(db, "alice", PASSWORD, OWNER_AT_HOME, after)[0] == "signed in"


def test_unknown_and_existing_names_get_the_same_answers_throttled_or_not(db):
    """After 5 failures an existing name used to answer "Too many failed attempts", an unknown one "not correct"."""
    make_user(db, "alice")
    start = utcnow()
    answers = {}
    for name in ("alice", "nobody"):
        answers[name] = [_attempt(db, name, "guess", ATTACKER, start + timedelta(milliseconds=i)) for i in range(8)]
    assert answers["alice"] == answers["nobody"]
    assert [kind for kind, _, _ in answers["alice"]] == ["SignInFailed"] * 5 + ["TooManyAttempts"] * 3


class CountingHasher(PasswordHasher):
    """The test's hasher: records the parameters of every hash it verifies against."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        self.verified.append(str(hash).split("$")[3])
        return super().verify(hash, password)


def test_every_kind_of_attempt_does_one_argon2_verification_of_the_same_cost(db, monkeypatch):
    hasher = CountingHasher()
    monkeypatch.setattr(accounts, "HASHER", hasher)
    make_user(db, "alice")
    make_user(db, "gone")
    accounts.set_active(db, actor_id=SYSTEM, user_id=accounts.find_user(db, username="gone").id, active=False)
    start = utcnow()
    kinds = []
    for i, (name, password) in enumerate([("nobody", "x"), ("gone", PASSWORD), ("alice", "wrong")] * 7):
        before = len(hasher.verified)
        kinds.append(_attempt(db, name, password, ATTACKER, start + timedelta(milliseconds=i))[0])
        assert len(hasher.verified) == before + 1, f"{name}: one verification per attempt"
    assert "TooManyAttempts" in kinds and "SignInFailed" in kinds
    assert set(hasher.verified) == {"m=64,t=1,p=1"}, "dummy and real hashes cost the same"


def test_argon2_runs_while_nobody_holds_the_sqlite_write_lock(sqlite_db, monkeypatch):
    """Two threads of failed sign-ins used to push post_comment from 4 ms to 118 ms."""
    path = sqlite_db.engine.url.database
    lock_free: list[bool] = []

    class Probe(PasswordHasher):
        def verify(self, hash, password):  # noqa: A002
            other = sqlite3.connect(path, timeout=0)
            try:
                other.execute("BEGIN IMMEDIATE")
                other.execute("ROLLBACK")
                lock_free.append(True)
            except sqlite3.OperationalError:
                lock_free.append(False)
            finally:
                other.close()
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "HASHER", Probe(time_cost=1, memory_cost=64, parallelism=1))
    make_user(sqlite_db, "alice")
    for password in ("wrong", PASSWORD):
        _attempt(sqlite_db, "alice", password, ATTACKER, utcnow())
    _attempt(sqlite_db, "nobody", "x", ATTACKER, utcnow())
    assert lock_free == [True, True, True]


def test_failed_sign_ins_keep_no_typed_name_and_no_audit_rows(db):
    """A password typed into the name field must not end up in the audit log or in backups."""
    make_user(db, "alice")
    typed = "Correct-Horse-Battery-9"
    with db.read() as s:
        audit_before = s.scalar(select(func.count()).select_from(AuditEvent))
    for _ in range(3):
        _attempt(db, typed, "x", ATTACKER, utcnow())
    _attempt(db, "alice", "wrong", ATTACKER, utcnow())
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == audit_before
        keys = s.scalars(select(SignInFailure.name_key)).all()
    assert len(keys) == 4 and all(len(k) == 4 for k in keys)
    dump = backup.backup(db, actor_id=SYSTEM).decode("utf-8")
    assert typed not in dump and typed.lower() not in dump


def test_the_record_of_failures_is_bounded(db, monkeypatch):
    monkeypatch.setattr(accounts, "FAILURE_ROWS_CAP", 20)
    start = utcnow()
    for i in range(35):
        _attempt(db, f"name{i}", "x", f"10.1.0.{i}", start + timedelta(seconds=i))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SignInFailure)) <= 20
    # Rows older than the longest window go at the next failure.
    _attempt(db, "someone", "x", ATTACKER, start + accounts.PAIR_WINDOW + timedelta(minutes=1))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(SignInFailure)) == 1


def test_a_success_clears_only_that_sources_failures_for_that_name(db):
    make_user(db, "alice")
    start = utcnow()
    for i in range(4):
        _attempt(db, "alice", "wrong", OWNER_AT_HOME, start + timedelta(seconds=i))
        _attempt(db, "alice", "wrong", ATTACKER, start + timedelta(seconds=i))
    assert _attempt(db, "alice", PASSWORD, OWNER_AT_HOME, start + timedelta(seconds=5))[0] == "signed in"
    with db.read() as s:
        assert set(s.scalars(select(SignInFailure.source))) == {ATTACKER}
