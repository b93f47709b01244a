"""Recommendations — the list: filters, one page of rows, the pager.

The list issues a fixed number of SQL statements whatever the number of recommendations, comments or
votes (tests/ui/test_query_count.py): one page of rows, topics, and the context.
"""

from __future__ import annotations

import math
import time

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.statuses import RecStatus
from recdraft.schemas.views import RecommendationView, RoundtableView
from recdraft.services import recommendations as rec_service
from recdraft.ui.context import (
    db,
    errors_shown,
    fmt_date,
    fmt_number,
    tr,
)
from recdraft.ui.render import (
    escape_markdown,
    plain_markdown,
)
from recdraft.ui.widgets.labels import (
    CONTENT_LANGS,
    labels_for,
    language_name,
    priority_badge,
    status_badge,
    status_label,
    title_of,
)
from recdraft.ui.widgets.page import (
    TOPICS_CACHE,
    Member,
    go_to,
    show_flash,
)
from recdraft.ui.widgets.phase_gate import may, phase_note
from recdraft.ui.widgets.topics import topic_label, topic_options

# Rows per page: the person chooses; a new tab starts with the first (a page's first render in the
# browser grows with its rows: bench/ui.py).
PAGE_SIZES = (10, 25, 50)
PAGE_SIZE = PAGE_SIZES[0]
TOPICS_TTL_SECONDS = 60
FILTER_KEYS = ("recs_f_search", "recs_f_topic", "recs_f_status", "recs_f_lang")


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
        topics = topic_options(
            member.roundtable,
            rec_service.list_topics(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id),
        )
        st.session_state[key] = (time.monotonic(), topics)
    return topics


def _filters(member: Member) -> dict[str, str | None]:
    topics = _topics(member)
    search_col, topic_col, status_col, lang_col = st.columns([3, 2, 1.4, 1.4])
    search = search_col.text_input(
        tr("recs.filter.search"), key="recs_f_search", on_change=_first_page, placeholder=tr("recs.filter.search_hint")
    )
    if st.session_state.get("recs_f_topic") not in (None, "", *topics):
        st.session_state["recs_f_topic"] = ""
    all_topics = tr("recs.filter.all_topics")
    names = {t: topic_label(member.roundtable, t) or all_topics for t in ["", *topics]}
    topic = topic_col.selectbox(
        tr("recs.filter.topic"),
        ["", *topics],
        key="recs_f_topic",
        on_change=_first_page,
        format_func=lambda t: names.get(t, t) or all_topics,
    )
    statuses = ["", *[s.value for s in RecStatus]]
    status = status_col.selectbox(
        tr("recs.filter.status"),
        statuses,
        key="recs_f_status",
        on_change=_first_page,
        format_func=labels_for(statuses, lambda s: status_label(s) if s else tr("recs.filter.all_statuses")),
    )
    languages = ["", *CONTENT_LANGS]
    language = lang_col.selectbox(
        tr("recs.filter.language"),
        languages,
        key="recs_f_lang",
        on_change=_first_page,
        format_func=labels_for(languages, lambda c: language_name(c) if c else tr("recs.filter.all_languages")),
    )
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
    with st.container(
        border=True, key=f"recs_row_{rec.id}", horizontal=True, wrap=False, vertical_alignment="center", gap="medium"
    ):
        st.markdown(
            f"**{rec.number}\\. {plain_markdown(title_of(content))}** &nbsp; {status_badge(rec.status)} "
            f"{priority_badge(rec.priority)}  \n:gray[{' · '.join(meta)}]",
            width="stretch",
        )
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
        st.button(
            tr("recs.page.previous"),
            key="recs_prev",
            icon=":material/chevron_left:",
            disabled=current <= 1,
            on_click=_step,
            args=(-1, pages),
            type="tertiary",
        )
        st.selectbox(
            tr("recs.page.label"),
            numbers,
            key="recs_page",
            label_visibility="collapsed",
            width=180,
            format_func=labels_for(numbers, lambda n: tr("recs.page.n_of", number=n, total=pages)),
        )
        st.button(
            tr("recs.page.next"),
            key="recs_next",
            icon=":material/chevron_right:",
            icon_position="right",
            disabled=current >= pages,
            on_click=_step,
            args=(1, pages),
            type="tertiary",
        )
        st.selectbox(
            tr("recs.page.size"),
            PAGE_SIZES,
            index=PAGE_SIZES.index(page_size()),
            key="recs_page_size",
            label_visibility="collapsed",
            width=150,
            on_change=_choose_size,
            format_func=labels_for(list(PAGE_SIZES), lambda n: tr("recs.page.per_page", count=n)),
        )


def _list(member: Member) -> None:
    head, action = st.columns([5, 1.3], vertical_alignment="bottom")
    head.title(tr("recs.title"))
    phase_note(member.roundtable)
    if may(member, Action.DRAFT) and action.button(
        tr("recs.new"), key="recs_new", type="primary", icon=":material/add:", width="stretch"
    ):
        go_to("draft")
    show_flash()
    filters = _filters(member)
    page_no = max(1, int(st.session_state.get("recs_page") or 1))
    size = page_size()
    result = None
    with errors_shown():
        result = rec_service.list_recommendations(
            db(), actor_id=member.user.id, roundtable_id=member.roundtable.id, page=page_no, page_size=size, **filters
        )
    if result is None:
        return
    pages = max(1, math.ceil(result.total / size))
    if result.total == 0:
        st.info(tr("recs.none_found") if any(filters.values()) else tr("recs.none_yet"))
        return
    first = (result.page - 1) * size + 1
    st.caption(
        tr(
            "recs.showing",
            first=fmt_number(first),
            last=fmt_number(first + len(result.items) - 1),
            total=fmt_number(result.total),
        )
    )
    open_label = tr("recs.open")
    for rec in result.items:
        _row(rec, open_label, member.roundtable)
    if result.total > PAGE_SIZES[0]:
        _pager(result.page, pages)
