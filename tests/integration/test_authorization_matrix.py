"""The authorization matrix: every write service × every person × open / final / archived roundtable × adopted text.

The expectations are the domain's, written as one table (``ROWS``): for each service call, the action whose
phase rule applies (``domain.phases.PHASE_RULES``), who may do it while the roundtable is open, and what an
adopted text freezes (``domain.statuses.FROZEN_BY_STATUS``). ``tests/integration/authorization.py`` runs each
row for everyone in ``ROLE_IN_ROUNDTABLE`` (system administrator, roundtable admin, organiser without a role,
moderator, the author, another expert, observer, non-member, deactivated account) on SQLite and PostgreSQL: an
allowed call succeeds; a refused one raises PermissionDenied / NotSignedIn / NotFound with a message and writes
nothing. Set-up, accounts and backups have their rows in ``test_authorization_setup.py``; together the two
tables must name every write function of ``recdraft.services`` (``test_every_write_service_has_a_row``).
"""

from __future__ import annotations

from typing import Any

import pytest

from recdraft.domain.policy import Action
from recdraft.domain.statuses import Frozen
from recdraft.errors import Conflict
from recdraft.services import (
    activity,
    amendments,
    comments,
    imports,
    laws,
    live,
    memo,
    memo_check,
    moderation,
    recommendations,
    research,
    revisions,
    translations,
    voting,
)
from recdraft.services.translations import TRANSLATION_PHASES
from tests.factories import (
    World,
    content,
    edit,
    make_amendment,
    make_comment,
    make_recommendation,
    make_round,
    move_to,
    vote,
)
from tests.integration.authorization import (
    ADMINS,
    AUTHOR_AND_STAFF,
    EXPERTS,
    HOW_TO_ADD_A_ROW,
    MEMBERS,
    ROLES,
    STAFF,
    UNFROZEN,
    Matrix,
    Row,
    by_role_rules,
    expected,
    matrix_fixture,
    phases_of,
    run_row,
    service_functions,
    states_of,
    write_functions,
)

# --- scenes: what each row needs before anyone acts (built in drafting; the state is entered afterwards) ------


def _nothing(w: World) -> dict[str, Any]:
    return {}


def _rec(w: World) -> dict[str, Any]:
    """A draft by expert."""
    return {"rec": make_recommendation(w, "expert")}


def _rec_in_discussion(w: World) -> dict[str, Any]:
    ctx = _rec(w)
    ctx["rec"] = move_to(w, ctx["rec"], "discussion", current="draft")
    return ctx


def _rec_with_two_revisions(w: World) -> dict[str, Any]:
    ctx = _rec(w)
    ctx["first"] = ctx["rec"].current_revision.id
    ctx["rec"] = edit(w, ctx["rec"], "expert", text="v2", base_revision_id=ctx["first"])
    return ctx


def _kept_text(w: World) -> dict[str, Any]:
    """Expert's edit lost a race against the moderator's: kept for expert to merge."""
    ctx = _rec(w)
    first = ctx["rec"].current_revision.id
    won = edit(w, ctx["rec"], "moderator", text="Theirs", base_revision_id=first)
    with pytest.raises(Conflict) as lost:
        recommendations.edit_recommendation(
            w.db,
            actor_id=w["expert"],
            recommendation_id=ctx["rec"].id,
            base_revision_id=first,
            content=content(text="Mine"),
        )
    return {**ctx, "draft_id": lost.value.saved_draft_id, "revision_id": won.current_revision.id}


def _amendment(w: World) -> dict[str, Any]:
    """expert2's open amendment to expert's text."""
    ctx = _rec(w)
    ctx["amendment"] = make_amendment(w, ctx["rec"], "expert2", text="Amended")
    return ctx


def _outdated_amendment(w: World) -> dict[str, Any]:
    ctx = _amendment(w)
    ctx["later"] = edit(
        w, ctx["rec"], "expert", text="The author's revision 2", base_revision_id=ctx["rec"].current_revision.id
    )
    return ctx


def _pending_comment(w: World) -> dict[str, Any]:
    ctx = _rec(w)
    ctx["comment"] = make_comment(w, "expert2", "Awaiting moderation", rec=ctx["rec"])
    return ctx


def _comment(w: World) -> dict[str, Any]:
    """expert2's published comment on expert's text."""
    ctx = _pending_comment(w)
    ctx["comment"] = moderation.moderate_comment(
        w.db, actor_id=w["moderator"], comment_id=ctx["comment"].id, action="approve"
    )
    return ctx


def _comment_then_revision(w: World) -> dict[str, Any]:
    """A published comment, then revision 2: "addressed" may cite only a revision saved after the comment."""
    ctx = _comment(w)
    ctx["later"] = edit(
        w, ctx["rec"], "expert", text="Revised after the comment", base_revision_id=ctx["rec"].current_revision.id
    )
    return ctx


def _comment_with_waiting_edit(w: World) -> dict[str, Any]:
    """expert2's published comment with an edit waiting for a moderator (pre-moderation, issue 18)."""
    ctx = _comment(w)
    comments.edit_comment(w.db, actor_id=w["expert2"], comment_id=ctx["comment"].id, body="Changed, not approved")
    return ctx


def _flagged_comment(w: World) -> dict[str, Any]:
    ctx = _comment(w)
    comments.flag_comment(w.db, actor_id=w["observer"], comment_id=ctx["comment"].id, reason="Rude")
    return ctx


def _round(w: World) -> dict[str, Any]:
    """An open round on expert's text (in voting)."""
    ctx = _rec_in_discussion(w)
    ctx["round"] = make_round(w, [ctx["rec"].id])
    return ctx


def _vote(w: World, ctx: dict[str, Any], who: str, choice: str, **kw: Any) -> None:
    vote(w, ctx["round"], ctx["rec"], who, choice, **kw)


def _blocked_round(w: World) -> dict[str, Any]:
    ctx = _round(w)
    _vote(w, ctx, "expert2", "block", reason="Contradicts the statute")
    return ctx


def _stale_votes(w: World) -> dict[str, Any]:
    """Both experts voted, then the text changed: their votes are stale until confirmed."""
    ctx = _round(w)
    for who in EXPERTS:
        _vote(w, ctx, who, "agree")
    edit(w, ctx["rec"], "expert", text="Changed while voting", base_revision_id=ctx["rec"].current_revision.id)
    return ctx


def _recused(w: World) -> dict[str, Any]:
    ctx = _round(w)
    for who in EXPERTS:
        voting.recuse(
            w.db, actor_id=w[who], round_id=ctx["round"].id, recommendation_id=ctx["rec"].id, reason="I drafted the law"
        )
    return ctx


def _round_without_consensus(w: World) -> dict[str, Any]:
    """A closed round whose only item reached no consensus (too few votes for the quorum)."""
    ctx = _round(w)
    voting.close_round(w.db, actor_id=w["moderator"], round_id=ctx["round"].id)
    return ctx


def _final_memo(w: World) -> dict[str, Any]:
    """Expert's text adopted by a round, and the final memo exported: a snapshot to mark as sent."""
    ctx = _round(w)
    for who in EXPERTS:
        _vote(w, ctx, who, "agree")
    voting.close_round(w.db, actor_id=w["moderator"], round_id=ctx["round"].id)
    final = memo.export_memo(w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="en", variant="final")
    assert final.snapshot_id, final.blockers
    return {"snapshot_id": final.snapshot_id}


def _all_ids(w: World) -> list[int]:
    page = recommendations.list_recommendations(w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, page_size=200)
    return [r.id for r in page.items]


def _meeting(w: World) -> dict[str, Any]:
    """A meeting in the room with expert's text (in discussion) on the screen."""
    ctx = _rec_in_discussion(w)
    ctx["meeting"] = live.start(w.db, actor_id=w["moderator"], roundtable_id=w.roundtable_id, language="en")
    live.show(w.db, actor_id=w["moderator"], live_id=ctx["meeting"].id, recommendation_id=ctx["rec"].id)
    return ctx


def _meeting_voting(w: World) -> dict[str, Any]:
    """A meeting with a live vote open on the recommendation on the screen."""
    ctx = _meeting(w)
    live.open_vote(w.db, actor_id=w["moderator"], live_id=ctx["meeting"].id)
    return ctx


def _memo_preview(w: World) -> dict[str, Any]:
    """A recommendations memo read into a preview, ready to import."""
    from tests.import_documents import memo_bytes

    preview = imports.read_file(
        w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, data=memo_bytes("en"), file_name="memo_en.docx"
    )
    return {"preview": preview}


def _law_files(w: World) -> dict[str, Any]:
    from tests.import_documents import to_bytes
    from tests.law_documents import bill

    return {"files": {"en": (to_bytes(bill("en", 1)), "bill_v1_en.docx")}}


def _edit(w: World, c: dict[str, Any], uid: int) -> Any:
    return recommendations.edit_recommendation(
        w.db,
        actor_id=uid,
        recommendation_id=c["rec"].id,
        base_revision_id=c["rec"].current_revision.id,
        content=content(text="Edited"),
    )


DRAFTERS = by_role_rules(Action.DRAFT)  # admins, moderators, experts
COMMENTERS = by_role_rules(Action.COMMENT)
VOTERS = by_role_rules(Action.VOTE)  # experts (this roundtable does not let moderators vote)
# A round is opened only where people can vote, and run by staff.
ROUND_PHASES = phases_of(Action.RUN_ROUNDS) & phases_of(Action.VOTE)

# --- the table: function, scenario, action (phase rule), who may while open, scene, call, adopted text ---------

R = Row
ROWS: list[Row] = [
    # Drafting. An adopted text freezes its words, details, co-authors and amendments.
    R(
        "recommendations.create_recommendation",
        "draft a recommendation",
        Action.DRAFT,
        DRAFTERS,
        _nothing,
        lambda w, c, uid: recommendations.create_recommendation(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, content=content()
        ),
    ),
    R(
        "recommendations.edit_recommendation",
        "edit expert's text",
        Action.DRAFT,
        AUTHOR_AND_STAFF,
        _rec,
        _edit,
        adopted=Frozen.TEXT,
    ),
    R(
        "revisions.restore_revision",
        "restore expert's first revision",
        Action.DRAFT,
        AUTHOR_AND_STAFF,
        _rec_with_two_revisions,
        lambda w, c, uid: revisions.restore_revision(
            w.db, actor_id=uid, recommendation_id=c["rec"].id, revision_id=c["first"]
        ),
        adopted=Frozen.TEXT,
    ),
    R(
        "recommendations.set_details",
        "change topic and priority",
        Action.DRAFT,
        AUTHOR_AND_STAFF,
        _rec,
        lambda w, c, uid: recommendations.set_details(
            w.db, actor_id=uid, recommendation_id=c["rec"].id, topic="Emblem", priority="low"
        ),
        adopted=Frozen.DETAILS,
    ),
    # Translating (issue 10, item 7): the authors and staff, in every phase but archived, adopted texts included.
    R(
        "translations.save_translation",
        "translate expert's text into Russian",
        None,
        AUTHOR_AND_STAFF,
        _rec,
        lambda w, c, uid: translations.save_translation(
            w.db,
            actor_id=uid,
            recommendation_id=c["rec"].id,
            lang="ru",
            source_lang="en",
            texts={"title": "Принять закон", "text": "Парламенту следует принять закон."},
        ),
        phases=TRANSLATION_PHASES,
        adopted=UNFROZEN,
    ),
    R(
        "recommendations.set_coauthors",
        "name expert2 a co-author",
        Action.DRAFT,
        AUTHOR_AND_STAFF,
        _rec,
        lambda w, c, uid: recommendations.set_coauthors(
            w.db, actor_id=uid, recommendation_id=c["rec"].id, user_ids=[w["expert2"]]
        ),
        adopted=Frozen.COAUTHORS,
    ),
    R(
        "recommendations.resolve_rejected_edit",
        "mark one's kept text merged",
        Action.DRAFT,
        frozenset({"expert"}),
        _kept_text,
        lambda w, c, uid: recommendations.resolve_rejected_edit(
            w.db, actor_id=uid, draft_id=c["draft_id"], revision_id=c["revision_id"]
        ),
        adopted=UNFROZEN,
    ),
    R(
        "amendments.propose_amendment",
        "propose an amendment",
        Action.DRAFT,
        DRAFTERS,
        _rec,
        lambda w, c, uid: amendments.propose_amendment(
            w.db, actor_id=uid, recommendation_id=c["rec"].id, content=content(text="Other")
        ),
        adopted=Frozen.AMENDMENTS,
    ),
    R(
        "amendments.accept_amendment",
        "accept expert2's amendment",
        Action.DRAFT,
        AUTHOR_AND_STAFF,
        _amendment,
        lambda w, c, uid: amendments.accept_amendment(w.db, actor_id=uid, amendment_id=c["amendment"].id),
        adopted=Frozen.AMENDMENTS,
    ),
    R(
        "amendments.reject_amendment",
        "reject expert2's amendment",
        Action.DRAFT,
        AUTHOR_AND_STAFF,
        _amendment,
        lambda w, c, uid: amendments.reject_amendment(w.db, actor_id=uid, amendment_id=c["amendment"].id, reason="No"),
        adopted=Frozen.AMENDMENTS,
    ),
    R(
        "amendments.update_amendment",
        "change one's own amendment",
        Action.DRAFT,
        frozenset({"expert2"}),
        _amendment,
        lambda w, c, uid: amendments.update_amendment(
            w.db, actor_id=uid, amendment_id=c["amendment"].id, content=content(text="Better")
        ),
        adopted=Frozen.AMENDMENTS,
    ),
    R(
        "amendments.rebase_amendment",
        "bring one's outdated amendment up to date",
        Action.DRAFT,
        frozenset({"expert2"}),
        _outdated_amendment,
        lambda w, c, uid: amendments.rebase_amendment(
            w.db,
            actor_id=uid,
            amendment_id=c["amendment"].id,
            content=content(text="Amended again"),
            base_revision_id=c["later"].current_revision.id,
        ),
        adopted=Frozen.AMENDMENTS,
    ),
    # Statuses and numbering are moderation; an author may withdraw their own text.
    R(
        "recommendations.set_status",
        "open for discussion (reopen an adopted text)",
        Action.MODERATE,
        STAFF,
        _rec,
        lambda w, c, uid: recommendations.set_status(
            w.db, actor_id=uid, recommendation_id=c["rec"].id, status="discussion"
        ),
        adopted=UNFROZEN,
    ),
    R(
        "recommendations.set_status",
        "withdraw expert's text",
        Action.MODERATE,
        AUTHOR_AND_STAFF,
        _rec_in_discussion,
        lambda w, c, uid: recommendations.set_status(
            w.db, actor_id=uid, recommendation_id=c["rec"].id, status="withdrawn"
        ),
    ),
    R(
        "recommendations.renumber",
        "renumber",
        Action.MODERATE,
        STAFF,
        _rec,
        lambda w, c, uid: recommendations.renumber(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, order=_all_ids(w)[::-1]
        ),
        adopted=UNFROZEN,
    ),
    # Comments may still come on an adopted text (they can be the reason to reopen it); resolutions are frozen.
    R(
        "comments.post_comment",
        "comment",
        Action.COMMENT,
        COMMENTERS,
        _rec,
        lambda w, c, uid: comments.post_comment(w.db, actor_id=uid, recommendation_id=c["rec"].id, body="Hi"),
        adopted=UNFROZEN,
    ),
    R(
        "comments.edit_comment",
        "edit one's own comment",
        Action.COMMENT,
        frozenset({"expert2"}),
        _comment,
        lambda w, c, uid: comments.edit_comment(w.db, actor_id=uid, comment_id=c["comment"].id, body="Changed"),
        adopted=UNFROZEN,
    ),
    R(
        "comments.flag_comment",
        "report someone else's comment",
        Action.COMMENT,
        MEMBERS - {"expert2"},
        _comment,
        lambda w, c, uid: comments.flag_comment(w.db, actor_id=uid, comment_id=c["comment"].id, reason="Rude"),
        adopted=UNFROZEN,
    ),
    R(
        "moderation.moderate_comment",
        "approve a pending comment",
        Action.MODERATE,
        STAFF,
        _pending_comment,
        lambda w, c, uid: moderation.moderate_comment(w.db, actor_id=uid, comment_id=c["comment"].id, action="approve"),
        adopted=UNFROZEN,
    ),
    R(
        "moderation.moderate_comment",
        "hide a comment",
        Action.MODERATE,
        STAFF,
        _comment,
        lambda w, c, uid: moderation.moderate_comment(
            w.db, actor_id=uid, comment_id=c["comment"].id, action="hide", reason="Off-topic"
        ),
        adopted=UNFROZEN,
    ),
    R(
        "comments.resolve_comment",
        "mark a comment addressed",
        Action.MODERATE,
        AUTHOR_AND_STAFF,
        _comment_then_revision,
        lambda w, c, uid: comments.resolve_comment(
            w.db,
            actor_id=uid,
            comment_id=c["comment"].id,
            resolution="addressed",
            revision_id=c["later"].current_revision.id,
        ),
        adopted=Frozen.RESOLUTIONS,
    ),
    R(
        "moderation.dismiss_flags",
        "dismiss a report on a comment",
        Action.MODERATE,
        STAFF,
        _flagged_comment,
        lambda w, c, uid: moderation.dismiss_flags(
            w.db, actor_id=uid, comment_id=c["comment"].id, reason="Not abusive"
        ),
        adopted=UNFROZEN,
    ),
    R(
        "moderation.decide_comment_edit",
        "approve a comment's waiting edit",
        Action.MODERATE,
        STAFF,
        _comment_with_waiting_edit,
        lambda w, c, uid: moderation.decide_comment_edit(
            w.db, actor_id=uid, comment_id=c["comment"].id, decision="approve"
        ),
        adopted=UNFROZEN,
    ),
    # Voting: staff run rounds; experts vote (moderators too only when the roundtable lets them).
    R(
        "voting.open_round",
        "open a round",
        Action.RUN_ROUNDS,
        STAFF,
        _rec_in_discussion,
        lambda w, c, uid: voting.open_round(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, recommendation_ids=[c["rec"].id]
        ),
        phases=ROUND_PHASES,
    ),
    R(
        "voting.carry_forward",
        "carry a text without consensus forward",
        Action.RUN_ROUNDS,
        STAFF,
        _round_without_consensus,
        lambda w, c, uid: voting.carry_forward(w.db, actor_id=uid, round_id=c["round"].id),
        phases=ROUND_PHASES,
    ),
    R(
        "voting.close_round",
        "close a round",
        Action.RUN_ROUNDS,
        STAFF,
        _round,
        lambda w, c, uid: voting.close_round(w.db, actor_id=uid, round_id=c["round"].id),
    ),
    R(
        "voting.override_block",
        "override a block",
        Action.RUN_ROUNDS,
        STAFF,
        _blocked_round,
        lambda w, c, uid: voting.override_block(
            w.db, actor_id=uid, round_id=c["round"].id, recommendation_id=c["rec"].id, reason="The statute allows it"
        ),
    ),
    R(
        "voting.cast_vote",
        "vote",
        Action.VOTE,
        VOTERS,
        _round,
        lambda w, c, uid: voting.cast_vote(
            w.db, actor_id=uid, round_id=c["round"].id, recommendation_id=c["rec"].id, choice="agree"
        ),
    ),
    R(
        "voting.confirm_vote",
        "confirm one's stale vote",
        Action.VOTE,
        VOTERS,
        _stale_votes,
        lambda w, c, uid: voting.confirm_vote(
            w.db, actor_id=uid, round_id=c["round"].id, recommendation_id=c["rec"].id
        ),
    ),
    R(
        "voting.recuse",
        "declare a conflict of interest",
        Action.VOTE,
        VOTERS,
        _round,
        lambda w, c, uid: voting.recuse(
            w.db, actor_id=uid, round_id=c["round"].id, recommendation_id=c["rec"].id, reason="I drafted the law"
        ),
    ),
    R(
        "voting.withdraw_recusal",
        "take one's recusal back",
        Action.VOTE,
        VOTERS,
        _recused,
        lambda w, c, uid: voting.withdraw_recusal(
            w.db, actor_id=uid, round_id=c["round"].id, recommendation_id=c["rec"].id
        ),
    ),
    # The memo: admins export (also from an archive) and record that it was sent.
    R(
        "memo.export_memo",
        "export the review copy",
        Action.EXPORT,
        ADMINS,
        _rec,
        lambda w, c, uid: memo.export_memo(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, lang="en", variant="review"
        ),
    ),
    R(
        "memo.mark_sent",
        "record that the memo was sent",
        Action.EXPORT,
        ADMINS,
        _final_memo,
        lambda w, c, uid: memo.mark_sent(w.db, actor_id=uid, snapshot_id=c["snapshot_id"]),
    ),
    # Noting that one has read the feed is reading, not a change: anyone who sees the roundtable, in any phase.
    R(
        "activity.mark_seen",
        "note that one has read the feed",
        None,
        MEMBERS,
        _nothing,
        lambda w, c, uid: activity.mark_seen(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    # Data for researchers (issue 18): the staff who already export votes and comments, in any phase.
    R(
        "research.export_research",
        "data for researchers",
        None,
        STAFF,
        _rec,
        lambda w, c, uid: research.export_research(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    # Live mode (issue 19): those who run rounds run the meeting; a live vote is a round.
    R(
        "live.start",
        "start a meeting in the room",
        Action.RUN_ROUNDS,
        STAFF,
        _rec_in_discussion,
        lambda w, c, uid: live.start(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "live.show",
        "put the next recommendation on the screen",
        Action.RUN_ROUNDS,
        STAFF,
        _meeting,
        lambda w, c, uid: live.show(w.db, actor_id=uid, live_id=c["meeting"].id, step=-1),
    ),
    R(
        "live.set_language",
        "switch the screen to Russian",
        Action.RUN_ROUNDS,
        STAFF,
        _meeting,
        lambda w, c, uid: live.set_language(w.db, actor_id=uid, live_id=c["meeting"].id, language="ru"),
    ),
    R(
        "live.open_vote",
        "open a live vote",
        Action.RUN_ROUNDS,
        STAFF,
        _meeting,
        lambda w, c, uid: live.open_vote(w.db, actor_id=uid, live_id=c["meeting"].id),
        phases=ROUND_PHASES,
    ),
    R(
        "live.close_vote",
        "close the live vote",
        Action.RUN_ROUNDS,
        STAFF,
        _meeting_voting,
        lambda w, c, uid: live.close_vote(w.db, actor_id=uid, live_id=c["meeting"].id),
    ),
    R(
        "live.end",
        "end the meeting",
        Action.RUN_ROUNDS,
        STAFF,
        _meeting,
        lambda w, c, uid: live.end(w.db, actor_id=uid, live_id=c["meeting"].id),
    ),
    # Issue 16: importing a document makes first drafts; loading the bill is the organisers' setting.
    R(
        "imports.import_preview",
        "import a recommendations memo",
        Action.DRAFT,
        DRAFTERS,
        _memo_preview,
        lambda w, c, uid: imports.import_preview(
            w.db, actor_id=uid, roundtable_id=w.roundtable_id, preview=c["preview"]
        ),
    ),
    R(
        "laws.load_version",
        "load the draft law",
        Action.CONFIGURE,
        ADMINS,
        _law_files,
        lambda w, c, uid: laws.load_version(w.db, actor_id=uid, roundtable_id=w.roundtable_id, files=c["files"]),
    ),
]

# Reads: who may see what, in every phase (nothing is written; a refusal still has to be clear).
READS: list[Row] = [
    R(
        "translations.get_translations",
        "read a recommendation's languages",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: translations.get_translations(w.db, actor_id=uid, recommendation_id=c["rec"].id),
    ),
    R(
        "translations.needs_translation",
        "list what needs translating",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: translations.needs_translation(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "recommendations.get_recommendation",
        "read a recommendation",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: recommendations.get_recommendation(w.db, actor_id=uid, recommendation_id=c["rec"].id),
    ),
    R(
        "recommendations.list_recommendations",
        "list recommendations",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: recommendations.list_recommendations(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "comments.list_comments",
        "read comments",
        None,
        MEMBERS,
        _comment,
        lambda w, c, uid: comments.list_comments(w.db, actor_id=uid, recommendation_id=c["rec"].id),
    ),
    R(
        "comments.comment_page",
        "read a page of comment threads",
        None,
        MEMBERS,
        _comment,
        lambda w, c, uid: comments.comment_page(w.db, actor_id=uid, recommendation_id=c["rec"].id),
    ),
    R(
        "moderation.moderation_queue",
        "moderation queue",
        None,
        STAFF,
        _pending_comment,
        lambda w, c, uid: moderation.moderation_queue(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "moderation.open_flag_reports",
        "who reported a comment and why",
        None,
        STAFF,
        _flagged_comment,
        lambda w, c, uid: moderation.open_flag_reports(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "comments.export_comments_csv",
        "comments CSV",
        None,
        STAFF,
        _comment,
        lambda w, c, uid: comments.export_comments_csv(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "activity.audit_log",
        "audit log",
        None,
        ADMINS,
        _rec,
        lambda w, c, uid: activity.audit_log(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "activity.activity_feed",
        "activity feed",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: activity.activity_feed(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "activity.concerning_me",
        "what concerns me",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: activity.concerning_me(w.db, actor_id=uid, roundtable_id=w.roundtable_id),
    ),
    R(
        "revisions.list_detail_changes",
        "topic and priority history",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: revisions.list_detail_changes(w.db, actor_id=uid, recommendation_id=c["rec"].id),
    ),
    R(
        "memo_check.check_memo",
        "check a memo's SHA-256",
        None,
        MEMBERS,
        _rec,
        lambda w, c, uid: memo_check.check_memo(w.db, actor_id=uid, roundtable_id=w.roundtable_id, sha256="0" * 64),
    ),
    R(
        "voting.round_results",
        "results of an open round",
        None,
        MEMBERS,
        _round,
        lambda w, c, uid: voting.round_results(w.db, actor_id=uid, round_id=c["round"].id),
    ),
]

# Functions that write only as a side effect nobody asked for: reading a round first closes the rounds whose
# closing date has passed (the scheduled job's work, done on the spot so nobody reads a stale "open").
NOT_WRITES = {
    "voting.get_round": "closes rounds past their closing date, then reads",
    "voting.list_rounds": "closes rounds past their closing date, then reads",
    "voting.rounds_overview": "closes rounds past their closing date, then reads",
    "memo.memo_status": "closes rounds past their closing date, then reads",
    "voting.round_results": "closes rounds past their closing date, then reads",
    "voting.recommendation_results": "closes rounds past their closing date, then reads",
    "voting.results_for_memo": "closes rounds past their closing date, then reads",
    "voting.my_ballots": "closes rounds past their closing date, then reads",
    "voting.export_votes_csv": "closes rounds past their closing date, then reads",
    "live.state": "reads the live vote's results, which closes rounds past their closing date first",
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix(request, tmp_path_factory):
    yield from matrix_fixture(request, tmp_path_factory)


@pytest.mark.parametrize("row", ROWS + READS, ids=lambda r: r.id)
def test_each_person_may_do_exactly_what_the_domain_allows(matrix: Matrix, row: Row):
    problems = run_row(matrix, row)
    assert not problems, f"{row.id} disagrees with the domain rules:\n  " + "\n  ".join(problems)


def _all_rows() -> list[Row]:
    from tests.integration.test_authorization_setup import ROWS as SETUP_ROWS

    return ROWS + READS + SETUP_ROWS


def test_every_write_service_has_a_row():
    """A write service added without a row fails here, and the message says how to add one."""
    covered = {row.function for row in _all_rows()}
    missing = sorted(write_functions() - covered - set(NOT_WRITES))
    assert not missing, HOW_TO_ADD_A_ROW.format(
        missing=len(missing),
        nouns="function" if len(missing) == 1 else "functions",
        names="\n".join(f"  recdraft.services.{name}" for name in missing),
    )


def test_every_row_names_a_service_function_that_exists_and_the_exceptions_are_still_reads():
    functions = service_functions()
    assert not [row.function for row in _all_rows() if row.function not in functions]
    writes = write_functions()
    assert [name for name in NOT_WRITES if name not in writes] == [], "no longer writes: remove it from NOT_WRITES"


def test_the_introspection_finds_the_writes_and_leaves_the_reads():
    writes = write_functions()
    assert {
        "recommendations.edit_recommendation",
        "voting.cast_vote",
        "backup.restore",
        "backup.backup_to_file",
    } <= writes  # direct, and through backup()
    assert not {"recommendations.get_recommendation", "comments.list_comments", "activity.audit_log"} & writes


def test_the_expectations_follow_the_domain_tables():
    """A few rows read back, in words: the table says what the domain says."""
    by_id = {row.id: row for row in _all_rows()}
    edit = by_id["recommendations.edit_recommendation: edit expert's text"]
    assert [p for p in ROLES if expected(edit, p, "open")] == ["sysadmin", "admin", "moderator", "expert"]
    assert not any(expected(edit, p, state) for p in ROLES for state in ("final", "archived", "adopted"))
    close = by_id["voting.close_round: close a round"]
    assert expected(close, "moderator", "final") and not expected(close, "moderator", "archived")
    comment = by_id["comments.post_comment: comment"]
    assert expected(comment, "expert2", "adopted") and not expected(comment, "observer", "open")
    assert not any(expected(row, "deactivated", state) for row in _all_rows() for state in states_of(row))


def test_the_matrix_tries_every_person_in_every_state():
    rows = _all_rows()
    cases = sum(len(ROLES) * len(states_of(row)) for row in rows)
    assert len(ROLES) == 9 and cases > 1500, cases
