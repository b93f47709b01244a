"""Every page's own address opens that page when typed, bookmarked or reloaded — the default page's too.

Streamlit serves the default page at the root; its own address (/overview) once resolved to nothing and flashed
Streamlit's "Page not found" dialog before the page drew. A watcher installed before each document loads records
the dialog even if it is shown for a moment only.
"""

from __future__ import annotations

from recdraft.ui.nav import PAGES
from tests.e2e.conftest import open_page, sign_in, wait_idle

# Set before any page script runs: remembers whether "Page not found" was ever in the document, however briefly.
WATCH = """(() => {
  window.__recdraftNotFound = false;
  const look = () => {
    if ((document.documentElement.textContent || '').includes('Page not found')) window.__recdraftNotFound = true;
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
})();"""


def _never_not_found(page, base_url: str, url_path: str) -> None:
    open_page(page, base_url, url_path)
    wait_idle(page)
    assert page.evaluate("() => window.__recdraftNotFound") is False, f"/{url_path} flashed 'Page not found'"
    assert page.url.rstrip("/").endswith(f"/{url_path}".rstrip("/")), (url_path, page.url)


def test_every_page_address_opens_directly_without_page_not_found(context, page, base_url):
    context.add_init_script(WATCH)
    open_page(page, base_url)
    sign_in(page, "admin")
    names = [spec.name for spec in PAGES if spec.path.exists()]
    assert names[0] == "overview"
    for name in ["overview", *names, ""]:
        _never_not_found(page, base_url, name)
    # The default page at its own address is the page itself, not a warning.
    open_page(page, base_url, "overview")
    assert page.locator('[data-testid="stAlert"]').filter(has_text="does not give access").count() == 0


def test_an_expert_opening_the_default_page_and_a_page_not_theirs_sees_no_page_not_found(context, page, base_url):
    context.add_init_script(WATCH)
    open_page(page, base_url, "overview")
    sign_in(page, "expert2")
    assert page.url.rstrip("/").endswith("/overview"), page.url
    for name in ("overview", "recommendations", "memo", "admin"):
        _never_not_found(page, base_url, name)
