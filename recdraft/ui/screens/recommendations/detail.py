"""Recommendations — one recommendation in full: text, languages, status, co-authors, and its tabs
(comments, amendments, history).
"""

from __future__ import annotations

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.statuses import EDITABLE_STATUSES, REC_TRANSITIONS, RecStatus
from recdraft.errors import RecdraftError
from recdraft.schemas.views import MembershipView, RecommendationView
from recdraft.services import amendments as amendment_service
from recdraft.services import comments as comment_service
from recdraft.services import recommendations as rec_service
from recdraft.services import revisions as revision_service
from recdraft.services import roundtables as roundtable_service
from recdraft.services import voting as voting_service
from recdraft.ui.a11y import in_language
from recdraft.ui.context import (
    db,
    errors_shown,
    fmt_datetime,
    lang,
    tr,
)
from recdraft.ui.render import (
    escape_markdown,
    format_recommendation_text,
    plain_markdown,
    user_text_markdown,
)
from recdraft.ui.screens.recommendations.amendments import _amendments
from recdraft.ui.screens.recommendations.coauthors import coauthors_editor
from recdraft.ui.screens.recommendations.comments import comment_thread, thread_page_key
from recdraft.ui.screens.recommendations.history import (
    HISTORY_NEXT,
    _history,
)
from recdraft.ui.widgets.labels import (
    badge,
    field_label,
    labels_for,
    language_in_words,
    language_name,
    priority_badge,
    shown_language,
    status_badge,
    status_label,
    title_of,
)
from recdraft.ui.widgets.page import (
    Member,
    flash,
    go_to,
    show_flash,
)
from recdraft.ui.widgets.phase_gate import may, phase_note
from recdraft.ui.widgets.topics import topic_label


def _back() -> None:
    st.query_params.pop("rec", None)


def _members(member: Member) -> list[MembershipView]:
    """The roundtable's participants (for the authors' names and the co-author choice): one query."""
    try:
        return roundtable_service.list_members(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    except RecdraftError:
        return []


def _may_edit(member: Member, rec: RecommendationView) -> bool:
    """The service says (``RecommendationView.actions``: authors, moderators, admins, while drafting is open)."""
    return Action.EDIT in rec.actions


def _text_block(rec: RecommendationView, code: str) -> None:
    content = rec.current_revision.content[code]
    st.markdown(format_recommendation_text(content.text))
    for field in ("rationale", "legal_basis", "responsible_body"):
        value = getattr(content, field)
        if value:
            st.markdown(f"##### {field_label(field)}")
            st.markdown(format_recommendation_text(value) if field == "rationale" else user_text_markdown(value))


def _vote_line(member: Member, rec: RecommendationView) -> None:
    """The person's own vote on this recommendation, when they vote in this roundtable."""
    try:
        ballots = voting_service.my_ballots(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    except RecdraftError:
        return
    if not getattr(ballots, "eligible", False):
        return
    for rnd in ballots.rounds:
        for item in rnd.items:
            if item.recommendation_id != rec.id:
                continue
            name = rnd.round.name or tr("recs.vote.round", number=rnd.round.number)
            if item.recused:
                text = tr("recs.vote.recused", round=name)
            elif item.vote is None:
                text = tr("recs.vote.none", round=name)
            else:
                choice = item.vote.choice or str(item.vote.rating)
                label = tr(f"recs.vote.choice.{choice}") if item.vote.choice else choice
                key = "recs.vote.stale" if item.stale else "recs.vote.yours"
                text = tr(key, round=name, choice=label)
            st.info(escape_markdown(text), icon=":material/how_to_vote:")


def _status_controls(member: Member, rec: RecommendationView) -> None:
    current = RecStatus(rec.status)
    targets = sorted(REC_TRANSITIONS[current], key=lambda s: list(RecStatus).index(s))
    if targets and Action.MODERATE in rec.actions:
        with st.expander(tr("recs.status.change"), icon=":material/swap_horiz:"):
            values = [t.value for t in targets]
            target = st.selectbox(
                tr("recs.status.new"),
                values,
                key=f"recs_status_to_{rec.id}",
                format_func=labels_for(values, status_label),
            )
            merged_into = None
            if target == RecStatus.MERGED.value:
                others: list[RecommendationView] = []
                with errors_shown():
                    others = [
                        r
                        for r in rec_service.list_recommendations(
                            db(), actor_id=member.user.id, roundtable_id=rec.roundtable_id, page_size=200
                        ).items
                        if r.id != rec.id
                    ]
                merged_into = st.selectbox(
                    tr("recs.status.merge_into"),
                    [r.id for r in others],
                    key=f"recs_merge_into_{rec.id}",
                    format_func=lambda i: next(
                        f"{r.number}. {title_of(r.current_revision.content)}" for r in others if r.id == i
                    ),
                )
            reason = st.text_input(tr("recs.status.reason"), key=f"recs_status_reason_{rec.id}")
            if st.button(tr("recs.status.apply"), key=f"recs_status_apply_{rec.id}", type="primary"):
                with errors_shown():
                    rec_service.set_status(
                        db(),
                        actor_id=member.user.id,
                        recommendation_id=rec.id,
                        status=target,
                        reason=reason or "",
                        merged_into_id=merged_into,
                    )
                    flash("recs.status.changed", status=status_label(target))
                    st.rerun()
    elif RecStatus.WITHDRAWN in targets and Action.EDIT in rec.actions:  # its authors withdraw it
        confirm_key = f"recs_withdraw_confirm_{rec.id}"
        if not st.session_state.get(confirm_key):
            if st.button(tr("recs.withdraw"), key=f"recs_withdraw_{rec.id}", icon=":material/undo:"):
                st.session_state[confirm_key] = True
                st.rerun()
        else:
            st.warning(tr("recs.withdraw_confirm"))
            yes = no = st.container(horizontal=True, gap="small")
            if yes.button(tr("recs.withdraw"), key=f"recs_withdraw_yes_{rec.id}", type="primary"):
                st.session_state.pop(confirm_key, None)
                with errors_shown():
                    rec_service.set_status(db(), actor_id=member.user.id, recommendation_id=rec.id, status="withdrawn")
                    flash("recs.status.changed", status=status_label("withdrawn"))
                    st.rerun()
            if no.button(tr("recs.cancel"), key=f"recs_withdraw_no_{rec.id}"):
                st.session_state.pop(confirm_key, None)
                st.rerun()


def _translation_line(member: Member, rec_id: int) -> None:
    """Each language's status (original / translated / outdated / needs translation) and a way to translate."""
    from recdraft.services import translations as translation_service
    from recdraft.ui.widgets.translations import language_statuses

    with errors_shown():
        language_statuses(translation_service.get_translations(db(), actor_id=member.user.id, recommendation_id=rec_id))


def _detail(member: Member, rec_id: int) -> None:
    st.button(tr("recs.back"), key="recs_back", on_click=_back, icon=":material/arrow_back:", type="tertiary")
    rec = None
    with errors_shown():
        rec = rec_service.get_recommendation(db(), actor_id=member.user.id, recommendation_id=rec_id)
    if rec is None:
        return
    show_flash()
    phase_note(member.roundtable)
    content = rec.current_revision.content
    view_key = f"recs_view_lang_{rec.id}"
    code = shown_language(content, st.session_state.get(view_key))
    head, edit = st.columns([6, 1.2], vertical_alignment="bottom")
    with in_language(code, f"title_{rec.id}", head):  # lang="<code>" for a screen reader (ui/a11y.py)
        st.header(f"{rec.number}\\. {plain_markdown(content[code].title)}")
    if _may_edit(member, rec) and RecStatus(rec.status) in EDITABLE_STATUSES:
        if edit.button(tr("recs.edit"), key="recs_edit", icon=":material/edit:", width="stretch"):
            go_to("draft", rec=rec.id)
    members = _members(member)
    names = {m.user_id: m.display_name for m in members}
    badges = [status_badge(rec.status), priority_badge(rec.priority)]
    if rec.topic:
        badges.append(badge(topic_label(member.roundtable, rec.topic), "gray"))
    st.markdown(" ".join(badges))
    if len(content) > 1:
        st.segmented_control(
            tr("recs.language"), list(content), key=view_key, default=code, format_func=language_name, required=True
        )
        code = shown_language(content, st.session_state.get(view_key))
    elif code != lang():
        st.caption(tr("recs.only_in", language=language_in_words(code)))
    authors = [names.get(rec.created_by, "?"), *[names.get(uid, "?") for uid in rec.coauthor_ids]]
    st.caption(
        " · ".join(
            [
                escape_markdown(tr("recs.authors", names=", ".join(authors))),
                escape_markdown(
                    tr(
                        "recs.revision_by",
                        number=rec.current_revision.number,
                        name=rec.current_revision.author_name,
                        date=fmt_datetime(rec.current_revision.created_at),
                    )
                ),
            ]
        )
    )
    with st.container(border=True, key="recs_text"), in_language(code, f"text_{rec.id}"):
        _text_block(rec, code)
    _translation_line(member, rec.id)
    _vote_line(member, rec)
    _status_controls(member, rec)
    if may(member, Action.DRAFT):
        coauthors_editor(member, rec, members)

    revisions, amendments, thread = [], [], None
    with errors_shown():
        revisions = revision_service.list_revisions(db(), actor_id=member.user.id, recommendation_id=rec.id)
        amendments = amendment_service.list_amendments(db(), actor_id=member.user.id, recommendation_id=rec.id)
        # One page of threads, not every comment (issue 15: the page costs the same for 500 or 5,000).
        thread = comment_service.comment_page(
            db(),
            actor_id=member.user.id,
            recommendation_id=rec.id,
            page=int(st.session_state.get(thread_page_key(rec.id)) or 1),
        )
    open_amendments = sum(1 for a in amendments if a.status == "open")
    history_label = tr("recs.tab.history", count=len(revisions))
    # After "Restore" the History tab's label (its count) changes: select it again rather than the first tab.
    stay = st.session_state.pop(f"{HISTORY_NEXT}{rec.id}", False)
    tabs = st.tabs(
        [
            tr("recs.tab.comments", count=thread.comments if thread else 0),
            tr("recs.tab.amendments", count=open_amendments),
            history_label,
        ],
        key=f"recs_tabs_{rec.id}",
        default=history_label if stay else None,
    )
    with tabs[0]:
        if thread is not None:
            comment_thread(member, rec, thread, revisions)
    with tabs[1]:
        # Proposing and deciding amendments is drafting: when the phase has closed drafting, the amendments
        # are listed as a reader sees them.
        _amendments(member, rec, amendments, revisions)
    with tabs[2]:
        _history(member, rec, revisions, code)
