"""Safe rendering of user text: whatever a person types shows as text, never as markup or script.

The Markdown produced here is also rendered to HTML by an independent CommonMark/GFM renderer
(pandoc's ``gfm`` reader, which lets raw HTML and any link scheme through: a strict judge), to check
what a Markdown renderer really makes of it: no HTML, no images, no links but http/https/mailto.
The browser test (tests/e2e/test_drafting_workflows.py) checks the same in Streamlit itself.
"""

from __future__ import annotations

import subprocess

import pytest

from recdraft.domain.diff import Segment, word_diff
from recdraft.ui.render import (
    diff_markdown,
    escape_markdown,
    format_date,
    format_number,
    format_recommendation_text,
    plain_markdown,
    safe_href,
    user_text_markdown,
)
from tests.tools import require_tool


def html_of(markdown: str) -> str:
    """What a GFM renderer makes of ``markdown`` (raw HTML allowed, bare URLs autolinked)."""
    pandoc = require_tool("pandoc", package="pandoc")
    done = subprocess.run(
        [pandoc, "-f", "gfm", "-t", "html", "--wrap=none"],
        input=markdown.encode("utf-8"),
        capture_output=True,
        check=True,
        timeout=30,
    )
    return done.stdout.decode("utf-8")


ATTACKS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "![pic](http://evil.example/x.png)",
    "<a href='javascript:alert(1)'>x</a>",
    "javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "<iframe src=//evil.example></iframe>",
    "&lt;img src=x onerror=alert(1)&gt;",
    "<javascript:alert(1)>",
    "[a][ref]\n\n[ref]: javascript:alert(1)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_user_text_never_becomes_html_or_a_dangerous_link(attack):
    html = html_of(user_text_markdown(attack))
    assert "<img" not in html and "<script" not in html and "<iframe" not in html
    assert 'href="javascript' not in html.lower() and 'href="data' not in html.lower()
    assert 'href="vbscript' not in html.lower()
    hrefs = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    assert all(h.startswith(("http://", "https://", "mailto:")) for h in hrefs), hrefs


@pytest.mark.parametrize("attack", ATTACKS)
def test_recommendation_text_never_becomes_html_or_a_dangerous_link(attack):
    html = html_of(format_recommendation_text(attack))
    assert "<img" not in html and "<script" not in html and "<iframe" not in html
    lowered = html.lower()
    for scheme in ("javascript", "data", "vbscript"):
        assert f'href="{scheme}' not in lowered


@pytest.mark.parametrize(
    "text",
    [
        "a * b",
        "**",
        "# Heading",
        "1) one",
        "---",
        "| a | b |\n|---|---|",
        "`code`",
        "~~gone~~",
        "$x^2$",
        ":red[alarm] :material/home:",
        "> not a quote here",
        "Art. 4(1)(a) <Article>",
        "50% & more_than_that",
        "\\*escaped\\*",
    ],
)
def test_user_text_shows_exactly_what_was_typed(text):
    html = html_of(user_text_markdown(text))
    for tag in ("<h1", "<ol", "<ul", "<hr", "<table", "<code", "<del", "<em", "<strong", "<blockquote"):
        assert tag not in html, (text, html)


def test_escaping_covers_streamlit_directives_latex_and_emoji():
    out = escape_markdown(":red[x] $y$ :smile:")
    assert out == "\\:red\\[x\\] \\$y\\$ \\:smile\\:"


def test_user_text_keeps_line_breaks_and_paragraphs():
    out = user_text_markdown("first line\nsecond line\n\n\n\nnew paragraph")
    assert out == "first line  \nsecond line\n\nnew paragraph"
    html = html_of(out)
    assert "<br" in html and html.count("<p>") == 2


def test_leading_spaces_do_not_make_a_code_block():
    html = html_of(user_text_markdown("    indented"))
    assert "<code" not in html and "<pre" not in html
    assert "\u00a0\u00a0\u00a0\u00a0indented" in html


@pytest.mark.parametrize(
    "url",
    ["https://www.icrc.org/en/doc", "http://example.org/a_(b)", "mailto:info@redcrescent.kz", "HTTPS://EXAMPLE.ORG/X"],
)
def test_web_and_mail_links_become_links(url):
    html = html_of(user_text_markdown(f"See {url}."))
    assert "<a href=" in html
    assert html.count("<a ") == 1
    assert html.rstrip().endswith(".</p>")  # the full stop is not part of the link


def test_a_link_cannot_break_out_of_its_destination():
    href = safe_href("https://example.org/a)(b<c>\"d' e")
    assert "(" not in href and ")" not in href and "<" not in href and " " not in href and "'" not in href
    html = html_of(user_text_markdown("https://example.org/x)](javascript:alert(1))"))
    assert 'href="javascript' not in html


def test_a_scheme_glued_to_a_word_is_not_a_link():
    assert "<a " not in html_of(user_text_markdown("javascript:http://example.org"))  # noqa: E501 - colon before
    assert "<a " not in html_of(user_text_markdown("xhttp://example.org"))


def test_empty_and_whitespace_text():
    assert user_text_markdown("") == ""
    assert user_text_markdown("  \n \n") == ""
    assert format_recommendation_text("") == ""


def test_plain_markdown_is_one_escaped_line():
    assert plain_markdown("  a\n*b*  ") == "a \\*b\\*"


# ----------------------------------------------------------------------------- the recommendation subset


def test_the_formatting_subset_renders():
    text = (
        "Parliament should adopt a **law** on the *Society*.\n- first\n- second\n1. one\n2. two\n> quoted line\n> more"
    )
    html = html_of(format_recommendation_text(text))
    assert "<strong>law</strong>" in html and "<em>Society</em>" in html
    assert "<ul>" in html and html.count("<li>") == 4 and "<ol" in html
    assert "<blockquote>" in html and "<br" in html


def test_everything_outside_the_subset_is_literal():
    text = "# Title\n<b>bold</b> `code` ~~gone~~ _under_ ![img](http://x/y.png) :red[x]"
    html = html_of(format_recommendation_text(text))
    for tag in ("<h1", "<b>", "<code", "<del", "<img", "<em"):
        assert tag not in html, html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_links_in_recommendation_texts_only_for_web_and_mail():
    html = html_of(format_recommendation_text("[ICRC](https://www.icrc.org) and [bad](javascript:alert(1))"))
    assert '<a href="https://www.icrc.org">ICRC</a>' in html
    assert 'href="javascript' not in html and "[bad]" in html


def test_numbered_items_keep_their_numbers_and_paragraphs_stay_apart_from_lists():
    out = format_recommendation_text("Intro line\n3. third\n4. fourth\nAfter")
    html = html_of(out)
    assert '<ol start="3"' in html
    assert html.index("Intro line") < html.index("<ol") < html.index("After")
    assert "<p>After</p>" in html


def test_bold_with_punctuation_inside():
    html = html_of(format_recommendation_text("See **Art. 4.** of the Statutes"))
    assert "<strong>Art. 4.</strong>" in html


def test_kazakh_and_russian_text_pass_through():
    text = "Қазақстан Республикасының **Қызыл Жарты Ай** Қоғамы; «Общество» — ст. 4"
    html = html_of(format_recommendation_text(text))
    assert "<strong>Қызыл Жарты Ай</strong>" in html and "«Общество» — ст. 4" in html


# ----------------------------------------------------------------------------- diffs


def test_diff_marks_insertions_and_deletions():
    out = diff_markdown(word_diff("The law should be adopted", "The new law must be adopted"))
    assert ":green-background[**new**]" in out
    assert ":red-background[~~should~~]" in out and ":green-background[**must**]" in out


def test_diff_text_is_escaped():
    segments = [
        Segment("equal", "a "),
        Segment("insert", "<img src=x onerror=alert(1)> [x](javascript:y)"),
        Segment("delete", "**bold**"),
    ]
    out = diff_markdown(segments)
    html = html_of(out)
    assert "<img" not in html and 'href="javascript' not in html
    assert "\\<img" in out and "\\*\\*bold\\*\\*" in out


def test_diff_across_lines_marks_each_line():
    out = diff_markdown([Segment("insert", "one\ntwo\n\nthree")])
    assert out.count(":green-background[") == 3
    assert html_of(out).count("<p>") == 2


def test_diff_accepts_plain_dicts():
    assert diff_markdown([{"op": "delete", "text": "x "}]) == ":red-background[~~x~~] "


# ----------------------------------------------------------------------------- dates and numbers


def test_dates_and_numbers_follow_the_language():
    from datetime import date

    assert format_date(date(2025, 2, 6), "en") == "6 February 2025"
    assert format_date(date(2025, 2, 6), "ru") == "6 февраля 2025 г."
    assert format_date(date(2025, 2, 6), "kk") == "2025 жылғы 6 ақпан"
    assert format_number(20000, "en") == "20,000"
    assert format_number(20000, "ru").replace("\u202f", " ").replace("\u00a0", " ") == "20 000"
