"""What the roundtable's phase lets this person do now: the pages' one question, and the note saying why not.

Pages ask ``may(member, Action.X)`` before drawing a control: it looks the action up in ``member.actions``,
which the service computed from the one policy (``domain.policy.actions``) with the person's role read on
this run and the roundtable's phase — exactly what the services check on submit, so a control that is
shown works and a refused one is not shown at all. ``phase_note`` says in one line why the usual controls
are missing in the final and archived phases.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.roles import Phase
from recdraft.schemas.views import RoundtableView
from recdraft.ui.context import current_user, standing, tr

# The order a person reads "what you can do now" in.
ACTION_ORDER: tuple[Action, ...] = (
    Action.DRAFT,
    Action.COMMENT,
    Action.VOTE,
    Action.MODERATE,
    Action.RUN_ROUNDS,
    Action.EXPORT,
    Action.CONFIGURE,
    Action.CHANGE_PHASE,
)


def may(member: Any, action: Action | str) -> bool:
    """Whether the person looking at the page (a ``context.Member``) may do ``action`` now."""
    return Action(action) in member.actions


def actions_now(member: Any) -> list[Action]:
    """Everything the person may do now, in reading order."""
    return [a for a in ACTION_ORDER if a in member.actions]


def phase_is_open_for(where: Any, action: Action | str) -> bool:
    """Whether the phase leaves ``action`` open to someone (e.g. votes can be cast by experts now).

    ``where`` is a ``context.Member`` (its ``open_actions``) or the roundtable itself (the signed-in person's
    standing there, read on this run).
    """
    open_actions = getattr(where, "open_actions", None)
    if open_actions is None and isinstance(where, RoundtableView):
        user = current_user()
        found = standing(user, where.id) if user is not None else None
        open_actions = found.open_actions if found is not None else frozenset()
    return Action(action) in (open_actions or frozenset())


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
