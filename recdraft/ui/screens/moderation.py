"""Moderation (moderators and administrators): pending and flagged comments, hidden ones, the log.

Anyone else who opens the page directly sees a refusal and nothing else; the comments service
checks the role again on every decision. A reason is required to hide, reject or restore, and to
dismiss a report. Pending comments (which block the final memo) and reported ones (which do not) are
listed apart: a report has its own controls — dismiss it and keep the comment, or hide the comment.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.domain.roles import ModerationMode
from recdraft.domain.statuses import CommentStatus
from recdraft.errors import RecdraftError
from recdraft.schemas.views import CommentView, FlagReportView, RecommendationView
from recdraft.services import comments as comment_service
from recdraft.services import moderation
from recdraft.services import recommendations as rec_service
from recdraft.ui.context import db, errors_shown, fmt_datetime, fmt_number, tr
from recdraft.ui.render import escape_markdown, plain_markdown, user_text_markdown
from recdraft.ui.widgets.labels import (
    COMMENT_COLOURS,
    badge,
    comment_status_label,
    title_of,
)
from recdraft.ui.widgets.page import Member, flash, go_to, require_staff, show_flash

RESTORE_LIMIT = 100


def _recommendations(member: Member, wanted: set[int]) -> dict[int, RecommendationView]:
    """The recommendations the listed comments belong to (one call, three queries)."""
    return rec_service.get_many(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id, ids=wanted)


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in user_text_markdown(text).split("\n"))


def _reports(reports: list[FlagReportView]) -> None:
    """Who reported the comment, when and why (one Markdown list; the reasons are user text)."""
    lines = [
        f"- **{plain_markdown(r.user_name)}**, {escape_markdown(fmt_datetime(r.created_at))}: "
        f"{plain_markdown(r.reason)}"
        for r in reports
    ]
    st.markdown(f"**{escape_markdown(tr('mod.reports'))}**\n\n" + "\n".join(lines))


def _card(
    c: CommentView,
    recs: dict[int, RecommendationView],
    actions: list[str],
    member: Member,
    why: str = "",
    reports: list[FlagReportView] | None = None,
) -> None:
    rec = recs.get(c.recommendation_id)
    with st.container(border=True, key=f"mod_comment_{c.id}"):
        top, open_col = st.columns([6, 1.2], vertical_alignment="center")
        with top:
            where = (
                f"{rec.number}\\. {plain_markdown(title_of(rec.current_revision.content))}"
                if rec
                else escape_markdown(tr("mod.unknown_rec"))
            )
            st.markdown(f"**{where}**")
        if rec and open_col.button(
            tr("mod.open_rec"), key=f"mod_open_{c.id}", type="tertiary", icon=":material/open_in_new:"
        ):
            go_to("recommendations", rec=rec.id)
        parts = [
            f"**{plain_markdown(c.author_name)}**",
            escape_markdown(fmt_datetime(c.created_at)),
            badge(comment_status_label(c.status), COMMENT_COLOURS.get(c.status, "gray")),
        ]
        if c.open_flags:
            parts.append(badge(tr("recs.comment.flags", count=c.open_flags), "red"))
        if c.edited:
            parts.append(f"*{escape_markdown(tr('recs.comment.edited'))}*")
        if c.parent_id:
            parts.append(escape_markdown(tr("mod.reply_to", number=c.parent_id)))
        st.markdown(" · ".join(parts))
        if c.quote:
            st.markdown(_quote(c.quote), help=tr("mod.quoted"))
        st.markdown(user_text_markdown(c.body))
        if reports:
            _reports(reports)
        if why:
            st.caption(escape_markdown(tr("mod.removed_because", reason=" ".join(why.split()))))
        _decision(c, actions, member)


def _decision(c: CommentView, actions: list[str], member: Member) -> None:
    # Keys carry the status so a decided comment's next form starts empty.
    with st.form(f"mod_form_{c.id}_{c.status}", border=False):
        reason = st.text_input(tr("mod.reason"), key=f"mod_reason_{c.id}_{c.status}", placeholder=tr("mod.reason_hint"))
        row = st.container(horizontal=True, gap="small")
        pressed = None
        for action in actions:
            label = (
                tr("mod.action.dismiss")
                if action == "approve" and c.status == CommentStatus.PUBLISHED
                else tr(f"mod.action.{action}")
            )
            if row.form_submit_button(
                label, key=f"mod_{action}_{c.id}", type="primary" if action in {"approve", "dismiss"} else "secondary"
            ):
                pressed = action
    if pressed is None:
        return
    if pressed != "approve" and not (reason or "").strip():
        st.error(tr("recs.reason_required"))
        return
    with errors_shown():
        if pressed == "dismiss":
            # A report is resolved on its own: the comment stays published and the reason is logged.
            moderation.dismiss_flags(db(), actor_id=member.user.id, comment_id=c.id, reason=reason or "")
            flash("record.mod.dismissed")
        else:
            moderation.moderate_comment(
                db(), actor_id=member.user.id, comment_id=c.id, action=pressed, reason=reason or ""
            )
            flash(f"mod.done.{pressed}")
        st.rerun()


def _queue(
    member: Member,
    queue: list[CommentView],
    recs: dict[int, RecommendationView],
    reports: dict[int, list[FlagReportView]],
) -> None:
    if not queue:
        st.success(tr("mod.queue_empty"), icon=":material/done_all:")
        return
    pending = [c for c in queue if c.status == CommentStatus.PENDING]
    reported = [c for c in queue if c.status != CommentStatus.PENDING and c.open_flags]
    edits = [c for c in queue if c.status == CommentStatus.PUBLISHED and c.pending_body is not None]
    # Two kinds of work: pending comments hold the final memo back; reports never do (services/comments.py).
    if pending:
        st.subheader(tr("record.mod.pending_title", count=len(pending)))
        st.caption(tr("record.mod.pending_hint"))
        for c in pending:
            _card(c, recs, ["approve", "hide", "reject"], member, reports=reports.get(c.id))
    if reported:
        st.subheader(tr("record.mod.reported_title", count=len(reported)))
        st.caption(tr("record.mod.reported_hint"))
        for c in reported:
            _card(c, recs, ["dismiss", "hide"], member, reports=reports.get(c.id))
    if edits:
        st.subheader(tr("threads.mod.edits_title", count=len(edits)))
        st.caption(tr("threads.mod.edits_hint"))
        for c in edits:
            _edit_card(c, recs, member)


def _edit_card(c: CommentView, recs: dict[int, RecommendationView], member: Member) -> None:
    """A published comment's edit that waits (issue 18): the approved text others read, the new text, a decision."""
    rec = recs.get(c.recommendation_id)
    with st.container(border=True, key=f"mod_edit_{c.id}"):
        where = (
            f"{rec.number}\\. {plain_markdown(title_of(rec.current_revision.content))}"
            if rec
            else escape_markdown(tr("mod.unknown_rec"))
        )
        st.markdown(
            f"**{where}** · **{plain_markdown(c.author_name)}**, "
            f"{escape_markdown(fmt_datetime(c.pending_since or c.updated_at))}"
        )
        st.caption(tr("threads.mod.approved_text"))
        st.markdown(_quote(c.body))
        st.caption(tr("threads.mod.new_text"))
        if c.pending_quote:
            st.markdown(_quote(c.pending_quote), help=tr("mod.quoted"))
        st.markdown(user_text_markdown(c.pending_body or ""))
        with st.form(f"mod_edit_form_{c.id}", border=False):
            reason = st.text_input(tr("mod.reason"), key=f"mod_edit_reason_{c.id}", placeholder=tr("mod.reason_hint"))
            row = st.container(horizontal=True, gap="small")
            approve = row.form_submit_button(
                tr("threads.action.approve_edit"), key=f"mod_approve_edit_{c.id}", type="primary"
            )
            reject = row.form_submit_button(tr("threads.action.reject_edit"), key=f"mod_reject_edit_{c.id}")
    if not (approve or reject):
        return
    if reject and not (reason or "").strip():
        st.error(tr("recs.reason_required"))
        return
    decision = "approve" if approve else "reject"
    with errors_shown():
        moderation.decide_comment_edit(
            db(), actor_id=member.user.id, comment_id=c.id, decision=decision, reason=reason or ""
        )
        flash(f"threads.done.{decision}_edit")
        st.rerun()


def _removed(member: Member, log: list[Any]) -> list[CommentView]:
    """Comments whose latest decision hid or rejected them, checked against their status now."""
    latest: dict[int, str] = {}
    for entry in log:  # newest first
        latest.setdefault(entry.comment_id, entry.to_status)
    out: list[CommentView] = []
    for comment_id, status in latest.items():
        if status not in {"hidden", "rejected"}:
            continue
        try:
            c = comment_service.get_comment(db(), actor_id=member.user.id, comment_id=comment_id)
        except RecdraftError:
            continue
        if c.status in {"hidden", "rejected"}:
            out.append(c)
        if len(out) >= RESTORE_LIMIT:
            break
    return out


LOG_PAGE = 25


def log_line(e: Any) -> str:
    """One decision as one Markdown line that wraps instead of being cut off: when, who, what, on which
    recommendation, the comment's opening words, and the reason."""
    parts = [
        f"**{escape_markdown(fmt_datetime(e.created_at))}**",
        plain_markdown(e.moderator_name),
        escape_markdown(tr(f"mod.action.{e.action}")),
        escape_markdown(f"{comment_status_label(e.from_status)} → {comment_status_label(e.to_status)}"),
    ]
    if e.recommendation_number is not None:
        parts.append(escape_markdown(tr("friction.modlog.recommendation", number=e.recommendation_number)))
    line = " · ".join(parts)
    if e.comment_excerpt:
        line += (
            "  \n" + escape_markdown(tr("friction.modlog.comment")) + " " + user_text_markdown(f"“{e.comment_excerpt}”")
        )
    if e.reason:
        line += "  \n" + escape_markdown(tr("friction.modlog.reason")) + " " + user_text_markdown(e.reason)
    return line


def _log_table(log: list[Any]) -> None:
    if not log:
        st.caption(tr("mod.log_empty"))
        return
    pages = max(1, -(-len(log) // LOG_PAGE))
    page = 1
    if pages > 1:
        page = int(
            st.number_input(
                tr("friction.page", pages=fmt_number(pages)),
                min_value=1,
                max_value=pages,
                value=1,
                step=1,
                key="mod_log_page",
            )
        )
    first = (page - 1) * LOG_PAGE
    for e in log[first : first + LOG_PAGE]:
        with st.container(border=True, key=f"mod_log_{e.id}"):
            st.markdown(log_line(e))
    st.caption(
        tr(
            "friction.page_rows",
            first=fmt_number(first + 1),
            last=fmt_number(min(first + LOG_PAGE, len(log))),
            total=fmt_number(len(log)),
        )
    )


def render() -> None:
    """The whole page."""
    member = require_staff()
    st.title(tr("mod.title"))
    st.caption(tr("mod.mode_pre") if member.roundtable.moderation_mode == ModerationMode.PRE else tr("mod.mode_post"))
    show_flash()
    queue: list[CommentView] = []
    log: list[Any] = []
    reports: dict[int, list[FlagReportView]] = {}
    with errors_shown():
        queue = moderation.moderation_queue(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
        log = moderation.moderation_log(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
        reports = moderation.open_flag_reports(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    removed = _removed(member, log)
    recs: dict[int, RecommendationView] = {}
    with errors_shown():
        recs = _recommendations(member, {c.recommendation_id for c in [*queue, *removed]})
    waiting, hidden, history = st.tabs(
        [
            tr("mod.tab.queue", count=len(queue)),
            tr("mod.tab.removed", count=len(removed)),
            tr("mod.tab.log", count=len(log)),
        ],
        key="mod_tabs",
    )
    with waiting:
        _queue(member, queue, recs, reports)
    with hidden:
        if not removed:
            st.caption(tr("mod.removed_empty"))
        reasons: dict[int, str] = {}
        for entry in log:  # newest first: the reason of the decision that removed it
            reasons.setdefault(entry.comment_id, entry.reason)
        for c in removed:
            _card(c, recs, ["restore"], member, why=reasons.get(c.id, ""))
    with history:
        _log_table(log)
