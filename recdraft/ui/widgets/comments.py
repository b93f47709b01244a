"""The comment thread of one recommendation: post, reply, quote, flag, edit with history, resolve.

What a person sees is what the comments service returned for them (other people's pending or hidden
comments never reach an expert). Buttons are shown only to roles that can use them; the service
checks again on every action.
"""

from __future__ import annotations

import re
from typing import Any

import streamlit as st

from recdraft.domain.phases import Action
from recdraft.domain.statuses import Frozen, is_frozen
from recdraft.schemas.views import CommentView, RecommendationView, RevisionView
from recdraft.services import comments as comment_service
from recdraft.ui.context import db, errors_shown, fmt_datetime, tr
from recdraft.ui.render import escape_markdown, plain_markdown, user_text_markdown
from recdraft.ui.widgets.labels import COMMENT_COLOURS, badge, comment_status_label, labels_for, shown_language
from recdraft.ui.widgets.page import Member, flash, form_nonce, submission_key
from recdraft.ui.widgets.phase_gate import may, note_key, phase_is_open_for, phase_name

ACTION_KEY = "recs_comment_action"
MAX_DEPTH = 3
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]?")


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
        for match in _SENTENCE.finditer(getattr(content, field) or ""):
            sentence = " ".join(match.group(0).split())
            if len(sentence) >= 12 and sentence not in seen:
                seen.append(sentence)
    return seen


def _quote_markdown(quote: str) -> str:
    return "\n".join("> " + line if line else ">" for line in user_text_markdown(quote).split("\n"))


def _depths(items: list[CommentView]) -> dict[int, int]:
    by_id = {c.id: c for c in items}
    depth: dict[int, int] = {}
    for c in items:  # thread order: a parent always comes before its replies
        depth[c.id] = depth.get(c.parent_id, -1) + 1 if c.parent_id in by_id else 0
    return depth


def _header(c: CommentView, member: Member, rec: RecommendationView) -> None:
    parts = [f"**{plain_markdown(c.author_name)}**", escape_markdown(fmt_datetime(c.created_at))]
    if c.status != "published":
        parts.append(badge(comment_status_label(c.status), COMMENT_COLOURS.get(c.status, "gray")))
    if c.edited:
        parts.append(f"*{escape_markdown(tr('recs.comment.edited'))}*")
    if member.is_staff and c.open_flags:
        parts.append(badge(tr("recs.comment.flags", count=c.open_flags), "red"))
    if c.resolution == "addressed":
        parts.append(badge(tr("recs.comment.addressed", number=c.addressed_revision_number or "?"), "green"))
    elif c.resolution == "declined":
        parts.append(badge(tr("recs.comment.declined"), "gray"))
    st.markdown(" · ".join(parts))


def _may_resolve(member: Member, rec: RecommendationView) -> bool:
    is_author = rec.created_by == member.user.id or member.user.id in rec.coauthor_ids
    if is_frozen(rec.status, Frozen.RESOLUTIONS):  # an adopted text's resolutions are frozen (domain.statuses)
        return False
    return member.is_staff or (member.contributes and is_author)


def _may_flag(member: Member) -> bool:
    """Any member may report a comment, observers included, while the phase takes comments (services/comments.py)."""
    return phase_is_open_for(member.roundtable, Action.COMMENT)


def _buttons(c: CommentView, member: Member, rec: RecommendationView) -> None:
    own = c.author_id == member.user.id
    published = c.status == "published"
    commenting = may(member, Action.COMMENT)  # replying and editing close with the phase
    actions: list[tuple[str, str]] = []
    if member.contributes and published and commenting:
        actions.append(("reply", tr("recs.comment.reply")))
    if own and member.contributes and commenting:
        actions.append(("edit", tr("recs.comment.edit")))
    if not own and published and _may_flag(member):
        actions.append(("flag", tr("recs.comment.flag")))
    if published and _may_resolve(member, rec):
        actions.append(("resolve", tr("recs.comment.resolve")))
    if c.edited and (own or member.is_staff):
        actions.append(("history", tr("recs.comment.history")))
    if member.is_staff and may(member, Action.MODERATE):
        if c.status == "pending":
            actions.append(("approve", tr("mod.action.approve")))
        if c.status in {"published", "pending"}:
            actions.append(("hide", tr("mod.action.hide")))
    if not actions:
        return
    with st.container(horizontal=True, gap="small"):
        for action, label in actions:
            active = _action_is(c.id, action)
            if st.button(label, key=f"recs_c{c.id}_{action}", type="tertiary" if not active else "secondary",
                         help=None):
                _set_action(None if active else c.id, None if active else action)
                st.rerun()


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
    if (action in {"reply", "edit"} and not may(member, Action.COMMENT)) or (action == "flag"
                                                                          and not _may_flag(member)):
        return  # chosen before the phase closed commenting
    actor = member.user.id
    database = db()
    if action == "reply":
        _comment_form(member, rec, parent=c)
    elif action == "edit":
        with st.form(f"recs_form_c{c.id}_edit", border=True):
            body = st.text_area(tr("recs.comment.body"), value=c.body, key=f"recs_edit_body_c{c.id}", height=140)
            sent, cancel = _form_buttons(tr("recs.save"), f"c{c.id}_edit")
        _close_if(cancel)
        if sent:
            with errors_shown():
                view = comment_service.edit_comment(database, actor_id=actor, comment_id=c.id, body=body or "")
                _set_action(None, None)
                flash("recs.comment.edited_pending" if view.status == "pending" and c.status == "published"
                      else "recs.comment.saved")
                st.rerun()
    elif action == "flag":
        reason = _reason_form(c, "flag", label=tr("recs.comment.flag_reason"), button=tr("recs.comment.flag"),
                              required=True)
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
        reason = _reason_form(c, action, label=tr("mod.reason"), button=tr(f"mod.action.{action}"),
                              required=action != "approve")
        if reason is not None:
            with errors_shown():
                comment_service.moderate_comment(database, actor_id=actor, comment_id=c.id, action=action,
                                                 reason=reason)
                _set_action(None, None)
                flash(f"mod.done.{action}")
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
        choice = st.radio(tr("recs.comment.resolution"), kinds, horizontal=True, key=f"recs_res_kind_c{c.id}",
                          format_func=labels_for(kinds, lambda v: tr(f"recs.comment.resolution_{v}")))
        options = sorted(numbers, reverse=True)
        number = st.selectbox(tr("recs.comment.addressed_in"), options, key=f"recs_res_rev_c{c.id}",
                              format_func=labels_for(options, lambda n: tr("recs.revision_n", number=n))) \
            if options else None
        reason = st.text_area(tr("recs.comment.decline_reason"), key=f"recs_res_reason_c{c.id}", height=80)
        sent, cancel = _form_buttons(tr("recs.save"), f"c{c.id}_resolve")
    _close_if(cancel)
    if sent:
        with errors_shown():
            comment_service.resolve_comment(
                db(), actor_id=member.user.id, comment_id=c.id, resolution=choice,
                revision_id=numbers.get(number) if choice == "addressed" else None, reason=reason or "",
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
            quote = st.selectbox(tr("recs.comment.quote"), passages, key=f"recs_quote_{name}_{gen}",
                                 format_func=labels_for(passages, lambda p: p or tr("recs.comment.no_quote")),
                                 help=tr("recs.comment.quote_help"))
        else:
            quote = ""
        body = st.text_area(tr("recs.comment.reply_body") if parent else tr("recs.comment.body"),
                            key=f"recs_body_{name}_{gen}", height=110)
        sent, cancel = _form_buttons(tr("recs.comment.send"), name, cancellable=parent is not None)
    _close_if(cancel)
    if sent:
        key = submission_key(form_nonce(name), body, quote, parent.id if parent else None)
        with errors_shown():
            view = comment_service.post_comment(db(), actor_id=member.user.id, recommendation_id=rec.id,
                                                body=body or "", quote=quote or "",
                                                parent_id=parent.id if parent else None, submission_key=key)
            _next_generation(name)
            _set_action(None, None)
            flash("recs.comment.sent_pending" if view.status == "pending" else "recs.comment.sent")
            st.rerun()


def comment_thread(member: Member, rec: RecommendationView, items: list[CommentView],
                   revisions: list[RevisionView]) -> None:
    """The whole thread with its actions, and the form for a new comment."""
    if member.contributes and may(member, Action.COMMENT):
        if member.roundtable.moderation_mode == "pre" and not member.is_staff:
            st.caption(tr("recs.comment.premoderation"))
        _comment_form(member, rec)
    elif member.contributes and note_key(member.roundtable) is None:
        # Final and archived roundtables say why at the top of the page; other phases say it here.
        st.caption(tr("phase_ui.comments_not_yet", phase=phase_name(member.roundtable.phase)))
    if not items:
        st.caption(tr("recs.comment.none"))
        return
    depth = _depths(items)
    for c in items:
        level = min(depth.get(c.id, 0), MAX_DEPTH)
        holder: Any = st
        if level:
            holder = st.columns([0.04 * level, 1 - 0.04 * level])[1]
        with holder.container(border=True, key=f"recs_comment_{c.id}"):
            _header(c, member, rec)
            if c.quote:
                st.markdown(_quote_markdown(c.quote))
            st.markdown(user_text_markdown(c.body))
            if c.resolution == "declined" and c.resolution_reason:
                st.caption(tr("recs.comment.declined_because"))
                st.markdown(user_text_markdown(c.resolution_reason))
            _buttons(c, member, rec)
            _panel(c, member, rec, list(revisions))
