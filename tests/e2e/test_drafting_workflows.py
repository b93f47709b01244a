"""Drafting, commenting, moderating and conflicting edits in a real browser (Chromium, Playwright).

Runs on the shared harness (tests/e2e/conftest.py): a recdraft server on the demo roundtable. Each
test works on its own recommendation or its own text, so the tests do not depend on each other's
order. Screenshots of every page land in test-artifacts/screenshots/drafting-*.png.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest

from recdraft.db.engine import Database
from recdraft.services import accounts, comments, recommendations
from tests.e2e.conftest import IDLE_TIMEOUT_MS, open_page, screenshot, sign_in, wait_idle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(demo_db_url: str) -> Iterator[Database]:
    db = Database(demo_db_url)
    yield db
    db.dispose()


def uid(db: Database, username: str) -> int:
    return accounts.find_user(db, username=username).id


def signed_in_page(browser, base_url: str, username: str):
    """A new browser context (own cookies) signed in as ``username``."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    page = context.new_page()
    open_page(page, base_url)
    sign_in(page, username)
    return context, page


def fill(page, key: str, text: str, kind: str = "textarea") -> None:
    box = page.locator(f".st-key-{key} {kind}")
    box.click()
    box.fill(text)


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").first.click()
    wait_idle(page)


def full_screenshot(page, name: str) -> None:
    """A screenshot of the whole page content: the viewport is made as tall as the app's main area."""
    height = page.evaluate(
        '() => Math.max(...[...document.querySelectorAll(\'[data-testid="stMain"], '
        '[data-testid="stMainBlockContainer"]\')].map(e => e.scrollHeight), 900)'
    )
    page.set_viewport_size({"width": 1440, "height": min(int(height) + 80, 5000)})
    page.wait_for_timeout(400)
    screenshot(page, name)
    page.set_viewport_size({"width": 1440, "height": 900})


def wait_text(page, text: str) -> None:
    """Wait until ``text`` is shown (a click's rerun may start a moment after the click on a busy machine)."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_an_expert_drafts_a_recommendation(page, base_url, demo):
    open_page(page, base_url)
    sign_in(page, "expert5")
    open_page(page, base_url, "recommendations")
    page.wait_for_selector(".st-key-recs_open_1")
    full_screenshot(page, "drafting-recommendations-list")
    open_page(page, base_url, "draft")
    title = f"Protect volunteers by law {uuid.uuid4().hex[:6]}"
    page.locator('[role="tab"]:has-text("English")').first.click()
    fill(page, "draft_new_en_title", title, "input")
    fill(
        page,
        "draft_new_en_text",
        "The law should require the Society to insure its **volunteers**.\n- accidents\n- liability",
    )
    fill(page, "draft_new_en_legal_basis", "32nd International Conference Res. 5")
    full_screenshot(page, "drafting-new-recommendation-form")
    click(page, "draft_create")
    wait_text(page, "saved as a draft")
    assert "saved as a draft" in main_text(page)
    found = recommendations.list_recommendations(
        demo, actor_id=uid(demo, "expert5"), roundtable_id=1, search=title.split()[-1]
    )
    assert found.total == 1 and found.items[0].status == "draft"
    rec_id = found.items[0].id
    click(page, "draft_open_created")
    page.wait_for_selector(".st-key-recs_text", timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)
    assert page.url.endswith(f"recommendations?rec={rec_id}")
    text = page.locator(".st-key-recs_text")
    assert text.locator("strong", has_text="volunteers").count() == 1
    assert text.locator("li").count() == 2
    full_screenshot(page, "drafting-recommendation-detail")


def test_a_comment_waits_for_the_moderator_and_a_hidden_one_disappears(browser, base_url, demo):
    body = f"Please add the insurance duty to the volunteers' section ({uuid.uuid4().hex[:6]})."
    rec_id = 3
    ctx_author, author = signed_in_page(browser, base_url, "expert2")
    ctx_other, other = signed_in_page(browser, base_url, "expert4")
    ctx_mod, moderator = signed_in_page(browser, base_url, "moderator")
    try:
        open_page(author, base_url, f"recommendations?rec={rec_id}")
        fill(author, f"recs_body_comment_{rec_id}_0_0", body)
        click(author, f"recs_send_comment_{rec_id}_0")
        wait_text(author, "once a moderator approves it")
        assert "once a moderator approves it" in main_text(author)
        assert body in main_text(author) and "Waiting for a moderator" in main_text(author)
        posted = next(
            c
            for c in comments.list_comments(demo, actor_id=uid(demo, "moderator"), recommendation_id=rec_id)
            if c.body == body
        )
        assert posted.status == "pending"

        open_page(other, base_url, f"recommendations?rec={rec_id}")
        assert body not in main_text(other), "others do not see a pending comment"

        open_page(moderator, base_url, "moderation")
        card = moderator.locator(f".st-key-mod_comment_{posted.id}")
        card.wait_for()
        full_screenshot(moderator, "drafting-moderation-queue")
        card.locator(f".st-key-mod_approve_{posted.id} button").click()
        wait_text(moderator, "The comment is published.")

        open_page(other, base_url, f"recommendations?rec={rec_id}")
        assert body in main_text(other), "approved: now everyone sees it"
        full_screenshot(other, "drafting-comment-thread")

        open_page(moderator, base_url, f"recommendations?rec={rec_id}")
        click(moderator, f"recs_c{posted.id}_menu")  # each comment's actions are in its menu (issue 15)
        click(moderator, f"recs_c{posted.id}_hide")
        moderator.locator(f".st-key-recs_reason_c{posted.id}_hide textarea").wait_for()
        fill(moderator, f"recs_reason_c{posted.id}_hide", "Duplicates an earlier comment.")
        click(moderator, f"recs_send_c{posted.id}_hide")
        wait_text(moderator, "The comment is hidden from participants.")
        assert comments.get_comment(demo, actor_id=uid(demo, "moderator"), comment_id=posted.id).status == "hidden"

        open_page(other, base_url, f"recommendations?rec={rec_id}")
        assert body not in main_text(other), "a hidden comment disappears for experts"
        open_page(moderator, base_url, "moderation")
        moderator.locator('[role="tab"]', has_text="Hidden and rejected").click()
        moderator.locator(f".st-key-mod_comment_{posted.id}").wait_for()
        full_screenshot(moderator, "drafting-moderation-hidden")
        moderator.locator('[role="tab"]', has_text="Moderation log").click()
        moderator.wait_for_timeout(500)
        full_screenshot(moderator, "drafting-moderation-log")
    finally:
        for ctx in (ctx_author, ctx_other, ctx_mod):
            ctx.close()


def fresh(demo: Database, author: str) -> int:
    """A new (draft, so editable) recommendation by ``author``: most demo recommendations are adopted."""
    return recommendations.create_recommendation(
        demo,
        actor_id=uid(demo, author),
        roundtable_id=1,
        content={
            "en": {
                "title": f"Train medical volunteers in peacetime {uuid.uuid4().hex[:6]}",
                "text": "The Society should train volunteers to support the medical services.",
                "legal_basis": "GC I Art. 26",
            }
        },
    ).id


def test_two_people_edit_the_same_recommendation_and_nothing_is_lost(browser, base_url, demo):
    rec_id = fresh(demo, "expert1")
    first_ctx, first = signed_in_page(browser, base_url, "expert1")
    second_ctx, second = signed_in_page(browser, base_url, "moderator")
    try:
        open_page(first, base_url, f"draft?rec={rec_id}")
        open_page(second, base_url, f"draft?rec={rec_id}")
        for p in (first, second):
            p.locator('[role="tab"]:has-text("English")').first.click()
        mine = f"The first editor's wording, which must survive ({uuid.uuid4().hex[:6]})."
        theirs = "The moderator saved this version first."
        fill(second, f"draft_edit_{rec_id}_f_en_text", theirs)
        click(second, f"draft_save_{rec_id}")
        wait_text(second, "Saved as revision")

        fill(first, f"draft_edit_{rec_id}_f_en_text", mine)
        click(first, f"draft_save_{rec_id}")
        first.wait_for_selector(".st-key-draft_theirs_en_text", timeout=IDLE_TIMEOUT_MS)
        wait_idle(first)
        shown = main_text(first)
        # The conflict names who saved the other revision, and when.
        assert re.search(r"Yerlan Abdikadyrov saved revision \d+ at \d\d:\d\d while you were editing", shown), shown
        assert theirs in first.locator(".st-key-draft_theirs_en_text").inner_text()
        assert mine in first.locator(".st-key-draft_yours_en_text").inner_text()
        assert first.locator(f".st-key-draft_edit_{rec_id}_f_en_text textarea").input_value() == mine
        full_screenshot(first, "drafting-edit-conflict")
        kept = recommendations.list_rejected_edits(demo, actor_id=uid(demo, "expert1"), recommendation_id=rec_id)
        assert kept[-1].content["en"].text == mine

        fill(first, f"draft_edit_{rec_id}_f_en_text", f"{theirs} {mine}")
        click(first, f"draft_save_{rec_id}")
        wait_text(first, "Saved as revision")
        final = recommendations.get_recommendation(demo, actor_id=uid(demo, "expert1"), recommendation_id=rec_id)
        assert final.current_revision.content["en"].text == f"{theirs} {mine}"
        kept = recommendations.list_rejected_edits(demo, actor_id=uid(demo, "expert1"), recommendation_id=rec_id)
        assert kept[-1].resolved_revision_id == final.current_revision.id

        open_page(first, base_url, f"recommendations?rec={rec_id}")
        first.locator('[role="tab"]', has_text="History").click()
        first.wait_for_timeout(400)
        full_screenshot(first, "drafting-history-diff")
    finally:
        first_ctx.close()
        second_ctx.close()


def test_markup_and_script_in_a_comment_show_as_text_and_never_run(page, base_url, demo):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_page(page, base_url)
    sign_in(page, "moderator")  # a moderator's comment is published at once
    rec_id = 5
    marker = uuid.uuid4().hex[:6]
    evil = (
        f"Look {marker}: <img src=x onerror=alert(1)> and [click me](javascript:alert(1)) "
        "or javascript:alert(1) <script>alert(1)</script> ![x](javascript:alert(1))"
    )
    open_page(page, base_url, f"recommendations?rec={rec_id}")
    fill(page, f"recs_body_comment_{rec_id}_0_0", evil)
    click(page, f"recs_send_comment_{rec_id}_0")
    wait_text(page, "Your comment is published.")
    open_page(page, base_url, f"recommendations?rec={rec_id}")
    page.wait_for_selector(f"text=Look {marker}")
    page.wait_for_timeout(1000)
    comment = page.locator('[data-testid="stMarkdownContainer"]', has_text=f"Look {marker}").last
    shown = comment.inner_text()
    assert "<img src=x onerror=alert(1)>" in shown and "javascript:alert(1)" in shown
    assert "<script>alert(1)</script>" in shown
    assert page.locator("img[src='x']").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert page.locator('a[href^="JAVASCRIPT" i]').count() == 0
    assert page.locator("[data-testid='stMain'] script").count() == 0
    assert dialogs == []
    full_screenshot(page, "drafting-escaped-comment")
