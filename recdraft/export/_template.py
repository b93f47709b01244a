"""What the renderer needs from the Word template: named styles, numbering, page size, placeholders."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml import etree

from recdraft.export._ooxml import (
    RPR,
    SE,
    VAL,
    XML_SPACE,
    R,
    T,
    clean,
    field,
    w,
)

PARAGRAPH_STYLES = (
    "Memo Body",
    "Memo Organisers",
    "Memo Subtitle",
    "Memo Title",
    "Memo Title Place",
    "Memo Title Meta",
    "Memo Title Note",
    "Memo Notice",
    "Memo Addressee Label",
    "Memo Addressee",
    "Memo Contents Heading",
    "toc 1",
    "toc 2",
    "Memo Heading 1",
    "Recommendation Heading",
    "Memo Annex Heading",
    "Memo Quote",
    "Memo List Bullet",
    "Memo List Number",
    "Memo Meta",
    "Memo Note",
    "Memo Closing",
    "Memo Signature",
    "Memo Table Text",
    "Memo Table Heading",
    "Memo Table Number",
    "Memo Table Group",
    "Memo Table Note",
    "Memo Parallel Text",
    "Memo Parallel Heading",
)
CHARACTER_STYLES = ("Draft Watermark", "Memo Label", "Memo Code")
TABLE_STYLES = ("Annex Table", "Parallel Table", "Comparison Table")
REQUIRED_STYLES = PARAGRAPH_STYLES + CHARACTER_STYLES + TABLE_STYLES

STYLE, NAME, STYLE_ID, BASED_ON = w("style"), w("name"), w("styleId"), w("basedOn")
NUM, ABSTRACT_NUM, ABSTRACT_NUM_ID, NUM_ID_ATTR = w("num"), w("abstractNum"), w("abstractNumId"), w("numId")


class StyleMap:
    """Style ids looked up by style name (names are what the School sees in Word)."""

    def __init__(self, styles_element: etree._Element, template_name: str) -> None:
        self._by_name: dict[str, etree._Element] = {}
        for style in styles_element.iter(STYLE):
            name = style.find(NAME)
            if name is not None:
                # Word lower-cases built-in names ("toc 1"); compare case-insensitively.
                self._by_name[name.get(VAL, "").casefold()] = style
        missing = [n for n in REQUIRED_STYLES if n.casefold() not in self._by_name]
        if missing:
            from recdraft.export._errors import MissingStyleError  # the catalogue loads only for a message

            raise MissingStyleError(missing, template_name)
        self.ids = {n: self._by_name[n.casefold()].get(STYLE_ID) for n in REQUIRED_STYLES}
        self._by_id = {s.get(STYLE_ID): s for s in self._by_name.values()}

    def __getitem__(self, name: str) -> str:
        return self.ids[name]

    def num_id(self, name: str) -> int | None:
        """The list numbering attached to style ``name`` (following basedOn), or None."""
        style = self._by_name.get(name.casefold())
        for _ in range(10):  # basedOn chains are short; the bound guards against cycles
            if style is None:
                return None
            num_id = style.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
            if num_id is not None:
                value = int(num_id.get(VAL, "0"))
                return value or None
            based = style.find(BASED_ON)
            style = self._by_id.get(based.get(VAL)) if based is not None else None
        return None


# The memo's own heading styles and the built-in heading each one is a kind of (by its outline level).
HEADING_STYLES = {"Memo Heading 1": 1, "Memo Annex Heading": 1, "Recommendation Heading": 2}


def base_headings_on_builtin(styles_element: etree._Element) -> None:
    """Make the memo's headings real headings: each heading style is based on Word's built-in
    "heading N" (added when the template lacks it), so screen readers, Word's navigation pane,
    pandoc and tagged PDF all see H1/H2 — the outline level alone is not enough for pandoc.

    The built-in style added here has no formatting of its own (based on the template's base), so the
    memo looks exactly as before. A template whose "heading N" carries its own formatting (fonts,
    colours) keeps its memo heading styles as they are: basing them on it would change their look.
    """
    by_name = {}
    for style in styles_element.iter(STYLE):
        name = style.find(NAME)
        if name is not None:
            by_name[name.get(VAL, "").casefold()] = style
    for memo_name, level in HEADING_STYLES.items():
        memo_style = by_name.get(memo_name.casefold())
        if memo_style is None:
            continue
        based = memo_style.find(BASED_ON)
        builtin = by_name.get(f"heading {level}")
        if builtin is None:
            builtin = SE(styles_element, STYLE)
            builtin.set(w("type"), "paragraph")
            builtin.set(STYLE_ID, f"Heading{level}")
            SE(builtin, NAME).set(VAL, f"heading {level}")
            if based is not None:
                SE(builtin, BASED_ON).set(VAL, based.get(VAL, ""))
            SE(builtin, w("next")).set(VAL, based.get(VAL, "") if based is not None else "Normal")
            SE(builtin, w("uiPriority")).set(VAL, "9")
            if level > 1:
                SE(builtin, w("unhideWhenUsed"))
            SE(builtin, w("qFormat"))
            ppr = SE(builtin, w("pPr"))
            SE(ppr, w("keepNext"))
            SE(ppr, w("keepLines"))
            SE(ppr, w("outlineLvl")).set(VAL, str(level - 1))
            by_name[f"heading {level}"] = builtin
        elif builtin.find(w("rPr")) is not None:
            continue
        builtin_base = builtin.find(BASED_ON)
        # Only where it changes nothing but the kind: both based on the same style.
        if (based.get(VAL) if based is not None else None) != (
            builtin_base.get(VAL) if builtin_base is not None else None
        ):
            continue
        if based is None:
            based = memo_style.makeelement(BASED_ON, {})
            memo_style.find(NAME).addnext(based)
        based.set(VAL, builtin.get(STYLE_ID, f"Heading{level}"))


_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerRoman", "upperRoman"):
        out = ""
        for value, letters in _ROMAN:
            while n >= value:
                out += letters
                n -= value
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter.upper() if fmt == "upperLetter" else letter
    return str(n)


class Numbering:
    """List instances made at render time from the template's numbering definitions."""

    def __init__(self, numbering_element: etree._Element, styles: StyleMap) -> None:
        self._root = numbering_element
        self._nums = {int(n.get(NUM_ID_ATTR)): n for n in numbering_element.iter(NUM)}
        self._abstract = {int(a.get(ABSTRACT_NUM_ID)): a for a in numbering_element.iter(ABSTRACT_NUM)}
        self._next_id = max(self._nums, default=0) + 1
        self.bullet_id = styles.num_id("Memo List Bullet")
        self.number_id = styles.num_id("Memo List Number")
        self.heading_id = styles.num_id("Memo Heading 1")

    def _abstract_of(self, num_id: int) -> etree._Element | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        ref = num.find(ABSTRACT_NUM_ID)
        return self._abstract.get(int(ref.get(VAL))) if ref is not None else None

    def restart(self, num_id: int | None, start: int = 1) -> int | None:
        """A new instance of list ``num_id`` that counts from ``start`` (a list restarts at 1)."""
        if num_id is None or num_id not in self._nums:
            return None
        ref = self._nums[num_id].find(ABSTRACT_NUM_ID)
        new_id = self._next_id
        self._next_id += 1
        num = SE(self._root, NUM)
        num.set(NUM_ID_ATTR, str(new_id))
        SE(num, ABSTRACT_NUM_ID).set(VAL, ref.get(VAL))
        override = SE(num, w("lvlOverride"))
        override.set(w("ilvl"), "0")
        SE(override, w("startOverride")).set(VAL, str(start))
        self._nums[new_id] = num
        return new_id

    def heading_label(self, n: int) -> str:
        """The number Word shows before the n-th "Memo Heading 1" (for the pre-filled TOC)."""
        if self.heading_id is None:
            return ""
        abstract = self._abstract_of(self.heading_id)
        lvl = abstract.find(f"{w('lvl')}[@{w('ilvl')}='0']") if abstract is not None else None
        if lvl is None:
            return ""
        fmt_el, text_el, start_el = lvl.find(w("numFmt")), lvl.find(w("lvlText")), lvl.find(w("start"))
        fmt = fmt_el.get(VAL) if fmt_el is not None else "decimal"
        if fmt == "none" or text_el is None:
            return ""
        start = int(start_el.get(VAL)) if start_el is not None else 1
        return text_el.get(VAL, "").replace("%1", _format_number(start + n - 1, fmt))


def text_width(sect_pr: etree._Element | None) -> int:
    """Usable width in twips from the section's page size and margins (A4 default)."""
    if sect_pr is None:
        return 9354
    try:
        size, margins = sect_pr.find(w("pgSz")), sect_pr.find(w("pgMar"))
        return int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))
    except (AttributeError, TypeError, ValueError):
        return 9354


# --------------------------------------------------------------------------- placeholders

_TOKEN = re.compile(r"\{\{\s*(\w+)\s*\}\}")
Expander = Callable[[etree._Element, etree._Element | None], None]


def _split_run_at(r: etree._Element, t: etree._Element, offset: int) -> etree._Element:
    """Split run ``r`` inside its text ``t`` at ``offset``; return the new run holding the rest."""
    after = r.makeelement(R, {})
    rpr = r.find(RPR)
    if rpr is not None:
        after.append(copy.deepcopy(rpr))
    rest = t.makeelement(T, {})
    rest.text = (t.text or "")[offset:]
    rest.set(XML_SPACE, "preserve")
    t.text = (t.text or "")[:offset]
    t.set(XML_SPACE, "preserve")
    after.append(rest)
    for sibling in list(t.itersiblings()):
        after.append(sibling)
    r.addnext(after)
    return after


def fill_placeholders(part_element: etree._Element, values: dict[str, str | Expander]) -> None:
    """Replace ``{{name}}`` tokens in every paragraph, even when Word split a token across runs.

    A ``str`` value becomes text; a callable value builds runs itself (fields) and receives the
    parent paragraph and the token's run properties. Unknown tokens are left as they are.
    """
    for p in part_element.iter(w("p")):
        texts = [t for t in p.iter(T) if t.getparent().tag == R]
        full = "".join(t.text or "" for t in texts)
        if "{{" not in full:
            continue
        for match in reversed(list(_TOKEN.finditer(full))):
            name = match.group(1)
            if name not in values:
                continue
            start, end = match.span()
            # Locate the text elements the token covers and cut the token out of them.
            pos, first = 0, None
            for t in texts:
                text = t.text or ""
                lo, hi = pos, pos + len(text)
                pos = hi
                if hi <= start or lo >= end:
                    continue
                cut_lo, cut_hi = max(start, lo) - lo, min(end, hi) - lo
                if first is None:
                    first = (t, cut_lo)
                t.text = text[:cut_lo] + text[cut_hi:]
                t.set(XML_SPACE, "preserve")
            if first is None:
                continue
            t0, offset = first
            r0 = t0.getparent()
            after = _split_run_at(r0, t0, offset)
            rpr = r0.find(RPR)
            value = values[name]
            holder = p.makeelement(w("p"), {})  # build new runs here, then move them into place
            if callable(value):
                value(holder, rpr)
            elif value:
                r = SE(holder, R)
                if rpr is not None:
                    r.append(copy.deepcopy(rpr))
                t = SE(r, T)
                t.text = clean(value, single_line=True)
                t.set(XML_SPACE, "preserve")
            for new_run in list(holder):
                after.addprevious(new_run)
            full = full[:start] + full[end:]  # later (earlier-positioned) matches keep their offsets
            texts = [t for t in p.iter(T) if t.getparent().tag == R]


def page_x_of_y(pattern: str) -> Expander:
    """An expander writing e.g. "Page {page} of {pages}" with live PAGE and NUMPAGES fields."""

    def expand(holder: etree._Element, rpr: etree._Element | None) -> None:
        for piece in re.split(r"(\{page\}|\{pages\})", pattern):
            if not piece:
                continue
            if piece in ("{page}", "{pages}"):
                field(holder, "PAGE" if piece == "{page}" else "NUMPAGES", "1", rpr)
            else:
                r = SE(holder, R)
                if rpr is not None:
                    r.append(copy.deepcopy(rpr))
                t = SE(r, T)
                t.text = piece
                t.set(XML_SPACE, "preserve")

    return expand
