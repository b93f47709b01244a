"""What the roundtable's phase lets this person do now: the pages' one question, and the note saying why not.

Pages ask ``may(member, Action.X)`` before drawing a control; it asks ``recdraft.domain.phases.allowed``
with the person's role read on this run and the roundtable's phase, exactly as the services do on submit,
so a control that is shown works and a refused one is not shown at all. ``phase_note`` says in one line
why the usual controls are missing in the final and archived phases.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.domain.policy import Action, actions, can
from recdraft.domain.roles import Phase
from recdraft.schemas.views import RoundtableView
from recdraft.ui.context import tr

# The order a person reads "what you can do now" in.
ACTION_ORDER: tuple[Action, ...] = (
    Action.DRAFT, Action.COMMENT, Action.VOTE, Action.MODERATE, Action.RUN_ROUNDS, Action.EXPORT,
    Action.CONFIGURE, Action.CHANGE_PHASE,
)


def _moderators_vote(rt: RoundtableView) -> bool:
    return bool((rt.settings or {}).get("moderators_vote", False))


def may_in(rt: RoundtableView, role: str | None, action: Action | str) -> bool:
    """Whether ``role`` may do ``action`` in ``rt`` in its current phase (the services' own rule)."""
    return can(action, role=role, phase=rt.phase, moderators_vote=_moderators_vote(rt))


def may(member: Any, action: Action | str) -> bool:
    """Whether the person looking at the page (anything with ``.roundtable`` and ``.role``) may do ``action`` now."""
    return may_in(member.roundtable, member.role, action)


def actions_now(rt: RoundtableView, role: str | None) -> list[Action]:
    """Everything ``role`` may do in ``rt`` now, in reading order."""
    open_ = actions(role=role, phase=rt.phase, moderators_vote=_moderators_vote(rt))
    return [a for a in ACTION_ORDER if a in open_]


def phase_is_open_for(rt: RoundtableView, action: Action | str) -> bool:
    """Whether the phase leaves ``action`` open to someone (e.g. votes can be cast by experts now)."""
    return any(can(action, role=role, phase=rt.phase, moderators_vote=True)
               for role in ("admin", "moderator", "expert"))


def phase_name(phase: str) -> str:
    """The phase as people call it (set-up, drafting, commenting, voting, final, archived): the shared
    ``phase.*`` words, else this module's own (for a phase the shared catalogue does not name yet)."""
    for key in (f"phase.{phase}", f"phase_ui.name.{phase}"):
        try:
            return tr(key)
        except KeyError:
            continue
    return phase


def note_key(rt: RoundtableView) -> str | None:
    """The catalogue key of the note for a phase that closes things (final, archived); None otherwise."""
    if rt.phase == Phase.CLOSED:
        return "phase_ui.note.closed"
    if rt.phase == Phase.ARCHIVED:
        return "phase_ui.note.archived"
    return None


def phase_note(rt: RoundtableView) -> None:
    """In the final and archived phases, say once at the top of the page why texts, comments and votes are closed."""
    key = note_key(rt)
    if key is not None:
        st.info(tr(key), icon=":material/lock:")
