"""A .docx read into a flat list of blocks (one per paragraph, table cells included), accepted text only.

The text of a paragraph is what Word shows with every tracked change accepted: inserted runs are read,
deleted and moved-away runs are not; comments, field codes and the fallback copy of text boxes are left
out. Tables are read row by row, cell by cell, so a memo typed into a table is read too; a table whose
first row names the fields ("Recommendation | Rationale | Legal basis") is kept as rows (``Table``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from recdraft.errors import InvalidInput

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"
SKIPPED_ANCESTORS = {_W + "del", _W + "moveFrom", f"{{{MC}}}Fallback"}
TRACKED = ("ins", "del", "moveFrom", "moveTo")
_HEADING_NAME = re.compile(r"^(?:heading|заголовок|тақырып)\s*(\d)$", re.IGNORECASE)


@dataclass
class Block:
    """One paragraph: its text, heading level (0: not a heading), list numbering, where it stands."""

    text: str
    heading: int = 0
    numbered: tuple[str, int] | None = None  # (numbering id, level) of an automatic list
    title: bool = False  # the document's Title style
    in_table: bool = False


@dataclass
class Table:
    """A table: the text of each cell of each row (cells' paragraphs joined by new lines), and the same
    paragraphs as blocks, in reading order, for a table that is only a layout."""

    rows: list[list[str]]
    blocks: list[Block]


@dataclass
class Document:
    parts: list[Block | Table] = field(default_factory=list)
    tracked_changes: bool = False
    comments: int = 0
    # The number format ("decimal", "bullet", "lowerLetter", ...) of each (list id, level).
    formats: dict[tuple[str, int], str] = field(default_factory=dict)

    def blocks(self) -> list[Block]:
        """Every paragraph, table cells included, in reading order."""
        out: list[Block] = []
        for part in self.parts:
            out.extend(part.blocks if isinstance(part, Table) else [part])
        return out


def read_docx(data: bytes, file_name: str) -> Document:
    """The blocks of a .docx (checked by ``_safety`` first). InvalidInput when it is not a Word document."""
    import docx  # python-docx: imported here so the rest of the package loads without it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("import.file.damaged", field="file", name=file_name) from exc
    except Exception as exc:
        if type(exc).__module__.startswith("lxml"):
            raise InvalidInput("import.file.damaged", field="file", name=file_name) from exc
        raise
    styles = _Styles(document)
    body = document.element.body
    out = Document()
    out.tracked_changes = next(body.iter(*(_W + tag for tag in TRACKED)), None) is not None
    out.comments = _count_comments(document)
    out.formats = _formats(document)
    _walk(body, styles, out, in_table=False)
    return out


def _count_comments(document) -> int:
    for rel in document.part.rels.values():
        if rel.reltype.endswith("/comments"):
            return (
                sum(1 for _ in rel.target_part.element.iter(_W + "comment"))
                if hasattr(rel.target_part, "element")
                else len(re.findall(rb"<w:comment\b", rel.target_part.blob))
            )
    return 0


def _formats(document) -> dict[tuple[str, int], str]:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return {}
    abstract: dict[str, dict[int, str]] = {}
    for node in root.iterchildren(_W + "abstractNum"):
        levels: dict[int, str] = {}
        for lvl in node.iterchildren(_W + "lvl"):
            fmt = lvl.find(_W + "numFmt")
            ilvl = lvl.get(_W + "ilvl") or "0"
            if ilvl.isdigit():
                levels[int(ilvl)] = (fmt.get(_W + "val") if fmt is not None else "") or "decimal"
        abstract[node.get(_W + "abstractNumId") or ""] = levels
    out: dict[tuple[str, int], str] = {}
    for num in root.iterchildren(_W + "num"):
        ref = num.find(_W + "abstractNumId")
        levels = abstract.get(ref.get(_W + "val") if ref is not None else "", {})
        for level, fmt in levels.items():
            out[(num.get(_W + "numId") or "", level)] = fmt
    return out


def _walk(parent, styles: _Styles, out: Document, *, in_table: bool) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _W + "p":
            block = _block(child, styles, in_table=in_table)
            if block.text:
                out.parts.append(block)
        elif tag == _W + "tbl":
            _table(child, styles, out)
        elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins", _W + "moveTo"):
            _walk(child, styles, out, in_table=in_table)


def _table(tbl, styles: _Styles, out: Document) -> None:
    rows: list[list[str]] = []
    cells_blocks: list[Block] = []
    for tr in tbl.iterchildren(_W + "tr"):
        row: list[str] = []
        for tc in tr.iterchildren(_W + "tc"):
            inner = Document()
            _walk(tc, styles, inner, in_table=True)
            row.append("\n".join(b.text for b in inner.blocks()))
            for part in inner.parts:
                if isinstance(part, Block):
                    cells_blocks.append(part)
                else:  # a nested table: its paragraphs
                    cells_blocks.extend(part.blocks)
        rows.append(row)
    out.parts.append(Table(rows=rows, blocks=cells_blocks))


def paragraph_text(p) -> str:
    """The accepted text of a ``w:p``: tracked insertions in, deletions out, tabs and breaks as spaces."""
    pieces: list[str] = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"):
        if not _belongs_to(node, p):
            continue
        tag = node.tag
        if tag == _W + "t":
            pieces.append(node.text or "")
        elif tag == _W + "noBreakHyphen":
            pieces.append("-")
        elif tag == _W + "tab" and node.getparent().tag == _W + "r":
            pieces.append("\t")
        elif tag != _W + "tab":
            pieces.append(" ")
    return " ".join("".join(pieces).replace("\xa0", " ").split())


def _belongs_to(node, p) -> bool:
    """Whether ``node`` is text of ``p`` itself (not deleted, not a text box's own paragraph)."""
    parent = node.getparent()
    while parent is not None and parent is not p:
        if parent.tag in SKIPPED_ANCESTORS or parent.tag == _W + "p":
            return False
        parent = parent.getparent()
    return parent is p


class _Styles:
    """Heading levels and list numbering of paragraph styles, following ``basedOn``."""

    def __init__(self, document) -> None:
        self._by_id: dict[str, Any] = {}
        try:
            root = document.styles.element
        except (KeyError, ValueError):
            return
        for style in root.iterchildren(_W + "style"):
            sid = style.get(_W + "styleId")
            if sid:
                self._by_id[sid] = style

    def _chain(self, style_id: str | None) -> Iterator[Any]:
        seen = set()
        while style_id and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style
            based = style.find(_W + "basedOn")
            style_id = based.get(_W + "val") if based is not None else None

    def heading(self, style_id: str | None) -> int:
        for style in self._chain(style_id):
            name = style.find(_W + "name")
            value = (name.get(_W + "val") if name is not None else "") or ""
            if value.casefold() == "title":
                return -1
            match = _HEADING_NAME.match(value.strip())
            if match:
                return int(match.group(1))
            level = style.find(f"{_W}pPr/{_W}outlineLvl")
            if level is not None and (level.get(_W + "val") or "9").isdigit() and int(level.get(_W + "val")) < 9:
                return int(level.get(_W + "val")) + 1
        return 0

    def numbering(self, style_id: str | None) -> tuple[str, int] | None:
        for style in self._chain(style_id):
            num = style.find(f"{_W}pPr/{_W}numPr")
            if num is not None:
                return _num(num)
        return None


def _num(num) -> tuple[str, int] | None:
    num_id = num.find(_W + "numId")
    if num_id is None or num_id.get(_W + "val") in (None, "0"):
        return None
    ilvl = num.find(_W + "ilvl")
    level = int(ilvl.get(_W + "val")) if ilvl is not None and (ilvl.get(_W + "val") or "").isdigit() else 0
    return (num_id.get(_W + "val"), level)


def _block(p, styles: _Styles, *, in_table: bool) -> Block:
    text = paragraph_text(p)
    ppr = p.find(_W + "pPr")
    style_id = None
    numbered = None
    heading = 0
    if ppr is not None:
        style = ppr.find(_W + "pStyle")
        style_id = style.get(_W + "val") if style is not None else None
        num = ppr.find(_W + "numPr")
        if num is not None:
            numbered = _num(num)
        level = ppr.find(_W + "outlineLvl")
        if level is not None and (level.get(_W + "val") or "").isdigit() and int(level.get(_W + "val")) < 9:
            heading = int(level.get(_W + "val")) + 1
    if numbered is None:
        numbered = styles.numbering(style_id)
    if not heading:
        heading = styles.heading(style_id)
    return Block(text=text, heading=max(heading, 0), numbered=numbered, title=heading == -1, in_table=in_table)
