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
    w(t) for t in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "t", "tab", "br")
)
B, BCS, ITAL, ICS, LANG, VAL = (w(t) for t in ("b", "bCs", "i", "iCs", "lang", "val"))
TBL, TBLPR, TBLSTYLE, TBLW, TBLGRID, GRIDCOL, TR, TRPR, TC, TCPR, TCW = (
    w(t) for t in ("tbl", "tblPr", "tblStyle", "tblW", "tblGrid", "gridCol", "tr", "trPr", "tc", "tcPr", "tcW")
)
NUMPR, ILVL, NUMID, KEEPNEXT, PAGEBREAKBEFORE, JC = (
    w(t) for t in ("numPr", "ilvl", "numId", "keepNext", "pageBreakBefore", "jc")
)
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
    r"|дней|дня|день|күн|жыл|лет|года?|years?|days?|months?|km|kg|cm|mm|ha|KZT|million|billion)(?![\w])"
)
_NUMBER_AFTER = re.compile(r"(№|No\.|Art\.|art\.|ст\.|п\.|пп\.|ч\.|пр\.|бап|тармақ|§) (?=\d)")


_HAS_DIGIT = re.compile(r"\d").search  # C speed: a generator over the characters was a fifth of the render


# Each pattern needs a digit beside a space: most texts with a number have none, and skip the long alternation.
_DIGIT_SPACE, _SPACE_DIGIT = re.compile(r"\d ").search, re.compile(r" \d").search


def tie(text: str) -> str:
    """``text`` with non-breaking spaces between a number and its unit (and after "№", "Art.")."""
    if _HAS_DIGIT(text) is None:
        return text
    if _DIGIT_SPACE(text) is not None:
        text = _UNIT_AFTER.sub(_tie_unit, text)
    if _SPACE_DIGIT(text) is not None:
        text = _NUMBER_AFTER.sub(_tie_number, text)
    return text


# Callables, not "\1…" templates: re expands a template in Python for every match.
def _tie_unit(match: re.Match[str]) -> str:
    return f"{match[1]}{NBSP}{match[2]}"


def _tie_number(match: re.Match[str]) -> str:
    return f"{match[1]}{NBSP}"


def paragraph(
    parent: etree._Element,
    style_id: str | None,
    *,
    keep_next: bool = False,
    page_break: bool = False,
    index: int | None = None,
) -> etree._Element:
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


def run(
    parent: etree._Element,
    text: str,
    *,
    fmt: int = 0,
    style_id: str | None = None,
    lang: str | None = None,
    deleted: bool = False,
    single_line: bool = False,
) -> etree._Element:
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


def simple_paragraph(
    parent: etree._Element,
    style_id: str,
    text: str,
    *,
    fmt: int = 0,
    lang: str | None = None,
    single_line: bool = False,
    keep_next: bool = False,
    page_break: bool = False,
) -> etree._Element:
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


def table(parent: etree._Element, style_id: str, widths: list[int], *, header_row: bool = True) -> etree._Element:
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
    for key, value in (
        ("firstRow", "1" if header_row else "0"),
        ("lastRow", "0"),
        ("firstColumn", "0"),
        ("lastColumn", "0"),
        ("noHBand", "1"),
        ("noVBand", "1"),
    ):
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


def text_cell(
    tr: etree._Element,
    width: int,
    style_id: str,
    text: str,
    *,
    span: int = 1,
    fmt: int = 0,
    fill: str | None = None,
    lang: str | None = None,
) -> etree._Element:
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
    """Rows of one-paragraph text cells, written as strings from a per-cell template and parsed in one
    call (annex tables have hundreds of rows; building them element by element was most of an annex)."""

    def __init__(
        self, widths: list[int], style_ids: list[str], *, cant_split: bool = True, splicer: Splicer | None = None
    ) -> None:
        self._splicer = splicer
        self._runs: dict[str, str] = {}
        self._start = "<w:tr><w:trPr><w:cantSplit/></w:trPr>" if cant_split else "<w:tr>"
        self._cells = [
            (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{ppr_xml(style_id)}', "</w:p></w:tc>")
            for width, style_id in zip(widths, style_ids, strict=True)
        ]

    def xml(self, values: list[str]) -> str:
        """The row holding ``values`` (cleaned here) as a string."""
        out = [self._start]
        runs = self._runs
        for (head, tail), value in zip(self._cells, values, strict=True):
            out.append(head)
            if value:
                r = runs.get(value)
                if r is None:  # counts, "yes"/"no", outcomes and round names repeat row after row
                    r = runs[value] = f"<w:r>{text_xml(tie(clean(value)))}</w:r>"
                out.append(r)
            out.append(tail)
        out.append("</w:tr>")
        return "".join(out)

    def add(self, tbl: etree._Element, values: list[str]) -> None:
        """Append a row holding ``values`` (cleaned here) to ``tbl``."""
        if self._splicer is not None:
            self._splicer.add(tbl, self.xml(values))
        else:
            extend_xml(tbl, self.xml(values))


# --------------------------------------------------------------------------- the same markup as strings
#
# The hot paths (Markdown paragraphs, annex rows) write their WordprocessingML as strings — exactly
# what lxml would serialise for the elements built above — and parse them in one call (C speed)
# instead of building ~100k elements one Python call at a time. Text still passes through ``clean``
# and is escaped here, so typed markup stays literal characters.

_W_DECL = f'<w:body xmlns:w="{W_NS}">'


def esc(text: str) -> str:
    """Text content escaped as lxml serialises it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def esc_attr(value: str) -> str:
    """An attribute value escaped as lxml serialises it (inside double quotes)."""
    return esc(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def parse_fragment(xml: str) -> etree._Element:
    """A ``w:body`` holding the ``w:``-prefixed elements of ``xml`` (move them with ``extend``)."""
    return etree.fromstring(f"{_W_DECL}{xml}</w:body>")


def extend_xml(parent: etree._Element, xml: str) -> list[etree._Element]:
    """Append the elements of ``xml`` to ``parent`` (parsed now); returns them."""
    if not xml:
        return []
    children = list(parse_fragment(xml))
    parent.extend(children)
    return children


_MARK = "s"  # a placeholder is the comment <!--s17-->: strings[17] goes there when the part is written
_PLACEHOLDER = re.compile(r"<!--s(\d+)-->")


class Splicer:
    """Markup kept as strings until the part is written: ``add`` leaves a placeholder comment in the
    tree (one node instead of hundreds of elements) and ``splice`` puts the strings in its place in the
    serialised part. Code that must change spliced markup afterwards calls ``materialize`` first."""

    def __init__(self) -> None:
        self.strings: list[str] = []

    def add(self, parent: etree._Element, xml: str) -> None:
        """Append ``xml`` (``w:``-prefixed elements, as lxml would serialise them) to ``parent``."""
        if xml:
            parent.append(etree.Comment(f"{_MARK}{len(self.strings)}"))
            self.strings.append(xml)

    def _index(self, node: object) -> int | None:
        if isinstance(node, etree._Comment) and (node.text or "").startswith(_MARK):
            return int(node.text[len(_MARK) :])
        return None

    def materialize(self, element: etree._Element) -> None:
        """Replace the placeholders in ``element`` (or ``element`` itself) by real elements."""
        nodes = [element] if self._index(element) is not None else list(element.iter(etree.Comment))
        for node in nodes:
            index = self._index(node)
            if index is None:
                continue
            parent = node.getparent()
            at = parent.index(node)
            parent.remove(node)
            for k, child in enumerate(parse_fragment(self.strings[index])):
                parent.insert(at + k, child)

    def splice(self, xml: bytes) -> bytes:
        """The serialised part ``xml`` with every placeholder replaced by its markup."""
        if not self.strings:
            return xml
        pieces = _PLACEHOLDER.split(xml.decode("utf-8"))
        strings = self.strings
        out = [pieces[0]]
        for k in range(1, len(pieces), 2):
            out.append(strings[int(pieces[k])])
            out.append(pieces[k + 1])
        return "".join(out).encode("utf-8")


_PPR_CACHE: dict[tuple[str | None, bool, bool, str], str] = {}


def ppr_xml(style_id: str | None, *, keep_next: bool = False, page_break: bool = False, extra: str = "") -> str:
    """``<w:pPr>`` as ``paragraph`` writes it; ``extra`` is appended inside (numPr, ind)."""
    key = (style_id, keep_next, page_break, extra)
    found = _PPR_CACHE.get(key)
    if found is None:
        found = _ppr_xml(style_id, keep_next, page_break, extra)
        if len(_PPR_CACHE) < 4096:  # style ids x list ids: a bounded, shared table of constants
            _PPR_CACHE[key] = found
    return found


def _ppr_xml(style_id: str | None, keep_next: bool, page_break: bool, extra: str) -> str:
    if not (style_id or keep_next or page_break or extra):
        return ""
    out = ["<w:pPr>"]
    if style_id:
        out.append(f'<w:pStyle w:val="{esc_attr(style_id)}"/>')
    if keep_next:
        out.append("<w:keepNext/>")
    if page_break:
        out.append("<w:pageBreakBefore/>")
    out.append(extra)
    out.append("</w:pPr>")
    return "".join(out)


def numpr_xml(num_id: int, ilvl: int = 0) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


_RPR_CACHE: dict[tuple[int, str | None, str | None], str] = {}


def rpr_xml(fmt: int, style_id: str | None, lang: str | None) -> str:
    key = (fmt, style_id, lang)
    found = _RPR_CACHE.get(key)
    if found is None:
        if not (fmt or style_id or lang):
            found = ""
        else:
            parts = ["<w:rPr>"]
            if style_id:
                parts.append(f'<w:rStyle w:val="{esc_attr(style_id)}"/>')
            if fmt & BOLD:
                parts.append("<w:b/><w:bCs/>")
            if fmt & ITALIC:
                parts.append("<w:i/><w:iCs/>")
            if lang:
                parts.append(f'<w:lang w:val="{esc_attr(lang)}"/>')
            parts.append("</w:rPr>")
            found = "".join(parts)
        if len(_RPR_CACHE) < 4096:
            _RPR_CACHE[key] = found
    return found


_SPECIAL_XML = {"\n": "<w:br/>", "\t": "<w:tab/>", "\u00ad": "<w:softHyphen/>"}


def text_xml(text: str, *, deleted: bool = False) -> str:
    """``add_text`` as a string (``text`` already clean)."""
    tag = "w:delText" if deleted else "w:t"
    if "\n" not in text and "\t" not in text and "\u00ad" not in text:
        if text[:1].isspace() or text[-1:].isspace():
            return f'<{tag} xml:space="preserve">{esc(text)}</{tag}>'
        return f"<{tag}>{esc(text)}</{tag}>"
    out = []
    for piece in _SPECIAL.split(text):
        if not piece:
            continue
        special = _SPECIAL_XML.get(piece)
        out.append(special if special is not None else f'<{tag} xml:space="preserve">{esc(piece)}</{tag}>')
    return "".join(out)


def run_xml(
    text: str,
    *,
    fmt: int = 0,
    style_id: str | None = None,
    lang: str | None = None,
    deleted: bool = False,
    single_line: bool = False,
    cleaned: bool = False,
) -> str:
    """``run`` as a string (``cleaned``: ``text`` is already what ``clean`` returns)."""
    if not cleaned:
        text = clean(text, single_line=single_line)
    return f"<w:r>{rpr_xml(fmt, style_id, lang)}{text_xml(tie(text), deleted=deleted)}</w:r>"


def simple_xml(
    style_id: str | None,
    text: str,
    *,
    fmt: int = 0,
    lang: str | None = None,
    single_line: bool = False,
    keep_next: bool = False,
    page_break: bool = False,
) -> str:
    """``simple_paragraph`` as a string."""
    inner = ppr_xml(style_id, keep_next=keep_next, page_break=page_break)
    if text:
        inner += run_xml(text, fmt=fmt, lang=lang, single_line=single_line)
    return f"<w:p>{inner}</w:p>" if inner else "<w:p/>"


def row_start_xml(*, header: bool = False, cant_split: bool = True) -> str:
    """The opening of ``row``'s ``w:tr`` as a string (close it with ``</w:tr>``)."""
    if not (header or cant_split):
        return "<w:tr>"
    return f"<w:tr><w:trPr>{'<w:cantSplit/>' if cant_split else ''}{'<w:tblHeader/>' if header else ''}</w:trPr>"


def cell_start_xml(width: int, *, span: int = 1) -> str:
    """The opening of ``cell``'s ``w:tc`` as a string (close it with ``</w:tc>``)."""
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}</w:tcPr>'
