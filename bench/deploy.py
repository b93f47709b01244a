"""Benchmark: one ``recdraft serve`` replica behind Caddy (the shipped deploy/Caddyfile, TLS) against a bare
Streamlit app behind the same proxy, measured in the same run. Loopback only; bounded (about a minute).

Not a test: it prints figures and ratios that docs/deploy.md's sizing is written from.

1. requests/s: GET / (the app's page) through Caddy over https, ``--clients`` threads for ``--seconds``;
2. memory per session: ``--sessions`` Chromium tabs (own cookies each) open the app and stay connected — for
   recdraft each one signs in as a demo person and shows the Overview page; for the baseline each opens
   a bare page with a sign-in form (two text fields and a button). The server process's resident memory
   (VmRSS) after the tabs, minus before, divided by the number of tabs.

    .venv/bin/python bench/deploy.py [--sessions 6] [--seconds 3] [--clients 8] [--repeat 3] [--default-malloc]

The memory figures are one pair (bare, recdraft) per run: rerun it for their spread; bench/memory.py
measures memory per signed-in session on its own, with and without sign-in, in pairs.
"""

from __future__ import annotations

import argparse
import http.client
import ssl
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.deploy.harness import (  # noqa: E402
    free_port,
    replica_env,
    run_recdraft,
    start_bare_streamlit,
    start_caddy,
    start_replica,
)
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, sign_in, wait_idle  # noqa: E402

BARE_APP = """import streamlit as st
st.title("Sign in")
st.text_input("User name", key="signin_username")
st.text_input("Password", type="password", key="signin_password")
st.button("Sign in", key="signin_submit")
"""
PEOPLE = ["expert1", "expert2", "expert3", "expert4", "expert5", "expert6", "moderator", "observer", "admin"]


def rss_mib(pid: int) -> float:
    """Resident memory of a process in MiB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def requests_per_second(port: int, seconds: float, clients: int) -> float:
    """GET / through the proxy (https, keep-alive) from ``clients`` threads for ``seconds``."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        conn = http.client.HTTPSConnection("localhost", port, context=context, timeout=10)
        while time.monotonic() < stop:
            conn.request("GET", "/")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(done) / (time.monotonic() - started)


def _open(browser, url: str, person: str | None):
    ctx = browser.new_context(viewport=DESKTOP, locale="en-GB", ignore_https_errors=True)
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    page.goto(url)
    wait_idle(page)
    if person:
        sign_in(page, person, "bench password")
    return ctx


def memory_per_session(browser, url: str, pid: int, sessions: int, recdraft: bool) -> tuple[float, float]:
    """(warmed RSS, RSS growth per further connected tab) in MiB.

    Two sessions are opened and closed first: the first page run imports the pages' modules and the first
    sign-in grows the allocator (argon2id uses 64 MiB while it hashes); neither grows with more people.
    """
    for i in range(2):
        _open(browser, url, PEOPLE[-1 - i] if recdraft else None).close()
    time.sleep(1.0)
    before = rss_mib(pid)
    contexts = [_open(browser, url, PEOPLE[i % len(PEOPLE)] if recdraft else None) for i in range(sessions)]
    time.sleep(1.5)
    after = rss_mib(pid)
    for ctx in contexts:
        ctx.close()
    return before, (after - before) / sessions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=6, help="browser tabs per measurement (default 6)")
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each requests/s run (default 3)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent HTTP clients (default 8)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved requests/s pairs (default 3)")
    parser.add_argument(
        "--default-malloc",
        action="store_true",
        help="run the replica without MALLOC_ARENA_MAX=2 (glibc's default arenas)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="recdraft-bench-deploy-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        db_url = f"sqlite:///{work / 'bench.sqlite3'}"
        ports = {"recdraft": free_port(), "bare": free_port()}
        https = {"recdraft": free_port(), "bare": free_port()}
        # As deploy/recdraft@.service runs it (MALLOC_ARENA_MAX=2), unless --default-malloc.
        extra = {} if args.default_malloc else {"MALLOC_ARENA_MAX": "2"}
        env = replica_env(db_url, f"https://localhost:{https['recdraft']}", **extra)
        run_recdraft(["init-db"], env)
        run_recdraft(["demo", "--password", "bench password"], env)
        (work / "bare").mkdir()
        script = work / "bare" / "bare_app.py"
        script.write_text(BARE_APP, encoding="utf-8")
        servers = {
            "recdraft": start_replica(stack, "recdraft", ports["recdraft"], env, work),
            "bare": start_bare_streamlit(stack, "bare", ports["bare"], script, work),
        }
        for name in servers:
            (work / name / "caddy").mkdir(parents=True, exist_ok=True)
            start_caddy(stack, https[name], [ports[name]], work / name / "caddy")
        pw = stack.enter_context(sync_playwright())
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)

        rps, idle, per = {}, {}, {}
        for name in ("bare", "recdraft"):  # warm both (first page, imports) before measuring
            requests_per_second(https[name], 0.5, 2)
        rps_pairs: list[tuple[float, float]] = []  # (recdraft, bare), the order alternating pair by pair
        for k in range(args.repeat):
            order = ("bare", "recdraft") if k % 2 == 0 else ("recdraft", "bare")
            got = {name: requests_per_second(https[name], args.seconds, args.clients) for name in order}
            rps_pairs.append((got["recdraft"], got["bare"]))
        rps = {
            "recdraft": statistics.median(r for r, _ in rps_pairs),
            "bare": statistics.median(b for _, b in rps_pairs),
        }
        for name in ("bare", "recdraft"):
            idle[name], per[name] = memory_per_session(
                browser, f"https://localhost:{https[name]}", servers[name].popen.pid, args.sessions, name == "recdraft"
            )
        # The same replica, tabs that stay on the sign-in page: what a session costs before anyone signs in.
        _, per["signin"] = memory_per_session(
            browser, f"https://localhost:{https['recdraft']}", servers["recdraft"].popen.pid, args.sessions, False
        )

    print(
        f"one replica behind Caddy (https, loopback), {args.clients} clients x {args.seconds:g} s, "
        f"{args.sessions} browser sessions each, replica malloc: "
        f"{'glibc default' if args.default_malloc else 'MALLOC_ARENA_MAX=2 (as deployed)'}"
    )
    print(f"{'':24}{'recdraft':>12}{'bare':>12}{'ratio':>8}")
    ratios = [r / b for r, b in rps_pairs]
    print(
        f"{'GET / requests/s':24}{rps['recdraft']:12.0f}{rps['bare']:12.0f}{statistics.median(ratios):8.2f}"
        f"   (medians; paired ratio min–max {min(ratios):.2f}–{max(ratios):.2f} over {len(ratios)} interleaved pairs)"
    )
    print(f"{'warmed RSS MiB':24}{idle['recdraft']:12.1f}{idle['bare']:12.1f}{idle['recdraft'] / idle['bare']:8.2f}")
    ratio = per["recdraft"] / per["bare"] if per["bare"] > 0 else float("nan")
    print(f"{'RSS MiB per session':24}{per['recdraft']:12.2f}{per['bare']:12.2f}{ratio:8.2f}")
    ratio = per["signin"] / per["bare"] if per["bare"] > 0 else float("nan")
    print(f"{'  (sign-in page only)':24}{per['signin']:12.2f}{per['bare']:12.2f}{ratio:8.2f}")
    people = 200
    replica = idle["recdraft"] + per["recdraft"] * people / 2
    print(
        f"sizing: {people} people on 2 replicas ~ {replica:.0f} MiB RSS per replica "
        f"({idle['recdraft']:.0f} warmed + {people // 2} x {per['recdraft']:.2f}), "
        f"{2 * replica / 1024:.1f} GiB for both"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
