"""Sign-in sessions in the browser: the session token, its HttpOnly cookie, sign-out, single sign-on.

Streamlit pages cannot set cookies, so the cookie is set by recdraft's own HTTP route (see
``recdraft/ui/asgi.py``) in three steps:

1. the page signs the person in (``accounts.sign_in``) and keeps the token in session state, so this
   tab works at once, even if step 2 never happens;
2. it issues a random *claim code* — single use, bound to that token, valid ``CLAIM_SECONDS`` — kept
   only in this process (``CLAIMS``) and renders ``st.iframe("/auth/claim?code=<code>")``, one pixel high:
   no script and no user text, only the random code;
3. the route swaps the code for ``Set-Cookie: recdraft_session=<token>; HttpOnly; SameSite=Strict;
   Path=/`` (``Secure`` over https). A reload or a new tab then sends the cookie, and every run reads it
   with ``st.context.cookies`` and checks it with ``accounts.authenticate`` — so sign-out, expiry,
   deactivation and role changes apply on the server at once.

Signing out ends the session on the server first; the sign-in page then loads ``/auth/logout`` the same
way to delete the cookie. The chosen language is remembered the same way in ``recdraft_lang``.
"""

from __future__ import annotations

import importlib.util
import logging
import secrets
import threading
import time

import streamlit as st

from recdraft.errors import NotFound, RecdraftError
from recdraft.i18n import LANGS
from recdraft.schemas.views import SignedIn, UserView
from recdraft.services import accounts
from recdraft.ui.state import database

log = logging.getLogger(__name__)

SESSION_COOKIE = "recdraft_session"
LANG_COOKIE = "recdraft_lang"
CLAIM_SECONDS = 120
TOKEN_KEY = "recdraft_token"
CLAIM_KEY = "recdraft_claim"
CLEAR_COOKIE_KEY = "recdraft_clear_cookie"
LANG_COOKIE_KEY = "recdraft_lang_cookie"
SSO_FAILED_KEY = "recdraft_sso_failed"


class ClaimStore:
    """Single-use, short-lived codes that each stand for one session token, in this process only."""

    def __init__(self, ttl_seconds: int = CLAIM_SECONDS) -> None:
        self._ttl = ttl_seconds
        self._codes: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, token: str) -> str:
        """A new code for ``token``."""
        code = secrets.token_urlsafe(24)
        now = time.monotonic()
        with self._lock:
            self._purge(now)
            self._codes[code] = (token, now + self._ttl)
        return code

    def redeem(self, code: str) -> str | None:
        """The token behind ``code``, once; None when unknown, used or expired."""
        now = time.monotonic()
        with self._lock:
            self._purge(now)
            entry = self._codes.pop(code or "", None)
        return entry[0] if entry else None

    def pending(self, code: str) -> bool:
        """Whether ``code`` can still be redeemed."""
        now = time.monotonic()
        with self._lock:
            entry = self._codes.get(code or "")
            return entry is not None and entry[1] > now

    def _purge(self, now: float) -> None:
        for code in [c for c, (_, expires) in self._codes.items() if expires <= now]:
            del self._codes[code]


CLAIMS = ClaimStore()


# --- reading the session ----------------------------------------------------------------------------

def _cookie(name: str) -> str | None:
    try:
        value = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no browser (AppTest, bare script)
        return None
    return value if isinstance(value, str) and value else None


def cookie_token() -> str | None:
    """The session token the browser sent in its cookie when this tab connected."""
    return _cookie(SESSION_COOKIE)


def cookie_language() -> str | None:
    """The language remembered in the browser, if any."""
    value = _cookie(LANG_COOKIE)
    return value if value in LANGS else None


def authenticated_user() -> UserView | None:
    """The signed-in person: session state's token, else the cookie's; checked against the server."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        try:
            return accounts.authenticate(database(), token=token)
        except RecdraftError:
            st.session_state.pop(TOKEN_KEY, None)
    token = cookie_token()
    if token and not st.session_state.get(CLEAR_COOKIE_KEY):
        try:
            user = accounts.authenticate(database(), token=token)
        except RecdraftError:
            return None
        st.session_state[TOKEN_KEY] = token
        return user
    return None


# --- starting and ending a session -----------------------------------------------------------------

def start_session(signed: SignedIn) -> None:
    """Use ``signed`` in this tab now, and have the browser remember it (the claim iframe)."""
    st.session_state[TOKEN_KEY] = signed.token
    st.session_state[CLAIM_KEY] = CLAIMS.issue(signed.token)
    st.session_state.pop(CLEAR_COOKIE_KEY, None)
    if signed.user.preferred_language in LANGS:
        from recdraft.ui.context import set_language

        set_language(signed.user.preferred_language)


def end_session() -> None:
    """Sign out: end the session on the server at once, then let the browser delete its cookie."""
    db = database()
    for token in {st.session_state.get(TOKEN_KEY), cookie_token()}:
        if token:
            try:
                accounts.sign_out(db, token=token)
            except RecdraftError:
                log.warning("sign-out of a session failed", exc_info=True)
    for key in (TOKEN_KEY, CLAIM_KEY):
        st.session_state.pop(key, None)
    st.session_state[CLEAR_COOKIE_KEY] = True
    if sso_configured():
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:  # noqa: BLE001 - the identity provider's session is not ours to break on
            log.warning("single sign-on logout failed", exc_info=True)


def render_cookie_frames() -> None:
    """The one-pixel frames that set or delete cookies; renders nothing when there is nothing to do."""
    code = st.session_state.get(CLAIM_KEY)
    frames: list[str] = []
    if code:
        if CLAIMS.pending(code):
            frames.append(f"/auth/claim?code={code}")
        else:
            st.session_state.pop(CLAIM_KEY, None)
    if st.session_state.get(CLEAR_COOKIE_KEY) and TOKEN_KEY not in st.session_state:
        frames.append("/auth/logout")
    lang = st.session_state.get(LANG_COOKIE_KEY)
    if lang in LANGS:
        frames.append(f"/auth/language?value={lang}")
    for src in frames:
        st.iframe(src, height=1, width=1, tab_index=-1)


def remember_language(lang: str) -> None:
    """Have the browser remember the chosen language for the next visit."""
    if lang in LANGS:
        st.session_state[LANG_COOKIE_KEY] = lang


# --- single sign-on (optional) -----------------------------------------------------------------------

def sso_configured() -> bool:
    """True when an ``[auth]`` section is in the secrets and Streamlit's OIDC support is installed."""
    try:
        configured = "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        configured = False
    return configured and importlib.util.find_spec("authlib") is not None


def sso_user() -> UserView | None:
    """Open a recdraft session for the person the identity provider signed in, matched by e-mail."""
    if not sso_configured() or st.session_state.get(SSO_FAILED_KEY):
        return None
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "")
    except Exception:  # noqa: BLE001
        return None
    from recdraft.services import sso

    try:
        signed = sso.sign_in_sso(database(), email=email)
    except NotFound:
        st.session_state[SSO_FAILED_KEY] = True
        return None
    start_session(signed)
    return signed.user
