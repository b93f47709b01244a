"""The authorization matrix, second table: accounts, roundtables, participants, invitations and backups.

Same machinery and people as ``test_authorization_matrix.py`` (``tests/integration/authorization.py``): every row
for every person in an open, a final and an archived roundtable. Creating and copying roundtables, accounts and
backups belong to no roundtable (``action`` None: the same answer in every phase); configuring one is
``Action.CONFIGURE`` (admins; not in an archive), moving it between phases ``Action.CHANGE_PHASE`` (admins; also
out of an archive: that is how it is un-archived).
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from recdraft.domain.policy import Action
from recdraft.services import accounts, backup, notifications, outbox, participants, roundtables
from recdraft.services._base import SYSTEM
from tests.factories import PASSWORD, World, make_user
from tests.integration.authorization import (
    ADMINS,
    EVERYONE,
    NOT_ARCHIVED,
    PARTICIPANTS,
    SYSADMIN,
    Matrix,
    Row,
    matrix_fixture,
    run_row,
)

_serial = itertools.count(1)


def _nothing(w: World) -> dict[str, Any]:
    return {}


def _fresh_user(w: World) -> dict[str, Any]:
    n = next(_serial)
    return {"user": make_user(w.db, f"newcomer{n}", email=f"newcomer{n}@example.org")}  # type: ignore[arg-type]


def _fresh_member(w: World) -> dict[str, Any]:
    ctx = _fresh_user(w)
    roundtables.set_membership(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, user_id=ctx["user"], role="expert")
    return ctx


def _invitation(w: World) -> dict[str, Any]:
    n = next(_serial)
    result = participants.import_participants(
        w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, text=f"Invitee {n}\tinvitee{n}@example.org"
    )
    return {"invitation": result.invitations[0]}


def _own_backup(w: World) -> dict[str, Any]:
    return {"backup": backup.backup(w.db, actor_id=SYSTEM)}


def _paste(uid: int) -> str:
    n = next(_serial)
    return f"Person {n}\tperson{n}.{uid}@example.org\tICRC\texpert\tyes\tru"


def _backup_file(w: World) -> dict[str, Any]:
    path = _TMP[0] / f"restore-{next(_serial)}.json"
    path.write_bytes(backup.backup(w.db, actor_id=SYSTEM))
    return {"path": path}


_TMP: list[Any] = []

R = Row
ROWS: list[Row] = [
    # Accounts: a system administrator's; changing one's own password is everyone's.
    R(
        "accounts.change_password",
        "change one's own password",
        None,
        EVERYONE,
        _nothing,
        lambda w, c, uid: accounts.change_password(
            w.db, actor_id=uid, current_password=PASSWORD, new_password="another long password"
        ),
    ),
    # Mail (issue 13): how messages reach me is mine to choose; sending to a refused address again is the
    # system administrator's, who sees the refusals.
    R(
        "notifications.set_preference",
        "choose a daily digest for comments",
        None,
        EVERYONE,
        _nothing,
        lambda w, c, uid: notifications.set_preference(
            w.db, actor_id=uid, kind=sorted(notifications.KINDS)[0], mode="digest"
        ),
    ),
    R(
        "outbox.forget_refusal",
        "send to a refused address again",
        None,
        SYSADMIN,
        _nothing,
        lambda w, c, uid: outbox.forget_refusal(w.db, actor_id=uid, email="someone@example.org"),
    ),
    R(
        "accounts.create_user",
        "create an account",
        None,
        SYSADMIN,
        _nothing,
        lambda w, c, uid: accounts.create_user(
            w.db, actor_id=uid, username=f"new{next(_serial)}", display_name="New", password="a long password"
        ),
    ),
    R(
        "accounts.reset_password",
        "set someone else's password",
        None,
        SYSADMIN,
        _fresh_user,
        lambda w, c, uid: accounts.reset_password(
            w.db, actor_id=uid, user_id=c["user"], new_password="a new long password"
        ),
    ),
    R(
        "accounts.set_active",
        "deactivate an account",
        None,
        SYSADMIN,
        _fresh_user,
        lambda w, c, uid: accounts.set_active(w.db, actor_id=uid, user_id=c["user"], active=False),
    ),
    R(
        "accounts.set_organiser",
        "let someone create roundtables",
        None,
        SYSADMIN,
        _fresh_user,
        lambda w, c, uid: accounts.set_organiser(w.db, actor_id=uid, user_id=c["user"], organiser=True),
    ),
    R(
        "accounts.create_invitation",
        "invite someone",
        Action.CONFIGURE,
        ADMINS,
        _nothing,
        lambda w, c, uid: accounts.create_invitation(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    # Backups: system administrators only (and the command line).
    R("backup.backup", "take a backup", None, SYSADMIN, _nothing, lambda w, c, uid: backup.backup(w.db, actor_id=uid)),
    R(
        "backup.backup_to_file",
        "write a backup file",
        None,
        SYSADMIN,
        _nothing,
        lambda w, c, uid: backup.backup_to_file(w.db, actor_id=uid, path=_TMP[0] / f"b-{next(_serial)}.json"),
    ),
    R(
        "backup.restore",
        "restore a backup over the data",
        None,
        SYSADMIN,
        _own_backup,
        lambda w, c, uid: backup.restore(w.db, actor_id=uid, data=c["backup"], replace=True),
        scene_per_state=True,
    ),
    R(
        "backup.restore_from_file",
        "restore a backup file over the data",
        None,
        SYSADMIN,
        _backup_file,
        lambda w, c, uid: backup.restore_from_file(w.db, actor_id=uid, path=c["path"], replace=True),
        scene_per_state=True,
    ),
    # Roundtables: organisers and system administrators create; a roundtable's admins configure it.
    R(
        "roundtables.create_roundtable",
        "create a roundtable",
        None,
        frozenset({"sysadmin", "organiser"}),
        _nothing,
        lambda w, c, uid: roundtables.create_roundtable(
            w.db, actor_id=uid, title={"en": "Next"}, held_on=date(2026, 3, 1)
        ),
    ),
    R(
        "roundtables.copy_roundtable",
        "start the next roundtable from this one",
        None,
        SYSADMIN,
        _nothing,
        lambda w, c, uid: roundtables.copy_roundtable(
            w.db, actor_id=uid, source_id=w.roundtable_id, title={"en": "Next"}, held_on=date(2026, 3, 1)
        ),
    ),
    R(
        "roundtables.update_settings",
        "set topics, memo languages and voting defaults",
        Action.CONFIGURE,
        ADMINS,
        _nothing,
        lambda w, c, uid: roundtables.update_settings(
            w.db,
            actor_id=uid,
            roundtable_id=w.roundtable_id,
            settings={
                "topics": [{"labels": {"en": "Emblem"}}],
                "memo_languages": ["en"],
                "voting_defaults": {"quorum": "2/3"},
                "moderators_vote": True,
            },
        ),
    ),
    R(
        "roundtables.update_roundtable",
        "change the description",
        Action.CONFIGURE,
        ADMINS,
        _nothing,
        lambda w, c, uid: roundtables.update_roundtable(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, venue={"en": "Astana"}
        ),
    ),
    R(
        "roundtables.set_phase",
        "move to discussion (out of an archive: un-archive)",
        Action.CHANGE_PHASE,
        ADMINS,
        _nothing,
        lambda w, c, uid: roundtables.set_phase(w.db, actor_id=uid, roundtable_id=w.roundtable_id, phase="discussion"),
    ),
    R(
        "roundtables.set_membership",
        "change a participant's role",
        Action.CONFIGURE,
        ADMINS,
        _nothing,
        lambda w, c, uid: roundtables.set_membership(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, user_id=w["observer"], role="expert"
        ),
    ),
    R(
        "roundtables.set_membership",
        "add an existing account by its id",
        Action.CONFIGURE,
        SYSADMIN,
        _fresh_user,
        lambda w, c, uid: roundtables.set_membership(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, user_id=c["user"], role="expert"
        ),
    ),
    # One's consent to be named is one's own: in every phase but an archive (issue 11, item 14).
    R(
        "roundtables.set_my_consent",
        "withdraw one's consent to be named",
        None,
        PARTICIPANTS,
        _nothing,
        lambda w, c, uid: roundtables.set_my_consent(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, consent_named=False
        ),
        phases=NOT_ARCHIVED,
    ),
    # Noting when one last looked at the roundtable: anyone signed in (a non-participant has nothing to note).
    R(
        "roundtables.touch_last_seen",
        "note when one last looked",
        None,
        EVERYONE,
        _nothing,
        lambda w, c, uid: roundtables.touch_last_seen(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    # Participants and invitations: the roundtable's admins.
    R(
        "participants.import_participants",
        "import participants",
        Action.CONFIGURE,
        ADMINS,
        _nothing,
        lambda w, c, uid: participants.import_participants(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, text=_paste(uid)
        ),
    ),
    R(
        "participants.reissue_invitation",
        "send an invitation again",
        Action.CONFIGURE,
        ADMINS,
        _invitation,
        lambda w, c, uid: participants.reissue_invitation(w.db, actor_id=uid, invitation_id=c["invitation"].id),
    ),
    R(
        "participants.revoke_invitation",
        "withdraw an invitation",
        Action.CONFIGURE,
        ADMINS,
        _invitation,
        lambda w, c, uid: participants.revoke_invitation(w.db, actor_id=uid, invitation_id=c["invitation"].id),
    ),
    R(
        "participants.remove_participant",
        "remove a participant",
        Action.CONFIGURE,
        ADMINS,
        _fresh_member,
        lambda w, c, uid: participants.remove_participant(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, user_id=c["user"]
        ),
    ),
    # Reads of the set-up pages.
    R(
        "participants.preview_participants",
        "preview a pasted list",
        None,
        ADMINS,
        _nothing,
        lambda w, c, uid: participants.preview_participants(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, text=_paste(uid)
        ),
    ),
    R(
        "participants.list_participants",
        "list participants with their e-mails",
        None,
        ADMINS,
        _invitation,
        lambda w, c, uid: participants.list_participants(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "accounts.list_users",
        "list accounts",
        None,
        SYSADMIN,
        _nothing,
        lambda w, c, uid: accounts.list_users(w.db, actor_id=uid),
    ),
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix(request, tmp_path_factory):
    _TMP[:] = [tmp_path_factory.mktemp("backups")]
    yield from matrix_fixture(request, tmp_path_factory)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_each_person_may_set_up_exactly_what_the_domain_allows(matrix: Matrix, row: Row):
    problems = run_row(matrix, row)
    assert not problems, f"{row.id} disagrees with the domain rules:\n  " + "\n  ".join(problems)
