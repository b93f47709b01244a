"""Per-run context every page uses: database, signed-in person, roundtable, their standing there, errors.

Screens call these instead of reaching into st.session_state themselves. A screen starts with::

    from recdraft.ui.context import require_member, tr, errors_shown
    member = require_member()      # .user, .roundtable, .role, .actions (what they may do now)
    if may(member, Action.DRAFT):  # recdraft.ui.widgets.phase_gate: ``Action.DRAFT in member.actions``

The signed-in person is checked against the server on every run (``accounts.authenticate``) and their
standing (role and open actions, ``services.roundtables.list_my_roundtables``) is read from the database
on every run, so sign-out, deactivation, role and phase changes apply at once; the page shows exactly the
controls the server will accept and decides nothing by itself. Within one run the answers are computed
once (the app's router and the page share them: ``recdraft.ui.state``). The language lives in
``recdraft.ui.language`` and the way errors are shown in ``recdraft.ui.messages``; both are re-exported
here, as every screen needs them.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import NoReturn

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.i18n.formats import format_date, format_datetime, format_number
from recdraft.schemas.views import RoundtableView, StandingView, UserView
from recdraft.services import roundtables
from recdraft.ui import auth
from recdraft.ui.language import LANG_KEY, lang, localized, set_language, tr
from recdraft.ui.messages import error_message, errors_shown, show_unexpected_error
from recdraft.ui.screens import signin
from recdraft.ui.state import cached, database, forget, page_run

__all__ = [  # what screens import from here, the re-exported names among them
    "LANG_KEY",
    "ROUNDTABLE_KEY",
    "TOKEN_KEY",
    "Member",
    "already_submitted",
    "browser_timezone",
    "choose_roundtable",
    "current_role",
    "current_roundtable",
    "current_user",
    "db",
    "error_message",
    "errors_shown",
    "fmt_date",
    "fmt_datetime",
    "fmt_number",
    "invite_link",
    "lang",
    "list_my_roundtables",
    "localized",
    "page_run",
    "refresh",
    "remember_submission",
    "require_member",
    "require_role",
    "session_token",
    "set_language",
    "show_unexpected_error",
    "standing",
    "stop_with_sign_in",
    "tr",
]

TOKEN_KEY = auth.TOKEN_KEY
ROUNDTABLE_KEY = "recdraft_roundtable"


def db():
    """The process-wide Database (cached resource)."""
    return database()


# --- formats ---------------------------------------------------------------------------------------


def fmt_date(value: date) -> str:
    """A date written for the interface language: '6 February 2025', '6 февраля 2025 г.', '2025 жылғы 6 ақпан'."""
    return format_date(value, lang())


def browser_timezone() -> str | None:
    try:
        return st.context.timezone
    except Exception:  # noqa: BLE001
        return None


def fmt_datetime(value: datetime) -> str:
    """A moment in the browser's time zone (else Almaty's), written for the interface language."""
    return format_datetime(value, lang(), browser_timezone())


def fmt_number(value: float | int, *, decimals: int | None = None) -> str:
    """A number written for the interface language (12 345,5 in ru/kk)."""
    return format_number(value, lang(), decimals=decimals)


# --- who is here --------------------------------------------------------------------------------------


def session_token() -> str | None:
    """The sign-in token of this browser session (from the sign-in form or the session cookie)."""
    current_user()
    return st.session_state.get(TOKEN_KEY)


def current_user() -> UserView | None:
    """The signed-in person, checked against the server on every run (sign-out and deactivation apply at once)."""
    return cached("user", lambda: auth.authenticated_user() or auth.sso_user())


def current_roundtable(user: UserView) -> RoundtableView | None:
    """The roundtable being worked on: the chosen one, else the newest the person takes part in."""

    def compute() -> RoundtableView | None:
        tables = list_my_roundtables(user)
        if not tables:
            return None
        chosen = st.session_state.get(ROUNDTABLE_KEY)
        asked = _roundtable_in_link()
        if asked is not None and any(rt.id == asked for rt in tables):
            # A link from a message names its roundtable (?rt=): open it there, and keep working there.
            chosen = st.session_state[ROUNDTABLE_KEY] = asked
        for rt in tables:
            if rt.id == chosen:
                return rt
        st.session_state[ROUNDTABLE_KEY] = tables[0].id
        return tables[0]

    return cached(f"roundtable:{user.id}", compute)


def _roundtable_in_link() -> int | None:
    """The roundtable a link names (``?rt=ID``), taken once: the parameter is removed after it is read."""
    raw = st.query_params.get("rt")
    if raw is None:
        return None
    st.query_params.pop("rt", None)
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _my_roundtables(user: UserView) -> list[tuple[RoundtableView, StandingView]]:
    """The person's roundtables with their standing in each, read once per run (one service call)."""
    return cached(f"roundtables:{user.id}", lambda: roundtables.list_my_roundtables(db(), actor_id=user.id))


def list_my_roundtables(user: UserView) -> list[RoundtableView]:
    """Every roundtable the person takes part in (all of them for system administrators)."""
    return [rt for rt, _standing in _my_roundtables(user)]


def choose_roundtable(roundtable_id: int) -> None:
    """Work on another roundtable from the next run on."""
    st.session_state[ROUNDTABLE_KEY] = roundtable_id


def standing(user: UserView, roundtable_id: int) -> StandingView | None:
    """The person's standing in the roundtable (role, open actions), read from the database on this run."""
    return next((found for rt, found in _my_roundtables(user) if rt.id == roundtable_id), None)


def current_role(user: UserView, roundtable_id: int) -> Role | None:
    """The person's role in the roundtable, read from the database on this run."""
    found = standing(user, roundtable_id)
    return found.role if found is not None else None


def refresh() -> None:
    """Forget this run's answers (after an action that changed them, e.g. a role or a setting)."""
    forget()


def stop_with_sign_in() -> NoReturn:
    """Show the sign-in page instead of this page and end the run."""
    signin.render()
    st.stop()
    raise AssertionError("unreachable")  # pragma: no cover - st.stop raises


@dataclass(frozen=True)
class Member:
    """Who is looking at the page: the person, their roundtable, their role there and what they may do now.

    ``actions`` are the actions open to them now and ``open_actions`` what the phase leaves open to anyone,
    both computed by the service from the one policy (``StandingView``): ask ``Action.X in member.actions``
    (``phase_gate.may``), never the role.
    """

    user: UserView
    roundtable: RoundtableView
    role: Role
    actions: frozenset[Action] = frozenset()
    open_actions: frozenset[Action] = frozenset()


def require_member() -> Member:
    """The signed-in person, their roundtable and standing there; otherwise the sign-in page (or a notice) and stop."""
    user = current_user()
    if user is None:
        stop_with_sign_in()
    rt = current_roundtable(user)
    found = standing(user, rt.id) if rt is not None else None
    if rt is None or found is None:
        st.info(tr("core.no_roundtable"))
        st.stop()
    return Member(user, rt, found.role, found.actions, found.open_actions)


def require_role(*roles: Role) -> Member:
    """As ``require_member``, and the role must be one of ``roles`` (a page's audience); else a notice and stop.

    Only who sees the page is decided here: what it offers follows ``member.actions``, and every action's
    service checks the permission again.
    """
    member = require_member()
    if member.role not in roles:
        st.warning(tr("core.not_allowed"))
        st.stop()
    return member


# --- invitation links ----------------------------------------------------------------------------------


def invite_link(token: str) -> str:
    """The address a new participant opens: this app's origin with ?invite=<token>."""
    from urllib.parse import urlsplit

    try:
        url = st.context.url or ""
    except Exception:  # noqa: BLE001 - no browser (AppTest)
        url = ""
    parts = urlsplit(url) if isinstance(url, str) else None
    origin = f"{parts.scheme}://{parts.netloc}" if parts and parts.scheme and parts.netloc else "http://localhost:8501"
    return f"{origin}/?invite={token}"


# --- double submissions ------------------------------------------------------------------------------

DOUBLE_SUBMIT_SECONDS = 10.0


def _digest(values: tuple[object, ...]) -> str:
    return hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()


def already_submitted(form: str, *values: object, window: float = DOUBLE_SUBMIT_SECONDS) -> bool:
    """True when the same form with the same values succeeded moments ago (a double click): skip it.

    Use with ``remember_submission`` after the action succeeded, so a failed attempt can be retried.
    """
    last: tuple[str, float] | None = st.session_state.get(f"_recdraft_done:{form}")
    if not last:
        return False
    return last[0] == _digest(values) and time.monotonic() - last[1] < window


def remember_submission(form: str, *values: object) -> None:
    """Record that ``form`` succeeded with ``values`` (see ``already_submitted``)."""
    st.session_state[f"_recdraft_done:{form}"] = (_digest(values), time.monotonic())
