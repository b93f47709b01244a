"""The vote record of a round as CSV: every current vote and recusal, for moderators and admins.

Decisions:
- An anonymous round: voters become "Voter N", numbered in an order drawn from a secret per-round key
  (not by user id or time, which would identify them); no organisation, no times; the group only when
  at least 3 eligible voters belong to it.
- Someone who did not consent to be named is "Participant N", as in the memo.
- Cells a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Iterable
from typing import cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Membership, Recommendation, Revision, Roundtable, User
from recdraft.db.voting_models import Recusal, RoundResult, Vote, VotingRound
from recdraft.domain.csvsafe import neutralise
from recdraft.domain.voting import Ballot
from recdraft.services._base import Actor, actor_ref, audit, deny_unless, get
from recdraft.services.voting._common import (
    CLOSED,
    MIN_GROUP_FOR_ANONYMOUS_EXPORT,
    eligible_voters,
    items_of,
    manages_rounds,
    raise_if_due,
    reader_role,
    rules_of,
)
from recdraft.services.voting.results import compute, run_after_closing_due

CSV_COLUMNS = [
    "round",
    "recommendation",
    "voter",
    "organisation",
    "group",
    "choice",
    "rating",
    "reason",
    "reason_may_be_named",
    "status",
    "revision",
    "updated_at",
]


def pseudonyms(key: str, voter_ids: Iterable[int]) -> dict[int, str]:
    """ "Voter N", numbered in an order only the round's secret key determines."""
    order = sorted(set(voter_ids), key=lambda uid: hashlib.sha256(f"{key}:{uid}".encode()).hexdigest())
    return {uid: f"Voter {n}" for n, uid in enumerate(order, start=1)}


def export_votes_csv(db: Database, *, actor_id: Actor, round_id: int) -> str:
    """Every current vote and recusal of a round as CSV text (moderators, admins); respects anonymity.

    Cells a spreadsheet would run as formulas are neutralised. Encode with "utf-8-sig" for Excel.
    Raises NotFound, PermissionDenied.
    """

    def body(s: Session) -> str:
        rnd = get(s, VotingRound, round_id, "Voting round")
        role = reader_role(s, actor_id, rnd.roundtable_id)
        # Who runs rounds reads their record in every phase, an archived roundtable included.
        deny_unless(manages_rounds(role), "svc.vote_export_staff")
        raise_if_due([rnd])
        rules = rules_of(rnd)
        items = items_of(s, rnd.id)
        recs = {
            r.id: r
            for r in s.scalars(
                select(Recommendation).where(Recommendation.id.in_([i.recommendation_id for i in items]))
            )
        }
        if rnd.status == CLOSED:
            ballots = {
                (res.recommendation_id, b["voter_id"]): Ballot.model_validate(b)
                for res in s.scalars(select(RoundResult).where(RoundResult.round_id == rnd.id))
                for b in res.ballots
            }
        else:
            # A saved recommendation always has a current revision (empty only while it is created).
            live = compute(
                s, rnd, items, cast("dict[int, int]", {rid: r.current_revision_id for rid, r in recs.items()})
            )
            ballots = {(rid, b.voter_id): b for rid, lv in live.items() for b in lv.ballots}
        votes = {(v.recommendation_id, v.voter_id): v for v in s.scalars(select(Vote).where(Vote.round_id == rnd.id))}
        recusals = {
            (r.recommendation_id, r.voter_id)
            for r in s.scalars(select(Recusal).where(Recusal.round_id == rnd.id, Recusal.withdrawn_at.is_(None)))
        }
        people = set(votes) | recusals
        members = {
            m.user_id: (m, name)
            for m, name in s.execute(
                select(Membership, User.display_name)
                .join(User, User.id == Membership.user_id)
                .where(Membership.roundtable_id == rnd.roundtable_id)
            )
        }
        rev_numbers = (
            dict(
                s.execute(
                    select(Revision.id, Revision.number).where(Revision.id.in_({v.revision_id for v in votes.values()}))
                )
                .tuples()
                .all()
            )
            if votes
            else {}
        )
        voters = eligible_voters(s, get(s, Roundtable, rnd.roundtable_id, "Roundtable"), rnd)
        group_sizes = Counter(v.group for v in voters.values() if v.group)
        pseudonym = pseudonyms(rnd.pseudonym_key, (uid for _, uid in people)) if rules.anonymous else {}
        from recdraft.services.memo import (
            names_for_export,  # here: memo imports this module
        )

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
            rows.append(
                (
                    order,
                    [
                        str(rnd.number),
                        str(recs[rid].number),
                        who,
                        org,
                        group,
                        (v.choice or "") if v else "",
                        str(v.rating) if v and v.rating is not None else "",
                        (v.reason or "") if v else "",
                        named,
                        status(key),
                        str(rev_numbers.get(v.revision_id, "")) if v else "",
                        updated,
                    ],
                )
            )
        rows.sort(key=lambda r: r[0])
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for _, cells in rows:
            writer.writerow([neutralise(c) for c in cells])
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=rnd.roundtable_id,
            action="voting.export",
            object_type="voting_round",
            object_id=rnd.id,
            visibility="staff",
            details={"rows": len(rows)},
        )
        return buffer.getvalue()

    return run_after_closing_due(db, body, write=True)
