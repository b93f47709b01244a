"""Voting: open and close rounds, cast, change, confirm and recuse. Results live in ``services.results``.

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
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, text
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Membership, Recommendation, Roundtable, User, utcnow
from recdraft.db.voting_models import Recusal, RoundItem, RoundVoter, Vote, VoteHistory, VotingRound
from recdraft.domain.policy import PHASE_REFUSALS, PHASE_RULES, Action
from recdraft.domain.roles import Phase, Role, can_moderate
from recdraft.domain.statuses import RecStatus, check_transition
from recdraft.domain.voting import Outcome, RoundRules, VotingMode, clean_override_reason, validate_ballot
from recdraft.errors import InvalidInput, InvalidTransition, NotFound, NotSignedIn, PermissionDenied
from recdraft.schemas.common import LIMITS, Input, OptionalReason, parse, text_type
from recdraft.schemas.voting import (
    ItemResultView,
    RecusalView,
    RoundResultsView,
    RoundView,
    VoteHistoryView,
    VoteView,
)
from recdraft.services import notifications
from recdraft.services._base import (
    actor,
    audit,
    deny_unless,
    get,
    member_role,
    roundtable_open_for_writes,
)
from recdraft.services.results import (
    CLOSED,
    OPEN,
    build_item_views,
    build_round_results,
    close_rounds,
    export_votes_csv,
    freeze,
    is_due,
    item_ids_of,
    items_of,
    my_ballots,
    raise_if_due,
    recommendation_results,
    results_for_memo,
    round_results,
    round_view,
    run_after_closing_due,
    vote_view,
    voting_roles,
)

__all__ = [
    "RoundClosed",
    "open_round",
    "close_round",
    "override_block",
    "carry_forward",
    "close_due_rounds",
    "cast_vote",
    "confirm_vote",
    "recuse",
    "withdraw_recusal",
    "my_vote_history",
    "get_round",
    "list_rounds",
    "round_results",
    "recommendation_results",
    "results_for_memo",
    "my_ballots",
    "export_votes_csv",
]

VOTABLE_FOR_OPENING = frozenset({RecStatus.DISCUSSION, RecStatus.VOTING})


class RoundClosed(PermissionDenied):
    """The round is closed (or past its closing date): nothing was recorded."""


RoundName = text_type("Round name", "name", single_line=True, required=False)


class _RoundInput(Input):
    name: RoundName = ""


class _RecusalInput(Input):
    reason: OptionalReason = ""


# --------------------------------------------------------------------------- helpers


def _round(s: Session, round_id: int) -> VotingRound:
    """The round, locked FOR UPDATE (PostgreSQL) and read fresh: the status seen is the one that holds."""
    stmt = select(VotingRound).where(VotingRound.id == round_id).with_for_update()
    rnd = s.scalars(stmt.execution_options(populate_existing=True)).first()
    if rnd is None:
        raise NotFound(f"Voting round {round_id} does not exist.")
    return rnd


def _require_open(rnd: VotingRound, now: datetime) -> None:
    if rnd.status == CLOSED:
        raise RoundClosed(f"Voting round {rnd.number} is closed; nothing was recorded.")
    if is_due(rnd, now):
        assert rnd.closes_at is not None
        raise RoundClosed(f"Voting round {rnd.number} closed at {rnd.closes_at:%Y-%m-%d %H:%M} UTC; "
                          "nothing was recorded.")


def _require_voter(s: Session, user: User, rt: Roundtable) -> None:
    """PermissionDenied unless the user's membership role votes in this roundtable now."""
    role = s.scalar(select(Membership.role).where(Membership.roundtable_id == rt.id, Membership.user_id == user.id))
    if role is None:
        raise PermissionDenied("Only participants of this roundtable vote.")
    if role == Role.OBSERVER:
        raise PermissionDenied("Observers do not vote.")
    if role not in voting_roles(rt):
        raise PermissionDenied("Moderators and administrators do not vote in this roundtable "
                               "(the roundtable setting 'moderators_vote' is off).")


def _voter_context(s: Session, actor_id: int, round_id: int, recommendation_id: int
                   ) -> tuple[User, VotingRound, Recommendation]:
    """Everything a voter's action checks, in lock order: the round, then the recommendation (shared)."""
    user = actor(s, actor_id)
    rnd = _round(s, round_id)
    role = member_role(s, user, rnd.roundtable_id)
    rt = roundtable_open_for_writes(s, rnd.roundtable_id, role, Action.VOTE)
    _require_voter(s, user, rt)
    _require_open(rnd, utcnow())
    if rnd.voters_frozen_at is not None and s.scalar(select(RoundVoter.id).where(
            RoundVoter.round_id == rnd.id, RoundVoter.user_id == user.id)) is None:
        raise PermissionDenied(f"You joined after voting round {rnd.number} opened; you can vote in the next round.")
    item = s.scalar(select(RoundItem).where(RoundItem.round_id == rnd.id,
                                            RoundItem.recommendation_id == recommendation_id))
    if item is None:
        raise InvalidInput(f"Recommendation {recommendation_id} is not on the ballot of round {rnd.number}.",
                           field="recommendation_id")
    rec = s.scalars(select(Recommendation).where(Recommendation.id == recommendation_id)
                    .with_for_update(read=True).execution_options(populate_existing=True)).one()
    if rec.status != RecStatus.VOTING:
        raise PermissionDenied(f"Recommendation {rec.number} is {rec.status}; it no longer accepts votes.")
    return user, rnd, rec


@functools.cache
def _cast_statements(dialect: str) -> tuple[Any, Any, Any]:
    """(shared part, personal part, vote upsert) of a cast, built and compiled once per dialect.

    On SQLite the shared part is None: one statement reads everything (see ``_cast_context``).
    """
    round_id, rec_id, actor = bindparam("round_id"), bindparam("rec_id"), bindparam("actor_id")
    shared = select(
        VotingRound.id.label("round_id"), VotingRound.number, VotingRound.status, VotingRound.closes_at,
        VotingRound.rules, VotingRound.voters_frozen_at, VotingRound.roundtable_id,
        Roundtable.phase, Roundtable.settings,
        Recommendation.id.label("rec_id"), Recommendation.number.label("rec_number"),
        Recommendation.status.label("rec_status"), Recommendation.current_revision_id,
    ).select_from(VotingRound).join(Roundtable, Roundtable.id == VotingRound.roundtable_id).join(
        Recommendation, Recommendation.id == rec_id).where(VotingRound.id == round_id)
    pg = dialect == "postgresql"
    if pg:
        shared = shared.with_for_update(of=VotingRound).suffix_with("FOR SHARE OF recommendations",
                                                                    dialect="postgresql")
        rt_id: Any = bindparam("rt_id")
        personal = select().select_from(User)
    else:
        rt_id = VotingRound.roundtable_id
        personal = shared.join(User, User.id == actor)
    personal = personal.add_columns(
        User.is_active, User.is_system_admin, Membership.role, RoundItem.id.label("item_id"),
        RoundVoter.id.label("round_voter_id"), Recusal.id.label("recusal_id"),
        Vote.id.label("vote_id"), Vote.revision_id, Vote.choice, Vote.rating, Vote.reason, Vote.reason_named,
        Vote.cast_at, Vote.updated_at,
    ).outerjoin(Membership, and_(Membership.roundtable_id == rt_id, Membership.user_id == User.id)).outerjoin(
        RoundItem, and_(RoundItem.round_id == round_id, RoundItem.recommendation_id == rec_id)).outerjoin(
        RoundVoter, and_(RoundVoter.round_id == round_id, RoundVoter.user_id == User.id)).outerjoin(
        Recusal, and_(Recusal.round_id == round_id, Recusal.recommendation_id == rec_id,
                      Recusal.voter_id == User.id, Recusal.withdrawn_at.is_(None))).outerjoin(
        Vote, and_(Vote.round_id == round_id, Vote.recommendation_id == rec_id,
                   Vote.voter_id == User.id)).where(User.id == actor)
    # Written out because SQLAlchemy 2.0 does not cache the dialects' ``on_conflict_do_update`` (it was
    # compiled afresh on every vote: a third of the cast's time); the syntax is the same on both.
    columns = ("round_id", "recommendation_id", "voter_id", "revision_id", "choice", "rating", "reason",
               "reason_named", "cast_at", "updated_at", "version")
    updated = ("revision_id", "choice", "rating", "reason", "reason_named", "updated_at")
    upsert = text(
        f"INSERT INTO votes ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)}) "
        "ON CONFLICT (round_id, recommendation_id, voter_id) DO UPDATE SET "
        f"{', '.join(f'{c} = excluded.{c}' for c in updated)}, version = votes.version + 1 "
        "RETURNING id, cast_at"
    ).bindparams(*(bindparam(c, type_=Vote.__table__.c[c].type) for c in columns)).columns(
        Vote.__table__.c.id, Vote.__table__.c.cast_at)
    return (shared if pg else None), personal, upsert


def _cast_context(s: Session, actor_id: int | None, round_id: int, recommendation_id: int) -> Row[Any]:
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
        raise NotSignedIn("Please sign in.")
    pg = s.get_bind().dialect.name == "postgresql"
    shared, personal, _ = _cast_statements(s.get_bind().dialect.name)
    conn = s.connection()  # Core rows: the ORM's per-column loading is not needed for plain columns
    params: dict[str, Any] = {"round_id": round_id, "rec_id": recommendation_id, "actor_id": actor_id}
    if pg:
        base = conn.execute(shared, params).first()
        if base is None:
            _voter_context(s, actor_id, round_id, recommendation_id)
            raise NotFound(f"Voting round {round_id} does not exist.")
        params["rt_id"] = base.roundtable_id
    me = conn.execute(personal, params).first()
    if me is None:
        _voter_context(s, actor_id, round_id, recommendation_id)
        raise NotFound(f"Voting round {round_id} does not exist.")
    row = me if not pg else _Merged(base, me)
    if not row.is_active:
        raise NotSignedIn("Your account is not active. Please sign in again.")
    if not row.is_system_admin and row.role is None:
        raise PermissionDenied("You are not a participant of this roundtable.")
    try:
        phase = Phase(row.phase)
    except ValueError:
        phase = Phase.ARCHIVED  # an unknown stored phase writes nothing
    if Action.VOTE not in PHASE_RULES[phase]:
        raise PermissionDenied(PHASE_REFUSALS.get(phase, PHASE_REFUSALS[Phase.ARCHIVED]))
    if row.role is None:
        raise PermissionDenied("Only participants of this roundtable vote.")
    if row.role == Role.OBSERVER:
        raise PermissionDenied("Observers do not vote.")
    if row.role not in voting_roles(row):  # type: ignore[arg-type]
        raise PermissionDenied("Moderators and administrators do not vote in this roundtable "
                               "(the roundtable setting 'moderators_vote' is off).")
    _require_open(row, utcnow())  # type: ignore[arg-type]
    if row.voters_frozen_at is not None and row.round_voter_id is None:
        raise PermissionDenied(f"You joined after voting round {row.number} opened; you can vote in the next round.")
    if row.item_id is None:
        raise InvalidInput(f"Recommendation {recommendation_id} is not on the ballot of round {row.number}.",
                           field="recommendation_id")
    if row.rec_status != RecStatus.VOTING:
        raise PermissionDenied(f"Recommendation {row.rec_number} is {row.rec_status}; it no longer accepts votes.")
    if row.recusal_id is not None:
        raise PermissionDenied(f"You recused yourself from recommendation {row.rec_number}; "
                               "withdraw the recusal to vote.")
    return row  # type: ignore[return-value]


class _Merged:
    """Attribute access over the two rows of a PostgreSQL cast context."""

    def __init__(self, *rows: Row[Any]) -> None:
        for r in rows:
            self.__dict__.update(r._mapping)


def _active_recusal(s: Session, round_id: int, recommendation_id: int, voter_id: int) -> Recusal | None:
    return s.scalar(select(Recusal).where(Recusal.round_id == round_id, Recusal.recommendation_id == recommendation_id,
                                          Recusal.voter_id == voter_id, Recusal.withdrawn_at.is_(None)))


def _my_vote(s: Session, round_id: int, recommendation_id: int, voter_id: int) -> Vote | None:
    return s.scalars(select(Vote).where(Vote.round_id == round_id, Vote.recommendation_id == recommendation_id,
                                        Vote.voter_id == voter_id)
                     .with_for_update().execution_options(populate_existing=True)).first()


def _history(s: Session, vote: Vote, action: str, at: datetime) -> None:
    s.add(VoteHistory(vote_id=vote.id, action=action, revision_id=vote.revision_id, choice=vote.choice,
                      rating=vote.rating, reason=vote.reason, reason_named=vote.reason_named, at=at))


def _vote_audit(s: Session, rnd: VotingRound, vote: Vote, action: str, user_id: int) -> None:
    # No choice in the details: the audit feed must not reveal a vote.
    audit(s, actor_id=user_id, roundtable_id=rnd.roundtable_id, action=f"vote.{action}", object_type="vote",
          object_id=vote.id, visibility="staff",
          details={"round_id": rnd.id, "recommendation_id": vote.recommendation_id})


def _staff(s: Session, actor_id: int, roundtable_id: int, what: str) -> tuple[User, Roundtable]:
    user = actor(s, actor_id)
    role = member_role(s, user, roundtable_id)
    deny_unless(can_moderate(role), f"Only moderators and administrators can {what}.")
    return user, roundtable_open_for_writes(s, roundtable_id, role, Action.RUN_ROUNDS)


def _parse_rules(rules: RoundRules | Mapping[str, Any] | None) -> RoundRules:
    if rules is None:
        return RoundRules()
    if isinstance(rules, RoundRules):
        return rules
    if not isinstance(rules, Mapping):
        raise InvalidInput("Round rules must be given as named settings.", field="rules")
    return parse(RoundRules, **dict(rules))


def _check_closes_at(closes_at: datetime | None, now: datetime) -> None:
    if closes_at is None:
        return
    if not isinstance(closes_at, datetime) or closes_at.tzinfo is None:
        raise InvalidInput("The closing date needs a time zone.", field="closes_at")
    if closes_at <= now:
        raise InvalidInput("The closing date must be in the future.", field="closes_at")


# --------------------------------------------------------------------------- rounds


def open_round(
    db: Database,
    *,
    actor_id: int,
    roundtable_id: int,
    recommendation_ids: list[int] | None = None,
    rules: RoundRules | Mapping[str, Any] | None = None,
    name: str = "",
    closes_at: datetime | None = None,
    carry_from_round_id: int | None = None,
) -> RoundView:
    """Open a round on recommendations in discussion or voting (moderators, admins); they move to voting.

    With ``carry_from_round_id`` (a closed round) and no ``recommendation_ids``, the round takes that
    round's items that reached no consensus; Delphi voters then see that round's feedback.
    Raises PermissionDenied, InvalidInput, InvalidTransition, NotFound.
    """
    round_rules = _parse_rules(rules)
    title = parse(_RoundInput, name=name).name
    now = utcnow()
    _check_closes_at(closes_at, now)

    def close_due_first(s: Session) -> None:
        # Permission first: a refused caller must not trigger the freezing of due rounds.
        _staff(s, actor_id, roundtable_id, "open a voting round")
        raise_if_due(s.scalars(select(VotingRound).where(VotingRound.roundtable_id == roundtable_id,
                                                         VotingRound.status == OPEN)))

    run_after_closing_due(db, close_due_first)
    with db.write() as s:
        user, _ = _staff(s, actor_id, roundtable_id, "open a voting round")
        # A round is opened only where people can vote: not in set-up, not once final.
        roundtable_open_for_writes(s, roundtable_id, None, Action.VOTE)
        # The roundtable row lock serialises openings: round numbers and "one open round per text".
        get(s, Roundtable, roundtable_id, "Roundtable", lock=True)
        ids = list(recommendation_ids) if recommendation_ids is not None else None
        if carry_from_round_id is not None:
            prev = get(s, VotingRound, carry_from_round_id, "Voting round")
            if prev.roundtable_id != roundtable_id:
                raise InvalidInput("That round belongs to another roundtable.", field="carry_from_round_id")
            if prev.status != CLOSED:
                raise InvalidInput(f"Round {prev.number} is still open; close it before carrying items forward.",
                                   field="carry_from_round_id")
            if ids is None:
                ids = [i.recommendation_id for i in items_of(s, prev.id) if i.outcome == Outcome.NO_CONSENSUS]
                if not ids:
                    raise InvalidInput(f"Round {prev.number} has nothing to carry forward: every item was decided.",
                                       field="carry_from_round_id")
        if not ids:
            raise InvalidInput("Choose at least one recommendation for the round.", field="recommendation_ids")
        if any(isinstance(i, bool) or not isinstance(i, int) for i in ids) or len(set(ids)) != len(ids):
            raise InvalidInput("Give each recommendation once, by its id.", field="recommendation_ids")
        recs = {r.id: r for r in s.scalars(select(Recommendation).where(Recommendation.id.in_(ids))
                                           .order_by(Recommendation.id).with_for_update())}
        for rid in ids:
            rec = recs.get(rid)
            if rec is None or rec.roundtable_id != roundtable_id:
                raise NotFound(f"Recommendation {rid} does not exist in this roundtable.")
            if RecStatus(rec.status) not in VOTABLE_FOR_OPENING:
                raise InvalidTransition(f"Recommendation {rec.number} is {rec.status}; only recommendations in "
                                        "discussion or voting can be put to a vote.")
        busy = s.execute(select(Recommendation.number, VotingRound.number)
                         .join(RoundItem, RoundItem.recommendation_id == Recommendation.id)
                         .join(VotingRound, VotingRound.id == RoundItem.round_id)
                         .where(RoundItem.recommendation_id.in_(ids), VotingRound.status == OPEN)).first()
        if busy is not None:
            raise InvalidInput(f"Recommendation {busy[0]} is already being voted on in round {busy[1]}.",
                               field="recommendation_ids")
        number = (s.scalar(select(VotingRound.number).where(VotingRound.roundtable_id == roundtable_id)
                           .order_by(VotingRound.number.desc()).limit(1)) or 0) + 1
        rnd = VotingRound(roundtable_id=roundtable_id, number=number, name=title,
                          rules=round_rules.model_dump(mode="json"), status=OPEN, opened_by=user.id, opened_at=now,
                          closes_at=closes_at, carried_from_round_id=carry_from_round_id,
                          pseudonym_key=secrets.token_hex(16), voters_frozen_at=now)
        s.add(rnd)
        s.flush()
        # Who may vote is fixed now: the participants of this moment (their role decides whether they
        # vote, as the roundtable's settings say); someone who joins during the round votes in the next one.
        voters = sorted(s.scalars(select(Membership.user_id).join(User, User.id == Membership.user_id)
                                  .where(Membership.roundtable_id == roundtable_id, User.is_active.is_(True))))
        if voters:
            s.execute(insert(RoundVoter), [{"round_id": rnd.id, "user_id": uid} for uid in voters])
        for position, rid in enumerate(ids, start=1):
            s.add(RoundItem(round_id=rnd.id, recommendation_id=rid, position=position))
            rec = recs[rid]
            if rec.status != RecStatus.VOTING:
                check_transition(RecStatus(rec.status), RecStatus.VOTING)
                audit(s, actor_id=user.id, roundtable_id=roundtable_id, action="recommendation.status",
                      object_type="recommendation", object_id=rid,
                      details={"from": rec.status, "to": RecStatus.VOTING.value, "round_id": rnd.id,
                               "reason": f"Voting round {number} opened"})
                rec.status = RecStatus.VOTING.value
                rec.updated_at = now
        audit(s, actor_id=user.id, roundtable_id=roundtable_id, action="voting.round.open", object_type="voting_round",
              object_id=rnd.id, details={"number": number, "recommendation_ids": ids, "eligible_voters": len(voters),
                                         "rules": rnd.rules, "carried_from_round_id": carry_from_round_id,
                                         "closes_at": closes_at.isoformat() if closes_at else None})
        s.flush()
        notifications.on_round_opened(s, rnd)
        return round_view(rnd, ids)


def carry_forward(
    db: Database,
    *,
    actor_id: int,
    round_id: int,
    rules: RoundRules | Mapping[str, Any] | None = None,
    name: str = "",
    closes_at: datetime | None = None,
) -> RoundView:
    """Open the next round with the items of closed round ``round_id`` that reached no consensus.

    The new round keeps the old round's rules unless ``rules`` is given. Raises as ``open_round``.
    """
    with db.read() as s:
        prev = get(s, VotingRound, round_id, "Voting round")
        roundtable_id, previous_rules = prev.roundtable_id, prev.rules
    return open_round(db, actor_id=actor_id, roundtable_id=roundtable_id,
                      rules=rules if rules is not None else previous_rules, name=name, closes_at=closes_at,
                      carry_from_round_id=round_id)


def _clean_overrides(block_overrides: Mapping[int, str] | None) -> dict[int, str]:
    out: dict[int, str] = {}
    if block_overrides is not None and not isinstance(block_overrides, Mapping):
        raise InvalidInput("Give block overrides as recommendation id → reason.", field="block_overrides")
    for rid, reason in (block_overrides or {}).items():
        if isinstance(rid, bool) or not isinstance(rid, int) or (reason is not None and not isinstance(reason, str)):
            raise InvalidInput("Give block overrides as recommendation id → reason.", field="block_overrides")
        text = clean_override_reason(reason if reason is not None else "")
        assert text is not None
        if len(text) > LIMITS["reason"]:
            raise InvalidInput(f"An override reason has at most {LIMITS['reason']:,} characters.",
                               field="block_overrides")
        out[rid] = text
    return out


def _apply_override(s: Session, rnd: VotingRound, recommendation_id: int, reason: str, user_id: int,
                    now: datetime) -> None:
    item = s.scalar(select(RoundItem).where(RoundItem.round_id == rnd.id,
                                            RoundItem.recommendation_id == recommendation_id))
    if item is None:
        raise InvalidInput(f"Recommendation {recommendation_id} is not on the ballot of round {rnd.number}.",
                           field="block_overrides")
    before = item.block_override_reason
    item.block_override_reason, item.block_override_by, item.block_override_at = reason, user_id, now
    audit(s, actor_id=user_id, roundtable_id=rnd.roundtable_id, action="voting.block_override",
          object_type="voting_round", object_id=rnd.id,
          details={"recommendation_id": recommendation_id, "reason": reason, "previous_reason": before})


def override_block(db: Database, *, actor_id: int, round_id: int, recommendation_id: int,
                   reason: str) -> ItemResultView:
    """Record, before the close, that blocks on a recommendation do not stop its adoption, and why.

    Moderators and admins. Raises PermissionDenied, RoundClosed, InvalidInput (blank reason).
    """
    cleaned = _clean_overrides({recommendation_id: reason})
    with db.write() as s:
        rnd = _round(s, round_id)
        user, _ = _staff(s, actor_id, rnd.roundtable_id, "override a block")
        now = utcnow()
        _require_open(rnd, now)
        _apply_override(s, rnd, recommendation_id, cleaned[recommendation_id], user.id, now)
        s.flush()
        return build_item_views(s, rnd, staff=True, only=recommendation_id)[1][0]


def close_round(db: Database, *, actor_id: int, round_id: int,
                block_overrides: Mapping[int, str] | None = None) -> RoundResultsView:
    """Close a round (moderators, admins): freeze the tally and apply each outcome to its recommendation.

    ``block_overrides`` maps recommendation ids to the reason a block does not stop adoption.
    Raises PermissionDenied, InvalidTransition (already closed), InvalidInput.
    """
    overrides = _clean_overrides(block_overrides)
    with db.write() as s:
        rnd = _round(s, round_id)
        user, _ = _staff(s, actor_id, rnd.roundtable_id, "close a voting round")
        if rnd.status == CLOSED:
            raise InvalidTransition(f"Voting round {rnd.number} is already closed.")
        now = utcnow()
        for rid, reason in overrides.items():
            _apply_override(s, rnd, rid, reason, user.id, now)
        s.flush()
        outcomes = freeze(s, rnd, closed_by=user.id, now=now)
        audit(s, actor_id=user.id, roundtable_id=rnd.roundtable_id, action="voting.round.close",
              object_type="voting_round", object_id=rnd.id,
              details={"number": rnd.number, "outcomes": {str(k): v for k, v in outcomes.items()}})
        s.flush()
        return build_round_results(s, rnd, staff=True)


def close_due_rounds(db: Database, *, now: datetime | None = None) -> list[int]:
    """Close every round whose closing date has passed (the scheduled job); returns their ids."""
    moment = now or utcnow()
    with db.read() as s:
        due = list(s.scalars(select(VotingRound.id).where(
            VotingRound.status == OPEN, VotingRound.closes_at.is_not(None), VotingRound.closes_at <= moment)
            .order_by(VotingRound.id)))
    return close_rounds(db, due, now=moment)


def get_round(db: Database, *, actor_id: int, round_id: int) -> RoundView:
    """One round (any participant). Raises NotFound, PermissionDenied."""
    def body(s: Session) -> RoundView:
        rnd = get(s, VotingRound, round_id, "Voting round")
        member_role(s, actor(s, actor_id), rnd.roundtable_id)
        raise_if_due([rnd])
        return round_view(rnd, [i.recommendation_id for i in items_of(s, rnd.id)])
    return run_after_closing_due(db, body)


def list_rounds(db: Database, *, actor_id: int, roundtable_id: int) -> list[RoundView]:
    """Every round of the roundtable, by number (any participant)."""
    def body(s: Session) -> list[RoundView]:
        member_role(s, actor(s, actor_id), roundtable_id)
        rounds = list(s.scalars(select(VotingRound).where(VotingRound.roundtable_id == roundtable_id)
                                .order_by(VotingRound.number)))
        raise_if_due(rounds)
        return [round_view(r, item_ids_of(s, r.id)) for r in rounds]
    return run_after_closing_due(db, body)


# --------------------------------------------------------------------------- ballots


def cast_vote(
    db: Database,
    *,
    actor_id: int,
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
        raise InvalidInput("Say yes or no to showing your name with your reason.", field="reason_named")
    if reason is not None and not isinstance(reason, str):
        raise InvalidInput("The reason must be text.", field="reason")
    with db.write() as s:
        # At most five statements: the context (one read; two on PostgreSQL), the upsert of the vote,
        # its history row and its audit row. The same vote again only reads.
        ctx = _cast_context(s, actor_id, round_id, recommendation_id)
        mode = RoundRules.model_validate(ctx.rules).mode
        ballot = validate_ballot(mode, choice, rating, reason)
        limit = LIMITS["reason"] if mode is VotingMode.SIMPLE else LIMITS["comment"]
        if ballot.reason is not None and len(ballot.reason) > limit:
            raise InvalidInput(f"The reason is too long: at most {limit:,} characters.", field="reason")
        wanted = (ballot.choice.value if ballot.choice else None, ballot.rating, ballot.reason,
                  reason_named and ballot.reason is not None)
        now = utcnow()
        current = ctx.current_revision_id
        assert current is not None
        voter_id = actor_id
        assert voter_id is not None
        action: str
        if ctx.vote_id is None:
            action = "cast"
        else:
            same = (ctx.choice, ctx.rating, ctx.reason, ctx.reason_named) == wanted
            if same and ctx.revision_id == current:
                return VoteView(id=ctx.vote_id, round_id=round_id, recommendation_id=recommendation_id,
                                voter_id=voter_id, revision_id=ctx.revision_id, choice=ctx.choice, rating=ctx.rating,
                                reason=ctx.reason, reason_named=ctx.reason_named, stale=False, cast_at=ctx.cast_at,
                                updated_at=ctx.updated_at)
            action = "confirm" if same else "change"
        values = {"round_id": round_id, "recommendation_id": recommendation_id, "voter_id": voter_id,
                  "revision_id": current, "choice": wanted[0], "rating": wanted[1], "reason": wanted[2],
                  "reason_named": wanted[3], "cast_at": now, "updated_at": now, "version": 1}
        conn = s.connection()
        vote_id, cast_at = conn.execute(_cast_statements(s.get_bind().dialect.name)[2], values).one()
        conn.execute(insert(VoteHistory.__table__), {
            "vote_id": vote_id, "action": action, "revision_id": current, "choice": wanted[0], "rating": wanted[1],
            "reason": wanted[2], "reason_named": wanted[3], "at": now})
        # No choice in the details: the audit feed must not reveal a vote.
        audit(s, actor_id=voter_id, roundtable_id=ctx.roundtable_id, action=f"vote.{action}", object_type="vote",
              object_id=vote_id, visibility="staff",
              details={"round_id": round_id, "recommendation_id": recommendation_id})
        return VoteView(id=vote_id, round_id=round_id, recommendation_id=recommendation_id, voter_id=voter_id,
                        revision_id=current, choice=wanted[0], rating=wanted[1], reason=wanted[2],
                        reason_named=wanted[3], stale=False, cast_at=cast_at, updated_at=now)


def confirm_vote(db: Database, *, actor_id: int, round_id: int, recommendation_id: int) -> VoteView:
    """Keep a stale vote as it is, now on the current text (writes nothing if it is not stale).

    Raises NotFound (no vote yet), RoundClosed, PermissionDenied.
    """
    with db.write() as s:
        user, rnd, rec = _voter_context(s, actor_id, round_id, recommendation_id)
        if _active_recusal(s, rnd.id, rec.id, user.id) is not None:
            raise PermissionDenied(f"You recused yourself from recommendation {rec.number}; "
                                   "withdraw the recusal to vote.")
        vote = _my_vote(s, rnd.id, rec.id, user.id)
        if vote is None:
            raise NotFound(f"You have not voted on recommendation {rec.number} in round {rnd.number} yet.")
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
    return RecusalView(round_id=r.round_id, recommendation_id=r.recommendation_id, voter_id=r.voter_id,
                       reason=r.reason, recused=r.withdrawn_at is None, recused_at=r.recused_at,
                       withdrawn_at=r.withdrawn_at)


def recuse(db: Database, *, actor_id: int, round_id: int, recommendation_id: int, reason: str = "") -> RecusalView:
    """Declare a conflict of interest: the actor is left out of this item's count and quorum base.

    Raises RoundClosed, PermissionDenied, InvalidInput.
    """
    text = parse(_RecusalInput, reason=reason).reason
    with db.write() as s:
        user, rnd, rec = _voter_context(s, actor_id, round_id, recommendation_id)
        row = s.scalars(select(Recusal).where(Recusal.round_id == rnd.id, Recusal.recommendation_id == rec.id,
                                              Recusal.voter_id == user.id).with_for_update()).first()
        if row is not None and row.withdrawn_at is None:
            return _recusal_view(row)
        now = utcnow()
        if row is None:
            row = Recusal(round_id=rnd.id, recommendation_id=rec.id, voter_id=user.id, reason=text, recused_at=now)
            s.add(row)
        else:
            row.reason, row.recused_at, row.withdrawn_at = text, now, None
        s.flush()
        audit(s, actor_id=user.id, roundtable_id=rnd.roundtable_id, action="vote.recuse", object_type="recusal",
              object_id=row.id, visibility="staff", details={"round_id": rnd.id, "recommendation_id": rec.id})
        return _recusal_view(row)


def withdraw_recusal(db: Database, *, actor_id: int, round_id: int, recommendation_id: int) -> RecusalView:
    """Take back one's recusal while the round is open. Raises InvalidInput if there is none."""
    with db.write() as s:
        user, rnd, rec = _voter_context(s, actor_id, round_id, recommendation_id)
        row = _active_recusal(s, rnd.id, rec.id, user.id)
        if row is None:
            raise InvalidInput(f"You have not recused yourself from recommendation {rec.number}.")
        row.withdrawn_at = utcnow()
        audit(s, actor_id=user.id, roundtable_id=rnd.roundtable_id, action="vote.unrecuse", object_type="recusal",
              object_id=row.id, visibility="staff", details={"round_id": rnd.id, "recommendation_id": rec.id})
        return _recusal_view(row)


def my_vote_history(db: Database, *, actor_id: int, round_id: int, recommendation_id: int) -> list[VoteHistoryView]:
    """The actor's own casts, changes and confirmations on one item, oldest first."""
    with db.read() as s:
        user = actor(s, actor_id)
        rnd = get(s, VotingRound, round_id, "Voting round")
        member_role(s, user, rnd.roundtable_id)
        rows = s.scalars(select(VoteHistory).join(Vote, Vote.id == VoteHistory.vote_id).where(
            Vote.round_id == rnd.id, Vote.recommendation_id == recommendation_id, Vote.voter_id == user.id)
            .order_by(VoteHistory.id))
        return [VoteHistoryView(action=h.action, revision_id=h.revision_id, choice=h.choice, rating=h.rating,
                                reason=h.reason, reason_named=h.reason_named, at=h.at) for h in rows]



def my_vote_histories(db: Database, *, actor_id: int, roundtable_id: int) -> dict[tuple[int, int], list[VoteHistoryView]]:
    """The actor's own casts, changes and confirmations in every round of the roundtable, by
    (round id, recommendation id), oldest first: the ballot page's history in one query."""
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
            out.setdefault((round_id, rec_id), []).append(VoteHistoryView(
                action=h.action, revision_id=h.revision_id, choice=h.choice, rating=h.rating, reason=h.reason,
                reason_named=h.reason_named, at=h.at))
        return out
