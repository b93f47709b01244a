"""Issue 17 in a real browser: axe-core on every page, for every role, in kk, ru and en; the page's language.

axe runs on every settled page of every browser test (``check_a11y`` in conftest.py); these tests make sure
that every page is visited, as each role and in each language, on the demo and on a large roundtable, and
that ``<html lang>`` (and ``lang`` on a recommendation shown in another language) is right.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from recdraft.db.engine import Database
from tests.e2e import conftest as harness
from tests.e2e.conftest import (
    DESKTOP,
    IDLE_TIMEOUT_MS,
    NAV_MENU,
    axe_available,
    check_a11y,
    choose_option,
    nav_links,
    open_page,
    running_app,
    sign_in,
    wait_idle,
)

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
# Who walks the demo in which languages: the administrator sees every page but Vote, the expert Vote.
# Each role walks in at least one language; between them every page is seen in kk, ru and en.
WALKS = (("admin", ("kk", "ru", "en")), ("expert1", ("kk", "ru")), ("moderator", ("en",)), ("observer", ("ru",)))


def _new_page(browser, locale: str = "en-GB"):
    ctx = browser.new_context(viewport=DESKTOP, locale=locale)
    ctx.set_default_timeout(IDLE_TIMEOUT_MS)
    return ctx, ctx.new_page()


def _html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def _walk(page, timeout: int = IDLE_TIMEOUT_MS) -> int:
    """Open every page in the menu; each one is checked by axe as it settles (``wait_idle``). Return how many."""
    titles = nav_links(page)
    for title in titles:
        page.locator(f"{NAV_MENU} a").filter(has_text=title).first.click()
        wait_idle(page, timeout=timeout)
    return len(titles)


def _findings() -> list[str]:
    """What the automatic check found so far, taken over by this test's assertion (reported once)."""
    found, harness._AXE_FINDINGS[:] = list(harness._AXE_FINDINGS), []
    return found


def test_every_page_as_every_role_in_kk_ru_and_en_has_no_serious_axe_finding(browser, base_url):
    if not axe_available():
        pytest.skip("axe-core is not installed (make axe)")
    checked_before, pages = len(harness.AXE_TIMES), 0
    for username, languages in WALKS:
        ctx, page = _new_page(browser)
        try:
            open_page(page, base_url)
            choose_option(page, "nav_language", LANGUAGE_NAMES[languages[0]])
            sign_in(page, username)
            for code in languages:
                choose_option(page, "nav_language", LANGUAGE_NAMES[code])
                assert _html_lang(page) == code
                pages += _walk(page)
                open_page(page, base_url, "recommendations?rec=3")
                page.locator(".st-key-recs_text").wait_for()
                check_a11y(page)  # the text may draw after the run ended
                pages += 1
        finally:
            ctx.close()
    problems = _findings()
    assert not problems, "\n".join(problems)
    assert len(harness.AXE_TIMES) - checked_before >= pages, "every page visited was checked by axe"


def test_the_page_language_is_the_interface_language_and_other_language_text_says_its_own(browser, base_url):
    ctx, page = _new_page(browser)
    try:
        response = page.goto(base_url)
        assert '<html lang="en"' in response.text()  # an English browser gets English from the first byte
        wait_idle(page)
        assert _html_lang(page) == "en"
        choose_option(page, "nav_language", "Қазақша")
        page.wait_for_function("document.documentElement.lang === 'kk'")
        # Streamlit's English-only hint under a focused text box says it is English.
        page.locator(".st-key-signin_username input").focus()
        page.wait_for_selector('[data-testid="InputInstructions"][lang="en"]')
        sign_in(page, "expert2")
        assert _html_lang(page) == "kk"
        # The remembered choice is written into the page the server sends (before any script runs).
        response = page.reload()
        assert '<html lang="kk"' in response.text()
        wait_idle(page)
        assert _html_lang(page) == "kk"

        # Recommendation 3 exists only in English: in the Kazakh interface its title and text carry lang="en".
        open_page(page, base_url, "recommendations?rec=3")
        page.locator(".st-key-recs_text").wait_for()
        page.wait_for_function("document.querySelectorAll('[lang=\"en\"]').length >= 2")
        assert page.locator(".st-key-recs_text [lang='en']").count() == 1
        assert _html_lang(page) == "kk"

        choose_option(page, "nav_language", "Русский")
        page.wait_for_function("document.documentElement.lang === 'ru'")
        choose_option(page, "nav_language", "English")
        page.wait_for_function("document.documentElement.lang === 'en'")
    finally:
        ctx.close()

    # A browser that prefers Russian gets Russian before it has chosen anything.
    ctx, page = _new_page(browser, locale="ru-RU")
    try:
        response = page.goto(base_url)
        assert '<html lang="ru"' in response.text()
        wait_idle(page)
        assert _html_lang(page) == "ru"
        assert page.get_by_text("Войти").first.is_visible()
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def large_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A roundtable of 300 recommendations, 900 comments and a round of 1,800 votes, on its own server."""
    from tests.ui.test_query_count import build_dataset

    folder = tmp_path_factory.mktemp("e2e-a11y-large")
    data = build_dataset(folder / "large.sqlite3", recommendations=300, comments=900, votes=1800)
    with running_app(data.url, folder / "streamlit.log", demo=False) as url:
        yield url
    Database(data.url).dispose()


def test_a_large_roundtable_has_no_serious_axe_finding_either(browser, large_app):
    from tests.ui.test_query_count import PASSWORD

    if not axe_available():
        pytest.skip("axe-core is not installed (make axe)")
    checked_before, pages = len(harness.AXE_TIMES), 0
    for username, code in (("moderator", "en"), ("expert", "kk")):
        ctx, page = _new_page(browser)
        try:
            open_page(page, large_app)
            choose_option(page, "nav_language", LANGUAGE_NAMES[code])
            sign_in(page, username, PASSWORD)
            pages += _walk(page, timeout=120_000)  # the moderation queue of 900 comments takes a while
            open_page(page, large_app, "recommendations?rec=1")
            page.locator(".st-key-recs_text").wait_for()
            check_a11y(page)
            pages += 1
        finally:
            ctx.close()
    problems = _findings()
    assert not problems, "\n".join(problems)
    assert len(harness.AXE_TIMES) - checked_before >= pages, "every page visited was checked by axe"


def test_the_first_pages_own_address_opens_it_when_signed_in(page, base_url):
    """Opening /overview (the default page's own address) while signed in showed "Page not found"."""
    open_page(page, base_url, "overview")
    sign_in(page, "observer")
    page.get_by_text("My to-dos").wait_for()
    open_page(page, base_url, "overview")
    page.get_by_text("My to-dos").wait_for()
    assert page.get_by_text("Page not found").count() == 0
    assert page.url.rstrip("/").endswith("/overview")
