"""Ballots: cast, change, confirm, recuse; a voter's own ballots and history. Rounds live in ``rounds``.

Every function is one transaction with its audit row. Vote audit rows are ``staff``-visible and carry
no choice: the activity feed must not reveal how anyone voted.

Locking, so that a vote racing a close is either in the snapshot or refused, never half:
- PostgreSQL: casts, confirmations, recusals and the close all take the round row ``FOR UPDATE``
  first and check the round's status only once they hold it; then they lock recommendation rows
  (always in that order: no deadlock). A close therefore waits for the casts ahead of it, and casts
  behind it see the round closed.
  Why not ``FOR SHARE`` for casts: PostgreSQL lets a new share-locker join the current ones even
  while a ``FOR UPDATE`` waits, so a close can wait until a burst of votes is over (seen in tests:
  the close waited for all 60 casts of an 80 ms burst in 4 of 5 runs). The exclusive lock queues
  fairly, and the bench showed no throughput gain from sharing (the cast is CPU-bound here).
- SQLite: every write transaction is ``BEGIN IMMEDIATE``, so writers already run one at a time.
The unique (round, recommendation, voter) constraint is the last line: a cast writes its vote with
``INSERT … ON CONFLICT DO UPDATE``, so if two casts of the same person ever raced past the lock, the
second would update the first's row instead of failing. A cast is at most five statements (one read
on SQLite, two on PostgreSQL, the upsert, its history row and its audit row; tests/integration/
test_vote_statements.py); confirmations and recusals keep the row-by-row path.

Decisions:
- A voter may withdraw a recusal while the round is open; a recused voter cannot vote until then.
  A vote cast before recusing is kept and counts again once the recusal is withdrawn.
- Casting exactly the vote one already has on the current text writes nothing; the same choice on
  a stale vote is a confirmation.
- The eligible voters are frozen when a round opens (``round_voters``: the participants of that moment;
  whether their role votes is read as the tally is made, so the ``moderators_vote`` setting still applies):
  someone who joins during the round cannot vote in it and does not change its eligible count.
- Refusals use ``RoundClosed`` (a ``PermissionDenied``) for a closed round, ``PermissionDenied`` for
  who may vote and for recommendations that no longer accept votes, ``InvalidInput`` for the ballot.
- Who may vote is ``domain.policy``'s ``Action.VOTE``; only participants hold a ballot (a system
  administrator outside the roundtable acts as an admin, but does not vote), never the command line.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, insert, select, text
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from recdraft.db.engine import Database
from recdraft.db.models import (
    Membership,
    Recommendation,
    Revision,
    Roundtable,
    User,
    utcnow,
)
from recdraft.db.voting_models import (
    Recusal,
    RoundItem,
    RoundResult,
    RoundVoter,
    Vote,
    VoteHistory,
    VotingRound,
)
from recdraft.domain import policy
from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.domain.statuses import RecStatus
from recdraft.domain.voting import (
    Ballot,
    RoundRules,
    VotingMode,
    delphi_feedback,
    validate_ballot,
)
from recdraft.errors import (
    InvalidInput,
    Msg,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    Word,
)
from recdraft.schemas.common import LIMITS, Input, OptionalReason, parse
from recdraft.schemas.voting import (
    BallotItemView,
    BallotRoundView,
    MyBallotsView,
    RecusalView,
    VoteHistoryView,
    VoteView,
)
from recdraft.services._base import (
    Actor,
    _System,
    actor,
    audit,
    get,
    member_role,
    moderators_vote,
)
from recdraft.services.voting._common import (
    CLOSED,
    OPEN,
    eligible_voters,
    items_of,
    locked_round,
    raise_if_due,
    require_open,
    round_view,
    roundtable_actions,
    rules_of,
    vote_view,
)
from recdraft.services.voting.results import run_after_closing_due


class _RecusalInput(Input):
    reason: OptionalReason = ""


def vote_refusal(role: Role | str | None, phase: str, moderators_vote: bool) -> Msg | None:
    """Why ``role`` may not vote in a roundtable in ``phase`` (None: they may): ``domain.policy``'s answer,
    with the voting page's own words for who does not vote (observers; staff while ``moderators_vote`` is off)."""
    why = policy.refusal(Action.VOTE, role=role, phase=phase, moderators_vote=moderators_vote)
    if why is not None and why.key == policy.ROLE_REFUSALS[Action.VOTE]:
        if role == Role.OBSERVER:
            return Msg("svc.vote_observers")
        if role in (Role.MODERATOR, Role.ADMIN):
            return Msg("svc.voting.staff_do_not_vote")
    return why


def _require_voter(s: Session, actor_id: Actor | None, rnd: VotingRound) -> User:
    """The voter: a participant whose role ``domain.policy`` lets vote in this roundtable now (a system
    administrator acts as an admin but holds no ballot). Raises NotSignedIn, PermissionDenied."""
    if isinstance(actor_id, _System):
        raise PermissionDenied("svc.voting.system_does_not_vote")
    user = actor(s, actor_id)
    member_role(s, user, rnd.roundtable_id)
    rt = get(s, Roundtable, rnd.roundtable_id, "Roundtable")
    role = s.scalar(select(Membership.role).where(Membership.roundtable_id == rt.id, Membership.user_id == user.id))
    _check_voter(role, rt.phase, moderators_vote(rt))
    return user


def _check_voter(role: str | None, phase: str, moderators_vote: bool) -> None:
    """PermissionDenied unless a participant with membership ``role`` votes in a roundtable in ``phase``:
    the phase first (``domain.policy``), then the role."""
    if Action.VOTE not in policy.PHASE_RULES[policy.phase_of(phase)]:
        when = policy.phase_of(phase)
        raise PermissionDenied(policy.PHASE_REFUSALS.get(when, policy.PHASE_REFUSALS[policy.Phase.ARCHIVED]))
    if role is None:
        raise PermissionDenied("svc.vote_participants")
    why = vote_refusal(role, phase, moderators_vote)
    if why is not None:
        raise PermissionDenied(why)


def _voter_context(
    s: Session, actor_id: Actor | None, round_id: int, recommendation_id: int
) -> tuple[User, VotingRound, Recommendation]:
    """Everything a voter's action checks, in lock order: the round, then the recommendation (shared)."""
    if not isinstance(actor_id, _System):
        actor(s, actor_id)
    rnd = locked_round(s, round_id)
    user = _require_voter(s, actor_id, rnd)
    require_open(rnd, utcnow())
    if (
        rnd.voters_frozen_at is not None
        and s.scalar(select(RoundVoter.id).where(RoundVoter.round_id == rnd.id, RoundVoter.user_id == user.id)) is None
    ):
        raise PermissionDenied("svc.setup.joined_after_round", number=rnd.number)
    item = s.scalar(
        select(RoundItem).where(RoundItem.round_id == rnd.id, RoundItem.recommendation_id == recommendation_id)
    )
    if item is None:
        raise InvalidInput(
            "svc.voting.not_on_ballot",
            recommendation_id=recommendation_id,
            number=rnd.number,
            field="recommendation_id",
        )
    rec = s.scalars(
        select(Recommendation)
        .where(Recommendation.id == recommendation_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    ).one()
    if rec.status != RecStatus.VOTING:
        raise PermissionDenied("svc.voting.no_longer_votable", number=rec.number, status=Word(rec.status))
    return user, rnd, rec


@functools.cache
def _cast_statements(dialect: str) -> tuple[Any, Any, Any]:
    """(shared part, personal part, vote upsert) of a cast, built and compiled once per dialect.

    On SQLite the shared part is None: one statement reads everything (see ``_cast_context``).
    """
    round_id: BindParameter[Any] = bindparam("round_id")
    rec_id: BindParameter[Any] = bindparam("rec_id")
    actor: BindParameter[Any] = bindparam("actor_id")
    shared = (
        select(
            VotingRound.id.label("round_id"),
            VotingRound.number,
            VotingRound.status,
            VotingRound.closes_at,
            VotingRound.rules,
            VotingRound.voters_frozen_at,
            VotingRound.roundtable_id,
            Roundtable.phase,
            Roundtable.settings,
            Recommendation.id.label("rec_id"),
            Recommendation.number.label("rec_number"),
            Recommendation.status.label("rec_status"),
            Recommendation.current_revision_id,
        )
        .select_from(VotingRound)
        .join(Roundtable, Roundtable.id == VotingRound.roundtable_id)
        .join(Recommendation, Recommendation.id == rec_id)
        .where(VotingRound.id == round_id)
    )
    pg = dialect == "postgresql"
    if pg:
        shared = shared.with_for_update(of=VotingRound).suffix_with(
            "FOR SHARE OF recommendations", dialect="postgresql"
        )
        rt_id: Any = bindparam("rt_id")
        personal = select().select_from(User)
    else:
        rt_id = VotingRound.roundtable_id
        personal = shared.join(User, User.id == actor)
    personal = (
        personal.add_columns(
            User.is_active,
            User.is_system_admin,
            Membership.role,
            RoundItem.id.label("item_id"),
            RoundVoter.id.label("round_voter_id"),
            Recusal.id.label("recusal_id"),
            Vote.id.label("vote_id"),
            Vote.revision_id,
            Vote.choice,
            Vote.rating,
            Vote.reason,
            Vote.reason_named,
            Vote.cast_at,
            Vote.updated_at,
        )
        .outerjoin(Membership, and_(Membership.roundtable_id == rt_id, Membership.user_id == User.id))
        .outerjoin(RoundItem, and_(RoundItem.round_id == round_id, RoundItem.recommendation_id == rec_id))
        .outerjoin(RoundVoter, and_(RoundVoter.round_id == round_id, RoundVoter.user_id == User.id))
        .outerjoin(
            Recusal,
            and_(
                Recusal.round_id == round_id,
                Recusal.recommendation_id == rec_id,
                Recusal.voter_id == User.id,
                Recusal.withdrawn_at.is_(None),
            ),
        )
        .outerjoin(Vote, and_(Vote.round_id == round_id, Vote.recommendation_id == rec_id, Vote.voter_id == User.id))
        .where(User.id == actor)
    )
    # Written out because SQLAlchemy 2.0 does not cache the dialects' ``on_conflict_do_update`` (it was
    # compiled afresh on every vote: a third of the cast's time); the syntax is the same on both.
    columns = (
        "round_id",
        "recommendation_id",
        "voter_id",
        "revision_id",
        "choice",
        "rating",
        "reason",
        "reason_named",
        "cast_at",
        "updated_at",
        "version",
    )
    updated = ("revision_id", "choice", "rating", "reason", "reason_named", "updated_at")
    upsert = (
        text(
            f"INSERT INTO votes ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}) "
            "ON CONFLICT (round_id, recommendation_id, voter_id) DO UPDATE SET "
            f"{', '.join(f'{c} = excluded.{c}' for c in updated)}, version = votes.version + 1 "
            "RETURNING id, cast_at"
        )
        .bindparams(*(bindparam(c, type_=Vote.__table__.c[c].type) for c in columns))
        .columns(Vote.__table__.c.id, Vote.__table__.c.cast_at)
    )
    return (shared if pg else None), personal, upsert


def _cast_context(s: Session, actor_id: Actor | None, round_id: int, recommendation_id: int) -> Row[Any]:
    """Everything a cast checks, read in one statement (two on PostgreSQL), with only the columns it needs.

    The same rules, in the same order and with the same messages, as ``_voter_context`` plus the
    recusal and the voter's current vote. Lock order as everywhere: the round FOR UPDATE, then the
    recommendation FOR SHARE (PostgreSQL; one locking clause each, rows are locked in FROM order).
    Why a second statement on PostgreSQL: under READ COMMITTED, a statement that waited for the round
    lock sees the locked rows as committed but every other joined row as of its own start, so the
    voter's vote or recusal committed by the transaction ahead would be missed. The personal part is
    therefore read by a fresh statement once the lock is held. SQLite writers already run one at a
    time (BEGIN IMMEDIATE), so there it is one statement. A missing row (no such user, round or
    recommendation) falls back to ``_voter_context`` for its exact refusal.
    """
    if actor_id is None:
        raise NotSignedIn("svc.please_sign_in")
    if isinstance(actor_id, _System):
        raise PermissionDenied("svc.voting.system_does_not_vote")
    pg = s.get_bind().dialect.name == "postgresql"
    shared, personal, _ = _cast_statements(s.get_bind().dialect.name)
    conn = s.connection()  # Core rows: the ORM's per-column loading is not needed for plain columns
    params: dict[str, Any] = {"round_id": round_id, "rec_id": recommendation_id, "actor_id": actor_id}
    base: Row[Any] | None = None  # the shared part, read first on PostgreSQL only
    if pg:
        base = conn.execute(shared, params).first()
        if base is None:
            _voter_context(s, actor_id, round_id, recommendation_id)
            raise NotFound("svc.voting.round_not_found", round_id=round_id)
        params["rt_id"] = base.roundtable_id
    me = conn.execute(personal, params).first()
    if me is None:
        _voter_context(s, actor_id, round_id, recommendation_id)
        raise NotFound("svc.voting.round_not_found", round_id=round_id)
    row = me if base is None else _Merged(base, me)
    if not row.is_active:
        raise NotSignedIn("svc.account_inactive")
    if not row.is_system_admin and row.role is None:
        raise PermissionDenied(policy.NOT_A_MEMBER)
    # domain.policy through the row: the same rules and order as ``_require_voter``, no more statements.
    _check_voter(row.role, row.phase, bool((row.settings or {}).get("moderators_vote", False)))
    require_open(row, utcnow())  # type: ignore[arg-type]
    if row.voters_frozen_at is not None and row.round_voter_id is None:
        raise PermissionDenied("svc.setup.joined_after_round", number=row.number)
    if row.item_id is None:
        raise InvalidInput(
            "svc.voting.not_on_ballot",
            recommendation_id=recommendation_id,
            number=row.number,
            field="recommendation_id",
        )
    if row.rec_status != RecStatus.VOTING:
        raise PermissionDenied("svc.voting.no_longer_votable", number=row.rec_number, status=Word(row.rec_status))
    if row.recusal_id is not None:
        raise PermissionDenied("svc.voting.recused", number=row.rec_number)
    return row  # type: ignore[return-value]


class _Merged:
    """Attribute access over the two rows of a PostgreSQL cast context."""

    def __init__(self, *rows: Row[Any]) -> None:
        for r in rows:
            self.__dict__.update(r._mapping)

    def __getattr__(self, name: str) -> Any:  # only for names not in the rows: typed reads of the columns
        raise AttributeError(name)


def _active_recusal(s: Session, round_id: int, recommendation_id: int, voter_id: int) -> Recusal | None:
    return s.scalar(
        select(Recusal).where(
            Recusal.round_id == round_id,
            Recusal.recommendation_id == recommendation_id,
            Recusal.voter_id == voter_id,
            Recusal.withdrawn_at.is_(None),
        )
    )


def _my_vote(s: Session, round_id: int, recommendation_id: int, voter_id: int) -> Vote | None:
    return s.scalars(
        select(Vote)
        .where(Vote.round_id == round_id, Vote.recommendation_id == recommendation_id, Vote.voter_id == voter_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def _history(s: Session, vote: Vote, action: str, at: datetime) -> None:
    s.add(
        VoteHistory(
            vote_id=vote.id,
            action=action,
            revision_id=vote.revision_id,
            choice=vote.choice,
            rating=vote.rating,
            reason=vote.reason,
            reason_named=vote.reason_named,
            at=at,
        )
    )


def _vote_audit(s: Session, rnd: VotingRound, vote: Vote, action: str, user_id: int) -> None:
    # No choice in the details: the audit feed must not reveal a vote.
    audit(
        s,
        actor_id=user_id,
        roundtable_id=rnd.roundtable_id,
        action=f"vote.{action}",
        object_type="vote",
        object_id=vote.id,
        visibility="staff",
        details={"round_id": rnd.id, "recommendation_id": vote.recommendation_id},
    )


# --------------------------------------------------------------------------- ballots


def cast_vote(
    db: Database,
    *,
    actor_id: Actor,
    round_id: int,
    recommendation_id: int,
    choice: str | None = None,
    rating: int | None = None,
    reason: str | None = None,
    reason_named: bool = False,
) -> VoteView:
    """Cast or change the actor's vote on the current text (simple: ``choice``; Delphi: ``rating``).

    ``reason`` is the reason (disagree; required for block) or the Delphi comment; ``reason_named``
    lets it appear under the voter's name in the memo (never in an anonymous round).
    Raises RoundClosed, PermissionDenied, InvalidInput, NotFound.
    """
    if not isinstance(reason_named, bool):
        raise InvalidInput("svc.voting.reason_named_bool", field="reason_named")
    if reason is not None and not isinstance(reason, str):
        raise InvalidInput("svc.voting.reason_text", field="reason")
    with db.write() as s:
        # At most five statements: the context (one read; two on PostgreSQL), the upsert of the vote,
        # its history row and its audit row. The same vote again only reads.
        ctx = _cast_context(s, actor_id, round_id, recommendation_id)
        mode = RoundRules.model_validate(ctx.rules).mode
        ballot = validate_ballot(mode, choice, rating, reason)
        limit = LIMITS["reason"] if mode is VotingMode.SIMPLE else LIMITS["comment"]
        if ballot.reason is not None and len(ballot.reason) > limit:
            raise InvalidInput("svc.voting.reason_too_long", limit=limit, field="reason")
        wanted = (
            ballot.choice.value if ballot.choice else None,
            ballot.rating,
            ballot.reason,
            reason_named and ballot.reason is not None,
        )
        now = utcnow()
        current = ctx.current_revision_id
        assert current is not None
        voter_id = actor_id
        assert isinstance(voter_id, int)  # _cast_context refused the command line
        action: str
        if ctx.vote_id is None:
            action = "cast"
        else:
            same = (ctx.choice, ctx.rating, ctx.reason, ctx.reason_named) == wanted
            if same and ctx.revision_id == current:
                return VoteView(
                    id=ctx.vote_id,
                    round_id=round_id,
                    recommendation_id=recommendation_id,
                    voter_id=voter_id,
                    revision_id=ctx.revision_id,
                    choice=ctx.choice,
                    rating=ctx.rating,
                    reason=ctx.reason,
                    reason_named=ctx.reason_named,
                    stale=False,
                    cast_at=ctx.cast_at,
                    updated_at=ctx.updated_at,
                )
            action = "confirm" if same else "change"
        values = {
            "round_id": round_id,
            "recommendation_id": recommendation_id,
            "voter_id": voter_id,
            "revision_id": current,
            "choice": wanted[0],
            "rating": wanted[1],
            "reason": wanted[2],
            "reason_named": wanted[3],
            "cast_at": now,
            "updated_at": now,
            "version": 1,
        }
        conn = s.connection()
        vote_id, cast_at = conn.execute(_cast_statements(s.get_bind().dialect.name)[2], values).one()
        conn.execute(
            insert(cast(Table, VoteHistory.__table__)),
            {
                "vote_id": vote_id,
                "action": action,
                "revision_id": current,
                "choice": wanted[0],
                "rating": wanted[1],
                "reason": wanted[2],
                "reason_named": wanted[3],
                "at": now,
            },
        )
        # No choice in the details: the audit feed must not reveal a vote.
        audit(
            s,
            actor_id=voter_id,
            roundtable_id=ctx.roundtable_id,
            action=f"vote.{action}",
            object_type="vote",
            object_id=vote_id,
            visibility="staff",
            details={"round_id": round_id, "recommendation_id": recommendation_id},
        )
        return VoteView(
            id=vote_id,
            round_id=round_id,
            recommendation_id=recommendation_id,
            voter_id=voter_id,
            revision_id=current,
            choice=wanted[0],
            rating=wanted[1],
            reason=wanted[2],
            reason_named=wanted[3],
            stale=False,
            cast_at=cast_at,
            updated_at=now,
        )


def confirm_vote(db: Database, *, actor_id: Actor, round_id: int, recommendation_id: int) -> VoteView:
    """Keep a stale vote as it is, now on the current text (writes nothing if it is not stale).

    Raises NotFound (no vote yet), RoundClosed, PermissionDenied.
    """
    with db.write() as s:
        user, rnd, rec = _voter_context(s, actor_id, round_id, recommendation_id)
        if _active_recusal(s, rnd.id, rec.id, user.id) is not None:
            raise PermissionDenied("svc.voting.recused", number=rec.number)
        vote = _my_vote(s, rnd.id, rec.id, user.id)
        if vote is None:
            raise NotFound("svc.voting.not_voted_yet", number=rec.number, number2=rnd.number)
        if vote.revision_id == rec.current_revision_id:
            return vote_view(vote, rec.current_revision_id)
        now = utcnow()
        vote.revision_id = rec.current_revision_id  # type: ignore[assignment]
        vote.updated_at = now
        s.flush()
        _history(s, vote, "confirm", now)
        _vote_audit(s, rnd, vote, "confirm", user.id)
        return vote_view(vote, rec.current_revision_id)


def _recusal_view(r: Recusal) -> RecusalView:
    return RecusalView(
        round_id=r.round_id,
        recommendation_id=r.recommendation_id,
        voter_id=r.voter_id,
        reason=r.reason,
        recused=r.withdrawn_at is None,
        recused_at=r.recused_at,
        withdrawn_at=r.withdrawn_at,
    )


def recuse(db: Database, *, actor_id: Actor, round_id: int, recommendation_id: int, reason: str = "") -> RecusalView:
    """Declare a conflict of interest: the actor is left out of this item's count and quorum base.

    Raises RoundClosed, PermissionDenied, InvalidInput.
    """
    text = parse(_RecusalInput, reason=reason).reason
    with db.write() as s:
        user, rnd, rec = _voter_context(s, actor_id, round_id, recommendation_id)
        row = s.scalars(
            select(Recusal)
            .where(Recusal.round_id == rnd.id, Recusal.recommendation_id == rec.id, Recusal.voter_id == user.id)
            .with_for_update()
        ).first()
        if row is not None and row.withdrawn_at is None:
            return _recusal_view(row)
        now = utcnow()
        if row is None:
            row = Recusal(round_id=rnd.id, recommendation_id=rec.id, voter_id=user.id, reason=text, recused_at=now)
            s.add(row)
        else:
            row.reason, row.recused_at, row.withdrawn_at = text, now, None
        s.flush()
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rnd.roundtable_id,
            action="vote.recuse",
            object_type="recusal",
            object_id=row.id,
            visibility="staff",
            details={"round_id": rnd.id, "recommendation_id": rec.id},
        )
        return _recusal_view(row)


def withdraw_recusal(db: Database, *, actor_id: Actor, round_id: int, recommendation_id: int) -> RecusalView:
    """Take back one's recusal while the round is open. Raises InvalidInput if there is none."""
    with db.write() as s:
        user, rnd, rec = _voter_context(s, actor_id, round_id, recommendation_id)
        row = _active_recusal(s, rnd.id, rec.id, user.id)
        if row is None:
            raise InvalidInput("svc.voting.not_recused", number=rec.number)
        row.withdrawn_at = utcnow()
        audit(
            s,
            actor_id=user.id,
            roundtable_id=rnd.roundtable_id,
            action="vote.unrecuse",
            object_type="recusal",
            object_id=row.id,
            visibility="staff",
            details={"round_id": rnd.id, "recommendation_id": rec.id},
        )
        return _recusal_view(row)


def my_vote_history(db: Database, *, actor_id: Actor, round_id: int, recommendation_id: int) -> list[VoteHistoryView]:
    """The actor's own casts, changes and confirmations on one item, oldest first (none for the command line)."""
    with db.read() as s:
        rnd = get(s, VotingRound, round_id, "Voting round")
        if isinstance(actor_id, _System):
            return []
        user = actor(s, actor_id)
        member_role(s, user, rnd.roundtable_id)
        rows = s.scalars(
            select(VoteHistory)
            .join(Vote, Vote.id == VoteHistory.vote_id)
            .where(Vote.round_id == rnd.id, Vote.recommendation_id == recommendation_id, Vote.voter_id == user.id)
            .order_by(VoteHistory.id)
        )
        return [
            VoteHistoryView(
                action=h.action,
                revision_id=h.revision_id,
                choice=h.choice,
                rating=h.rating,
                reason=h.reason,
                reason_named=h.reason_named,
                at=h.at,
            )
            for h in rows
        ]


def my_vote_histories(
    db: Database, *, actor_id: Actor, roundtable_id: int
) -> dict[tuple[int, int], list[VoteHistoryView]]:
    """The actor's own casts, changes and confirmations in every round of the roundtable, by
    (round id, recommendation id), oldest first: the ballot page's history in one query."""
    if isinstance(actor_id, _System):
        return {}
    with db.read() as s:
        user = actor(s, actor_id)
        member_role(s, user, roundtable_id)
        rows = s.execute(
            select(Vote.round_id, Vote.recommendation_id, VoteHistory)
            .join(VoteHistory, VoteHistory.vote_id == Vote.id)
            .join(VotingRound, VotingRound.id == Vote.round_id)
            .where(VotingRound.roundtable_id == roundtable_id, Vote.voter_id == user.id)
            .order_by(VoteHistory.id)
        ).all()
        out: dict[tuple[int, int], list[VoteHistoryView]] = {}
        for round_id, rec_id, h in rows:
            out.setdefault((round_id, rec_id), []).append(
                VoteHistoryView(
                    action=h.action,
                    revision_id=h.revision_id,
                    choice=h.choice,
                    rating=h.rating,
                    reason=h.reason,
                    reason_named=h.reason_named,
                    at=h.at,
                )
            )
        return out


# --------------------------------------------------------------------------- the actor's ballots


def _previous_ratings(s: Session, rnd: VotingRound) -> dict[int, dict[int, int]]:
    """Counted Delphi ratings of the round this one was carried from, per recommendation and voter."""
    if rnd.carried_from_round_id is None or rules_of(rnd).mode is not VotingMode.DELPHI:
        return {}
    prev = s.get(VotingRound, rnd.carried_from_round_id)
    if prev is None or prev.status != CLOSED or rules_of(prev).mode is not VotingMode.DELPHI:
        return {}
    out: dict[int, dict[int, int]] = {}
    for res in s.scalars(select(RoundResult).where(RoundResult.round_id == prev.id)):
        ballots = [Ballot.model_validate(b) for b in res.ballots]
        out[res.recommendation_id] = {b.voter_id: b.rating for b in ballots if b.counted and b.rating is not None}
    return out


def my_ballots(db: Database, *, actor_id: Actor, roundtable_id: int) -> MyBallotsView:
    """Open rounds the actor votes in, item by item: their vote, stale and recused flags, Delphi feedback.

    ``actions`` says what the viewer may do about voting here now (``schemas.voting.RoundAction``): the page
    shows the ballot forms only with ``vote``. The command line holds no ballot (``eligible`` False)."""

    def body(s: Session) -> MyBallotsView:
        user = None if isinstance(actor_id, _System) else actor(s, actor_id)
        role = Role.ADMIN if user is None else member_role(s, user, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        granted = roundtable_actions(rt, role)
        rounds = list(
            s.scalars(
                select(VotingRound)
                .where(VotingRound.roundtable_id == roundtable_id, VotingRound.status == OPEN)
                .order_by(VotingRound.number)
            )
        )
        raise_if_due(rounds)
        if user is None or user.id not in eligible_voters(s, rt):
            return MyBallotsView(
                roundtable_id=roundtable_id, eligible=False, rounds=[], to_do=0, actions=sorted(granted)
            )
        round_ids = [r.id for r in rounds]
        mine = {
            (v.round_id, v.recommendation_id): v
            for v in s.scalars(select(Vote).where(Vote.round_id.in_(round_ids), Vote.voter_id == user.id))
        }
        frozen_in = (
            set(
                s.scalars(
                    select(RoundVoter.round_id).where(RoundVoter.round_id.in_(round_ids), RoundVoter.user_id == user.id)
                )
            )
            if round_ids
            else set()
        )
        recused = set(
            s.execute(
                select(Recusal.round_id, Recusal.recommendation_id).where(
                    Recusal.round_id.in_(round_ids), Recusal.voter_id == user.id, Recusal.withdrawn_at.is_(None)
                )
            ).all()
        )
        out, to_do = [], 0
        for rnd in rounds:
            items = items_of(s, rnd.id)
            recs = {
                r.id: r
                for r in s.scalars(
                    select(Recommendation).where(Recommendation.id.in_([i.recommendation_id for i in items]))
                )
            }
            texts = dict(
                s.execute(
                    select(Revision.id, Revision.content).where(
                        Revision.id.in_([r.current_revision_id for r in recs.values()])
                    )
                )
                .tuples()
                .all()
            )
            previous = _previous_ratings(s, rnd)
            # Someone who joined after the round opened votes in the next one.
            in_round = rnd.voters_frozen_at is None or rnd.id in frozen_in
            views = []
            for item in items:
                rec = recs[item.recommendation_id]
                vote = mine.get((rnd.id, rec.id))
                stale = vote is not None and vote.revision_id != rec.current_revision_id
                is_recused = (rnd.id, rec.id) in recused
                can_vote = rec.status == RecStatus.VOTING and in_round
                needs = can_vote and not is_recused and (vote is None or stale)
                to_do += needs
                feedback = delphi_feedback(previous[rec.id], user.id) if rec.id in previous else None
                views.append(
                    BallotItemView(
                        round_id=rnd.id,
                        recommendation_id=rec.id,
                        recommendation_number=rec.number,
                        title={
                            lang: f.get("title", "") for lang, f in (texts.get(rec.current_revision_id) or {}).items()
                        },
                        current_revision_id=rec.current_revision_id,
                        recommendation_status=rec.status,
                        vote=vote_view(vote, rec.current_revision_id) if vote else None,
                        stale=stale,
                        recused=is_recused,
                        needs_action=needs,
                        can_vote=can_vote,
                        previous_round_feedback=feedback,
                    )
                )
            out.append(
                BallotRoundView(round=round_view(rnd, [i.recommendation_id for i in items], granted), items=views)
            )
        return MyBallotsView(
            roundtable_id=roundtable_id, eligible=True, rounds=out, to_do=to_do, actions=sorted(granted)
        )

    return run_after_closing_due(db, body)
