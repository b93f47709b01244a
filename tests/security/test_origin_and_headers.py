"""recdraft's own middleware (items 4, 6, 7): the WebSocket and /auth/* only from the public origin,
security headers on every response, HSTS and Secure cookies over https, no call to checkip.amazonaws.com."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

import pytest

from recdraft.ui import asgi, auth

ROOT = Path(__file__).resolve().parents[2]


def _run(coroutine):
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class Inner:
    """Stands in for Streamlit: records what reached it, answers with a page of ``content_type``."""

    def __init__(self, content_type: str = "text/html") -> None:
        self.reached: list[str] = []
        self.content_type = content_type

    async def __call__(self, scope, receive, send) -> None:
        self.reached.append(scope["path"])
        if scope["type"] == "websocket":
            await receive()
            await send({"type": "websocket.accept"})
            return
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", self.content_type.encode())]}
        )
        await send({"type": "http.response.body", "body": b"<html></html>"})


def _call(
    path: str,
    headers: dict[str, str],
    *,
    kind: str = "http",
    scheme: str = "http",
    client: str = "198.51.100.7",
    inner: Inner | None = None,
) -> tuple[Inner, list[dict]]:
    inner = inner or Inner()
    app = asgi.SecurityMiddleware(inner)
    sent: list[dict] = []
    scope = {
        "type": kind,
        "path": path,
        "scheme": scheme if kind == "http" else scheme.replace("http", "ws"),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "query_string": b"",
        "client": (client, 50000),
        "server": ("127.0.0.1", 8621),
        "root_path": "",
        "method": "GET",
    }
    messages = [{"type": "websocket.connect"}] if kind == "websocket" else [{"type": "http.request", "body": b""}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    _run(app(scope, receive, send))
    return inner, sent


def _headers(sent: list[dict]) -> dict[str, list[str]]:
    start = next(m for m in sent if m["type"] == "http.response.start")
    out: dict[str, list[str]] = {}
    for k, v in start["headers"]:
        out.setdefault(k.decode().lower(), []).append(v.decode())
    return out


HOST = {"Host": "127.0.0.1:8621"}


def test_a_page_on_another_port_cannot_open_the_websocket():
    """The probe read a signed-in session from ws://127.0.0.1:8621 with a page served on :8622."""
    inner, sent = _call("/_stcore/stream", {**HOST, "Origin": "http://127.0.0.1:8622"}, kind="websocket")
    assert inner.reached == [] and sent == [{"type": "websocket.close", "code": 1008}]
    for origin in ("http://localhost:8621", "null", "http://evil.example"):
        inner, _ = _call("/_stcore/stream", {**HOST, "Origin": origin}, kind="websocket")
        assert inner.reached == [], origin


def test_the_apps_own_page_opens_the_websocket():
    inner, sent = _call("/_stcore/stream", {**HOST, "Origin": "http://127.0.0.1:8621"}, kind="websocket")
    assert inner.reached == ["/_stcore/stream"] and sent == [{"type": "websocket.accept"}]


def test_with_a_public_url_only_that_origin_is_admitted(monkeypatch):
    monkeypatch.setenv("RECDRAFT_PUBLIC_URL", "https://recdraft.school.kz/")
    proxied = {"Host": "127.0.0.1:8621"}
    inner, _ = _call("/_stcore/stream", {**proxied, "Origin": "https://recdraft.school.kz"}, kind="websocket")
    assert inner.reached == ["/_stcore/stream"]
    for origin in ("http://recdraft.school.kz", "https://recdraft.school.kz:8443", "http://127.0.0.1:8621"):
        inner, _ = _call("/_stcore/stream", {**proxied, "Origin": origin}, kind="websocket")
        assert inner.reached == [], origin


def test_auth_routes_refuse_a_foreign_origin():
    inner, sent = _call("/auth/claim", {**HOST, "Origin": "http://127.0.0.1:8622"})
    assert inner.reached == [] and sent[0]["status"] == 403


def test_every_response_forbids_framing_by_other_sites_and_sets_the_other_headers():
    _, sent = _call("/", HOST)
    headers = _headers(sent)
    assert headers["content-security-policy"] == ["frame-ancestors 'self'"]
    assert headers["x-frame-options"] == ["SAMEORIGIN"]
    assert headers["referrer-policy"] == ["same-origin"]
    assert headers["x-content-type-options"] == ["nosniff"]
    assert "strict-transport-security" not in headers, "no HSTS over plain http"


def test_over_https_responses_carry_hsts_and_the_pre_session_cookie_is_secure(monkeypatch):
    _, sent = _call("/", HOST, scheme="https")
    headers = _headers(sent)
    assert headers["strict-transport-security"] == ["max-age=31536000"]
    assert "Secure" in headers["set-cookie"][0]
    # A client cannot claim https itself; a trusted proxy can.
    _, sent = _call("/", {**HOST, "X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in _headers(sent)
    monkeypatch.setenv("RECDRAFT_TRUSTED_PROXIES", "127.0.0.1")
    _, sent = _call("/", {**HOST, "X-Forwarded-Proto": "https"}, client="127.0.0.1")
    assert "strict-transport-security" in _headers(sent)


def test_a_browser_without_an_id_gets_one_with_the_page_and_keeps_it():
    _, sent = _call("/", HOST)
    cookie = _headers(sent)["set-cookie"][0]
    assert cookie.startswith(f"{auth.BROWSER_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    _, sent = _call("/", {**HOST, "Cookie": f"{auth.BROWSER_COOKIE}=known"})
    assert "set-cookie" not in _headers(sent)
    _, sent = _call("/static/app.js", HOST, inner=Inner("application/javascript"))
    assert "set-cookie" not in _headers(sent)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", None, "", "198.51.100.7"),
        ("198.51.100.7", "203.0.113.1", "", "198.51.100.7"),  # not a proxy: the header is ignored
        ("127.0.0.1", "203.0.113.1", "127.0.0.1", "203.0.113.1"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.1", "127.0.0.1", "203.0.113.1"),  # a client's own entry is skipped
        ("10.0.0.2", "203.0.113.1, 10.0.0.1", "10.0.0.0/8", "203.0.113.1"),
        (None, None, "", "unknown"),
    ],
)
def test_the_client_address_honours_x_forwarded_for_only_from_a_trusted_proxy(
    monkeypatch, peer, forwarded, trusted, expected
):
    monkeypatch.setenv("RECDRAFT_TRUSTED_PROXIES", trusted)
    assert auth.resolve_source(peer, forwarded) == expected


@pytest.mark.parametrize(
    ("name", "value"), [("RECDRAFT_TRUSTED_PROXIES", "my-proxy"), ("RECDRAFT_PUBLIC_URL", "recdraft.school.kz")]
)
def test_bad_address_settings_are_clear_messages(monkeypatch, name, value):
    from recdraft import config

    monkeypatch.setenv(name, value)
    with pytest.raises(config.ConfigError, match=name):
        config.trusted_proxies() if name.endswith("PROXIES") else config.public_origin()


def test_the_shipped_config_stops_streamlits_external_ip_lookup(monkeypatch):
    """Headless Streamlit asks checkip.amazonaws.com for its address unless browser.serverAddress is set."""
    from streamlit import config as st_config
    from streamlit import net_util
    from streamlit.web import bootstrap

    calls: list[str] = []
    monkeypatch.setattr(net_util, "get_external_ip", lambda: calls.append("checkip") or None)
    monkeypatch.setattr(st_config, "_main_script_path", str(ROOT / "streamlit_app.py"))
    monkeypatch.chdir(ROOT)
    st_config.get_config_options(force_reparse=True)
    try:
        assert st_config.is_manually_set("browser.serverAddress")
        st_config.set_option("server.headless", True, "test")
        bootstrap._print_url(False)
    finally:
        st_config.get_config_options(force_reparse=True)
    assert calls == []


def test_streamlit_serves_the_app_behind_recdrafts_middleware():
    from streamlit.web.server.app_discovery import discover_asgi_app

    result = discover_asgi_app(ROOT / "streamlit_app.py")
    assert result.is_asgi_app
    import streamlit_app

    assert [m.cls for m in streamlit_app.app._user_middleware] == [asgi.SecurityMiddleware]
