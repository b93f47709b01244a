"""recdraft's HTTP routes and middleware, served next to Streamlit's own by ``st.App`` (streamlit_app.py).

``GET /auth/claim?code=C``       swaps a single-use claim code for the HttpOnly session cookie, only in the
                                 browser the code was issued to (its ``recdraft_browser`` pre-session cookie).
``GET /auth/logout?code=C``      deletes the session cookie, with a single-use sign-out code bound the same
                                 way; without one it changes nothing (a link in a comment signs nobody out).
``GET /auth/language?value=kk``  remembers the interface language in a cookie.

They answer with an empty page because the app loads them in one-pixel iframes (no script, no user
text: see ``recdraft/ui/auth.py``). Requests another site makes (``Sec-Fetch-Site`` other than
same-origin) are refused.

``SecurityMiddleware`` wraps everything, Streamlit's routes included:
- the WebSocket upgrade (``/_stcore/stream``) and ``/auth/*`` must come from the public origin
  (``RECDRAFT_PUBLIC_URL``; unset: the same host and port as the request) — Streamlit itself admits
  ``localhost`` and ``127.0.0.1`` on any port, so a page on another port could read a signed-in session;
- every response gets ``Content-Security-Policy: frame-ancestors 'self'``, ``X-Frame-Options:
  SAMEORIGIN``, ``Referrer-Policy: same-origin``, ``X-Content-Type-Options: nosniff``, and HSTS over https;
- a page given to a browser without one sets its ``recdraft_browser`` pre-session cookie.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from recdraft import config
from recdraft.errors import RecdraftError
from recdraft.i18n import LANGS, best_language
from recdraft.ui import a11y, mail_routes
from recdraft.ui.auth import BROWSER_COOKIE, SESSION_COOKIE, forwarded_proto_is_https
from recdraft.ui.language import LANG_COOKIE

log = logging.getLogger("recdraft")

_BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>recdraft</title></head><body></body></html>'
# The server decides when a session ends (sliding and absolute expiry); the cookie only has to outlive it.
COOKIE_MAX_AGE = 30 * 24 * 3600
LANG_MAX_AGE = 365 * 24 * 3600
BROWSER_MAX_AGE = 365 * 24 * 3600
HSTS = "max-age=31536000"
SECURITY_HEADERS = (
    ("content-security-policy", "frame-ancestors 'self'"),
    ("x-frame-options", "SAMEORIGIN"),
    ("referrer-policy", "same-origin"),
    ("x-content-type-options", "nosniff"),
)


def _same_origin(request: Request) -> bool:
    # Browsers send Sec-Fetch-Site on every request; tools without it (curl) are not a CSRF vector.
    return request.headers.get("sec-fetch-site", "same-origin") in {"same-origin", "none"}


def _peer(scope: Any) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


def is_https(scope: Any) -> bool:
    """Served over https: the request's own scheme, a trusted proxy's X-Forwarded-Proto, or an https public URL."""
    if scope.get("scheme") in {"https", "wss"}:
        return True
    if forwarded_proto_is_https(_peer(scope), Headers(scope=scope).get("x-forwarded-proto")):
        return True
    return (config.public_url() or "").startswith("https://")


def _secure(request: Request) -> bool:
    return is_https(request.scope)


def origin_allowed(origin: str | None, host: str | None) -> bool:
    """Whether a request with this Origin may use the WebSocket or /auth/*: no Origin (not a browser's
    cross-site request), or the public origin, or — with no public URL set — the request's own host:port."""
    if origin is None:
        return True
    seen = config.origin_of(origin)
    if seen is None:
        return False
    public = config.public_origin()
    if public is not None:
        return seen == public
    scheme = seen.split("://", 1)[0]
    if not host:
        return False
    return seen == config.origin_of(f"{scheme}://{host.strip()}")


def _blank(status: int = 200) -> HTMLResponse:
    response = HTMLResponse(_BLANK, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _redeem(code: str, browser: str | None, purpose: str) -> str | None:
    from recdraft.services import accounts
    from recdraft.ui.state import database

    try:
        return accounts.redeem_claim(database(), code=code, browser=browser, purpose=purpose)
    except RecdraftError:
        return None


async def claim(request: Request) -> HTMLResponse:
    """Set the session cookie for the token a fresh claim code stands for (once, in its own browser)."""
    if not _same_origin(request):
        return _blank(403)
    token = await run_in_threadpool(
        _redeem, request.query_params.get("code", ""), request.cookies.get(BROWSER_COOKIE), "sign_in"
    )
    if not token:
        return _blank(410)
    response = _blank()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    return response


def _end_server_session(token: str) -> None:
    from recdraft.services import accounts
    from recdraft.ui.state import database

    try:
        accounts.sign_out(database(), token=token)
    except Exception:  # noqa: BLE001 - deleting the cookie below matters more
        log.warning("could not end a session at /auth/logout", exc_info=True)


async def logout(request: Request) -> HTMLResponse:
    """With a sign-out code issued to this browser: end the cookie's session and delete the cookie."""
    if not _same_origin(request):
        return _blank(403)
    done = await run_in_threadpool(
        _redeem, request.query_params.get("code", ""), request.cookies.get(BROWSER_COOKIE), "sign_out"
    )
    if done is None:
        return _blank(410)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(_end_server_session, token)
    response = _blank()
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


async def language(request: Request) -> HTMLResponse:
    """Remember the interface language (not a secret: readable, but only kk, ru or en)."""
    if not _same_origin(request):
        return _blank(403)
    value = request.query_params.get("value", "")
    if value not in LANGS:
        return _blank(400)
    response = _blank()
    response.set_cookie(
        LANG_COOKIE, value, max_age=LANG_MAX_AGE, path="/", httponly=True, samesite="lax", secure=_secure(request)
    )
    return response


# Under RECDRAFT_BASE_PATH (Streamlit's server.baseUrlPath) the routes move with the app: /recdraft/auth/claim.
ROUTES = [
    Route(config.app_path("/auth/claim"), claim, methods=["GET"]),
    Route(config.app_path("/auth/logout"), logout, methods=["GET"]),
    Route(config.app_path("/auth/language"), language, methods=["GET"]),
    Route(config.app_path("/mail/unsubscribe"), mail_routes.unsubscribe, methods=["GET", "POST"]),
]


def _guarded(path: str) -> bool:
    return path.endswith("/_stcore/stream") or "/auth/" in path


class SecurityMiddleware:
    """Origin checks, security headers and the pre-session cookie (pure ASGI: sees WebSockets too)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if _guarded(scope.get("path", "")) and not origin_allowed(headers.get("origin"), headers.get("host")):
            log.warning(
                "refused a %s request to %s from origin %r", scope["type"], scope.get("path"), headers.get("origin")
            )
            if scope["type"] == "websocket":
                await receive()  # websocket.connect
                await send({"type": "websocket.close", "code": 1008})
            else:
                response = _blank(403)
                await response(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return
        https = is_https(scope)
        needs_browser_id = not HTTPConnection(scope).cookies.get(BROWSER_COOKIE)
        page_lang = _document_language(scope)
        if page_lang is not None:
            # Streamlit's index.html, served whole and uncompressed so that its <html lang> can be set (a11y.py):
            # no gzip, and no "304 Not Modified" that would keep the page of another language from the cache.
            scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k.lower() not in _REWRITE_DROPS]}
        held: list[Any] = []

        async def send_with_headers(message: Any) -> None:
            if page_lang is not None and (held or message["type"] == "http.response.start"):
                if message["type"] == "http.response.start":
                    raw = Headers(raw=list(message.get("headers", [])))
                    if not raw.get("content-type", "").startswith("text/html") or raw.get("content-encoding"):
                        await _send_page(message)
                        return
                held.append(message)
                if message["type"] == "http.response.body" and not message.get("more_body", False):
                    start, *bodies = held
                    body = a11y.rewrite_index(b"".join(m.get("body", b"") for m in bodies), page_lang)
                    headers = [
                        (k, v)
                        for k, v in start.get("headers", [])
                        if k.lower() not in {b"content-length", b"etag", b"last-modified"}
                    ]
                    headers.append((b"content-length", str(len(body)).encode()))
                    await _send_page({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": body, "more_body": False})
                return
            await _send_page(message)

        async def _send_page(message: Any) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                extra = list(SECURITY_HEADERS) + ([("strict-transport-security", HSTS)] if https else [])
                for name, value in extra:
                    if name.encode() not in present:
                        raw.append((name.encode(), value.encode()))
                content_type = Headers(raw=raw).get("content-type", "")
                if needs_browser_id and content_type.startswith("text/html"):
                    raw.append((b"set-cookie", _browser_cookie(https).encode("latin-1")))
                message = {**message, "headers": raw}
            await send(message)

        await self.app(scope, receive, send_with_headers)


_REWRITE_DROPS = frozenset({b"accept-encoding", b"if-none-match", b"if-modified-since"})
_NOT_DOCUMENTS = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/", "/auth/", "/-/")


def _document_language(scope: Any) -> str | None:
    """For a browser asking for a page (GET, text/html): the language to write into ``<html lang>``."""
    if scope.get("method") != "GET":
        return None
    path = scope.get("path", "")
    if any(part in path for part in _NOT_DOCUMENTS) or path.rsplit("/", 1)[-1].count("."):
        return None
    headers = Headers(scope=scope)
    if "text/html" not in headers.get("accept", ""):
        return None
    chosen = HTTPConnection(scope).cookies.get(LANG_COOKIE)
    if chosen in LANGS:
        return chosen
    first = headers.get("accept-language", "").split(",")[0].split(";")[0].strip()
    return best_language(first or None)


def _browser_cookie(secure: bool) -> str:
    value = secrets.token_urlsafe(24)
    # Lax, not Strict: arriving from a link must not replace the browser's id (it is no credential).
    cookie = f"{BROWSER_COOKIE}={value}; Max-Age={BROWSER_MAX_AGE}; Path=/; HttpOnly; SameSite=Lax"
    return cookie + ("; Secure" if secure else "")


def on_script_error(exc: Exception) -> bool | None:
    """Log an unexpected error with its traceback; the page shows a short apology, never the trace."""
    log.error("unexpected error in a page run", exc_info=exc)
    try:
        import streamlit as st

        from recdraft.ui.context import tr

        st.error(tr("error.unexpected"))
        return True
    except Exception:  # noqa: BLE001 - fall back to Streamlit's own message (no details: config.toml)
        return None


def configure_logging() -> None:
    """Send recdraft's log records (errors with tracebacks) to the server's standard error, once."""
    if not log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False
