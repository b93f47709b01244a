"""Build templates/memo.docx, the Word template the memo renderer fills.

Run ``python templates/build_template.py`` after changing this file; the .docx is committed so the
School can restyle it in Word without touching code.

What the School may change in Word (Home ▸ Styles ▸ Modify, Insert ▸ Header/Footer, Layout):
fonts, sizes, colours, spacing, borders, list and heading numbering, margins, letterhead, logos.
What the code relies on:

* the **named styles** in ``PARAGRAPH_STYLES`` / ``CHARACTER_STYLES`` / ``TABLE_STYLES`` below
  (by name, not by id; a missing one makes the export fail with ``MissingStyleError``);
* list and heading numbering attached to the styles "Memo Heading 1", "Memo List Bullet" and
  "Memo List Number" (numbered lists restart through new instances of the same definition);
* these **placeholders** anywhere in the header and footer text, replaced at export time:
  ``{{letterhead}}`` (organisers), ``{{title}}`` (roundtable title), ``{{draft_mark}}``
  ("DRAFT"/«ПРОЕКТ»/«ЖОБА», empty once final) and ``{{page_x_of_y}}`` (localized
  "Page X of Y" with live PAGE/NUMPAGES fields). Formatting of the placeholder's first character
  is kept.

The body of this file is a style specimen for the School; the renderer discards it.
All XML here is fixed text written through lxml; no user text ever passes through this script.
"""

from __future__ import annotations

import pathlib
import zipfile

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
NSMAP = {"w": W_NS, "r": R_NS}
OUT = pathlib.Path(__file__).with_name("memo.docx")

FONT = "Times New Roman"
MONO = "Courier New"
# A4 portrait; margins after the usual Kazakh/Russian office layout (3 cm binding side).
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 1134, 1134, 1701, 851
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 9354 twips = 16.5 cm

GREY = "595959"
RULE = "A6A6A6"
ACCENT = "1F3864"  # dark navy, used sparingly (title and heading rules)
DRAFT_RED = "B00000"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def el(parent, tag: str, **attrs) -> etree._Element:
    """Append ``w:tag`` with ``w:``-prefixed attributes to ``parent``."""
    node = etree.SubElement(parent, w(tag))
    for key, value in attrs.items():
        node.set(w(key), str(value))
    return node


def root(tag: str) -> etree._Element:
    return etree.Element(w(tag), nsmap=NSMAP)


# --------------------------------------------------------------------------- style specs
# Each spec: (name, style_id, based_on, pPr dict, rPr dict). Small dict vocabulary, see _ppr/_rpr.


def _ppr(parent, spec: dict) -> None:
    ppr = el(parent, "pPr")
    if spec.get("keep_next"):
        el(ppr, "keepNext")
    if spec.get("keep_lines"):
        el(ppr, "keepLines")
    if spec.get("page_break_before"):
        el(ppr, "pageBreakBefore")
    if spec.get("widow_control"):
        # No single first or last line of a paragraph alone at the foot or head of a page.
        el(ppr, "widowControl")
    if "num" in spec:
        num_pr = el(ppr, "numPr")
        el(num_pr, "ilvl", val=spec["num"][1])
        el(num_pr, "numId", val=spec["num"][0])
    if "border" in spec:
        bdr = el(ppr, "pBdr")
        for side, (val, sz, color, space) in spec["border"].items():
            el(bdr, side, val=val, sz=sz, space=space, color=color)
    if "shade" in spec:
        el(ppr, "shd", val="clear", color="auto", fill=spec["shade"])
    if "tabs" in spec:
        tabs = el(ppr, "tabs")
        for val, pos, leader in spec["tabs"]:
            tab = el(tabs, "tab", val=val, pos=pos)
            if leader:
                tab.set(w("leader"), leader)
    if "spacing" in spec:
        before, after, line = spec["spacing"]
        sp = el(ppr, "spacing", before=before, after=after)
        if line:
            sp.set(w("line"), str(line))
            sp.set(w("lineRule"), "auto")
    if "ind" in spec:
        ind = el(ppr, "ind")
        for key, value in spec["ind"].items():
            ind.set(w(key), str(value))
    if spec.get("contextual"):
        el(ppr, "contextualSpacing")
    if "jc" in spec:
        el(ppr, "jc", val=spec["jc"])
    if "outline" in spec:
        el(ppr, "outlineLvl", val=spec["outline"])


def _rpr(parent, spec: dict) -> None:
    rpr = el(parent, "rPr")
    if "font" in spec:
        f = spec["font"]
        el(rpr, "rFonts", ascii=f, hAnsi=f, cs=f, eastAsia=f)
    if spec.get("bold"):
        el(rpr, "b")
        el(rpr, "bCs")
    if spec.get("italic"):
        el(rpr, "i")
        el(rpr, "iCs")
    if spec.get("caps"):
        el(rpr, "caps")
    if spec.get("small_caps"):
        el(rpr, "smallCaps")
    if "color" in spec:
        el(rpr, "color", val=spec["color"])
    if "spacing" in spec:
        el(rpr, "spacing", val=spec["spacing"])
    if "size" in spec:
        el(rpr, "sz", val=spec["size"])
        el(rpr, "szCs", val=spec["size"])


BODY = {"widow_control": True, "spacing": (0, 120, 276), "jc": "both", "ind": {"firstLine": 567}}

PARAGRAPH_STYLES: list[tuple[str, str, str | None, dict, dict]] = [
    ("Memo Body", "MemoBody", "Normal", BODY, {}),
    (
        "Memo Organisers",
        "MemoOrganisers",
        "Normal",
        {"jc": "center", "spacing": (0, 60, 0)},
        {"small_caps": True, "size": 24, "spacing": 10},
    ),
    (
        "Memo Subtitle",
        "MemoSubtitle",
        "Normal",
        {"jc": "center", "spacing": (3200, 240, 0), "keep_next": True},
        {"caps": True, "size": 24, "spacing": 30, "color": GREY},
    ),
    (
        "Memo Title",
        "MemoTitle",
        "Normal",
        {"jc": "center", "spacing": (0, 360, 264), "keep_next": True, "border": {"bottom": ("single", 8, ACCENT, 12)}},
        {"bold": True, "size": 36, "color": ACCENT},
    ),
    ("Memo Title Place", "MemoTitlePlace", "Normal", {"jc": "center", "spacing": (2400, 60, 0)}, {"size": 26}),
    ("Memo Title Meta", "MemoTitleMeta", "Normal", {"jc": "center", "spacing": (0, 60, 0)}, {"size": 26}),
    (
        "Memo Title Note",
        "MemoTitleNote",
        "Normal",
        {"jc": "center", "spacing": (360, 60, 0)},
        {"italic": True, "size": 22, "color": GREY},
    ),
    (
        "Memo Notice",
        "MemoNotice",
        "Normal",
        {
            "spacing": (0, 0, 264),
            "jc": "left",
            "shade": "FDF1F0",
            "ind": {"left": 170, "right": 170},
            "border": {side: ("single", 6, DRAFT_RED, 6) for side in ("top", "left", "bottom", "right")},
        },
        {"size": 22},
    ),
    (
        "Memo Addressee Label",
        "MemoAddresseeLabel",
        "Normal",
        {"ind": {"left": 5103}, "spacing": (0, 40, 0)},
        {"size": 22, "color": GREY, "small_caps": True},
    ),
    (
        "Memo Addressee",
        "MemoAddressee",
        "Normal",
        {"ind": {"left": 5103}, "spacing": (0, 600, 264)},
        {"bold": True, "size": 26},
    ),
    (
        "Memo Contents Heading",
        "MemoContentsHeading",
        "Normal",
        {"spacing": (240, 240, 0), "keep_next": True},
        {"bold": True, "size": 28, "color": ACCENT},
    ),
    # No right indent: LibreOffice drops a right tab that lies beyond the indent (the page number).
    (
        "toc 1",
        "TOC1",
        "Normal",
        {"spacing": (120, 40, 0), "tabs": [("left", 567, None), ("right", TEXT_W, "dot")]},
        {"size": 24},
    ),
    (
        "toc 2",
        "TOC2",
        "Normal",
        {"spacing": (0, 40, 0), "tabs": [("right", TEXT_W, "dot")], "ind": {"left": 567}},
        {"size": 22},
    ),
    (
        "Memo Heading 1",
        "MemoHeading1",
        "Normal",
        {
            "keep_next": True,
            "keep_lines": True,
            "spacing": (480, 160, 0),
            "outline": 0,
            "num": (1, 0),
            "border": {"bottom": ("single", 4, ACCENT, 4)},
        },
        {"bold": True, "size": 28, "color": ACCENT},
    ),
    (
        "Recommendation Heading",
        "RecommendationHeading",
        "Normal",
        {"keep_next": True, "keep_lines": True, "spacing": (320, 120, 0), "outline": 1},
        {"bold": True, "size": 24},
    ),
    (
        "Memo Annex Heading",
        "MemoAnnexHeading",
        "Normal",
        {
            "keep_next": True,
            "keep_lines": True,
            "page_break_before": True,
            "spacing": (0, 240, 0),
            "outline": 0,
            "border": {"bottom": ("single", 4, ACCENT, 4)},
        },
        {"bold": True, "size": 28, "color": ACCENT},
    ),
    (
        "Memo Quote",
        "MemoQuote",
        "MemoBody",
        {
            "ind": {"left": 567, "right": 567, "firstLine": 0},
            "spacing": (60, 120, 264),
            "border": {"left": ("single", 12, RULE, 8)},
        },
        {"italic": True, "size": 22},
    ),
    # "hanging" alone: it overrides the body's first-line indent (both together confuse LibreOffice).
    (
        "Memo List Bullet",
        "MemoListBullet",
        "MemoBody",
        {"num": (2, 0), "ind": {"left": 964, "hanging": 397}, "spacing": (0, 60, 276)},
        {},
    ),
    (
        "Memo List Number",
        "MemoListNumber",
        "MemoBody",
        {"num": (3, 0), "ind": {"left": 964, "hanging": 397}, "spacing": (0, 60, 276)},
        {},
    ),
    ("Memo Meta", "MemoMeta", "Normal", {"spacing": (0, 40, 264), "jc": "left", "ind": {"left": 567}}, {"size": 22}),
    (
        "Memo Note",
        "MemoNote",
        "Normal",
        {"spacing": (0, 120, 0), "ind": {"left": 567}, "border": {"left": ("single", 12, "C55A11", 6)}},
        {"italic": True, "size": 20, "color": "843C0C"},
    ),
    # The closing formula stays on the page of the signature that follows it.
    (
        "Memo Closing",
        "MemoClosing",
        "MemoBody",
        {"keep_next": True, "keep_lines": True, "widow_control": True, "spacing": (480, 120, 276)},
        {},
    ),
    (
        "Memo Signature",
        "MemoSignature",
        "Normal",
        {"keep_lines": True, "widow_control": True, "jc": "right", "spacing": (360, 0, 264)},
        {"size": 24},
    ),
    ("Memo Table Text", "MemoTableText", "Normal", {"spacing": (0, 0, 240), "jc": "left"}, {"size": 20}),
    # No "keep with next" inside tables: LibreOffice then moves the whole table to the next page.
    ("Memo Table Heading", "MemoTableHeading", "MemoTableText", {}, {"bold": True, "size": 18}),
    ("Memo Table Number", "MemoTableNumber", "MemoTableText", {"jc": "center"}, {}),
    ("Memo Table Group", "MemoTableGroup", "MemoTableText", {"spacing": (40, 0, 240)}, {"bold": True}),
    (
        "Memo Table Note",
        "MemoTableNote",
        "Normal",
        {"spacing": (80, 120, 0)},
        {"italic": True, "size": 18, "color": GREY},
    ),
    # Ragged right: justified text in a half-width column opens wide gaps between words.
    (
        "Memo Parallel Text",
        "MemoParallelText",
        "Normal",
        {"widow_control": True, "spacing": (0, 80, 264), "jc": "left"},
        {"size": 22},
    ),
    ("Memo Parallel Heading", "MemoParallelHeading", "MemoParallelText", {"spacing": (0, 100, 264)}, {"bold": True}),
    (
        "Memo Header",
        "MemoHeader",
        "Normal",
        {"spacing": (0, 0, 0), "tabs": [("right", TEXT_W, None)], "border": {"bottom": ("single", 4, RULE, 4)}},
        {"size": 17, "color": GREY},
    ),
    ("Memo Footer", "MemoFooter", "Normal", {"spacing": (0, 0, 0), "jc": "center"}, {"size": 18, "color": GREY}),
    ("annotation text", "CommentText", "Normal", {"spacing": (0, 0, 0)}, {"size": 20}),
]

CHARACTER_STYLES: list[tuple[str, str, dict]] = [
    ("Draft Watermark", "DraftWatermark", {"bold": True, "color": DRAFT_RED, "spacing": 40, "size": 20}),
    ("Memo Label", "MemoLabel", {"bold": True}),
    ("Memo Code", "MemoCode", {"font": MONO, "size": 18}),
    ("annotation reference", "CommentReference", {"size": 16}),
]


def _table_style(
    styles, name: str, style_id: str, borders: dict, header_fill: str | None, margins=(40, 85, 40, 85)
) -> None:
    st = el(styles, "style", type="table", styleId=style_id)
    el(st, "name", val=name)
    el(st, "basedOn", val="TableNormal")
    el(st, "uiPriority", val=40)
    ppr = el(st, "pPr")
    el(ppr, "spacing", before=0, after=0, line=240, lineRule="auto")
    tbl = el(st, "tblPr")
    el(tbl, "tblInd", w=0, type="dxa")
    bdr = el(tbl, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        val, sz, color = borders.get(side, ("nil", 0, "auto"))
        node = el(bdr, side, val=val)
        if val != "nil":
            node.set(w("sz"), str(sz))
            node.set(w("space"), "0")
            node.set(w("color"), color)
    mar = el(tbl, "tblCellMar")
    top, left, bottom, right = margins
    el(mar, "top", w=top, type="dxa")
    el(mar, "left", w=left, type="dxa")
    el(mar, "bottom", w=bottom, type="dxa")
    el(mar, "right", w=right, type="dxa")
    if header_fill:
        cond = el(st, "tblStylePr", type="firstRow")
        crpr = el(cond, "rPr")
        el(crpr, "b")
        el(cond, "tblPr")
        trpr = el(cond, "trPr")
        el(trpr, "tblHeader")
        tcpr = el(cond, "tcPr")
        tcb = el(tcpr, "tcBorders")
        el(tcb, "bottom", val="single", sz=6, space=0, color="000000")
        el(tcpr, "shd", val="clear", color="auto", fill=header_fill)


TABLE_STYLES = ["Annex Table", "Parallel Table", "Comparison Table"]


def build_styles() -> etree._Element:
    styles = root("styles")
    defaults = el(styles, "docDefaults")
    rpr = el(el(defaults, "rPrDefault"), "rPr")
    el(rpr, "rFonts", ascii=FONT, hAnsi=FONT, cs=FONT, eastAsia=FONT)
    el(rpr, "sz", val=24)
    el(rpr, "szCs", val=24)
    el(rpr, "lang", val="en-GB", eastAsia="en-US", bidi="ar-SA")
    ppr = el(el(defaults, "pPrDefault"), "pPr")
    el(ppr, "widowControl")
    el(ppr, "spacing", after=0, line=240, lineRule="auto")

    normal = el(styles, "style", type="paragraph", default=1, styleId="Normal")
    el(normal, "name", val="Normal")
    el(normal, "qFormat")
    _ppr(normal, {"widow_control": True, "spacing": (0, 120, 264)})
    _rpr(normal, {})

    dpf = el(styles, "style", type="character", default=1, styleId="DefaultParagraphFont")
    el(dpf, "name", val="Default Paragraph Font")
    el(dpf, "uiPriority", val=1)
    el(dpf, "semiHidden")
    el(dpf, "unhideWhenUsed")

    tn = el(styles, "style", type="table", default=1, styleId="TableNormal")
    el(tn, "name", val="Normal Table")
    el(tn, "uiPriority", val=99)
    el(tn, "semiHidden")
    el(tn, "unhideWhenUsed")
    tblpr = el(tn, "tblPr")
    el(tblpr, "tblInd", w=0, type="dxa")
    mar = el(tblpr, "tblCellMar")
    el(mar, "top", w=0, type="dxa")
    el(mar, "left", w=108, type="dxa")
    el(mar, "bottom", w=0, type="dxa")
    el(mar, "right", w=108, type="dxa")

    nl = el(styles, "style", type="numbering", default=1, styleId="NoList")
    el(nl, "name", val="No List")
    el(nl, "uiPriority", val=99)
    el(nl, "semiHidden")
    el(nl, "unhideWhenUsed")

    for name, style_id, based_on, ppr_spec, rpr_spec in PARAGRAPH_STYLES:
        st = el(styles, "style", type="paragraph", customStyle=1, styleId=style_id)
        if name[0].islower():  # built-in Word styles ("toc 1", "annotation text") are not custom
            del st.attrib[w("customStyle")]
        el(st, "name", val=name)
        if based_on:
            el(st, "basedOn", val=based_on)
        el(st, "next", val="MemoBody" if "Heading" in name else style_id)
        el(st, "uiPriority", val=39 if name.startswith("toc") else 10)
        el(st, "qFormat")
        _ppr(st, ppr_spec)
        _rpr(st, rpr_spec)

    for name, style_id, rpr_spec in CHARACTER_STYLES:
        st = el(styles, "style", type="character", customStyle=1, styleId=style_id)
        if name[0].islower():
            del st.attrib[w("customStyle")]
        el(st, "name", val=name)
        el(st, "basedOn", val="DefaultParagraphFont")
        el(st, "uiPriority", val=10)
        _rpr(st, rpr_spec)

    _table_style(
        styles,
        "Annex Table",
        "AnnexTable",
        {"top": ("single", 8, "000000"), "bottom": ("single", 8, "000000"), "insideH": ("single", 2, RULE)},
        header_fill="EDEDED",
        margins=(40, 71, 40, 71),
    )
    _table_style(
        styles,
        "Parallel Table",
        "ParallelTable",
        {
            "top": ("single", 4, RULE),
            "bottom": ("single", 4, RULE),
            "insideV": ("single", 4, RULE),
            "insideH": ("single", 2, RULE),
        },
        header_fill=None,
        margins=(60, 113, 40, 113),
    )
    _table_style(
        styles,
        "Comparison Table",
        "ComparisonTable",
        {side: ("single", 4, "000000") for side in ("top", "left", "bottom", "right", "insideH", "insideV")},
        header_fill="EDEDED",
        margins=(60, 85, 60, 85),
    )
    return styles


# --------------------------------------------------------------------------- numbering


def _lvl(
    abstract, ilvl: int, fmt: str, text: str, left: int, hanging: int, style: str | None = None, font: str | None = None
) -> None:
    lvl = el(abstract, "lvl", ilvl=ilvl)
    el(lvl, "start", val=1)
    el(lvl, "numFmt", val=fmt)
    if style:
        el(lvl, "pStyle", val=style)
    el(lvl, "lvlText", val=text)
    el(lvl, "lvlJc", val="left")
    ppr = el(lvl, "pPr")
    tabs = el(ppr, "tabs")
    el(tabs, "tab", val="num", pos=left)
    el(ppr, "ind", left=left, hanging=hanging)
    if font:
        rpr = el(lvl, "rPr")
        el(rpr, "rFonts", ascii=font, hAnsi=font, cs=font, hint="default")


def build_numbering() -> etree._Element:
    numbering = root("numbering")
    # 10: section headings "1.", "2." — attached to the style "Memo Heading 1".
    headings = el(numbering, "abstractNum", abstractNumId=10)
    el(headings, "nsid", val="5A1E0D10")
    el(headings, "multiLevelType", val="multilevel")
    _lvl(headings, 0, "decimal", "%1.", 567, 567, style="MemoHeading1")
    for i in range(1, 9):
        _lvl(headings, i, "decimal", "%1." + "".join(f"%{k + 1}." for k in range(1, i + 1)), 567 * (i + 1), 567)
    # 20: bullets — attached to "Memo List Bullet".
    bullets = el(numbering, "abstractNum", abstractNumId=20)
    el(bullets, "nsid", val="5A1E0D20")
    el(bullets, "multiLevelType", val="hybridMultilevel")
    for i, char in enumerate(["•", "–", "•", "–", "•", "–", "•", "–", "•"]):
        # Bullet and number at the body's first-line indent (1 cm), text at 1.7 cm.
        _lvl(bullets, i, "bullet", char, 964 + 567 * i, 397, style="MemoListBullet" if i == 0 else None, font=FONT)
    # 30: numbered lists "1.", "a)", "i." — attached to "Memo List Number".
    numbers = el(numbering, "abstractNum", abstractNumId=30)
    el(numbers, "nsid", val="5A1E0D30")
    el(numbers, "multiLevelType", val="hybridMultilevel")
    formats = [("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3.")] * 3
    for i, (fmt, text) in enumerate(formats):
        _lvl(numbers, i, fmt, text, 964 + 567 * i, 397, style="MemoListNumber" if i == 0 else None)
    for num_id, abstract_id in ((1, 10), (2, 20), (3, 30)):
        num = el(numbering, "num", numId=num_id)
        el(num, "abstractNumId", val=abstract_id)
    return numbering


# --------------------------------------------------------------------------- parts


def build_settings() -> etree._Element:
    settings = root("settings")
    el(settings, "zoom", percent=100)
    el(settings, "defaultTabStop", val=709)
    el(settings, "characterSpacingControl", val="doNotCompress")
    compat = el(settings, "compat")
    el(compat, "compatSetting", name="compatibilityMode", uri="http://schemas.microsoft.com/office/word", val=15)
    el(settings, "decimalSymbol", val=".")
    el(settings, "listSeparator", val=",")
    return settings


def build_font_table() -> etree._Element:
    fonts = root("fonts")
    for name, family, pitch in ((FONT, "roman", "variable"), (MONO, "modern", "fixed")):
        font = el(fonts, "font", name=name)
        el(font, "charset", val="CC")
        el(font, "family", val=family)
        el(font, "pitch", val=pitch)
    return fonts


def _p(parent, style: str, *runs: tuple[str, str | None], ppr_extra=None) -> etree._Element:
    p = el(parent, "p")
    ppr = el(p, "pPr")
    el(ppr, "pStyle", val=style)
    if ppr_extra:
        ppr_extra(ppr)
    for text, char_style in runs:
        r = el(p, "r")
        if char_style:
            el(el(r, "rPr"), "rStyle", val=char_style)
        if text == "\t":
            el(r, "tab")
        else:
            t = el(r, "t")
            t.text = text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def build_header(first_page: bool) -> etree._Element:
    hdr = root("hdr")
    if first_page:

        def no_rule(ppr):
            bdr = el(ppr, "pBdr")
            el(bdr, "bottom", val="nil")
            el(ppr, "jc", val="right")

        _p(hdr, "MemoHeader", ("{{draft_mark}}", "DraftWatermark"), ppr_extra=no_rule)
    else:
        _p(hdr, "MemoHeader", ("{{letterhead}}", None), ("\t", None), ("{{draft_mark}}", "DraftWatermark"))
    return hdr


def build_footer(first_page: bool) -> etree._Element:
    ftr = root("ftr")
    if first_page:
        _p(ftr, "MemoFooter")
    else:
        _p(ftr, "MemoFooter", ("{{page_x_of_y}}", None))
    return ftr


def _cell(tr, width: int, style: str, text: str) -> None:
    tc = el(tr, "tc")
    el(el(tc, "tcPr"), "tcW", w=width, type="dxa")
    _p(tc, style, (text, None))


def _specimen_table(body, style_id: str, header: list[str], rows: list[list[str]]) -> None:
    tbl = el(body, "tbl")
    tblpr = el(tbl, "tblPr")
    el(tblpr, "tblStyle", val=style_id)
    el(tblpr, "tblW", w=TEXT_W, type="dxa")
    el(tblpr, "tblLayout", type="fixed")
    el(tblpr, "tblLook", val="0420", firstRow=1, lastRow=0, firstColumn=0, lastColumn=0, noHBand=1, noVBand=1)
    grid = el(tbl, "tblGrid")
    width = TEXT_W // len(header)
    for _ in header:
        el(grid, "gridCol", w=width)
    tr = el(tbl, "tr")
    el(el(tr, "trPr"), "tblHeader")
    for text in header:
        _cell(tr, width, "MemoTableHeading", text)
    for row in rows:
        tr = el(tbl, "tr")
        for text in row:
            _cell(tr, width, "MemoTableText", text)


def build_document() -> etree._Element:
    doc = root("document")
    body = el(doc, "body")
    _p(body, "MemoOrganisers", ("School of Law and Public Administration, Narxoz University", None))
    _p(body, "MemoSubtitle", ("Recommendations of the roundtable", None))
    _p(body, "MemoTitle", ("Style specimen: the renderer replaces this whole body", None))
    _p(body, "MemoTitlePlace", ("Almaty", None))
    _p(body, "MemoTitleMeta", ("6 February 2025", None))
    _p(body, "MemoTitleNote", ("Memo Title Note: variant line (review copy, redline, comparison)", None))
    _p(body, "MemoNotice", ("Memo Notice: draft box. ", "MemoLabel"), ("Outstanding items follow.", None))
    _p(body, "MemoNotice", ("— a blocker", None))
    _p(body, "MemoAddresseeLabel", ("Memo Addressee Label", None))
    _p(body, "MemoAddressee", ("Memo Addressee: Mazhilis of the Parliament of the Republic of Kazakhstan", None))
    _p(body, "MemoContentsHeading", ("Memo Contents Heading", None))
    _p(body, "TOC1", ("toc 1: 1.\tExecutive summary", None), ("\t", None), ("3", None))
    _p(body, "TOC2", ("toc 2: Recommendation 1. Recognition of the Society", None), ("\t", None), ("4", None))
    _p(body, "MemoHeading1", ("Memo Heading 1 (numbered by the template)", None))
    _p(
        body,
        "MemoBody",
        ("Memo Body: justified text with a first-line indent. ", None),
        ("Memo Label", "MemoLabel"),
        (" marks a label such as Rationale.", None),
    )
    _p(body, "RecommendationHeading", ("Recommendation Heading: Recommendation 1. Title", None))
    _p(body, "MemoListBullet", ("Memo List Bullet", None))
    _p(body, "MemoListNumber", ("Memo List Number", None))
    _p(body, "MemoQuote", ("Memo Quote: a quotation.", None))
    _p(body, "MemoMeta", ("Legal basis: ", "MemoLabel"), ("Memo Meta line.", None))
    _p(body, "MemoNote", ("Memo Note: shown when a text is missing in the memo language.", None))
    _p(body, "MemoClosing", ("Memo Closing: the closing formula.", None))
    _p(body, "MemoSignature", ("Memo Signature", None))
    _p(body, "MemoAnnexHeading", ("Memo Annex Heading: Annex 1. Voting results", None))
    _specimen_table(
        body,
        "AnnexTable",
        ["Annex Table", "Memo Table Heading", "For"],
        [["Memo Table Text", "row", "12"], ["Memo Table Text", "row", "3"]],
    )
    _p(body, "MemoTableNote", ("Memo Table Note", None))
    _p(body, "MemoParallelHeading", ("Parallel Table (kk | ru) follows", None))
    _specimen_table(
        body, "ParallelTable", ["Қазақ тілінде", "На русском языке"], [["Memo Parallel Text", "Memo Parallel Text"]]
    )
    _p(body, "MemoBody", ("Comparison Table follows.", None))
    _specimen_table(body, "ComparisonTable", ["Earlier text", "Proposed text", "Justification"], [["…", "…", "…"]])
    _p(body, "MemoBody", ("Snapshot SHA-256: ", "MemoLabel"), ("Memo Code character style", "MemoCode"))

    sect = el(body, "sectPr")
    for kind, rid in (("default", "rIdHeaderDefault"), ("first", "rIdHeaderFirst")):
        ref = el(sect, "headerReference", type=kind)
        ref.set(f"{{{R_NS}}}id", rid)
    for kind, rid in (("default", "rIdFooterDefault"), ("first", "rIdFooterFirst")):
        ref = el(sect, "footerReference", type=kind)
        ref.set(f"{{{R_NS}}}id", rid)
    el(sect, "pgSz", w=PAGE_W, h=PAGE_H)
    el(
        sect,
        "pgMar",
        top=MARGIN_TOP,
        right=MARGIN_RIGHT,
        bottom=MARGIN_BOTTOM,
        left=MARGIN_LEFT,
        header=567,
        footer=567,
        gutter=0,
    )
    el(sect, "cols", space=708)
    el(sect, "titlePg")
    el(sect, "docGrid", linePitch=360)
    return doc


def _rels(entries: list[tuple[str, str, str]]) -> etree._Element:
    rels = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
    for rid, rel_type, target in entries:
        etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=rid, Type=rel_type, Target=target)
    return rels


def _content_types() -> etree._Element:
    types = etree.Element(f"{{{CT_NS}}}Types", nsmap={None: CT_NS})
    etree.SubElement(
        types,
        f"{{{CT_NS}}}Default",
        Extension="rels",
        ContentType="application/vnd.openxmlformats-package.relationships+xml",
    )
    etree.SubElement(types, f"{{{CT_NS}}}Default", Extension="xml", ContentType="application/xml")
    wml = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    for part, ct in (
        ("/word/document.xml", f"{wml}.document.main+xml"),
        ("/word/styles.xml", f"{wml}.styles+xml"),
        ("/word/numbering.xml", f"{wml}.numbering+xml"),
        ("/word/settings.xml", f"{wml}.settings+xml"),
        ("/word/fontTable.xml", f"{wml}.fontTable+xml"),
        ("/word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"),
        ("/word/header1.xml", f"{wml}.header+xml"),
        ("/word/header2.xml", f"{wml}.header+xml"),
        ("/word/footer1.xml", f"{wml}.footer+xml"),
        ("/word/footer2.xml", f"{wml}.footer+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ):
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName=part, ContentType=ct)
    return types


def _core() -> etree._Element:
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    dc = "http://purl.org/dc/elements/1.1/"
    core = etree.Element(f"{{{cp}}}coreProperties", nsmap={"cp": cp, "dc": dc})
    etree.SubElement(core, f"{{{dc}}}title").text = "Recommendations memo template"
    etree.SubElement(core, f"{{{dc}}}creator").text = "recdraft"
    return core


A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def build_theme() -> etree._Element:
    """A minimal Office theme: Word and the Open XML validator expect the document to have one.

    Colours and fonts follow the styles (Times New Roman throughout); nothing in the memo uses theme colours.
    """

    def a(parent, tag: str, **attrs) -> etree._Element:
        return etree.SubElement(parent, f"{{{A_NS}}}{tag}", **{k: str(v) for k, v in attrs.items()})

    theme = etree.Element(f"{{{A_NS}}}theme", nsmap={"a": A_NS}, name="recdraft")
    elements = a(theme, "themeElements")
    colours = a(elements, "clrScheme", name="recdraft")
    a(a(colours, "dk1"), "sysClr", val="windowText", lastClr="000000")
    a(a(colours, "lt1"), "sysClr", val="window", lastClr="FFFFFF")
    for name, value in (
        ("dk2", "1F3864"),
        ("lt2", "E7E6E6"),
        ("accent1", "1F3864"),
        ("accent2", "C55A11"),
        ("accent3", "7F7F7F"),
        ("accent4", "BF9000"),
        ("accent5", "2E75B6"),
        ("accent6", "548235"),
        ("hlink", "0563C1"),
        ("folHlink", "954F72"),
    ):
        a(a(colours, name), "srgbClr", val=value)
    fonts = a(elements, "fontScheme", name="recdraft")
    for kind in ("majorFont", "minorFont"):
        group = a(fonts, kind)
        a(group, "latin", typeface=FONT)
        a(group, "ea", typeface="")
        a(group, "cs", typeface="")
    formats = a(elements, "fmtScheme", name="recdraft")
    fills = a(formats, "fillStyleLst")
    lines = a(formats, "lnStyleLst")
    effects = a(formats, "effectStyleLst")
    backgrounds = a(formats, "bgFillStyleLst")
    for _ in range(3):
        a(a(fills, "solidFill"), "schemeClr", val="phClr")
        line = a(lines, "ln", w=6350)
        a(a(line, "solidFill"), "schemeClr", val="phClr")
        a(a(effects, "effectStyle"), "effectLst")
        a(a(backgrounds, "solidFill"), "schemeClr", val="phClr")
    a(theme, "objectDefaults")
    a(theme, "extraClrSchemeLst")
    return theme


def _app() -> etree._Element:
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    app = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    etree.SubElement(app, f"{{{ns}}}Application").text = "recdraft"
    return app


def build(path: pathlib.Path = OUT) -> pathlib.Path:
    """Write the template to ``path`` and return it."""
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _rels(
            [
                ("rId1", f"{office}/officeDocument", "word/document.xml"),
                (
                    "rId2",
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml",
                ),
                ("rId3", f"{office}/extended-properties", "docProps/app.xml"),
            ]
        ),
        "docProps/core.xml": _core(),
        "docProps/app.xml": _app(),
        "word/document.xml": build_document(),
        "word/_rels/document.xml.rels": _rels(
            [
                ("rIdStyles", f"{office}/styles", "styles.xml"),
                ("rIdNumbering", f"{office}/numbering", "numbering.xml"),
                ("rIdSettings", f"{office}/settings", "settings.xml"),
                ("rIdFonts", f"{office}/fontTable", "fontTable.xml"),
                ("rIdTheme", f"{office}/theme", "theme/theme1.xml"),
                ("rIdHeaderDefault", f"{office}/header", "header1.xml"),
                ("rIdHeaderFirst", f"{office}/header", "header2.xml"),
                ("rIdFooterDefault", f"{office}/footer", "footer1.xml"),
                ("rIdFooterFirst", f"{office}/footer", "footer2.xml"),
            ]
        ),
        "word/styles.xml": build_styles(),
        "word/numbering.xml": build_numbering(),
        "word/settings.xml": build_settings(),
        "word/fontTable.xml": build_font_table(),
        "word/theme/theme1.xml": build_theme(),
        "word/header1.xml": build_header(first_page=False),
        "word/header2.xml": build_header(first_page=True),
        "word/footer1.xml": build_footer(first_page=False),
        "word/footer2.xml": build_footer(first_page=True),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, element in parts.items():
            # Fixed timestamp: rebuilding without changes gives a byte-identical file.
            info = zipfile.ZipInfo(name, date_time=(2025, 2, 6, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True))
    return path


if __name__ == "__main__":
    print(f"wrote {build()}")
