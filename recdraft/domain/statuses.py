"""Recommendation, amendment and comment states and the paths between them."""

from __future__ import annotations

from enum import StrEnum

from recdraft.errors import InvalidTransition, Word


class RecStatus(StrEnum):
    DRAFT = "draft"
    DISCUSSION = "discussion"
    VOTING = "voting"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


# Why these paths: a text goes to the vote only after discussion; an outcome can be reopened for
# discussion (new evidence), a withdrawn text reinstated as a draft; a merge is final because the
# text now lives in another recommendation.
REC_TRANSITIONS: dict[RecStatus, frozenset[RecStatus]] = {
    RecStatus.DRAFT: frozenset({RecStatus.DISCUSSION, RecStatus.WITHDRAWN, RecStatus.MERGED}),
    RecStatus.DISCUSSION: frozenset({RecStatus.VOTING, RecStatus.DRAFT, RecStatus.WITHDRAWN, RecStatus.MERGED}),
    RecStatus.VOTING: frozenset({RecStatus.ADOPTED, RecStatus.REJECTED, RecStatus.DISCUSSION, RecStatus.WITHDRAWN}),
    RecStatus.ADOPTED: frozenset({RecStatus.DISCUSSION}),
    RecStatus.REJECTED: frozenset({RecStatus.DISCUSSION}),
    RecStatus.WITHDRAWN: frozenset({RecStatus.DRAFT}),
    RecStatus.MERGED: frozenset(),
}

EDITABLE_STATUSES = frozenset({RecStatus.DRAFT, RecStatus.DISCUSSION, RecStatus.VOTING})


def check_transition(current: RecStatus, target: RecStatus) -> None:
    """Raise InvalidTransition unless ``current → target`` is a defined path."""
    if target not in REC_TRANSITIONS[current]:
        allowed = ", ".join(sorted(REC_TRANSITIONS[current])) or Word("none")
        raise InvalidTransition("svc.content.rec_transition", status=current, target=target, allowed=allowed)


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class AmendmentStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CommentStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    HIDDEN = "hidden"
    REJECTED = "rejected"


class ModerationAction(StrEnum):
    APPROVE = "approve"
    HIDE = "hide"
    REJECT = "reject"
    RESTORE = "restore"


# approve: pending → published; hide: published → hidden; reject: pending → rejected;
# restore: hidden/rejected → published (a moderator's reasoned reversal).
MODERATION_PATHS: dict[ModerationAction, tuple[frozenset[CommentStatus], CommentStatus]] = {
    ModerationAction.APPROVE: (frozenset({CommentStatus.PENDING}), CommentStatus.PUBLISHED),
    ModerationAction.HIDE: (frozenset({CommentStatus.PUBLISHED, CommentStatus.PENDING}), CommentStatus.HIDDEN),
    ModerationAction.REJECT: (frozenset({CommentStatus.PENDING}), CommentStatus.REJECTED),
    ModerationAction.RESTORE: (frozenset({CommentStatus.HIDDEN, CommentStatus.REJECTED}), CommentStatus.PUBLISHED),
}


def moderation_target(current: CommentStatus, action: ModerationAction) -> CommentStatus:
    """The status ``action`` leads to from ``current``; raise InvalidTransition when not allowed."""
    sources, target = MODERATION_PATHS[action]
    if current not in sources:
        raise InvalidTransition("svc.content.moderation_path", action=action, status=current)
    return target


VISIBLE_COMMENT_STATUSES = frozenset({CommentStatus.PUBLISHED})


class Frozen(StrEnum):
    """The parts of a recommendation that its status may freeze."""

    TEXT = "text"  # the voted words (edits, restores, accepted amendments)
    DETAILS = "details"  # topic and priority
    COAUTHORS = "coauthors"  # who is named as its authors
    AMENDMENTS = "amendments"  # proposing, updating, accepting and rejecting amendments
    RESOLUTIONS = "resolutions"  # how its comments were resolved (addressed in revision N / declined)


# What an adopted text freezes, and why: the roundtable voted on THIS text, filed under this topic and
# priority, by these authors, with these amendments decided and these comments answered; the memo and its
# record must show exactly what was adopted. Nobody changes any of it, staff included, while the text is
# adopted; staff reopening it for discussion (adopted → discussion, an audited status change) unfreezes it.
# Comments may still be posted (they can be the reason to reopen) and moderated.
FROZEN_BY_STATUS: dict[RecStatus, frozenset[Frozen]] = {
    RecStatus.ADOPTED: frozenset(Frozen),
}


def is_frozen(status: RecStatus | str, part: Frozen) -> bool:
    """Whether ``part`` of a recommendation in ``status`` is frozen (pages hide the control, services refuse)."""
    try:
        current = RecStatus(status)
    except ValueError:
        return True  # an unknown stored status changes nothing
    return part in FROZEN_BY_STATUS.get(current, frozenset())
