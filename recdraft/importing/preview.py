"""What an import will create, item by item, and the fixes a person makes before importing.

A preview is plain data (it lives in the page's session between reruns and is what the import service
receives): every edit returns a new preview and leaves the old one as it was. Fields hold paragraphs
separated by a blank line, so a paragraph can be moved to another field or split off as a new item.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from recdraft.i18n.messages import Msg

FIELDS = ("title", "text", "rationale", "legal_basis", "responsible_body")
PARAGRAPH_BREAK = "\n\n"


class PreviewItem(BaseModel):
    """One recommendation to be created. ``source``: its item numbers in the file (several after a merge)."""

    model_config = ConfigDict(frozen=True)

    source: tuple[int, ...]
    title: str
    text: str = ""
    rationale: str = ""
    legal_basis: str = ""
    responsible_body: str = ""
    topic: str = ""
    skip: bool = False

    def paragraphs(self, field: str) -> list[str]:
        """The paragraphs of a field (the title is one paragraph)."""
        return [p for p in getattr(self, _field(field)).split(PARAGRAPH_BREAK) if p.strip()]

    def fields(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS}


class ImportPreview(BaseModel):
    """The items read from one file, the language they are in, and what the reader noticed."""

    model_config = ConfigDict(frozen=True)

    file_name: str
    content_hash: str  # SHA-256 of the document's text (importing.content_hash): imported once
    language: str
    detected_language: str | None = None
    items: tuple[PreviewItem, ...]
    notices: tuple[dict[str, Any], ...] = ()  # Msg.to_json() of each notice

    def messages(self) -> list[Msg]:
        """The notices, to render in the reader's language."""
        return [Msg.from_json(n) for n in self.notices]

    def to_import(self) -> list[PreviewItem]:
        return [item for item in self.items if not item.skip]


def _field(name: str) -> str:
    if name not in FIELDS:
        raise AssertionError(f"not a field of a recommendation: {name!r}")
    return name


def _join(*parts: str) -> str:
    return PARAGRAPH_BREAK.join(p for p in parts if p.strip())


def _replace(preview: ImportPreview, index: int, *items: PreviewItem) -> ImportPreview:
    if not 0 <= index < len(preview.items):
        raise AssertionError(f"no item {index} in the preview")
    return preview.model_copy(update={"items": preview.items[:index] + items + preview.items[index + 1 :]})


def set_skip(preview: ImportPreview, index: int, skip: bool = True) -> ImportPreview:
    """Leave item ``index`` out of the import (or take it back in)."""
    return _replace(preview, index, preview.items[index].model_copy(update={"skip": skip}))


def set_field(preview: ImportPreview, index: int, field: str, value: str) -> ImportPreview:
    """Replace a field's text (the person corrects what was read)."""
    return _replace(preview, index, preview.items[index].model_copy(update={_field(field): value}))


def set_topic(preview: ImportPreview, index: int, topic: str) -> ImportPreview:
    return _replace(preview, index, preview.items[index].model_copy(update={"topic": topic}))


def set_language(preview: ImportPreview, language: str) -> ImportPreview:
    """The language the items are stored in (when the reader guessed wrong)."""
    return preview.model_copy(update={"language": language})


def merge_with_next(preview: ImportPreview, index: int) -> ImportPreview:
    """Item ``index`` and the one after it become one: the first title stays, the next title opens its
    part of the text, and every other field is joined paragraph by paragraph."""
    if index + 1 >= len(preview.items):
        raise AssertionError("the last item has nothing to merge with")
    first, second = preview.items[index], preview.items[index + 1]
    second_text = second.text if second.text.strip() == second.title.strip() else _join(second.title, second.text)
    merged = first.model_copy(
        update={
            "source": first.source + second.source,
            "text": _join(first.text, second_text),
            "rationale": _join(first.rationale, second.rationale),
            "legal_basis": _join(first.legal_basis, second.legal_basis),
            "responsible_body": "; ".join(x for x in (first.responsible_body, second.responsible_body) if x.strip()),
            "skip": first.skip and second.skip,
        }
    )
    items = preview.items[:index] + (merged,) + preview.items[index + 2 :]
    return preview.model_copy(update={"items": items})


def split(preview: ImportPreview, index: int, paragraph: int) -> ImportPreview:
    """Item ``index``'s text from paragraph ``paragraph`` on becomes a new item after it, titled by that
    paragraph; rationale and legal basis stay with the first part."""
    item = preview.items[index]
    paragraphs = item.paragraphs("text")
    if not 0 < paragraph < len(paragraphs):
        raise AssertionError("split between two paragraphs of the text")
    head, tail = paragraphs[:paragraph], paragraphs[paragraph:]
    new_title = tail[0]
    new_text = _join(*tail[1:]) or tail[0]
    first = item.model_copy(update={"text": _join(*head)})
    second = PreviewItem(source=item.source, title=new_title, text=new_text, topic=item.topic, skip=item.skip)
    return _replace(preview, index, first, second)


def move_paragraph(preview: ImportPreview, index: int, field: str, paragraph: int, target: str) -> ImportPreview:
    """Move one paragraph of a field to the end of another field of the same item ("this paragraph is
    the rationale, not the text")."""
    item = preview.items[index]
    paragraphs = item.paragraphs(field)
    if not 0 <= paragraph < len(paragraphs):
        raise AssertionError("no such paragraph")
    moved = paragraphs.pop(paragraph)
    update = {_field(field): _join(*paragraphs)}
    update[_field(target)] = _join(update.get(target, getattr(item, target)), moved)
    return _replace(preview, index, item.model_copy(update=update))


def move_field(preview: ImportPreview, index: int, field: str, target: str) -> ImportPreview:
    """Move the whole of a field to another (appended to what that field holds)."""
    item = preview.items[index]
    update = {_field(field): "", _field(target): _join(getattr(item, target), getattr(item, field))}
    return _replace(preview, index, item.model_copy(update=update))
