"""The shipped deployment, end to end: PostgreSQL, two ``recdraft serve`` replicas, Caddy with TLS, Chromium.

A person signs in through https, reloads (still signed in), the replica that served them is stopped, they
reload again and are still signed in (on the other replica), and they download the memo from the Memo page.
"""

from __future__ import annotations

import io
import zipfile
from contextlib import ExitStack

import pytest

from tests.conftest import IN_CI, _pg_available, fresh_pg_database
from tests.deploy.harness import free_port, replica_env, run_recdraft, start_caddy, start_replica
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, open_page, sign_in, wait_idle
from tests.tools import require_tool

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(150)]

PASSWORD = "replica test password"


def _page_loads(log: str) -> int:
    return log.count('"GET / HTTP/1.1" 200')


@pytest.fixture
def postgres_url():
    problem = _pg_available()
    if problem:
        (pytest.fail if IN_CI else pytest.skip)(f"PostgreSQL is not reachable ({problem})")
    with fresh_pg_database("_deploy", schema=False) as url:
        yield url


def test_a_sign_in_survives_a_reload_and_the_loss_of_its_replica_and_the_memo_downloads(postgres_url, tmp_path):
    require_tool("caddy", package="caddy")
    require_tool("chromium", package="chromium")
    from playwright.sync_api import sync_playwright

    https_port, ports = free_port(), [free_port(), free_port()]
    public = f"https://localhost:{https_port}"
    env = replica_env(postgres_url, public)
    run_recdraft(["init-db"], env)
    run_recdraft(["demo", "--password", PASSWORD], env)  # an administrator and a roundtable with its votes

    with ExitStack() as stack:
        replicas = [start_replica(stack, f"replica-{port}", port, env, tmp_path) for port in ports]
        start_caddy(stack, https_port, ports, tmp_path)
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)
        context = browser.new_context(viewport=DESKTOP, locale="en-GB", ignore_https_errors=True, accept_downloads=True)
        context.set_default_timeout(30_000)
        page = context.new_page()

        open_page(page, public)
        assert "demo" not in page.locator('[data-testid="stMain"]').inner_text().lower(), (
            "recdraft serve must not list the demo accounts"
        )
        sign_in(page, "admin", PASSWORD)
        cookie = next(c for c in context.cookies() if c["name"] == "recdraft_session")
        assert cookie["httpOnly"] and cookie["secure"]

        page.reload()
        page.wait_for_selector(".st-key-nav_signout")
        wait_idle(page)

        loads = [_page_loads(r.log()) for r in replicas]
        served = [r for r, n in zip(replicas, loads, strict=True) if n]
        assert len(served) == 1, f"sticky sessions: every page load goes to one replica (page loads: {loads})"
        gone, other = served[0], next(r for r in replicas if r is not served[0])
        gone.stop()

        page.reload()
        page.wait_for_selector(".st-key-nav_signout")
        wait_idle(page)
        assert _page_loads(other.log()) >= 1, "the reload was answered by the replica still running"

        open_page(page, public, "memo")
        page.locator(".st-key-memo_build button").click()
        page.wait_for_selector(".st-key-memo_download_final_en_ button")
        with page.expect_download() as download_info:
            page.locator(".st-key-memo_download_final_en_ button").click()
        content = download_info.value.path().read_bytes()
        with zipfile.ZipFile(io.BytesIO(content)) as docx:
            assert "Red Crescent" in docx.read("word/document.xml").decode("utf-8")
        context.close()

        for replica in replicas:
            assert "Traceback" not in replica.log(), replica.log()[-3000:]
