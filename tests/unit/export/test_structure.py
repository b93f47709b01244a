"""The memo's structure, read back with python-docx and the raw XML."""

from __future__ import annotations

import re
import subprocess
import sys

import docx
import pytest

from recdraft.export import RenderResult, render_memo
from recdraft.export._template import REQUIRED_STYLES
from recdraft.schemas.memo import Recommendation, RecommendationContent
from tests.unit.export.factories import SHA, draft_data, memo_data
from tests.unit.export.helpers import NS, q, render, structure_problems, text_of

HEADING_STYLES = ("Memo Heading 1", "Recommendation Heading", "Memo Annex Heading")


def _headings(rendered) -> list[str]:
    wanted = {s: rendered.paragraphs(s) for s in HEADING_STYLES}
    ids = {id(p) for ps in wanted.values() for p in ps}
    return [text_of(p) for p in rendered.body.iter(q("p")) if id(p) in ids]


def test_render_returns_docx_bytes_and_no_warnings_for_complete_english_data():
    result = render_memo(memo_data(), lang="en", variant="final")
    assert isinstance(result, RenderResult)
    assert result.content[:2] == b"PK"
    assert result.warnings == []


def test_headings_come_in_the_conventional_order():
    rendered = render(memo_data())
    assert _headings(rendered) == [
        "Executive summary",
        "Background",
        "Recommendations",
        "Recommendation 1. Recognise the Society by law",
        "Recommendation 2. Protect the red crescent emblem",
        "Recommendation 3. Grant tax and customs facilities",
        "Recommendation 4. Penalise misuse of the emblem",
        "Recommendation 5. Teach international humanitarian law",
        "Annex 1. Voting results",
        "Annex 2. Dissenting opinions",
        "Annex 3. Participants",
        "Annex 4. Legal references",
        "Annex 5. Document record",
    ]


def test_recommendation_numbers_are_the_data_numbers_even_with_gaps():
    recs = [
        Recommendation(number=n, content={"en": RecommendationContent(title=f"Title {n}", text="Text.")})
        for n in (3, 7, 12)
    ]
    rendered = render(memo_data(recommendations=recs, votes=[], dissents=[], comments=[]))
    assert rendered.texts("Recommendation Heading") == [
        "Recommendation 3. Title 3",
        "Recommendation 7. Title 7",
        "Recommendation 12. Title 12",
    ]


def test_every_style_the_body_uses_is_a_named_style_of_the_template():
    rendered = render(memo_data())
    template_styles = {
        s.get(q("styleId")): s.find(q("name")).get(q("val")) for s in rendered.document.styles.element.iter(q("style"))
    }
    used = {node.get(q("val")) for tag in ("pStyle", "rStyle", "tblStyle") for node in rendered.body.iter(q(tag))}
    assert used <= set(template_styles)
    assert {template_styles[u] for u in used} <= set(REQUIRED_STYLES)
    # No direct font or size formatting: the School restyles through the styles alone.
    assert not list(rendered.body.iter(q("rFonts"))) and not list(rendered.body.iter(q("sz")))


def test_section_headings_are_numbered_by_the_template_numbering():
    rendered = render(memo_data())
    style = rendered.document.styles.element.get_by_id(
        rendered.paragraphs("Memo Heading 1")[0].find("w:pPr/w:pStyle", NS).get(q("val"))
    )
    assert style.find("w:pPr/w:numPr/w:numId", NS) is not None
    # Numbers are not typed into the heading text.
    assert rendered.texts("Memo Heading 1") == ["Executive summary", "Background", "Recommendations"]


def test_numbered_lists_restart_in_each_recommendation_from_the_template_definition():
    numbered = RecommendationContent(title="Lists", text="1. first\n2. second\nMiddle.\n1. again")
    recs = [Recommendation(number=n, content={"en": numbered}) for n in (1, 2)]
    rendered = render(memo_data(recommendations=recs, votes=[], dissents=[], comments=[], legal_references=[]))
    items = rendered.paragraphs("Memo List Number")
    num_ids = [p.find("w:pPr/w:numPr/w:numId", NS).get(q("val")) for p in items]
    assert len(items) == 6
    assert num_ids[0] == num_ids[1] and len(set(num_ids)) == 4  # two lists per recommendation
    numbering = rendered.document.part.numbering_part.element
    list_style = rendered.document.styles.element.get_by_id(items[0].find("w:pPr/w:pStyle", NS).get(q("val")))
    style_num = list_style.find("w:pPr/w:numPr/w:numId", NS).get(q("val"))
    abstract = numbering.find(f"w:num[@w:numId='{style_num}']/w:abstractNumId", NS).get(q("val"))
    for num_id in set(num_ids):
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        assert num.find("w:abstractNumId", NS).get(q("val")) == abstract
        assert num.find("w:lvlOverride/w:startOverride", NS).get(q("val")) == "1"


def test_markdown_becomes_word_formatting_and_no_markers_remain():
    rendered = render(memo_data())
    body_text = "\n".join(text_of(p) for p in rendered.body.iter(q("p")))
    assert "**" not in body_text and "\n- " not in body_text and "\n> " not in body_text
    bold = [text_of(r) for r in rendered.body.iter(q("r")) if r.find("w:rPr/w:b", NS) is not None]
    italic = [text_of(r) for r in rendered.body.iter(q("r")) if r.find("w:rPr/w:i", NS) is not None]
    assert "single" in bold and "five recommendations" in bold
    assert "Fundamental Principles" in italic
    assert rendered.texts("Memo List Bullet")[:3] == [
        "recognition as the single National Society;",
        "protection of the emblem;",
        "facilities for humanitarian work.",
    ]
    assert rendered.texts("Memo Quote") == ["The auxiliary role is a specific and distinctive partnership."]


def test_each_recommendation_shows_rationale_legal_basis_responsible_body_and_priority():
    rendered = render(memo_data())
    meta = rendered.texts("Memo Meta")
    assert "Legal basis: Statutes of the Movement, Art.\u00a04; Geneva Convention I, Art.\u00a026" in meta
    assert "Responsible body: Government; Mazhilis of the Parliament" in meta
    assert meta.count("Priority: high") == 2 and "Priority: low" in meta
    assert any(t.startswith("Rationale. Recognition by law") for t in rendered.texts("Memo Body"))


def test_table_of_contents_is_a_word_field_with_prefilled_linked_entries():
    rendered = render(memo_data())
    sdt = rendered.body.find(".//w:sdt", NS)
    assert sdt.find(".//w:docPartGallery", NS).get(q("val")) == "Table of Contents"
    instr = "".join(t.text for t in sdt.iter(q("instrText")))
    assert re.match(r"\s*TOC ", instr)
    kinds = [f.get(q("fldCharType")) for f in sdt.iter(q("fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    entries = [text_of(p) for p in sdt.iter(q("p"))]
    assert entries[:4] == [
        "1. Executive summary",
        "2. Background",
        "3. Recommendations",
        "Recommendation 1. Recognise the Society by law",
    ]
    bookmarks = {b.get(q("name")) for b in rendered.body.iter(q("bookmarkStart"))}
    anchors = [h.get(q("anchor")) for h in sdt.iter(q("hyperlink"))]
    assert len(anchors) == 13 and set(anchors) <= bookmarks
    # Without page numbers from LibreOffice, Word is asked to fill them in on opening (issue 10, item 11).
    assert rendered.document.settings.element.find(q("updateFields")).get(q("val")) == "true"


def test_annexes_show_votes_per_round_with_quorum_rule_and_delphi_statistics():
    rendered = render(memo_data())
    table = rendered.document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Round",
        "For",
        "Against",
        "Abstain",
        "Block",
        "Voted / eligible",
        "Quorum",
        "Rule met",
        "Median (IQR)",
        "Outcome",
    ]
    assert table.rows[1].cells[0].text == "Recommendation 1. Recognise the Society by law"
    assert [c.text for c in table.rows[2].cells] == [
        "Round 1 (Delphi)",
        "11",
        "2",
        "2",
        "0",
        "15 / 16",
        "yes",
        "no",
        "7 (2.5)",
        "no consensus",
    ]
    assert [c.text for c in table.rows[3].cells] == [
        "Round 2",
        "14",
        "1",
        "0",
        "0",
        "15 / 16",
        "yes",
        "yes",
        "—",
        "adopted",
    ]
    assert table.rows[0]._tr.find("w:trPr/w:tblHeader", NS) is not None  # repeats on each page


def test_dissent_is_named_or_anonymous_as_each_voter_chose():
    rendered = render(memo_data())
    rows = [[c.text for c in row.cells] for row in rendered.document.tables[1].rows]
    assert rows[1][:3] == ["1", "Daniyar Serikbayev", "Mazhilis of the Parliament"]
    assert rows[2][:3] == ["2", "Name withheld at the member's request", "—"]


def test_participants_without_consent_are_counted_but_never_named():
    rendered = render(memo_data())
    everything = "\n".join(text_of(p) for p in rendered.body.iter(q("p")))
    assert "Hidden Person" not in everything and "Another Hidden" not in everything
    assert "Further participants who did not consent to be named: 2." in everything
    rows = [[c.text for c in row.cells] for row in rendered.document.tables[2].rows]
    assert rows[1] == ["Red Crescent Society of Kazakhstan"] * 2  # organisation row spans both columns
    assert rows[2] == ["Aigerim Nurlanovna Sadykova", "President"]


def test_final_memo_prints_the_snapshot_sha256_in_the_last_annex_and_no_draft_mark():
    rendered = render(memo_data())
    last_heading = rendered.paragraphs("Memo Annex Heading")[-1]
    after = "".join(text_of(el) for el in last_heading.itersiblings())
    assert SHA in after
    assert "DRAFT" not in rendered.header_footer_text()
    assert rendered.paragraphs("Memo Notice") == []


def test_final_memo_without_checksum_warns():
    result = render_memo(memo_data(snapshot_sha256=None), lang="en", variant="final")
    assert any("SHA-256" in w for w in result.warnings)


def test_header_and_footer_placeholders_are_filled_with_live_page_fields():
    rendered = render(memo_data())
    text = rendered.header_footer_text()
    assert "{{" not in text
    assert "School of Law and Public Administration, Narxoz University" in text
    footer = rendered.part_xml("word/footer1.xml")
    instructions = " ".join(t.text for t in footer.iter(q("instrText")))
    assert "PAGE" in instructions and "NUMPAGES" in instructions
    assert text_of(footer).startswith("Page ") and " of " in text_of(footer)


def test_unknown_language_or_variant_is_refused():
    with pytest.raises(ValueError, match="lang"):
        render_memo(memo_data(), lang="de", variant="final")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="variant"):
        render_memo(memo_data(), lang="en", variant="draft")  # type: ignore[arg-type]


def test_progress_is_reported_from_zero_to_one():
    seen: list[float] = []
    render_memo(memo_data(), lang="en", variant="final", progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_the_result_opens_in_python_docx_for_every_variant_and_language():
    for lang in ("en", "ru", "kk", "kk+ru"):
        for variant in ("final", "review", "redline", "comparison"):
            content = render_memo(memo_data(), lang=lang, variant=variant).content
            document = docx.Document(__import__("io").BytesIO(content))
            assert document.paragraphs, (lang, variant)


def test_importing_the_export_package_loads_neither_docx_lxml_nor_pydantic():
    code = (
        "import sys, recdraft.export; "
        "print(sorted(m for m in ('docx', 'lxml', 'pydantic', 'sqlalchemy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_variant_and_language_has_the_element_order_word_requires():
    for lang in ("en", "ru", "kk", "kk+ru"):
        for variant in ("final", "review", "redline", "comparison"):
            for data in (memo_data(), draft_data()):
                assert structure_problems(render(data, lang, variant)) == [], (lang, variant)


def test_a_reason_quoted_in_another_language_is_said_to_be_a_quotation_not_a_missing_translation():
    # The voters wrote their reasons in English: a Russian memo quotes them as written, and says so.
    ru = "\n".join(text_of(p) for p in render(memo_data(), lang="ru").body.iter(q("p")))
    assert "Обоснования приводятся в том виде и на том языке, в каком их изложили авторы." in ru
    assert "The Society should remain a public association under the general law." in ru
    en = "\n".join(text_of(p) for p in render(memo_data(), lang="en").body.iter(q("p")))
    assert "in the language they wrote them in" not in en  # nothing to explain when all are in English
