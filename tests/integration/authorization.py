"""The machinery of the authorization matrix (``test_authorization_matrix.py``, ``test_authorization_setup.py``).

A *row* is one thing a person can ask a service to do: the service function, how to set the scene, how to act,
and who may do it according to the domain — the action's phase rule (``domain.phases.PHASE_RULES``), the people
allowed when the roundtable is open, and what an adopted text freezes (``domain.statuses.FROZEN_BY_STATUS``).
Each row is run for every person below in an open, a final (closed) and an archived roundtable, and on an
adopted recommendation when the row concerns one. An allowed action must succeed; a refused one must raise
PermissionDenied, NotSignedIn or NotFound with a message and leave every table's row count as it was.

Fast on purpose: the roundtable and its people are made once per module and database; each row's scene is
built in one transaction that is rolled back afterwards, and each person acts inside a savepoint of it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Base
from recdraft.domain.policy import PHASE_RULES, Action, can
from recdraft.domain.roles import Phase, Role
from recdraft.domain.statuses import Frozen, RecStatus, is_frozen
from recdraft.errors import NotFound, NotSignedIn, PermissionDenied
from recdraft.services import accounts, recommendations, roundtables
from recdraft.services._base import SYSTEM
from tests.factories import World, make_organiser, make_user, make_world

# --- who ---------------------------------------------------------------------------------------------------

# Everyone the matrix tries, and the role each has in the roundtable (None: no membership).
ROLE_IN_ROUNDTABLE: dict[str, Role | None] = {
    "sysadmin": Role.ADMIN,  # a system administrator, no membership: acts as an admin everywhere
    "admin": Role.ADMIN,  # the roundtable's administrator (its organiser)
    "organiser": None,  # may create roundtables; no role in this one
    "moderator": Role.MODERATOR,  # faculty moderating the roundtable
    "expert": Role.EXPERT,  # the author of the objects under test
    "expert2": Role.EXPERT,  # another expert (the author of comments and amendments under test)
    "observer": Role.OBSERVER,
    "outsider": None,  # an active account that is not a participant
    "deactivated": Role.EXPERT,  # an expert whose account was deactivated
}
ROLES = tuple(ROLE_IN_ROUNDTABLE)

ADMINS = frozenset({"sysadmin", "admin"})
STAFF = ADMINS | {"moderator"}
EXPERTS = frozenset({"expert", "expert2"})
AUTHOR_AND_STAFF = STAFF | {"expert"}
PARTICIPANTS = frozenset({"admin", "moderator", "expert", "expert2", "observer"})  # who has a membership
MEMBERS = PARTICIPANTS | {"sysadmin"}  # who can see the roundtable
EVERYONE = frozenset(ROLES) - {"deactivated"}  # every active account
SYSADMIN = frozenset({"sysadmin"})
NOBODY: frozenset[str] = frozenset()


def by_role_rules(action: Action) -> frozenset[str]:
    """The people ``domain.phases.ROLE_RULES`` lets do ``action`` (in a phase that allows it)."""
    return frozenset(r for r in EVERYONE if can(action, role=ROLE_IN_ROUNDTABLE[r], phase=Phase.DRAFTING))


def phases_of(action: Action) -> frozenset[Phase]:
    """The phases ``domain.phases.PHASE_RULES`` leave ``action`` open in."""
    return frozenset(p for p, actions in PHASE_RULES.items() if action in actions)


EVERY_PHASE = frozenset(Phase)
NOT_ARCHIVED = EVERY_PHASE - {Phase.ARCHIVED}

# --- the rows ------------------------------------------------------------------------------------------------

UNFROZEN = "unfrozen"  # ``adopted``: an adopted text changes nothing for this row (comments may still come)


@dataclass(frozen=True)
class Row:
    """One service call as the matrix tries it.

    ``function``: "module.function" in recdraft.services (the introspection test matches on it).
    ``action``: the domain action whose phase rule applies; None for what no roundtable phase governs
    (accounts, backups, creating roundtables, reading). ``who``: who may, in an open roundtable.
    ``phases``: where it is open, when not simply ``phases_of(action)``. ``adopted``: on an adopted
    recommendation, the ``Frozen`` part that refuses it, ``UNFROZEN`` when adoption changes nothing, or None
    when the row has no recommendation to adopt.
    """

    function: str
    scenario: str
    action: Action | None
    who: frozenset[str]
    setup: Callable[[World], dict[str, Any]]
    act: Callable[[World, dict[str, Any], int], Any]
    phases: frozenset[Phase] | None = None
    adopted: Frozen | str | None = None
    # A fresh scene for each state: for calls whose effects a savepoint does not undo (a restore moves
    # PostgreSQL's id sequences, which no rollback moves back).
    scene_per_state: bool = False

    @property
    def id(self) -> str:
        return f"{self.function}: {self.scenario}"

    def open_in(self) -> frozenset[Phase]:
        if self.phases is not None:
            return self.phases
        return EVERY_PHASE if self.action is None else phases_of(self.action)


STATES = {"open": Phase.DRAFTING, "final": Phase.CLOSED, "archived": Phase.ARCHIVED, "adopted": Phase.DRAFTING}


def expected(row: Row, person: str, state: str) -> bool:
    """What the domain says: may ``person`` do ``row`` in ``state``?"""
    if person not in row.who:
        return False
    if STATES[state] not in row.open_in():
        return False
    if state == "adopted" and isinstance(row.adopted, Frozen):
        return not is_frozen(RecStatus.ADOPTED, row.adopted)
    return True


def states_of(row: Row) -> list[str]:
    return ["open", "final", "archived"] + (["adopted"] if row.adopted is not None else [])


# --- the database: one world per module, a rolled-back transaction per row, a savepoint per person ------------


class SavepointDatabase:
    """Looks like ``recdraft.db.engine.Database`` to the services; every unit of work is a savepoint inside the
    transaction ``scene()`` holds open, so nothing a row does outlives it."""

    def __init__(self, real: Database) -> None:
        self.real, self.engine, self.dialect, self.url = real, real.engine, real.dialect, real.url
        self.conn: Any = None

    @contextmanager
    def write(self) -> Iterator[Session]:
        with Session(bind=self.conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            with s.begin():
                yield s

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(bind=self.conn, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
            with s.begin():
                yield s
                s.rollback()

    @contextmanager
    def scene(self) -> Iterator[None]:
        conn = self.engine.connect().execution_options(recdraft_write=True)
        outer = conn.begin()
        self.conn = conn
        try:
            yield
        finally:
            self.conn = None
            outer.rollback()
            conn.close()

    @contextmanager
    def attempt(self) -> Iterator[None]:
        savepoint = self.conn.begin_nested()
        try:
            yield
        finally:
            savepoint.rollback()

    def dispose(self) -> None:
        self.real.dispose()


_COUNT_SQL: dict[str, str] = {}


def row_counts(db: SavepointDatabase) -> tuple[int, ...]:
    """Every table's row count in one statement, seen from inside the scene's transaction."""
    if db.dialect not in _COUNT_SQL:
        quote = db.engine.dialect.identifier_preparer.quote
        _COUNT_SQL[db.dialect] = "SELECT " + ", ".join(
            f"(SELECT count(*) FROM {quote(t.name)})" for t in Base.metadata.sorted_tables
        )
    return tuple(db.conn.execute(text(_COUNT_SQL[db.dialect])).one())


@dataclass
class Matrix:
    db: SavepointDatabase
    world: World
    tmp: Path


def build_world(real: Database, tmp: Path) -> Matrix:
    """The roundtable (drafting) with a person in every role of ``ROLE_IN_ROUNDTABLE``; committed once."""
    from argon2 import PasswordHasher

    with pytest.MonkeyPatch.context() as patch:  # cheap hashing, as the function-scoped autouse fixture does
        patch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        w = make_world(real, moderation_mode="pre")
        w.users["sysadmin"] = make_user(real, "sysadmin", system_admin=True)
        w.users["organiser"] = make_organiser(real, "organiser")
        w.users["deactivated"] = make_user(real, "deactivated")
        roundtables.set_membership(
            real,
            actor_id=SYSTEM,
            roundtable_id=w.roundtable_id,
            user_id=w["deactivated"],
            role="expert",
            organisation="ICRC",
            consent_named=True,
        )
        accounts.set_active(real, actor_id=SYSTEM, user_id=w["deactivated"], active=False)
    db = SavepointDatabase(real)
    return Matrix(db=db, world=World(db=db, roundtable_id=w.roundtable_id, users=dict(w.users)), tmp=tmp)  # type: ignore[arg-type]


def _adopt(w: World, rec_id: int) -> None:
    path = {"draft": ["discussion", "voting", "adopted"], "discussion": ["voting", "adopted"], "voting": ["adopted"]}
    current = recommendations.get_recommendation(w.db, actor_id=w["admin"], recommendation_id=rec_id).status
    for status in path[current]:
        recommendations.set_status(w.db, actor_id=w["moderator"], recommendation_id=rec_id, status=status)


def _enter(w: World, state: str, ctx: dict[str, Any]) -> None:
    if state == "adopted":
        _adopt(w, ctx["rec"].id)
    elif state in ("final", "archived"):
        roundtables.set_phase(w.db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase=STATES[state].value)


DENIALS = (PermissionDenied, NotSignedIn, NotFound)
# The word a refusal must use when the person could do it in an open roundtable on a text not adopted.
REASON = {"open": "", "final": "final", "archived": "archived", "adopted": "adopted"}


def _try_everyone(m: Matrix, row: Row, ctx: dict[str, Any], state: str, problems: list[str]) -> None:
    """Each person acts once from the same scene (each attempt is rolled back to it)."""
    w = m.world
    before = row_counts(m.db)
    for person in ROLES:
        want = expected(row, person, state)
        where = f"{state:8} {person:11}"
        with m.db.attempt():
            try:
                row.act(w, ctx, w[person])
            except DENIALS as exc:
                if want:
                    problems.append(f"{where} expected allowed, refused: {type(exc).__name__}: {exc}")
                    continue
                if not str(exc):
                    problems.append(f"{where} refused without a message")
                if person in row.who and REASON[state] not in str(exc).lower():
                    # Refused only because of the phase or the adoption: the message must say which.
                    problems.append(f"{where} refused without saying the roundtable or text is {REASON[state]}: {exc}")
                if row_counts(m.db) != before:
                    problems.append(f"{where} refused but still wrote rows")
                continue
            except Exception as exc:  # noqa: BLE001 - reported as a disagreement, with its type
                problems.append(
                    f"{where} expected {'allowed' if want else 'refused'}, "
                    f"raised {type(exc).__name__}: {str(exc)[:160]}"
                )
                continue
            if not want:
                problems.append(f"{where} expected refused, was allowed")


def run_row(m: Matrix, row: Row) -> list[str]:
    """Every person × every state of ``row``; the list of disagreements with ``expected`` (empty: all agree).

    One scene per row: everyone tries in the open roundtable; then on the adopted text (inside a savepoint that
    is rolled back); then with the roundtable final, then archived.
    """
    problems: list[str] = []
    w = m.world
    if row.scene_per_state:
        for state in states_of(row):
            with m.db.scene():
                ctx = row.setup(w)
                _enter(w, state, ctx)
                _try_everyone(m, row, ctx, state, problems)
        return problems
    with m.db.scene():
        ctx = row.setup(w)
        _try_everyone(m, row, ctx, "open", problems)
        if row.adopted is not None:
            with m.db.attempt():
                _enter(w, "adopted", ctx)
                _try_everyone(m, row, ctx, "adopted", problems)
        for state in ("final", "archived"):
            _enter(w, state, ctx)
            _try_everyone(m, row, ctx, state, problems)
    return problems


def matrix_fixture(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    """The body of each matrix module's module-scoped, database-parametrised fixture."""
    from tests.conftest import _truncate_pg

    tmp = tmp_path_factory.mktemp(f"matrix-{request.param}")
    if request.param == "sqlite":
        real = Database(f"sqlite:///{tmp / 'matrix.sqlite3'}")
        Base.metadata.create_all(real.engine)
    else:
        real = Database(request.getfixturevalue("pg_url"))
        _truncate_pg(real)
    try:
        yield build_world(real, tmp)
    finally:
        if request.param == "postgresql":
            _truncate_pg(real)
        real.dispose()


# --- which service functions write ---------------------------------------------------------------------------


def service_functions() -> dict[str, Callable[..., Any]]:
    """Every public function of every module in recdraft.services that names an acting person (``actor_id``)."""
    import recdraft.services as package

    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"recdraft.services.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or not _defined_in(fn, module):
                continue
            if "actor_id" in inspect.signature(fn).parameters:
                found[f"{info.name}.{name}"] = fn
    return found


def _defined_in(fn: Callable[..., Any], module: Any) -> bool:
    """Whether ``fn`` is the module's own: defined in it or, for a package (services.voting), in one of its
    modules — a package's public functions are named by the package (``voting.cast_vote``)."""
    return fn.__module__ == module.__name__ or (
        hasattr(module, "__path__") and fn.__module__.startswith(module.__name__ + ".")
    )


def _modules(package: Any) -> list[tuple[str, Any]]:
    """(name, module) of every module of recdraft.services; a package's modules go by the package's name."""
    out = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"recdraft.services.{info.name}")
        out.append((info.name, module))
        if info.ispkg:
            out += [
                (info.name, importlib.import_module(f"{module.__name__}.{sub.name}"))
                for sub in pkgutil.iter_modules(module.__path__)
            ]
    return out


def _called_names(fn: Callable[..., Any]) -> tuple[bool, set[str]]:
    """(whether ``fn`` opens a write unit of work itself — it uses an attribute ``write``, as in ``db.write()`` —,
    the names it uses). Read from the compiled code, nested functions included, not from the file on disk (which
    may be mid-edit while the tests run)."""
    names: set[str] = set()
    stack = [fn.__code__]
    while stack:
        code = stack.pop()
        names.update(code.co_names)
        stack.extend(c for c in code.co_consts if inspect.iscode(c))
    return "write" in names, names


def write_functions() -> set[str]:
    """The service functions that write: they open ``db.write()`` themselves, or call a module-level function
    of the services that does (followed through private helpers and other services, to a fixed point)."""
    import recdraft.services as package

    every: dict[str, Callable[..., Any]] = {}
    for prefix, module in _modules(package):
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__:
                # A package's private helpers keep their module in the key (two modules may share a name).
                every[f"{prefix}.{name}" if name[0] != "_" else f"{prefix}.{module.__name__}:{name}"] = fn
    facts = {key: _called_names(fn) for key, fn in every.items()}
    writing = {key for key, (writes, _) in facts.items() if writes}
    while True:
        names = {key.split(".", 1)[1].rsplit(":", 1)[-1] for key in writing}
        grown = writing | {key for key, (_, called) in facts.items() if called & names}
        if grown == writing:
            break
        writing = grown
    return {key for key in service_functions() if key in writing}


HOW_TO_ADD_A_ROW = """
{missing} write {nouns} in recdraft/services without a row in the authorization matrix:
{names}

Every service function that takes actor_id and writes needs at least one row, so that who may call it — in an
open, a final and an archived roundtable, and on an adopted recommendation — is tested for every person. Add a
Row to ROWS in tests/integration/test_authorization_matrix.py (roundtable work: drafting, comments, amendments,
votes, memo, your new area) or tests/integration/test_authorization_setup.py (accounts, roundtables,
participants, backups), for example:

    Row("translations.save_translation", "translate expert's text", Action.DRAFT, AUTHOR_AND_STAFF,
        _rec, lambda w, c, uid: translations.save_translation(w.db, actor_id=uid, recommendation_id=c["rec"].id,
                                                                 lang="ru", fields={{"title": "Закон"}}),
        adopted=Frozen.TEXT),

- action: the domain.phases.Action whose phase rule applies (None when no roundtable phase governs it);
- who: who may when the roundtable is open — by_role_rules(Action.X), or a set such as AUTHOR_AND_STAFF, STAFF,
  ADMINS, EXPERTS, MEMBERS, SYSADMIN ({{"expert2"}}: only the author of the object the setup made);
- setup: builds the scene (helpers such as _rec, _comment, _amendment; return the recommendation as "rec" to be
  tried on an adopted text too); act: the call, with uid as the actor;
- phases=: only when the phases differ from PHASE_RULES for the action; adopted=: the domain.statuses.Frozen part
  an adopted text freezes, UNFROZEN when adoption changes nothing, or leave it out.

Then run:  .venv/bin/python -m pytest -q tests/integration/test_authorization_matrix.py \\
               tests/integration/test_authorization_setup.py -k "<your function>"
A function that only reads but calls a writing helper can be listed in NOT_WRITES with the reason.
"""
