"""Sign-in sessions in the browser: the session token, its HttpOnly cookie, sign-out, single sign-on.

Streamlit pages cannot set cookies, so the cookie is set by recdraft's own HTTP route (see
``recdraft/ui/asgi.py``) in three steps:

1. the page signs the person in (``accounts.sign_in``, throttled by account and source: the client address
   from ``client_source``) and keeps the token in session state, so this tab works at once, even if
   step 2 never happens;
2. it issues a *claim code* (``accounts.issue_claim``): random, single use, valid two minutes, stored in
   the database (so any replica can redeem it) and **bound to this browser**: to the hash of its
   pre-session cookie ``recdraft_browser``, which recdraft's middleware gives every browser with the first
   page. The page renders ``st.iframe("/auth/claim?code=<code>")``, one pixel high: no script and no
   user text, only the random code;
3. the route swaps the code for ``Set-Cookie: recdraft_session=<token>; HttpOnly; SameSite=Strict;
   Path=/`` (``Secure`` over https) — only when the request carries the same pre-session cookie. Someone
   else's code opened in this browser (a link in a comment, an e-mail) does nothing: no login CSRF. A
   reload or a new tab then sends the cookie, and every run reads it with ``st.context.cookies`` and
   checks it with ``accounts.authenticate`` — so sign-out, expiry, deactivation and role changes apply
   on the server at once.

Signing out ends the session on the server first; the page then loads ``/auth/logout?code=<code>`` with a
single-use sign-out code bound to this browser in the same way, which deletes the cookie. A bare
``/auth/logout`` link changes nothing. The chosen language is remembered in ``recdraft_lang`` (see
``recdraft/ui/language.py``; its frame is rendered here with the others).
"""

from __future__ import annotations

import importlib.util
import ipaddress
import logging

import streamlit as st

from recdraft import config
from recdraft.errors import NotFound, RecdraftError
from recdraft.i18n import LANGS
from recdraft.schemas.views import SignedIn, UserView
from recdraft.services import accounts
from recdraft.ui.language import LANG_COOKIE_KEY, set_language
from recdraft.ui.state import database

log = logging.getLogger(__name__)

SESSION_COOKIE = "recdraft_session"
BROWSER_COOKIE = "recdraft_browser"
CLAIM_SECONDS = accounts.CLAIM_SECONDS
TOKEN_KEY = "recdraft_token"
CLAIM_KEY = "recdraft_claim"
CLEAR_COOKIE_KEY = "recdraft_clear_cookie"
LOGOUT_CODE_KEY = "recdraft_logout_code"
SSO_FAILED_KEY = "recdraft_sso_failed"


# --- where a request comes from ---------------------------------------------------------------------


def _trusted(address: str | None, trusted: tuple[config.IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    return any(ip in net for net in trusted)


def resolve_source(
    peer: str | None, forwarded_for: str | None, trusted: tuple[config.IPNetwork, ...] | None = None
) -> str:
    """The client address: the peer, or — only when the peer is a trusted proxy — the nearest address in
    X-Forwarded-For that is not itself a trusted proxy (entries a client wrote further left are ignored)."""
    trusted = config.trusted_proxies() if trusted is None else trusted
    address = (peer or "").strip()
    if not _trusted(address, trusted) or not forwarded_for:
        return address[:64] or accounts.UNKNOWN_SOURCE
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:64]
    return (hops[0] if hops else address)[:64]


def forwarded_proto_is_https(peer: str | None, forwarded_proto: str | None) -> bool:
    """Whether a trusted proxy in front says the browser used https."""
    if not forwarded_proto or not _trusted(peer, config.trusted_proxies()):
        return False
    return forwarded_proto.split(",")[0].strip().lower() == "https"


def client_source() -> str:
    """This tab's client address as the app sees it (see ``resolve_source``)."""
    try:
        # Streamlit reports local connections as None; they are 127.0.0.1 (a local proxy may be trusted).
        peer = st.context.ip_address or "127.0.0.1"
        forwarded = st.context.headers.get("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no browser (AppTest, bare script)
        return accounts.UNKNOWN_SOURCE
    if not isinstance(peer, str):  # AppTest's stand-in connection
        return accounts.UNKNOWN_SOURCE
    return resolve_source(peer, forwarded if isinstance(forwarded, str) else None)


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


def browser_id() -> str | None:
    """This browser's pre-session cookie (set by recdraft's middleware with the first page), if any."""
    return _cookie(BROWSER_COOKIE)


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


def _issue(purpose: str, token: str | None = None) -> str | None:
    browser = browser_id()
    if not browser:
        return None  # cookies are off: this tab stays signed in, the browser does not remember it
    try:
        return accounts.issue_claim(database(), browser=browser, purpose=purpose, token=token)
    except RecdraftError:
        log.warning("could not issue a %s code", purpose, exc_info=True)
        return None


def start_session(signed: SignedIn) -> None:
    """Use ``signed`` in this tab now, and have this browser remember it (the claim iframe)."""
    st.session_state[TOKEN_KEY] = signed.token
    code = _issue("sign_in", signed.token)
    if code:
        st.session_state[CLAIM_KEY] = code
    else:
        st.session_state.pop(CLAIM_KEY, None)
    st.session_state.pop(CLEAR_COOKIE_KEY, None)
    st.session_state.pop(LOGOUT_CODE_KEY, None)
    if signed.user.preferred_language in LANGS:
        set_language(signed.user.preferred_language)


def end_session() -> None:
    """Sign out: end the session on the server at once, then let this browser delete its cookie."""
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
    code = _issue("sign_out")
    if code:
        st.session_state[LOGOUT_CODE_KEY] = code
    if sso_configured():
        try:
            if st.user.is_logged_in:
                st.logout()
        except Exception:  # noqa: BLE001 - the identity provider's session is not ours to break on
            log.warning("single sign-on logout failed", exc_info=True)


def render_cookie_frames() -> None:
    """The one-pixel frames that set or delete cookies; renders nothing when there is nothing to do."""
    frames: list[str] = []
    for key, route in ((CLAIM_KEY, config.app_path("/auth/claim")), (LOGOUT_CODE_KEY, config.app_path("/auth/logout"))):
        code = st.session_state.get(key)
        if not code:
            continue
        if key == LOGOUT_CODE_KEY and TOKEN_KEY in st.session_state:
            st.session_state.pop(key, None)
        elif accounts.claim_pending(database(), code=code):
            frames.append(f"{route}?code={code}")
        else:
            st.session_state.pop(key, None)
    lang = st.session_state.get(LANG_COOKIE_KEY)
    if lang in LANGS:
        frames.append(config.app_path(f"/auth/language?value={lang}"))
    for src in frames:
        st.iframe(src, height=1, width=1, tab_index=-1)


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
