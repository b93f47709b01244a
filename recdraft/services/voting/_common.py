"""What every part of the voting package reads: a round's status and rules, its items, who votes, the views.

Private to ``recdraft.services.voting``: rounds, ballots, results and the CSV export all stand on it, and it
imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.models import Membership, Roundtable, User, utcnow
from recdraft.db.voting_models import RoundItem, RoundVoter, Vote, VotingRound
from recdraft.domain import policy
from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.domain.voting import RoundRules
from recdraft.errors import NotFound, PermissionDenied
from recdraft.schemas.voting import RoundAction, RoundView, VoteView
from recdraft.services._base import Actor, _System, actor, member_role, moderators_vote

OPEN, CLOSED = "open", "closed"
# A group smaller than this is not named in an anonymous export: it would point at its members.
MIN_GROUP_FOR_ANONYMOUS_EXPORT = 3


class RoundClosed(PermissionDenied):
    """The round is closed (or past its closing date): nothing was recorded."""


def rules_of(rnd: VotingRound) -> RoundRules:
    return RoundRules.model_validate(rnd.rules)


def is_due(rnd: VotingRound, now: datetime) -> bool:
    """Open in the table but past its closing date: closed for every purpose."""
    return rnd.status == OPEN and rnd.closes_at is not None and rnd.closes_at <= now


def require_open(rnd: VotingRound, now: datetime) -> None:
    """RoundClosed unless the round is open and not past its closing date."""
    if rnd.status == CLOSED:
        raise RoundClosed("svc.voting.round_closed", number=rnd.number)
    if is_due(rnd, now):
        assert rnd.closes_at is not None
        raise RoundClosed("svc.voting.round_closed_at", number=rnd.number, when=f"{rnd.closes_at:%Y-%m-%d %H:%M}")


def locked_round(s: Session, round_id: int) -> VotingRound:
    """The round, locked FOR UPDATE (PostgreSQL) and read fresh: the status seen is the one that holds."""
    stmt = select(VotingRound).where(VotingRound.id == round_id).with_for_update()
    rnd = s.scalars(stmt.execution_options(populate_existing=True)).first()
    if rnd is None:
        raise NotFound("svc.voting.round_not_found", round_id=round_id)
    return rnd


def voting_roles(rt: Roundtable) -> frozenset[Role]:
    """Membership roles that vote in this roundtable now (``domain.policy.voting_roles``)."""
    return policy.voting_roles(moderators_vote=moderators_vote(rt))


def reader_role(s: Session, actor_id: Actor | None, roundtable_id: int) -> Role:
    """The role of someone reading the roundtable's votes: a participant, or the command line (as an admin).

    Raises NotSignedIn, PermissionDenied (not a participant)."""
    if isinstance(actor_id, _System):
        return Role.ADMIN
    return member_role(s, actor(s, actor_id), roundtable_id)


def manages_rounds(role: Role | None) -> bool:
    """Whether the role runs rounds (moderators, admins): they see blind figures live and export the votes.

    The role alone, as ``domain.policy`` says; the phase governs only what they may still change."""
    return role in policy.ROLE_RULES[Action.RUN_ROUNDS]


def roundtable_actions(rt: Roundtable, role: Role | None) -> frozenset[str]:
    """What the viewer may do about voting in the roundtable now (``schemas.voting.RoundAction``)."""
    mv = moderators_vote(rt)
    out: set[str] = set()
    if policy.can(Action.VOTE, role=role, phase=rt.phase, moderators_vote=mv):
        out.add(RoundAction.VOTE)
    runs = policy.can(Action.RUN_ROUNDS, role=role, phase=rt.phase, moderators_vote=mv)
    if runs:
        out.add(RoundAction.RUN_ROUNDS)
        # A round is opened only where people can vote in it: not in set-up, not once final.
        if Action.VOTE in policy.PHASE_RULES[policy.phase_of(rt.phase)]:
            out.add(RoundAction.OPEN_ROUND)
    if manages_rounds(role):
        out.add(RoundAction.MANAGE_ROUNDS)
    return frozenset(out)


def round_actions(rnd: VotingRound, granted: frozenset[str]) -> list[str]:
    """What the viewer may do with this round, from what they may do in its roundtable."""
    out: set[str] = set()
    if rnd.status == OPEN and not is_due(rnd, utcnow()):
        if RoundAction.VOTE in granted:
            out.add(RoundAction.VOTE)
        if RoundAction.RUN_ROUNDS in granted:
            out |= {RoundAction.CLOSE, RoundAction.OVERRIDE_BLOCK}
    elif RoundAction.OPEN_ROUND in granted:
        out.add(RoundAction.CARRY_FORWARD)
    if RoundAction.MANAGE_ROUNDS in granted:
        out.add(RoundAction.EXPORT_VOTES)
    return sorted(out)


@dataclass(frozen=True)
class Voter:
    user_id: int
    name: str
    organisation: str
    group: str | None


def eligible_voters(s: Session, rt: Roundtable, rnd: VotingRound | None = None) -> dict[int, Voter]:
    """Everyone who votes in the roundtable now, by user id; for a round, only among those frozen in when it opened.

    A round freezes the participants of its opening moment (``round_voters``); of them, those whose role votes
    now count. So someone who joins during a round neither votes in it nor changes its eligible count, while
    someone who has since left, been deactivated or become an observer is not counted either. A round from
    before voters were frozen (``voters_frozen_at`` NULL, e.g. from an old backup) counts the membership now.
    """
    roles = [r.value for r in voting_roles(rt)]
    stmt = (
        select(Membership.user_id, User.display_name, Membership.organisation, Membership.group)
        .join(User, User.id == Membership.user_id)
        .where(Membership.roundtable_id == rt.id, Membership.role.in_(roles), User.is_active.is_(True))
    )
    if rnd is not None and rnd.voters_frozen_at is not None:
        stmt = stmt.where(Membership.user_id.in_(select(RoundVoter.user_id).where(RoundVoter.round_id == rnd.id)))
    rows = s.execute(stmt).all()
    return {uid: Voter(uid, name, org or "", (grp or "").strip() or None) for uid, name, org, grp in rows}


def items_of(s: Session, round_id: int, *, offset: int = 0, limit: int | None = None) -> list[RoundItem]:
    """The round's items in order; ``offset``/``limit`` pick one page of them in SQL."""
    stmt = select(RoundItem).where(RoundItem.round_id == round_id).order_by(RoundItem.position)
    if offset or limit is not None:
        stmt = stmt.offset(max(0, offset)).limit(limit)
    return list(s.scalars(stmt))


def item_ids_of(s: Session, round_id: int) -> list[int]:
    """The round's recommendation ids in order (a column query: no ORM rows for a round of hundreds)."""
    return list(
        s.scalars(
            select(RoundItem.recommendation_id).where(RoundItem.round_id == round_id).order_by(RoundItem.position)
        )
    )


def meeting_times(s: Session, round_ids: Iterable[int]) -> dict[int, datetime]:
    """When each of these rounds was opened in a meeting (live mode), for those taken in the room."""
    from recdraft.db.live_models import LiveVote

    ids = list(round_ids)
    if not ids:
        return {}
    return dict(
        s.execute(select(LiveVote.round_id, LiveVote.opened_at).where(LiveVote.round_id.in_(ids))).tuples().all()
    )


def round_view(
    rnd: VotingRound, rec_ids: list[int], granted: frozenset[str] = frozenset(), in_meeting_at: datetime | None = None
) -> RoundView:
    """The round as a view; ``granted`` (``roundtable_actions``) gives the viewer's ``actions`` on it;
    ``in_meeting_at`` marks a vote taken in a meeting (``meeting_times``)."""
    rules = rules_of(rnd)
    return RoundView(
        id=rnd.id,
        roundtable_id=rnd.roundtable_id,
        number=rnd.number,
        name=rnd.name,
        mode=rules.mode.value,
        anonymous=rules.anonymous,
        blind=rules.blind,
        rules=rules.model_dump(mode="json"),
        status=rnd.status,
        opened_by=rnd.opened_by,
        opened_at=rnd.opened_at,
        closes_at=rnd.closes_at,
        closed_at=rnd.closed_at,
        closed_by=rnd.closed_by,
        carried_from_round_id=rnd.carried_from_round_id,
        recommendation_ids=rec_ids,
        actions=round_actions(rnd, granted),
        in_meeting_at=in_meeting_at,
    )


def vote_view(v: Vote, current_revision_id: int | None) -> VoteView:
    return VoteView(
        id=v.id,
        round_id=v.round_id,
        recommendation_id=v.recommendation_id,
        voter_id=v.voter_id,
        revision_id=v.revision_id,
        choice=v.choice,
        rating=v.rating,
        reason=v.reason,
        reason_named=v.reason_named,
        stale=v.revision_id != current_revision_id,
        cast_at=v.cast_at,
        updated_at=v.updated_at,
    )


class Due(Exception):
    """Raised inside a read that met rounds past their closing date: close them, then read again."""

    def __init__(self, round_ids: list[int]) -> None:
        super().__init__(round_ids)
        self.round_ids = round_ids


def raise_if_due(rounds: Iterable[VotingRound], now: datetime | None = None) -> None:
    now = now or utcnow()
    due = [r.id for r in rounds if is_due(r, now)]
    if due:
        raise Due(due)
