"""Voting rounds: open, close, carry forward, override a block; the rounds a participant reads.

Every function is one transaction with its audit row; who may is ``domain.policy``'s answer, asked
through ``services._base.require`` (``Action.RUN_ROUNDS``). Locking (see ``ballots``): the close takes the
round row ``FOR UPDATE`` first and checks its status only once it holds it, then the recommendation rows.

Decisions:
- A round is opened only where people can vote (not in set-up, not once final); its eligible voters are
  frozen at that moment (``round_voters``).
- The roundtable row lock serialises openings: round numbers and "one open round per text".
- A round is opened by a person: the command line closes and overrides, it does not open rounds
  (``opened_by`` names who opened it).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Membership, Recommendation, Roundtable, User, utcnow
from recdraft.db.voting_models import RoundItem, RoundVoter, VotingRound
from recdraft.domain import policy
from recdraft.domain.policy import Action
from recdraft.domain.statuses import RecStatus, check_transition
from recdraft.domain.voting import Outcome, RoundRules, clean_override_reason
from recdraft.errors import (
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    Word,
)
from recdraft.schemas.common import LIMITS, Input, parse, text_check
from recdraft.schemas.voting import (
    ItemResultView,
    RoundAction,
    RoundResultsView,
    RoundsView,
    RoundView,
)
from recdraft.services import notifications
from recdraft.services._base import (
    Actor,
    Granted,
    actor_ref,
    audit,
    get,
    require,
)
from recdraft.services.voting._common import (
    CLOSED,
    OPEN,
    item_ids_of,
    items_of,
    locked_round,
    meeting_times,
    raise_if_due,
    reader_role,
    require_open,
    round_view,
    roundtable_actions,
)
from recdraft.services.voting.results import (
    build_item_views,
    build_round_results,
    close_rounds,
    freeze,
    run_after_closing_due,
)

VOTABLE_FOR_OPENING = frozenset({RecStatus.DISCUSSION, RecStatus.VOTING})

RoundName = Annotated[str, text_check("Round name", "name", single_line=True, required=False)]


class _RoundInput(Input):
    name: RoundName = ""


def _runs_rounds(s: Session, actor_id: Actor, roundtable_id: int) -> Granted:
    """The actor, when ``domain.policy`` lets them run rounds in the roundtable now; else PermissionDenied."""
    return require(s, actor_id, Action.RUN_ROUNDS, roundtable_id)


def _parse_rules(rules: RoundRules | Mapping[str, Any] | None) -> RoundRules:
    if rules is None:
        return RoundRules()
    if isinstance(rules, RoundRules):
        return rules
    if not isinstance(rules, Mapping):
        raise InvalidInput("svc.voting.rules_named", field="rules")
    return parse(RoundRules, **dict(rules))


def _check_closes_at(closes_at: datetime | None, now: datetime) -> None:
    if closes_at is None:
        return
    if not isinstance(closes_at, datetime) or closes_at.tzinfo is None:
        raise InvalidInput("svc.voting.closing_time_zone", field="closes_at")
    if closes_at <= now:
        raise InvalidInput("svc.vote_closing_future", field="closes_at")


# --------------------------------------------------------------------------- rounds


def open_round(
    db: Database,
    *,
    actor_id: Actor,
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
        _runs_rounds(s, actor_id, roundtable_id)
        raise_if_due(
            s.scalars(select(VotingRound).where(VotingRound.roundtable_id == roundtable_id, VotingRound.status == OPEN))
        )

    run_after_closing_due(db, close_due_first)
    with db.write() as s:
        granted = _runs_rounds(s, actor_id, roundtable_id)
        # A round is opened only where people can vote: not in set-up, not once final.
        phase = policy.phase_of(granted.roundtable.phase)
        if Action.VOTE not in policy.PHASE_RULES[phase]:
            raise PermissionDenied(policy.PHASE_REFUSALS.get(phase, policy.PHASE_REFUSALS[policy.Phase.ARCHIVED]))
        if granted.user is None:
            raise PermissionDenied("svc.voting.person_opens_round")
        user = granted.user
        # The roundtable row lock serialises openings: round numbers and "one open round per text".
        get(s, Roundtable, roundtable_id, "Roundtable", lock=True)
        ids = list(recommendation_ids) if recommendation_ids is not None else None
        if carry_from_round_id is not None:
            prev = get(s, VotingRound, carry_from_round_id, "Voting round")
            if prev.roundtable_id != roundtable_id:
                raise InvalidInput("svc.voting.round_other_roundtable", field="carry_from_round_id")
            if prev.status != CLOSED:
                raise InvalidInput("svc.voting.round_still_open", number=prev.number, field="carry_from_round_id")
            if ids is None:
                ids = [i.recommendation_id for i in items_of(s, prev.id) if i.outcome == Outcome.NO_CONSENSUS]
                if not ids:
                    raise InvalidInput("svc.voting.nothing_to_carry", number=prev.number, field="carry_from_round_id")
        if not ids:
            raise InvalidInput("svc.vote_choose_rec", field="recommendation_ids")
        if any(isinstance(i, bool) or not isinstance(i, int) for i in ids) or len(set(ids)) != len(ids):
            raise InvalidInput("svc.voting.each_rec_once", field="recommendation_ids")
        recs = {
            r.id: r
            for r in s.scalars(
                select(Recommendation).where(Recommendation.id.in_(ids)).order_by(Recommendation.id).with_for_update()
            )
        }
        for rid in ids:
            rec = recs.get(rid)
            if rec is None or rec.roundtable_id != roundtable_id:
                raise NotFound("svc.voting.rec_not_in_roundtable", rid=rid)
            if RecStatus(rec.status) not in VOTABLE_FOR_OPENING:
                raise InvalidTransition("svc.voting.not_votable_status", number=rec.number, status=Word(rec.status))
        busy = s.execute(
            select(Recommendation.number, VotingRound.number)
            .join(RoundItem, RoundItem.recommendation_id == Recommendation.id)
            .join(VotingRound, VotingRound.id == RoundItem.round_id)
            .where(RoundItem.recommendation_id.in_(ids), VotingRound.status == OPEN)
        ).first()
        if busy is not None:
            raise InvalidInput("svc.voting.already_in_round", busy=busy[0], busy2=busy[1], field="recommendation_ids")
        number = (
            s.scalar(
                select(VotingRound.number)
                .where(VotingRound.roundtable_id == roundtable_id)
                .order_by(VotingRound.number.desc())
                .limit(1)
            )
            or 0
        ) + 1
        rnd = VotingRound(
            roundtable_id=roundtable_id,
            number=number,
            name=title,
            rules=round_rules.model_dump(mode="json"),
            status=OPEN,
            opened_by=user.id,
            opened_at=now,
            closes_at=closes_at,
            carried_from_round_id=carry_from_round_id,
            pseudonym_key=secrets.token_hex(16),
            voters_frozen_at=now,
        )
        s.add(rnd)
        s.flush()
        # Who may vote is fixed now: the participants of this moment (their role decides whether they
        # vote, as the roundtable's settings say); someone who joins during the round votes in the next one.
        voters = sorted(
            s.scalars(
                select(Membership.user_id)
                .join(User, User.id == Membership.user_id)
                .where(Membership.roundtable_id == roundtable_id, User.is_active.is_(True))
            )
        )
        if voters:
            s.execute(insert(RoundVoter), [{"round_id": rnd.id, "user_id": uid} for uid in voters])
        for position, rid in enumerate(ids, start=1):
            s.add(RoundItem(round_id=rnd.id, recommendation_id=rid, position=position))
            rec = recs[rid]
            if rec.status != RecStatus.VOTING:
                check_transition(RecStatus(rec.status), RecStatus.VOTING)
                audit(
                    s,
                    actor_id=user.id,
                    roundtable_id=roundtable_id,
                    action="recommendation.status",
                    object_type="recommendation",
                    object_id=rid,
                    details={
                        "from": rec.status,
                        "to": RecStatus.VOTING.value,
                        "round_id": rnd.id,
                        "reason": f"Voting round {number} opened",
                    },
                )
                rec.status = RecStatus.VOTING.value
                rec.updated_at = now
        audit(
            s,
            actor_id=user.id,
            roundtable_id=roundtable_id,
            action="voting.round.open",
            object_type="voting_round",
            object_id=rnd.id,
            details={
                "number": number,
                "recommendation_ids": ids,
                "eligible_voters": len(voters),
                "rules": rnd.rules,
                "carried_from_round_id": carry_from_round_id,
                "closes_at": closes_at.isoformat() if closes_at else None,
            },
        )
        s.flush()
        notifications.on_round_opened(s, rnd)
        return round_view(rnd, ids)


def carry_forward(
    db: Database,
    *,
    actor_id: Actor,
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
    return open_round(
        db,
        actor_id=actor_id,
        roundtable_id=roundtable_id,
        rules=rules if rules is not None else previous_rules,
        name=name,
        closes_at=closes_at,
        carry_from_round_id=round_id,
    )


def _clean_overrides(block_overrides: Mapping[int, str] | None) -> dict[int, str]:
    out: dict[int, str] = {}
    if block_overrides is not None and not isinstance(block_overrides, Mapping):
        raise InvalidInput("svc.voting.overrides_format", field="block_overrides")
    for rid, reason in (block_overrides or {}).items():
        if isinstance(rid, bool) or not isinstance(rid, int) or (reason is not None and not isinstance(reason, str)):
            raise InvalidInput("svc.voting.overrides_format", field="block_overrides")
        text = clean_override_reason(reason if reason is not None else "")
        assert text is not None
        if len(text) > LIMITS["reason"]:
            raise InvalidInput("svc.voting.override_reason_too_long", reason=LIMITS["reason"], field="block_overrides")
        out[rid] = text
    return out


def _apply_override(
    s: Session, rnd: VotingRound, recommendation_id: int, reason: str, user_id: int | None, now: datetime
) -> None:
    item = s.scalar(
        select(RoundItem).where(RoundItem.round_id == rnd.id, RoundItem.recommendation_id == recommendation_id)
    )
    if item is None:
        raise InvalidInput(
            "svc.voting.not_on_ballot", recommendation_id=recommendation_id, number=rnd.number, field="block_overrides"
        )
    before = item.block_override_reason
    item.block_override_reason, item.block_override_by, item.block_override_at = reason, user_id, now
    audit(
        s,
        actor_id=user_id,
        roundtable_id=rnd.roundtable_id,
        action="voting.block_override",
        object_type="voting_round",
        object_id=rnd.id,
        details={"recommendation_id": recommendation_id, "reason": reason, "previous_reason": before},
    )


def override_block(
    db: Database, *, actor_id: Actor, round_id: int, recommendation_id: int, reason: str
) -> ItemResultView:
    """Record, before the close, that blocks on a recommendation do not stop its adoption, and why.

    Moderators and admins. Raises PermissionDenied, RoundClosed, InvalidInput (blank reason).
    """
    cleaned = _clean_overrides({recommendation_id: reason})
    with db.write() as s:
        rnd = locked_round(s, round_id)
        _runs_rounds(s, actor_id, rnd.roundtable_id)
        now = utcnow()
        require_open(rnd, now)
        _apply_override(s, rnd, recommendation_id, cleaned[recommendation_id], actor_ref(actor_id), now)
        s.flush()
        return build_item_views(s, rnd, staff=True, only=recommendation_id)[1][0]


def close_round(
    db: Database, *, actor_id: Actor, round_id: int, block_overrides: Mapping[int, str] | None = None
) -> RoundResultsView:
    """Close a round (moderators, admins): freeze the tally and apply each outcome to its recommendation.

    ``block_overrides`` maps recommendation ids to the reason a block does not stop adoption.
    Raises PermissionDenied, InvalidTransition (already closed), InvalidInput.
    """
    overrides = _clean_overrides(block_overrides)
    with db.write() as s:
        rnd = locked_round(s, round_id)
        granted = _runs_rounds(s, actor_id, rnd.roundtable_id)
        if rnd.status == CLOSED:
            raise InvalidTransition("svc.voting.round_already_closed", number=rnd.number)
        who = actor_ref(actor_id)
        now = utcnow()
        for rid, reason in overrides.items():
            _apply_override(s, rnd, rid, reason, who, now)
        s.flush()
        outcomes = freeze(s, rnd, closed_by=who, now=now)
        audit(
            s,
            actor_id=who,
            roundtable_id=rnd.roundtable_id,
            action="voting.round.close",
            object_type="voting_round",
            object_id=rnd.id,
            details={"number": rnd.number, "outcomes": {str(k): v for k, v in outcomes.items()}},
        )
        s.flush()
        return build_round_results(s, rnd, staff=True, granted=roundtable_actions(granted.roundtable, granted.role))


def close_due_rounds(db: Database, *, now: datetime | None = None) -> list[int]:
    """Close every round whose closing date has passed (the scheduled job); returns their ids."""
    moment = now or utcnow()
    with db.read() as s:
        due = list(
            s.scalars(
                select(VotingRound.id)
                .where(VotingRound.status == OPEN, VotingRound.closes_at.is_not(None), VotingRound.closes_at <= moment)
                .order_by(VotingRound.id)
            )
        )
    return close_rounds(db, due, now=moment)


def get_round(db: Database, *, actor_id: Actor, round_id: int) -> RoundView:
    """One round (any participant, the command line), with what the viewer may do with it in ``actions``.

    Raises NotFound, NotSignedIn, PermissionDenied."""

    def body(s: Session) -> RoundView:
        rnd = get(s, VotingRound, round_id, "Voting round")
        role = reader_role(s, actor_id, rnd.roundtable_id)
        raise_if_due([rnd])
        rt = get(s, Roundtable, rnd.roundtable_id, "Roundtable")
        return round_view(rnd, [i.recommendation_id for i in items_of(s, rnd.id)], roundtable_actions(rt, role))

    return run_after_closing_due(db, body)


def rounds_overview(db: Database, *, actor_id: Actor, roundtable_id: int) -> RoundsView:
    """Every round of the roundtable by number, and what the viewer may do about voting there (``actions``:
    vote, run rounds, open a round, manage rounds; each round's own ``actions`` too). Any participant.
    With ``open_round``, ``open_round_candidates`` lists the recommendations a new round may take (in
    discussion or voting and in no open round), in the roundtable's order.

    Raises NotFound, NotSignedIn, PermissionDenied."""

    def body(s: Session) -> RoundsView:
        role = reader_role(s, actor_id, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        rounds = list(
            s.scalars(
                select(VotingRound).where(VotingRound.roundtable_id == roundtable_id).order_by(VotingRound.number)
            )
        )
        raise_if_due(rounds)
        granted = roundtable_actions(rt, role)
        candidates: list[int] = []
        if RoundAction.OPEN_ROUND in granted:
            busy = (
                select(RoundItem.recommendation_id)
                .join(VotingRound, VotingRound.id == RoundItem.round_id)
                .where(VotingRound.roundtable_id == roundtable_id, VotingRound.status == OPEN)
            )
            candidates = list(
                s.scalars(
                    select(Recommendation.id)
                    .where(
                        Recommendation.roundtable_id == roundtable_id,
                        Recommendation.status.in_([st.value for st in VOTABLE_FOR_OPENING]),
                        Recommendation.id.not_in(busy),
                    )
                    .order_by(Recommendation.position, Recommendation.id)
                )
            )
        met = meeting_times(s, [r.id for r in rounds])
        return RoundsView(
            roundtable_id=roundtable_id,
            actions=sorted(granted),
            open_round_candidates=candidates,
            rounds=[round_view(r, item_ids_of(s, r.id), granted, met.get(r.id)) for r in rounds],
        )

    return run_after_closing_due(db, body)


def list_rounds(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[RoundView]:
    """Every round of the roundtable, by number (any participant; ``rounds_overview`` with the actions)."""
    return rounds_overview(db, actor_id=actor_id, roundtable_id=roundtable_id).rounds
