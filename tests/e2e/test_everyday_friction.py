"""Issue 18 in a real browser: the feed that stays until dismissed, quoting a passage with legal
abbreviations, checking a memo file on the Memo page, threads around a hidden comment or a waiting edit,
and a comment typed before one's role was lowered.

Runs on the shared harness (tests/e2e/conftest.py); each test arranges its own data through the services.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from recdraft.db.engine import Database
from recdraft.services import accounts, comments, memo, moderation, recommendations
from tests.e2e.conftest import DESKTOP, IDLE_TIMEOUT_MS, open_page, sign_in, wait_idle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(demo_db_url: str) -> Iterator[Database]:
    db = Database(demo_db_url)
    yield db
    db.dispose()


def uid(db: Database, username: str) -> int:
    return accounts.find_user(db, username=username).id


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_text(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)


def _fresh(demo: Database, author: str, text: str) -> int:
    return recommendations.create_recommendation(
        demo,
        actor_id=uid(demo, author),
        roundtable_id=1,
        content={"en": {"title": f"Regulate the emblem {uuid.uuid4().hex[:6]}", "text": text}},
    ).id


def test_my_hidden_comment_stays_in_the_feed_until_i_mark_it_read(page, base_url, demo):
    # Item 1: a reload no longer says "Nothing has changed"; the author reads why their comment was hidden.
    rec_id = _fresh(demo, "expert1", "The Society should protect the emblem in peacetime.")
    reason = f"Personal remarks about a colleague ({uuid.uuid4().hex[:6]})"
    c = comments.post_comment(
        demo,
        actor_id=uid(demo, "expert2"),
        recommendation_id=rec_id,
        body="The chair clearly did not read the draft at all.",
    )
    if c.status == "pending":
        moderation.moderate_comment(demo, actor_id=uid(demo, "moderator"), comment_id=c.id, action="approve")
    moderation.moderate_comment(demo, actor_id=uid(demo, "moderator"), comment_id=c.id, action="hide", reason=reason)
    number = recommendations.get_recommendation(demo, actor_id=uid(demo, "expert2"), recommendation_id=rec_id).number

    open_page(page, base_url)
    sign_in(page, "expert2")
    box = page.locator(".st-key-overview_mine")
    box.wait_for()
    assert f"Your comment on recommendation {number} was hidden by a moderator: {reason}" in box.inner_text()
    page.reload()
    wait_idle(page)
    box.wait_for()
    assert reason in box.inner_text(), "shown is not read: a reload keeps the list"
    page.locator(".st-key-overview_dismiss button").first.click()
    wait_text(page, "Nothing has changed since your last visit.")
    page.reload()
    wait_text(page, "Nothing has changed since your last visit.")
    assert reason not in main_text(page)
    page.locator(".st-key-overview_feed_span").get_by_text("Last 7 days").click()
    wait_text(page, reason)


def test_the_passage_list_keeps_art_and_initials_inside_their_sentence(page, base_url, demo):
    # Item 3: "…Art. 4(3)" is one passage, not cut at "Art.".
    first = "States shall act under Art. 4(3) and para. 2 of Law No. 17 as J. R. Smith proposed."
    rec_id = _fresh(demo, "expert1", first + " The Society agrees with it.")
    open_page(page, base_url)
    sign_in(page, "expert3")
    open_page(page, base_url, f"recommendations?rec={rec_id}")
    key = f"recs_quote_comment_{rec_id}_0_0"
    page.locator(f'.st-key-{key} [role="combobox"]').click()
    options = page.get_by_role("option").all_inner_texts()
    assert first in [o.strip() for o in options], options
    assert not any(o.strip().endswith("Art.") for o in options), options
    page.get_by_role("option", name=first, exact=True).click()
    wait_idle(page)
    body = f"Which paragraph exactly? ({uuid.uuid4().hex[:6]})"
    box = page.locator(f".st-key-recs_body_comment_{rec_id}_0_0 textarea")
    box.click()
    box.fill(body)
    page.locator(f".st-key-recs_send_comment_{rec_id}_0 button").first.click()
    wait_idle(page)
    posted = next(
        c
        for c in comments.list_comments(demo, actor_id=uid(demo, "moderator"), recommendation_id=rec_id)
        if c.body == body
    )
    assert posted.quote == first


def test_an_uploaded_memo_is_matched_to_its_snapshot_and_an_edited_one_is_not(page, base_url, demo, tmp_path: Path):
    # Item 9: no command line: upload the file, read which snapshot it is; a damaged file gets a clear message.
    result = memo.export_memo(demo, actor_id=uid(demo, "admin"), roundtable_id=1, lang="en", variant="final")
    assert result.is_final, result.blockers
    good = tmp_path / "memo.docx"
    good.write_bytes(result.content)
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"this is not a Word file")
    open_page(page, base_url)
    sign_in(page, "admin")
    open_page(page, base_url, "memo")
    uploader = page.locator('.st-key-memo_check_file input[type="file"]')
    uploader.set_input_files(str(good))
    wait_idle(page)
    page.locator(".st-key-memo_check_go button").first.click()
    wait_idle(page)
    wait_text(page, "It matches.")
    assert f"Final memo snapshot {result.snapshot_id}" in main_text(page)
    uploader.set_input_files(str(bad))
    wait_idle(page)
    page.locator(".st-key-memo_check_go button").first.click()
    wait_text(page, "could not be read as a Word memo")
    assert "Traceback" not in main_text(page)


def _published(demo: Database, author: str, rec_id: int, body: str, parent_id: int | None = None) -> int:
    c = comments.post_comment(
        demo, actor_id=uid(demo, author), recommendation_id=rec_id, body=body, parent_id=parent_id
    )
    if c.status == "pending":
        moderation.moderate_comment(demo, actor_id=uid(demo, "moderator"), comment_id=c.id, action="approve")
    return c.id


def _thread_text(page, rec_id: int, base_url: str) -> str:
    open_page(page, base_url, f"recommendations?rec={rec_id}")
    page.locator('[role="tab"]', has_text="Comments").first.click()
    wait_idle(page)
    return main_text(page)


def test_a_reply_to_a_hidden_comment_stays_in_place_and_an_edit_waits_while_others_read_the_approved_text(
    browser, base_url, demo
):
    # Item 4: the reply keeps its context ("a comment was hidden by a moderator" where the parent was), and under
    # pre-moderation an edited comment keeps its approved words for everyone else until a moderator decides.
    tag = uuid.uuid4().hex[:6]
    rec_id = _fresh(demo, "expert1", "The Society should protect the emblem in peacetime.")
    parent = _published(demo, "expert2", rec_id, f"An insulting remark about a colleague {tag}.")
    _published(demo, "expert3", rec_id, f"I answer the point on the emblem {tag}.", parent_id=parent)
    moderation.moderate_comment(
        demo, actor_id=uid(demo, "moderator"), comment_id=parent, action="hide", reason="Personal remark"
    )
    approved = f"Article 4 should name the Ministry of Health {tag}."
    edited_id = _published(demo, "expert4", rec_id, approved)
    edit = f"Article 4 should name the Ministry of Defence instead {tag}."
    comments.edit_comment(demo, actor_id=uid(demo, "expert4"), comment_id=edited_id, body=edit)

    reader_ctx = browser.new_context(viewport=DESKTOP, locale="en-GB")
    author_ctx = browser.new_context(viewport=DESKTOP, locale="en-GB")
    try:
        reader = reader_ctx.new_page()
        open_page(reader, base_url)
        sign_in(reader, "expert5")
        shown = _thread_text(reader, rec_id, base_url)
        assert "A comment was hidden by a moderator." in shown
        assert "insulting remark" not in shown
        assert shown.index("A comment was hidden by a moderator.") < shown.index(
            f"I answer the point on the emblem {tag}."
        )
        assert approved in shown and edit not in shown, "others read the approved text until the edit is approved"

        author = author_ctx.new_page()
        open_page(author, base_url)
        sign_in(author, "expert4")
        mine = _thread_text(author, rec_id, base_url)
        assert approved in mine and edit in mine and "waiting for a moderator" in mine
    finally:
        reader_ctx.close()
        author_ctx.close()


def test_a_comment_typed_before_my_role_was_lowered_is_not_lost(page, base_url, demo):
    # Item 5: the comment is not sent, the page says why, and the typed text stays in the box.
    from recdraft.services import roundtables
    from recdraft.services._base import SYSTEM

    rec_id = _fresh(demo, "expert1", "The Society should protect the emblem in peacetime.")
    typed = f"A long, careful comment on the emblem that took me twenty minutes ({uuid.uuid4().hex[:6]})."
    open_page(page, base_url)
    sign_in(page, "expert6")
    _thread_text(page, rec_id, base_url)
    box = page.locator(f".st-key-recs_body_comment_{rec_id}_0_0 textarea")
    box.fill(typed)
    roundtables.set_membership(demo, actor_id=SYSTEM, roundtable_id=1, user_id=uid(demo, "expert6"), role="observer")
    try:
        page.locator(f".st-key-recs_send_comment_{rec_id}_0 button").click()
        wait_text(page, "Your comment was not sent: your role in this roundtable is now")
        kept = page.locator(f".st-key-recs_body_comment_{rec_id}_0_0 textarea")
        assert kept.input_value() == typed
        assert typed not in [
            c.body for c in comments.list_comments(demo, actor_id=uid(demo, "moderator"), recommendation_id=rec_id)
        ]
    finally:
        roundtables.set_membership(demo, actor_id=SYSTEM, roundtable_id=1, user_id=uid(demo, "expert6"), role="expert")
