"""Issue 17, item 4: every workflow by keyboard alone, with a visible focus indicator at every control used.

The person uses only the keyboard (``page.keyboard``: Tab, Shift+Tab, Enter, Space, arrows, typing); a page
is opened by its address, as one types it into the address bar. Before acting on a control the test checks
that the focused element shows a focus indicator (an outline or a focus shadow). The other people in a
workflow (the colleague whose edit conflicts) act through the services. Runs on a server and database of its
own: it votes, comments and builds the memo, which would change what the other browser tests expect.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from recdraft.db.engine import Database
from recdraft.db.models import Base
from recdraft.services import accounts, comments, recommendations, voting
from recdraft.services.demo import load_demo
from tests.e2e.conftest import DESKTOP, IDLE_TIMEOUT_MS, open_page, running_app, wait_idle

pytestmark = pytest.mark.e2e

MAX_TABS = 160
DELPHI: list[int] = []  # (round id, recommendation id) of the fixture's Delphi round
_FOCUS = """([selector, text]) => {
  const a = document.activeElement;
  return !!a && a !== document.body && !!a.closest(selector) && (text === null || a.innerText.trim().endsWith(text));
}"""
_VISIBLE_FOCUS = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return 'nothing has focus';
  // A text box shows its focus on its whole box (Streamlit's root element), a button or link on itself.
  const shown = a.closest('[data-testid="stTextInputRootElement"], [data-testid="stTextAreaRootElement"]') || a;
  const s = getComputedStyle(shown);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return outline || shadow ? '' : `no focus indicator on ${a.outerHTML.slice(0, 120)}`;
}"""


@pytest.fixture(scope="module")
def keyboard_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    folder = tmp_path_factory.mktemp("e2e-keyboard")
    url = f"sqlite:///{folder / 'recdraft.sqlite3'}"
    db = Database(url)
    Base.metadata.create_all(db.engine)
    load_demo(db)
    admin = uid(db, "admin")
    # A Delphi round of its own (the demo's Delphi rounds are closed).
    rec = recommendations.create_recommendation(
        db,
        actor_id=admin,
        roundtable_id=1,
        content={"en": {"title": "Rate me by keyboard", "text": "The Society should publish its annual report."}},
    )
    recommendations.set_status(db, actor_id=admin, recommendation_id=rec.id, status="discussion")
    rnd = voting.open_round(
        db,
        actor_id=admin,
        roundtable_id=1,
        recommendation_ids=[rec.id],
        rules={"mode": "delphi"},
        name="Keyboard Delphi",
    )
    DELPHI[:] = [rnd.id, rec.id]
    with running_app(url, folder / "streamlit.log") as base_url:
        yield base_url, db
    db.dispose()


def uid(db: Database, username: str) -> int:
    return accounts.find_user(db, username=username).id


def tab_to(page, selector: str, *, text: str | None = None, back: bool = False) -> None:
    """Press Tab (Shift+Tab) until the focus is inside ``selector`` (on a control reading ``text``, if given);
    the focus must then be visible."""
    for _ in range(MAX_TABS):
        if page.evaluate(_FOCUS, [selector, text]):
            problem = page.evaluate(_VISIBLE_FOCUS)
            assert not problem, problem
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def press(page, selector: str, key: str = "Enter", *, text: str | None = None) -> None:
    """Tab to the control and press ``key`` (Enter for buttons and links, Space for a choice)."""
    tab_to(page, selector, text=text)
    page.keyboard.press(key)
    wait_idle(page)


def type_into(page, selector: str, text: str) -> None:
    """Tab to a text box and type ``text`` (a text area keeps its line breaks: Enter types one)."""
    tab_to(page, selector)
    page.keyboard.press("Control+a")
    page.keyboard.type(text)


def keyboard_sign_in(page, base_url: str, username: str) -> None:
    open_page(page, base_url)
    type_into(page, ".st-key-signin_username input", username)
    type_into(page, ".st-key-signin_password input", "demo")
    press(page, ".st-key-signin_submit button")
    page.wait_for_selector(".st-key-nav_signout", timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)


def new_page(browser):
    ctx = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    # The File System Access picker cannot be answered headless: use the download fallback.
    ctx.add_init_script("delete window.showSaveFilePicker;")
    return ctx, ctx.new_page()


def test_an_expert_signs_in_drafts_resolves_a_conflict_comments_replies_and_votes_by_keyboard(browser, keyboard_app):
    base_url, db = keyboard_app
    ctx, page = new_page(browser)
    try:
        keyboard_sign_in(page, base_url, "expert5")
        # The page links in the sidebar are reached with Tab and followed with Enter.
        press(page, '.st-key-nav_pages a[href$="draft"]')
        assert page.url.rstrip("/").endswith("/draft")

        # Draft and save.
        title = "Keyboard-only drafting works"
        type_into(page, ".st-key-draft_new_en_title input", title)
        type_into(page, ".st-key-draft_new_en_text textarea", "The Society should train its volunteers.")
        press(page, ".st-key-draft_create button")
        page.get_by_text("was saved as a draft").first.wait_for()
        rec = next(
            r
            for r in recommendations.list_recommendations(
                db, actor_id=uid(db, "expert5"), roundtable_id=1, search=title
            ).items
        )

        # The moderator saves first; this person's save gets the conflict and resolves it by keyboard.
        open_page(page, base_url, f"draft?rec={rec.id}")
        theirs = "The Society should train and insure its volunteers."
        recommendations.edit_recommendation(
            db,
            actor_id=uid(db, "moderator"),
            recommendation_id=rec.id,
            base_revision_id=rec.current_revision.id,
            content={"en": {"title": title, "text": theirs}},
        )
        type_into(page, f".st-key-draft_edit_{rec.id}_f_en_text textarea", "Mine: train them every year.")
        press(page, f".st-key-draft_save_{rec.id} button")
        page.wait_for_selector(".st-key-draft_theirs_en_text", timeout=IDLE_TIMEOUT_MS)
        type_into(page, f".st-key-draft_edit_{rec.id}_f_en_text textarea", f"{theirs} Every year.")
        press(page, f".st-key-draft_save_{rec.id} button")
        page.wait_for_selector(".st-key-draft_theirs_en_text", state="detached", timeout=IDLE_TIMEOUT_MS)
        now = recommendations.get_recommendation(db, actor_id=uid(db, "expert5"), recommendation_id=rec.id)
        assert now.current_revision.content["en"].text == f"{theirs} Every year."

        # Comment, then reply to a colleague's comment.
        open_page(page, base_url, "recommendations?rec=1")
        type_into(page, ".st-key-recs_body_comment_1_0_0 textarea", "Typed without a mouse.")
        press(page, ".st-key-recs_send_comment_1_0 button")
        page.get_by_text("Typed without a mouse.").first.wait_for()
        thread = comments.list_comments(db, actor_id=uid(db, "expert5"), recommendation_id=1)
        mine = next(c for c in thread if c.body == "Typed without a mouse.")
        assert mine.author_id == uid(db, "expert5")
        other = next(c for c in thread if c.author_id != uid(db, "expert5") and c.parent_id is None)
        press(page, f".st-key-recs_c{other.id}_menu button")  # the comment's actions menu
        press(page, f".st-key-recs_c{other.id}_reply button")
        type_into(page, f".st-key-recs_body_comment_1_{other.id}_0 textarea", "A keyboard reply.")
        press(page, f".st-key-recs_send_comment_1_{other.id} button")
        reply = next(
            c
            for c in comments.list_comments(db, actor_id=uid(db, "expert5"), recommendation_id=1)
            if c.body == "A keyboard reply."
        )
        assert reply.parent_id == other.id

        # Vote (simple round 4): the choice is a radio group of buttons; Tab reaches the first, Enter chooses it.
        open_page(page, base_url, "vote")
        press(page, ".st-key-vote_choice_4_8 button", text="Agree")
        press(page, ".st-key-vote_submit_4_8 button")
        assert voting.my_vote_history(db, actor_id=uid(db, "expert5"), round_id=4, recommendation_id=8)

        # Delphi: the 1-9 rating is a radio group: Tab enters it, the arrow keys move, Enter chooses.
        round_id, rec_id = DELPHI
        tab_to(page, f".st-key-vote_rating_{round_id}_{rec_id} [role='radio']")
        for _ in range(7):
            page.keyboard.press("ArrowRight")
        tab_to(page, f".st-key-vote_rating_{round_id}_{rec_id} [role='radio']", text="8")
        page.keyboard.press("Enter")
        wait_idle(page)
        press(page, f".st-key-vote_submit_{round_id}_{rec_id} button")
        assert voting.my_vote_history(db, actor_id=uid(db, "expert5"), round_id=round_id, recommendation_id=rec_id)
    finally:
        ctx.close()


def test_a_moderator_approves_and_an_admin_exports_the_memo_by_keyboard(browser, keyboard_app, tmp_path):
    base_url, db = keyboard_app
    pending = comments.post_comment(
        db, actor_id=uid(db, "expert3"), recommendation_id=2, body="Waiting for a keyboard moderator."
    )
    ctx, page = new_page(browser)
    try:
        keyboard_sign_in(page, base_url, "moderator")
        open_page(page, base_url, "moderation")
        press(page, f".st-key-mod_approve_{pending.id} button")
        page.locator(f".st-key-mod_comment_{pending.id}").wait_for(state="detached", timeout=IDLE_TIMEOUT_MS)
        shown = next(
            c
            for c in comments.list_comments(db, actor_id=uid(db, "moderator"), recommendation_id=2)
            if c.id == pending.id
        )
        assert shown.status == "published"
    finally:
        ctx.close()

    ctx, page = new_page(browser)
    try:
        keyboard_sign_in(page, base_url, "admin")
        open_page(page, base_url, "memo")
        press(page, ".st-key-memo_build button")
        page.wait_for_selector('[class*="st-key-memo_download_"] button', timeout=IDLE_TIMEOUT_MS)
        tab_to(page, '[class*="st-key-memo_download_"] button')
        with page.expect_download() as info:
            page.keyboard.press("Enter")
        saved = Path(info.value.path())
        assert saved.stat().st_size > 10_000 and saved.read_bytes()[:2] == b"PK"  # a .docx (a zip)
    finally:
        ctx.close()
