"""Benchmark: live mode with a room of phones — how soon the projector shows a vote, and what the phones cost.

Not a test: it prints figures. In one run it starts recdraft (``streamlit run``, as ``make run`` does) on
a demo database with ``--phones`` extra experts and a recommendation in discussion, and then:

1. **idle**: the server, warmed by one presenter and one phone session, with nobody connected — its RSS
   and CPU share over ``--window`` seconds;
2. **a room**: a projector (1920×1080, the presenter's page with a live vote open) and ``--phones``
   phones (360×780, signed in and following the meeting) — RSS and CPU again, as ratios against idle;
3. **cast → projector**: ``--casts`` votes cast through the service (as a phone's tap does), each time
   measuring the seconds until the projector's count shows it, as median (min–max) and as a ratio
   against the projector's refresh interval (a polling screen's floor: the wait is between 0 and one
   interval, half of it on average).

Issue 19's goal: the projector updates within 2 seconds of a vote.

    .venv/bin/python bench/live.py [--phones 60] [--casts 10] [--window 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recdraft.db.engine import Database  # noqa: E402
from recdraft.db.models import Base  # noqa: E402
from recdraft.services import accounts, live, recommendations, roundtables, voting  # noqa: E402
from recdraft.services._base import SYSTEM  # noqa: E402
from recdraft.services.demo import load_demo  # noqa: E402
from recdraft.ui.screens.presenter import REFRESH_SECONDS  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PASSWORD = "bench-phone-pass"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CLOCK_TICKS = 100  # os.sysconf("SC_CLK_TCK") on Linux


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_share(pid: int, window: float) -> float:
    """The share of one core the process used over ``window`` seconds."""
    before, start = cpu_seconds(pid), time.monotonic()
    time.sleep(window)
    return (cpu_seconds(pid) - before) / (time.monotonic() - start)


def _idle(page) -> None:
    page.wait_for_selector(IDLE, timeout=120_000)
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=120_000)


def _signed_in(browser, url: str, path: str, username: str, password: str, viewport: dict):
    ctx = browser.new_context(viewport=viewport, locale="ru-RU")
    ctx.set_default_timeout(120_000)
    page = ctx.new_page()
    page.goto(f"{url}/{path}")
    _idle(page)
    page.locator(".st-key-signin_username input").fill(username)
    page.locator(".st-key-signin_password input").fill(password)
    page.locator(".st-key-signin_submit button").click()
    page.wait_for_selector(".st-key-nav_signout")
    page.goto(f"{url}/{path}")
    _idle(page)
    return ctx, page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=60)
    parser.add_argument("--casts", type=int, default=10)
    parser.add_argument("--window", type=float, default=10.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import running_app

    with tempfile.TemporaryDirectory(prefix="recdraft-bench-live-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        db = Database(url)
        Base.metadata.create_all(db.engine)
        load_demo(db, password=PASSWORD)
        people = []
        for n in range(1, max(args.phones, args.casts) + 1):
            uid = accounts.create_user(
                db, actor_id=SYSTEM, username=f"phone{n:03d}", display_name=f"Phone {n}", password=PASSWORD
            ).id
            roundtables.set_membership(
                db,
                actor_id=SYSTEM,
                roundtable_id=1,
                user_id=uid,
                role="expert",
                organisation="Bench",
                consent_named=True,
            )
            people.append(uid)
        moderator = accounts.find_user(db, username="moderator").id
        rec = recommendations.create_recommendation(
            db, actor_id=people[0], roundtable_id=1, content={"en": {"title": "A bench item", "text": "Text."}}
        )
        recommendations.set_status(db, actor_id=moderator, recommendation_id=rec.id, status="discussion")
        meeting = live.start(db, actor_id=moderator, roundtable_id=1, language="en")
        live.show(db, actor_id=moderator, live_id=meeting.id, recommendation_id=rec.id)
        live.open_vote(db, actor_id=moderator, live_id=meeting.id)
        round_id = live.state(db, actor_id=moderator, live_id=meeting.id).round.id

        import contextlib
        import io

        sink = io.StringIO()
        with (
            contextlib.redirect_stdout(sink),
            running_app(url, folder / "streamlit.log") as base,
            sync_playwright() as pw,
        ):
            pid = _server_pid(base)
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            # Warm up as a real server is warm: the first sessions import every page module and size the
            # allocator; idle is the server after that, with nobody connected.
            for path, who in (("presenter", "moderator"), (f"live?code={meeting.code}", "phone001")):
                ctx, _page = _signed_in(browser, base, path, who, PASSWORD, {"width": 360, "height": 780})
                ctx.close()
            time.sleep(3)
            idle_rss, idle_cpu = rss_mib(pid), cpu_share(pid, args.window)
            proj_ctx, projector = _signed_in(
                browser, base, "presenter", "moderator", PASSWORD, {"width": 1920, "height": 1080}
            )
            phones = [
                _signed_in(
                    browser, base, f"live?code={meeting.code}", f"phone{n:03d}", PASSWORD, {"width": 360, "height": 780}
                )
                for n in range(1, args.phones + 1)
            ]
            time.sleep(3)
            room_rss, room_cpu = rss_mib(pid), cpu_share(pid, args.window)
            delays = []
            for k in range(args.casts):
                voting.cast_vote(db, actor_id=people[k], round_id=round_id, recommendation_id=rec.id, choice="agree")
                start = time.monotonic()
                wanted = f"{k + 1} of "
                while wanted not in projector.locator(".st-key-projector_count").inner_text():
                    projector.wait_for_timeout(20)
                delays.append(time.monotonic() - start)
            for ctx, _page in phones:
                ctx.close()
            proj_ctx.close()
            browser.close()

    def spread(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"

    print(f"live mode, {args.phones} phones + 1 projector, SQLite, one streamlit process")
    print(
        f"  server RSS      idle {idle_rss:7.1f} MiB   room {room_rss:7.1f} MiB   ratio {room_rss / idle_rss:5.2f}"
        f"   (+{(room_rss - idle_rss) / max(args.phones, 1):.2f} MiB per phone)"
    )
    print(
        f"  server CPU      idle {idle_cpu:7.1%} of a core   room {room_cpu:7.1%} of a core"
        f"   ratio {room_cpu / max(idle_cpu, 0.001):6.1f}"
    )
    print(
        f"  cast → projector  {spread(delays)} over {args.casts} votes; "
        f"median / refresh interval ({REFRESH_SECONDS:.1f} s) = {statistics.median(delays) / REFRESH_SECONDS:.2f}"
        f"; goal ≤ 2 s: {'met' if max(delays) <= 2 else 'NOT met'}"
    )
    return 0


def _server_pid(base_url: str) -> int:
    """The pid of the streamlit process listening on ``base_url``'s port."""
    port = int(base_url.rsplit(":", 1)[1])
    inode_hex = f"{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            parts = line.split()
            if parts[1].endswith(f":{inode_hex}") and parts[3] == "0A":
                inodes.add(parts[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = str(fd.readlink())
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    raise RuntimeError(f"no process listens on port {port}")


if __name__ == "__main__":
    raise SystemExit(main())
