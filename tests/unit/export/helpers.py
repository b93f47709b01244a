"""Reading rendered memos back: python-docx objects and the raw WordprocessingML."""

from __future__ import annotations

import copy
import io
import zipfile
from dataclasses import dataclass

import docx
from lxml import etree

from recdraft.export import RenderResult, render_memo
from recdraft.schemas.memo import MemoData

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Rendered:
    result: RenderResult
    document: docx.document.Document

    @property
    def body(self) -> etree._Element:
        return self.document.element.body

    def part_xml(self, name: str) -> etree._Element:
        with zipfile.ZipFile(io.BytesIO(self.result.content)) as zf:
            return etree.fromstring(zf.read(name))

    def part_names(self) -> list[str]:
        with zipfile.ZipFile(io.BytesIO(self.result.content)) as zf:
            return zf.namelist()

    def style_name(self, style_id: str) -> str:
        return self.document.styles.element.get_by_id(style_id).name_val

    def paragraphs(self, style_name: str) -> list[etree._Element]:
        ids = {
            s.get(q("styleId"))
            for s in self.document.styles.element.iter(q("style"))
            if s.find(q("name")) is not None and s.find(q("name")).get(q("val")) == style_name
        }
        return [
            p
            for p in self.body.iter(q("p"))
            if p.find("w:pPr/w:pStyle", NS) is not None and p.find("w:pPr/w:pStyle", NS).get(q("val")) in ids
        ]

    def texts(self, style_name: str) -> list[str]:
        return [text_of(p) for p in self.paragraphs(style_name)]

    def header_footer_text(self) -> str:
        out = []
        for name in self.part_names():
            if name.startswith(("word/header", "word/footer")):
                out.append(text_of(self.part_xml(name)))
        return "\n".join(out)


def render(data: MemoData, lang: str = "en", variant: str = "final", **kwargs) -> Rendered:
    result = render_memo(data, lang=lang, variant=variant, **kwargs)
    return Rendered(result, docx.Document(io.BytesIO(result.content)))


def text_of(element: etree._Element, *, deleted: bool = False) -> str:
    """Visible text of ``element``: w:t (and w:delText when ``deleted``), tabs as spaces."""
    out = []
    for node in element.iter(q("t"), q("delText"), q("tab"), q("br"), q("softHyphen")):
        if node.tag == q("t") or (deleted and node.tag == q("delText")):
            out.append(node.text or "")
        elif node.tag in (q("tab"), q("br")) and node.getparent().tag == q("r"):
            out.append(" ")
    return "".join(out)


def _merge_into_next(p: etree._Element) -> None:
    """Remove paragraph ``p`` whose mark is gone; what text it still holds joins the next one."""
    following = p.getnext()
    while following is not None and following.tag != q("p"):
        following = following.getnext()
    if following is not None and text_of(p):
        start = 1 if len(following) and following[0].tag == q("pPr") else 0
        for child in reversed([c for c in p if c.tag != q("pPr")]):
            following.insert(start, child)
    p.getparent().remove(p)


def _unwrap(node: etree._Element) -> None:
    parent = node.getparent()
    index = parent.index(node)
    for child in reversed(list(node)):
        parent.insert(index, child)
    parent.remove(node)


def accept_all(element: etree._Element) -> etree._Element:
    """A copy with every tracked change accepted (what Word's "Accept All" does)."""
    root = copy.deepcopy(element)
    for node in list(root.iter(q("del"))):
        if node.getparent().tag != q("rPr"):
            node.getparent().remove(node)
    for mark in list(root.iterfind(".//w:pPr/w:rPr/w:del", NS)):
        p = mark.getparent().getparent().getparent()
        mark.getparent().remove(mark)
        _merge_into_next(p)
    for node in list(root.iter(q("ins"))):
        if node.getparent().tag == q("rPr"):
            node.getparent().remove(node)
        else:
            _unwrap(node)
    return root


def reject_all(element: etree._Element) -> etree._Element:
    """A copy with every tracked change rejected (what Word's "Reject All" does)."""
    root = copy.deepcopy(element)
    for node in list(root.iter(q("ins"))):
        if node.getparent().tag != q("rPr"):
            node.getparent().remove(node)
    for mark in list(root.iterfind(".//w:pPr/w:rPr/w:ins", NS)):
        p = mark.getparent().getparent().getparent()
        mark.getparent().remove(mark)
        _merge_into_next(p)
    for node in list(root.iter(q("delText"))):
        node.tag = q("t")
    for node in list(root.iter(q("del"))):
        if node.getparent().tag == q("rPr"):
            node.getparent().remove(node)
        else:
            _unwrap(node)
    return root


# Child order of the containers the renderer writes, as the WordprocessingML schema fixes it.
# Word refuses ("unreadable content") files whose children are out of order; LibreOffice does not.
_ORDER = {
    "pPr": [
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ],
    "rPr": [
        "ins",
        "del",
        "moveFrom",
        "moveTo",
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ],
    "tcPr": [
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
    ],
    "tblPr": [
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
    ],
    "tbl": ["tblPr", "tblGrid", "tr"],
    "sectPr": [
        "headerReference",
        "footerReference",
        "footnotePr",
        "endnotePr",
        "type",
        "pgSz",
        "pgMar",
        "paperSrc",
        "pgBorders",
        "lnNumType",
        "pgNumType",
        "cols",
        "formProt",
        "vAlign",
        "noEndnote",
        "titlePg",
        "textDirection",
        "bidi",
        "rtlGutter",
        "docGrid",
        "printerSettings",
        "sectPrChange",
    ],
}


def structure_problems(rendered: Rendered) -> list[str]:
    """What Word would object to: children out of schema order, cells without a closing paragraph,
    tracked changes without id/author/date, text inside deletions, unmatched comment ranges."""
    problems = []
    body = rendered.body
    if body[-1].tag != q("sectPr"):
        problems.append("body does not end with sectPr")
    for parent_name, order in _ORDER.items():
        rank = {name: k for k, name in enumerate(order)}
        for parent in body.iter(q(parent_name)):
            seen = [
                rank.get(etree.QName(child).localname, -1)
                for child in parent
                if etree.QName(child).namespace == W and etree.QName(child).localname in rank
            ]
            if seen != sorted(seen):
                problems.append(f"{parent_name} children out of order: {[etree.QName(c).localname for c in parent]}")
    for tc in body.iter(q("tc")):
        if tc[-1].tag != q("p"):
            problems.append("a table cell does not end with a paragraph")
    for change in body.iter(q("ins"), q("del")):
        if not all(change.get(q(a)) for a in ("id", "author", "date")):
            problems.append("tracked change without id, author or date")
    for deletion in body.iter(q("del")):
        if list(deletion.iter(q("t"))):
            problems.append("w:t inside a deletion")
    starts = {e.get(q("id")) for e in body.iter(q("commentRangeStart"))}
    ends = {e.get(q("id")) for e in body.iter(q("commentRangeEnd"))}
    refs = {e.get(q("id")) for e in body.iter(q("commentReference"))}
    if not starts == ends == refs:
        problems.append("unmatched comment ranges")
    return problems
