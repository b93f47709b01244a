"""Benchmark: resident memory per signed-in browser session, against the same app without sign-in.

Not a test: it prints figures. In one run it starts ``recdraft serve`` replicas (each behind Caddy, the
shipped deploy/Caddyfile, https on loopback, as deployed) from the same demo database, and for each:

1. warms it (two sessions open, sign in where the variant signs in, and close: the first page run
   imports every page module, the first argon2 hash sizes the allocator);
2. reads the server process's VmRSS (idle), opens ``--sessions`` Chromium contexts (own cookies
   each) that stay connected — signed in as demo people and on the Overview page, or, for the
   baseline, left on the sign-in page — and reads VmRSS again;
3. prints idle RSS, RSS with the sessions, and the growth per session.

The variants: glibc's default malloc and ``MALLOC_ARENA_MAX=2``, each with and without sign-in.
Goal (issue 15): at most 1 MiB more per signed-in session than per session without sign-in at 20
sessions. The replicas and the browser are started and stopped in turn, paired (signed in, then not)
per allocator setting, ``--repeat`` times, and the per-session figures are printed as medians with
min–max.

    .venv/bin/python bench/memory.py [--sessions 20] [--repeat 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.harness import free_port, replica_env, run_recdraft, start_caddy, start_replica  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP  # noqa: E402

PEOPLE = ["expert1", "expert2", "expert3", "expert4", "expert5", "expert6", "moderator", "observer", "admin"]
PASSWORD = "bench password"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=60_000)


def _open(browser, url: str, person: str | None):
    ctx = browser.new_context(viewport=DESKTOP, locale="en-GB", ignore_https_errors=True)
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    page.goto(url)
    _idle(page)
    if person:
        page.wait_for_selector(".st-key-signin_username input")
        page.locator(".st-key-signin_username input").fill(person)
        page.locator(".st-key-signin_password input").fill(PASSWORD)
        page.locator(".st-key-signin_submit button").click()
        page.wait_for_selector(".st-key-nav_signout", timeout=60_000)
        _idle(page)
    return ctx


def measure(browser, url: str, pid: int, sessions: int, sign_in: bool) -> tuple[float, float]:
    """(idle RSS after warming, RSS with ``sessions`` connected sessions), MiB."""
    for i in range(2):
        _open(browser, url, PEOPLE[-1 - i] if sign_in else None).close()
    time.sleep(1.0)
    idle = rss_mib(pid)
    contexts = [_open(browser, url, PEOPLE[i % len(PEOPLE)] if sign_in else None) for i in range(sessions)]
    time.sleep(1.5)
    loaded = rss_mib(pid)
    for ctx in contexts:
        ctx.close()
    return idle, loaded


def one(work: Path, db_url: str, name: str, extra: dict[str, str], sessions: int, sign_in: bool) -> tuple[float, float]:
    """A fresh replica (and Caddy) for one measurement, stopped afterwards."""
    from playwright.sync_api import sync_playwright

    with ExitStack() as stack:
        port, https = free_port(), free_port()
        env = replica_env(db_url, f"https://localhost:{https}", **extra)
        (work / name / "caddy").mkdir(parents=True, exist_ok=True)
        server = start_replica(stack, name, port, env, work / name)
        start_caddy(stack, https, [port], work / name / "caddy")
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)
        return measure(browser, f"https://localhost:{https}", server.popen.pid, sessions, sign_in)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="connected browser sessions (default 20)")
    parser.add_argument("--repeat", type=int, default=1, help="pairs per allocator setting (default 1)")
    args = parser.parse_args()
    settings = {"default malloc": {}, "ARENA_MAX=2": {"MALLOC_ARENA_MAX": "2"}}

    with tempfile.TemporaryDirectory(prefix="recdraft-bench-memory-") as tmp:
        work = Path(tmp)
        db_url = f"sqlite:///{work / 'bench.sqlite3'}"
        env = replica_env(db_url, "https://localhost")
        run_recdraft(["init-db"], env)
        run_recdraft(["demo", "--password", PASSWORD], env)
        results: dict[tuple[str, bool], list[tuple[float, float]]] = {}
        for k in range(args.repeat):
            for label, extra in settings.items():
                order = (True, False) if k % 2 == 0 else (False, True)
                for sign_in in order:
                    name = f"{'signed' if sign_in else 'anon'}-{len(extra)}-{k}"
                    results.setdefault((label, sign_in), []).append(
                        one(work, db_url, name, extra, args.sessions, sign_in)
                    )

    def per(label: str, sign_in: bool) -> list[float]:
        return [(loaded - idle) / args.sessions for idle, loaded in results[(label, sign_in)]]

    def fmt(values: list[float]) -> str:
        return f"{statistics.median(values):6.2f} ({min(values):.2f}–{max(values):.2f})"

    print(
        f"recdraft serve behind Caddy, {args.sessions} browser sessions per measurement, "
        f"{args.repeat} pair(s) per setting; MiB, median (min–max)"
    )
    print(f"{'':24}{'idle RSS':>10}{'RSS, sessions':>15}{'per session':>22}")
    for label in settings:
        for sign_in in (False, True):
            idle = statistics.median(i for i, _ in results[(label, sign_in)])
            loaded = statistics.median(x for _, x in results[(label, sign_in)])
            what = "signed in" if sign_in else "no sign-in"
            print(f"{label[:13] + ', ' + what:24}{idle:10.1f}{loaded:15.1f}{fmt(per(label, sign_in)):>22}")
        extra = [a - b for a, b in zip(per(label, True), per(label, False), strict=True)]
        print(f"{'  extra per signed-in':24}{'':25}{fmt(extra):>22}   (goal <= 1 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
