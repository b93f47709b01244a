"""Benchmark: the recommendations list page on a big roundtable, against an empty page.

Not a test: it prints medians and ratios measured in one run (the machines are shared and noisy, so
only ratios against a baseline measured alongside mean anything).

1. AppTest: one render (``AppTest.run``) of the list page — router, sign-in check, sidebar and page —
   on 500 recommendations, 20,000 comments and 5,000 votes, against one render of an empty page of
   the same app (the same router, sign-in check and sidebar around a page with one heading).
   Goal: ratio ≤ 3. For reading the figure it also prints the list page against a bare one-line
   Streamlit script, and the same elements the list page draws (heading, filters, a page of rows, pager)
   drawn from constants with no database and no router: that is Streamlit's own cost of those
   elements, the floor for any list page built from them.
2. Chromium (Debian's /usr/bin/chromium, Playwright): the first render of the list page in a new tab
   of a signed-in browser (navigation until the rows are shown and the script is idle), against the
   first render of an empty Streamlit app. Goal: ratio ≤ 1.5. For reading it, it also prints the
   empty app opened at a page address instead of its root (Streamlit's own cost of a page address),
   and a static app that draws the same sidebar and list elements from constants, opened at the same
   address: Streamlit's own cost of what the page shows, the floor for any page that shows it.

    .venv/bin/python bench/ui.py [--repeat 21] [--browser-repeat 15] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from recdraft.db.engine import Database  # noqa: E402
from recdraft.services import accounts  # noqa: E402
from recdraft.ui import nav  # noqa: E402
from recdraft.ui.screens.recommendations.list import PAGE_SIZE  # noqa: E402
from tests.e2e.conftest import _free_port, _healthy  # noqa: E402
from tests.ui.test_query_count import LIST_PAGE, PASSWORD, build_dataset  # noqa: E402

EMPTY_APP = 'import streamlit as st\n\nst.title("Empty")\n'
APP = ROOT / "streamlit_app.py"
LIGHT_PAGE = "recdraft/ui/pages/account.py"

# The list page's elements drawn from constants: heading and "new" button, four filters, the count,
# one page of bordered rows (one Markdown block and one button each) and the pager.
STATIC_LIST = r"""
import streamlit as st

head, action = st.columns([5, 1.3], vertical_alignment="bottom")
head.title("Recommendations")
action.button("New recommendation", key="new", type="primary", icon=":material/add:", width="stretch")
search, topic, status, language = st.columns([3, 2, 1.4, 1.4])
search.text_input("Search", key="search")
topic.selectbox("Topic", ["", "Emblem", "Volunteers"], key="topic")
status.selectbox("Status", ["", "draft", "adopted"], key="status")
language.selectbox("Language", ["", "kk", "ru", "en"], key="language")
st.caption("1-ROWS of 500")
for i in range(1, ROWS + 1):
    with st.container(border=True, key=f"row_{i}", horizontal=True, vertical_alignment="center", gap="medium"):
        st.markdown(f"**{i}\\. Recommendation {i}: strengthen the legal basis of the National Society** "
                    ":blue-badge[Draft] :gray-badge[Normal]  \n:gray[Emblem · Expert One · updated 6 February "
                    "2025 · EN RU]", width="stretch")
        st.button("Open", key=f"open_{i}")
with st.container(horizontal=True, horizontal_alignment="center", vertical_alignment="center"):
    st.button("Previous", key="prev", icon=":material/chevron_left:", disabled=True, type="tertiary")
    st.selectbox("Page", list(range(1, 26)), key="page", label_visibility="collapsed", width=180)
    st.button("Next", key="next", icon=":material/chevron_right:", icon_position="right", type="tertiary")
    st.selectbox("Rows per page", [10, 25, 50], key="size", label_visibility="collapsed", width=150)
""".replace("ROWS", str(PAGE_SIZE))


# A static app around STATIC_LIST (saved as static_list.py beside it): the app's sidebar — per-role
# navigation in sections with icons, who is signed in, sign-out, language — and no database.
STATIC_APP = r"""
import streamlit as st

st.set_page_config(page_title="static", layout="wide", initial_sidebar_state="expanded")


def other():
    st.title("Other")


pages = {"Work": [st.Page(other, title="Overview", icon=":material/home:", url_path="overview", default=True),
                  st.Page("static_list.py", title="Recommendations", icon=":material/description:",
                          url_path="recommendations"),
                  st.Page(other, title="Draft", icon=":material/edit_note:", url_path="draft"),
                  st.Page(other, title="Vote", icon=":material/how_to_vote:", url_path="vote"),
                  st.Page(other, title="Results", icon=":material/bar_chart:", url_path="results")],
         "Personal": [st.Page(other, title="Account", icon=":material/person:", url_path="account")]}
nav = st.navigation(pages, position="sidebar")
box = st.sidebar.container(key="nav_user")
box.caption("Signed in as")
box.text("Expert One")
box.caption("Expert")
box.button("Sign out", key="nav_signout", icon=":material/logout:", width="stretch")
st.sidebar.selectbox("Language", ["kk", "ru", "en"], index=2, key="nav_language")
nav.run()
"""

# An empty app with a second page, to open an empty page at an address other than the root.
EMPTY_PAGES_APP = r"""
import streamlit as st


def empty():
    st.title("Empty")


st.navigation([st.Page(empty, title="Home", url_path="home", default=True),
               st.Page(empty, title="Second", url_path="second")], position="hidden").run()
"""


@dataclass(frozen=True)
class _EmptyPage(nav.PageSpec):
    """An empty page registered in the app's own navigation (the AppTest baseline)."""

    file: Path = Path()

    @property
    def path(self) -> Path:
        return self.file

    @property
    def title_key(self) -> str:
        return "nav.account"


def register_empty_page(base: Path) -> Path:
    """Write a one-heading page and add it to the app's pages (in this process: AppTest runs here)."""
    page = base / "empty_page.py"
    page.write_text(EMPTY_APP, encoding="utf-8")
    nav.PAGES = (
        *nav.PAGES,
        _EmptyPage(
            "bench_empty",
            "personal",
            ":material/crop_square:",
            lambda role, rt: True,
            needs_roundtable=False,
            file=page,
        ),
    )
    return page


def median_seconds(samples: list[float]) -> float:
    return statistics.median(samples)


def paired(ours: list[float], baseline: list[float]) -> str:
    """The per-pair ratios of two interleaved sample lists: median (min–max)."""
    ratios = [a / b for a, b in zip(ours, baseline, strict=True)]
    return (
        f"paired ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) over {len(ratios)} pairs"
    )


def _signed_in_app(url: str, page: str) -> AppTest:
    import streamlit as st

    os.environ["RECDRAFT_DATABASE_URL"] = url
    st.cache_resource.clear()
    db = Database(url)
    token = accounts.sign_in(db, username="expert", password=PASSWORD).token
    db.dispose()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["recdraft_lang"] = "en"
    at.session_state["recdraft_token"] = token
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def apptest_runs(url: str, base: Path, repeat: int) -> dict[str, list[float]]:
    """Reruns of each script, interleaved so that noise hits all alike."""
    empty_page = register_empty_page(base)
    bare, static = base / "empty_app.py", base / "static_list.py"
    bare.write_text(EMPTY_APP, encoding="utf-8")
    static.write_text(STATIC_LIST, encoding="utf-8")
    apps = {
        "list": _signed_in_app(url, LIST_PAGE),
        "empty page": _signed_in_app(url, str(empty_page)),
        "light": _signed_in_app(url, LIGHT_PAGE),
        "bare": AppTest.from_file(str(bare), default_timeout=60),
        "static": AppTest.from_file(str(static), default_timeout=60),
    }
    for at in apps.values():  # warm: the first runs import modules
        for _ in range(3):
            at.run()
    for name, at in apps.items():
        assert not at.exception, (name, [e.value for e in at.exception])
    assert [h.value for h in apps["empty page"].title] == ["Empty"], "the empty page did not open"
    samples: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(repeat):
        for name, at in apps.items():
            start = time.perf_counter()
            at.run()
            samples[name].append(time.perf_counter() - start)
    assert len([b for b in apps["list"].button if str(b.key or "").startswith("recs_open_")]) == PAGE_SIZE
    return samples


# ----------------------------------------------------------------------------- browser


def start_server(script: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("streamlit")),
            "run",
            str(script),
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
        env={**os.environ, **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while not _healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{script.name} did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _first_render(context, url: str, shown: str) -> float:
    """Seconds from opening ``url`` in a new tab until ``shown`` is on screen and the script is idle.

    No fixed pause is added (a pause the same for both would flatter the ratio).
    """
    tab = context.new_page()
    start = time.perf_counter()
    tab.goto(url)
    tab.wait_for_selector(shown, timeout=120_000)
    tab.wait_for_selector(IDLE, timeout=120_000)
    elapsed = time.perf_counter() - start
    tab.close()
    return elapsed


def browser_runs(urls: dict[str, str], repeat: int) -> dict[str, list[float]]:
    """First renders of the list page, the empty app at its root and at a page address, and the static app."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in

    empty = "h1:has-text('Empty')"
    targets = {
        "list": (f"{urls['app']}/recommendations", f".st-key-recs_open_{PAGE_SIZE}"),
        "empty": (urls["empty"], empty),
        "empty page": (f"{urls['pages']}/second", empty),
        "static": (f"{urls['static']}/recommendations", f".st-key-open_{PAGE_SIZE}"),
    }
    samples: dict[str, list[float]] = {name: [] for name in targets}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.goto(urls["app"])
        sign_in(page, "expert", PASSWORD)
        page.close()
        for url, shown in targets.values():  # warm: the first ever run imports the pages, the browser caches
            _first_render(context, url, shown)
        for _ in range(repeat):
            for name, (url, shown) in targets.items():
                samples[name].append(_first_render(context, url, shown))
        browser.close()
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--browser-repeat", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recdraft-bench-ui-") as tmp:
        base = Path(tmp)
        start = time.perf_counter()
        data = build_dataset(base / "big.sqlite3", recommendations=500, comments=20_000, votes=5_000)
        print(
            f"data: {data.recommendations} recommendations, {data.comments:,} comments, {data.votes:,} votes "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        runs = apptest_runs(data.url, base, args.repeat)
        listed, empty, light, bare, static = (
            median_seconds(runs[name]) for name in ("list", "empty page", "light", "bare", "static")
        )
        print(
            f"AppTest render, median of {args.repeat}: list page {listed * 1000:.1f} ms; empty page of the app "
            f"(same router, sign-in check and sidebar) {empty * 1000:.1f} ms -> ratio {listed / empty:.2f} "
            f"(goal <= 3); {paired(runs['list'], runs['empty page'])}"
        )
        print(
            f"  for reading it: the account page {light * 1000:.1f} ms (list/account {listed / light:.2f}); a bare "
            f"one-line Streamlit script {bare * 1000:.1f} ms (list/bare {listed / bare:.2f}); the list page's "
            f"elements from constants, no database, no router {static * 1000:.1f} ms (static/bare "
            f"{static / bare:.2f}: Streamlit's own cost of those elements)"
        )

        if args.no_browser or not Path("/usr/bin/chromium").exists():
            print("browser: skipped (no /usr/bin/chromium or --no-browser)")
            return 0
        (base / "static_app.py").write_text(STATIC_APP, encoding="utf-8")
        (base / "empty_pages_app.py").write_text(EMPTY_PAGES_APP, encoding="utf-8")
        servers, urls = [], {}
        try:
            for name, script, env in (
                ("app", APP, {"RECDRAFT_DATABASE_URL": data.url}),
                ("empty", base / "empty_app.py", {}),
                ("pages", base / "empty_pages_app.py", {}),
                ("static", base / "static_app.py", {}),
            ):
                process, urls[name] = start_server(script, env, base / f"{name}.log")
                servers.append(process)
            runs = browser_runs(urls, args.browser_repeat)
        finally:
            for process in servers:
                stop_server(process)
        shown, bare, deep, static = (median_seconds(runs[name]) for name in ("list", "empty", "empty page", "static"))
        print(
            f"Chromium first render, median of {args.browser_repeat}: list page {shown * 1000:.0f} ms; empty "
            f"Streamlit app {bare * 1000:.0f} ms -> ratio {shown / bare:.2f} (goal <= 1.5); "
            f"{paired(runs['list'], runs['empty'])}"
        )
        print(
            f"  for reading it: the empty app opened at a page address (/second) {deep * 1000:.0f} ms ({deep / bare:.2f}: "
            f"Streamlit's browser code first looks for the server under the page's path, fails, and retries at "
            f"the root 100 ms later); the same sidebar and list elements drawn from constants by a static app, "
            f"opened at /recommendations, {static * 1000:.0f} ms (static/empty {static / bare:.2f}: Streamlit's "
            f"own cost of those elements; list/static {shown / static:.2f})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
