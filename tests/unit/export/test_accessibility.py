"""Issue 17 item 6: a memo a screen reader can navigate.

Headings are real headings (based on Word's built-in "heading 1/2", with outline levels), table
header rows are marked as such (repeat on each page), and the language is set for the document and
for each column of the Kazakh–Russian edition. The PDF copy's tags are checked in
tests/docx/test_validation.py (they need LibreOffice).
"""

from __future__ import annotations

import pytest

from tests.unit.export.factories import memo_data
from tests.unit.export.helpers import NS, q, render, text_of

LANG_OF_MEMO = {"en": "en-GB", "ru": "ru-RU", "kk": "kk-KZ", "kk+ru": "kk-KZ"}


def _style(rendered, style_id):
    return rendered.document.styles.element.get_by_id(style_id)


def _heading_level(rendered, p) -> tuple[int | None, int | None]:
    """(N of the built-in "heading N" the paragraph's style is based on, its outline level + 1)."""
    style_ref = p.find("w:pPr/w:pStyle", NS)
    style = _style(rendered, style_ref.get(q("val"))) if style_ref is not None else None
    builtin = outline = None
    for _ in range(10):
        if style is None:
            break
        name = style.find(q("name")).get(q("val"))
        level = style.find("w:pPr/w:outlineLvl", NS)
        if outline is None and level is not None:
            outline = int(level.get(q("val"))) + 1
        if builtin is None and name.startswith("heading "):
            builtin = int(name.split()[1])
        based = style.find(q("basedOn"))
        style = _style(rendered, based.get(q("val"))) if based is not None else None
    return builtin, outline


@pytest.mark.parametrize("lang", ["en", "kk+ru"])
def test_section_recommendation_and_annex_titles_are_heading_1_and_2(lang):
    rendered = render(memo_data(), lang=lang)
    levels = {}
    for p in rendered.body.iter(q("p")):
        level = _heading_level(rendered, p)
        if level != (None, None):
            levels[text_of(p)] = level
    sections = [t for t, lv in levels.items() if lv == (1, 1)]
    if lang == "en":
        assert {"Executive summary", "Background", "Recommendations"} <= set(sections), sections
        assert "Annex 1. Voting results" in sections
        assert levels["Recommendation 1. Recognise the Society by law"] == (2, 2)
    else:
        assert levels["1-ұсыным / Рекомендация 1"] == (2, 2)
    # Every heading the navigation pane shows is a real heading of the same level.
    assert all(builtin == outline for builtin, outline in levels.values()), levels
    assert len(sections) >= 5 and len([lv for lv in levels.values() if lv == (2, 2)]) == 5


def test_heading_styles_look_as_before():
    """The built-in heading styles added carry no formatting: the memo's headings keep their look."""
    rendered = render(memo_data())
    for name in ("heading 1", "heading 2"):
        style = next(
            s for s in rendered.document.styles.element.iter(q("style")) if s.find(q("name")).get(q("val")) == name
        )
        assert style.find(q("rPr")) is None
        assert style.find(q("basedOn")).get(q("val")) == "Normal"
    memo_heading = _style(rendered, "MemoHeading1")
    assert memo_heading.find("w:rPr/w:color", NS).get(q("val")) == "1F3864"


@pytest.mark.parametrize("variant", ["final", "comparison"])
def test_table_header_rows_are_marked_and_repeat_on_each_page(variant):
    rendered = render(memo_data(), variant=variant)
    marked = []
    for tbl in rendered.body.iter(q("tbl")):
        look = tbl.find("w:tblPr/w:tblLook", NS)
        rows = tbl.findall(q("tr"))
        first_is_header = rows[0].find("w:trPr/w:tblHeader", NS) is not None
        # A table that says it has a header row marks it; no other row claims to be one.
        assert (look.get(q("firstRow")) == "1") == first_is_header
        assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
        if first_is_header:
            marked.append([text_of(tc) for tc in rows[0].findall(q("tc"))])
    if variant == "final":
        assert [h[:3] for h in marked] == [
            ["Round", "For", "Against"],
            ["No.", "Member", "Organisation"],
            ["Name", "Role"],
        ], marked
    else:
        assert len(marked) == 1 and len(marked[0]) >= 4, marked


@pytest.mark.parametrize("lang", ["en", "ru", "kk", "kk+ru"])
def test_the_document_language_is_the_memo_language(lang):
    rendered = render(memo_data(), lang=lang)
    default = rendered.document.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert default.get(q("val")) == LANG_OF_MEMO[lang]
    assert rendered.document.core_properties.language == LANG_OF_MEMO[lang]


def test_each_column_of_the_kazakh_russian_edition_is_tagged_with_its_language():
    rendered = render(memo_data(), lang="kk+ru")
    parallel_id = next(
        s.get(q("styleId"))
        for s in rendered.document.styles.element.iter(q("style"))
        if s.find(q("name")).get(q("val")) == "Parallel Table"
    )
    checked = 0
    for tbl in rendered.body.iter(q("tbl")):
        if tbl.find("w:tblPr/w:tblStyle", NS).get(q("val")) != parallel_id:
            continue
        for tr in tbl.findall(q("tr")):
            for tc, tag in zip(tr.findall(q("tc")), ("kk-KZ", "ru-RU"), strict=True):
                for r in tc.iter(q("r")):
                    if text_of(r).strip():
                        lang = r.find("w:rPr/w:lang", NS)
                        assert lang is not None and lang.get(q("val")) == tag, (tag, text_of(r))
                        checked += 1
    assert checked > 20
    headers = [
        text_of(tc)
        for tbl in rendered.body.iter(q("tbl"))
        for tr in tbl.findall(q("tr"))
        if tr.find("w:trPr/w:tblHeader", NS) is not None
        and tbl.find("w:tblPr/w:tblStyle", NS).get(q("val")) == parallel_id
        for tc in tr.findall(q("tc"))
    ]
    assert headers[:2] == ["Қазақ тілінде", "На русском языке"], headers
