"""Issue 17 item 2: the page Streamlit serves carries the interface language (recdraft/ui/a11y.py, asgi.py)."""

from __future__ import annotations

import pytest

from recdraft.ui import a11y
from recdraft.ui.asgi import _document_language

INDEX = b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <title>Streamlit</title>\n  </head><body></body></html>'


@pytest.mark.parametrize("code", ["kk", "ru", "en"])
def test_the_served_page_says_the_interface_language_and_brings_the_script_that_follows_it(code):
    page = a11y.rewrite_index(INDEX, code)
    assert f'<html lang="{code}">'.encode() in page and page.count(b"<html lang=") == 1
    assert page.index(b'<script id="recdraft-lang">') < page.index(b"</head>")
    assert b"http://" not in a11y.HEAD.encode() and b"https://" not in a11y.HEAD.encode()  # nothing from elsewhere


def test_a_page_that_is_not_streamlits_index_or_an_unknown_language_is_left_alone():
    blank = b"<!doctype html><html><head></head><body></body></html>"
    assert a11y.rewrite_index(blank, "kk") == blank
    assert a11y.rewrite_index(INDEX, "de") == INDEX


def _scope(path="/", *, accept="text/html,application/xhtml+xml", cookie="", language="", method="GET"):
    headers = [(b"accept", accept.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if language:
        headers.append((b"accept-language", language.encode()))
    return {"type": "http", "method": method, "path": path, "headers": headers}


def test_the_language_comes_from_the_remembered_choice_then_the_browser_then_english():
    assert _document_language(_scope(cookie="recdraft_lang=kk", language="ru-RU,ru;q=0.9")) == "kk"
    assert _document_language(_scope("/vote", language="ru-RU,ru;q=0.9,en;q=0.8")) == "ru"
    assert _document_language(_scope("/overview", cookie="recdraft_lang=xx", language="de-DE")) == "en"
    assert _document_language(_scope()) == "en"


@pytest.mark.parametrize(
    "scope",
    [
        _scope("/_stcore/health"),
        _scope("/static/js/index.js"),
        _scope("/auth/claim"),
        _scope("/favicon.png"),
        _scope(accept="*/*"),
        _scope(method="POST"),
    ],
)
def test_only_page_requests_are_rewritten(scope):
    assert _document_language(scope) is None
