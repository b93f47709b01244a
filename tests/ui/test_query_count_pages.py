"""The detail page and the results page issue the same number of SQL statements however big the thread or round.

Issue 15 goals 1 and 2: one page of threads (or of a round's results) per render, so the page costs the
same for 50 or 500 comments (round items). Data as in tests/ui/test_query_count.py (bulk inserts of valid
rows); statements are counted on the app's own engine during one AppTest render, as there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from recdraft.db.engine import Database
from recdraft.db.models import Comment
from recdraft.services import accounts, comments, voting
from recdraft.ui.screens.results import RESULTS_PAGE_SIZE
from tests.ui.test_query_count import APP, LIST_PAGE, PASSWORD, StatementCounter, app_engine, build_dataset

RESULTS_PAGE = "recdraft/ui/pages/results.py"
SIZES = (50, 500)


def _detail_data(path: Path, size: int) -> str:
    data = build_dataset(path, recommendations=1, comments=size, votes=0)
    db = Database(data.url)
    with db.write() as s:  # every third comment answers the one before it
        for j in range(3, size + 1, 3):
            s.execute(update(Comment).where(Comment.id == j).values(parent_id=j - 1))
    db.dispose()
    return data.url


def _results_data(path: Path, size: int) -> str:
    from recdraft.db.voting_models import VotingRound

    data = build_dataset(path, recommendations=size, comments=0, votes=size * 3)
    db = Database(data.url)
    with db.read() as s:
        round_id = s.scalar(select(VotingRound.id))
    voting.close_round(db, actor_id=data.moderator_id, round_id=round_id)
    db.dispose()
    return data.url


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], str]:
    base = tmp_path_factory.mktemp("query-count-pages")
    out = {("detail", n): _detail_data(base / f"detail{n}.sqlite3", n) for n in SIZES}
    out |= {("results", n): _results_data(base / f"results{n}.sqlite3", n) for n in SIZES}
    return out


@pytest.fixture
def clean_caches():
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _blocks(node):
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) is not None:
            yield child
        yield from _blocks(child)


def _render(url: str, who: str, page: str, monkeypatch, rec: int | None = None) -> tuple[AppTest, list[str]]:
    import streamlit as st

    monkeypatch.setenv("RECDRAFT_DATABASE_URL", url)
    st.cache_resource.clear()
    db = Database(url)
    token = accounts.sign_in(db, username=who, password=PASSWORD).token
    db.dispose()
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["recdraft_lang"] = "en"
    at.session_state["recdraft_token"] = token
    if rec is not None:
        at.query_params["rec"] = str(rec)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    counter = StatementCounter(app_engine())
    try:
        counter.active = True
        at.run()
        counter.active = False
    finally:
        counter.close()
    assert not at.exception, [e.value for e in at.exception]
    return at, counter.statements


@pytest.mark.parametrize("who", ["expert", "moderator"])
def test_the_detail_page_costs_the_same_statements_for_50_or_500_comments(data, monkeypatch, clean_caches, who):
    counts = {}
    for size in SIZES:
        at, statements = _render(data[("detail", size)], who, LIST_PAGE, monkeypatch, rec=1)
        counts[size] = len(statements)
        boxes = [b for b in _blocks(at.main) if "-recs_comment_" in str(getattr(b.proto, "id", ""))]
        assert 0 < len(boxes) <= 2 * comments.THREADS_PER_PAGE, "one page of threads, not the whole discussion"
        assert any(c.value.startswith("Page 1 of ") for c in at.main.caption)
    assert counts[50] == counts[500], counts
    print(f"statements per render of the detail page ({who}): {counts}")


def test_the_results_page_costs_the_same_statements_for_50_or_500_round_items(data, monkeypatch, clean_caches):
    counts = {}
    for size in SIZES:
        at, statements = _render(data[("results", size)], "expert", RESULTS_PAGE, monkeypatch)
        counts[size] = len(statements)
        assert len(at.get("vega_lite_chart")) == RESULTS_PAGE_SIZE
        assert f"Recommendations 1–10 of {size}" in [c.value for c in at.main.caption]
    assert counts[50] == counts[500], counts
    print(f"statements per render of the results page: {counts}")
