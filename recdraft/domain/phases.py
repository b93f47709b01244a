"""A roundtable's phases, in the order it normally moves through them.

A roundtable goes set-up → drafting → commenting (``discussion``) → voting → final (``closed``) → archived.
The phases in the middle are deliberately permissive (a text can still be improved while it is discussed,
a round can be run while comments come in): what they change is what the pages put first. The two ends
are strict: in set-up only the organisers prepare; once final, nobody drafts, comments or votes any more,
while moderators can still clear what blocks the final memo and admins export it; an archived roundtable is
read-only for everyone and still exportable. What each phase leaves open is a table of ``domain.policy``.
"""

from __future__ import annotations

from recdraft.domain.roles import Phase

# The order a roundtable normally moves in (a phase change may also go back, e.g. to reopen discussion).
PHASE_ORDER: tuple[Phase, ...] = (
    Phase.SETUP,
    Phase.DRAFTING,
    Phase.DISCUSSION,
    Phase.VOTING,
    Phase.CLOSED,
    Phase.ARCHIVED,
)


def is_read_only(phase: Phase | str) -> bool:
    """True for an archived roundtable: nothing in it changes any more."""
    return str(phase) == Phase.ARCHIVED.value
