"""Accounts: argon2id, sessions, sign-out and deactivation, invitations, back-off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select, update

from recdraft.db.models import User, utcnow
from recdraft.errors import InvalidInput, NotFound, NotSignedIn, PermissionDenied, SignInFailed, TooManyAttempts
from recdraft.services import accounts, roundtables
from recdraft.services._base import SYSTEM
from tests.factories import PASSWORD, make_user, make_world

pytestmark = pytest.mark.real_argon2


def test_passwords_are_stored_as_argon2id_with_owasp_parameters(db):
    uid = make_user(db, "alice")
    with db.read() as s:
        stored = s.get(User, uid).password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PASSWORD not in stored


def test_sign_in_opens_a_session_that_authenticates_until_sign_out(db):
    make_user(db, "alice")
    signed = accounts.sign_in(db, username="Alice ", password=PASSWORD)
    assert accounts.authenticate(db, token=signed.token).username == "alice"
    accounts.sign_out(db, token=signed.token)
    with pytest.raises(NotSignedIn):
        accounts.authenticate(db, token=signed.token)


def test_unknown_user_and_wrong_password_get_the_same_message(db):
    make_user(db, "alice")
    with pytest.raises(SignInFailed) as unknown:
        accounts.sign_in(db, username="nobody", password=PASSWORD)
    with pytest.raises(SignInFailed) as wrong:
        accounts.sign_in(db, username="alice", password="wrong password")
    assert str(unknown.value) == str(wrong.value)


def test_sessions_expire(db):
    make_user(db, "alice")
    signed = accounts.sign_in(db, username="alice", password=PASSWORD)
    with pytest.raises(NotSignedIn):
        accounts.authenticate(db, token=signed.token, now=signed.expires_at + timedelta(seconds=1))


def test_deactivation_ends_every_session_at_once(db):
    uid = make_user(db, "alice")
    tokens = [accounts.sign_in(db, username="alice", password=PASSWORD).token for _ in range(2)]
    accounts.set_active(db, actor_id=SYSTEM, user_id=uid, active=False)
    for token in tokens:
        with pytest.raises(NotSignedIn):
            accounts.authenticate(db, token=token)
    with pytest.raises(SignInFailed):
        accounts.sign_in(db, username="alice", password=PASSWORD)


def test_a_weaker_hash_is_upgraded_on_the_next_sign_in(db):
    uid = make_user(db, "alice")
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID).hash(PASSWORD)
    with db.write() as s:
        s.execute(update(User).where(User.id == uid).values(password_hash=weak))
    accounts.sign_in(db, username="alice", password=PASSWORD)
    with db.read() as s:
        assert s.get(User, uid).password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_back_off_after_five_failures_is_temporary_and_capped(db):
    make_user(db, "alice")
    start = utcnow()
    for i in range(5):
        with pytest.raises(SignInFailed):
            accounts.sign_in(db, username="alice", password="wrong", now=start + timedelta(seconds=i))
    with pytest.raises(TooManyAttempts) as info:
        accounts.sign_in(db, username="alice", password=PASSWORD, now=start + timedelta(seconds=5))
    assert 0 < info.value.retry_after <= accounts.MAX_BACKOFF_SECONDS
    # Even after many more failures the wait never exceeds the cap: nobody is locked out for good.
    assert accounts.backoff_seconds(10_000) == accounts.MAX_BACKOFF_SECONDS
    later = start + timedelta(seconds=5 + accounts.MAX_BACKOFF_SECONDS + 1)
    assert accounts.sign_in(db, username="alice", password=PASSWORD, now=later).user.username == "alice"


def test_change_password_ends_other_sessions_but_keeps_this_one(db):
    uid = make_user(db, "alice")
    here = accounts.sign_in(db, username="alice", password=PASSWORD)
    elsewhere = accounts.sign_in(db, username="alice", password=PASSWORD)
    with pytest.raises(SignInFailed):
        accounts.change_password(db, actor_id=uid, current_password="nope", new_password="a new long password")
    with pytest.raises(InvalidInput, match="at least 8"):
        accounts.change_password(db, actor_id=uid, current_password=PASSWORD, new_password="short")
    accounts.change_password(
        db, actor_id=uid, current_password=PASSWORD, new_password="a new long password", keep_token=here.token
    )
    assert accounts.authenticate(db, token=here.token).id == uid
    with pytest.raises(NotSignedIn):
        accounts.authenticate(db, token=elsewhere.token)
    accounts.sign_in(db, username="alice", password="a new long password")


def test_an_invitation_creates_an_expert_once(db):
    world = make_world(db)
    inv = accounts.create_invitation(
        db,
        actor_id=world["admin"],
        roundtable_id=world.roundtable_id,
        role="expert",
        display_name="Aigerim",
        organisation="ICRC",
    )
    assert accounts.describe_invitation(db, token=inv.token)["role"] == "expert"
    signed = accounts.accept_invitation(db, token=inv.token, username="aigerim", password="a long password")
    members = roundtables.list_members(db, actor_id=signed.user.id, roundtable_id=world.roundtable_id)
    me = next(m for m in members if m.username == "aigerim")
    assert me.role == "expert" and me.organisation == "ICRC" and me.display_name == "Aigerim"
    with pytest.raises(NotFound):
        accounts.accept_invitation(db, token=inv.token, username="another", password="a long password")


def test_an_invitation_made_before_the_roundtable_was_archived_adds_nobody(db):
    world = make_world(db)
    inv = accounts.create_invitation(db, actor_id=world["admin"], roundtable_id=world.roundtable_id)
    roundtables.set_phase(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, phase="archived")
    with pytest.raises(NotFound):
        accounts.accept_invitation(db, token=inv.token, username="latecomer", password="a long password")
    assert "latecomer" not in {u.username for u in accounts.list_users(db, actor_id=SYSTEM)}


def test_expired_invitation_is_refused_and_only_admins_invite(db):
    world = make_world(db)
    inv = accounts.create_invitation(db, actor_id=world["admin"], roundtable_id=world.roundtable_id, days=1)
    with pytest.raises(NotFound):
        accounts.accept_invitation(
            db, token=inv.token, username="late", password="a long password", now=utcnow() + timedelta(days=2)
        )
    for who in ("moderator", "expert", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            accounts.create_invitation(db, actor_id=world[who], roundtable_id=world.roundtable_id)


def test_a_role_change_takes_effect_on_the_next_action(db):
    from recdraft.services import recommendations as recs
    from tests.factories import content

    world = make_world(db)
    recs.create_recommendation(db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content())
    roundtables.set_membership(
        db, actor_id=world["admin"], roundtable_id=world.roundtable_id, user_id=world["expert"], role="observer"
    )
    with pytest.raises(PermissionDenied):
        recs.create_recommendation(db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content())


def test_usernames_are_validated_and_unique(db):
    make_user(db, "alice")
    with pytest.raises(InvalidInput, match="already taken"):
        make_user(db, "ALICE")
    with pytest.raises(InvalidInput, match="2 to 64"):
        make_user(db, "a b")
    with db.read() as s:
        assert s.scalars(select(User.username)).all() == ["alice"]
