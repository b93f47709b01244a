"""An Open XML schema validator on every variant × language, and the PDF/A copy made by LibreOffice."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pytest
from openxml_audit import OpenXmlValidator

from recdraft.export import render_memo, to_pdf
from recdraft.export._pdf import available
from tests.docx.conftest import LANGS, VARIANTS, pdftotext
from tests.tools import require_tool
from tests.unit.export.factories import SHA, comments, memo_data

pytestmark = pytest.mark.docx_readers


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_variant_and_language_passes_the_open_xml_validator(rendered_memos, lang, variant):
    result = OpenXmlValidator().validate(rendered_memos[(variant, lang)])
    assert result.error_count == 0, [str(e) for e in result.errors][:10]


def test_the_validator_catches_a_broken_review_copy(tmp_path):
    """The check is real: an element the schema does not allow in a paragraph fails validation."""
    good = render_memo(memo_data(comments=[*comments()]), lang="en", variant="review").content
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(io.BytesIO(good)) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:pPr>", b"<w:pPr><w:bogus/>", 1)
            dst.writestr(item, data)
    assert OpenXmlValidator().validate(broken).error_count > 0


@pytest.fixture(scope="module")
def pdf_copy(tmp_path_factory):
    if not available():
        require_tool("soffice", package="libreoffice-writer-nogui")
        pytest.fail("PDF export needs python3-uno for /usr/bin/python3 (apt-get install python3-uno)")
    docx = render_memo(memo_data(), lang="kk", variant="final").content
    pdf, pages = to_pdf(docx)
    path = tmp_path_factory.mktemp("pdfa") / "memo-kk.pdf"
    path.write_bytes(pdf)
    return path, pages


def test_the_pdf_copy_is_pdf_a_2b_with_every_font_embedded(pdf_copy):
    path, _ = pdf_copy
    pdfinfo = require_tool("pdfinfo", package="poppler-utils")
    meta = subprocess.run([pdfinfo, "-meta", str(path)], check=True, capture_output=True, text=True).stdout
    assert "<pdfaid:part>2</pdfaid:part>" in meta and "<pdfaid:conformance>B</pdfaid:conformance>" in meta
    pdffonts = require_tool("pdffonts", package="poppler-utils")
    fonts = subprocess.run([pdffonts, str(path)], check=True, capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column


def test_the_pdf_copy_is_tagged_with_headings_table_headers_and_the_memo_language(pdf_copy):
    """Issue 17 item 6: a screen reader finds the headings, the table headers and the language."""
    path, _ = pdf_copy
    pdfinfo = require_tool("pdfinfo", package="poppler-utils")
    info = subprocess.run([pdfinfo, str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    struct = subprocess.run([pdfinfo, "-struct-text", str(path)], check=True, capture_output=True, text=True).stdout
    kinds = [line.split()[0] for line in struct.splitlines() if line.strip()]
    # The sections and annexes are H1, the five recommendations H2; header cells are TH, not TD.
    assert kinds.count("H2") == 5 and kinds.count("H1") >= 5, sorted(set(kinds))
    assert "TH:" in kinds or "TH" in kinds, sorted(set(kinds))
    first_h1 = struct.split("H1 (block):", 1)[1]
    assert '"Түйіндеме"' in first_h1.split("(block):", 1)[0], first_h1[:300]  # the executive summary
    assert b"/Lang(kk-KZ)" in path.read_bytes()  # the document language, in the catalogue


def test_the_pdf_contents_have_page_numbers_and_the_seal_is_printed(pdf_copy):
    path, pages = pdf_copy
    text = pdftotext(path)
    contents = text.split("Мазмұны", 1)[1].split("Бет 2", 1)[0]
    assert re.search(r"Түйіндеме\s*\.{3,}\s*3", contents), contents
    assert len(pages) == 13 and pages == sorted(pages) and pages[0] >= 2
    assert SHA in text.replace(" ", "").replace("\n", "")


def test_the_docx_can_carry_the_same_page_numbers_as_the_pdf(pdf_copy):
    _, pages = pdf_copy
    docx = render_memo(memo_data(), lang="kk", variant="final", toc_pages=pages).content
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        document = zf.read("word/document.xml").decode("utf-8")
    contents = document.split("Түйіндеме", 1)[1][:400]
    assert f"<w:t>{pages[0]}</w:t>" in contents


def test_a_review_copy_with_a_thread_and_a_resolved_comment_is_valid(tmp_path):
    from tests.unit.export.test_record import _threaded

    path = tmp_path / "threads.docx"
    path.write_bytes(render_memo(memo_data(comments=_threaded()), lang="kk+ru", variant="review").content)
    result = OpenXmlValidator().validate(path)
    assert result.error_count == 0, [str(e) for e in result.errors][:10]
    with zipfile.ZipFile(path) as zf:
        assert b"w15:paraIdParent" in zf.read("word/commentsExtended.xml")
