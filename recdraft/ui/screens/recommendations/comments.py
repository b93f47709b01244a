"""The comment thread of one recommendation: post, reply, quote, flag, edit with history, resolve.

One page of threads at a time (``services.comments.comment_page``), one actions menu per comment, and a
form only for the action chosen (issue 15: the page costs the same for 500 or 5,000 comments). A hidden
comment that was answered keeps its place as "a comment was hidden by a moderator"; its author sees it with
the moderator's reason; an edit waiting for a moderator is shown to its author and the moderators only.

What a person sees is what the comments service returned for them (other people's pending or hidden
comments never reach an expert). Buttons are shown only to roles that can use them; the service
checks again on every action.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.roles import ModerationMode
from recdraft.domain.sentences import split_sentences
from recdraft.domain.statuses import CommentStatus
from recdraft.schemas.views import (
    CommentPageView,
    CommentView,
    RecommendationView,
    RevisionView,
)
from recdraft.services import comments as comment_service
from recdraft.services import moderation
from recdraft.ui.context import db, errors_shown, fmt_datetime, tr
from recdraft.ui.render import escape_markdown, plain_markdown, user_text_markdown
from recdraft.ui.widgets.labels import (
    COMMENT_COLOURS,
    badge,
    comment_status_label,
    labels_for,
    shown_language,
)
from recdraft.ui.widgets.page import Member, flash, form_nonce, submission_key
from recdraft.ui.widgets.pager import pager
from recdraft.ui.widgets.phase_gate import may, note_key, phase_is_open_for, phase_name

ACTION_KEY = "recs_comment_action"
MAX_DEPTH = 3
LAST_PAGE = 1_000_000  # the service shows the last page for any page past the end


def _generation(name: str) -> int:
    return st.session_state.get(f"recs_gen_{name}", 0)


def _next_generation(name: str) -> None:
    st.session_state[f"recs_gen_{name}"] = _generation(name) + 1


def _set_action(comment_id: int | None, action: str | None) -> None:
    st.session_state[ACTION_KEY] = (comment_id, action) if comment_id else None


def _action_is(comment_id: int, action: str) -> bool:
    return st.session_state.get(ACTION_KEY) == (comment_id, action)


def quotable_passages(rec: RecommendationView, code: str) -> list[str]:
    """Sentences of the current text (whitespace squashed) a comment can quote, in the shown language."""
    content = rec.current_revision.content.get(code)
    if content is None:
        return []
    seen: list[str] = []
    for field in ("text", "rationale", "legal_basis"):
        for sentence in split_sentences(getattr(content, field) or ""):  # knows «ст.», "Art.", initials
            if len(sentence) >= 12 and sentence not in seen:
                seen.append(sentence)
    return seen


def _quote_markdown(quote: str) -> str:
    return "\n".join("> " + line if line else ">" for line in user_text_markdown(quote).split("\n"))


def _header(c: CommentView, member: Member) -> str:
    """The comment's first line: author, date, status, edited, reports (staff), resolution (Markdown)."""
    parts = [f"**{plain_markdown(c.author_name)}**", escape_markdown(fmt_datetime(c.created_at))]
    if c.status != CommentStatus.PUBLISHED:
        parts.append(badge(comment_status_label(c.status), COMMENT_COLOURS.get(c.status, "gray")))
    if c.edited:
        parts.append(f"*{escape_markdown(tr('recs.comment.edited'))}*")
    if may(member, Action.MODERATE) and c.open_flags:
        parts.append(badge(tr("recs.comment.flags", count=c.open_flags), "red"))
    if c.resolution == "addressed":
        parts.append(badge(tr("recs.comment.addressed", number=c.addressed_revision_number or "?"), "green"))
    elif c.resolution == "declined":
        parts.append(badge(tr("recs.comment.declined"), "gray"))
    return " · ".join(parts)


# The choices of a comment's menu, in order; the service says which the viewer has (``CommentView.actions``).
MENU = (
    ("reply", "recs.comment.reply"),
    ("edit", "recs.comment.edit"),
    ("flag", "recs.comment.flag"),
    ("resolve", "recs.comment.resolve"),
    ("history", "recs.comment.history"),
    ("approve", "mod.action.approve"),
    ("hide", "mod.action.hide"),
    ("approve_edit", "threads.action.approve_edit"),
    ("reject_edit", "threads.action.reject_edit"),
)


def _buttons(c: CommentView, member: Member, rec: RecommendationView) -> None:
    actions = [(action, tr(label)) for action, label in MENU if action in c.actions]
    if not actions:
        return
    # One actions menu per comment (issue 15): a single button on the page, its choices inside. Each choice
    # opens its form under the comment in the same run (a callback, not a second rerun).
    with st.popover(tr("threads.actions"), icon=":material/more_horiz:", type="tertiary", key=f"recs_c{c.id}_menu"):
        for action, label in actions:
            active = _action_is(c.id, action)
            st.button(
                label,
                key=f"recs_c{c.id}_{action}",
                type="secondary" if active else "tertiary",
                on_click=_set_action,
                args=(None if active else c.id, None if active else action),
            )


def _form_buttons(label: str, suffix: str, *, cancellable: bool = True) -> tuple[bool, bool]:
    """Inside a form: its send button and, beside it, Cancel (keys recs_send_<suffix>, recs_cancel_<suffix>)."""
    row = st.container(horizontal=True, gap="small")
    sent = row.form_submit_button(label, type="primary", key=f"recs_send_{suffix}")
    cancel = row.form_submit_button(tr("recs.cancel"), key=f"recs_cancel_{suffix}") if cancellable else False
    return sent, cancel


def _close_if(cancel: bool) -> None:
    """Cancel pressed: close the open form (nothing was sent) and show the thread again."""
    if cancel:
        _set_action(None, None)
        st.rerun()


def _reason_form(c: CommentView, action: str, *, label: str, button: str, required: bool) -> str | None:
    with st.form(f"recs_form_c{c.id}_{action}", border=True):
        reason = st.text_area(label, key=f"recs_reason_c{c.id}_{action}", height=80)
        sent, cancel = _form_buttons(button, f"c{c.id}_{action}")
    _close_if(cancel)
    if sent:
        if required and not (reason or "").strip():
            st.error(tr("recs.reason_required"))
            return None
        return reason or ""
    return None


def _panel(c: CommentView, member: Member, rec: RecommendationView, revisions: list[RevisionView]) -> None:
    """The form of the action chosen for this comment, if any."""
    state = st.session_state.get(ACTION_KEY)
    if not state or state[0] != c.id:
        return
    action = state[1]
    if action == "reply" and "reply" not in c.actions:
        # Chosen before the person's role was lowered or the phase closed commenting: say why, keep the text.
        kept_text(
            member,
            f"recs_body_comment_{rec.id}_{c.id}_{_generation(f'comment_{rec.id}_{c.id}')}",
            tr("recs.comment.reply_body"),
        )
        return
    if action == "edit" and "edit" not in c.actions:
        kept_text(
            member,
            f"recs_edit_body_c{c.id}",
            tr("recs.comment.body"),
            unchanged=c.pending_body if c.pending_body is not None else c.body,
        )
        return
    if action == "flag" and "flag" not in c.actions:
        return  # chosen before the phase closed commenting
    actor = member.user.id
    database = db()
    if action == "reply":
        _comment_form(member, rec, parent=c)
    elif action == "edit":
        with st.form(f"recs_form_c{c.id}_edit", border=True):
            body = st.text_area(
                tr("recs.comment.body"),
                value=c.pending_body if c.pending_body is not None else c.body,
                key=f"recs_edit_body_c{c.id}",
                height=140,
            )
            sent, cancel = _form_buttons(tr("recs.save"), f"c{c.id}_edit")
        _close_if(cancel)
        if sent:
            with errors_shown():
                view = comment_service.edit_comment(database, actor_id=actor, comment_id=c.id, body=body or "")
                _set_action(None, None)
                flash("threads.edit_waits" if view.pending_body is not None else "recs.comment.saved")
                st.rerun()
    elif action == "flag":
        reason = _reason_form(
            c, "flag", label=tr("recs.comment.flag_reason"), button=tr("recs.comment.flag"), required=True
        )
        if reason is not None:
            with errors_shown():
                comment_service.flag_comment(database, actor_id=actor, comment_id=c.id, reason=reason)
                _set_action(None, None)
                flash("recs.comment.flagged")
                st.rerun()
    elif action == "resolve":
        _resolve_form(c, member, revisions)
    elif action == "history":
        with errors_shown():
            history = comment_service.comment_history(database, actor_id=actor, comment_id=c.id)
            with st.container(border=True):
                st.caption(tr("recs.comment.earlier_versions"))
                for entry in reversed(history):
                    st.markdown(f"*{escape_markdown(fmt_datetime(entry.edited_at))}*")
                    if entry.previous_quote:
                        st.markdown(_quote_markdown(entry.previous_quote))
                    st.markdown(user_text_markdown(entry.previous_body))
    elif action in {"approve", "hide"}:
        reason = _reason_form(
            c, action, label=tr("mod.reason"), button=tr(f"mod.action.{action}"), required=action != "approve"
        )
        if reason is not None:
            with errors_shown():
                moderation.moderate_comment(database, actor_id=actor, comment_id=c.id, action=action, reason=reason)
                _set_action(None, None)
                flash(f"mod.done.{action}")
                st.rerun()
    elif action in {"approve_edit", "reject_edit"}:
        decision = action.removesuffix("_edit")
        reason = _reason_form(
            c, action, label=tr("mod.reason"), button=tr(f"threads.action.{action}"), required=decision == "reject"
        )
        if reason is not None:
            with errors_shown():
                moderation.decide_comment_edit(
                    database, actor_id=actor, comment_id=c.id, decision=decision, reason=reason
                )
                _set_action(None, None)
                flash(f"threads.done.{action}")
                st.rerun()


def later_revisions(c: CommentView, revisions: list[RevisionView]) -> list[RevisionView]:
    """The revisions that can have addressed ``c``: those saved after it was written (the service checks too)."""
    return [r for r in revisions if r.created_at > c.created_at]


def _resolve_form(c: CommentView, member: Member, revisions: list[RevisionView]) -> None:
    numbers = {r.number: r.id for r in later_revisions(c, revisions)}
    if not numbers:
        st.caption(tr("record.comment.no_later_revision"))
    with st.form(f"recs_form_c{c.id}_resolve", border=True):
        kinds = ["addressed", "declined"] if numbers else ["declined"]
        choice = st.radio(
            tr("recs.comment.resolution"),
            kinds,
            horizontal=True,
            key=f"recs_res_kind_c{c.id}",
            format_func=labels_for(kinds, lambda v: tr(f"recs.comment.resolution_{v}")),
        )
        options = sorted(numbers, reverse=True)
        number = (
            st.selectbox(
                tr("recs.comment.addressed_in"),
                options,
                key=f"recs_res_rev_c{c.id}",
                format_func=labels_for(options, lambda n: tr("recs.revision_n", number=n)),
            )
            if options
            else None
        )
        reason = st.text_area(tr("recs.comment.decline_reason"), key=f"recs_res_reason_c{c.id}", height=80)
        sent, cancel = _form_buttons(tr("recs.save"), f"c{c.id}_resolve")
    _close_if(cancel)
    if sent:
        with errors_shown():
            comment_service.resolve_comment(
                db(),
                actor_id=member.user.id,
                comment_id=c.id,
                resolution=choice,
                revision_id=numbers.get(number) if choice == "addressed" and number is not None else None,
                reason=reason or "",
            )
            _set_action(None, None)
            flash("recs.comment.resolved")
            st.rerun()


def _comment_form(member: Member, rec: RecommendationView, *, parent: CommentView | None = None) -> None:
    """A new comment (or a reply to ``parent``), optionally quoting a passage of the current text."""
    name = f"comment_{rec.id}_{parent.id if parent else 0}"
    gen = _generation(name)
    code = shown_language(rec.current_revision.content, st.session_state.get(f"recs_view_lang_{rec.id}"))
    with st.form(f"recs_form_{name}_{gen}", border=True):
        if parent is None:
            passages = [""] + quotable_passages(rec, code)
            quote = st.selectbox(
                tr("recs.comment.quote"),
                passages,
                key=f"recs_quote_{name}_{gen}",
                format_func=labels_for(passages, lambda p: p or tr("recs.comment.no_quote")),
                help=tr("recs.comment.quote_help"),
            )
        else:
            quote = ""
        body = st.text_area(
            tr("recs.comment.reply_body") if parent else tr("recs.comment.body"),
            key=f"recs_body_{name}_{gen}",
            height=110,
        )
        sent, cancel = _form_buttons(tr("recs.comment.send"), name, cancellable=parent is not None)
    _close_if(cancel)
    if sent:
        key = submission_key(form_nonce(name), body, quote, parent.id if parent else None)
        with errors_shown():
            view = comment_service.post_comment(
                db(),
                actor_id=member.user.id,
                recommendation_id=rec.id,
                body=body or "",
                quote=quote or "",
                parent_id=parent.id if parent else None,
                submission_key=key,
            )
            _next_generation(name)
            _set_action(None, None)
            if parent is None:  # threads run oldest first: show the last page, where the new one is
                st.session_state[thread_page_key(rec.id)] = LAST_PAGE
            flash("recs.comment.sent_pending" if view.status == CommentStatus.PENDING else "recs.comment.sent")
            st.rerun()


def thread_page_key(rec_id: int) -> str:
    """Where the page of threads shown for a recommendation is kept."""
    return f"recs_cpage_{rec_id}"


def _why_not_sent(member: Member) -> str:
    if phase_is_open_for(member, Action.COMMENT):  # open to others now: it is the role that does not comment
        return tr("threads.not_sent.role", role=tr(f"role.{member.role}"))
    return tr("threads.not_sent.phase", phase=phase_name(member.roundtable.phase))


def kept_text(member: Member, key: str, label: str, *, unchanged: str = "") -> bool:
    """Text the person sent from ``key`` but may no longer send (their role was lowered, or the phase closed
    commenting, while they typed): say why it was not sent and keep it in the box to copy (issue 18 item 5).
    False when there is no such text (nothing typed, or the text is still ``unchanged``)."""
    text = st.session_state.get(key)
    if not isinstance(text, str) or not text.strip() or text == unchanged:
        return False
    st.warning(_why_not_sent(member), icon=":material/block:")
    st.text_area(label, key=key, height=110, help=tr("threads.not_sent.copy"))
    return True


def _new_comment_box(member: Member, rec: RecommendationView) -> None:
    if may(member, Action.COMMENT):
        if member.roundtable.moderation_mode == ModerationMode.PRE and not may(member, Action.MODERATE):
            st.caption(tr("recs.comment.premoderation"))
        _comment_form(member, rec)
        return
    name = f"comment_{rec.id}_0"
    if kept_text(member, f"recs_body_{name}_{_generation(name)}", tr("recs.comment.body")):
        return
    if not phase_is_open_for(member, Action.COMMENT) and note_key(member.roundtable) is None:
        # Final and archived roundtables say why at the top of the page; other phases say it here.
        st.caption(tr("phase_ui.comments_not_yet", phase=phase_name(member.roundtable.phase)))


def _placeholder(status: str, key: str, level: int) -> None:
    holder: Any = st.columns([0.04 * level, 1 - 0.04 * level])[1] if level else st
    with holder.container(border=True, key=key):
        st.caption(
            tr("threads.placeholder.pending" if status == CommentStatus.PENDING else "threads.placeholder.hidden")
        )


def _own_notes(c: CommentView, member: Member) -> None:
    """What only the author (and the moderators) read: the edit that waits, and why a moderator hid it."""
    if c.pending_body is not None:
        st.caption(
            tr("threads.pending_edit", when=fmt_datetime(c.pending_since))
            if c.pending_since
            else tr("threads.pending_edit_plain")
        )
        st.markdown(_quote_markdown(c.pending_body))
    if c.moderation_reason and c.status in {"hidden", "rejected"}:
        st.caption(tr(f"threads.removed_because.{c.status}"))
        st.markdown(user_text_markdown(c.moderation_reason))


def _thread_pager(rec_id: int, current: int, pages: int) -> None:
    """Previous / page n of N / next under the threads."""
    pager(
        thread_page_key(rec_id),
        current,
        pages,
        box_key="recs_comment_pager",
        prev_key="recs_cprev",
        next_key="recs_cnext",
        label_key="threads.pages",
    )


def comment_thread(
    member: Member, rec: RecommendationView, page: CommentPageView, revisions: list[RevisionView]
) -> None:
    """One page of the threads (each with its replies) with one actions menu per comment, and the form for
    a new comment. Forms for an action open only when it is chosen."""
    _new_comment_box(member, rec)
    if not page.entries:
        st.caption(tr("recs.comment.none"))
        return
    if page.pages > 1:
        st.caption(
            tr("threads.showing", page=page.page, pages=page.pages, threads=page.threads, comments=page.comments)
        )
    for i, entry in enumerate(page.entries):
        level = min(entry.depth, MAX_DEPTH)
        c = entry.comment
        if c is None:
            _placeholder(entry.placeholder or "hidden", f"recs_comment_gap_{page.page}_{i}", level)
            continue
        holder: Any = st
        if level:
            holder = st.columns([0.04 * level, 1 - 0.04 * level])[1]
        with holder.container(border=True, key=f"recs_comment_{c.id}"):
            # Header, quote and text in one Markdown element: on a page of threads each element costs.
            st.markdown(
                "\n\n".join(
                    [_header(c, member), *([_quote_markdown(c.quote)] if c.quote else []), user_text_markdown(c.body)]
                )
            )
            if c.resolution == "declined" and c.resolution_reason:
                st.caption(tr("recs.comment.declined_because"))
                st.markdown(user_text_markdown(c.resolution_reason))
            _own_notes(c, member)
            _buttons(c, member, rec)
            _panel(c, member, rec, list(revisions))
    if page.pages > 1:
        _thread_pager(rec.id, page.page, page.pages)
