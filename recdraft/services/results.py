"""Tallies, the frozen snapshot at close, and what people read: results, their ballots, the CSV export.

The counting rules themselves are ``recdraft.domain.voting`` (pure, tested on their own); this module
turns the rows of a round into ``Ballot``s and back into views.

Decisions:
- Who counts: active users whose membership role votes in the roundtable (experts; moderators and
  admins too when the setting ``moderators_vote`` is on). A vote by someone who is no longer
  eligible stays stored but is not counted; the eligible number is read when the tally is made and
  frozen at close.
- Stale is computed from the data: a vote counts only if it points at the text in force (the current
  revision while open; at close, the revision current at the closing moment).
- A round past its ``closes_at`` is closed: votes are refused at once and the first read (or the
  close job) freezes its snapshot, with the text in force at ``closes_at``.
- Blind rounds: while open, people other than moderators and admins get the round with
  ``hidden=True`` and no figures at all (not even turnout); after close everyone sees the snapshot.
- Dissent: the reasons of the counted minority against the outcome, and of every block
  (``domain.voting.is_dissent``): for an adopted text the disagree votes (Delphi: ratings outside the
  agreement band), for a rejected one the agree votes (Delphi: ratings outside 1–3). A name and
  organisation are shown only when the voter allowed it for that reason and the round is not
  anonymous; otherwise neither is shown.
- CSV export of an anonymous round: voters become "Voter N", numbered in an order drawn from a
  secret per-round key (not by user id or time, which would identify them); no organisation, no
  times; the group only when at least 3 eligible voters belong to it.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Membership, Recommendation, Revision, Roundtable, User, utcnow
from recdraft.db.voting_models import Recusal, RoundItem, RoundResult, RoundVoter, Vote, VotingRound
from recdraft.domain.csvsafe import neutralise
from recdraft.domain.roles import Role, can_moderate
from recdraft.domain.statuses import RecStatus, check_transition
from recdraft.domain.voting import (
    Ballot,
    GroupTallies,
    Outcome,
    RoundRules,
    Tally,
    VotingMode,
    delphi_feedback,
    is_dissent,
    tally_by_group,
)
from recdraft.schemas.voting import (
    BallotItemView,
    BallotRoundView,
    CountsView,
    DissentView,
    ItemResultView,
    MyBallotsView,
    RoundResultsView,
    RoundView,
    VoteView,
)
from recdraft.services import notifications
from recdraft.services._base import actor, audit, deny_unless, get, member_role

OPEN, CLOSED = "open", "closed"
# A group smaller than this is not named in an anonymous export: it would point at its members.
MIN_GROUP_FOR_ANONYMOUS_EXPORT = 3

OUTCOME_STATUS = {
    Outcome.ADOPTED: RecStatus.ADOPTED,
    Outcome.REJECTED: RecStatus.REJECTED,
    Outcome.NO_CONSENSUS: RecStatus.DISCUSSION,
}

T = TypeVar("T")


# --------------------------------------------------------------------------- small helpers


def rules_of(rnd: VotingRound) -> RoundRules:
    return RoundRules.model_validate(rnd.rules)


def is_due(rnd: VotingRound, now: datetime) -> bool:
    """Open in the table but past its closing date: closed for every purpose."""
    return rnd.status == OPEN and rnd.closes_at is not None and rnd.closes_at <= now


def voting_roles(rt: Roundtable) -> frozenset[str]:
    """Membership roles that vote in this roundtable now."""
    if (rt.settings or {}).get("moderators_vote", False):
        return frozenset({Role.EXPERT.value, Role.MODERATOR.value, Role.ADMIN.value})
    return frozenset({Role.EXPERT.value})


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
    stmt = (
        select(Membership.user_id, User.display_name, Membership.organisation, Membership.group)
        .join(User, User.id == Membership.user_id)
        .where(Membership.roundtable_id == rt.id, Membership.role.in_(voting_roles(rt)), User.is_active.is_(True))
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
    return list(s.scalars(select(RoundItem.recommendation_id).where(RoundItem.round_id == round_id)
                          .order_by(RoundItem.position)))


def round_view(rnd: VotingRound, rec_ids: list[int]) -> RoundView:
    rules = rules_of(rnd)
    return RoundView(
        id=rnd.id, roundtable_id=rnd.roundtable_id, number=rnd.number, name=rnd.name, mode=rules.mode.value,
        anonymous=rules.anonymous, blind=rules.blind, rules=rules.model_dump(mode="json"), status=rnd.status,
        opened_by=rnd.opened_by, opened_at=rnd.opened_at, closes_at=rnd.closes_at, closed_at=rnd.closed_at,
        closed_by=rnd.closed_by, carried_from_round_id=rnd.carried_from_round_id, recommendation_ids=rec_ids,
    )


def vote_view(v: Vote, current_revision_id: int | None) -> VoteView:
    return VoteView(
        id=v.id, round_id=v.round_id, recommendation_id=v.recommendation_id, voter_id=v.voter_id,
        revision_id=v.revision_id, choice=v.choice, rating=v.rating, reason=v.reason, reason_named=v.reason_named,
        stale=v.revision_id != current_revision_id, cast_at=v.cast_at, updated_at=v.updated_at,
    )


class _Due(Exception):
    """Raised inside a read that met rounds past their closing date: close them, then read again."""

    def __init__(self, round_ids: list[int]) -> None:
        super().__init__(round_ids)
        self.round_ids = round_ids


def raise_if_due(rounds: Iterable[VotingRound], now: datetime | None = None) -> None:
    now = now or utcnow()
    due = [r.id for r in rounds if is_due(r, now)]
    if due:
        raise _Due(due)


def run_after_closing_due(db: Database, body: Callable[[Session], T], *, write: bool = False) -> T:
    """Run ``body`` in one transaction; if it meets rounds past their date, freeze them and run it again.

    ``body`` checks permission before it looks for due rounds, so a refused caller never triggers a write.
    """
    for _ in range(3):
        try:
            with (db.write() if write else db.read()) as s:
                return body(s)
        except _Due as due:
            close_rounds(db, due.round_ids)
    raise RuntimeError("voting rounds kept falling due while reading")  # pragma: no cover


# --------------------------------------------------------------------------- tallying


@dataclass
class Live:
    """One recommendation's tally in one round, from the rows as they are."""

    revision_id: int
    ballots: list[Ballot]
    tallies: GroupTallies
    dissents: list[dict[str, Any]]


def _dissents(reasoned: list[dict[str, Any]], outcome: Outcome, rules: RoundRules) -> list[dict[str, Any]]:
    """The reasons of the minority against ``outcome``, and of every block (``domain.voting.is_dissent``)."""
    return [d for d in reasoned if is_dissent(d["choice"], d["rating"], outcome=outcome, rules=rules)]


def compute(s: Session, rnd: VotingRound, items: list[RoundItem], revision_at: dict[int, int], *,
            page: bool = False) -> dict[int, Live]:
    """Tally every item of the round: counted votes are the eligible voters' votes on ``revision_at``.

    ``page``: ``items`` are one page of the round (the results page); only their votes are read."""
    rules = rules_of(rnd)
    rt = get(s, Roundtable, rnd.roundtable_id, "Roundtable")
    voters = eligible_voters(s, rt, rnd)
    votes: dict[int, list[Vote]] = defaultdict(list)
    on_page = [Vote.recommendation_id.in_([i.recommendation_id for i in items])] if page else []
    for v in s.scalars(select(Vote).where(Vote.round_id == rnd.id, *on_page).order_by(Vote.id)):
        votes[v.recommendation_id].append(v)
    recused: dict[int, set[int]] = defaultdict(set)
    for rid, uid in s.execute(select(Recusal.recommendation_id, Recusal.voter_id)
                              .where(Recusal.round_id == rnd.id, Recusal.withdrawn_at.is_(None))):
        recused[rid].add(uid)
    by_group = dict(sorted(Counter(v.group for v in voters.values() if v.group).items()))
    out: dict[int, Live] = {}
    for item in items:
        rid = item.recommendation_id
        ballots: list[Ballot] = []
        dissents: list[dict[str, Any]] = []
        for v in votes[rid]:
            voter = voters.get(v.voter_id)
            if voter is None:
                continue
            b = Ballot(voter_id=v.voter_id, choice=v.choice, rating=v.rating, group=voter.group,
                       stale=v.revision_id != revision_at[rid], recused=v.voter_id in recused[rid])
            ballots.append(b)
            if b.counted and v.reason:  # kept if dissent once the outcome is known (below)
                dissents.append({"voter_id": v.voter_id, "organisation": voter.organisation, "choice": v.choice,
                                 "rating": v.rating, "reason": v.reason, "named": v.reason_named})
        have = {b.voter_id for b in ballots}
        for uid in sorted(recused[rid] - have):
            if uid in voters:
                ballots.append(Ballot(voter_id=uid, group=voters[uid].group, recused=True))
        tallies = tally_by_group(ballots, rules=rules, eligible_by_group=by_group, eligible_count=len(voters),
                                 block_override_reason=item.block_override_reason)
        out[rid] = Live(revision_at[rid], ballots, tallies, _dissents(dissents, tallies.overall.outcome, rules))
    return out


def _revisions_at(s: Session, recs: dict[int, Recommendation], cutoff: datetime | None) -> dict[int, int]:
    """The text in force for each recommendation: current, or the newest one saved by ``cutoff``."""
    current = {rid: rec.current_revision_id for rid, rec in recs.items()}
    if cutoff is None:
        return current  # type: ignore[return-value]
    # Revisions are append-only and each new one becomes current, so the newest by ``cutoff`` was in force.
    before = dict(s.execute(
        select(Revision.recommendation_id, func.max(Revision.id))
        .where(Revision.recommendation_id.in_(list(recs)), Revision.created_at <= cutoff)
        .group_by(Revision.recommendation_id)
    ).all())
    return {rid: before.get(rid, current[rid]) for rid in recs}  # type: ignore[misc]


def freeze(s: Session, rnd: VotingRound, *, closed_by: int | None, now: datetime) -> dict[int, str]:
    """Close ``rnd`` (the caller holds its row lock): snapshot every item and apply the outcomes.

    A round past its date closes as of ``closes_at``; the text in force then is the one counted.
    Recommendations still in ``voting`` move to adopted / rejected / discussion (carried forward).
    """
    cutoff = rnd.closes_at if rnd.closes_at is not None and rnd.closes_at < now else now
    items = items_of(s, rnd.id)
    recs = {r.id: r for r in s.scalars(
        select(Recommendation).where(Recommendation.id.in_([i.recommendation_id for i in items]))
        .order_by(Recommendation.id).with_for_update()
    )}
    live = compute(s, rnd, items, _revisions_at(s, recs, cutoff if cutoff < now else None))
    outcomes: dict[int, str] = {}
    for item in items:
        rid = item.recommendation_id
        result = live[rid]
        outcome = result.tallies.overall.outcome
        s.add(RoundResult(
            round_id=rnd.id, recommendation_id=rid, revision_id=result.revision_id, outcome=outcome.value,
            tally=result.tallies.overall.model_dump(mode="json"),
            group_tallies=[t.model_dump(mode="json") for t in result.tallies.groups.values()],
            ballots=[b.model_dump(mode="json") for b in result.ballots],
            dissents=result.dissents, frozen_at=now,
        ))
        item.outcome = outcome.value
        outcomes[rid] = outcome.value
        rec = recs[rid]
        target = OUTCOME_STATUS[outcome]
        if rec.status == RecStatus.VOTING:
            check_transition(RecStatus.VOTING, target)
            rec.status = target.value
            rec.updated_at = now
            audit(s, actor_id=closed_by, roundtable_id=rnd.roundtable_id, action="recommendation.status",
                  object_type="recommendation", object_id=rid,
                  details={"from": RecStatus.VOTING.value, "to": target.value, "round_id": rnd.id,
                           "reason": f"Voting round {rnd.number}: {outcome.value}"})
    rnd.status = CLOSED
    rnd.closed_at = cutoff
    rnd.closed_by = closed_by
    notifications.on_round_closed(s, rnd, outcomes)
    return outcomes


def close_rounds(db: Database, round_ids: Iterable[int], *, now: datetime | None = None) -> list[int]:
    """Freeze each round in ``round_ids`` that is past its closing date (one transaction each)."""
    closed: list[int] = []
    for round_id in round_ids:
        with db.write() as s:
            rnd = get(s, VotingRound, round_id, "Voting round", lock=True)
            moment = now or utcnow()
            if not is_due(rnd, moment):
                continue  # someone else closed it first
            outcomes = freeze(s, rnd, closed_by=None, now=moment)
            audit(s, actor_id=None, roundtable_id=rnd.roundtable_id, action="voting.round.auto_close",
                  object_type="voting_round", object_id=rnd.id,
                  details={"number": rnd.number, "outcomes": {str(k): v for k, v in outcomes.items()}})
            closed.append(rnd.id)
    return closed


# --------------------------------------------------------------------------- result views


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def counts_view(t: Tally) -> CountsView:
    return CountsView(
        group=t.group, eligible=t.eligible, voted=t.voted, stale=t.stale, recused=t.recused,
        quorum_base=t.quorum_base, turnout=float(t.turnout), quorum_met=t.quorum_met, agree=t.agree,
        disagree=t.disagree, abstain=t.abstain, block=t.block, agree_share=_f(t.agree_share),
        disagree_share=_f(t.disagree_share), block_share=_f(t.block_share), against_share=_f(t.against_share),
        delphi=t.ratings, band_share=_f(t.band_share), reject_share=_f(t.reject_share), iqr_met=t.iqr_met,
        threshold_met=t.threshold_met, blocked=t.blocked, block_override_applied=t.block_override_applied,
        rule_met=t.rule_met, outcome=t.outcome.value,
    )


def _dissent_views(s: Session, rows: list[dict[str, Any]], rules: RoundRules) -> list[DissentView]:
    named_ids = [d["voter_id"] for d in rows if d["named"] and not rules.anonymous]
    names = dict(s.execute(select(User.id, User.display_name).where(User.id.in_(named_ids))).all()) if named_ids else {}
    views = []
    for d in rows:
        named = bool(d["named"]) and not rules.anonymous
        views.append(DissentView(name=names.get(d["voter_id"]) if named else None,
                                 organisation=(d["organisation"] or None) if named else None,
                                 choice=d["choice"], rating=d["rating"], reason=d["reason"]))
    # Anonymous reasons are sorted by content, never by who or when: order must not identify anyone.
    return sorted(views, key=lambda v: (v.name is None, v.name or "", v.choice or "", v.rating or 0, v.reason))


def _shown_groups(groups: list[Tally], rules: RoundRules) -> list[Tally]:
    """The group tallies a viewer may see: in an anonymous round a group smaller than
    MIN_GROUP_FOR_ANONYMOUS_EXPORT is left out ("ICRC: 1 voted, 1 disagree" would name the vote)."""
    if not rules.anonymous:
        return groups
    return [g for g in groups if g.eligible >= MIN_GROUP_FOR_ANONYMOUS_EXPORT]


def build_item_views(s: Session, rnd: VotingRound, *, staff: bool, only: int | None = None,
                     offset: int = 0, limit: int | None = None) -> tuple[bool, list[ItemResultView]]:
    """(hidden, item results) of one round as this viewer may see them; ``only`` picks one recommendation,
    ``offset``/``limit`` one page of the items in their order (the results page shows a page at a time)."""
    rules = rules_of(rnd)
    hidden = rules.blind and rnd.status == OPEN and not staff
    paged = bool(offset) or limit is not None
    items = [i for i in items_of(s, rnd.id, offset=offset, limit=limit) if only is None or i.recommendation_id == only]
    numbers: dict[int, int] = {}
    titles: dict[int, dict[str, str]] = {}
    for rid, number, content in s.execute(  # numbers and current titles in one query
            select(Recommendation.id, Recommendation.number, Revision.content)
            .outerjoin(Revision, Revision.id == Recommendation.current_revision_id)
            .where(Recommendation.id.in_([i.recommendation_id for i in items]))).all():
        numbers[rid] = number
        titles[rid] = {code: str(fields.get("title", "")) for code, fields in (content or {}).items()}
    common: dict[str, Any] = {
        "round_id": rnd.id, "round_number": rnd.number, "round_name": rnd.name, "mode": rules.mode.value,
        "anonymous": rules.anonymous, "blind": rules.blind, "final": rnd.status == CLOSED, "closed_at": rnd.closed_at,
    }
    if hidden:
        return True, [ItemResultView(**common, recommendation_id=i.recommendation_id,
                                     title=titles.get(i.recommendation_id, {}),
                                     recommendation_number=numbers[i.recommendation_id], hidden=True, overall=None,
                                     groups=[], dissents=[], block_override_reason=None) for i in items]
    figures: dict[int, tuple[Tally, list[Tally], list[dict[str, Any]]]] = {}
    if rnd.status == CLOSED:
        page_only = [RoundResult.recommendation_id.in_(list(numbers))] if paged else []
        for res in s.scalars(select(RoundResult).where(RoundResult.round_id == rnd.id, *page_only)):
            figures[res.recommendation_id] = (Tally.model_validate(res.tally),
                                              [Tally.model_validate(g) for g in res.group_tallies], res.dissents)
    else:
        current = dict(s.execute(select(Recommendation.id, Recommendation.current_revision_id)
                                 .where(Recommendation.id.in_(list(numbers)))).all())
        for rid, live in compute(s, rnd, items, current, page=paged).items():
            figures[rid] = (live.tallies.overall, list(live.tallies.groups.values()), live.dissents)
    views = []
    for i in items:
        overall, groups, dissents = figures[i.recommendation_id]
        views.append(ItemResultView(
            **common, recommendation_id=i.recommendation_id, recommendation_number=numbers[i.recommendation_id],
            title=titles.get(i.recommendation_id, {}), hidden=False, overall=counts_view(overall),
            groups=[counts_view(g) for g in _shown_groups(groups, rules)],
            dissents=_dissent_views(s, dissents, rules), block_override_reason=i.block_override_reason,
        ))
    return False, views


def build_round_results(s: Session, rnd: VotingRound, *, staff: bool, offset: int = 0,
                        limit: int | None = None) -> RoundResultsView:
    hidden, items = build_item_views(s, rnd, staff=staff, offset=offset, limit=limit)
    view = round_view(rnd, item_ids_of(s, rnd.id))
    return RoundResultsView(round=view, hidden=hidden, items=[] if hidden else items)


def round_results(db: Database, *, actor_id: int, round_id: int, offset: int = 0,
                  limit: int | None = None) -> RoundResultsView:
    """A round's results for any participant (blind and open: ``hidden`` for non-moderators); with
    ``limit``, only the items ``offset`` .. ``offset + limit`` in the round's order (``round.recommendation_ids``
    still lists them all).

    Raises NotFound, PermissionDenied (not a participant).
    """
    def body(s: Session) -> RoundResultsView:
        user = actor(s, actor_id)
        rnd = get(s, VotingRound, round_id, "Voting round")
        role = member_role(s, user, rnd.roundtable_id)
        raise_if_due([rnd])
        return build_round_results(s, rnd, staff=can_moderate(role), offset=offset, limit=limit)
    return run_after_closing_due(db, body)


def recommendation_results(db: Database, *, actor_id: int, recommendation_id: int) -> list[ItemResultView]:
    """Every round a recommendation was put to, oldest first, as the actor may see it."""
    def body(s: Session) -> list[ItemResultView]:
        user = actor(s, actor_id)
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        role = member_role(s, user, rec.roundtable_id)
        rounds = list(s.scalars(select(VotingRound).join(RoundItem, RoundItem.round_id == VotingRound.id)
                                .where(RoundItem.recommendation_id == rec.id).order_by(VotingRound.number)))
        raise_if_due(rounds)
        out: list[ItemResultView] = []
        for rnd in rounds:
            out.extend(build_item_views(s, rnd, staff=can_moderate(role), only=rec.id)[1])
        return out
    return run_after_closing_due(db, body)


def results_for_memo(db: Database, *, actor_id: int, roundtable_id: int) -> dict[int, list[ItemResultView]]:
    """Closed-round results per recommendation id (oldest round first): the memo's vote annex."""
    def body(s: Session) -> dict[int, list[ItemResultView]]:
        user = actor(s, actor_id)
        member_role(s, user, roundtable_id)
        rounds = list(s.scalars(select(VotingRound).where(VotingRound.roundtable_id == roundtable_id)
                                .order_by(VotingRound.number)))
        raise_if_due(rounds)
        out: dict[int, list[ItemResultView]] = defaultdict(list)
        for rnd in rounds:
            if rnd.status != CLOSED:
                continue
            for view in build_item_views(s, rnd, staff=True)[1]:
                out[view.recommendation_id].append(view)
        return dict(out)
    return run_after_closing_due(db, body)


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


def my_ballots(db: Database, *, actor_id: int, roundtable_id: int) -> MyBallotsView:
    """Open rounds the actor votes in, item by item: their vote, stale and recused flags, Delphi feedback."""
    def body(s: Session) -> MyBallotsView:
        user = actor(s, actor_id)
        member_role(s, user, roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        rounds = list(s.scalars(select(VotingRound).where(VotingRound.roundtable_id == roundtable_id,
                                                          VotingRound.status == OPEN).order_by(VotingRound.number)))
        raise_if_due(rounds)
        if user.id not in eligible_voters(s, rt):
            return MyBallotsView(roundtable_id=roundtable_id, eligible=False, rounds=[], to_do=0)
        round_ids = [r.id for r in rounds]
        mine = {(v.round_id, v.recommendation_id): v for v in s.scalars(
            select(Vote).where(Vote.round_id.in_(round_ids), Vote.voter_id == user.id))}
        frozen_in = set(s.scalars(select(RoundVoter.round_id).where(
            RoundVoter.round_id.in_(round_ids), RoundVoter.user_id == user.id))) if round_ids else set()
        recused = set(s.execute(select(Recusal.round_id, Recusal.recommendation_id).where(
            Recusal.round_id.in_(round_ids), Recusal.voter_id == user.id, Recusal.withdrawn_at.is_(None))).all())
        out, to_do = [], 0
        for rnd in rounds:
            items = items_of(s, rnd.id)
            recs = {r.id: r for r in s.scalars(select(Recommendation).where(
                Recommendation.id.in_([i.recommendation_id for i in items])))}
            texts = dict(s.execute(select(Revision.id, Revision.content).where(
                Revision.id.in_([r.current_revision_id for r in recs.values()]))).all())
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
                views.append(BallotItemView(
                    round_id=rnd.id, recommendation_id=rec.id, recommendation_number=rec.number,
                    title={lang: f.get("title", "") for lang, f in (texts.get(rec.current_revision_id) or {}).items()},
                    current_revision_id=rec.current_revision_id, recommendation_status=rec.status,
                    vote=vote_view(vote, rec.current_revision_id) if vote else None, stale=stale, recused=is_recused,
                    needs_action=needs, can_vote=can_vote, previous_round_feedback=feedback,
                ))
            out.append(BallotRoundView(round=round_view(rnd, [i.recommendation_id for i in items]), items=views))
        return MyBallotsView(roundtable_id=roundtable_id, eligible=True, rounds=out, to_do=to_do)
    return run_after_closing_due(db, body)


# --------------------------------------------------------------------------- CSV export

CSV_COLUMNS = ["round", "recommendation", "voter", "organisation", "group", "choice", "rating", "reason",
               "reason_may_be_named", "status", "revision", "updated_at"]


def _pseudonyms(key: str, voter_ids: Iterable[int]) -> dict[int, str]:
    """"Voter N", numbered in an order only the round's secret key determines."""
    order = sorted(set(voter_ids), key=lambda uid: hashlib.sha256(f"{key}:{uid}".encode()).hexdigest())
    return {uid: f"Voter {n}" for n, uid in enumerate(order, start=1)}


def export_votes_csv(db: Database, *, actor_id: int, round_id: int) -> str:
    """Every current vote and recusal of a round as CSV text (moderators, admins); respects anonymity.

    Cells a spreadsheet would run as formulas are neutralised. Encode with "utf-8-sig" for Excel.
    Raises NotFound, PermissionDenied.
    """
    def body(s: Session) -> str:
        user = actor(s, actor_id)
        rnd = get(s, VotingRound, round_id, "Voting round")
        role = member_role(s, user, rnd.roundtable_id)
        deny_unless(can_moderate(role), "Only moderators and administrators can export the votes.")
        raise_if_due([rnd])
        rules = rules_of(rnd)
        items = items_of(s, rnd.id)
        recs = {r.id: r for r in s.scalars(select(Recommendation).where(
            Recommendation.id.in_([i.recommendation_id for i in items])))}
        if rnd.status == CLOSED:
            ballots = {(res.recommendation_id, b["voter_id"]): Ballot.model_validate(b)
                       for res in s.scalars(select(RoundResult).where(RoundResult.round_id == rnd.id))
                       for b in res.ballots}
        else:
            live = compute(s, rnd, items, {rid: r.current_revision_id for rid, r in recs.items()})
            ballots = {(rid, b.voter_id): b for rid, lv in live.items() for b in lv.ballots}
        votes = {(v.recommendation_id, v.voter_id): v for v in s.scalars(select(Vote).where(Vote.round_id == rnd.id))}
        recusals = {(r.recommendation_id, r.voter_id) for r in s.scalars(
            select(Recusal).where(Recusal.round_id == rnd.id, Recusal.withdrawn_at.is_(None)))}
        people = set(votes) | recusals
        members = {m.user_id: (m, name) for m, name in s.execute(
            select(Membership, User.display_name).join(User, User.id == Membership.user_id)
            .where(Membership.roundtable_id == rnd.roundtable_id))}
        rev_numbers = dict(s.execute(select(Revision.id, Revision.number).where(
            Revision.id.in_({v.revision_id for v in votes.values()}))).all()) if votes else {}
        voters = eligible_voters(s, get(s, Roundtable, rnd.roundtable_id, "Roundtable"), rnd)
        group_sizes = Counter(v.group for v in voters.values() if v.group)
        pseudonym = _pseudonyms(rnd.pseudonym_key, (uid for _, uid in people)) if rules.anonymous else {}
        from recdraft.services.memo import names_for_export  # here: memo imports this module

        # Someone who did not consent to be named is "Participant N" here too, as in the memo.
        name_of = names_for_export(s, rnd.roundtable_id)
        position = {i.recommendation_id: i.position for i in items}

        def status(key: tuple[int, int]) -> str:
            b = ballots.get(key)
            if b is None:
                return "recused" if key in recusals else "not counted (not eligible)"
            return "recused" if b.recused else "stale" if b.stale else "counted"

        rows = []
        for key in people:
            rid, uid = key
            v = votes.get(key)
            m, name = members.get(uid, (None, f"User {uid}"))
            if m is None or not m.consent_named:
                name = name_of(uid)
            group = (m.group if m else "") or ""
            if rules.anonymous:
                who, org = pseudonym[uid], ""
                group = group if group_sizes.get(group, 0) >= MIN_GROUP_FOR_ANONYMOUS_EXPORT else ""
                named, updated = "", ""
            else:
                who, org = name, (m.organisation if m else "")
                named = ("yes" if v.reason_named else "no") if v else ""
                updated = v.updated_at.isoformat() if v else ""
            order = (position[rid], int(who.split()[1]) if rules.anonymous else 0, name.casefold())
            rows.append((order, [
                str(rnd.number), str(recs[rid].number), who, org, group, (v.choice or "") if v else "",
                str(v.rating) if v and v.rating is not None else "", (v.reason or "") if v else "", named,
                status(key), str(rev_numbers.get(v.revision_id, "")) if v else "", updated,
            ]))
        rows.sort(key=lambda r: r[0])
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for _, cells in rows:
            writer.writerow([neutralise(c) for c in cells])
        audit(s, actor_id=user.id, roundtable_id=rnd.roundtable_id, action="voting.export",
              object_type="voting_round", object_id=rnd.id, visibility="staff", details={"rows": len(rows)})
        return buffer.getvalue()
    return run_after_closing_due(db, body, write=True)
