"""Other programs read the memo the way Word would: pandoc, LibreOffice, pdftotext."""

from __future__ import annotations

import pathlib
import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from recdraft.export import render_memo
from recdraft.export._markup import parse_blocks
from recdraft.export.wording import FALLBACK
from tests.docx.conftest import LANGS, VARIANTS, pandoc_plain, pdftotext, soffice_convert
from tests.tools import require_tool
from tests.unit.export.factories import KAZAKH_LETTERS, memo_data
from tests.unit.export.test_bad_input import memos

pytestmark = pytest.mark.docx_readers


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split())


def _expected_passages(lang: str, *, earlier: bool = False, side_by_side: bool = False) -> list[str]:
    """Every paragraph of every recommendation as a reader should see it in ``lang``.

    ``side_by_side`` (the kk | ru edition): a column never borrows the other language's text (issue 10,
    item 7), so a version missing in ``lang`` has no passages there.
    """
    out = []
    for rec in memo_data().recommendations:
        versions = rec.previous if earlier else rec.content
        if earlier and versions is None:
            continue
        if side_by_side and lang not in rec.content:
            continue
        used = next(c for c in FALLBACK[lang] if c in rec.content)
        content = (versions or {}).get(used)
        if content is None:
            continue
        out.append(content.title)
        for field in (content.text, content.rationale, content.legal_basis, content.responsible_body):
            out.extend(block.text for block in parse_blocks(field))
    return out


@pytest.mark.parametrize("variant", ["final", "review", "redline"])
@pytest.mark.parametrize("lang", LANGS)
def test_pandoc_reads_back_the_exact_text_of_every_recommendation(rendered_memos, lang, variant):
    text = _norm(pandoc_plain(rendered_memos[(variant, lang)]))
    for part in ("kk", "ru") if lang == "kk+ru" else (lang,):
        for passage in _expected_passages(part, side_by_side=lang == "kk+ru"):
            assert _norm(passage) in text, passage


@pytest.mark.parametrize("lang", ["en", "kk+ru"])
def test_pandoc_sees_the_memo_headings_as_headings_of_their_level(rendered_memos, lang):
    """Issue 17 item 6: the heading styles are real headings (pandoc ignores outline levels alone)."""
    tool = require_tool("pandoc", package="pandoc")
    markdown = subprocess.run(
        [tool, "-f", "docx", "-t", "markdown", "--wrap=none", str(rendered_memos[("final", lang)])],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    h1 = [line[2:].split(" {", 1)[0] for line in markdown.splitlines() if line.startswith("# ")]
    h2 = [line[3:].split(" {", 1)[0] for line in markdown.splitlines() if line.startswith("## ")]
    assert len(h2) == 5, h2
    if lang == "en":
        assert h1[:3] == ["Executive summary", "Background", "Recommendations"], h1
        assert h2[0] == "Recommendation 1. Recognise the Society by law", h2
        assert "Annex 1. Voting results" in h1, h1
    else:
        assert h1[0] == "Түйіндеме / Резюме" and h2[0] == "1-ұсыным / Рекомендация 1", (h1, h2)


def test_pandoc_rejecting_the_tracked_changes_reads_back_the_earlier_text(rendered_memos):
    tool = require_tool("pandoc", package="pandoc")
    text = _norm(
        subprocess.run(
            [
                tool,
                "-f",
                "docx",
                "-t",
                "plain",
                "--wrap=none",
                "--track-changes=reject",
                str(rendered_memos[("redline", "en")]),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    body = text.split("3. Recommendations", 1)[1]
    for passage in _expected_passages("en", earlier=True):
        assert _norm(passage) in body, passage
    assert "Regulate the protective" not in body  # recommendation 2 is new


def test_libreoffice_converts_every_variant_and_language_to_pdf(pdfs):
    tool = require_tool("pdfinfo", package="poppler-utils")
    assert len(pdfs) == len(LANGS) * len(VARIANTS)
    for key, pdf in pdfs.items():
        assert pdf.exists() and pdf.stat().st_size > 5_000, key
        info = subprocess.run([tool, str(pdf)], check=True, capture_output=True, text=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert pages >= (2 if key[0] == "comparison" else 8), (key, pages)


def test_the_kazakh_pdf_holds_every_kazakh_letter(pdfs):
    for lang in ("kk", "kk+ru"):
        text = pdftotext(pdfs[("final", lang)])
        missing = [letter for letter in KAZAKH_LETTERS if letter not in text]
        assert missing == [], (lang, missing)
    text = pdftotext(pdfs[("final", "kk")])
    assert "2025 жылғы 6 ақпан" in text and "Бет 2 / " in text


def test_the_pdf_shows_the_draft_mark_and_page_numbers(pdfs):
    text = pdftotext(pdfs[("final", "ru")])
    assert "ПРОЕКТ" in text and "Стр. 2 из" in text
    assert "Page 2 of" in pdftotext(pdfs[("final", "en")])


def _flat_odt(rendered_memos, tmp_path, keys) -> dict[tuple[str, str], etree._Element]:
    soffice_convert([rendered_memos[k] for k in keys], tmp_path, fmt="fodt")
    return {k: etree.parse(str(tmp_path / (rendered_memos[k].stem + ".fodt"))).getroot() for k in keys}


def test_libreoffice_sees_the_tracked_changes_and_the_comments(rendered_memos, tmp_path):
    docs = _flat_odt(rendered_memos, tmp_path, [("redline", "en"), ("review", "en")])
    ns = {
        "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "dc": "http://purl.org/dc/elements/1.1/",
    }
    redline = docs[("redline", "en")]
    insertions = redline.findall(".//text:changed-region/text:insertion", ns)
    deletions = redline.findall(".//text:changed-region/text:deletion", ns)
    assert insertions and deletions
    authors = {c.text for c in redline.findall(".//text:changed-region//dc:creator", ns)}
    assert authors == {"Editorial group"}
    annotations = docs[("review", "en")].findall(".//office:annotation", ns)
    assert [a.find("dc:creator", ns).text for a in annotations] == ["Aliya Bekova", "Timur Akhmetov", "Aliya Bekova"]


@settings(
    max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(memos(), min_size=3, max_size=3), lang=st.sampled_from(LANGS), variant=st.sampled_from(VARIANTS))
def test_libreoffice_opens_memos_made_of_arbitrary_text(batch, lang, variant, tmp_path_factory):
    out: pathlib.Path = tmp_path_factory.mktemp("arbitrary")
    files = []
    for k, data in enumerate(batch):
        path = out / f"memo{k}.docx"
        path.write_bytes(render_memo(data, lang=lang, variant=variant).content)
        files.append(path)
    soffice_convert(files, out)
    for path in files:
        pdf = path.with_suffix(".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1_000, path.name
