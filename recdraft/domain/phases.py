"""What can be done in each phase of a roundtable, by whom: one table the services enforce and the pages show.

A roundtable goes set-up → drafting → commenting (``discussion``) → voting → final (``closed``) → archived.
The phases in the middle are deliberately permissive (a text can still be improved while it is discussed,
a round can be run while comments come in): what they change is what the pages put first. The two ends
are strict: in set-up only the organisers prepare; once final, nobody drafts, comments or votes any more,
while moderators can still clear what blocks the final memo and admins export it; an archived roundtable is
read-only for everyone and still exportable.

``allowed(action, role=..., phase=...)`` is the one question both sides ask: a service raises
PermissionDenied when it says no, and a page shows a control only when it says yes.
"""

from __future__ import annotations

from enum import StrEnum

from recdraft.domain.roles import Phase, Role

# The order a roundtable normally moves in (a phase change may also go back, e.g. to reopen discussion).
PHASE_ORDER: tuple[Phase, ...] = (
    Phase.SETUP, Phase.DRAFTING, Phase.DISCUSSION, Phase.VOTING, Phase.CLOSED, Phase.ARCHIVED,
)


class Action(StrEnum):
    """The kinds of thing a person does in a roundtable."""

    DRAFT = "draft"  # create and edit recommendations, co-authors, amendments, restore a revision
    COMMENT = "comment"  # post, reply, edit one's own comment, flag a comment
    MODERATE = "moderate"  # approve / hide / reject comments, statuses, numbering, resolve comments
    VOTE = "vote"  # cast, change, confirm a vote; recuse
    RUN_ROUNDS = "run_rounds"  # open, close, carry forward a voting round; override a block
    EXPORT = "export"  # export the memo, list and verify snapshots
    CONFIGURE = "configure"  # settings, participants, invitations
    CHANGE_PHASE = "change_phase"  # move the roundtable to another phase (also archive and un-archive)


_STAFF = frozenset({Role.ADMIN, Role.MODERATOR})
_CONTRIBUTORS = frozenset({Role.ADMIN, Role.MODERATOR, Role.EXPERT})
_ADMINS = frozenset({Role.ADMIN})

# Who may do each action at all, whatever the phase.
ROLE_RULES: dict[Action, frozenset[Role]] = {
    Action.DRAFT: _CONTRIBUTORS,
    Action.COMMENT: _CONTRIBUTORS,
    Action.MODERATE: _STAFF,
    Action.VOTE: frozenset({Role.EXPERT}),  # moderators and admins too when the roundtable lets them vote
    Action.RUN_ROUNDS: _STAFF,
    Action.EXPORT: _ADMINS,
    Action.CONFIGURE: _ADMINS,
    Action.CHANGE_PHASE: _ADMINS,
}

_WORKING = frozenset(Action)
# Which actions a phase leaves open.
PHASE_RULES: dict[Phase, frozenset[Action]] = {
    # The organisers prepare: settings, participants, first drafts; nobody comments or votes yet.
    Phase.SETUP: frozenset({Action.DRAFT, Action.MODERATE, Action.EXPORT, Action.CONFIGURE, Action.CHANGE_PHASE}),
    Phase.DRAFTING: _WORKING,
    Phase.DISCUSSION: _WORKING,
    Phase.VOTING: _WORKING,
    # Final: the texts and votes are settled; what blocks the memo can still be cleared, and rounds closed.
    Phase.CLOSED: frozenset({Action.MODERATE, Action.RUN_ROUNDS, Action.EXPORT, Action.CONFIGURE,
                             Action.CHANGE_PHASE}),
    # Archived: read-only for everyone; still exportable; an admin can un-archive.
    Phase.ARCHIVED: frozenset({Action.EXPORT, Action.CHANGE_PHASE}),
}


def _role(role: Role | str | None) -> Role | None:
    if role is None or isinstance(role, Role):
        return role
    try:
        return Role(role)
    except ValueError:
        return None


def _phase(phase: Phase | str) -> Phase | None:
    if isinstance(phase, Phase):
        return phase
    try:
        return Phase(phase)
    except ValueError:
        return None


def allowed(action: Action | str, *, role: Role | str | None, phase: Phase | str,
            moderators_vote: bool = False) -> bool:
    """Whether a person with ``role`` may do ``action`` in a roundtable in ``phase`` (unknown values: no)."""
    act, who, when = Action(action), _role(role), _phase(phase)
    if who is None or when is None or act not in PHASE_RULES[when]:
        return False
    if act == Action.VOTE and moderators_vote and who in _STAFF:
        return True
    return who in ROLE_RULES[act]


def allowed_actions(*, role: Role | str | None, phase: Phase | str, moderators_vote: bool = False) -> frozenset[Action]:
    """Every action ``role`` may take in ``phase``: what a page offers."""
    return frozenset(a for a in Action if allowed(a, role=role, phase=phase, moderators_vote=moderators_vote))


def is_read_only(phase: Phase | str) -> bool:
    """True for an archived roundtable: nothing in it changes any more."""
    return _phase(phase) == Phase.ARCHIVED
