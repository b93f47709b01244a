"""Page body — Recommendations: the filtered, paginated list and one recommendation in full.

The selected recommendation lives in the URL (``?rec=<id>``) so a link or a reload opens it again.
The list page issues a fixed number of SQL statements whatever the number of recommendations,
comments or votes (tests/ui/test_query_count.py): one page of rows, topics, and the context.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.statuses import EDITABLE_STATUSES, REC_TRANSITIONS, RecStatus
from recdraft.errors import RecdraftError
from recdraft.schemas.views import MembershipView, RecommendationView, RoundtableView
from recdraft.services import amendments as amendment_service
from recdraft.services import comments as comment_service
from recdraft.services import recommendations as rec_service
from recdraft.services import roundtables as roundtable_service
from recdraft.ui.a11y import in_language
from recdraft.ui.context import db, errors_shown, fmt_date, fmt_datetime, fmt_number, lang, tr
from recdraft.ui.render import escape_markdown, format_recommendation_text, plain_markdown, user_text_markdown
from recdraft.ui.widgets import content_form
from recdraft.ui.widgets.coauthors import coauthors_editor
from recdraft.ui.widgets.comments import comment_thread, thread_page_key
from recdraft.ui.widgets.diff import content_changes, diff_legend, show_changes, show_revision_diff
from recdraft.ui.widgets.labels import (
    CONTENT_LANGS,
    badge,
    field_label,
    labels_for,
    language_in_words,
    language_name,
    priority_badge,
    priority_label,
    shown_language,
    status_badge,
    status_label,
    title_of,
)
from recdraft.ui.widgets.page import (
    TOPICS_CACHE,
    Member,
    flash,
    form_nonce,
    go_to,
    query_int,
    require_member,
    show_flash,
    submission_key,
)
from recdraft.ui.widgets.phase_gate import may, phase_note
from recdraft.ui.widgets.topics import topic_label, topic_options

# Rows per page: the person chooses; a new tab starts with the first (a page's first render in the
# browser grows with its rows: bench/ui.py).
PAGE_SIZES = (10, 25, 50)
PAGE_SIZE = PAGE_SIZES[0]
TOPICS_TTL_SECONDS = 60
FILTER_KEYS = ("recs_f_search", "recs_f_topic", "recs_f_status", "recs_f_lang")


# ----------------------------------------------------------------------------- list


def _first_page() -> None:
    st.session_state["recs_page"] = 1


def _open(rec_id: int) -> None:
    st.query_params["rec"] = str(rec_id)


def _topics(member: Member) -> list[str]:
    """The roundtable's topics for the filter, re-read at most once a minute per person.

    Why cached: the list page keeps a small, fixed statement budget; a topic added by someone else
    reaches the filter within a minute (one's own new topic at once: the draft page forgets the cache).
    """
    key = f"{TOPICS_CACHE}{member.roundtable.id}"
    cached = st.session_state.get(key)
    if cached and time.monotonic() - cached[0] < TOPICS_TTL_SECONDS:
        return list(cached[1])
    topics: list[str] = []
    with errors_shown():
        topics = topic_options(member.roundtable, rec_service.list_topics(
            db(), actor_id=member.user.id, roundtable_id=member.roundtable.id))
        st.session_state[key] = (time.monotonic(), topics)
    return topics


def _filters(member: Member) -> dict[str, str | None]:
    topics = _topics(member)
    search_col, topic_col, status_col, lang_col = st.columns([3, 2, 1.4, 1.4])
    search = search_col.text_input(tr("recs.filter.search"), key="recs_f_search", on_change=_first_page,
                                   placeholder=tr("recs.filter.search_hint"))
    if st.session_state.get("recs_f_topic") not in (None, "", *topics):
        st.session_state["recs_f_topic"] = ""
    all_topics = tr("recs.filter.all_topics")
    names = {t: topic_label(member.roundtable, t) or all_topics for t in ["", *topics]}
    topic = topic_col.selectbox(tr("recs.filter.topic"), ["", *topics], key="recs_f_topic", on_change=_first_page,
                                format_func=lambda t: names.get(t, t) or all_topics)
    statuses = ["", *[s.value for s in RecStatus]]
    status = status_col.selectbox(tr("recs.filter.status"), statuses, key="recs_f_status", on_change=_first_page,
                                  format_func=labels_for(statuses, lambda s: status_label(s) if s
                                                         else tr("recs.filter.all_statuses")))
    languages = ["", *CONTENT_LANGS]
    language = lang_col.selectbox(tr("recs.filter.language"), languages, key="recs_f_lang", on_change=_first_page,
                                  format_func=labels_for(languages, lambda c: language_name(c) if c
                                                         else tr("recs.filter.all_languages")))
    return {"search": search or None, "topic": topic or None, "status": status or None, "language": language or None}


def _row(rec: RecommendationView, open_label: str, rt: RoundtableView) -> None:
    """One recommendation: a bordered row of one Markdown block and one button (few elements: the
    list's first render in a browser grows with the number of elements per row)."""
    content = rec.current_revision.content
    meta = [plain_markdown(topic_label(rt, rec.topic))] if rec.topic else []
    meta.append(plain_markdown(rec.current_revision.author_name))
    meta.append(escape_markdown(tr("recs.updated_on", date=fmt_date(rec.updated_at))))
    meta.append(" ".join(code.upper() for code in content))
    # wrap=False: a long title wraps inside its block; the button stays on the right.
    with st.container(border=True, key=f"recs_row_{rec.id}", horizontal=True, wrap=False,
                      vertical_alignment="center", gap="medium"):
        st.markdown(f"**{rec.number}\\. {plain_markdown(title_of(content))}** &nbsp; {status_badge(rec.status)} "
                    f"{priority_badge(rec.priority)}  \n:gray[{' · '.join(meta)}]", width="stretch")
        st.button(open_label, key=f"recs_open_{rec.id}", on_click=_open, args=(rec.id,))


def _step(delta: int, pages: int) -> None:
    st.session_state["recs_page"] = min(pages, max(1, int(st.session_state.get("recs_page") or 1) + delta))


def page_size() -> int:
    """The rows per page this person chose (PAGE_SIZE until they choose).

    Kept under its own key: the select box is not drawn while everything fits on one page, and Streamlit
    forgets the state of a widget that is not drawn.
    """
    chosen = st.session_state.get("recs_rows")
    return chosen if chosen in PAGE_SIZES else PAGE_SIZE


def _choose_size() -> None:
    st.session_state["recs_rows"] = st.session_state.get("recs_page_size")
    _first_page()


def _pager(current: int, pages: int) -> None:
    """Previous / page n of N / next, and rows per page. Plain buttons and select boxes: unlike
    st.pagination they need no extra script in the browser, which keeps the page's first render fast."""
    st.session_state["recs_page"] = min(max(1, current), pages)
    numbers = list(range(1, pages + 1))
    with st.container(horizontal=True, horizontal_alignment="center", vertical_alignment="center", key="recs_pager"):
        st.button(tr("recs.page.previous"), key="recs_prev", icon=":material/chevron_left:", disabled=current <= 1,
                  on_click=_step, args=(-1, pages), type="tertiary")
        st.selectbox(tr("recs.page.label"), numbers, key="recs_page", label_visibility="collapsed", width=180,
                     format_func=labels_for(numbers, lambda n: tr("recs.page.n_of", number=n, total=pages)))
        st.button(tr("recs.page.next"), key="recs_next", icon=":material/chevron_right:", icon_position="right",
                  disabled=current >= pages, on_click=_step, args=(1, pages), type="tertiary")
        st.selectbox(tr("recs.page.size"), PAGE_SIZES, index=PAGE_SIZES.index(page_size()), key="recs_page_size",
                     label_visibility="collapsed", width=150, on_change=_choose_size,
                     format_func=labels_for(list(PAGE_SIZES), lambda n: tr("recs.page.per_page", count=n)))


def _list(member: Member) -> None:
    head, action = st.columns([5, 1.3], vertical_alignment="bottom")
    head.title(tr("recs.title"))
    phase_note(member.roundtable)
    if member.contributes and may(member, Action.DRAFT) and action.button(
            tr("recs.new"), key="recs_new", type="primary", icon=":material/add:", width="stretch"):
        go_to("draft")
    show_flash()
    filters = _filters(member)
    page_no = max(1, int(st.session_state.get("recs_page") or 1))
    size = page_size()
    result = None
    with errors_shown():
        result = rec_service.list_recommendations(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id,
                                                  page=page_no, page_size=size, **filters)
    if result is None:
        return
    pages = max(1, math.ceil(result.total / size))
    if result.total == 0:
        st.info(tr("recs.none_found") if any(filters.values()) else tr("recs.none_yet"))
        return
    first = (result.page - 1) * size + 1
    st.caption(tr("recs.showing", first=fmt_number(first),
                  last=fmt_number(first + len(result.items) - 1),
                  total=fmt_number(result.total)))
    open_label = tr("recs.open")
    for rec in result.items:
        _row(rec, open_label, member.roundtable)
    if result.total > PAGE_SIZES[0]:
        _pager(result.page, pages)


# ----------------------------------------------------------------------------- one recommendation


def _back() -> None:
    st.query_params.pop("rec", None)


def _members(member: Member) -> list[MembershipView]:
    """The roundtable's participants (for the authors' names and the co-author choice): one query."""
    try:
        return roundtable_service.list_members(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    except RecdraftError:
        return []


def _may_edit(member: Member, rec: RecommendationView) -> bool:
    is_author = rec.created_by == member.user.id or member.user.id in rec.coauthor_ids
    return (member.is_staff or (member.role == "expert" and is_author)) and may(member, Action.DRAFT)


def _reader(member: Member) -> Member:
    """The person as a reader only (what an observer is offered): for parts of the page whose actions the
    roundtable's phase has closed, so they are shown without their controls."""
    return replace(member, role="observer")


def _text_block(rec: RecommendationView, code: str) -> None:
    content = rec.current_revision.content[code]
    st.markdown(format_recommendation_text(content.text))
    for field in ("rationale", "legal_basis", "responsible_body"):
        value = getattr(content, field)
        if value:
            st.markdown(f"##### {field_label(field)}")
            st.markdown(format_recommendation_text(value) if field == "rationale" else user_text_markdown(value))


def _vote_line(member: Member, rec: RecommendationView) -> None:
    """The person's own vote on this recommendation, when voting exists and they vote."""
    try:
        from recdraft.services import voting
    except ImportError:
        return
    ballots_of = getattr(voting, "my_ballots", None)
    if ballots_of is None:
        return
    try:
        ballots = ballots_of(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
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
    is_author = rec.created_by == member.user.id or member.user.id in rec.coauthor_ids
    if member.is_staff and targets and may(member, Action.MODERATE):
        with st.expander(tr("recs.status.change"), icon=":material/swap_horiz:"):
            values = [t.value for t in targets]
            target = st.selectbox(tr("recs.status.new"), values, key=f"recs_status_to_{rec.id}",
                                  format_func=labels_for(values, status_label))
            merged_into = None
            if target == RecStatus.MERGED.value:
                others: list[RecommendationView] = []
                with errors_shown():
                    others = [r for r in rec_service.list_recommendations(
                        db(), actor_id=member.user.id, roundtable_id=rec.roundtable_id, page_size=200).items
                        if r.id != rec.id]
                merged_into = st.selectbox(tr("recs.status.merge_into"), [r.id for r in others],
                                           key=f"recs_merge_into_{rec.id}",
                                           format_func=lambda i: next(
                                               f"{r.number}. {title_of(r.current_revision.content)}"
                                               for r in others if r.id == i))
            reason = st.text_input(tr("recs.status.reason"), key=f"recs_status_reason_{rec.id}")
            if st.button(tr("recs.status.apply"), key=f"recs_status_apply_{rec.id}", type="primary"):
                with errors_shown():
                    rec_service.set_status(db(), actor_id=member.user.id, recommendation_id=rec.id, status=target,
                                           reason=reason or "", merged_into_id=merged_into)
                    flash("recs.status.changed", status=status_label(target))
                    st.rerun()
    elif is_author and member.contributes and RecStatus.WITHDRAWN in targets and may(member, Action.DRAFT):
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


def _history(member: Member, rec: RecommendationView, revisions: list, code: str) -> None:
    for rev in reversed(revisions):
        line = [f"**{escape_markdown(tr('recs.revision_n', number=rev.number))}**",
                escape_markdown(tr(f"recs.kind.{rev.kind}")), plain_markdown(rev.author_name),
                escape_markdown(fmt_datetime(rev.created_at))]
        if rev.id == rec.current_revision.id:
            line.append(badge(tr("recs.current"), "green"))
        st.markdown(" · ".join(line))
        if rev.note:
            st.caption(user_text_markdown(rev.note))
    _detail_changes(member, rec)
    if len(revisions) < 2:
        return
    st.divider()
    st.markdown(f"#### {tr('recs.compare')}")
    numbers = [r.number for r in revisions]
    by_number = {r.number: r for r in revisions}
    revision_label = labels_for(numbers, lambda n: tr("recs.revision_n", number=n))
    left, right = st.columns(2)
    old = left.selectbox(tr("recs.compare.from"), numbers, index=len(numbers) - 2, key=f"recs_cmp_old_{rec.id}",
                         format_func=revision_label)
    new = right.selectbox(tr("recs.compare.to"), numbers, index=len(numbers) - 1, key=f"recs_cmp_new_{rec.id}",
                          format_func=revision_label)
    diff_legend()
    with errors_shown():
        diff = rec_service.diff_revisions(db(), actor_id=member.user.id, recommendation_id=rec.id,
                                          old_revision_id=by_number[old].id, new_revision_id=by_number[new].id)
        show_revision_diff(diff, code)
    if _may_edit(member, rec) and RecStatus(rec.status) in EDITABLE_STATUSES:
        older = [n for n in numbers if by_number[n].id != rec.current_revision.id]
        st.divider()
        pick, button = st.columns([3, 2], vertical_alignment="bottom")
        number = pick.selectbox(tr("recs.restore.which"), list(reversed(older)), key=f"recs_restore_{rec.id}",
                                format_func=revision_label)
        if button.button(tr("recs.restore"), key=f"recs_restore_btn_{rec.id}", icon=":material/history:"):
            with errors_shown():
                rec_service.restore_revision(db(), actor_id=member.user.id, recommendation_id=rec.id,
                                             revision_id=by_number[number].id)
                flash("recs.restored", number=number)
                st.session_state[f"{HISTORY_NEXT}{rec.id}"] = True  # stay on the History tab after the rerun
                st.rerun()


HISTORY_NEXT = "recs_history_next_"


def _detail_value(member: Member, field: str, value: str) -> str:
    if field == "priority":
        return priority_label(value) if value else "—"
    return topic_label(member.roundtable, value) or tr("friction.history.no_topic")


def _detail_changes(member: Member, rec: RecommendationView) -> None:
    """Topic and priority changes (not voted on, so no revision), oldest first."""
    changes = []
    with errors_shown():
        changes = rec_service.list_detail_changes(db(), actor_id=member.user.id, recommendation_id=rec.id)
    if not changes:
        return
    st.markdown(f"**{escape_markdown(tr('friction.history.details'))}**")
    for c in reversed(changes):
        st.markdown(" · ".join([
            escape_markdown(tr(f"friction.history.{c.field}", before=_detail_value(member, c.field, c.before),
                               after=_detail_value(member, c.field, c.after))),
            plain_markdown(c.actor_name or "—"), escape_markdown(fmt_datetime(c.at)),
        ]))


def _amendments(member: Member, rec: RecommendationView, items: list, revisions: list) -> None:
    editable = RecStatus(rec.status) in EDITABLE_STATUSES
    if member.contributes and editable:
        _propose_form(member, rec)
    if not items:
        st.caption(tr("recs.amend.none"))
        return
    numbers = {r.id: r.number for r in revisions}
    decider = _may_edit(member, rec) and member.contributes
    for a in reversed(items):
        with st.container(border=True, key=f"recs_amendment_{a.id}"):
            colour = {"open": "blue", "accepted": "green", "rejected": "red"}.get(a.status, "gray")
            st.markdown(" · ".join([
                f"**{escape_markdown(tr('recs.amend.n', number=a.number))}**", plain_markdown(a.proposer_name),
                escape_markdown(fmt_datetime(a.created_at)),
                badge(tr(f"recs.amend.status.{a.status}"), colour)]))
            if a.justification:
                st.markdown(user_text_markdown(a.justification))
            if a.status == "open":
                outdated = a.base_revision_id != rec.current_revision.id
                if outdated:
                    st.caption(tr("recs.amend.outdated", number=numbers.get(a.base_revision_id, "?")))
                st.caption(tr("recs.amend.diff_caption"))
                show_changes(content_changes(rec.current_revision.content, a.content))
                if outdated and editable and member.contributes and a.proposer_id == member.user.id:
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
        st.caption(tr("record.amend.rebase_hint", old=base.number if base else "?",
                      new=rec.current_revision.number))
        if base is not None:
            show_changes(content_changes(base.content, rec.current_revision.content))
        content_form.ensure_seeded(prefix, (a.id, rec.current_revision.id), a.content)
        with st.form(f"{prefix}_form", border=False):
            content_form.content_inputs(prefix)
            sent = st.form_submit_button(tr("record.amend.rebase_send"), type="primary", key=f"{prefix}_send",
                                         icon=":material/sync:")
    if sent:
        with errors_shown():
            amendment_service.rebase_amendment(db(), actor_id=member.user.id, amendment_id=a.id,
                                               content=content_form.collect(prefix),
                                               base_revision_id=rec.current_revision.id)
            st.session_state.pop(f"{prefix}__seeded", None)
            flash("record.amend.rebased", number=rec.current_revision.number)
            st.rerun()


def _decide(member: Member, a) -> None:
    """Accept, or reject with a reason the proposer will read."""
    with st.form(f"recs_amend_decide_{a.id}", border=False):
        reason = st.text_input(tr("recs.amend.reject_reason"), key=f"recs_amend_reason_{a.id}")
        row = st.container(horizontal=True, gap="small")
        accept = row.form_submit_button(tr("recs.amend.accept"), key=f"recs_amend_accept_{a.id}", type="primary",
                                        icon=":material/check:")
        reject = row.form_submit_button(tr("recs.amend.reject"), key=f"recs_amend_reject_{a.id}",
                                        icon=":material/close:")
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
                amendment_service.propose_amendment(db(), actor_id=member.user.id, recommendation_id=rec.id,
                                                    content=content, justification=justification or "",
                                                    submission_key=key)
                st.session_state.pop(f"{prefix}__seeded", None)
                st.session_state.pop(f"{prefix}_why", None)  # the justification was sent: clear the box
                form_nonce(prefix, renew=True)
                flash("recs.amend.sent")
                st.rerun()


def _translation_line(member: Member, rec_id: int) -> None:
    """Each language's status (original / translated / outdated / needs translation) and a way to translate."""
    from recdraft.services import translations as translation_service
    from recdraft.ui.widgets.translations import language_statuses

    with errors_shown():
        language_statuses(translation_service.get_translations(db(), actor_id=member.user.id,
                                                               recommendation_id=rec_id))


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
        st.segmented_control(tr("recs.language"), list(content), key=view_key, default=code,
                             format_func=language_name, required=True)
        code = shown_language(content, st.session_state.get(view_key))
    elif code != lang():
        st.caption(tr("recs.only_in", language=language_in_words(code)))
    authors = [names.get(rec.created_by, "?"), *[names.get(uid, "?") for uid in rec.coauthor_ids]]
    st.caption(" · ".join([
        escape_markdown(tr("recs.authors", names=", ".join(authors))),
        escape_markdown(tr("recs.revision_by", number=rec.current_revision.number,
                           name=rec.current_revision.author_name,
                           date=fmt_datetime(rec.current_revision.created_at))),
    ]))
    with st.container(border=True, key="recs_text"), in_language(code, f"text_{rec.id}"):
        _text_block(rec, code)
    _translation_line(member, rec.id)
    _vote_line(member, rec)
    _status_controls(member, rec)
    if may(member, Action.DRAFT):
        coauthors_editor(member, rec, members)

    revisions, amendments, thread = [], [], None
    with errors_shown():
        revisions = rec_service.list_revisions(db(), actor_id=member.user.id, recommendation_id=rec.id)
        amendments = amendment_service.list_amendments(db(), actor_id=member.user.id, recommendation_id=rec.id)
        # One page of threads, not every comment (issue 15: the page costs the same for 500 or 5,000).
        thread = comment_service.comment_page(db(), actor_id=member.user.id, recommendation_id=rec.id,
                                              page=int(st.session_state.get(thread_page_key(rec.id)) or 1))
    open_amendments = sum(1 for a in amendments if a.status == "open")
    history_label = tr("recs.tab.history", count=len(revisions))
    # After "Restore" the History tab's label (its count) changes: select it again rather than the first tab.
    stay = st.session_state.pop(f"{HISTORY_NEXT}{rec.id}", False)
    tabs = st.tabs([tr("recs.tab.comments", count=thread.comments if thread else 0),
                    tr("recs.tab.amendments", count=open_amendments),
                    history_label], key=f"recs_tabs_{rec.id}", default=history_label if stay else None)
    with tabs[0]:
        if thread is not None:
            comment_thread(member, rec, thread, revisions)
    with tabs[1]:
        # Proposing and deciding amendments is drafting: when the phase has closed drafting, the amendments
        # are listed as a reader sees them.
        _amendments(member if may(member, Action.DRAFT) else _reader(member), rec, amendments, revisions)
    with tabs[2]:
        _history(member, rec, revisions, code)


# ----------------------------------------------------------------------------- page


def render() -> None:
    """The whole page."""
    member = require_member()
    selected = query_int("rec")
    if selected is not None:
        _detail(member, selected)
    else:
        _list(member)
