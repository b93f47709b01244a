"""A school runs its own roundtable from an empty database to the memo, in a real browser (Chromium).

The only commands are the first two a school runs on its server: ``recdraft init-db`` and ``recdraft user
add admin --system-admin --password-stdin``. Everything after that happens in the browser, as people do
it: the administrator creates the roundtable (titles in Kazakh, Russian and English) and pastes the list
of participants; each invited person opens their own link in a browser of their own and chooses a
password; two co-authors draft a recommendation; a comment waits for the moderator; the moderator opens
a simple round, the three experts vote, the moderator closes the round after confirming, and the
administrator downloads the final memo, which pandoc reads back with the adopted text in it.

The database is only read, to check what the clicks did (never to do a step). Runs on its own server and
database (``running_app`` from the shared harness, without the demo). Screenshots land in
test-artifacts/screenshots/setup-*.png.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from recdraft.db.engine import Database
from recdraft.services import accounts, recommendations, roundtables, voting
from recdraft.services._base import SYSTEM
from tests.e2e.conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    ROOT,
    SCREENSHOTS,
    choose_option,
    go_to,
    open_page,
    outside_requests,
    running_app,
    screenshot,
    sign_in,
    wait_idle,
)
from tests.tools import require_tool

pytestmark = pytest.mark.e2e

ADMIN_PASSWORD = "first-admin-passphrase"
PASSWORD = "a long passphrase 2025"
TITLES = {
    "kk": "Гуманитарлық құқық жөніндегі дөңгелек үстел",
    "ru": "Круглый стол по гуманитарному праву",
    "en": "Roundtable on humanitarian law",
}
# Who is invited, as the school's secretary pastes it from Excel (tab separated, with a header row).
PEOPLE = {
    "moderator": ("Dana Moderator", "dana@school.example.kz", "Law School", "moderator"),
    "aliya": ("Aliya Author", "aliya@redcrescent.example.kz", "Kazakh Red Crescent", "expert"),
    "boris": ("Boris Coauthor", "boris@ministry.example.kz", "Ministry of Health", "expert"),
    "chen": ("Chen Commenter", "chen@icrc.example.org", "ICRC", "expert"),
}
PASTED = "name\temail\torganisation\trole\tconsent\tlanguage\n" + "\n".join(
    f"{name}\t{email}\t{org}\t{role}\tyes\ten" for name, email, org, role in PEOPLE.values()
)
REC_TITLE = "Protect volunteers who help in emergencies"
FIRST_TEXT = "The law should protect Red Crescent volunteers."
ADOPTED_TEXT = (
    "The law should insure Red Crescent volunteers against accidents and protect them from "
    "liability when they help in emergencies."
)
COMMENT = "Please name the insurance duty explicitly."


def recdraft_cli(db_url: str, *args: str, stdin: str | None = None) -> str:
    """Run the ``recdraft`` command (the school's first start) on ``db_url``; its output."""
    env = {**os.environ, "RECDRAFT_DATABASE_URL": db_url}
    env.pop("RECDRAFT_DEMO", None)
    done = subprocess.run(
        [str(Path(sys.executable).with_name("recdraft")), *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr or done.stdout
    return done.stdout


SERVER_LOG: list[Path] = []


@pytest.fixture(scope="module")
def empty_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database]]:
    """A server on a database made only by ``init-db`` and the first administrator; (base URL, database)."""
    folder = tmp_path_factory.mktemp("e2e-from-zero")
    url = f"sqlite:///{folder / 'school.sqlite3'}"
    recdraft_cli(url, "init-db")
    recdraft_cli(url, "user", "add", "admin", "--system-admin", "--password-stdin", stdin=ADMIN_PASSWORD + "\n")
    db = Database(url)
    assert roundtables.list_roundtables(db, actor_id=SYSTEM) == [], "nothing but the first account"
    SERVER_LOG[:] = [folder / "streamlit.log"]
    with running_app(url, SERVER_LOG[0], demo=False) as base_url:
        yield base_url, db
    db.dispose()


@contextmanager
def browser_of(browser, base_url: str, username: str | None = None, password: str = PASSWORD):
    """A browser of one's own (fresh context, own cookies), signed in as ``username`` when given."""
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", accept_downloads=True)
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    outside = outside_requests(context)
    page = context.new_page()
    try:
        if username is not None:
            open_page(page, base_url)
            sign_in(page, username, password)
        yield page
    except BaseException:
        page.screenshot(path=str(screenshot_path("setup-failed")), full_page=True)  # what the person saw
        if SERVER_LOG and SERVER_LOG[0].exists():
            print(SERVER_LOG[0].read_text(errors="replace")[-6000:])  # shown by pytest with the failure
        raise
    finally:
        context.close()
    assert not outside, f"the app made the browser contact other hosts: {sorted(set(outside))}"


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def wait_text(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=IDLE_TIMEOUT_MS)
    wait_idle(page)


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").first.click()
    wait_idle(page)


def fill(page, key: str, text: str, kind: str = "input") -> None:
    """Type into a keyed text box and leave it (Streamlit takes a text outside a form when its box loses
    focus; Ctrl+Enter is not used: inside a form it would submit the form)."""
    box = page.locator(f".st-key-{key} {kind}")
    box.click()
    box.fill(text)
    box.blur()
    wait_idle(page)


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name, exact=True).first.click()
    wait_idle(page)


def open_expander(page, key: str) -> None:
    page.locator(f".st-key-{key} summary").first.click()
    wait_idle(page)


def pick(page, key: str, option: str) -> None:
    """Add ``option`` (its shown text, or the start of it) in the multiselect with widget key ``key``."""
    page.locator(f".st-key-{key} [role='combobox']").first.click()
    page.get_by_role("option").filter(has_text=option).first.click()
    page.keyboard.press("Escape")
    wait_idle(page)


def shot(page, name: str) -> None:
    screenshot(page, f"setup-{name}")


def invitation_links(page) -> dict[str, str]:
    """The links shown once after the import, by e-mail address ("Name <email>\\tlink" per line)."""
    block = page.locator('[data-testid="stCode"]').filter(has_text="invite=").first
    block.wait_for()
    links: dict[str, str] = {}
    for line in block.inner_text().splitlines():
        found = re.search(r"<([^>]+)>\s+(\S+\?invite=\S+)", line)
        if found:
            links[found.group(1)] = found.group(2)
    return links


def uid(db: Database, username: str) -> int:
    return accounts.find_user(db, username=username).id


def test_a_school_goes_from_an_empty_database_to_the_memo_in_the_browser(browser, empty_app, tmp_path):
    require_tool("pandoc", package="pandoc")
    base_url, db = empty_app

    # 1. The first administrator signs in and creates the roundtable on the Roundtables page.
    with browser_of(browser, base_url, "admin", ADMIN_PASSWORD) as page:
        # With no roundtable yet, Roundtables is the administrator's first page (its address is the app's own).
        go_to(page, "Roundtables")
        tab(page, "New roundtable")
        for code, language in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
            tab(page, language)
            fill(page, f"rt_new_title_{code}", TITLES[code])
        page.locator(".st-key-rt_new_phase label").filter(has_text="Drafting").first.click()
        shot(page, "new-roundtable")
        click(page, "rt_new_submit")
        wait_text(page, f"The roundtable “{TITLES['en']}” has been created")
        created = roundtables.list_roundtables(db, actor_id=SYSTEM)
        assert [rt.title for rt in created] == [TITLES]
        rt = created[0]
        assert rt.phase == "drafting" and rt.moderation_mode == "pre"

        # 2. The participants, pasted from a spreadsheet: previewed, then imported; one link each.
        open_page(page, base_url, "participants")
        tab(page, "Paste a list")
        fill(page, "participants_paste_text", PASTED, "textarea")
        click(page, "participants_preview")
        wait_text(page, "invited")
        click(page, "participants_import")
        wait_text(page, "Imported:")
        links = invitation_links(page)
        shot(page, "participants")
    assert set(links) == {email for _name, email, _org, _role in PEOPLE.values()}

    # 3. Each person opens their own link in a browser of their own and chooses a password.
    for username, (_name, email, _org, _role) in PEOPLE.items():
        with browser_of(browser, base_url) as page:
            page.goto(links[email])
            page.wait_for_selector(".st-key-invite_username input")
            wait_idle(page)
            assert TITLES["en"] in main_text(page)
            fill(page, "invite_username", username)
            fill(page, "invite_password", PASSWORD)
            fill(page, "invite_password_again", PASSWORD)
            click(page, "invite_submit")
            page.wait_for_selector(".st-key-nav_signout", timeout=IDLE_TIMEOUT_MS)
            wait_idle(page)
            if username == "aliya":
                shot(page, "first-sign-in")
    members = {m.username: m for m in roundtables.list_members(db, actor_id=SYSTEM, roundtable_id=rt.id)}
    assert {u: members[u].role for u in PEOPLE} == {u: p[3] for u, p in PEOPLE.items()}

    admin = uid(db, "admin")  # the database is read as the administrator, to check what the clicks did

    # 4. Aliya drafts a recommendation and makes Boris its co-author; Boris improves the text.
    with browser_of(browser, base_url, "aliya") as page:
        open_page(page, base_url, "draft")
        tab(page, "English")
        fill(page, "draft_new_en_title", REC_TITLE)
        fill(page, "draft_new_en_text", FIRST_TEXT, "textarea")
        click(page, "draft_create")
        wait_text(page, "was saved as a draft")
        click(page, "draft_open_created")
        page.wait_for_selector(".st-key-recs_text")
        wait_idle(page)
        rec_id = int(re.search(r"rec=(\d+)", page.url).group(1))
        open_expander(page, f"coauthors_box_{rec_id}")
        pick(page, f"coauthors_pick_{rec_id}", PEOPLE["boris"][0])
        click(page, f"coauthors_save_{rec_id}")
        wait_text(page, "Co-authors saved (1).")
        shot(page, "co-author")
    assert recommendations.get_recommendation(db, actor_id=admin, recommendation_id=rec_id).coauthor_ids == [
        uid(db, "boris")
    ]
    with browser_of(browser, base_url, "boris") as page:
        open_page(page, base_url, f"draft?rec={rec_id}")
        tab(page, "English")
        fill(page, f"draft_edit_{rec_id}_f_en_text", ADOPTED_TEXT, "textarea")
        click(page, f"draft_save_{rec_id}")
        wait_text(page, "Saved as revision 2")
    rec = recommendations.get_recommendation(db, actor_id=admin, recommendation_id=rec_id)
    assert rec.current_revision.author_id == uid(db, "boris")
    assert rec.current_revision.content["en"].text == ADOPTED_TEXT

    # 5. Chen comments; the comment waits for the moderator, who approves it.
    with browser_of(browser, base_url, "chen") as page:
        open_page(page, base_url, f"recommendations?rec={rec_id}")
        fill(page, f"recs_body_comment_{rec_id}_0_0", COMMENT, "textarea")
        click(page, f"recs_send_comment_{rec_id}_0")
        wait_text(page, "once a moderator approves it")
    with browser_of(browser, base_url, "moderator") as page:
        open_page(page, base_url, "moderation")
        card = page.locator("[class*='st-key-mod_comment_']").filter(has_text=COMMENT).first
        card.wait_for()
        card.locator("[class*='st-key-mod_approve_'] button").first.click()
        wait_text(page, "The comment is published.")

        # 6. The moderator puts the recommendation to a simple vote.
        open_page(page, base_url, f"recommendations?rec={rec_id}")
        page.locator("summary").filter(has_text="Change status").first.click()
        wait_idle(page)
        choose_option(page, f"recs_status_to_{rec_id}", "Discussion")
        click(page, f"recs_status_apply_{rec_id}")
        wait_text(page, "Status changed: Discussion.")
        open_page(page, base_url, "results")
        page.locator("summary").filter(has_text="Open a new voting round").first.click()
        wait_idle(page)
        pick(page, "rounds_new_recs", REC_TITLE)
        click(page, "rounds_open_submit")
        wait_text(page, "Round 1 is open.")
        assert "3 eligible voters (fixed when the round opened)" in main_text(page)
        shot(page, "round-open")
    round_id = voting.list_rounds(db, actor_id=admin, roundtable_id=rt.id)[0].id

    # 7. The three experts agree.
    for username in ("aliya", "boris", "chen"):
        with browser_of(browser, base_url, username) as page:
            open_page(page, base_url, "vote")
            page.wait_for_selector(f".st-key-vote_item_{round_id}_{rec_id}")
            page.locator(f".st-key-vote_choice_{round_id}_{rec_id} button").first.click()  # "Agree" comes first
            wait_idle(page)
            click(page, f"vote_submit_{round_id}_{rec_id}")
            wait_text(page, f"Your vote on recommendation {rec.number} was recorded.")

    # 8. The moderator closes the round: the first click only asks; closing happens after "Yes, close it".
    with browser_of(browser, base_url, "moderator") as page:
        open_page(page, base_url, "results?round=1")
        click(page, f"rounds_close_{round_id}")
        page.wait_for_selector(f".st-key-rounds_close_yes_{round_id}")
        assert "cannot be undone" in main_text(page)
        assert voting.get_round(db, actor_id=admin, round_id=round_id).status == "open", "not closed yet"
        shot(page, "close-confirm")
        click(page, f"rounds_close_yes_{round_id}")
        wait_text(page, "Round 1 is closed")
        assert "Adopted" in main_text(page)
    assert voting.get_round(db, actor_id=admin, round_id=round_id).status == "closed"
    assert recommendations.get_recommendation(db, actor_id=admin, recommendation_id=rec_id).status == "adopted"

    # 9. The administrator downloads the final memo; pandoc reads the adopted text back from it.
    with browser_of(browser, base_url, "admin", ADMIN_PASSWORD) as page:
        open_page(page, base_url, "memo")
        click(page, "memo_build")
        download_button = page.locator("[class*='st-key-memo_download_final'] button").first
        download_button.wait_for()
        shot(page, "memo")
        with page.expect_download() as download_info:
            download_button.click()
        download = download_info.value
        path = tmp_path / download.suggested_filename
        download.save_as(path)
    assert path.suffix == ".docx"
    text = subprocess.run(
        ["pandoc", "-t", "plain", "--wrap=none", str(path)], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    squashed = " ".join(text.split())
    assert REC_TITLE in squashed
    assert ADOPTED_TEXT in squashed
    assert FIRST_TEXT not in squashed, "the memo holds the adopted text, not the first draft"
