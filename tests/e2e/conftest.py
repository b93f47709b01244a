"""The shared browser harness: a real recdraft server on a demo database, driven by Chromium.

Every test in ``tests/e2e`` is marked ``e2e``. Chromium comes from the Debian package ``chromium``
(Playwright's own browser download is never used); without it the tests skip locally and fail under ``CI=true``.

Fixtures
--------
``running_app(db_url, log_path)`` (context manager) another server, e.g. on a database a test may break.
``app_server``  (session) base URL of ``streamlit run streamlit_app.py`` on a temp SQLite database with the
                demo loaded and ``RECDRAFT_DEMO=1``.
``demo_db_url`` (session) the SQLAlchemy URL of that database (to arrange or check data from a test).
``server_log``  (session) the server's output file.
``browser``     (session) a Playwright Chromium browser.
``context``     a fresh browser context (own cookies) at desktop size 1440×900.
``page``        a page in ``context``.

Helpers (import them: ``from tests.e2e.conftest import sign_in, wait_idle, screenshot``)
--------------------------------------------------------------------------------------
``wait_idle(page)``                        the script has finished running (and the app is shown).
``sign_in(page, username, password="demo")``  fills the sign-in form, submits, waits until signed in.
``sign_out(page)``                         clicks the sidebar's sign-out button.
``screenshot(page, name)``                 full-page PNG under ``test-artifacts/screenshots/<name>.png``.
``open_page(page, base_url, url_path="")`` goes to ``base_url/url_path`` and waits until idle.
``nav_links(page)``                        the sidebar's page titles; ``go_to(page, title)`` clicks one.
``choose_option(page, key, option)``       picks an option of the selectbox with widget key ``key``.
``session_cookie(page)``                   the HttpOnly session cookie's value, or None.

Stable selectors: keyed widgets carry the CSS class ``st-key-<key>``; the sign-in form uses
``signin_username``, ``signin_password`` and ``signin_submit``, the sidebar ``nav_language`` and ``nav_signout``;
the sidebar's page links sit in ``nav_pages``.

Accessibility (issue 17, docs/accessibility.md)
-----------------------------------------------
Every page a browser test lets settle is checked with axe-core (``tests/e2e/axe``, installed by ``make test``):
``wait_idle`` runs ``axe.run`` once per distinct state (address, ``<html lang>``, headings, open dialogs and
alerts), and a test whose pages had a *serious* or *critical* finding fails when it ends, listing each one
(rule, target, HTML). Findings in Streamlit's own markup that the app cannot change are allowed by
``AXE_ALLOWED`` (each names its Streamlit issue). ``axe_findings(page)`` runs the check on demand and returns the
findings. Without the axe file the check is off locally (with a warning) and fails under ``CI=true``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.tools import require_tool

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1440, "height": 900}
STARTUP_SECONDS = 60
IDLE_TIMEOUT_MS = 30_000
SESSION_COOKIE = "recdraft_session"
NAV_MENU = ".st-key-nav_pages"  # recdraft's own sidebar menu of page links (recdraft/ui/nav.py)
AXE_JS = ROOT / "tests" / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_IMPACTS = frozenset({"serious", "critical"})
# Findings that come from Streamlit's own components and cannot be fixed in the app: (rule id, a CSS selector
# the element matches, the Streamlit issue). Keep it short, and document each in docs/accessibility.md.
AXE_ALLOWED: tuple[tuple[str, str, str], ...] = ()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


# --- accessibility: axe-core on every settled page ----------------------------------------------------------

_AXE_SEEN: set[tuple[str, ...]] = set()
_AXE_FINDINGS: list[str] = []
AXE_TIMES: list[float] = []  # seconds per axe run (one per checked state)
_AXE_STATE = """() => {
  const heads = [...document.querySelectorAll('h1, h2, h3, h4, [role="dialog"], [data-testid="stAlert"]')]
    .map(e => e.tagName + ':' + (e.innerText || '').trim().slice(0, 60));
  const controls = document.querySelectorAll('a, button, input, textarea, [role="tab"], [role="radio"]').length;
  return [location.pathname + location.search, document.documentElement.lang, heads.join('|'), String(controls)];
}"""
_AXE_SETTLED = """() => !document.querySelector('[data-stale="true"]')
  && !!document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]')"""
_AXE_RUN = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  const out = [];
  for (const v of result.violations) {
    if (!impacts.includes(v.impact)) continue;
    for (const n of v.nodes) out.push({rule: v.id, impact: v.impact, target: n.target.join(' '),
                                       html: n.html.slice(0, 300), why: n.failureSummary || '', help: v.helpUrl});
  }
  return out;
}"""


def axe_available() -> bool:
    """Whether the axe-core file is there; under ``CI=true`` its absence fails the test."""
    if AXE_JS.exists():
        return True
    message = f"axe-core is missing ({AXE_JS.relative_to(ROOT)}): run `make axe` (npm ci in tests/e2e/axe)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    warnings.warn(message + "; the accessibility checks are off", stacklevel=2)
    return False


def _allowed(page, finding: dict) -> bool:
    for rule, selector, _issue in AXE_ALLOWED:
        if finding["rule"] == rule and page.evaluate(
            "([t, s]) => { try { const e = document.querySelector(t); return !!e && !!e.closest(s); }"
            " catch (err) { return false; } }",
            [finding["target"], selector],
        ):
            return True
    return False


def axe_findings(page) -> list[dict]:
    """The serious and critical axe-core findings on ``page`` as it is now, less the allowed ones."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(_AXE_RUN, sorted(AXE_IMPACTS))
    return [f for f in found if not _allowed(page, f)]


def describe_findings(findings: list[dict], where: str) -> list[str]:
    return [f"{where}: {f['impact']} {f['rule']} at {f['target']}\n    {f['html']}\n    {f['why']}" for f in findings]


def check_a11y(page, *, force: bool = False) -> list[dict]:
    """Run axe on ``page`` unless this state was checked already; remember the findings for the test's end."""
    if not AXE_JS.exists() and not axe_available():
        return []
    try:
        state = tuple(page.evaluate(_AXE_STATE))
    except Exception:  # noqa: BLE001 - a page that is closing or navigating: its next settle is checked
        return []
    key = (page.url.split("/")[2] if "://" in page.url else "", *state)
    if key in _AXE_SEEN and not force:
        return []
    try:
        # Elements of the previous run are drawn faded until the new run replaces them: not what a person reads.
        page.wait_for_function(_AXE_SETTLED, timeout=5_000)
    except Exception:  # noqa: BLE001 - still busy: the page's next settle is checked
        return []
    started = time.monotonic()
    findings = axe_findings(page)
    AXE_TIMES.append(time.monotonic() - started)
    if not page.evaluate(_AXE_SETTLED):  # a run started while axe looked: check this state again later
        return []
    _AXE_SEEN.add(key)
    _AXE_FINDINGS.extend(describe_findings(findings, f"{state[0]} (lang={state[1]})"))
    return findings


@pytest.fixture(autouse=True)
def _a11y_of_every_page() -> Iterator[None]:
    """Fail the test (at its end) when a page it let settle had a serious or critical axe finding."""
    _AXE_FINDINGS.clear()
    yield
    found, _AXE_FINDINGS[:] = list(_AXE_FINDINGS), []
    if found:
        pytest.fail(
            f"{len(found)} serious/critical accessibility finding(s) (axe-core):\n" + "\n".join(found), pytrace=False
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


@pytest.fixture(scope="session")
def demo_db_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with the demo roundtable (accounts admin, moderator, expert1..6, observer; password demo)."""
    from recdraft.db.engine import Database
    from recdraft.db.models import Base
    from recdraft.services.demo import load_demo

    path = tmp_path_factory.mktemp("e2e-db") / "recdraft.sqlite3"
    url = f"sqlite:///{path}"
    db = Database(url)
    Base.metadata.create_all(db.engine)
    load_demo(db)
    db.dispose()
    return url


_SERVER_LOG: list[Path] = []


@contextmanager
def running_app(db_url: str, log_path: Path, *, demo: bool = True) -> Iterator[str]:
    """Run ``streamlit run streamlit_app.py`` on ``db_url`` (output to ``log_path``); yield its base URL."""
    require_tool("chromium", package="chromium")
    port = _free_port()
    env = {**os.environ, "RECDRAFT_DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1"}
    if demo:
        env["RECDRAFT_DEMO"] = "1"
    else:
        env.pop("RECDRAFT_DEMO", None)
    log = log_path.open("wb")
    streamlit = Path(sys.executable).with_name("streamlit")
    process = subprocess.Popen(
        [
            str(streamlit),
            "run",
            "streamlit_app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        while not _healthy(base_url):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"recdraft did not start:\n{log_path.read_text(errors='replace')[-4000:]}")
            time.sleep(0.3)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="session")
def app_server(demo_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start recdraft with ``streamlit run`` on a free port; yield its base URL; stop it afterwards."""
    log_path = tmp_path_factory.mktemp("e2e-server") / "streamlit.log"
    _SERVER_LOG[:] = [log_path]
    with running_app(demo_db_url, log_path) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def server_log(app_server: str) -> Path:
    """The server's combined output (to assert that an error was logged)."""
    return _SERVER_LOG[0]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Chromium from the Debian package, driven by Playwright's sync API: one per test module.

    Playwright's sync API keeps an event loop registered on the main thread while it runs. Scoped to the
    module, it is gone once a module's browser tests end, so the tests that follow (the deployment test,
    anything calling ``asyncio.run``) start on a clean thread whatever order they run in.
    """
    require_tool("chromium", package="chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


def outside_requests(ctx) -> list[str]:
    """Start recording every request the pages of ``ctx`` make to another host; return the (live) list."""
    from urllib.parse import urlsplit

    seen: list[str] = []

    def record(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"http", "https", "ws", "wss"} and parts.hostname not in LOCAL_HOSTS:
            seen.append(request.url)

    ctx.on("request", record)
    return seen


@pytest.fixture
def context(browser, app_server: str) -> Iterator[object]:
    """A fresh browser context (its own cookies), desktop size, English locale.

    The app must not make the browser talk to anybody else (no fonts, icons or scripts from a CDN): what
    the participants write, and who they are, stays between them and the School's server.
    """
    ctx = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    outside = outside_requests(ctx)
    yield ctx
    ctx.close()
    assert not outside, f"the app made the browser contact other hosts: {sorted(set(outside))}"


@pytest.fixture
def page(context) -> Iterator[object]:
    """A page in a fresh context."""
    p = context.new_page()
    yield p
    p.close()


@pytest.fixture
def base_url(app_server: str) -> str:
    return app_server


def wait_idle(page, timeout: int = IDLE_TIMEOUT_MS) -> None:
    """Wait until the app is shown and its script has finished running."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    # A rerun can start right after a run ends (st.rerun); give it a moment, then wait again.
    page.wait_for_timeout(150)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    check_a11y(page)


def open_page(page, base_url: str, url_path: str = "") -> None:
    """Open ``base_url/url_path`` and wait until the script is idle."""
    page.goto(f"{base_url.rstrip('/')}/{url_path.lstrip('/')}")
    wait_idle(page)


def session_cookie(page) -> str | None:
    """The value of recdraft's HttpOnly session cookie in the page's context, if set."""
    for cookie in page.context.cookies():
        if cookie["name"] == SESSION_COOKIE:
            return cookie["value"]
    return None


def sign_in(page, username: str, password: str = "demo", *, wait_for_cookie: bool = True) -> None:
    """Fill the sign-in form, submit it, and wait until signed in (and the session cookie is set)."""
    page.wait_for_selector(".st-key-signin_username input")
    wait_idle(page)
    page.locator(".st-key-signin_username input").fill(username)
    page.locator(".st-key-signin_password input").fill(password)
    page.locator(".st-key-signin_submit button").click()
    page.wait_for_selector(".st-key-nav_signout", timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)
    if wait_for_cookie:
        deadline = time.monotonic() + IDLE_TIMEOUT_MS / 1000
        while session_cookie(page) is None:
            if time.monotonic() > deadline:
                raise AssertionError("the session cookie was not set after signing in")
            page.wait_for_timeout(100)


def sign_out(page) -> None:
    """Click the sidebar's sign-out button and wait for the sign-in page."""
    page.locator(".st-key-nav_signout button").click()
    page.wait_for_selector(".st-key-signin_username input", timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)


def nav_links(page) -> list[str]:
    """The page titles the sidebar navigation offers, in order (without their icons)."""
    texts = page.locator(f"{NAV_MENU} a").all_inner_texts()
    return [next((line.strip() for line in reversed(t.splitlines()) if line.strip()), "") for t in texts]


def go_to(page, title: str) -> None:
    """Click the sidebar link titled ``title`` and wait until the page has run."""
    page.locator(f"{NAV_MENU} a").filter(has_text=title).first.click()
    wait_idle(page)


def choose_option(page, key: str, option: str) -> None:
    """Pick ``option`` in the selectbox with widget key ``key``."""
    page.locator(f'.st-key-{key} [role="combobox"]').click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG under test-artifacts/screenshots/ (gitignored) and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    wait_idle(page)
    page.wait_for_timeout(600)  # tables and fonts finish drawing after the script is idle
    page.screenshot(path=str(path), full_page=True)
    return path
