"""Benchmark: the recommendations list page on a big roundtable, against an empty Streamlit page.

Not a test: it prints medians and ratios measured in one run (the machines are shared and noisy, so
only ratios against a baseline measured alongside mean anything).

1. AppTest: one render (``AppTest.run``) of the list page — router, sign-in check and page — on
   500 recommendations, 20,000 comments and 5,000 votes, against one render of an empty page.
   Goal: ratio ≤ 3.
2. Chromium (Debian's /usr/bin/chromium, Playwright): the first render of the list page in a new tab
   of a signed-in browser (navigation until the rows are shown and the script is idle), against the
   first render of an empty Streamlit app. Goal: ratio ≤ 1.5.

    .venv/bin/python bench/ui.py [--repeat 21] [--browser-repeat 7] [--no-browser]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from recdraft.db.engine import Database  # noqa: E402
from recdraft.services import accounts  # noqa: E402
from tests.ui.test_query_count import LIST_PAGE, PASSWORD, build_dataset  # noqa: E402

EMPTY_APP = 'import streamlit as st\n\nst.title("Empty")\n'
APP = ROOT / "streamlit_app.py"
LIGHT_PAGE = "recdraft/ui/pages/account.py"


def median_seconds(samples: list[float]) -> float:
    return statistics.median(samples)


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


def apptest_runs(url: str, empty_script: Path, repeat: int) -> dict[str, list[float]]:
    """Reruns of the list page, the account page and an empty page, interleaved so noise hits all alike."""
    apps = {"list": _signed_in_app(url, LIST_PAGE), "light": _signed_in_app(url, LIGHT_PAGE),
            "empty": AppTest.from_file(str(empty_script), default_timeout=60)}
    for at in apps.values():  # warm: the first runs import modules
        for _ in range(3):
            at.run()
    samples: dict[str, list[float]] = {name: [] for name in apps}
    for _ in range(repeat):
        for name, at in apps.items():
            start = time.perf_counter()
            at.run()
            samples[name].append(time.perf_counter() - start)
    assert len([b for b in apps["list"].button if str(b.key or "").startswith("recs_open_")]) == 20
    return samples


# ----------------------------------------------------------------------------- browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().strip() == b"ok"
    except OSError:
        return False


def start_server(script: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("streamlit")), "run", str(script), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT,
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


def browser_runs(app_url: str, empty_url: str, repeat: int) -> tuple[list[float], list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in, wait_idle

    listed, empty, light = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.goto(app_url)
        sign_in(page, "expert", PASSWORD)
        page.goto(f"{app_url}/recommendations")  # warm: the first ever run imports the pages
        page.wait_for_selector(".st-key-recs_open_1", timeout=120_000)
        page.close()
        warm = context.new_page()
        warm.goto(empty_url)
        wait_idle(warm)
        warm.close()
        for _ in range(repeat):
            for target, out in ((f"{app_url}/recommendations", listed), (empty_url, empty),
                                (f"{app_url}/account", light)):
                tab = context.new_page()
                start = time.perf_counter()
                tab.goto(target)
                if out is listed:
                    tab.wait_for_selector(".st-key-recs_open_20", timeout=120_000)
                elif out is empty:
                    tab.wait_for_selector("h1:has-text('Empty')", timeout=60_000)
                else:
                    tab.wait_for_selector(".st-key-nav_signout", timeout=60_000)
                wait_idle(tab)
                out.append(time.perf_counter() - start)
                tab.close()
        browser.close()
    return listed, empty, light


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--browser-repeat", type=int, default=7)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recdraft-bench-ui-") as tmp:
        base = Path(tmp)
        start = time.perf_counter()
        data = build_dataset(base / "big.sqlite3", recommendations=500, comments=20_000, votes=5_000)
        print(f"data: {data.recommendations} recommendations, {data.comments:,} comments, {data.votes:,} votes "
              f"(built in {time.perf_counter() - start:.1f} s)")
        empty_script = base / "empty_app.py"
        empty_script.write_text(EMPTY_APP, encoding="utf-8")

        runs = apptest_runs(data.url, empty_script, args.repeat)
        listed, light, empty = (median_seconds(runs[name]) for name in ("list", "light", "empty"))
        print(f"AppTest render, median of {args.repeat}: list page {listed * 1000:.1f} ms; empty Streamlit page "
              f"{empty * 1000:.1f} ms -> ratio {listed / empty:.2f} (goal <= 3); the app's lightest page "
              f"(same router and sign-in check, account page) {light * 1000:.1f} ms -> ratio {listed / light:.2f}")

        if args.no_browser or not Path("/usr/bin/chromium").exists():
            print("browser: skipped (no /usr/bin/chromium or --no-browser)")
            return 0
        app, app_url = start_server(APP, {"RECDRAFT_DATABASE_URL": data.url}, base / "app.log")
        blank, empty_url = start_server(empty_script, {}, base / "empty.log")
        try:
            shown, bare, plain = (median_seconds(x) for x in browser_runs(app_url, empty_url, args.browser_repeat))
        finally:
            stop_server(app)
            stop_server(blank)
        print(f"Chromium first render, median of {args.browser_repeat}: list page {shown * 1000:.0f} ms; empty "
              f"Streamlit app {bare * 1000:.0f} ms -> ratio {shown / bare:.2f} (goal <= 1.5); the app's account page "
              f"{plain * 1000:.0f} ms -> ratio {shown / plain:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
