"""Draft a new recommendation, or edit one (``?rec=<id>``) from the revision the edit started from.

Why the state is kept as it is:
- ``base_revision_id`` is remembered when editing starts and never re-read at save time, so a save
  after someone else's is refused (``Conflict``) instead of silently overwriting their text.
- The submission key is made from a random value created when the form opens plus what is being
  saved, so a double click stores one revision and a changed text is a new submission.
- On a conflict the person keeps their text in the form (it is also stored on the server), sees
  both texts side by side with a word diff, and saves the merge against the new current revision;
  the kept text is then marked as merged. Kept texts from earlier conflicts are listed below.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.statuses import EDITABLE_STATUSES, Priority, RecStatus
from recdraft.errors import Conflict
from recdraft.i18n.formats import zone
from recdraft.schemas.content import FIELDS
from recdraft.schemas.views import RecommendationView, RoundtableView
from recdraft.services import recommendations as rec_service
from recdraft.ui.context import browser_timezone, db, errors_shown, fmt_datetime, lang, tr
from recdraft.ui.render import escape_markdown, plain_markdown, user_text_markdown
from recdraft.ui.widgets import content_form
from recdraft.ui.widgets.diff import content_changes, diff_legend, show_changes
from recdraft.ui.widgets.labels import (
    CONTENT_LANGS,
    badge,
    field_label,
    labels_for,
    language_name,
    priority_label,
    title_of,
)
from recdraft.ui.widgets.page import (
    Member,
    forget_topics,
    go_to,
    query_int,
    require_member,
    submission_key,
)
from recdraft.ui.widgets.phase_gate import may, note_key, phase_is_open_for, phase_name, phase_note
from recdraft.ui.widgets.topics import topic_label, topic_options

NEW_PREFIX = "draft_new"


def _as_json(content: Any) -> dict[str, dict[str, str]]:
    return {
        code: (value.model_dump() if hasattr(value, "model_dump") else dict(value))
        for code, value in (content or {}).items()
    }


def _details_inputs(prefix: str, topics: list[str], rt: RoundtableView | None = None) -> tuple[str, str]:
    left, right = st.columns([3, 2])
    current_topic = st.session_state.get(f"{prefix}_topic") or ""
    options = ["", *topics] if not current_topic or current_topic in topics else ["", current_topic, *topics]
    no_topic = tr("draft.no_topic")
    # Labels fixed in this run's language (format_func may be called outside the run).
    names = {t: (topic_label(rt, t) if rt is not None else t) or no_topic for t in options}
    topic = left.selectbox(
        tr("recs.field.topic"),
        options,
        key=f"{prefix}_topic",
        accept_new_options=True,
        format_func=lambda t: names.get(t, t) or no_topic,
        help=tr("draft.topic_help"),
    )
    priorities = [p.value for p in Priority]
    priority = right.radio(
        tr("recs.field.priority"),
        priorities,
        key=f"{prefix}_priority",
        horizontal=True,
        format_func=labels_for(priorities, priority_label),
    )
    return topic or "", priority or Priority.MEDIUM.value


def _topics(member: Member) -> list[str]:
    """The roundtable's own topics first, then those other recommendations already use."""
    try:
        used = rec_service.list_topics(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    except Exception:  # noqa: BLE001 - the list is a convenience; the service checks what is saved
        used = []
    return topic_options(member.roundtable, used)


# ----------------------------------------------------------------------------- new


def _create(member: Member) -> None:
    st.title(tr("draft.new_title"))
    state = st.session_state.setdefault("draft_new_state", {"nonce": uuid.uuid4().hex, "done": None})
    if state["done"]:
        st.success(tr("draft.created", number=state["done"][1]))
        open_col = again_col = st.container(horizontal=True, gap="small")
        if open_col.button(tr("draft.open_it"), key="draft_open_created", type="primary"):
            go_to("recommendations", rec=state["done"][0])
        if again_col.button(tr("draft.another"), key="draft_another"):
            st.session_state.pop("draft_new_state", None)
            content_form.seed(NEW_PREFIX, {})
            for suffix in ("topic", "priority", "note"):
                st.session_state.pop(f"{NEW_PREFIX}_{suffix}", None)
            st.rerun()
        return
    st.caption(tr("draft.new_hint"))
    content_form.ensure_seeded(NEW_PREFIX, "new", {})
    topics = _topics(member)
    st.session_state.setdefault(f"{NEW_PREFIX}_priority", Priority.MEDIUM.value)
    with st.form("draft_new_form", border=True, enter_to_submit=False):
        content_form.content_inputs(NEW_PREFIX)
        topic, priority = _details_inputs(NEW_PREFIX, topics, member.roundtable)
        sent = st.form_submit_button(tr("draft.create"), type="primary", icon=":material/save:", key="draft_create")
    if sent:
        content = content_form.collect(NEW_PREFIX)
        key = submission_key(state["nonce"], content, topic, priority)
        with errors_shown():
            view = rec_service.create_recommendation(
                db(),
                actor_id=member.user.id,
                roundtable_id=member.roundtable.id,
                content=content,
                topic=topic,
                priority=priority,
                submission_key=key,
            )
            state["done"] = (view.id, view.number)
            forget_topics()
            st.rerun()


# ----------------------------------------------------------------------------- edit


def _edit_state(rec: RecommendationView) -> dict[str, Any]:
    key = f"draft_edit_{rec.id}"
    state = st.session_state.get(key)
    if state is None:
        state = {
            "base_revision_id": rec.current_revision.id,
            "base_number": rec.current_revision.number,
            "nonce": uuid.uuid4().hex,
            "kept_ids": [],
            "conflict": None,
            "done": None,
        }
        st.session_state[key] = state
        prefix = _prefix(rec.id)
        content_form.seed(prefix, rec.current_revision.content)
        st.session_state[f"{prefix}_topic"] = rec.topic
        st.session_state[f"{prefix}_priority"] = rec.priority
        st.session_state[f"{prefix}_note"] = ""
        st.session_state[f"{prefix}__seeded"] = rec.current_revision.id
    return state


def _prefix(rec_id: int) -> str:
    return f"draft_edit_{rec_id}_f"


def _stop_editing(rec_id: int) -> None:
    st.session_state.pop(f"draft_edit_{rec_id}", None)
    st.session_state.pop(f"{_prefix(rec_id)}__seeded", None)


def _side_by_side(conflict: dict[str, Any]) -> None:
    """Their text (the current revision) and yours, field by field, then the word diff from theirs to yours."""
    theirs, yours = conflict["current"], conflict["yours"]
    same: list[str] = []
    for code in CONTENT_LANGS:
        if code not in theirs and code not in yours:
            continue
        a, b = theirs.get(code, {}), yours.get(code, {})
        for field in FIELDS:
            before, after = a.get(field, "") or "", b.get(field, "") or ""
            if not before and not after:
                continue
            label = f"{field_label(field)} · {language_name(code)}"
            if before == after:
                same.append(label)
                continue
            st.markdown(f"**{escape_markdown(label)}**")
            left, right = st.columns(2)
            with left.container(border=True, key=f"draft_theirs_{code}_{field}"):
                st.caption(tr("draft.conflict.theirs", number=conflict["current_number"]))
                st.markdown(user_text_markdown(before) if before else f"*{escape_markdown(tr('draft.empty'))}*")
            with right.container(border=True, key=f"draft_yours_{code}_{field}"):
                st.caption(tr("draft.conflict.yours"))
                st.markdown(user_text_markdown(after) if after else f"*{escape_markdown(tr('draft.empty'))}*")
    if same:
        st.caption(tr("draft.conflict.same", fields=", ".join(same)))
    with st.expander(tr("draft.conflict.diff"), expanded=True):
        diff_legend()
        show_changes(content_changes(theirs, yours))


def _kept_texts(member: Member, rec: RecommendationView, state: dict[str, Any]) -> None:
    """Texts kept from earlier conflicts: nothing typed is ever lost."""
    kept = []
    with errors_shown():
        kept = rec_service.list_rejected_edits(db(), actor_id=member.user.id, recommendation_id=rec.id)
    if not kept:
        return
    open_count = sum(1 for k in kept if k.resolved_revision_id is None)
    with st.expander(
        tr("draft.kept.title", count=len(kept), open=open_count), icon=":material/inventory_2:", expanded=False
    ):
        st.caption(tr("draft.kept.hint"))
        for k in reversed(kept):
            with st.container(border=True, key=f"draft_kept_{k.id}"):
                status = (
                    badge(tr("draft.kept.merged"), "green")
                    if k.resolved_revision_id
                    else badge(tr("draft.kept.not_merged"), "orange")
                )
                st.markdown(
                    " · ".join(
                        [
                            f"**{escape_markdown(tr('draft.kept.n', number=k.id))}**",
                            escape_markdown(fmt_datetime(k.created_at)),
                            status,
                        ]
                    )
                )
                code = next(iter(k.content))
                st.markdown(f"**{plain_markdown(k.content[code].title)}**")
                st.markdown(
                    user_text_markdown(k.content[code].text[:600] + ("…" if len(k.content[code].text) > 600 else ""))
                )
                if k.author_id == member.user.id and k.resolved_revision_id is None:
                    if st.button(tr("draft.kept.load"), key=f"draft_kept_load_{k.id}", icon=":material/upload:"):
                        st.session_state["draft_load_kept"] = (rec.id, k.id)
                        st.rerun()


def _load_kept(member: Member, rec: RecommendationView, state: dict[str, Any]) -> None:
    """Put a kept text into the form (before the widgets are drawn); it is marked merged when saved."""
    wanted = st.session_state.pop("draft_load_kept", None)
    if not wanted or wanted[0] != rec.id:
        return
    with errors_shown():
        kept = rec_service.get_rejected_edit(db(), actor_id=member.user.id, draft_id=wanted[1])
        content_form.seed(_prefix(rec.id), kept.content)
        if kept.id not in state["kept_ids"]:
            state["kept_ids"].append(kept.id)
        st.toast(tr("draft.kept.loaded"))


def _save_edit(
    member: Member, rec: RecommendationView, state: dict[str, Any], topic: str, priority: str, note: str
) -> None:
    """One Save, one service call: the text, the topic and priority, and the kept texts it merges."""
    prefix = _prefix(rec.id)
    content = content_form.collect(prefix)
    key = submission_key(state["nonce"], state["base_revision_id"], content, note, topic, priority)
    with errors_shown():
        try:
            outcome = rec_service.edit_recommendation(
                db(),
                actor_id=member.user.id,
                recommendation_id=rec.id,
                base_revision_id=state["base_revision_id"],
                content=content,
                note=note,
                topic=topic,
                priority=priority,
                merged_draft_ids=list(state["kept_ids"]),
                submission_key=key,
            )
        except Conflict as conflict:
            number = conflict.current_revision_number  # every Conflict names the other revision and its author
            state["conflict"] = {
                "message": conflict.text(lang()),
                "current": _as_json(conflict.current),
                "yours": _as_json(conflict.yours),
                "current_revision_id": conflict.current_revision_id,
                "current_number": number,
                "author": conflict.current_author_name,
                "saved_at": conflict.current_saved_at,
            }
            # The next save is made against the text that is current now; the kept copy is merged by it.
            state["base_revision_id"] = conflict.current_revision_id
            state["base_number"] = number
            if conflict.saved_draft_id and conflict.saved_draft_id not in state["kept_ids"]:
                state["kept_ids"].append(conflict.saved_draft_id)
            st.rerun()
        state["kept_ids"] = []
        if outcome.details:
            forget_topics()
        kind = "saved" if outcome.revision_saved else "details" if outcome.details else "nothing"
        state["done"] = (kind, outcome.current_revision.number)
        state["conflict"] = None
        st.rerun()


def _done_message(done: Any) -> str:
    """What the Save did: a new revision, only the details (votes still count), or nothing at all."""
    kind, number = done if isinstance(done, tuple) else ("saved", done)
    if kind == "nothing":
        return tr("record.draft.nothing_changed", number=number)
    if kind == "details":
        return tr("record.draft.details_saved", number=number)
    return tr("draft.saved", number=number)


def conflict_message(conflict: dict[str, Any]) -> str:
    """Who saved the other revision, and when ("Aigerim Sarsenova saved revision 5 at 14:32")."""
    number, name, when = conflict.get("current_number"), conflict.get("author"), conflict.get("saved_at")
    if not name or when is None:
        return tr("draft.conflict.message", number=number)
    zone_ = zone(browser_timezone())
    aware = when if when.tzinfo else when.replace(tzinfo=UTC)
    local = aware.astimezone(zone_)
    if local.date() == datetime.now(zone_).date():
        return tr("record.draft.conflict_today", name=name, number=number, time=f"{local:%H:%M}")
    return tr("record.draft.conflict_earlier", name=name, number=number, when=fmt_datetime(when))


def _edit(member: Member, rec_id: int) -> None:
    rec = None
    with errors_shown():
        rec = rec_service.get_recommendation(db(), actor_id=member.user.id, recommendation_id=rec_id)
    if rec is None:
        return
    title = title_of(rec.current_revision.content)
    st.title(tr("draft.edit_title", number=rec.number))
    st.markdown(f"**{plain_markdown(title)}**")
    with errors_shown():  # each language's status; translating is its own step (the Translations page)
        from recdraft.services import translations as translation_service
        from recdraft.ui.widgets.translations import language_statuses

        language_statuses(translation_service.get_translations(db(), actor_id=member.user.id, recommendation_id=rec.id))
    if Action.EDIT not in rec.actions:  # the service says: authors, moderators, admins
        st.warning(tr("draft.not_author"))
        return
    if RecStatus(rec.status) not in EDITABLE_STATUSES:
        st.warning(tr("draft.not_editable"))
        return
    state = _edit_state(rec)
    if state["done"]:
        nothing = isinstance(state["done"], tuple) and state["done"][0] == "nothing"
        (st.info if nothing else st.success)(_done_message(state["done"]))
        open_col = again_col = st.container(horizontal=True, gap="small")
        if open_col.button(tr("draft.open_it"), key="draft_open_saved", type="primary"):
            _stop_editing(rec.id)
            go_to("recommendations", rec=rec.id)
        if again_col.button(tr("draft.edit_again"), key="draft_edit_again"):
            _stop_editing(rec.id)
            st.rerun()
        return
    _load_kept(member, rec, state)
    conflict = state.get("conflict")
    if conflict:
        st.error(conflict_message(conflict), icon=":material/call_split:")
        st.caption(tr("draft.conflict.kept"))
        _side_by_side(conflict)
        st.markdown(f"#### {tr('draft.conflict.merge')}")
        st.caption(tr("draft.conflict.merge_hint", number=conflict["current_number"]))
    else:
        st.caption(tr("draft.editing_from", number=state["base_number"]))
    prefix = _prefix(rec.id)
    topics = _topics(member)
    with st.form(f"draft_edit_form_{rec.id}", border=True, enter_to_submit=False):
        content_form.content_inputs(prefix)
        topic, priority = _details_inputs(prefix, topics, member.roundtable)
        note = st.text_input(tr("draft.note"), key=f"{prefix}_note", help=tr("draft.note_help"))
        save_col = cancel_col = st.container(horizontal=True, gap="small")
        sent = save_col.form_submit_button(
            tr("draft.save_merge") if conflict else tr("draft.save"),
            type="primary",
            icon=":material/save:",
            key=f"draft_save_{rec.id}",
        )
        cancel = cancel_col.form_submit_button(tr("recs.cancel"), key=f"draft_cancel_{rec.id}")
    if cancel:
        _stop_editing(rec.id)
        go_to("recommendations", rec=rec.id)
    if sent:
        _save_edit(member, rec, state, topic, priority, note or "")
    _kept_texts(member, rec, state)


# ----------------------------------------------------------------------------- page


def render() -> None:
    """The whole page."""
    member = require_member()
    if not may(member, Action.DRAFT) and phase_is_open_for(member, Action.DRAFT):
        st.warning(tr("draft.observer"))
        st.stop()
    if not may(member, Action.DRAFT):
        # Neither a new text nor an edit works in this phase: say why instead of a form that would be refused.
        phase_note(member.roundtable)
        if note_key(member.roundtable) is None:
            st.info(tr("phase_ui.drafting_not_open", phase=phase_name(member.roundtable.phase)), icon=":material/lock:")
        st.stop()
    selected = query_int("rec")
    if selected is not None:
        _edit(member, selected)
    else:
        _create(member)
