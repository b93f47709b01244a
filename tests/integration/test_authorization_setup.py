"""The authorization matrix, grown by issue 9: creating, copying and archiving roundtables, participants.

Every new write service × every role (the roles of ``test_authorization_matrix`` plus an organiser, who may
create roundtables and has no role in this one): a denial raises a clear error and writes nothing. Then the
same services in an archived roundtable: nobody, not even its admins, changes anything there.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from recdraft.errors import Conflict, NotFound, NotSignedIn, PermissionDenied
from recdraft.services import accounts, amendments, comments, participants, recommendations, roundtables
from recdraft.services._base import SYSTEM
from tests.factories import content, make_organiser, make_user
from tests.integration.test_authorization_matrix import ROLES, Case, world  # noqa: F401 - world is a fixture
from tests.rowcounts import row_counts

SETUP_ROLES = (*ROLES, "organiser")
ADMINS = frozenset({"admin", "sysadmin"})
_serial = itertools.count(1)


def _fresh_user(w) -> dict[str, Any]:
    n = next(_serial)
    return {"user": make_user(w.db, f"newcomer{n}", email=f"newcomer{n}@example.org")}


def _fresh_member(w) -> dict[str, Any]:
    ctx = _fresh_user(w)
    roundtables.set_membership(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, user_id=ctx["user"],
                               role="expert")
    return ctx


def _invitation(w) -> dict[str, Any]:
    n = next(_serial)
    result = participants.import_participants(w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id,
                                              text=f"Invitee {n}\tinvitee{n}@example.org")
    return {"invitation": result.invitations[0]}


def _drafting(w) -> dict[str, Any]:
    roundtables.set_phase(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase="drafting")
    return {}


def _nothing(w) -> dict[str, Any]:
    return {}


def _paste(uid: int) -> str:
    n = next(_serial)
    return f"Person {n}\tperson{n}.{uid}@example.org\tICRC\texpert\tyes\tru"


def _closed(w) -> dict[str, Any]:
    _drafting(w)
    roundtables.set_phase(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase="closed")
    return {}


def _adopted(w) -> dict[str, Any]:
    """Issue 11 item 14: an adopted recommendation of expert's, with an open amendment and a published comment."""
    _drafting(w)
    rec = recommendations.create_recommendation(w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id,
                                                content=content())
    amendment = amendments.propose_amendment(w.db, actor_id=w["expert2"], recommendation_id=rec.id,
                                             content=content(text="Amended"))
    c = comments.post_comment(w.db, actor_id=w["expert2"], recommendation_id=rec.id, body="A remark")
    comment = comments.moderate_comment(w.db, actor_id=w["moderator"], comment_id=c.id, action="approve")
    for status in ("discussion", "voting", "adopted"):
        recommendations.set_status(w.db, actor_id=w["moderator"], recommendation_id=rec.id, status=status)
    return {"rec": rec, "amendment": amendment, "comment": comment}


def _kept_text_then_closed(w) -> dict[str, Any]:
    """Expert's text that lost an edit race, then the roundtable is made final."""
    _drafting(w)
    rec = recommendations.create_recommendation(w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id,
                                                content=content())
    first = rec.current_revision.id
    won = recommendations.edit_recommendation(w.db, actor_id=w["moderator"], recommendation_id=rec.id,
                                              base_revision_id=first, content=content(text="Theirs"))
    try:
        recommendations.edit_recommendation(w.db, actor_id=w["expert"], recommendation_id=rec.id,
                                            base_revision_id=first, content=content(text="Mine"))
    except Conflict as conflict:
        draft_id = conflict.saved_draft_id
    roundtables.set_phase(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase="closed")
    return {"draft_id": draft_id, "revision_id": won.current_revision.id}


WRITES = [
    Case("create a roundtable", _nothing,
         lambda w, c, uid: roundtables.create_roundtable(w.db, actor_id=uid, title={"en": "Next"},
                                                         held_on=date(2026, 3, 1)),
         frozenset({"sysadmin", "organiser"})),
    Case("start the next roundtable from this one", _nothing,
         lambda w, c, uid: roundtables.copy_roundtable(w.db, actor_id=uid, source_id=w.roundtable_id,
                                                       title={"en": "Next"}, held_on=date(2026, 3, 1)),
         frozenset({"sysadmin"})),
    Case("set topics, memo languages and voting defaults", _nothing,
         lambda w, c, uid: roundtables.update_settings(w.db, actor_id=uid, roundtable_id=w.roundtable_id, settings={
             "topics": [{"labels": {"en": "Emblem"}}], "memo_languages": ["en"],
             "voting_defaults": {"quorum": "2/3"}}), ADMINS),
    Case("change the description and languages", _nothing,
         lambda w, c, uid: roundtables.update_roundtable(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                         venue={"en": "Astana"}), ADMINS),
    Case("archive", _drafting,
         lambda w, c, uid: roundtables.set_phase(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                 phase="archived"), ADMINS),
    Case("import participants", _nothing,
         lambda w, c, uid: participants.import_participants(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                            text=_paste(uid)), ADMINS),
    Case("send an invitation again", _invitation,
         lambda w, c, uid: participants.reissue_invitation(w.db, actor_id=uid, invitation_id=c["invitation"].id),
         ADMINS),
    Case("withdraw an invitation", _invitation,
         lambda w, c, uid: participants.revoke_invitation(w.db, actor_id=uid, invitation_id=c["invitation"].id),
         ADMINS),
    Case("remove a participant", _fresh_member,
         lambda w, c, uid: participants.remove_participant(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                           user_id=c["user"]), ADMINS),
    Case("add an existing account by its id", _fresh_user,
         lambda w, c, uid: roundtables.set_membership(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                      user_id=c["user"], role="expert"), frozenset({"sysadmin"})),
    Case("let someone create roundtables", _fresh_user,
         lambda w, c, uid: accounts.set_organiser(w.db, actor_id=uid, user_id=c["user"], organiser=True),
         frozenset({"sysadmin"})),
    # Issue 11 item 14: choosing to be named stays possible when final (never in an archive).
    Case("withdraw one's consent to be named when final", _closed,
         lambda w, c, uid: roundtables.set_my_consent(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                      consent_named=False),
         frozenset({"admin", "moderator", "expert", "expert2", "observer"})),
    Case("mark a kept text merged when final", _kept_text_then_closed,
         lambda w, c, uid: recommendations.resolve_rejected_edit(w.db, actor_id=uid, draft_id=c["draft_id"],
                                                                 revision_id=c["revision_id"]), frozenset()),
    # An adopted text freezes its details, authors, amendments and comment resolutions, for everyone.
    Case("change the topic of an adopted text", _adopted,
         lambda w, c, uid: recommendations.set_details(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                       topic="Other", priority="high"), frozenset()),
    Case("change the co-authors of an adopted text", _adopted,
         lambda w, c, uid: recommendations.set_coauthors(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                         user_ids=[w["expert2"]]), frozenset()),
    Case("propose an amendment to an adopted text", _adopted,
         lambda w, c, uid: amendments.propose_amendment(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                        content=content(text="Late")), frozenset()),
    Case("reject an amendment of an adopted text", _adopted,
         lambda w, c, uid: amendments.reject_amendment(w.db, actor_id=uid, amendment_id=c["amendment"].id,
                                                       reason="Too late"), frozenset()),
    Case("resolve a comment on an adopted text", _adopted,
         lambda w, c, uid: comments.resolve_comment(w.db, actor_id=uid, comment_id=c["comment"].id,
                                                    resolution="declined", reason="Too late"), frozenset()),
]
READS = [
    Case("preview a pasted list", _nothing,
         lambda w, c, uid: participants.preview_participants(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                             text=_paste(uid)), ADMINS),
    Case("list participants with their e-mails", _invitation,
         lambda w, c, uid: participants.list_participants(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         ADMINS),
]


@pytest.fixture
def setup_world(world):  # noqa: F811 - the matrix's world, plus an organiser
    world.users["organiser"] = make_organiser(world.db, "organiser")
    return world


@pytest.mark.parametrize("case", WRITES + READS, ids=lambda c: c.name)
def test_each_role_may_set_up_exactly_what_its_role_allows(setup_world, case: Case):
    w = setup_world
    for role in SETUP_ROLES:
        ctx = case.setup(w)
        before = row_counts(w.db)
        if role in case.allowed:
            case.act(w, ctx, w[role])
        else:
            with pytest.raises((PermissionDenied, NotSignedIn, NotFound)) as info:
                case.act(w, ctx, w[role])
            assert str(info.value), f"{case.name} denied to {role} without a message"
            assert row_counts(w.db) == before, f"{case.name} denied to {role} still wrote rows"


# Creating and copying make a new roundtable, and un-archiving is how an archive is left: not refused there.
IN_ARCHIVE = [c for c in WRITES if c.name not in {"create a roundtable", "start the next roundtable from this one",
                                                  "archive", "let someone create roundtables"}]


@pytest.mark.parametrize("case", IN_ARCHIVE, ids=lambda c: c.name)
def test_in_an_archived_roundtable_nobody_changes_anything(setup_world, case: Case):
    w = setup_world
    for role in SETUP_ROLES:
        ctx = case.setup(w)
        roundtables.set_phase(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase="archived")
        before = row_counts(w.db)
        with pytest.raises((PermissionDenied, NotSignedIn, NotFound)) as info:
            case.act(w, ctx, w[role])
        assert str(info.value)
        if role in case.allowed:
            assert "archived" in str(info.value), (case.name, role, str(info.value))
        assert row_counts(w.db) == before, f"{case.name} by {role} wrote rows in an archived roundtable"
        roundtables.set_phase(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase="drafting")
