"""recdraft's HTTP routes, served next to Streamlit's own by ``st.App`` (see streamlit_app.py).

``GET /auth/claim?code=C``       swaps a single-use claim code for the HttpOnly session cookie.
``GET /auth/logout``             ends the cookie's session on the server and deletes the cookie.
``GET /auth/language?value=kk``  remembers the interface language in a cookie.

They answer with an empty page because the app loads them in one-pixel iframes (no script, no user
text: see ``recdraft/ui/auth.py``). Requests another site makes (``Sec-Fetch-Site`` other than
same-origin) are refused, so no other site can sign a browser in or out.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from recdraft.i18n import LANGS
from recdraft.ui.auth import CLAIMS, LANG_COOKIE, SESSION_COOKIE

log = logging.getLogger("recdraft")

_BLANK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>recdraft</title></head><body></body></html>'
# The server decides when a session ends (sliding expiry); the cookie only has to outlive it.
COOKIE_MAX_AGE = 30 * 24 * 3600
LANG_MAX_AGE = 365 * 24 * 3600


def _same_origin(request: Request) -> bool:
    # Browsers send Sec-Fetch-Site on every request; tools without it (curl) are not a CSRF vector.
    return request.headers.get("sec-fetch-site", "same-origin") in {"same-origin", "none"}


def _secure(request: Request) -> bool:
    proto = request.headers.get("x-forwarded-proto") or request.url.scheme
    return proto.split(",")[0].strip().lower() == "https"


def _blank(status: int = 200) -> HTMLResponse:
    response = HTMLResponse(_BLANK, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


async def claim(request: Request) -> HTMLResponse:
    """Set the session cookie for the token a fresh claim code stands for (once)."""
    if not _same_origin(request):
        return _blank(403)
    token = CLAIMS.redeem(request.query_params.get("code", ""))
    if token is None:
        return _blank(410)
    response = _blank()
    response.set_cookie(SESSION_COOKIE, token, max_age=COOKIE_MAX_AGE, path="/", httponly=True,
                        samesite="strict", secure=_secure(request))
    return response


def _end_server_session(token: str) -> None:
    from recdraft.services import accounts
    from recdraft.ui.state import database

    try:
        accounts.sign_out(database(), token=token)
    except Exception:  # noqa: BLE001 - deleting the cookie below matters more
        log.warning("could not end a session at /auth/logout", exc_info=True)


async def logout(request: Request) -> HTMLResponse:
    """End the cookie's session on the server and delete the cookie."""
    if not _same_origin(request):
        return _blank(403)
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
    response.set_cookie(LANG_COOKIE, value, max_age=LANG_MAX_AGE, path="/", httponly=True, samesite="lax",
                        secure=_secure(request))
    return response


ROUTES = [
    Route("/auth/claim", claim, methods=["GET"]),
    Route("/auth/logout", logout, methods=["GET"]),
    Route("/auth/language", language, methods=["GET"]),
]


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
