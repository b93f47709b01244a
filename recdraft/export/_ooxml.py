"""Low-level WordprocessingML builders on lxml elements.

Why not python-docx's ``add_paragraph``: it costs ~1 ms a paragraph (style look-ups, proxy objects);
``etree.SubElement`` under the document body costs microseconds. Every text that reaches a ``w:t``
passes through ``clean`` here, so no caller can forget it, and text only ever becomes element
text (never markup): ``<w:p>`` typed by a user stays literal characters.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from recdraft.domain.text import clean_text, xml_safe

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def w(tag: str) -> str:
    """Clark name of ``w:tag``."""
    return f"{{{W_NS}}}{tag}"


# Pre-computed tag names: these run in the hot loop.
P, PPR, PSTYLE, R, RPR, RSTYLE, T, TAB, BR = (
    w(t) for t in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t", "tab", "br"))
B, BCS, ITAL, ICS, LANG, VAL = (w(t) for t in ("b", "bCs", "i", "iCs", "lang", "val"))
TBL, TBLPR, TBLSTYLE, TBLW, TBLGRID, GRIDCOL, TR, TRPR, TC, TCPR, TCW = (
    w(t) for t in ("tbl", "tblPr", "tblStyle", "tblW", "tblGrid", "gridCol", "tr", "trPr", "tc", "tcPr", "tcW"))
NUMPR, ILVL, NUMID, KEEPNEXT, PAGEBREAKBEFORE, JC = (
    w(t) for t in ("numPr", "ilvl", "numId", "keepNext", "pageBreakBefore", "jc"))
INS, DEL, DELTEXT, ID, AUTHOR, DATE = (w(t) for t in ("ins", "del", "delText", "id", "author", "date"))
FLDCHAR, FLDCHARTYPE, INSTRTEXT = w("fldChar"), w("fldCharType"), w("instrText")
BOOKMARKSTART, BOOKMARKEND, NAME = w("bookmarkStart"), w("bookmarkEnd"), w("name")
W_TYPE, W_W = w("type"), w("w")

SE = etree.SubElement

BOLD, ITALIC = 1, 2


def clean(text: str, *, single_line: bool = False) -> str:
    """Export-time cleaning: NFC, no XML-invalid characters or lone surrogates."""
    if text.isascii() and text.isprintable() and not (single_line and ("  " in text or text != text.strip())):
        return text  # the common case (numbers, labels, ASCII prose) has nothing to clean
    return xml_safe(clean_text(text, single_line=single_line, strip_bidi=single_line))


NBSP = "\u00a0"
# A number and the unit or abbreviation after it ("2026 г.", "15 %", "3 млн"), "№ 5" and "Art. 26" stay on
# one line: a typesetter's rule the Russian and Kazakh reader expects.
_UNIT_AFTER = re.compile(
    r"(\d) (г\.|гг\.|ж\.|жылғы|жылы|%|‰|°C|км|кг|см|мм|м|га|тг|тенге|₸|руб\.|млн|млрд|тыс\.|трлн"
    r"|дней|дня|день|күн|жыл|лет|года?|years?|days?|months?|km|kg|cm|mm|ha|KZT|million|billion)(?![\w])")
_NUMBER_AFTER = re.compile(r"(№|No\.|Art\.|art\.|ст\.|п\.|пп\.|ч\.|пр\.|бап|тармақ|§) (?=\d)")


_HAS_DIGIT = re.compile(r"\d").search  # C speed: a generator over the characters was a fifth of the render


# Each pattern needs a digit beside a space: most texts with a number have none, and skip the long alternation.
_DIGIT_SPACE, _SPACE_DIGIT = re.compile(r"\d ").search, re.compile(r" \d").search


def tie(text: str) -> str:
    """``text`` with non-breaking spaces between a number and its unit (and after "№", "Art.")."""
    if _HAS_DIGIT(text) is None:
        return text
    if _DIGIT_SPACE(text) is not None:
        text = _UNIT_AFTER.sub(rf"\1{NBSP}\2", text)
    if _SPACE_DIGIT(text) is not None:
        text = _NUMBER_AFTER.sub(rf"\1{NBSP}", text)
    return text


def paragraph(parent: etree._Element, style_id: str | None, *, keep_next: bool = False,
              page_break: bool = False, index: int | None = None) -> etree._Element:
    """Append (or insert at ``index``) a ``w:p`` with the given paragraph style id."""
    if index is None:
        p = SE(parent, P)
    else:
        p = parent.makeelement(P, {})
        parent.insert(index, p)
    if style_id or keep_next or page_break:
        ppr = SE(p, PPR)
        if style_id:
            SE(ppr, PSTYLE).set(VAL, style_id)
        if keep_next:
            SE(ppr, KEEPNEXT)
        if page_break:
            SE(ppr, PAGEBREAKBEFORE)
    return p


def ppr_of(p: etree._Element) -> etree._Element:
    """The paragraph's ``w:pPr``, created first if missing."""
    if len(p) and p[0].tag == PPR:
        return p[0]
    ppr = p.makeelement(PPR, {})
    p.insert(0, ppr)
    return ppr


_BEFORE_NUMPR = (KEEPNEXT, w("keepLines"), PAGEBREAKBEFORE, w("framePr"), w("widowControl"))


def set_numbering(p: etree._Element, num_id: int, ilvl: int = 0) -> None:
    """Attach list numbering to paragraph ``p`` (after its pStyle, as the schema orders it)."""
    ppr = ppr_of(p)
    num_pr = ppr.makeelement(NUMPR, {})
    pos = 1 if len(ppr) and ppr[0].tag == PSTYLE else 0
    # keepNext/pageBreakBefore precede numPr in CT_PPr.
    while pos < len(ppr) and ppr[pos].tag in _BEFORE_NUMPR:
        pos += 1
    ppr.insert(pos, num_pr)
    SE(num_pr, ILVL).set(VAL, str(ilvl))
    SE(num_pr, NUMID).set(VAL, str(num_id))


def run(parent: etree._Element, text: str, *, fmt: int = 0, style_id: str | None = None,
        lang: str | None = None, deleted: bool = False, single_line: bool = False) -> etree._Element:
    """Append a ``w:r`` holding cleaned ``text``; newlines become ``w:br`` and tabs ``w:tab``."""
    r = SE(parent, R)
    if fmt or style_id or lang:
        rpr = SE(r, RPR)
        if style_id:
            SE(rpr, RSTYLE).set(VAL, style_id)
        if fmt & BOLD:
            SE(rpr, B)
            SE(rpr, BCS)
        if fmt & ITALIC:
            SE(rpr, ITAL)
            SE(rpr, ICS)
        if lang:
            SE(rpr, LANG).set(VAL, lang)
    text = tie(clean(text, single_line=single_line))
    add_text(r, text, deleted=deleted)
    return r


_SPECIAL = re.compile("([\n\t\u00ad])")
_SPECIAL_TAGS = {"\n": BR, "\t": TAB, "\u00ad": w("softHyphen")}


def add_text(r: etree._Element, text: str, *, deleted: bool = False) -> None:
    """Add already-clean ``text`` to run ``r``: newlines become ``w:br``, tabs ``w:tab`` and soft
    hyphens ``w:softHyphen`` (Word does not treat U+00AD in ``w:t`` as an optional hyphen)."""
    tag = DELTEXT if deleted else T
    if "\n" not in text and "\t" not in text and "\u00ad" not in text:
        t = SE(r, tag)
        t.text = text
        if text[:1].isspace() or text[-1:].isspace():
            t.set(XML_SPACE, "preserve")
        return
    for piece in _SPECIAL.split(text):
        if not piece:
            continue
        special = _SPECIAL_TAGS.get(piece)
        if special is not None:
            SE(r, special)
        else:
            t = SE(r, tag)
            t.text = piece
            t.set(XML_SPACE, "preserve")


def simple_paragraph(parent: etree._Element, style_id: str, text: str, *, fmt: int = 0,
                     lang: str | None = None, single_line: bool = False, keep_next: bool = False,
                     page_break: bool = False) -> etree._Element:
    """A paragraph of one run."""
    p = paragraph(parent, style_id, keep_next=keep_next, page_break=page_break)
    if text:
        run(p, text, fmt=fmt, lang=lang, single_line=single_line)
    return p


def field(parent: etree._Element, instruction: str, cached: str, rpr: etree._Element | None = None) -> None:
    """Append a complex field (begin / instr / separate / cached result / end) as runs."""

    def _r() -> etree._Element:
        r = SE(parent, R)
        if rpr is not None:
            r.append(copy.deepcopy(rpr))
        return r

    SE(_r(), FLDCHAR).set(FLDCHARTYPE, "begin")
    instr = SE(_r(), INSTRTEXT)
    instr.text = f" {instruction} "
    instr.set(XML_SPACE, "preserve")
    SE(_r(), FLDCHAR).set(FLDCHARTYPE, "separate")
    t = SE(_r(), T)
    t.text = cached
    SE(_r(), FLDCHAR).set(FLDCHARTYPE, "end")


def table(parent: etree._Element, style_id: str, widths: list[int], *,
          header_row: bool = True) -> etree._Element:
    """Append a fixed-layout ``w:tbl`` with the given table style and column widths (twips)."""
    tbl = SE(parent, TBL)
    tblpr = SE(tbl, TBLPR)
    SE(tblpr, TBLSTYLE).set(VAL, style_id)
    tw = SE(tblpr, TBLW)
    tw.set(W_W, str(sum(widths)))
    tw.set(W_TYPE, "dxa")
    SE(tblpr, w("tblLayout")).set(W_TYPE, "fixed")
    look = SE(tblpr, w("tblLook"))
    look.set(VAL, "0420" if header_row else "0400")
    for key, value in (("firstRow", "1" if header_row else "0"), ("lastRow", "0"), ("firstColumn", "0"),
                       ("lastColumn", "0"), ("noHBand", "1"), ("noVBand", "1")):
        look.set(w(key), value)
    grid = SE(tbl, TBLGRID)
    for width in widths:
        SE(grid, GRIDCOL).set(W_W, str(width))
    return tbl


def row(tbl: etree._Element, *, header: bool = False, cant_split: bool = True) -> etree._Element:
    """Append a ``w:tr``; header rows repeat on every page."""
    tr = SE(tbl, TR)
    if header or cant_split:
        trpr = SE(tr, TRPR)
        if cant_split:
            SE(trpr, w("cantSplit"))
        if header:
            SE(trpr, w("tblHeader"))
    return tr


def cell(tr: etree._Element, width: int, *, span: int = 1, fill: str | None = None) -> etree._Element:
    """Append a ``w:tc`` of ``width`` twips (``span`` grid columns); fill it with paragraphs."""
    tc = SE(tr, TC)
    tcpr = SE(tc, TCPR)
    tcw = SE(tcpr, TCW)
    tcw.set(W_W, str(width))
    tcw.set(W_TYPE, "dxa")
    if span > 1:
        SE(tcpr, w("gridSpan")).set(VAL, str(span))
    if fill:
        shd = SE(tcpr, w("shd"))
        shd.set(VAL, "clear")
        shd.set(w("color"), "auto")
        shd.set(w("fill"), fill)
    return tc


def text_cell(tr: etree._Element, width: int, style_id: str, text: str, *, span: int = 1,
              fmt: int = 0, fill: str | None = None, lang: str | None = None) -> etree._Element:
    """A cell holding one paragraph of text (a cell must hold at least one paragraph)."""
    tc = cell(tr, width, span=span, fill=fill)
    simple_paragraph(tc, style_id, text, fmt=fmt, lang=lang)
    return tc


def bookmark(p: etree._Element, name: str, bookmark_id: int) -> None:
    """Wrap the runs of ``p`` in a bookmark (TOC entries link to it)."""
    start = p.makeelement(BOOKMARKSTART, {ID: str(bookmark_id), NAME: name})
    pos = 1 if len(p) and p[0].tag == PPR else 0
    p.insert(pos, start)
    SE(p, BOOKMARKEND).set(ID, str(bookmark_id))


class RowFactory:
    """Rows of one-paragraph text cells, stamped from a prototype (deepcopy is ~30x cheaper than
    building a row element by element; annex tables have hundreds of rows)."""

    def __init__(self, widths: list[int], style_ids: list[str], *, cant_split: bool = True) -> None:
        holder = etree.Element(TBL)
        proto = row(holder, cant_split=cant_split)
        for width, style_id in zip(widths, style_ids, strict=True):
            paragraph(cell(proto, width), style_id)
        self._proto = proto

    def add(self, tbl: etree._Element, values: list[str]) -> etree._Element:
        """Append a row holding ``values`` (cleaned here) to ``tbl``."""
        tr = copy.deepcopy(self._proto)
        for p, value in zip(tr.iter(P), values, strict=True):
            if value:
                add_text(SE(p, R), tie(clean(value)))
        tbl.append(tr)
        return tr
