"""Tallies, consensus, the frozen snapshot at close, and the results people read.

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
- Results are read by participants and by the command line (``SYSTEM``, as an admin: the memo export).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Recommendation, Revision, Roundtable, User, utcnow
from recdraft.db.voting_models import Recusal, RoundItem, RoundResult, Vote, VotingRound
from recdraft.domain.statuses import RecStatus, check_transition
from recdraft.domain.voting import (
    Ballot,
    GroupTallies,
    Outcome,
    RoundRules,
    Tally,
    is_dissent,
    tally_by_group,
)
from recdraft.schemas.voting import (
    CountsView,
    DissentView,
    ItemResultView,
    RoundResultsView,
)
from recdraft.services import notifications
from recdraft.services._base import Actor, audit, get
from recdraft.services.voting._common import (
    CLOSED,
    MIN_GROUP_FOR_ANONYMOUS_EXPORT,
    OPEN,
    Due,
    eligible_voters,
    is_due,
    item_ids_of,
    items_of,
    manages_rounds,
    meeting_times,
    raise_if_due,
    reader_role,
    round_view,
    roundtable_actions,
    rules_of,
)

OUTCOME_STATUS = {
    Outcome.ADOPTED: RecStatus.ADOPTED,
    Outcome.REJECTED: RecStatus.REJECTED,
    Outcome.NO_CONSENSUS: RecStatus.DISCUSSION,
}

T = TypeVar("T")


def run_after_closing_due(db: Database, body: Callable[[Session], T], *, write: bool = False) -> T:
    """Run ``body`` in one transaction; if it meets rounds past their date, freeze them and run it again.

    ``body`` checks permission before it looks for due rounds, so a refused caller never triggers a write.
    """
    for _ in range(3):
        try:
            with db.write() if write else db.read() as s:
                return body(s)
        except Due as due:
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


def compute(
    s: Session, rnd: VotingRound, items: list[RoundItem], revision_at: dict[int, int], *, page: bool = False
) -> dict[int, Live]:
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
    for rid, uid in s.execute(
        select(Recusal.recommendation_id, Recusal.voter_id).where(
            Recusal.round_id == rnd.id, Recusal.withdrawn_at.is_(None)
        )
    ):
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
            b = Ballot(
                voter_id=v.voter_id,
                choice=v.choice,
                rating=v.rating,
                group=voter.group,
                stale=v.revision_id != revision_at[rid],
                recused=v.voter_id in recused[rid],
            )
            ballots.append(b)
            if b.counted and v.reason:  # kept if dissent once the outcome is known (below)
                dissents.append(
                    {
                        "voter_id": v.voter_id,
                        "organisation": voter.organisation,
                        "choice": v.choice,
                        "rating": v.rating,
                        "reason": v.reason,
                        "named": v.reason_named,
                    }
                )
        have = {b.voter_id for b in ballots}
        for uid in sorted(recused[rid] - have):
            if uid in voters:
                ballots.append(Ballot(voter_id=uid, group=voters[uid].group, recused=True))
        tallies = tally_by_group(
            ballots,
            rules=rules,
            eligible_by_group=by_group,
            eligible_count=len(voters),
            block_override_reason=item.block_override_reason,
        )
        out[rid] = Live(revision_at[rid], ballots, tallies, _dissents(dissents, tallies.overall.outcome, rules))
    return out


def _revisions_at(s: Session, recs: dict[int, Recommendation], cutoff: datetime | None) -> dict[int, int]:
    """The text in force for each recommendation: current, or the newest one saved by ``cutoff``."""
    current = {rid: rec.current_revision_id for rid, rec in recs.items()}
    if cutoff is None:
        return current  # type: ignore[return-value]
    # Revisions are append-only and each new one becomes current, so the newest by ``cutoff`` was in force.
    before = dict(
        s.execute(
            select(Revision.recommendation_id, func.max(Revision.id))
            .where(Revision.recommendation_id.in_(list(recs)), Revision.created_at <= cutoff)
            .group_by(Revision.recommendation_id)
        )
        .tuples()
        .all()
    )
    return {rid: before.get(rid, current[rid]) for rid in recs}  # type: ignore[misc]


def freeze(s: Session, rnd: VotingRound, *, closed_by: int | None, now: datetime) -> dict[int, str]:
    """Close ``rnd`` (the caller holds its row lock): snapshot every item and apply the outcomes.

    A round past its date closes as of ``closes_at``; the text in force then is the one counted.
    Recommendations still in ``voting`` move to adopted / rejected / discussion (carried forward).
    """
    cutoff = rnd.closes_at if rnd.closes_at is not None and rnd.closes_at < now else now
    items = items_of(s, rnd.id)
    recs = {
        r.id: r
        for r in s.scalars(
            select(Recommendation)
            .where(Recommendation.id.in_([i.recommendation_id for i in items]))
            .order_by(Recommendation.id)
            .with_for_update()
        )
    }
    live = compute(s, rnd, items, _revisions_at(s, recs, cutoff if cutoff < now else None))
    outcomes: dict[int, str] = {}
    for item in items:
        rid = item.recommendation_id
        result = live[rid]
        outcome = result.tallies.overall.outcome
        s.add(
            RoundResult(
                round_id=rnd.id,
                recommendation_id=rid,
                revision_id=result.revision_id,
                outcome=outcome.value,
                tally=result.tallies.overall.model_dump(mode="json"),
                group_tallies=[t.model_dump(mode="json") for t in result.tallies.groups.values()],
                ballots=[b.model_dump(mode="json") for b in result.ballots],
                dissents=result.dissents,
                frozen_at=now,
            )
        )
        item.outcome = outcome.value
        outcomes[rid] = outcome.value
        rec = recs[rid]
        target = OUTCOME_STATUS[outcome]
        if rec.status == RecStatus.VOTING:
            check_transition(RecStatus.VOTING, target)
            rec.status = target.value
            rec.updated_at = now
            audit(
                s,
                actor_id=closed_by,
                roundtable_id=rnd.roundtable_id,
                action="recommendation.status",
                object_type="recommendation",
                object_id=rid,
                details={
                    "from": RecStatus.VOTING.value,
                    "to": target.value,
                    "round_id": rnd.id,
                    "reason": f"Voting round {rnd.number}: {outcome.value}",
                },
            )
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
            audit(
                s,
                actor_id=None,
                roundtable_id=rnd.roundtable_id,
                action="voting.round.auto_close",
                object_type="voting_round",
                object_id=rnd.id,
                details={"number": rnd.number, "outcomes": {str(k): v for k, v in outcomes.items()}},
            )
            closed.append(rnd.id)
    return closed


# --------------------------------------------------------------------------- result views


def _f(value: Any) -> float | None:
    return None if value is None else float(value)


def counts_view(t: Tally) -> CountsView:
    return CountsView(
        group=t.group,
        eligible=t.eligible,
        voted=t.voted,
        stale=t.stale,
        recused=t.recused,
        quorum_base=t.quorum_base,
        turnout=float(t.turnout),
        quorum_met=t.quorum_met,
        agree=t.agree,
        disagree=t.disagree,
        abstain=t.abstain,
        block=t.block,
        agree_share=_f(t.agree_share),
        disagree_share=_f(t.disagree_share),
        block_share=_f(t.block_share),
        against_share=_f(t.against_share),
        delphi=t.ratings,
        band_share=_f(t.band_share),
        reject_share=_f(t.reject_share),
        iqr_met=t.iqr_met,
        threshold_met=t.threshold_met,
        blocked=t.blocked,
        block_override_applied=t.block_override_applied,
        rule_met=t.rule_met,
        outcome=t.outcome.value,
    )


def _dissent_views(s: Session, rows: list[dict[str, Any]], rules: RoundRules) -> list[DissentView]:
    named_ids = [d["voter_id"] for d in rows if d["named"] and not rules.anonymous]
    names = (
        dict(s.execute(select(User.id, User.display_name).where(User.id.in_(named_ids))).tuples().all())
        if named_ids
        else {}
    )
    views = []
    for d in rows:
        named = bool(d["named"]) and not rules.anonymous
        views.append(
            DissentView(
                name=names.get(d["voter_id"]) if named else None,
                organisation=(d["organisation"] or None) if named else None,
                choice=d["choice"],
                rating=d["rating"],
                reason=d["reason"],
            )
        )
    # Anonymous reasons are sorted by content, never by who or when: order must not identify anyone.
    return sorted(views, key=lambda v: (v.name is None, v.name or "", v.choice or "", v.rating or 0, v.reason))


def _shown_groups(groups: list[Tally], rules: RoundRules) -> list[Tally]:
    """The group tallies a viewer may see: in an anonymous round a group smaller than
    MIN_GROUP_FOR_ANONYMOUS_EXPORT is left out ("ICRC: 1 voted, 1 disagree" would name the vote)."""
    if not rules.anonymous:
        return groups
    return [g for g in groups if g.eligible >= MIN_GROUP_FOR_ANONYMOUS_EXPORT]


def build_item_views(
    s: Session, rnd: VotingRound, *, staff: bool, only: int | None = None, offset: int = 0, limit: int | None = None
) -> tuple[bool, list[ItemResultView]]:
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
        .where(Recommendation.id.in_([i.recommendation_id for i in items]))
    ).all():
        numbers[rid] = number
        titles[rid] = {code: str(fields.get("title", "")) for code, fields in (content or {}).items()}
    common: dict[str, Any] = {
        "round_id": rnd.id,
        "round_number": rnd.number,
        "round_name": rnd.name,
        "mode": rules.mode.value,
        "anonymous": rules.anonymous,
        "blind": rules.blind,
        "final": rnd.status == CLOSED,
        "closed_at": rnd.closed_at,
    }
    if hidden:
        return True, [
            ItemResultView(
                **common,
                recommendation_id=i.recommendation_id,
                title=titles.get(i.recommendation_id, {}),
                recommendation_number=numbers[i.recommendation_id],
                hidden=True,
                overall=None,
                groups=[],
                dissents=[],
                block_override_reason=None,
            )
            for i in items
        ]
    figures: dict[int, tuple[Tally, list[Tally], list[dict[str, Any]]]] = {}
    if rnd.status == CLOSED:
        page_only = [RoundResult.recommendation_id.in_(list(numbers))] if paged else []
        for res in s.scalars(select(RoundResult).where(RoundResult.round_id == rnd.id, *page_only)):
            figures[res.recommendation_id] = (
                Tally.model_validate(res.tally),
                [Tally.model_validate(g) for g in res.group_tallies],
                res.dissents,
            )
    else:
        # A saved recommendation always has a current revision (the column is empty only while it is created).
        current = cast(
            "dict[int, int]",
            dict(
                s.execute(
                    select(Recommendation.id, Recommendation.current_revision_id).where(
                        Recommendation.id.in_(list(numbers))
                    )
                )
                .tuples()
                .all()
            ),
        )
        for rid, live in compute(s, rnd, items, current, page=paged).items():
            figures[rid] = (live.tallies.overall, list(live.tallies.groups.values()), live.dissents)
    views = []
    for i in items:
        overall, groups, dissents = figures[i.recommendation_id]
        views.append(
            ItemResultView(
                **common,
                recommendation_id=i.recommendation_id,
                recommendation_number=numbers[i.recommendation_id],
                title=titles.get(i.recommendation_id, {}),
                hidden=False,
                overall=counts_view(overall),
                groups=[counts_view(g) for g in _shown_groups(groups, rules)],
                dissents=_dissent_views(s, dissents, rules),
                block_override_reason=i.block_override_reason,
            )
        )
    return False, views


def build_round_results(
    s: Session,
    rnd: VotingRound,
    *,
    staff: bool,
    offset: int = 0,
    limit: int | None = None,
    granted: frozenset[str] = frozenset(),
) -> RoundResultsView:
    """The round's results as a viewer who may ``granted`` (``roundtable_actions``) sees them."""
    hidden, items = build_item_views(s, rnd, staff=staff, offset=offset, limit=limit)
    view = round_view(rnd, item_ids_of(s, rnd.id), granted, meeting_times(s, [rnd.id]).get(rnd.id))
    return RoundResultsView(round=view, hidden=hidden, items=[] if hidden else items)


def round_results(
    db: Database, *, actor_id: Actor, round_id: int, offset: int = 0, limit: int | None = None
) -> RoundResultsView:
    """A round's results for any participant or the command line (blind and open: ``hidden`` for those who
    do not run rounds); with ``limit``, only the items ``offset`` .. ``offset + limit`` in the round's order
    (``round.recommendation_ids`` still lists them all). ``round.actions`` is what the viewer may do with it.

    Raises NotFound, NotSignedIn, PermissionDenied (not a participant).
    """

    def body(s: Session) -> RoundResultsView:
        rnd = get(s, VotingRound, round_id, "Voting round")
        role = reader_role(s, actor_id, rnd.roundtable_id)
        raise_if_due([rnd])
        rt = get(s, Roundtable, rnd.roundtable_id, "Roundtable")
        return build_round_results(
            s, rnd, staff=manages_rounds(role), offset=offset, limit=limit, granted=roundtable_actions(rt, role)
        )

    return run_after_closing_due(db, body)


def recommendation_results(db: Database, *, actor_id: Actor, recommendation_id: int) -> list[ItemResultView]:
    """Every round a recommendation was put to, oldest first, as the actor (or the command line) may see it."""

    def body(s: Session) -> list[ItemResultView]:
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        role = reader_role(s, actor_id, rec.roundtable_id)
        rounds = list(
            s.scalars(
                select(VotingRound)
                .join(RoundItem, RoundItem.round_id == VotingRound.id)
                .where(RoundItem.recommendation_id == rec.id)
                .order_by(VotingRound.number)
            )
        )
        raise_if_due(rounds)
        out: list[ItemResultView] = []
        for rnd in rounds:
            out.extend(build_item_views(s, rnd, staff=manages_rounds(role), only=rec.id)[1])
        return out

    return run_after_closing_due(db, body)


def results_for_memo(db: Database, *, actor_id: Actor, roundtable_id: int) -> dict[int, list[ItemResultView]]:
    """Closed-round results per recommendation id (oldest round first): the memo's vote annex.

    Any participant, or the command line (``SYSTEM``) exporting the memo."""

    def body(s: Session) -> dict[int, list[ItemResultView]]:
        reader_role(s, actor_id, roundtable_id)
        rounds = list(
            s.scalars(
                select(VotingRound).where(VotingRound.roundtable_id == roundtable_id).order_by(VotingRound.number)
            )
        )
        raise_if_due(rounds)
        out: dict[int, list[ItemResultView]] = defaultdict(list)
        for rnd in rounds:
            if rnd.status != CLOSED:
                continue
            for view in build_item_views(s, rnd, staff=True)[1]:
                out[view.recommendation_id].append(view)
        return dict(out)

    return run_after_closing_due(db, body)
