"""Sessions (item 6: an absolute lifetime) and browser claims (item 3, issue 14 item 3): single use,
short-lived, bound to the browser that asked, in the database so any replica can redeem them."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from recdraft.db.engine import Database
from recdraft.db.models import BrowserClaim, utcnow
from recdraft.errors import InvalidInput, NotFound, NotSignedIn
from recdraft.services import accounts
from tests.factories import PASSWORD, make_user


def test_a_session_in_constant_use_still_ends_after_its_absolute_lifetime(db):
    """The probe kept one session alive for 60 days by using it every 11 hours."""
    make_user(db, "alice")
    signed = accounts.sign_in(db, username="alice", password=PASSWORD)
    start = utcnow()
    at = start
    while at < start + timedelta(days=accounts.config.session_max_days()) - timedelta(hours=11):
        at += timedelta(hours=11)
        assert accounts.authenticate(db, token=signed.token, now=at).username == "alice"
    with pytest.raises(NotSignedIn):
        accounts.authenticate(db, token=signed.token, now=start + timedelta(days=7, minutes=1))


def test_the_absolute_lifetime_is_a_setting(db, monkeypatch):
    monkeypatch.setenv("RECDRAFT_SESSION_MAX_DAYS", "1")
    make_user(db, "alice")
    signed = accounts.sign_in(db, username="alice", password=PASSWORD)
    assert signed.expires_at <= utcnow() + timedelta(days=1)
    with pytest.raises(NotSignedIn):
        accounts.authenticate(db, token=signed.token, now=utcnow() + timedelta(hours=24, minutes=1))


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1000"])
def test_a_bad_lifetime_setting_is_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("RECDRAFT_SESSION_MAX_DAYS", value)
    with pytest.raises(ValueError, match="RECDRAFT_SESSION_MAX_DAYS"):
        accounts.config.session_max_days()


def _signed(db):
    make_user(db, "alice")
    return accounts.sign_in(db, username="alice", password=PASSWORD)


def test_a_claim_works_once_in_its_own_browser_only(db):
    signed = _signed(db)
    code = accounts.issue_claim(db, browser="browser-A", token=signed.token)
    with pytest.raises(NotFound):
        accounts.redeem_claim(db, code=code, browser="browser-B")
    with pytest.raises(NotFound):
        accounts.redeem_claim(db, code=code, browser=None)
    with pytest.raises(NotFound):
        accounts.redeem_claim(db, code=code, browser="browser-A", purpose="sign_out")
    assert accounts.redeem_claim(db, code=code, browser="browser-A") == signed.token
    with pytest.raises(NotFound):
        accounts.redeem_claim(db, code=code, browser="browser-A")


def test_a_claim_expires_after_two_minutes(db):
    signed = _signed(db)
    now = utcnow()
    code = accounts.issue_claim(db, browser="b", token=signed.token, now=now)
    assert accounts.claim_pending(db, code=code, now=now + timedelta(seconds=119))
    assert not accounts.claim_pending(db, code=code, now=now + timedelta(seconds=121))
    with pytest.raises(NotFound):
        accounts.redeem_claim(db, code=code, browser="b", now=now + timedelta(seconds=121))


def test_claims_are_only_for_live_sessions_and_known_purposes(db):
    signed = _signed(db)
    with pytest.raises(NotSignedIn):
        accounts.issue_claim(db, browser="b", token="not-a-session")
    with pytest.raises(InvalidInput):
        accounts.issue_claim(db, browser="", token=signed.token)
    with pytest.raises(InvalidInput):
        accounts.issue_claim(db, browser="b", purpose="anything", token=signed.token)
    accounts.sign_out(db, token=signed.token)
    with pytest.raises(NotSignedIn):
        accounts.issue_claim(db, browser="b", token=signed.token)


def test_a_claim_issued_by_one_replica_is_redeemed_by_another(db):
    """Two processes on one database: the code no longer lives in one process's memory."""
    signed = _signed(db)
    code = accounts.issue_claim(db, browser="b", token=signed.token)
    other_replica = Database(str(db.engine.url.render_as_string(hide_password=False)))
    try:
        assert accounts.claim_pending(other_replica, code=code)
        assert accounts.redeem_claim(other_replica, code=code, browser="b") == signed.token
    finally:
        other_replica.dispose()


def test_the_database_holds_neither_the_code_nor_the_session_token(db):
    signed = _signed(db)
    code = accounts.issue_claim(db, browser="browser-A", token=signed.token)
    with db.read() as s:
        row = s.execute(select(BrowserClaim.code_hash, BrowserClaim.browser_hash, BrowserClaim.sealed_token)).one()
    stored = " ".join(row)
    for secret in (code, signed.token, "browser-A", signed.token.encode().hex()):
        assert secret not in stored


def test_two_requests_redeeming_one_code_at_once_get_one_cookie(db):
    signed = _signed(db)
    for _ in range(5):
        code = accounts.issue_claim(db, browser="b", token=signed.token)
        results: list[str] = []
        barrier = threading.Barrier(2)

        def redeem(barrier: threading.Barrier = barrier, results: list[str] = results, code: str = code) -> None:
            barrier.wait()
            try:
                results.append(accounts.redeem_claim(db, code=code, browser="b"))
            except NotFound:
                results.append("refused")

        threads = [threading.Thread(target=redeem) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == sorted([signed.token, "refused"])


def test_expired_claims_are_cleared_when_new_ones_are_issued(db):
    signed = _signed(db)
    now = utcnow()
    for i in range(5):
        accounts.issue_claim(db, browser="b", token=signed.token, now=now + timedelta(seconds=i))
    accounts.issue_claim(db, browser="b", token=signed.token, now=now + timedelta(minutes=10))
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(BrowserClaim)) == 1
