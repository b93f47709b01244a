"""In the browser, Streamlit's own words in a file box follow the interface language (issue 12)."""

from __future__ import annotations

from tests.e2e.conftest import choose_option, go_to, open_page, sign_in, wait_idle


def test_the_backup_file_box_speaks_russian_and_kazakh(page, base_url):
    open_page(page, base_url)
    sign_in(page, "admin")
    choose_option(page, "nav_language", "Русский")
    page.wait_for_selector('.st-key-nav_pages a:has-text("Администрирование")')
    go_to(page, "Администрирование")
    page.get_by_role("tab", name="Резервное копирование").click()
    wait_idle(page)
    box = page.locator('[data-testid="stFileUploaderDropzone"]').first
    box.wait_for()
    page.wait_for_function("""() => {
        const box = document.querySelector('[data-testid="stFileUploaderDropzone"]');
        return box && box.innerText.includes("Загрузить");
    }""")
    text = box.inner_text()
    assert "Загрузить" in text and "на файл" in text, text
    assert "Upload" not in text and "per file" not in text, text
    choose_option(page, "nav_language", "Қазақша")
    page.wait_for_function("""() => {
        const box = document.querySelector('[data-testid="stFileUploaderDropzone"]');
        return box && box.innerText.includes("Жүктеу");
    }""")
    assert "бір файлға" in page.locator('[data-testid="stFileUploaderDropzone"]').first.inner_text()
