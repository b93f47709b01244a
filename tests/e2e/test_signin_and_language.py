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
    page.wait_for_selector('[data-testid="stSidebarNav"] a:has-text("Шолу")')
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
