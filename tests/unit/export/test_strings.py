"""The markup written as strings (``_ooxml.Splicer``) is exactly what the element builders write."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

from recdraft.export import DEFAULT_TEMPLATE, render_memo
from recdraft.export._content import write_markup
from recdraft.export._context import Ctx
from recdraft.export._ooxml import W_NS, RowFactory, Splicer, parse_fragment, w
from recdraft.export._template import Numbering, StyleMap
from tests.unit.export.factories import draft_data, large_memo, memo_data

TRICKY = [
    "Plain text.",
    "**Bold** and *italic* and ***both***; 5 * 3 stays; 15 % and 2026 г. and № 5 and Art. 26",
    "- one\n  - nested\n- **two**\n1. first\n2. second\n> a quotation\nafter",
    "Markup typed by a person stays text: <w:p> & \"quotes\" 'apostrophes' > <",
    " leading and trailing spaces \nTab\there, soft\u00adhyphen, line\u2028separator",
    "Қазақ мәтіні with an English name, Geneva, and Русский текст",
    "Русский текст с Latin words ICRC и Protocol III",
    "",
    "   ",
]


def _ctx(splicer: Splicer | None = None) -> Ctx:
    document = docx.Document(str(DEFAULT_TEMPLATE))
    styles = StyleMap(document.styles.element, "memo.docx")
    ctx = Ctx(
        data=memo_data(),
        langs=("en",),
        variant="final",
        styles=styles,
        numbering=Numbering(document.part.numbering_part.element, styles),
        width=9000,
    )
    if splicer is not None:
        ctx.splicer = splicer
    return ctx


def _serialised(parent: etree._Element, splicer: Splicer) -> bytes:
    return splicer.splice(etree.tostring(parent, encoding="UTF-8"))


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("prefix", [None, "Rationale."])
def test_markdown_as_a_string_is_the_markdown_as_elements(lang, compact, prefix):
    strings, elements = _ctx(), _ctx()
    a, b = etree.Element(w("body"), nsmap={"w": W_NS}), etree.Element(w("body"), nsmap={"w": W_NS})
    for text in TRICKY:
        write_markup(strings, a, text, lang=lang, compact=compact, prefix=prefix)
        # A quote that is not in the text forces the element builders (the review variant's path).
        write_markup(elements, b, text, lang=lang, compact=compact, prefix=prefix, quotes={0: "not in any text"})
    assert _serialised(a, strings.splicer) == etree.tostring(b, encoding="UTF-8")


def test_annex_rows_as_strings_are_the_rows_as_elements():
    from recdraft.export._ooxml import cell, paragraph, row, run

    values = ["Round 1", "12", "", "<&>", " spaced ", "5 km", "tab\there", "12"]
    splicer = Splicer()
    a, b = etree.Element(w("tbl"), nsmap={"w": W_NS}), etree.Element(w("tbl"), nsmap={"w": W_NS})
    RowFactory([100] * len(values), ["S"] * len(values), splicer=splicer).add(a, values)
    tr = row(b)
    for value in values:
        p = paragraph(cell(tr, 100), "S")
        if value:
            run(p, value)
    assert _serialised(a, splicer) == etree.tostring(b, encoding="UTF-8")


@pytest.mark.parametrize("variant", ["final", "review", "redline", "comparison"])
@pytest.mark.parametrize("lang", ["en", "kk+ru"])
@pytest.mark.parametrize(
    "data", [memo_data(), draft_data(), large_memo(6, rounds=2, people=5)], ids=["memo", "draft", "large"]
)
def test_every_string_is_what_lxml_writes_for_it(data, lang, variant, monkeypatch):
    """Every string spliced in is canonical: parsed and written again by lxml, it is the same text."""
    seen: list[str] = []
    add = Splicer.add
    monkeypatch.setattr(Splicer, "add", lambda self, parent, xml: (seen.append(xml), add(self, parent, xml)))
    content = render_memo(data, lang=lang, variant=variant).content
    assert seen
    for xml in seen:
        assert etree.tostring(parse_fragment(xml), encoding="unicode") == f'<w:body xmlns:w="{W_NS}">{xml}</w:body>'
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        assert b"<!--" not in zf.read("word/document.xml")  # no placeholder left behind
