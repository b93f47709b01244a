"""Co-authors of one recommendation: the author (or a moderator, an administrator) adds and removes them.

Co-authors are chosen among the roundtable's contributing participants (experts, moderators and
administrators; never observers); a co-author can then edit the text like the author. The service
(``recommendations.set_coauthors``) checks who may choose and who may be chosen again on save; the page
only decides whom to offer the form to and whom to list.
"""

from __future__ import annotations

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.domain.statuses import Frozen, is_frozen
from recdraft.schemas.views import MembershipView, RecommendationView
from recdraft.services import recommendations as rec_service
from recdraft.ui.context import db, errors_shown, tr
from recdraft.ui.widgets.page import Member, flash
from recdraft.ui.widgets.phase_gate import may

CONTRIBUTING = frozenset({Role.ADMIN, Role.MODERATOR, Role.EXPERT})


def may_choose(member: Member, rec: RecommendationView) -> bool:
    """The author and the roundtable's staff choose co-authors (as the service allows)."""
    if is_frozen(rec.status, Frozen.COAUTHORS):  # an adopted text's authors are frozen (domain.statuses)
        return False
    return may(member, Action.MODERATE) or (Action.EDIT in rec.actions and rec.created_by == member.user.id)


def candidates(members: list[MembershipView], rec: RecommendationView) -> list[MembershipView]:
    """Who can be a co-author: active contributing participants other than the author (current ones always listed)."""
    return [
        m
        for m in members
        if m.user_id != rec.created_by and m.role in CONTRIBUTING and (m.is_active or m.user_id in rec.coauthor_ids)
    ]


def _label(m: MembershipView) -> str:
    return f"{m.display_name} ({m.organisation})" if m.organisation else m.display_name


def coauthors_editor(member: Member, rec: RecommendationView, members: list[MembershipView]) -> None:
    """The co-author form of ``rec`` for its author and the staff (nothing for anyone else); ``members``: the
    roundtable's participants, as the page read them."""
    if not may_choose(member, rec):
        return
    offered = candidates(members, rec)
    current = sorted(uid for uid in rec.coauthor_ids if any(m.user_id == uid for m in offered))
    labels = {m.user_id: _label(m) for m in offered}
    pick_key, seed_key = f"coauthors_pick_{rec.id}", f"coauthors_seed_{rec.id}"
    # Start the choice from what is stored, and again whenever the stored co-authors change.
    if st.session_state.get(seed_key) != current:
        st.session_state[pick_key] = current
        st.session_state[seed_key] = current
    with st.expander(
        tr("coauthors.title", count=len(rec.coauthor_ids)), icon=":material/group_add:", key=f"coauthors_box_{rec.id}"
    ):
        st.caption(tr("coauthors.help"))
        if not offered:
            st.caption(tr("coauthors.nobody"))
            return
        with st.form(f"coauthors_form_{rec.id}", border=False, enter_to_submit=False):
            chosen = st.multiselect(
                tr("coauthors.choose"),
                [m.user_id for m in offered],
                key=pick_key,
                format_func=labels.__getitem__,
                placeholder=tr("coauthors.choose_hint"),
            )
            sent = st.form_submit_button(
                tr("coauthors.save"), type="primary", key=f"coauthors_save_{rec.id}", icon=":material/save:"
            )
        if not sent:
            return
        if sorted(chosen) == current:
            st.info(tr("coauthors.unchanged"))
            return
        with errors_shown():
            rec_service.set_coauthors(db(), actor_id=member.user.id, recommendation_id=rec.id, user_ids=list(chosen))
            st.session_state.pop(seed_key, None)
            flash("coauthors.saved", count=len(chosen))
            st.rerun()
