"""Overview: the roundtable, my to-dos, and what changed since my last visit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.errors import RecdraftError
from recdraft.i18n import catalog
from recdraft.schemas.views import (
    AuditEventView,
    RecommendationView,
    RoundtableView,
    UserView,
)
from recdraft.services import activity, amendments, comments, moderation, recommendations, voting
from recdraft.ui.context import (
    Member,
    db,
    errors_shown,
    fmt_date,
    fmt_datetime,
    fmt_number,
    localized,
    require_member,
    tr,
)
from recdraft.ui.render import escape_markdown, plain_markdown
from recdraft.ui.widgets.phase_gate import actions_now, phase_name, phase_note

PAGES = Path(__file__).resolve().parents[1] / "pages"
FEED_KEY = "overview_feed"
FEED_LIMIT = 50


@dataclass(frozen=True)
class Todo:
    """One thing waiting for me: a sentence, and where to go to do it."""

    text: str
    page: str | None = None
    query: dict[str, str] | None = None


def _title_of(rec: RecommendationView) -> str:
    content = rec.current_revision.content
    return localized({code: c.title for code, c in content.items()})


def _my_recommendations(user: UserView, rt: RoundtableView) -> list[RecommendationView]:
    page = recommendations.list_recommendations(
        db(), actor_id=user.id, roundtable_id=rt.id, page_size=recommendations.MAX_PAGE_SIZE
    )
    return [r for r in page.items if r.created_by == user.id or user.id in r.coauthor_ids]


def _todos(member: Member) -> list[Todo]:
    user, rt = member.user, member.roundtable
    todos: list[Todo] = []
    mine = _my_recommendations(user, rt) if member.role != Role.OBSERVER else []
    if mine:
        by_id = {r.id: r for r in mine}
        waiting: dict[int, int] = {}
        for c in comments.published_comments_for_export(
            db(), actor_id=user.id, roundtable_id=rt.id, recommendation_ids=list(by_id)
        ):
            if c.resolution is None and c.author_id != user.id and c.parent_id is None:
                waiting[c.recommendation_id] = waiting.get(c.recommendation_id, 0) + 1
        for rec_id, count in waiting.items():
            rec = by_id[rec_id]
            todos.append(
                Todo(
                    tr("overview.todo.comments", count=fmt_number(count), number=rec.number, title=_title_of(rec)),
                    "recommendations",
                    {"rec": str(rec_id)},
                )
            )
        for rec in mine:
            open_ = [
                a
                for a in amendments.list_amendments(db(), actor_id=user.id, recommendation_id=rec.id, status="open")
                if a.proposer_id != user.id
            ]
            if open_:
                todos.append(
                    Todo(
                        tr(
                            "overview.todo.amendments",
                            count=fmt_number(len(open_)),
                            number=rec.number,
                            title=_title_of(rec),
                        ),
                        "recommendations",
                        {"rec": str(rec.id)},
                    )
                )
    if Action.MODERATE in member.actions:
        pending = moderation.unmoderated_count(db(), actor_id=user.id, roundtable_id=rt.id)
        if pending:
            todos.append(Todo(tr("overview.todo.moderation", count=fmt_number(pending)), "moderation"))
    todos.extend(_ballot_todos(user, rt))
    return todos


def _ballot_todos(user: UserView, rt: RoundtableView) -> list[Todo]:
    """Votes to cast or re-confirm (after the text changed)."""
    try:
        ballots = voting.my_ballots(db(), actor_id=user.id, roundtable_id=rt.id)
    except RecdraftError:
        return []
    if not ballots.eligible:
        return []
    items = [item for rnd in ballots.rounds for item in rnd.items if item.needs_action]
    to_confirm = sum(1 for item in items if item.stale)
    to_cast = len(items) - to_confirm
    out = []
    if to_cast:
        out.append(Todo(tr("overview.todo.votes", count=fmt_number(to_cast)), "vote"))
    if to_confirm:
        out.append(Todo(tr("overview.todo.reconfirm", count=fmt_number(to_confirm)), "vote"))
    return out


def _word(prefix: str, value: object) -> str:
    key = f"{prefix}.{value}"
    return tr(key) if key in catalog() else str(value or "")


def event_sentence(event: AuditEventView) -> str:
    """One activity event as a sentence in the interface language (by its action key)."""
    who = event.actor_name or tr("activity.someone")
    key = f"activity.{event.action}"
    if key not in catalog():
        return tr("activity.other", actor=who)
    to = (event.details or {}).get("to")
    return tr(key, actor=who, phase=_word("phase", to), role=_word("role", to))


def _header(rt: RoundtableView) -> None:
    st.caption(tr("nav.roundtable"))
    st.header(plain_markdown(localized(rt.title)), anchor=False)
    facts = st.container(border=True, horizontal=True, gap="large")
    for label, value in (
        ("overview.date", fmt_date(rt.held_on)),
        ("overview.phase", phase_name(rt.phase)),
        ("overview.languages", ", ".join(code.upper() for code in rt.languages) or "—"),
        ("overview.venue", localized(rt.venue) or "—"),
    ):
        cell = facts.container(width="content", gap=None)
        cell.caption(tr(label))
        cell.text(value)


def _phase_now(member: Member) -> None:
    """What the phase means, and what this person can do in it now."""
    rt = member.roundtable
    phase_note(rt)
    with st.container(border=True, key="overview_phase"):
        st.markdown(f"**{escape_markdown(tr('phase_ui.now', phase=phase_name(rt.phase)))}**")
        if f"phase_ui.means.{rt.phase}" in catalog():
            st.caption(tr(f"phase_ui.means.{rt.phase}"))
        can = actions_now(member)
        if can:
            st.markdown(
                escape_markdown(tr("phase_ui.you_can"))
                + "\n"
                + "\n".join(f"- {escape_markdown(tr(f'phase_ui.can.{a.value}'))}" for a in can)
            )
        else:
            st.markdown(escape_markdown(tr("phase_ui.can.read_only")))


def _show_todos(member: Member) -> None:
    st.subheader(tr("overview.todos"), anchor=False)
    with errors_shown():
        todos = _todos(member)
        if not todos:
            st.success(tr("overview.nothing_to_do"), icon=":material/check_circle:")
        for todo in todos:
            text, link = st.container(border=True).columns([3, 1], vertical_alignment="center")
            text.text(todo.text)
            target = PAGES / f"{todo.page}.py" if todo.page else None
            if target is not None and target.exists():
                try:
                    link.page_link(
                        target, label=tr("overview.open"), icon=":material/arrow_forward:", query_params=todo.query
                    )
                except Exception:  # noqa: BLE001 - a page the person's menu does not offer
                    pass


@dataclass
class FeedLine:
    """Consecutive events of one kind by one person, shown as one line."""

    sentence: str
    newest: AuditEventView
    count: int = 1
    numbers: list[int] = field(default_factory=list)


def _rec_numbers(user: UserView, rt: RoundtableView) -> dict[int, int]:
    page = recommendations.list_recommendations(
        db(), actor_id=user.id, roundtable_id=rt.id, page_size=recommendations.MAX_PAGE_SIZE
    )
    return {r.id: r.number for r in page.items}


def _rec_of(event: AuditEventView) -> int | None:
    if event.object_type == "recommendation":
        return event.object_id
    value = (event.details or {}).get("recommendation_id")
    return value if isinstance(value, int) else None


# Routine events (downloads of the memo and the vote record) are folded and listed after the rest, so
# "exported the memo ×18" does not crowd the top of the list.
ROUTINE_ACTIONS = frozenset({"memo.export", "voting.export"})


def feed_lines(events: list[AuditEventView], numbers: dict[int, int]) -> list[FeedLine]:
    """Events newest first; the same person doing the same thing is one line (wherever the repeats are),
    and routine events come last."""
    lines: list[FeedLine] = []
    by_sentence: dict[str, FeedLine] = {}
    for event in events:
        sentence = event_sentence(event)
        number = numbers.get(_rec_of(event) or 0)
        line = by_sentence.get(sentence)
        if line is not None:
            line.count += 1
        else:
            line = by_sentence[sentence] = FeedLine(sentence, event, numbers=[])
            lines.append(line)
        if number is not None and number not in line.numbers:
            line.numbers.append(number)
    return [line for line in lines if line.newest.action not in ROUTINE_ACTIONS] + [
        line for line in lines if line.newest.action in ROUTINE_ACTIONS
    ]


def _line_text(line: FeedLine) -> str:
    text = line.sentence
    if line.numbers:
        ordered = ", ".join(str(n) for n in sorted(line.numbers))
        text += " " + tr("overview.rec_one" if len(line.numbers) == 1 else "overview.rec_many", numbers=ordered)
    if line.count > 1:
        text += " " + tr("overview.times", count=fmt_number(line.count))
    return text


@dataclass
class FeedState:
    """The feed as loaded for this visit: kept on screen (and unread) until the person dismisses it."""

    roundtable_id: int
    span: str
    loaded_at: datetime
    mine: list[activity.PersonalEvent]
    lines: list[FeedLine]


FEED_SPANS = ("visit", "week")


def personal_sentence(event: activity.PersonalEvent) -> str:
    """One thing that concerns me, as a sentence (``friction.mine.<kind>``)."""
    key = f"friction.mine.{event.kind}"
    if key not in catalog():
        key = "friction.mine.other"
    return tr(
        key,
        number=event.recommendation_number,
        reason=event.reason or "—",
        excerpt=event.excerpt,
        who=event.actor_name or tr("activity.someone"),
        status=_word("recs.status", event.status),
    )


def _load_feed(user: UserView, rt: RoundtableView, span: str) -> FeedState:
    now = datetime.now(UTC)
    since = now - timedelta(days=7) if span == "week" else None
    events = activity.activity_feed(db(), actor_id=user.id, roundtable_id=rt.id, since=since, limit=FEED_LIMIT)
    mine = activity.concerning_me(db(), actor_id=user.id, roundtable_id=rt.id, since=since)
    return FeedState(rt.id, span, now, mine, feed_lines(events, _rec_numbers(user, rt)) if events else [])


def _dismiss(user_id: int, state: FeedState) -> None:
    # Seen up to when the list was loaded: what happened while it was on screen stays new.
    with errors_shown():
        activity.mark_seen(db(), actor_id=user_id, roundtable_id=state.roundtable_id, when=state.loaded_at)
        st.session_state.pop(FEED_KEY, None)
        st.session_state[FEED_SPAN_KEY] = "visit"


FEED_SPAN_KEY = "overview_feed_span"


def _show_feed(user: UserView, rt: RoundtableView) -> None:
    st.subheader(tr("overview.changes"), anchor=False)
    span = (
        st.segmented_control(
            tr("friction.feed.span"),
            FEED_SPANS,
            key=FEED_SPAN_KEY,
            default="visit",
            required=True,
            format_func=lambda v: tr(f"friction.feed.{v}"),
        )
        or "visit"
    )
    stored = st.session_state.get(FEED_KEY)
    refresh = st.session_state.pop("overview_refresh_clicked", False)
    if refresh or not isinstance(stored, FeedState) or stored.roundtable_id != rt.id or stored.span != span:
        with errors_shown():
            st.session_state[FEED_KEY] = _load_feed(user, rt, span)
    state = st.session_state.get(FEED_KEY)
    if not isinstance(state, FeedState):
        return
    if state.mine:
        with st.container(border=True, key="overview_mine"):
            st.markdown(f"**{escape_markdown(tr('friction.feed.for_you'))}**")
            for event in state.mine:
                row = st.container(gap=None)
                row.caption(fmt_datetime(event.at))
                row.text(personal_sentence(event))
    if not state.lines and not state.mine:
        st.caption(tr("overview.no_changes") if span == "visit" else tr("friction.feed.nothing_week"))
    for line in state.lines:
        row = st.container(gap=None)
        row.caption(fmt_datetime(line.newest.at))
        row.text(_line_text(line))
    buttons = st.container(horizontal=True, gap="small")
    if span == "visit" and (state.lines or state.mine):
        buttons.button(
            tr("friction.feed.dismiss"),
            key="overview_dismiss",
            icon=":material/done_all:",
            on_click=_dismiss,
            args=(user.id, state),
            help=tr("friction.feed.dismiss_help"),
        )
    buttons.button(
        tr("overview.refresh"),
        key="overview_refresh",
        icon=":material/refresh:",
        type="tertiary",
        on_click=lambda: st.session_state.__setitem__("overview_refresh_clicked", True),
    )


def render() -> None:
    member = require_member()
    _header(member.roundtable)
    _phase_now(member)
    left, right = st.columns([1, 1], gap="large")
    with left:
        _show_todos(member)
    with right:
        _show_feed(member.user, member.roundtable)
