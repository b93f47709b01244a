"""Benchmark: the recommendation detail page and the results page at 50 / 500 / 5,000, against an empty page.

Not a test: it prints medians and ratios measured in one run (the machines are shared and noisy, so
only ratios against a baseline measured alongside mean anything).

- Detail page: one recommendation with N comments (a third of them replies, a tenth of them pending,
  hidden or rejected), opened by an expert and by a moderator (who sees every comment and every
  moderation action). Goal (issue 15, goal 2): ≤ 5× the empty page at 500 comments, flat from 500 to 5,000.
- Results page: one closed round of N recommendations with six votes each, opened by an expert.
  Goal (issue 15, goal 1): ≤ 10× the empty page at 500 items, constant per page of results.

The baseline is an empty page of the same app (the same router, sign-in check and sidebar around a
page with one heading), rendered in the same process. Each repetition renders every page once, in a
rotating order (interleaved), and the ratio is taken per repetition (paired); the figures printed are
the median ratio and its spread (lowest–highest of the repetitions).

    .venv/bin/python bench/pages.py [--sizes 50 500 5000] [--repeat 9]
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, update  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from bench.ui import register_empty_page  # noqa: E402
from recdraft.db.engine import Database  # noqa: E402
from recdraft.db.models import Comment  # noqa: E402
from recdraft.services import accounts, voting  # noqa: E402
from tests.ui.test_query_count import LIST_PAGE, PASSWORD, build_dataset  # noqa: E402

APP = ROOT / "streamlit_app.py"
RESULTS_PAGE = "recdraft/ui/pages/results.py"
VOTERS = 6


def detail_data(base: Path, comments: int) -> str:
    """One recommendation with ``comments`` comments; every third one answers the comment before it."""
    data = build_dataset(base / f"detail-{comments}.sqlite3", recommendations=1, comments=comments, votes=0)
    db = Database(data.url)
    with db.write() as s:
        for j in range(3, comments + 1, 3):  # comment ids are 1..N in time order
            s.execute(update(Comment).where(Comment.id == j).values(parent_id=j - 1))
    db.dispose()
    return data.url


def results_data(base: Path, items: int) -> str:
    """One closed round of ``items`` recommendations, six votes on each."""
    data = build_dataset(base / f"results-{items}.sqlite3", recommendations=items, comments=0, votes=items * VOTERS)
    db = Database(data.url)
    from recdraft.db.voting_models import VotingRound

    with db.read() as s:
        round_id = s.scalar(select(VotingRound.id))
    voting.close_round(db, actor_id=data.moderator_id, round_id=round_id)
    db.dispose()
    return data.url


def signed_in(url: str, who: str, page: str, rec: int | None = None) -> AppTest:
    """The whole app signed in as ``who`` (AppTest), switched to ``page``; each keeps its own database URL."""
    import streamlit as st

    os.environ["RECDRAFT_DATABASE_URL"] = url
    st.cache_resource.clear()
    db = Database(url)
    token = accounts.sign_in(db, username=who, password=PASSWORD).token
    db.dispose()
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state["recdraft_lang"] = "en"
    at.session_state["recdraft_token"] = token
    if rec is not None:
        at.query_params["rec"] = str(rec)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def render(at: AppTest, url: str) -> float:
    """Seconds of one rerun of ``at`` against its own database."""
    import streamlit as st

    if os.environ.get("RECDRAFT_DATABASE_URL") != url:
        os.environ["RECDRAFT_DATABASE_URL"] = url
        st.cache_resource.clear()  # the app caches its engine: point it at this page's database
        at.run()  # not timed: opens the engine again
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def measure(pages: dict[str, tuple[AppTest, str]], repeat: int) -> dict[str, list[float]]:
    """Interleaved renders: every page once per repetition, the order rotating."""
    names = list(pages)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm-up
        render(*pages[name])
    for i in range(repeat):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            samples[name].append(render(*pages[name]))
    return samples


def paired(page: list[float], empty: list[float]) -> tuple[float, float, float]:
    ratios = [p / e for p, e in zip(page, empty, strict=True)]
    return statistics.median(ratios), min(ratios), max(ratios)


def main() -> int:
    # Clearing the app's cached engine between pages logs "missing ScriptRunContext" outside a run: noise here.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="recdraft-bench-pages-") as tmp:
        base = Path(tmp)
        empty_page = str(register_empty_page(base))
        start = time.perf_counter()
        urls = {("detail", n): detail_data(base, n) for n in args.sizes}
        urls |= {("results", n): results_data(base, n) for n in args.sizes}
        print(
            f"data: detail pages with {args.sizes} comments, results of closed rounds of {args.sizes} items "
            f"(built in {time.perf_counter() - start:.1f} s)"
        )
        # Every page's own empty baseline runs against the same database file as the page (the same engine).
        for size in args.sizes:
            pages: dict[str, tuple[AppTest, str]] = {}
            detail_url, results_url = urls[("detail", size)], urls[("results", size)]
            pages["empty"] = (signed_in(detail_url, "expert", empty_page), detail_url)
            pages["detail expert"] = (signed_in(detail_url, "expert", LIST_PAGE, rec=1), detail_url)
            pages["detail moderator"] = (signed_in(detail_url, "moderator", LIST_PAGE, rec=1), detail_url)
            pages["empty (results db)"] = (signed_in(results_url, "expert", empty_page), results_url)
            pages["results expert"] = (signed_in(results_url, "expert", RESULTS_PAGE), results_url)
            samples = measure(pages, args.repeat)
            empty = statistics.median(samples["empty"])
            print(f"size {size}: empty page {empty * 1000:.1f} ms (median of {args.repeat})")
            for name, baseline, goal in (
                ("detail expert", "empty", "goal <= 5 at 500"),
                ("detail moderator", "empty", "goal <= 5 at 500"),
                ("results expert", "empty (results db)", "goal <= 10 at 500"),
            ):
                ratio, low, high = paired(samples[name], samples[baseline])
                print(
                    f"  {name:<17} {statistics.median(samples[name]) * 1000:8.1f} ms  ratio {ratio:6.2f} "
                    f"(spread {low:.2f}-{high:.2f}; {goal})"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
