"""Every role × every action × own and others' objects. A denial raises a clear error and writes nothing.

Roles: admin, moderator, expert (the author of the objects under test), expert2 (another expert),
observer, outsider (no membership) and sysadmin (a system administrator without membership).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from recdraft.errors import NotFound, NotSignedIn, PermissionDenied
from recdraft.services import accounts, activity, amendments, backup, comments, recommendations, roundtables
from tests.factories import content, make_user, make_world
from tests.rowcounts import row_counts

ROLES = ("admin", "moderator", "expert", "expert2", "observer", "outsider", "sysadmin")
STAFF = {"admin", "moderator", "sysadmin"}
CONTRIBUTORS = STAFF | {"expert", "expert2"}
MEMBERS = CONTRIBUTORS | {"observer"}


@dataclass(frozen=True)
class Case:
    name: str
    setup: Callable[[Any], dict[str, Any]]
    act: Callable[[Any, dict[str, Any], int], Any]
    allowed: frozenset[str]


def _rec(w) -> dict[str, Any]:
    rec = recommendations.create_recommendation(w.db, actor_id=w["expert"], roundtable_id=w.roundtable_id,
                                                content=content())
    return {"rec": rec}


def _rec_in_discussion(w) -> dict[str, Any]:
    ctx = _rec(w)
    recommendations.set_status(w.db, actor_id=w["moderator"], recommendation_id=ctx["rec"].id, status="discussion")
    return ctx


def _rec_with_two_revisions(w) -> dict[str, Any]:
    ctx = _rec(w)
    recommendations.edit_recommendation(w.db, actor_id=w["expert"], recommendation_id=ctx["rec"].id,
                                        base_revision_id=ctx["rec"].current_revision.id, content=content(text="v2"))
    return ctx


def _amendment(w) -> dict[str, Any]:
    ctx = _rec(w)
    ctx["amendment"] = amendments.propose_amendment(w.db, actor_id=w["expert2"], recommendation_id=ctx["rec"].id,
                                                    content=content(text="Amended"))
    return ctx


def _all_ids(w) -> list[int]:
    page = recommendations.list_recommendations(w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id,
                                                page_size=200)
    return [r.id for r in page.items]


def _own_backup(w) -> dict[str, Any]:
    from recdraft.services._base import SYSTEM

    return {"backup": backup.backup(w.db, actor_id=SYSTEM)}


def _comment(w) -> dict[str, Any]:
    """A published comment by expert2 on expert's recommendation."""
    ctx = _rec(w)
    c = comments.post_comment(w.db, actor_id=w["expert2"], recommendation_id=ctx["rec"].id, body="A remark")
    ctx["comment"] = comments.moderate_comment(w.db, actor_id=w["moderator"], comment_id=c.id, action="approve")
    return ctx


def _comment_then_revision(w) -> dict[str, Any]:
    """A published comment, then revision 2: provenance may cite only a revision saved after the comment."""
    ctx = _comment(w)
    ctx["later"] = recommendations.edit_recommendation(w.db, actor_id=w["expert"], recommendation_id=ctx["rec"].id,
                                                       base_revision_id=ctx["rec"].current_revision.id,
                                                       content=content(text="Revised after the comment"))
    return ctx


def _flagged_comment(w) -> dict[str, Any]:
    ctx = _comment(w)
    comments.flag_comment(w.db, actor_id=w["observer"], comment_id=ctx["comment"].id, reason="Rude")
    return ctx


def _outdated_amendment(w) -> dict[str, Any]:
    ctx = _amendment(w)
    ctx["later"] = recommendations.edit_recommendation(w.db, actor_id=w["expert"], recommendation_id=ctx["rec"].id,
                                                       base_revision_id=ctx["rec"].current_revision.id,
                                                       content=content(text="The author's revision 2"))
    return ctx


def _pending_comment(w) -> dict[str, Any]:
    ctx = _rec(w)
    ctx["comment"] = comments.post_comment(w.db, actor_id=w["expert2"], recommendation_id=ctx["rec"].id,
                                           body="Awaiting moderation")
    return ctx


def _nothing(w) -> dict[str, Any]:
    return {}


def _edit(w, ctx, uid):
    rec = ctx["rec"]
    return recommendations.edit_recommendation(w.db, actor_id=uid, recommendation_id=rec.id,
                                               base_revision_id=rec.current_revision.id, content=content(text="Edited"))


CASES = [
    Case("create recommendation", _nothing,
         lambda w, c, uid: recommendations.create_recommendation(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                                 content=content()), frozenset(CONTRIBUTORS)),
    Case("read recommendation", _rec,
         lambda w, c, uid: recommendations.get_recommendation(w.db, actor_id=uid, recommendation_id=c["rec"].id),
         frozenset(MEMBERS)),
    Case("list recommendations", _rec,
         lambda w, c, uid: recommendations.list_recommendations(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         frozenset(MEMBERS)),
    Case("edit own / others' recommendation", _rec, _edit, frozenset(STAFF | {"expert"})),
    Case("restore a revision", _rec_with_two_revisions,
         lambda w, c, uid: recommendations.restore_revision(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                            revision_id=c["rec"].current_revision.id),
         frozenset(STAFF | {"expert"})),
    Case("change topic and priority", _rec,
         lambda w, c, uid: recommendations.set_details(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                       priority="low"), frozenset(STAFF | {"expert"})),
    Case("move to discussion", _rec,
         lambda w, c, uid: recommendations.set_status(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                      status="discussion"), frozenset(STAFF)),
    Case("withdraw", _rec_in_discussion,
         lambda w, c, uid: recommendations.set_status(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                      status="withdrawn"), frozenset(STAFF | {"expert"})),
    Case("renumber", _rec,
         lambda w, c, uid: recommendations.renumber(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                    order=_all_ids(w)[::-1]), frozenset(STAFF)),
    Case("choose co-authors", _rec,
         lambda w, c, uid: recommendations.set_coauthors(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                         user_ids=[w["expert2"]]), frozenset(STAFF | {"expert"})),
    Case("propose amendment", _rec,
         lambda w, c, uid: amendments.propose_amendment(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                        content=content(text="Other")), frozenset(CONTRIBUTORS)),
    Case("accept amendment", _amendment,
         lambda w, c, uid: amendments.accept_amendment(w.db, actor_id=uid, amendment_id=c["amendment"].id),
         frozenset(STAFF | {"expert"})),
    Case("reject amendment", _amendment,
         lambda w, c, uid: amendments.reject_amendment(w.db, actor_id=uid, amendment_id=c["amendment"].id,
                                                       reason="No"), frozenset(STAFF | {"expert"})),
    Case("change own amendment", _amendment,
         lambda w, c, uid: amendments.update_amendment(w.db, actor_id=uid, amendment_id=c["amendment"].id,
                                                       content=content(text="Better")), frozenset({"expert2"})),
    Case("comment", _rec,
         lambda w, c, uid: comments.post_comment(w.db, actor_id=uid, recommendation_id=c["rec"].id, body="Hi"),
         frozenset(CONTRIBUTORS)),
    Case("read comments", _comment,
         lambda w, c, uid: comments.list_comments(w.db, actor_id=uid, recommendation_id=c["rec"].id),
         frozenset(MEMBERS)),
    Case("edit own / others' comment", _comment,
         lambda w, c, uid: comments.edit_comment(w.db, actor_id=uid, comment_id=c["comment"].id, body="Changed"),
         frozenset({"expert2"})),
    Case("flag a comment", _comment,
         lambda w, c, uid: comments.flag_comment(w.db, actor_id=uid, comment_id=c["comment"].id, reason="Rude"),
         frozenset(MEMBERS - {"expert2"})),
    Case("approve a comment", _pending_comment,
         lambda w, c, uid: comments.moderate_comment(w.db, actor_id=uid, comment_id=c["comment"].id,
                                                     action="approve"), frozenset(STAFF)),
    Case("hide a comment", _comment,
         lambda w, c, uid: comments.moderate_comment(w.db, actor_id=uid, comment_id=c["comment"].id,
                                                     action="hide", reason="Off-topic"), frozenset(STAFF)),
    Case("mark a comment addressed", _comment_then_revision,
         lambda w, c, uid: comments.resolve_comment(w.db, actor_id=uid, comment_id=c["comment"].id,
                                                    resolution="addressed",
                                                    revision_id=c["later"].current_revision.id),
         frozenset(STAFF | {"expert"})),
    Case("dismiss a report on a comment", _flagged_comment,
         lambda w, c, uid: comments.dismiss_flags(w.db, actor_id=uid, comment_id=c["comment"].id,
                                                  reason="Not abusive"), frozenset(STAFF)),
    Case("update an outdated amendment", _outdated_amendment,
         lambda w, c, uid: amendments.rebase_amendment(w.db, actor_id=uid, amendment_id=c["amendment"].id,
                                                       content=content(text="Amended again"),
                                                       base_revision_id=c["later"].current_revision.id),
         frozenset({"expert2"})),
    Case("moderation queue", _pending_comment,
         lambda w, c, uid: comments.moderation_queue(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         frozenset(STAFF)),
    Case("who reported a comment and why", _comment,
         lambda w, c, uid: comments.open_flag_reports(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         frozenset(STAFF)),
    Case("restore a backup over the data", _own_backup,
         lambda w, c, uid: backup.restore(w.db, actor_id=uid, data=c["backup"], replace=True),
         frozenset({"sysadmin"})),
    Case("comments CSV", _comment,
         lambda w, c, uid: comments.export_comments_csv(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         frozenset(STAFF)),
    Case("audit log", _rec,
         lambda w, c, uid: activity.audit_log(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         frozenset({"admin", "sysadmin"})),
    Case("activity feed", _rec,
         lambda w, c, uid: activity.activity_feed(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         frozenset(MEMBERS)),
    Case("backup", _nothing, lambda w, c, uid: backup.backup(w.db, actor_id=uid), frozenset({"sysadmin"})),
    Case("roundtable settings", _nothing,
         lambda w, c, uid: roundtables.update_settings(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                       settings={"moderators_vote": True}),
         frozenset({"admin", "sysadmin"})),
    Case("roundtable phase", _nothing,
         lambda w, c, uid: roundtables.set_phase(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                 phase="discussion"), frozenset({"admin", "sysadmin"})),
    Case("change a role", _nothing,
         lambda w, c, uid: roundtables.set_membership(w.db, actor_id=uid, roundtable_id=w.roundtable_id,
                                                      user_id=w["observer"], role="expert"),
         frozenset({"admin", "sysadmin"})),
    Case("invite", _nothing,
         lambda w, c, uid: accounts.create_invitation(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
         frozenset({"admin", "sysadmin"})),
    Case("list accounts", _nothing, lambda w, c, uid: accounts.list_users(w.db, actor_id=uid), frozenset({"sysadmin"})),
    Case("deactivate an account", _nothing,
         lambda w, c, uid: accounts.set_active(w.db, actor_id=uid, user_id=w["outsider"], active=False),
         frozenset({"sysadmin"})),
    Case("create an account", _nothing,
         lambda w, c, uid: accounts.create_user(w.db, actor_id=uid, username=f"new{uid}", display_name="New",
                                                password="a long password"), frozenset({"sysadmin"})),
]


@pytest.fixture
def world(db):
    w = make_world(db)
    w.users["sysadmin"] = make_user(db, "sysadmin", system_admin=True)
    return w


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_role_may_do_exactly_what_its_role_allows(world, case: Case):
    for role in ROLES:
        ctx = case.setup(world)
        before = row_counts(world.db)
        if role in case.allowed:
            case.act(world, ctx, world[role])
        else:
            # NotFound: the object is invisible to this role (e.g. someone else's pending comment).
            with pytest.raises((PermissionDenied, NotSignedIn, NotFound)) as info:
                case.act(world, ctx, world[role])
            assert str(info.value), f"{case.name} denied to {role} without a message"
            assert row_counts(world.db) == before, f"{case.name} denied to {role} still wrote rows"


def test_a_deactivated_person_can_do_nothing(world):
    ctx = _rec(world)
    accounts.set_active(world.db, actor_id=world["sysadmin"], user_id=world["expert"], active=False)
    before = row_counts(world.db)
    with pytest.raises(NotSignedIn):
        _edit(world, ctx, world["expert"])
    assert row_counts(world.db) == before
