"""A moderator hides a comment in the browser; its author learns why — on the comment, in their feed, and by
mail that reaches a real SMTP server (aiosmtpd on 127.0.0.1) — and can stop such mail with one click."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import update

from recdraft.db.engine import Database
from recdraft.db.models import Base, User
from recdraft.i18n import t
from recdraft.services import accounts, comments, notifications, outbox, recommendations
from recdraft.services.demo import load_demo
from tests.e2e import conftest
from tests.e2e.conftest import IDLE_TIMEOUT_MS, open_page, running_app, screenshot, sign_in, wait_idle
from tests.smtp_server import MAIL_ENV, SmtpServer

pytestmark = pytest.mark.e2e

REASON = "Personal remarks about another participant <b>are</b> not allowed here."


@pytest.fixture(scope="module")
def mail_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Database, SmtpServer]]:
    """recdraft with mail on (its own demo database and port), sending to a test SMTP server."""
    folder = tmp_path_factory.mktemp("e2e-mail")
    url = f"sqlite:///{folder / 'recdraft.sqlite3'}"
    db = Database(url)
    Base.metadata.create_all(db.engine)
    load_demo(db)  # before mail is on: the demo's made-up people get no mail
    smtp = SmtpServer().start()
    port = conftest._free_port()
    patch = pytest.MonkeyPatch()
    for key, value in {
        **MAIL_ENV,
        "RECDRAFT_SMTP_HOST": "127.0.0.1",
        "RECDRAFT_SMTP_PORT": str(smtp.port),
        "RECDRAFT_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }.items():
        patch.setenv(key, value)
    patch.setattr(conftest, "_free_port", lambda: port)
    with db.write() as s:  # the author reads Russian
        s.execute(update(User).where(User.username == "expert1").values(preferred_language="ru"))
    try:
        with running_app(url, folder / "streamlit.log") as base_url:
            yield base_url, db, smtp
    finally:
        patch.undo()
        db.dispose()
        smtp.stop()


def _signed_in(browser, base_url: str, username: str, locale: str = "en-GB"):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale=locale)
    context.set_default_timeout(IDLE_TIMEOUT_MS)
    page = context.new_page()
    open_page(page, base_url)
    sign_in(page, username)
    return context, page


def _main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def test_a_hidden_comment_tells_its_author_why_on_the_page_in_the_feed_and_by_mail(browser, mail_app):
    base_url, db, smtp = mail_app
    author = accounts.find_user(db, username="expert1")
    moderator = accounts.find_user(db, username="moderator")
    page_of_recs = recommendations.list_recommendations(db, actor_id=author.id, roundtable_id=1)
    rec = next(r for r in page_of_recs.items if r.created_by != author.id)
    posted = comments.post_comment(
        db,
        actor_id=author.id,
        recommendation_id=rec.id,
        body="The rapporteur clearly has no idea what the Statutes say.",
    )
    assert posted.status == "pending"  # the demo roundtable moderates before publishing
    outbox.tick(db)
    waiting = [
        m
        for m in smtp.to(moderator.email)
        if m.message["Subject"].startswith(t("mail.moderation.waiting", "en"))
        or t("mail.moderation.waiting", "kk") in m.message["Subject"]
        or t("mail.moderation.waiting", "ru") in m.message["Subject"]
    ]
    assert len(waiting) == 1  # the moderators hear of the comment waiting for them

    # The moderator hides it, with a reason, in the browser.
    mod_ctx, mod = _signed_in(browser, base_url, "moderator")
    try:
        open_page(mod, base_url, "moderation")
        card = mod.locator(f".st-key-mod_comment_{posted.id}")
        card.wait_for()
        card.locator(f".st-key-mod_reason_{posted.id}_pending input").fill(REASON)
        card.locator(f".st-key-mod_hide_{posted.id} button").click()
        mod.get_by_text("The comment is hidden from participants.").first.wait_for()
        wait_idle(mod)
    finally:
        mod_ctx.close()
    assert comments.get_comment(db, actor_id=moderator.id, comment_id=posted.id).status == "hidden"

    # The clock sends the mail: to the author only, in Russian, with the reason escaped in HTML.
    outbox.tick(db)
    (mail,) = smtp.to(author.email)
    msg = mail.message
    assert msg["Subject"] == t("mail.comment_moderated.subject", "ru", number=rec.number, status="скрыт")
    text, html_part = mail.part("plain"), mail.part("html")
    assert REASON in text
    assert "&lt;b&gt;are&lt;/b&gt;" in html_part and "<b>are</b>" not in html_part
    link = f"{base_url}/recommendations?rec={rec.id}&comment={posted.id}"
    assert link in text
    assert msg["List-Unsubscribe"].startswith(f"<{base_url}/mail/unsubscribe?t=")

    # The author opens the link: the reason is shown on their comment, and in their feed.
    ctx, page = _signed_in(browser, base_url, "expert1")
    try:
        page.goto(link.replace("&comment=", "&c="))  # the page needs only ?rec=; any extra parameter is ignored
        page.goto(link)
        wait_idle(page)
        page.get_by_text("Personal remarks about another participant").first.wait_for(timeout=IDLE_TIMEOUT_MS)
        screenshot(page, "mail-hidden-comment-reason")
        on_comment = "Personal remarks about another participant" in _main_text(page)
        open_page(page, base_url, "overview")
        page.wait_for_timeout(500)
        in_feed = "Personal remarks about another participant" in _main_text(page)
        screenshot(page, "mail-hidden-comment-feed")

        # One click (and a confirmation button, so that a link scanner unsubscribes nobody) stops this kind.
        page.goto(msg["List-Unsubscribe"].strip("<>"))
        page.get_by_role("button").first.wait_for()
        assert t("mail.kind.comment_moderated", "ru") in page.inner_text("body")
        page.get_by_role("button").first.click()
        page.get_by_text(t("mail.unsub.done", "ru", kind=t("mail.kind.comment_moderated", "ru"))).wait_for()
    finally:
        ctx.close()
    assert notifications.my_preferences(db, actor_id=author.id)["comment_moderated"] == "off"
    assert on_comment, "the author's own hidden comment does not show the moderator's reason on the page"
    assert in_feed, "the author's feed (Overview) does not show the moderator's reason"
