"""Voting to memo in a real browser: experts vote, a moderator closes the round, the results show the
outcome, and the administrator downloads the memo, which holds the adopted recommendation's text.

Runs on its own server and database (``running_app`` from the shared harness): closing the demo's
round 4 changes what the other browser tests expect. Screenshots of the vote, results and memo pages
land in test-artifacts/screenshots/voting-*.png (1440×900 and full length).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from recdraft.db.engine import Database
from recdraft.db.models import Base
from recdraft.services import accounts, recommendations, voting
from recdraft.services.demo import load_demo
from tests.e2e.conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    choose_option,
    open_page,
    running_app,
    screenshot,
    sign_in,
    wait_idle,
)

pytestmark = pytest.mark.e2e

ROUND = 4  # the demo's open, blind simple round: recommendations 8 and 14
ITEMS = (8, 14)
VOTERS = ("expert2", "expert3", "expert4")


@pytest.fixture(scope="module")
def voting_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """A server of its own on a fresh demo database; yields (base URL, database)."""
    folder = tmp_path_factory.mktemp("e2e-voting")
    url = f"sqlite:///{folder / 'recdraft.sqlite3'}"
    db = Database(url)
    Base.metadata.create_all(db.engine)
    load_demo(db)
    with running_app(url, folder / "streamlit.log") as base_url:
        yield base_url, db
    db.dispose()


def uid(db: Database, username: str) -> int:
    return accounts.find_user(db, username=username).id


def signed_in(browser, base_url: str, username: str):
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    page = context.new_page()
    open_page(page, base_url)
    sign_in(page, username)
    return context, page


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").first.click()
    wait_idle(page)


def shots(page, name: str) -> Path:
    """A 1440×900 screenshot and one of the page's whole length (the main area scrolls inside the app)."""
    page.wait_for_timeout(600)  # let charts finish drawing
    first = screenshot(page, f"voting-{name}")
    height = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight), 900)'
    )
    page.set_viewport_size({"width": DESKTOP["width"], "height": min(int(height) + 80, 6000)})
    page.wait_for_timeout(600)
    screenshot(page, f"voting-{name}-full")
    page.set_viewport_size(DESKTOP)
    return first


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_experts_vote_a_moderator_closes_and_the_admin_downloads_the_memo(browser, voting_app, tmp_path):
    base_url, db = voting_app

    # 1. Three experts agree to both recommendations of the open round (expert1 already agreed to 8).
    for n, who in enumerate(VOTERS):
        context, page = signed_in(browser, base_url, who)
        try:
            open_page(page, base_url, "vote")
            page.wait_for_selector(f".st-key-vote_item_{ROUND}_8")
            if n == 0:
                shots(page, "vote-page")
            for rec in ITEMS:
                # The first option of the segmented control is "agree".
                page.locator(f".st-key-vote_choice_{ROUND}_{rec} button").first.click()
                wait_idle(page)
                click(page, f"vote_submit_{ROUND}_{rec}")
                page.wait_for_selector('[data-testid="stAlertContentSuccess"]')
                assert f"Your vote on recommendation {rec} was recorded." in main_text(page)
            if n == 0:
                shots(page, "vote-page-after")
        finally:
            context.close()
    counted = voting.round_results(db, actor_id=uid(db, "moderator"), round_id=ROUND)
    assert {i.recommendation_id: i.overall.agree for i in counted.items} == {8: 4, 14: 3}

    # 2. The moderator closes the round on the results page; the outcome shows.
    context, page = signed_in(browser, base_url, "moderator")
    try:
        open_page(page, base_url, f"results?round={ROUND}")
        page.wait_for_selector(f".st-key-rounds_close_{ROUND}")
        shots(page, "results-open-round")
        click(page, f"rounds_close_{ROUND}")
        page.wait_for_selector(f".st-key-rounds_close_yes_{ROUND}")  # closing asks for a confirmation
        click(page, f"rounds_close_yes_{ROUND}")
        page.wait_for_selector('[data-testid="stAlertContentSuccess"]')
        text = main_text(page)
        assert f"Round {ROUND} is closed" in text
        assert text.count("Adopted") >= 2 and "The rule is met" in text
        assert page.locator(f".st-key-results_item_{ROUND}_8").count() == 1
        shots(page, "results-page")
    finally:
        context.close()
    rec8 = recommendations.get_recommendation(db, actor_id=uid(db, "admin"), recommendation_id=8)
    assert rec8.status == "adopted"

    # 3. An expert now sees the frozen result of the formerly blind round.
    context, page = signed_in(browser, base_url, "expert5")
    try:
        open_page(page, base_url, f"results?round={ROUND}")
        page.wait_for_selector(f".st-key-results_item_{ROUND}_8")
        assert "hidden" not in main_text(page).lower()
        # Earlier rounds, in Russian: a named simple round with dissent, and an anonymous Delphi round.
        choose_option(page, "nav_language", "Русский")
        open_page(page, base_url, "results?round=1")
        page.wait_for_selector(".st-key-results_item_1_6")
        page.locator(".st-key-results_item_1_6 details summary").last.click()  # open the dissenting opinions
        wait_idle(page)
        # Rejected: the dissent is the one agree vote, named with consent (issue 10, item 3).
        assert "Особые мнения (1)" in main_text(page) and "Irina Kovalenko" in main_text(page)
        shots(page, "results-round1-ru")
        open_page(page, base_url, "results?round=2")
        page.wait_for_selector(".st-key-results_item_2_7")
        assert "Нет консенсуса" in main_text(page)
        shots(page, "results-delphi-ru")
    finally:
        context.close()

    # 4. The administrator builds the memo and downloads it.
    context, page = signed_in(browser, base_url, "admin")
    try:
        open_page(page, base_url, "memo")
        page.wait_for_selector(".st-key-memo_build")
        click(page, "memo_build")
        page.wait_for_selector(".st-key-memo_download_final_en_")
        shots(page, "memo-page")
        with page.expect_download() as download_info:
            page.locator(".st-key-memo_download_final_en_ button").click()
        download = download_info.value
        assert download.suggested_filename.startswith("recdraft-memo-2025-02-06-final-en")
        path = tmp_path / download.suggested_filename
        download.save_as(path)
    finally:
        context.close()
    document = Document(io.BytesIO(path.read_bytes()))
    body = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    english = rec8.current_revision.content["en"]
    assert english.title in body
    assert english.text.split(".")[0] in body
