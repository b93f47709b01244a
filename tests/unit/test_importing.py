"""Reading a recommendations memo into a preview (recdraft.importing, issue 16): every item's fields, in
kk, ru and en, from .docx and (through LibreOffice) .odt and .doc; and every kind of bad file refused
with its own message before anything is read."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from recdraft.errors import InvalidInput
from recdraft.importing import preview as pv
from recdraft.importing import read_document
from recdraft.importing._safety import MAX_FILE_BYTES, OLE_MAGIC
from tests.import_documents import (
    EXPECTED,
    memo,
    memo_bytes,
    to_bytes,
    tracked_deletion,
    tracked_insertion,
)

FIELDS = ("title", "text", "rationale", "legal_basis", "responsible_body", "topic")
ROOT = Path(__file__).resolve().parents[2]


def assert_items_match(preview, lang):
    assert len(preview.items) == 12
    for n, (got, want) in enumerate(zip(preview.items, EXPECTED[lang], strict=True), start=1):
        assert got.source == (n,)
        for field in FIELDS:
            assert getattr(got, field) == getattr(want, field), (n, field)
        assert not got.skip


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_item_of_a_12_item_memo_lands_in_the_right_fields(lang):
    preview = read_document(memo_bytes(lang), f"memo_{lang}.docx")
    assert preview.language == lang
    assert_items_match(preview, lang)
    keys = [m.key for m in preview.messages()]
    assert keys == ["import.notice.found", "import.notice.preamble"]  # the introduction is not an item


def _libreoffice(tmp_path: Path, data: bytes, target: str) -> bytes:
    source = tmp_path / "memo.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (tmp_path / f"memo.{target}").read_bytes()


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@needs_libreoffice
@pytest.mark.parametrize(("lang", "kind"), [("ru", "odt"), ("en", "odt"), ("kk", "doc")])
def test_a_memo_saved_by_libreoffice_as_odt_or_doc_reads_the_same(tmp_path, lang, kind):
    data = _libreoffice(tmp_path, memo_bytes(lang), kind)
    preview = read_document(data, f"memo.{kind}")
    assert_items_match(preview, lang)
    assert "import.notice.converted" in [m.key for m in preview.messages()]


def test_a_memo_typed_into_a_table_with_column_headings_gives_one_item_per_row():
    d = docx.Document()
    d.add_paragraph("Рекомендации круглого стола", style="Title")
    table = d.add_table(rows=1, cols=5)
    for cell, head in zip(
        table.rows[0].cells, ["№", "Название", "Рекомендация", "Обоснование", "Правовая основа"], strict=True
    ):
        cell.text = head
    for n, item in enumerate(EXPECTED["ru"], start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[3].text, cells[4].text = (
            str(n),
            item.title,
            item.rationale,
            item.legal_basis,
        )
        first, second = item.text.split("\n\n")
        cells[2].text = first
        cells[2].add_paragraph(second)
    preview = read_document(to_bytes(d), "table.docx")
    assert len(preview.items) == 12
    for got, want in zip(preview.items, EXPECTED["ru"], strict=True):
        assert (got.title, got.text, got.rationale, got.legal_basis) == (
            want.title,
            want.text,
            want.rationale,
            want.legal_basis,
        )
    assert "import.notice.table_rows" in [m.key for m in preview.messages()]


def test_a_memo_laid_out_in_table_cells_without_headings_is_read_cell_by_cell():
    d = docx.Document()
    table = d.add_table(rows=0, cols=2)
    for n, item in enumerate(EXPECTED["en"][:3], start=1):
        row = table.add_row().cells
        row[0].text, row[1].text = str(n), ""
        row[1].paragraphs[0].text = f"Recommendation {n}. {item.title}"
        row[1].add_paragraph(item.text.split("\n\n")[0])
        row[1].add_paragraph("Rationale")
        row[1].add_paragraph(item.rationale)
    preview = read_document(to_bytes(d), "layout.docx")
    assert [i.title for i in preview.items] == [i.title for i in EXPECTED["en"][:3]]
    assert [i.rationale for i in preview.items] == [i.rationale for i in EXPECTED["en"][:3]]
    assert "import.notice.table_cells" in [m.key for m in preview.messages()]


def test_tracked_changes_are_read_as_accepted_and_the_preview_says_so():
    d = memo("en")
    target = next(p for p in d.paragraphs if p.text == EXPECTED["en"][0].rationale)
    tracked_insertion(target, " It also protects volunteers.")
    tracked_deletion(target, " This sentence was struck out.")
    preview = read_document(to_bytes(d), "tracked.docx")
    assert preview.items[0].rationale == EXPECTED["en"][0].rationale + " It also protects volunteers."
    assert "struck out" not in preview.model_dump_json()
    assert "import.notice.tracked_changes" in [m.key for m in preview.messages()]


def test_comments_are_left_out_and_counted():
    d = memo("kk")
    target = next(p for p in d.paragraphs if p.text == EXPECTED["kk"][1].rationale)
    d.add_comment(target.runs, text="Бұл абзацты қысқарту керек", author="Aigerim", initials="A")
    preview = read_document(to_bytes(d), "comments.docx")
    assert_items_match(preview, "kk")
    notices = {m.key: m for m in preview.messages()}
    assert notices["import.notice.comments"].params == {"count": 1}
    assert "қысқарту" not in preview.model_dump_json()


def test_headings_alone_open_items_when_nothing_is_numbered():
    d = docx.Document()
    d.add_heading("Recommendations on the draft law", level=1)
    for item in EXPECTED["en"][:4]:
        d.add_heading(item.title, level=2)
        d.add_paragraph(item.text.split("\n\n")[0])
        d.add_paragraph(f"Legal basis — {item.legal_basis}")
    preview = read_document(to_bytes(d), "headings.docx")
    assert [i.title for i in preview.items] == [i.title for i in EXPECTED["en"][:4]]
    assert [i.legal_basis for i in preview.items] == [i.legal_basis for i in EXPECTED["en"][:4]]
    assert {i.topic for i in preview.items} == {""}  # one top heading is the document's title, not a topic


def test_a_long_numbered_paragraph_gives_its_first_sentence_as_the_title_and_keeps_all_of_it_as_text():
    d = docx.Document()
    long = (
        "The Government should submit the draft law to Parliament before the spring session. "
        "It should first consult the Society and the Ministry of Emergency Situations."
    )
    d.add_paragraph(long, style="List Number")
    d.add_paragraph("The emblem must be protected in peacetime too.", style="List Number")
    preview = read_document(to_bytes(d), "short.docx")
    assert (
        preview.items[0].title == "The Government should submit the draft law to Parliament before the spring session."
    )
    assert preview.items[0].text == long
    assert preview.items[1].text == preview.items[1].title == "The emblem must be protected in peacetime too."


# --- bad files ------------------------------------------------------------------------------------------


def _refused(data: bytes, name: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        read_document(data, name)
    assert caught.value.field == "file"
    for lang in ("kk", "ru", "en"):
        assert caught.value.text(lang).strip()
    return caught.value


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_opened():
    error = _refused(b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024), "huge.docx")
    assert error.key == "import.file.too_big"
    assert error.params == {"size": 50, "limit": MAX_FILE_BYTES // (1024 * 1024)}
    assert "50" in error.text("ru") and "МБ" in error.text("ru")


def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked():
    base = zipfile.ZipFile(io.BytesIO(memo_bytes("en")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for entry in base.infolist():
            z.writestr(entry, base.read(entry))
        z.writestr("word/media/bomb.bin", b"\x00" * (60 * 1024 * 1024))  # packs to about 60 KB
    assert len(out.getvalue()) < 1024 * 1024
    assert _refused(out.getvalue(), "bomb.docx").key == "import.file.zip_bomb"


def test_a_docm_with_macros_is_refused_by_its_name_and_by_its_content():
    assert _refused(memo_bytes("en"), "memo.docm").key == "import.file.macros"
    base = zipfile.ZipFile(io.BytesIO(memo_bytes("en")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for entry in base.infolist():
            z.writestr(entry, base.read(entry))
        z.writestr("word/vbaProject.bin", b"\x01" * 2048)
    assert _refused(out.getvalue(), "renamed.docx").key == "import.file.macros"


def test_a_password_protected_file_is_refused_as_such():
    # Word keeps an encrypted .docx in an OLE container with EncryptionInfo and EncryptedPackage streams.
    ole = (
        OLE_MAGIC
        + b"\x00" * 504
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 100
        + "EncryptedPackage".encode("utf-16-le")
        + b"\x00" * 4096
    )
    assert _refused(ole, "secret.docx").key == "import.file.encrypted"
    assert _refused(ole, "secret.doc").key == "import.file.encrypted"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr(
            "META-INF/manifest.xml",
            "<manifest:manifest><manifest:file-entry><manifest:encryption-data/>"
            "</manifest:file-entry></manifest:manifest>",
        )
        z.writestr("content.xml", b"\x93\x11encrypted")
    assert _refused(out.getvalue(), "secret.odt").key == "import.file.encrypted"


def test_an_empty_file_and_an_empty_document_are_refused():
    assert _refused(b"", "empty.docx").key == "import.file.empty"
    assert _refused(to_bytes(docx.Document()), "blank.docx").key == "import.file.no_text"


def test_a_document_in_another_language_is_refused():
    d = docx.Document()
    d.add_heading("Empfehlungen zum Gesetzentwurf über die Rothalbmondgesellschaft", level=1)
    for n in range(1, 4):
        d.add_paragraph(
            f"Die Regierung sollte den Artikel {n} des Entwurfs überarbeiten und klarer fassen.", style="List Number"
        )
    assert _refused(to_bytes(d), "de.docx").key == "import.file.language"


def test_a_document_without_headings_or_numbers_says_how_to_mark_items():
    d = docx.Document()
    d.add_paragraph("The School of Law held a roundtable on the draft law on the Red Crescent Society.")
    d.add_paragraph("The participants discussed the emblem and the status of volunteers.")
    error = _refused(to_bytes(d), "notes.docx")
    assert error.key == "import.file.no_items"


def test_other_kinds_of_file_and_files_that_lie_about_their_kind_are_refused():
    assert _refused(b"%PDF-1.7 ...", "memo.pdf").key == "import.file.unsupported"
    assert _refused(b"just some text that is not a zip", "memo.docx").key == "import.file.damaged"
    assert _refused(memo_bytes("en"), "memo.doc").key == "import.file.damaged"


# --- editing the preview --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def preview():
    return read_document(memo_bytes("en"), "memo_en.docx")


def test_merge_joins_two_items_and_keeps_both_sources(preview):
    merged = pv.merge_with_next(preview, 0)
    assert len(merged.items) == 11 and len(preview.items) == 12  # the original is untouched
    item = merged.items[0]
    assert item.source == (1, 2)
    assert item.title == EXPECTED["en"][0].title
    assert item.paragraphs("text")[2] == EXPECTED["en"][1].title
    assert item.rationale == EXPECTED["en"][0].rationale + "\n\n" + EXPECTED["en"][1].rationale


def test_split_makes_a_new_item_from_a_paragraph_on(preview):
    split = pv.split(preview, 0, 1)
    assert len(split.items) == 13
    first, second = split.items[0], split.items[1]
    assert first.text == EXPECTED["en"][0].text.split("\n\n")[0]
    assert second.title == EXPECTED["en"][0].text.split("\n\n")[1] and second.source == (1,)
    assert first.rationale == EXPECTED["en"][0].rationale and second.rationale == ""


def test_skip_and_moving_paragraphs_between_fields(preview):
    skipped = pv.set_skip(preview, 3)
    assert len(skipped.to_import()) == 11
    moved = pv.move_paragraph(preview, 0, "text", 1, "rationale")
    assert moved.items[0].text == EXPECTED["en"][0].text.split("\n\n")[0]
    assert moved.items[0].paragraphs("rationale")[-1] == EXPECTED["en"][0].text.split("\n\n")[1]
    whole = pv.move_field(preview, 0, "legal_basis", "rationale")
    assert whole.items[0].legal_basis == ""
    assert whole.items[0].rationale.endswith(EXPECTED["en"][0].legal_basis)
    edited = pv.set_field(preview, 2, "title", "A better title")
    assert edited.items[2].title == "A better title"
    assert pv.set_language(preview, "ru").language == "ru"


def test_the_reader_touches_no_database_services_or_ui():
    import ast

    bad = []
    for path in (ROOT / "recdraft" / "importing").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            )
            bad += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith(("sqlalchemy", "streamlit", "recdraft.db", "recdraft.services", "recdraft.ui"))
            ]
    assert bad == []


def test_the_same_memo_saved_twice_is_the_same_file_and_another_memo_is_not():
    first = read_document(memo_bytes("ru"), "a.docx")
    second = read_document(memo_bytes("ru"), "b.docx")
    assert first.content_hash == second.content_hash
    assert read_document(memo_bytes("kk"), "a.docx").content_hash != first.content_hash
