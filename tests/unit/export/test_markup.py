"""The Markdown subset experts type: bold, italic, bullets, numbered lists and quotations."""

from __future__ import annotations

from recdraft.export._markup import parse_blocks, parse_inline, plain_text
from recdraft.export._ooxml import BOLD, ITALIC


def test_bold_and_italic_become_formatting_without_the_asterisks():
    assert parse_inline("a **b** and *c* d") == [("a ", 0), ("b", BOLD), (" and ", 0), ("c", ITALIC), (" d", 0)]


def test_bold_italic_and_nesting():
    assert parse_inline("***x***") == [("x", BOLD | ITALIC)]
    assert parse_inline("**very *much* so**") == [("very ", BOLD), ("much", BOLD | ITALIC), (" so", BOLD)]


def test_unmatched_or_spaced_asterisks_stay_literal():
    assert parse_inline("5 * 3 = 15") == [("5 * 3 = 15", 0)]
    assert parse_inline("**not closed") == [("**not closed", 0)]
    assert parse_inline("* not italic *") == [("* not italic *", 0)]


def test_lines_become_paragraphs_bullets_numbers_and_quotes():
    blocks = parse_blocks("Intro\n\n- one\n  - nested\n1. first\n12) twelfth\n> quoted\nEnd")
    assert [(b.kind, b.level, b.text) for b in blocks] == [
        ("para", 0, "Intro"),
        ("bullet", 0, "one"),
        ("bullet", 1, "nested"),
        ("number", 0, "first"),
        ("number", 0, "twelfth"),
        ("quote", 0, "quoted"),
        ("para", 0, "End"),
    ]
    assert blocks[4].start == 12


def test_empty_list_markers_and_blank_lines_leave_nothing_behind():
    assert parse_blocks("-\n- \n\n>   \n   ") == [parse_blocks("-")[0]]  # a lone "-" is just text
    assert plain_text("") == ""


def test_plain_text_is_what_a_reader_sees():
    assert plain_text("**Bold** start\n- item *one*") == "Bold start\nitem one"


def test_pathological_asterisks_do_not_take_quadratic_time():
    # 100,000 characters of unclosed markers; the span limit keeps the regex linear.
    text = "*a " * 33_000
    assert "".join(t for t, _ in parse_inline(text)) == text
