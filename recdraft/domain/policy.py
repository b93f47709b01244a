"""Who may do what, where: the one policy every service enforces and every page shows.

A question is an ``Action`` asked with the person's standing in a roundtable: their role there (None for
someone who is not a member), the roundtable's phase, whether moderators and admins vote in it, and —
for an action on one recommendation — whether they are its author or a co-author.

- ``can(action, ...)`` answers yes or no;
- ``refusal(action, ...)`` says why not, as a catalogue message (None when the answer is yes): the
  phase first ("this roundtable is archived"), then the role ("only moderators and administrators…");
- ``actions(...)`` is every action open now: what a view hands to its page, so the page shows exactly
  the controls the server will accept and decides nothing by itself.

Services ask through one guard, ``services._base.require``, which reads the standing from the database
and raises PermissionDenied with the refusal. The rules themselves are two tables: who may do an action
at all (``ROLE_RULES``) and which actions each phase leaves open (``PHASE_RULES``); see
``domain.phases`` for the phases themselves.
"""

from __future__ import annotations

from enum import StrEnum

from recdraft.domain.roles import Phase, Role
from recdraft.i18n.messages import Msg


class Action(StrEnum):
    """The kinds of thing a person does in a roundtable."""

    DRAFT = "draft"  # create recommendations and amendments, translate
    EDIT = "edit"  # change one recommendation: its text, co-authors, a restored revision (authors and staff)
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

# Who may do each action at all, whatever the phase. EDIT: experts only on their own recommendation.
ROLE_RULES: dict[Action, frozenset[Role]] = {
    Action.DRAFT: _CONTRIBUTORS,
    Action.EDIT: _STAFF,
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
    Phase.SETUP: frozenset(
        {Action.DRAFT, Action.EDIT, Action.MODERATE, Action.EXPORT, Action.CONFIGURE, Action.CHANGE_PHASE}
    ),
    Phase.DRAFTING: _WORKING,
    Phase.DISCUSSION: _WORKING,
    Phase.VOTING: _WORKING,
    # Final: the texts and votes are settled; what blocks the memo can still be cleared, and rounds closed.
    Phase.CLOSED: frozenset({Action.MODERATE, Action.RUN_ROUNDS, Action.EXPORT, Action.CONFIGURE, Action.CHANGE_PHASE}),
    # Archived: read-only for everyone; still exportable; an admin can un-archive.
    Phase.ARCHIVED: frozenset({Action.EXPORT, Action.CHANGE_PHASE}),
}

# Why a phase refuses an action: one sentence per phase, naming what is still possible.
PHASE_REFUSALS: dict[Phase, str] = {
    Phase.SETUP: "svc.setup.phase_setup",
    Phase.CLOSED: "svc.setup.phase_final",
    Phase.ARCHIVED: "svc.setup.phase_archived",
}
# Why a role refuses an action.
ROLE_REFUSALS: dict[Action, str] = {action: f"svc.policy.{action.value}" for action in Action}
NOT_A_MEMBER = "svc.not_participant"


def role_of(value: Role | str | None) -> Role | None:
    """A Role from a stored value (None for no role or an unknown one: it may do nothing)."""
    if value is None or isinstance(value, Role):
        return value
    try:
        return Role(value)
    except ValueError:
        return None


def phase_of(value: Phase | str) -> Phase:
    """A Phase from a stored value; an unknown stored phase counts as archived (it writes nothing)."""
    if isinstance(value, Phase):
        return value
    try:
        return Phase(value)
    except ValueError:
        return Phase.ARCHIVED


def refusal(
    action: Action | str,
    *,
    role: Role | str | None,
    phase: Phase | str,
    moderators_vote: bool = False,
    is_author: bool = False,
) -> Msg | None:
    """Why ``role`` may not do ``action`` in a roundtable in ``phase`` (None: they may)."""
    act, who, when = Action(action), role_of(role), phase_of(phase)
    if who is None:
        return Msg(NOT_A_MEMBER)
    if act not in PHASE_RULES[when]:
        return Msg(PHASE_REFUSALS.get(when, PHASE_REFUSALS[Phase.ARCHIVED]))
    if who in ROLE_RULES[act]:
        return None
    if act == Action.VOTE and moderators_vote and who in _STAFF:
        return None
    if act == Action.EDIT and is_author and who == Role.EXPERT:
        return None
    return Msg(ROLE_REFUSALS[act])


def can(
    action: Action | str,
    *,
    role: Role | str | None,
    phase: Phase | str,
    moderators_vote: bool = False,
    is_author: bool = False,
) -> bool:
    """Whether ``role`` may do ``action`` in a roundtable in ``phase`` (unknown values: no)."""
    return refusal(action, role=role, phase=phase, moderators_vote=moderators_vote, is_author=is_author) is None


def actions(
    *, role: Role | str | None, phase: Phase | str, moderators_vote: bool = False, is_author: bool = False
) -> frozenset[Action]:
    """Every action open to ``role`` in ``phase``: what a page offers."""
    return frozenset(
        a for a in Action if can(a, role=role, phase=phase, moderators_vote=moderators_vote, is_author=is_author)
    )


def voting_roles(*, moderators_vote: bool) -> frozenset[Role]:
    """The roles that vote in a roundtable (experts; moderators and admins too when it lets them)."""
    return frozenset(r for r in Role if can(Action.VOTE, role=r, phase=Phase.VOTING, moderators_vote=moderators_vote))
