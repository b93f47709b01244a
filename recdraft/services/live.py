"""Live mode (issue 19): run the meeting in the room — the projector, the phones, and the record.

The moderator (or an admin) starts a meeting of the roundtable and gets a short join code. The
projector shows one recommendation at a time in the language chosen; people join on their phones with
the code (members of the roundtable, signed in once). A live vote is an ordinary voting round on the
recommendation on the screen, opened and closed from the presenter's view: the same eligibility,
recusal, one vote each, change until close, blind and anonymous rules — and the same record (the
Results page, the vote annex, the sealed memo), marked as taken in the meeting with its time.

Every change of the meeting bumps its ``version``; screens poll ``version`` (one indexed read) and read
the whole ``state`` only when it changed, or while a vote is open (the count moves with every vote).

Opening a live vote is two steps — the round (``voting.open_round``, its own transaction and audit
row) and then the meeting's link to it. If the second step fails the round is still an ordinary open
round on the Results page: nothing is lost, and the presenter can open the vote again after closing it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.live_models import LiveSession, LiveVote
from recdraft.db.models import Recommendation, Roundtable, utcnow
from recdraft.db.voting_models import Recusal, RoundVoter, Vote, VotingRound
from recdraft.domain import policy
from recdraft.domain.policy import Action
from recdraft.domain.statuses import RecStatus
from recdraft.errors import InvalidInput, InvalidTransition, NotFound, Word
from recdraft.i18n import LANGS
from recdraft.schemas.live import LiveSessionView, LiveStateView, LiveTallyView
from recdraft.schemas.voting import RoundResultsView
from recdraft.services import recommendations, voting
from recdraft.services._base import Actor, actor, audit, get, member_role, moderators_vote, require

# Letters and digits nobody confuses on a projector or a phone keyboard (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# What a meeting shows: everything but texts merged into another or withdrawn.
SHOWN = tuple(s.value for s in RecStatus if s not in (RecStatus.MERGED, RecStatus.WITHDRAWN))
MODES = ("simple", "delphi")


def normalise_code(code: str) -> str:
    """A join code as typed on a phone ("abc 234", "ABC-234") in the form it is stored ("ABC234")."""
    return "".join(ch for ch in str(code).upper() if ch.isalnum())


def _new_code(s: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if s.scalar(select(LiveSession.id).where(LiveSession.code == code)) is None:
            return code


def _view(live: LiveSession) -> LiveSessionView:
    return LiveSessionView(
        id=live.id,
        roundtable_id=live.roundtable_id,
        code=live.code,
        language=live.language,
        current_recommendation_id=live.current_recommendation_id,
        current_round_id=live.current_round_id,
        started_at=live.started_at,
        ended_at=live.ended_at,
        version=live.version,
    )


def _order(s: Session, roundtable_id: int) -> list[int]:
    """The recommendations a meeting can show, in the roundtable's order."""
    return list(
        s.scalars(
            select(Recommendation.id)
            .where(Recommendation.roundtable_id == roundtable_id, Recommendation.status.in_(SHOWN))
            .order_by(Recommendation.position, Recommendation.id)
        )
    )


def _running(s: Session, live_id: int, *, lock: bool = False) -> LiveSession:
    live = get(s, LiveSession, live_id, "Meeting", lock=lock)
    if live.ended_at is not None:
        raise InvalidTransition("live.error.ended")
    return live


def _changed(live: LiveSession) -> None:
    live.version += 1


def _check_language(language: str) -> str:
    if language not in LANGS:
        raise InvalidInput("live.error.language", field="language")
    return language


def active_meeting(db: Database, *, actor_id: Actor, roundtable_id: int) -> LiveSessionView | None:
    """The meeting of the roundtable going on now, if any (any participant)."""
    with db.read() as s:
        _member(s, actor_id, roundtable_id)
        live = s.scalars(
            select(LiveSession)
            .where(LiveSession.roundtable_id == roundtable_id, LiveSession.ended_at.is_(None))
            .order_by(LiveSession.id.desc())
            .limit(1)
        ).first()
        return _view(live) if live else None


def _member(s: Session, actor_id: Actor, roundtable_id: int) -> None:
    """Any participant of the roundtable (observers too) may follow a meeting; PermissionDenied otherwise."""
    if isinstance(actor_id, int):
        member_role(s, actor(s, actor_id), roundtable_id)


def start(db: Database, *, actor_id: Actor, roundtable_id: int, language: str | None = None) -> LiveSessionView:
    """Start a meeting of the roundtable (those who run rounds); the one going on already is returned as it is.

    Raises PermissionDenied, InvalidInput (a language the interface does not have), NotFound.
    """
    with db.write() as s:
        granted = require(s, actor_id, Action.RUN_ROUNDS, roundtable_id, lock=True)
        running = s.scalars(
            select(LiveSession).where(LiveSession.roundtable_id == roundtable_id, LiveSession.ended_at.is_(None))
        ).first()
        if running is not None:
            return _view(running)
        rt = granted.roundtable
        languages = list(rt.languages or LANGS)
        chosen = _check_language(language) if language else ((rt.settings or {}).get("record_language") or languages[0])
        order = _order(s, roundtable_id)
        live = LiveSession(
            roundtable_id=roundtable_id,
            code=_new_code(s),
            language=chosen,
            current_recommendation_id=order[0] if order else None,
            started_by=granted.user.id if granted.user else None,
            started_at=utcnow(),
            version=1,
        )
        s.add(live)
        s.flush()
        audit(
            s,
            actor_id=live.started_by,
            roundtable_id=roundtable_id,
            action="live.start",
            object_type="live_session",
            object_id=live.id,
            details={"code": live.code, "language": chosen},
        )
        return _view(live)


def end(db: Database, *, actor_id: Actor, live_id: int) -> LiveSessionView:
    """End the meeting. Refused while its live vote is open (close the vote first)."""
    with db.write() as s:
        live = _running(s, live_id, lock=True)
        granted = require(s, actor_id, Action.RUN_ROUNDS, live.roundtable_id)
        _refuse_while_voting(s, live)
        live.ended_at = utcnow()
        _changed(live)
        audit(
            s,
            actor_id=granted.user.id if granted.user else None,
            roundtable_id=live.roundtable_id,
            action="live.end",
            object_type="live_session",
            object_id=live.id,
            details={"code": live.code},
        )
        return _view(live)


def _refuse_while_voting(s: Session, live: LiveSession) -> None:
    if live.current_round_id is None:
        return
    rnd = s.get(VotingRound, live.current_round_id)
    if rnd is not None and rnd.status == "open":
        raise InvalidTransition("live.error.vote_open", number=rnd.number)


def show(
    db: Database, *, actor_id: Actor, live_id: int, recommendation_id: int | None = None, step: int = 0
) -> LiveSessionView:
    """Put a recommendation on the screen: ``recommendation_id``, or the one ``step`` places from the
    current one (1: next, -1: previous; the ends stay where they are). Refused while a live vote is open."""
    with db.write() as s:
        live = _running(s, live_id, lock=True)
        granted = require(s, actor_id, Action.RUN_ROUNDS, live.roundtable_id)
        _refuse_while_voting(s, live)
        order = _order(s, live.roundtable_id)
        if recommendation_id is not None:
            if recommendation_id not in order:
                raise NotFound("live.error.not_shown")
            target = recommendation_id
        else:
            if not order:
                raise NotFound("live.error.nothing_to_show")
            here = order.index(live.current_recommendation_id) if live.current_recommendation_id in order else 0
            target = order[min(max(here + int(step), 0), len(order) - 1)]
        if target != live.current_recommendation_id or live.current_round_id is not None:
            live.current_recommendation_id = target
            live.current_round_id = None
            _changed(live)
            audit(
                s,
                actor_id=granted.user.id if granted.user else None,
                roundtable_id=live.roundtable_id,
                action="live.show",
                object_type="live_session",
                object_id=live.id,
                details={"recommendation_id": target},
            )
        return _view(live)


def set_language(db: Database, *, actor_id: Actor, live_id: int, language: str) -> LiveSessionView:
    """Switch the projector's language (kk, ru or en)."""
    with db.write() as s:
        live = _running(s, live_id, lock=True)
        require(s, actor_id, Action.RUN_ROUNDS, live.roundtable_id)
        live.language = _check_language(language)
        _changed(live)
        return _view(live)


def open_vote(db: Database, *, actor_id: Actor, live_id: int, mode: str = "simple") -> LiveSessionView:
    """Open a live vote on the recommendation on the screen: a voting round of one item under the
    roundtable's default rules, in ``mode`` (simple or delphi). Raises as ``voting.open_round`` does."""
    if mode not in MODES:
        raise InvalidInput("live.error.mode", field="mode")
    with db.read() as s:
        live = _running(s, live_id)
        granted = require(s, actor_id, Action.RUN_ROUNDS, live.roundtable_id)
        _refuse_while_voting(s, live)
        rec_id, roundtable_id = live.current_recommendation_id, live.roundtable_id
        if rec_id is None:
            raise NotFound("live.error.nothing_to_show")
        defaults = dict((granted.roundtable.settings or {}).get("voting_defaults") or {})
        user_id = granted.user.id if granted.user else None
    rules = {key: value for key, value in defaults.items() if key in _RULE_KEYS}
    rules["mode"] = mode
    rnd = voting.open_round(
        db, actor_id=actor_id, roundtable_id=roundtable_id, recommendation_ids=[rec_id], rules=rules
    )
    with db.write() as s:
        live = _running(s, live_id, lock=True)
        now = utcnow()
        s.add(LiveVote(live_session_id=live.id, round_id=rnd.id, recommendation_id=rec_id, opened_at=now))
        live.current_recommendation_id = rec_id
        live.current_round_id = rnd.id
        _changed(live)
        audit(
            s,
            actor_id=user_id,
            roundtable_id=live.roundtable_id,
            action="live.vote.open",
            object_type="voting_round",
            object_id=rnd.id,
            details={"live_session_id": live.id, "recommendation_id": rec_id, "number": rnd.number},
        )
        return _view(live)


def _rule_keys() -> frozenset[str]:
    from recdraft.domain.voting import RoundRules

    return frozenset(RoundRules.model_fields) - {"mode"}


_RULE_KEYS = _rule_keys()


def close_vote(db: Database, *, actor_id: Actor, live_id: int) -> LiveSessionView:
    """Close the live vote on the screen (its result stays on the screen until the presenter moves on)."""
    with db.read() as s:
        live = _running(s, live_id)
        require(s, actor_id, Action.RUN_ROUNDS, live.roundtable_id)
        round_id = live.current_round_id
        rnd = s.get(VotingRound, round_id) if round_id is not None else None
        if round_id is None or rnd is None or rnd.status != "open":
            raise InvalidTransition("live.error.no_open_vote")
    voting.close_round(db, actor_id=actor_id, round_id=round_id)
    with db.write() as s:
        live = _running(s, live_id, lock=True)
        _changed(live)
        return _view(live)


def join(db: Database, *, actor_id: Actor, code: str) -> LiveSessionView:
    """The meeting with the join ``code`` (typed on a phone, or from the QR code), for its roundtable's
    participants. Raises NotFound (no such meeting going on), PermissionDenied (not a participant)."""
    wanted = normalise_code(code)
    with db.read() as s:
        live = s.scalars(select(LiveSession).where(LiveSession.code == wanted)).first() if wanted else None
        if live is None or live.ended_at is not None:
            raise NotFound("live.error.no_meeting", code=wanted or "—")
        _member(s, actor_id, live.roundtable_id)
        return _view(live)


def version(db: Database, *, live_id: int) -> int:
    """The meeting's version now (one indexed read: what screens poll between full reads)."""
    with db.read() as s:
        value = s.scalar(select(LiveSession.version).where(LiveSession.id == live_id))
        if value is None:
            raise NotFound("svc._base.not_found", what=Word("Meeting"), object_id=live_id)
        return value


def state(db: Database, *, actor_id: int, live_id: int, with_tally: bool = True) -> LiveStateView:
    """What the projector and a phone show now: the recommendation, the live vote, the room's figures,
    and the viewer's own vote. Any participant; the figures follow the room's rules whoever asks (a blind
    vote shows only how many have voted until it closes, even on the presenter's screen).

    ``with_tally=False`` (a phone: it shows no figures) leaves ``tally`` None and skips the results."""
    with db.read() as s:
        live = get(s, LiveSession, live_id, "Meeting")
        user = actor(s, actor_id)
        user_id = user.id
        rt_role = member_role(s, user, live.roundtable_id)
        rt = get(s, Roundtable, live.roundtable_id, "Roundtable")
        may_present = policy.can(Action.RUN_ROUNDS, role=rt_role, phase=rt.phase)
        order = _order(s, live.roundtable_id)
        rec_id = live.current_recommendation_id
        position = order.index(rec_id) + 1 if rec_id in order else 0
        rnd = s.get(VotingRound, live.current_round_id) if live.current_round_id is not None else None
        opened = s.scalar(select(LiveVote.opened_at).where(LiveVote.round_id == rnd.id)) if rnd else None
        may_vote = False
        my = None
        voted_now = 0
        if rnd is not None:
            voted_now = s.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == rnd.id)) or 0
            eligible_voter = (
                s.scalar(select(RoundVoter.id).where(RoundVoter.round_id == rnd.id, RoundVoter.user_id == user_id))
                is not None
            )
            recused = (
                s.scalar(
                    select(Recusal.id).where(
                        Recusal.round_id == rnd.id, Recusal.voter_id == user_id, Recusal.withdrawn_at.is_(None)
                    )
                )
                is not None
            )
            may_vote = (
                rnd.status == "open"
                and eligible_voter
                and not recused
                and policy.can(Action.VOTE, role=rt_role, phase=rt.phase, moderators_vote=moderators_vote(rt))
            )
            my = s.execute(
                select(Vote.choice, Vote.rating, Vote.updated_at).where(
                    Vote.round_id == rnd.id, Vote.voter_id == user_id
                )
            ).first()
        session_view = _view(live)
        round_id = rnd.id if rnd is not None else None
        blind_open = rnd is not None and bool((rnd.rules or {}).get("blind")) and rnd.status == "open"
    rec = None
    if rec_id is not None:
        rec = recommendations.get_many(
            db, actor_id=user_id, roundtable_id=session_view.roundtable_id, ids=[rec_id]
        ).get(rec_id)
    round_view = tally = None
    if round_id is not None and not with_tally:
        round_view = voting.get_round(db, actor_id=user_id, round_id=round_id)
    elif round_id is not None:
        results = voting.round_results(db, actor_id=user_id, round_id=round_id)
        round_view = results.round
        tally = _tally(
            results, blind_open=blind_open or (round_view.blind and round_view.status == "open"), voted=voted_now
        )
    return LiveStateView(
        session=session_view,
        position=position,
        total=len(order),
        recommendation=rec,
        round=round_view,
        in_meeting_at=opened,
        tally=tally,
        may_vote=may_vote,
        may_present=may_present,
        my_choice=my.choice if my else None,
        my_rating=my.rating if my else None,
        my_vote_at=my.updated_at if my else None,
    )


def _tally(results: RoundResultsView, *, blind_open: bool, voted: int) -> LiveTallyView:
    """The room's figures from the round's own results (the figures the Results page and the memo use).

    ``voted`` counts the votes cast: shown even where the results are hidden from the viewer (a blind
    vote on a participant's phone), where ``eligible`` is then 0 (unknown to them).
    """
    rnd = results.round
    item = results.items[0] if results.items else None
    overall = item.overall if item is not None else None
    eligible = overall.eligible if overall else 0
    voted = overall.voted if overall else voted
    if blind_open or overall is None:
        return LiveTallyView(mode=rnd.mode, eligible=eligible, voted=voted, hidden=True)
    choices = {"agree": overall.agree, "disagree": overall.disagree, "abstain": overall.abstain, "block": overall.block}
    ratings: dict[str, int] = {}
    median = None
    if overall.delphi is not None:
        ratings = {str(k): int(v) for k, v in (overall.delphi.distribution or {}).items()}
        median = overall.delphi.median
    return LiveTallyView(
        mode=rnd.mode,
        eligible=eligible,
        voted=voted,
        hidden=False,
        choices=choices if rnd.mode == "simple" else {},
        ratings=ratings,
        median=median,
        outcome=overall.outcome if item is not None and item.final else None,
    )


def meeting_rounds(db: Database, *, actor_id: Actor, roundtable_id: int) -> dict[int, datetime]:
    """The voting rounds of the roundtable taken in a meeting, with when each was opened there."""
    with db.read() as s:
        _member(s, actor_id, roundtable_id)
        rows = s.execute(
            select(LiveVote.round_id, LiveVote.opened_at)
            .join(VotingRound, VotingRound.id == LiveVote.round_id)
            .where(VotingRound.roundtable_id == roundtable_id)
        )
        return {round_id: at for round_id, at in rows}
