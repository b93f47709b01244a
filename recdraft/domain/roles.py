"""The words of a roundtable: roles, phases and moderation modes.

Who may do what is ``domain.policy`` (``can``, ``refusal``, ``actions``). The ``can_*`` questions below are
its older form, still asked by a few services and pages; they go when the last of those asks the policy.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"
    EXPERT = "expert"
    OBSERVER = "observer"


class Phase(StrEnum):
    """A roundtable's life: set-up, drafting, commenting, voting, final, archived (see ``domain.phases``)."""

    SETUP = "setup"
    DRAFTING = "drafting"
    DISCUSSION = "discussion"
    VOTING = "voting"
    CLOSED = "closed"  # final: the memo is prepared; nobody drafts, comments or votes
    ARCHIVED = "archived"  # read-only for everyone, still exportable


class ModerationMode(StrEnum):
    PRE = "pre"  # comments are pending until a moderator approves them
    POST = "post"  # comments appear at once; moderators can hide them afterwards


STAFF = frozenset({Role.ADMIN, Role.MODERATOR})
CONTRIBUTORS = frozenset({Role.ADMIN, Role.MODERATOR, Role.EXPERT})


def can_contribute(role: Role | None) -> bool:
    """Draft, amend and comment: experts, moderators and admins; never observers."""
    return role in CONTRIBUTORS


def can_moderate(role: Role | None) -> bool:
    """Moderate comments, change statuses, renumber, open rounds."""
    return role in STAFF


def can_administer(role: Role | None) -> bool:
    """Roundtable settings, phases, memberships and invitations."""
    return role == Role.ADMIN


def can_edit_recommendation(role: Role | None, *, is_author: bool) -> bool:
    """Authors and co-authors edit their own recommendation; moderators and admins edit any."""
    return can_moderate(role) or (role == Role.EXPERT and is_author)
