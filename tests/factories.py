"""Factories: a roundtable with people in every role, and what they make (recommendations with their
revisions and status, amendments, comments, voting rounds and votes) in one call each.

People are named as in ``make_world`` ("expert", "moderator", ...) or given by id. Everything goes through the
public service functions (``recdraft.services.recommendations``, ``amendments``, ``comments``, ``voting``), so
a test's set-up does what a person would do, with the same checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from recdraft.db.engine import Database
from recdraft.domain.statuses import RecStatus
from recdraft.schemas.views import AmendmentView, CommentView, RecommendationView
from recdraft.schemas.voting import RoundView, VoteView
from recdraft.services import accounts, amendments, comments, moderation, recommendations, roundtables, voting
from recdraft.services._base import SYSTEM

PASSWORD = "correct horse battery"


@dataclass
class World:
    """A roundtable and the ids of its people, by role name."""

    db: Database
    roundtable_id: int
    users: dict[str, int] = field(default_factory=dict)
    rec: Any = None  # the recommendation a test is about, when its fixture makes one

    def __getitem__(self, name: str) -> int:
        return self.users[name]

    def in_roundtable(self, roundtable_id: int) -> World:
        """The same people, making things in another roundtable (where they must be members)."""
        return World(db=self.db, roundtable_id=roundtable_id, users=self.users)

    def id_of(self, who: str | int) -> int:
        """A person by name in this world, or an id as given."""
        return who if isinstance(who, int) else self.users[who]


def make_user(
    db: Database,
    username: str,
    *,
    display_name: str | None = None,
    system_admin: bool = False,
    email: str | None = None,
) -> int:
    return accounts.create_user(
        db,
        actor_id=SYSTEM,
        username=username,
        display_name=display_name or username.title(),
        password=PASSWORD,
        is_system_admin=system_admin,
        email=email,
    ).id


def make_world(db: Database, *, moderation_mode: str = "pre", **overrides: Any) -> World:
    """Admin, moderator, two experts (expert, expert2), observer and an outsider with no role."""
    rt = roundtables.create_roundtable(
        db,
        actor_id=SYSTEM,
        title={"en": "National Societies: Legal Foundations", "ru": "Национальные общества: правовые основы"},
        held_on=date(2025, 2, 6),
        venue={"en": "Narxoz University, Almaty"},
        moderation_mode=moderation_mode,
        **overrides,
    )
    world = World(db=db, roundtable_id=rt.id)
    for name, role, org in [
        ("admin", "admin", "Narxoz University"),
        ("moderator", "moderator", "Narxoz University"),
        ("expert", "expert", "ICRC"),
        ("expert2", "expert", "Red Crescent Society of Kazakhstan"),
        ("observer", "observer", "Narxoz University"),
    ]:
        uid = make_user(db, name)
        roundtables.set_membership(
            db, actor_id=SYSTEM, roundtable_id=rt.id, user_id=uid, role=role, organisation=org, consent_named=True
        )
        world.users[name] = uid
    world.users["outsider"] = make_user(db, "outsider")
    return world


def content(
    title: str = "Adopt a law on the National Society",
    text: str = "Parliament should adopt a law.",
    lang: str = "en",
    **extra: str,
) -> dict[str, dict[str, str]]:
    return {lang: {"title": title, "text": text, **extra}}


def make_organiser(db: Database, username: str, **kwargs: Any) -> int:
    """An account that may create roundtables (and has no role anywhere yet)."""
    uid = make_user(db, username, **kwargs)
    accounts.set_organiser(db, actor_id=SYSTEM, user_id=uid, organiser=True)
    return uid


FULL_SETTINGS: dict[str, Any] = {
    "record_language": "kk",
    "memo_languages": ["kk", "ru", "kk+ru"],
    "topics": [
        {"labels": {"en": "Legal status", "ru": "Правовой статус", "kk": "Құқықтық мәртебе"}},
        {"key": "emblem", "labels": {"ru": "Эмблема", "kk": "Эмблема"}},
    ],
    "voting_defaults": {
        "quorum": "3/5",
        "threshold": "0.75",
        "delphi_agreement_share": "7/10",
        "delphi_max_iqr": "2",
        "blocks_prevent_adoption": False,
    },
    "legal_references": [
        "Geneva Convention I (1949), Art. 26",
        {"ru": "Закон РК «Об общественных объединениях»", "kk": "ҚР «Қоғамдық бірлестіктер туралы» Заңы"},
    ],
    "signatory": {"name": {"ru": "А. Б. Сериков", "kk": "А. Б. Серіков"}, "position": {"ru": "Декан", "kk": "Декан"}},
    "outgoing_number": "№ 01-12/345",
}


_content = content  # the parameters named ``content`` below shadow the function


class _People(dict[str, int]):
    """Ids by name, each found by its user name when first asked for (a database made elsewhere: the demo)."""

    def __init__(self, db: Database, usernames: Mapping[str, str]) -> None:
        super().__init__()
        self._db, self._usernames = db, dict(usernames)

    def __missing__(self, name: str) -> int:
        uid = accounts.find_user(self._db, username=self._usernames.get(name, name)).id
        self[name] = uid
        return uid


def world_of(db: Database, roundtable_id: int, usernames: Mapping[str, str] | None = None) -> World:
    """An existing roundtable (the demo's) as a World: ``world["expert"]`` finds the account named
    ``usernames["expert"]`` (or "expert") when first used."""
    return World(db=db, roundtable_id=roundtable_id, users=_People(db, usernames or {}))


def add_member(
    world: World,
    name: str,
    role: str = "expert",
    *,
    username: str | None = None,
    display_name: str | None = None,
    organisation: str = "Faculty of Law",
    consent_named: bool = True,
    **membership: Any,
) -> int:
    """One more person in the world's roundtable, ``world[name]`` afterwards (signing in as ``username``,
    by default ``name``). ``membership`` go to ``set_membership`` (group, ...)."""
    uid = make_user(world.db, username or name, display_name=display_name)
    roundtables.set_membership(
        world.db,
        actor_id=SYSTEM,
        roundtable_id=world.roundtable_id,
        user_id=uid,
        role=role,
        organisation=organisation,
        consent_named=consent_named,
        **membership,
    )
    world.users[name] = uid
    return uid


def make_roundtable(
    db: Database,
    *,
    title: str = "Roundtable B",
    members: Mapping[int, str | Mapping[str, Any]] | None = None,
    held_on: date = date(2026, 3, 1),
    **fields: Any,
) -> int:
    """Another roundtable, with ``members`` in it: {user id: role} or {user id: set_membership's kw (role,
    group, ...)}; its id. ``fields`` go to ``create_roundtable``."""
    rt = roundtables.create_roundtable(db, actor_id=SYSTEM, title={"en": title}, held_on=held_on, **fields)
    for uid, member in (members or {}).items():
        kw = {"role": member} if isinstance(member, str) else dict(member)
        roundtables.set_membership(db, actor_id=SYSTEM, roundtable_id=rt.id, user_id=uid, **kw)
    return rt.id


# --------------------------------------------------------------------------- recommendations

# How a moderator takes a draft to each status (``domain.statuses.REC_TRANSITIONS``).
STATUS_PATHS: dict[RecStatus, tuple[RecStatus, ...]] = {
    RecStatus.DRAFT: (),
    RecStatus.DISCUSSION: (RecStatus.DISCUSSION,),
    RecStatus.VOTING: (RecStatus.DISCUSSION, RecStatus.VOTING),
    RecStatus.ADOPTED: (RecStatus.DISCUSSION, RecStatus.VOTING, RecStatus.ADOPTED),
    RecStatus.REJECTED: (RecStatus.DISCUSSION, RecStatus.VOTING, RecStatus.REJECTED),
    RecStatus.WITHDRAWN: (RecStatus.WITHDRAWN,),
}


def make_recommendation(
    world: World,
    who: str | int = "expert",
    *,
    content: dict[str, Any] | None = None,
    title: str | None = None,
    text: str | None = None,
    revisions: Iterable[str | dict] = (),
    status: str = RecStatus.DRAFT,
    moderator: str | int = "moderator",
    **fields: Any,
) -> RecommendationView:
    """A recommendation drafted by ``who``: ``content`` (or ``content(title=, text=)``), then each of
    ``revisions`` saved by ``who`` (a text, or a whole content), then moved to ``status`` by ``moderator``.

    ``fields`` go to ``create_recommendation`` (topic, priority, note, submission_key). Returns its view now.
    """
    if content is None:
        content = _content(**{k: v for k, v in (("title", title), ("text", text)) if v is not None})
    rec = recommendations.create_recommendation(
        world.db, actor_id=world.id_of(who), roundtable_id=world.roundtable_id, content=content, **fields
    )
    for revision in revisions:
        rec = edit(
            world,
            rec,
            who,
            base_revision_id=rec.current_revision.id,
            content=revision if isinstance(revision, dict) else None,
            text=revision if isinstance(revision, str) else None,
        )
    if RecStatus(status) != RecStatus.DRAFT:
        rec = move_to(world, rec, status, who=moderator, current=RecStatus.DRAFT)
    return rec


def make_recommendations(
    world: World,
    n: int,
    who: str | int = "expert",
    *,
    status: str = RecStatus.DRAFT,
    title: str = "Recommendation {i}",
    **fields: Any,
) -> list[RecommendationView]:
    """``n`` recommendations titled "Recommendation 1", "Recommendation 2", ... (``title`` is a pattern)."""
    return [make_recommendation(world, who, title=title.format(i=i), status=status, **fields) for i in range(1, n + 1)]


def _rec_id(rec: int | RecommendationView) -> int:
    return rec if isinstance(rec, int) else rec.id


def move_to(
    world: World,
    rec: int | RecommendationView,
    status: str,
    *,
    who: str | int = "moderator",
    current: str | None = None,
    **kw: Any,
) -> RecommendationView:
    """Move a recommendation to ``status`` along the moderators' path from where it is (from a draft to
    adopted: discussion, voting, adopted); ``current`` spares the look-up. ``kw`` go to the last step."""
    rec_id = _rec_id(rec)
    if current is None:
        current = recommendations.get_recommendation(
            world.db, actor_id=world.id_of(who), recommendation_id=rec_id
        ).status
    target, here = RecStatus(status), RecStatus(current)
    path = STATUS_PATHS.get(target, (target,))
    if here == target:
        steps: tuple[RecStatus, ...] = ()
    elif here in path:
        steps = path[path.index(here) + 1 :]
    elif here == RecStatus.DRAFT:
        steps = path
    else:  # back from an outcome, a withdrawal: one step
        steps = (target,)
    view = rec if isinstance(rec, RecommendationView) else None
    for i, step in enumerate(steps):
        view = recommendations.set_status(
            world.db,
            actor_id=world.id_of(who),
            recommendation_id=rec_id,
            status=step.value,
            **(kw if i == len(steps) - 1 else {}),
        )
    if view is None:
        view = recommendations.get_recommendation(world.db, actor_id=world.id_of(who), recommendation_id=rec_id)
    return view


def edit(
    world: World,
    rec: int | RecommendationView,
    who: str | int = "expert",
    *,
    content: dict[str, Any] | None = None,
    text: str | None = None,
    base_revision_id: int | None = None,
    **kw: Any,
) -> recommendations.EditOutcome:
    """``who`` saves a new text (``content``, or ``content(text=text)``) from the current revision, or from
    ``base_revision_id``. ``kw`` go to ``edit_recommendation`` (note, topic, priority, submission_key)."""
    rec_id = _rec_id(rec)
    if base_revision_id is None:
        base_revision_id = recommendations.get_recommendation(
            world.db, actor_id=world.id_of(who), recommendation_id=rec_id
        ).current_revision.id
    if content is None:
        content = _content(text=text) if text is not None else _content()
    return recommendations.edit_recommendation(
        world.db,
        actor_id=world.id_of(who),
        recommendation_id=rec_id,
        base_revision_id=base_revision_id,
        content=content,
        **kw,
    )


def world_with_recommendation(
    db: Database,
    *,
    moderation_mode: str = "pre",
    who: str | int = "expert",
    world: Mapping[str, Any] | None = None,
    **rec: Any,
) -> World:
    """``make_world`` and one recommendation by ``who`` (``world.rec``); ``rec`` go to ``make_recommendation``."""
    w = make_world(db, moderation_mode=moderation_mode, **dict(world or {}))
    w.rec = make_recommendation(w, who, **rec)
    return w


def make_amendment(
    world: World,
    rec: int | RecommendationView,
    who: str | int = "expert2",
    *,
    content: dict[str, Any] | None = None,
    text: str = "Amended text",
    justification: str = "",
    **kw: Any,
) -> AmendmentView:
    """``who`` proposes ``content`` (or ``content(text=text)``) for the recommendation's current revision."""
    return amendments.propose_amendment(
        world.db,
        actor_id=world.id_of(who),
        recommendation_id=_rec_id(rec),
        content=content if content is not None else _content(text=text),
        justification=justification,
        **kw,
    )


def make_comment(
    world: World,
    who: str | int = "expert2",
    body: str = "A comment",
    *,
    rec: int | RecommendationView | None = None,
    approve_by: str | int | None = None,
    **kw: Any,
) -> CommentView:
    """``who`` comments on ``rec`` (``world.rec`` by default); ``kw`` go to ``post_comment`` (quote,
    parent_id, submission_key). With ``approve_by`` that moderator approves it at once."""
    c = comments.post_comment(
        world.db, actor_id=world.id_of(who), recommendation_id=_rec_id(rec or world.rec), body=body, **kw
    )
    if approve_by is not None:
        c = moderation.moderate_comment(world.db, actor_id=world.id_of(approve_by), comment_id=c.id, action="approve")
    return c


# --------------------------------------------------------------------------- voting


def make_round(
    world: World,
    recs: Iterable[int | RecommendationView] | None,
    who: str | int = "moderator",
    *,
    rules: Mapping[str, Any] | None = None,
    **kw: Any,
) -> RoundView:
    """A voting round opened by ``who`` on ``recs``; drafts among them (views with status draft) are first
    moved to discussion. ``kw`` go to ``open_round`` (name, closes_at, carry_from_round_id: with ``recs``
    None the round takes that round's undecided items)."""
    ids: list[int] | None = None
    if recs is not None:
        ids = []
        for rec in recs:
            if isinstance(rec, RecommendationView) and RecStatus(rec.status) == RecStatus.DRAFT:
                move_to(world, rec, RecStatus.DISCUSSION, who=who, current=RecStatus.DRAFT)
            ids.append(_rec_id(rec))
    return voting.open_round(
        world.db,
        actor_id=world.id_of(who),
        roundtable_id=world.roundtable_id,
        recommendation_ids=ids,
        rules=rules,
        **kw,
    )


def vote(
    world: World,
    rnd: int | RoundView,
    rec: int | RecommendationView,
    who: str | int,
    choice: str | None = None,
    **kw: Any,
) -> VoteView:
    """``who`` votes ``choice`` (or ``rating=`` in a Delphi round) on one item; ``kw`` go to ``cast_vote``."""
    return voting.cast_vote(
        world.db,
        actor_id=world.id_of(who),
        round_id=rnd if isinstance(rnd, int) else rnd.id,
        recommendation_id=_rec_id(rec),
        choice=choice,
        **kw,
    )


def cast_votes(
    world: World,
    rnd: int | RoundView,
    rec: int | RecommendationView,
    ballots: Mapping[str | int, str | int | Mapping[str, Any]],
) -> list[VoteView]:
    """Several votes on one item: {who: choice} (simple), {who: rating} (Delphi) or {who: {cast_vote's kw}}."""
    out = []
    for who, ballot in ballots.items():
        if isinstance(ballot, Mapping):
            out.append(vote(world, rnd, rec, who, **ballot))
        elif isinstance(ballot, int):
            out.append(vote(world, rnd, rec, who, rating=ballot))
        else:
            out.append(vote(world, rnd, rec, who, ballot))
    return out
