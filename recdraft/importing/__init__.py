"""Reading a document of draft recommendations into a preview of the recommendations it holds (issue 16).

Pure: bytes in, an ``ImportPreview`` out; nothing here touches the database (``services.imports`` stores a
confirmed preview). ``read_document(data, file_name)``:

1. ``_safety``: size (20 MB at most), kind (.docx; .odt and .doc; a .docm is refused for its macros),
   password protection, and the zip's entries (count, unpacked size, compression ratio: a zip bomb is
   refused before anything is unpacked);
2. ``_convert``: an .odt or .doc becomes a .docx through LibreOffice headless (checked again after);
3. ``_docx``: paragraphs and table cells as blocks, with tracked changes accepted and comments left out;
4. ``_items``: numbered items or headings open recommendations, labels fill rationale and legal basis;
5. ``_language``: the document's language (kk, ru or en); any other is refused.

Every refusal is ``InvalidInput(field="file")`` with an ``import.file.*`` key.
"""

from __future__ import annotations

import hashlib

from recdraft.errors import InvalidInput
from recdraft.i18n.messages import Msg
from recdraft.importing import _convert, _docx, _items, _language, _safety
from recdraft.importing.preview import FIELDS, ImportPreview, PreviewItem

__all__ = ["FIELDS", "ImportPreview", "PreviewItem", "content_hash", "read_document"]

MAX_ITEMS = 1_000
# The language found, as a word of the sentence it is shown in (a nested message, rendered in the reader's).
LANGUAGE_NAMES = {"kk": Msg("import.language.kk"), "ru": Msg("import.language.ru"), "en": Msg("import.language.en")}


def content_hash(paragraphs: list[str]) -> str:
    """The SHA-256 of a document's text, paragraph by paragraph: what makes two files "the same file".

    Not of the bytes: Word and python-docx write the time of saving into the file, so the same memo saved
    twice (or once as .docx and once as .odt) has other bytes but the same text, and is imported once.
    """
    return hashlib.sha256("\n".join(paragraphs).encode("utf-8")).hexdigest()


def read_document(data: bytes, file_name: str) -> ImportPreview:
    """The preview of the recommendations in a file. Raises InvalidInput (field ``file``) for a file that
    cannot be imported, saying why."""
    kind = _safety.check_file(data, file_name)
    notices: list[Msg] = []
    docx_bytes = data
    if kind in ("odt", "doc"):
        docx_bytes = _convert.to_docx(data, kind, file_name)
        _safety.check_zip(docx_bytes, file_name, "docx")
        notices.append(Msg("import.notice.converted", kind=kind.upper()))
    document = _docx.read_docx(docx_bytes, file_name)
    blocks = document.blocks()
    if not any(b.text.strip() for b in blocks):
        raise InvalidInput("import.file.no_text", field="file", name=file_name)
    language = _language.detect("\n".join(b.text for b in blocks))
    if language is None:
        raise InvalidInput("import.file.language", field="file", name=file_name)
    result = _items.build(document)
    if not result.items:
        raise InvalidInput("import.file.no_items", field="file", name=file_name)
    if len(result.items) > MAX_ITEMS:
        raise InvalidInput("import.file.too_many_items", field="file", count=len(result.items), limit=MAX_ITEMS)
    if document.tracked_changes:
        notices.append(Msg("import.notice.tracked_changes"))
    if document.comments:
        notices.append(Msg("import.notice.comments", count=document.comments))
    if result.table_rows:
        notices.append(Msg("import.notice.table_rows", count=result.table_rows))
    elif result.table_paragraphs:
        notices.append(Msg("import.notice.table_cells", count=result.table_paragraphs))
    if result.preamble:
        notices.append(Msg("import.notice.preamble", count=result.preamble))
    untitled = [str(item.source[0]) for item in result.items if not item.title.strip()]
    if untitled:
        notices.append(Msg("import.notice.untitled", items=", ".join(untitled)))
    notices.insert(0, Msg("import.notice.found", count=len(result.items), language=LANGUAGE_NAMES[language]))
    return ImportPreview(
        file_name=file_name,
        content_hash=content_hash([b.text for b in blocks]),
        language=language,
        detected_language=language,
        items=tuple(result.items),
        notices=tuple(n.to_json() for n in notices),
    )
