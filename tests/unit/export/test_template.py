"""The Word template: named styles, numbering, placeholders, and the script that builds it."""

from __future__ import annotations

import importlib.util
import io
import pathlib
import zipfile

import docx
import pytest
from lxml import etree

from recdraft.errors import RecdraftError
from recdraft.export import DEFAULT_TEMPLATE, MissingStyleError, render_memo
from recdraft.export._template import REQUIRED_STYLES, fill_placeholders
from tests.unit.export.factories import memo_data
from tests.unit.export.helpers import W, q, render, text_of

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _without_style(tmp_path: pathlib.Path, name: str) -> pathlib.Path:
    """A copy of the shipped template with the style ``name`` deleted."""
    target = tmp_path / "stripped.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/styles.xml":
                root = etree.fromstring(data)
                for style in root.iter(q("style")):
                    if style.find(q("name")).get(q("val")) == name:
                        root.remove(style)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    return target


def test_the_shipped_template_defines_every_style_the_renderer_relies_on():
    document = docx.Document(str(DEFAULT_TEMPLATE))
    names = {s.find(q("name")).get(q("val")).casefold() for s in document.styles.element.iter(q("style"))}
    assert {n.casefold() for n in REQUIRED_STYLES} <= names


def test_a_template_missing_a_style_fails_with_an_error_naming_it(tmp_path):
    stripped = _without_style(tmp_path, "Memo Quote")
    with pytest.raises(MissingStyleError, match="'Memo Quote'") as info:
        render_memo(memo_data(), lang="en", variant="final", template=stripped)
    assert isinstance(info.value, RecdraftError)
    assert info.value.missing == ["Memo Quote"]


def test_a_restyled_template_is_used_as_it_is(tmp_path):
    """The School changes fonts in Word: the memo takes them from the styles, never from code."""
    target = tmp_path / "restyled.docx"
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/styles.xml":
                data = data.replace(b"Times New Roman", b"Georgia")
            zout.writestr(item, data)
    rendered = render(memo_data(), template=target)
    fonts = {f.get(q("ascii")) for f in rendered.document.styles.element.iter(q("rFonts"))}
    assert "Georgia" in fonts and "Times New Roman" not in fonts


def test_placeholders_split_across_runs_by_word_are_still_replaced():
    p = etree.fromstring(
        f'<w:p xmlns:w="{W}"><w:r><w:rPr><w:b/></w:rPr><w:t>Left {{{{draft</w:t></w:r>'
        f"<w:r><w:t>_ma</w:t></w:r><w:r><w:t>rk}}}} right</w:t></w:r></w:p>"
    )
    fill_placeholders(p, {"draft_mark": "DRAFT"})
    assert text_of(p) == "Left DRAFT right"
    draft_run = [r for r in p.iter(q("r")) if text_of(r) == "DRAFT"][0]
    assert draft_run.find(f"{q('rPr')}/{q('b')}") is not None  # formatting of the token kept


def test_user_text_that_looks_like_a_placeholder_is_printed_not_expanded():
    rt = memo_data().roundtable.model_copy(update={"organisers": {"en": "Org {{page_x_of_y}} {{title}}"}})
    rendered = render(memo_data(roundtable=rt))
    assert "Org {{page_x_of_y}} {{title}}" in rendered.header_footer_text()


def test_the_build_script_writes_a_template_the_renderer_accepts(tmp_path):
    spec = importlib.util.spec_from_file_location("build_template", ROOT / "templates" / "build_template.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path / "memo.docx")
    result = render_memo(memo_data(), lang="kk", variant="final", template=built)
    assert docx.Document(io.BytesIO(result.content)).paragraphs
    # Rebuilding gives the same bytes (fixed zip timestamps): template diffs stay reviewable.
    assert module.build(tmp_path / "again.docx").read_bytes() == built.read_bytes()
