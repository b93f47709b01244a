"""Recommendations — one recommendation's history: its revisions (compare, restore) and the changes of its
details (topic, priority). Notes the program wrote are shown in the reader's language.
"""

from __future__ import annotations

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.statuses import EDITABLE_STATUSES, RecStatus
from recdraft.schemas.views import RecommendationView
from recdraft.services import revisions as revision_service
from recdraft.ui.context import (
    db,
    errors_shown,
    fmt_datetime,
    lang,
    tr,
)
from recdraft.ui.render import (
    escape_markdown,
    plain_markdown,
    user_text_markdown,
)
from recdraft.ui.widgets.diff import (
    diff_legend,
    show_revision_diff,
)
from recdraft.ui.widgets.labels import (
    badge,
    labels_for,
    priority_label,
)
from recdraft.ui.widgets.page import (
    Member,
    flash,
)
from recdraft.ui.widgets.topics import topic_label


def _history(member: Member, rec: RecommendationView, revisions: list, code: str) -> None:
    for rev in reversed(revisions):
        line = [
            f"**{escape_markdown(tr('recs.revision_n', number=rev.number))}**",
            escape_markdown(tr(f"recs.kind.{rev.kind}")),
            plain_markdown(rev.author_name),
            escape_markdown(fmt_datetime(rev.created_at)),
        ]
        if rev.id == rec.current_revision.id:
            line.append(badge(tr("recs.current"), "green"))
        st.markdown(" · ".join(line))
        if rev.note:
            st.caption(user_text_markdown(rev.note_in(lang())))
    _detail_changes(member, rec)
    if len(revisions) < 2:
        return
    st.divider()
    st.markdown(f"#### {tr('recs.compare')}")
    numbers = [r.number for r in revisions]
    by_number = {r.number: r for r in revisions}
    revision_label = labels_for(numbers, lambda n: tr("recs.revision_n", number=n))
    left, right = st.columns(2)
    old = left.selectbox(
        tr("recs.compare.from"),
        numbers,
        index=len(numbers) - 2,
        key=f"recs_cmp_old_{rec.id}",
        format_func=revision_label,
    )
    new = right.selectbox(
        tr("recs.compare.to"), numbers, index=len(numbers) - 1, key=f"recs_cmp_new_{rec.id}", format_func=revision_label
    )
    diff_legend()
    with errors_shown():
        diff = revision_service.diff_revisions(
            db(),
            actor_id=member.user.id,
            recommendation_id=rec.id,
            old_revision_id=by_number[old].id,
            new_revision_id=by_number[new].id,
        )
        show_revision_diff(diff, code)
    if Action.EDIT in rec.actions and RecStatus(rec.status) in EDITABLE_STATUSES:
        older = [n for n in numbers if by_number[n].id != rec.current_revision.id]
        st.divider()
        pick, button = st.columns([3, 2], vertical_alignment="bottom")
        number = pick.selectbox(
            tr("recs.restore.which"), list(reversed(older)), key=f"recs_restore_{rec.id}", format_func=revision_label
        )
        if button.button(tr("recs.restore"), key=f"recs_restore_btn_{rec.id}", icon=":material/history:"):
            with errors_shown():
                revision_service.restore_revision(
                    db(), actor_id=member.user.id, recommendation_id=rec.id, revision_id=by_number[number].id
                )
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
        changes = revision_service.list_detail_changes(db(), actor_id=member.user.id, recommendation_id=rec.id)
    if not changes:
        return
    st.markdown(f"**{escape_markdown(tr('friction.history.details'))}**")
    for c in reversed(changes):
        st.markdown(
            " · ".join(
                [
                    escape_markdown(
                        tr(
                            f"friction.history.{c.field}",
                            before=_detail_value(member, c.field, c.before),
                            after=_detail_value(member, c.field, c.after),
                        )
                    ),
                    plain_markdown(c.actor_name or "—"),
                    escape_markdown(fmt_datetime(c.at)),
                ]
            )
        )
