"""Recommendations — one recommendation's amendments: propose, update onto the current text, decide."""

from __future__ import annotations

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.statuses import EDITABLE_STATUSES, RecStatus
from recdraft.schemas.views import RecommendationView
from recdraft.services import amendments as amendment_service
from recdraft.ui.context import (
    db,
    errors_shown,
    fmt_datetime,
    tr,
)
from recdraft.ui.render import (
    escape_markdown,
    plain_markdown,
    user_text_markdown,
)
from recdraft.ui.widgets import content_form
from recdraft.ui.widgets.diff import (
    content_changes,
    show_changes,
)
from recdraft.ui.widgets.labels import (
    badge,
)
from recdraft.ui.widgets.page import (
    Member,
    flash,
    form_nonce,
    submission_key,
)


def _amendments(member: Member, rec: RecommendationView, items: list, revisions: list) -> None:
    editable = RecStatus(rec.status) in EDITABLE_STATUSES
    drafting = Action.DRAFT in rec.actions  # contributors, while the phase takes drafts (the service says)
    if drafting and editable:
        _propose_form(member, rec)
    if not items:
        st.caption(tr("recs.amend.none"))
        return
    numbers = {r.id: r.number for r in revisions}
    decider = Action.EDIT in rec.actions  # its authors, moderators, admins decide
    for a in reversed(items):
        with st.container(border=True, key=f"recs_amendment_{a.id}"):
            colour = {"open": "blue", "accepted": "green", "rejected": "red"}.get(a.status, "gray")
            st.markdown(
                " · ".join(
                    [
                        f"**{escape_markdown(tr('recs.amend.n', number=a.number))}**",
                        plain_markdown(a.proposer_name),
                        escape_markdown(fmt_datetime(a.created_at)),
                        badge(tr(f"recs.amend.status.{a.status}"), colour),
                    ]
                )
            )
            if a.justification:
                st.markdown(user_text_markdown(a.justification))
            if a.status == "open":
                outdated = a.base_revision_id != rec.current_revision.id
                if outdated:
                    st.caption(tr("recs.amend.outdated", number=numbers.get(a.base_revision_id, "?")))
                st.caption(tr("recs.amend.diff_caption"))
                show_changes(content_changes(rec.current_revision.content, a.content))
                if outdated and editable and drafting and a.proposer_id == member.user.id:
                    _rebase(member, rec, a, revisions)
                if decider and editable:
                    _decide(member, a)
            elif a.status == "rejected" and a.reason:
                st.caption(tr("recs.amend.rejected_because"))
                st.markdown(user_text_markdown(a.reason))
            elif a.status == "accepted" and a.resulting_revision_id:
                st.caption(tr("recs.amend.became", number=numbers.get(a.resulting_revision_id, "?")))


def _rebase(member: Member, rec: RecommendationView, a, revisions: list) -> None:
    """The proposer brings an outdated amendment onto the current text: what changed under it, then their text."""
    base = next((r for r in revisions if r.id == a.base_revision_id), None)
    prefix = f"recs_rebase_{a.id}"
    with st.container(border=True, key=f"recs_rebase_box_{a.id}"):
        st.markdown(f"**{escape_markdown(tr('record.amend.rebase_title'))}**")
        st.caption(tr("record.amend.rebase_hint", old=base.number if base else "?", new=rec.current_revision.number))
        if base is not None:
            show_changes(content_changes(base.content, rec.current_revision.content))
        content_form.ensure_seeded(prefix, (a.id, rec.current_revision.id), a.content)
        with st.form(f"{prefix}_form", border=False):
            content_form.content_inputs(prefix)
            sent = st.form_submit_button(
                tr("record.amend.rebase_send"), type="primary", key=f"{prefix}_send", icon=":material/sync:"
            )
    if sent:
        with errors_shown():
            amendment_service.rebase_amendment(
                db(),
                actor_id=member.user.id,
                amendment_id=a.id,
                content=content_form.collect(prefix),
                base_revision_id=rec.current_revision.id,
            )
            st.session_state.pop(f"{prefix}__seeded", None)
            flash("record.amend.rebased", number=rec.current_revision.number)
            st.rerun()


def _decide(member: Member, a) -> None:
    """Accept, or reject with a reason the proposer will read."""
    with st.form(f"recs_amend_decide_{a.id}", border=False):
        reason = st.text_input(tr("recs.amend.reject_reason"), key=f"recs_amend_reason_{a.id}")
        row = st.container(horizontal=True, gap="small")
        accept = row.form_submit_button(
            tr("recs.amend.accept"), key=f"recs_amend_accept_{a.id}", type="primary", icon=":material/check:"
        )
        reject = row.form_submit_button(
            tr("recs.amend.reject"), key=f"recs_amend_reject_{a.id}", icon=":material/close:"
        )
    if accept:
        with errors_shown():
            amendment_service.accept_amendment(db(), actor_id=member.user.id, amendment_id=a.id)
            flash("recs.amend.accepted")
            st.rerun()
    if reject:
        if not (reason or "").strip():
            st.error(tr("recs.reason_required"))
            return
        with errors_shown():
            amendment_service.reject_amendment(db(), actor_id=member.user.id, amendment_id=a.id, reason=reason)
            flash("recs.amend.rejected")
            st.rerun()


def _propose_form(member: Member, rec: RecommendationView) -> None:
    prefix = f"recs_amend_{rec.id}"
    with st.expander(tr("recs.amend.propose"), icon=":material/edit_note:"):
        content_form.ensure_seeded(prefix, rec.current_revision.id, rec.current_revision.content)
        with st.form(f"{prefix}_form", border=False):
            content_form.content_inputs(prefix)
            justification = st.text_area(tr("recs.amend.justification"), key=f"{prefix}_why", height=80)
            sent = st.form_submit_button(tr("recs.amend.send"), type="primary", key=f"{prefix}_send")
        if sent:
            content = content_form.collect(prefix)
            key = submission_key(form_nonce(prefix), rec.current_revision.id, content, justification)
            with errors_shown():
                amendment_service.propose_amendment(
                    db(),
                    actor_id=member.user.id,
                    recommendation_id=rec.id,
                    content=content,
                    justification=justification or "",
                    submission_key=key,
                )
                st.session_state.pop(f"{prefix}__seeded", None)
                st.session_state.pop(f"{prefix}_why", None)  # the justification was sent: clear the box
                form_nonce(prefix, renew=True)
                flash("recs.amend.sent")
                st.rerun()
