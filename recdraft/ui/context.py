"""Per-run context every page uses: database, language, signed-in user, roundtable, role, errors.

Pages call these instead of reaching into st.session_state themselves. A page file starts with::

    from recdraft.ui.context import require_member, tr, errors_shown
    user, rt, role = require_member()          # or require_role("admin", "moderator")

The signed-in person is checked against the server on every run (``accounts.authenticate``) and the role
is read from the database on every run, so sign-out, deactivation and role changes apply at once. Within
one run the answers are computed once (the app's router and the page share them).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, NamedTuple, NoReturn

import streamlit as st

from recdraft.errors import (
    BackupError,
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    RecdraftError,
    SignInFailed,
    TooManyAttempts,
)
from recdraft.i18n import LANGS, best_language, catalog, t, translate_service_message
from recdraft.i18n.formats import format_date, format_datetime, format_number
from recdraft.schemas.views import RoundtableView, UserView
from recdraft.services import roundtables
from recdraft.ui import auth
from recdraft.ui.state import database

log = logging.getLogger(__name__)

TOKEN_KEY = auth.TOKEN_KEY
LANG_KEY = "recdraft_lang"
ROUNDTABLE_KEY = "recdraft_roundtable"

# The answers of this run (user, roundtable, role); set by the router around the page, None otherwise.
_RUN: ContextVar[dict[str, Any] | None] = ContextVar("recdraft_run", default=None)
_UNSET = object()


@contextmanager
def page_run() -> Iterator[None]:
    """Share the user, roundtable and role between the router and the page during one run."""
    marker = _RUN.set({})
    try:
        yield
    finally:
        _RUN.reset(marker)


def _cached(key: str, compute: Any) -> Any:
    memo = _RUN.get()
    if memo is None:
        return compute()
    value = memo.get(key, _UNSET)
    if value is _UNSET:
        value = compute()
        memo[key] = value
    return value


def _forget(*keys: str) -> None:
    memo = _RUN.get()
    if memo is not None:
        for key in keys:
            memo.pop(key, None)


def db():
    """The process-wide Database (cached resource)."""
    return database()


# --- language --------------------------------------------------------------------------------------

def lang() -> str:
    """The interface language: the person's choice, else the remembered one, else the browser's, else English.

    Asked for by every label (a hundred times a run), so it is read from session state once per run.
    """
    return _cached("lang", _session_language)


def _session_language() -> str:
    if st.session_state.get(LANG_KEY) not in LANGS:
        chosen = auth.cookie_language()
        if chosen is None:
            try:
                locale = st.context.locale
            except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
                locale = None
            chosen = best_language(locale)
        st.session_state[LANG_KEY] = chosen
    return st.session_state[LANG_KEY]


def set_language(value: str) -> None:
    """Switch the interface language (and have the browser remember it)."""
    if value in LANGS:
        st.session_state[LANG_KEY] = value
        _forget("lang")
        auth.remember_language(value)


def tr(key: str, **params: object) -> str:
    """The message ``key`` in the interface language."""
    return t(key, lang(), **params)


def localized(values: dict[str, str] | None, *, fallback: str = "") -> str:
    """A per-language text (title, venue) in the interface language, else in another one it has."""
    values = values or {}
    for code in (lang(), "en", "ru", "kk"):
        if (values.get(code) or "").strip():
            return values[code]
    return next((v for v in values.values() if v), fallback)


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
    return _cached("user", lambda: auth.authenticated_user() or auth.sso_user())


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

    return _cached(f"roundtable:{user.id}", compute)


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


def _my_roundtables(user: UserView) -> list[tuple[RoundtableView, str]]:
    """The person's roundtables with their role in each, read once per run (one service call)."""
    return _cached(f"roundtables:{user.id}", lambda: roundtables.list_my_roundtables(db(), actor_id=user.id))


def list_my_roundtables(user: UserView) -> list[RoundtableView]:
    """Every roundtable the person takes part in (all of them for system administrators)."""
    return [rt for rt, _role in _my_roundtables(user)]


def choose_roundtable(roundtable_id: int) -> None:
    """Work on another roundtable from the next run on."""
    st.session_state[ROUNDTABLE_KEY] = roundtable_id


def current_role(user: UserView, roundtable_id: int) -> str | None:
    """The person's role in the roundtable, read from the database on this run."""
    return next((role for rt, role in _my_roundtables(user) if rt.id == roundtable_id), None)


def refresh() -> None:
    """Forget this run's answers (after an action that changed them, e.g. a role or a setting)."""
    memo = _RUN.get()
    if memo is not None:
        memo.clear()


def stop_with_sign_in() -> NoReturn:
    """Show the sign-in page instead of this page and end the run."""
    from recdraft.ui.pages import signin

    signin.render()
    st.stop()
    raise AssertionError("unreachable")  # pragma: no cover - st.stop raises


class Member(NamedTuple):
    """Who is looking at the page: ``user, rt, role = require_member()`` or ``member.user``/``.roundtable``/``.role``."""

    user: UserView
    roundtable: RoundtableView
    role: str


def require_member() -> Member:
    """The signed-in person, their roundtable and role there; otherwise the sign-in page (or a notice) and stop."""
    user = current_user()
    if user is None:
        stop_with_sign_in()
    rt = current_roundtable(user)
    role = current_role(user, rt.id) if rt is not None else None
    if rt is None or role is None:
        st.info(tr("core.no_roundtable"))
        st.stop()
    return Member(user, rt, role)


def require_role(*roles: str) -> Member:
    """As ``require_member``, and the role must be one of ``roles``; else a notice and stop.

    Only what the page shows is decided here: every action's service checks the permission again.
    """
    member = require_member()
    if member.role not in roles:
        st.warning(tr("core.not_allowed"))
        st.stop()
    return member


# --- errors ----------------------------------------------------------------------------------------

_HEADLINES: dict[type[RecdraftError], str] = {
    NotSignedIn: "error.not_signed_in",
    SignInFailed: "error.sign_in_failed",
    TooManyAttempts: "error.too_many_attempts",
    PermissionDenied: "error.permission",
    NotFound: "error.not_found",
    InvalidInput: "error.invalid_input",
    InvalidTransition: "error.invalid_transition",
    Conflict: "error.conflict",
    BackupError: "error.backup",
}


def error_message(exc: RecdraftError) -> str:
    """The message for a person: a known service message in the interface language, else the service's words.

    Services speak English. Messages listed in the catalogue under ``svc.<…>`` (their English text is a
    template: see ``recdraft.i18n.translate_service_message``) are translated; any other message gets a
    translated headline for its kind, then the English detail, so nothing the person needs is lost.
    """
    code = lang()
    if exc.key in catalog():
        return exc.text(code)
    text = str(exc)
    if code == "en":
        return text
    translated = translate_service_message(text, code)
    if translated is not None:
        return translated
    if isinstance(exc, TooManyAttempts):
        return tr("error.too_many_attempts_wait", seconds=exc.retry_after)
    headline = next((key for cls, key in _HEADLINES.items() if isinstance(exc, cls)), "error.generic")
    return f"{tr(headline)} ({text})"


@contextmanager
def errors_shown(where: Any = None) -> Iterator[None]:
    """Show a RecdraftError as a message next to what caused it; anything else is a bug and surfaces.

    ``where`` is the container to show it in (default: here, in the flow of the page).
    """
    try:
        yield
    except RecdraftError as exc:
        (where or st).error(error_message(exc))


def show_unexpected_error(exc: BaseException) -> None:
    """Log an unexpected error with its traceback and show a short apology (never the trace)."""
    log.error("unexpected error in a page run", exc_info=exc)
    st.error(tr("error.unexpected"))


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
    last = st.session_state.get(f"_recdraft_done:{form}")
    return bool(last) and last[0] == _digest(values) and time.monotonic() - last[1] < window


def remember_submission(form: str, *values: object) -> None:
    """Record that ``form`` succeeded with ``values`` (see ``already_submitted``)."""
    st.session_state[f"_recdraft_done:{form}"] = (_digest(values), time.monotonic())
