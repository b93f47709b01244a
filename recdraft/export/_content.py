"""Writing Markdown-subset text as Word paragraphs, runs and list numbering."""

from __future__ import annotations

from lxml import etree

from recdraft.domain.translations import foreign_segments
from recdraft.export._context import Ctx
from recdraft.export._markup import Block, Span, parse_blocks
from recdraft.export._ooxml import (
    ITALIC,
    SE,
    clean,
    numpr_xml,
    paragraph,
    ppr_of,
    ppr_xml,
    run,
    run_xml,
    set_numbering,
    w,
)
from recdraft.export.wording import LANG_TAGS

IND = w("ind")


class ListState:
    """Numbered lists restart after any other paragraph at the outer level."""

    def __init__(self) -> None:
        self.num_id: int | None = None

    def number_id(self, ctx: Ctx, block: Block) -> int | None:
        if self.num_id is None:
            self.num_id = ctx.numbering.restart(ctx.numbering.number_id, block.start if block.level == 0 else 1)
        return self.num_id

    def interrupt(self, block: Block) -> None:
        if block.level == 0 and block.kind != "number":
            self.num_id = None


def block_paragraph(
    ctx: Ctx, parent: etree._Element, block: Block, state: ListState, *, compact: bool, body_style: str
) -> tuple[etree._Element, int]:
    """The paragraph for ``block`` with list numbering; returns it and extra run formatting.

    ``compact`` (table cells, the side-by-side edition) keeps the cell's text style and attaches
    numbering directly, so lists in a 10-pt cell stay 10 pt.
    """
    state.interrupt(block)
    kind = block.kind
    numbering = ctx.numbering
    if kind == "number":
        num_id = state.number_id(ctx, block)
        p = paragraph(parent, ctx.s(body_style if compact else "Memo List Number"))
        if num_id is not None:
            set_numbering(p, num_id, block.level)
        return p, 0
    if kind == "bullet":
        p = paragraph(parent, ctx.s(body_style if compact else "Memo List Bullet"))
        if numbering.bullet_id is not None and (compact or block.level):
            set_numbering(p, numbering.bullet_id, block.level)
        return p, 0
    if kind == "quote":
        if compact:
            p = paragraph(parent, ctx.s(body_style))
            ind = SE(ppr_of(p), IND)
            ind.set(w("left"), "284")
            ind.set(w("firstLine"), "0")
            return p, ITALIC
        return paragraph(parent, ctx.s("Memo Quote")), 0
    return paragraph(parent, ctx.s(body_style)), 0


def _pieces(
    spans: list[Span], *, lang: str | None, cuts: tuple[int, ...] = (), base: str | None = None
) -> list[tuple[int, int, str, int, str | None]]:
    """(start, end, text, format, language) of each run ``write_spans`` writes (see there)."""
    out: list[tuple[int, int, str, int, str | None]] = []
    pos = 0
    tags: dict[int, str] = {}
    if base is not None:
        full = "".join(text for text, _ in spans)
        for start, stop, code in foreign_segments(full, base):
            tags[start] = LANG_TAGS[code]
            tags.setdefault(stop, "")
        cuts = tuple(sorted({*cuts, *tags}))
    current = lang
    for text, fmt in spans:
        end = pos + len(text)
        inner = [c - pos for c in cuts if pos < c < end]
        last = 0
        for cut in [*inner, len(text)]:
            piece = text[last:cut]
            if pos + last in tags:
                current = tags[pos + last] or lang
            if piece:
                out.append((pos + last, pos + cut, piece, fmt, current))
            last = cut
        pos = end
    return out


def block_ppr_xml(ctx: Ctx, block: Block, state: ListState, *, compact: bool, body_style: str) -> tuple[str, int]:
    """``block_paragraph`` as a string: the paragraph's ``w:pPr`` and extra run formatting."""
    state.interrupt(block)
    kind = block.kind
    numbering = ctx.numbering
    if kind == "number":
        num_id = state.number_id(ctx, block)
        style = ctx.s(body_style if compact else "Memo List Number")
        return ppr_xml(style, extra=numpr_xml(num_id, block.level) if num_id is not None else ""), 0
    if kind == "bullet":
        style = ctx.s(body_style if compact else "Memo List Bullet")
        bullet_id = numbering.bullet_id
        numbered = bullet_id is not None and (compact or block.level)
        return ppr_xml(style, extra=numpr_xml(bullet_id, block.level) if numbered and bullet_id is not None else ""), 0
    if kind == "quote":
        if compact:
            return ppr_xml(ctx.s(body_style), extra='<w:ind w:left="284" w:firstLine="0"/>'), ITALIC
        return ppr_xml(ctx.s("Memo Quote")), 0
    return ppr_xml(ctx.s(body_style)), 0


def write_spans(
    p: etree._Element,
    spans: list[Span],
    *,
    lang: str | None,
    fmt_extra: int = 0,
    cuts: tuple[int, ...] = (),
    base: str | None = None,
) -> list[tuple[int, int, etree._Element]]:
    """Runs for ``spans``; split at character offsets ``cuts``. Returns (start, end, run) triples.

    With ``base`` (the paragraph's language code), words in another script — a Latin name or quotation in a
    Kazakh or Russian paragraph, Cyrillic in an English one — get runs of their own tagged with their
    language, so spell-checkers and screen readers read them right (issue 10, item 7).
    """
    return [
        (start, end, run(p, text, fmt=fmt | fmt_extra, lang=current))
        for start, end, text, fmt, current in _pieces(spans, lang=lang, cuts=cuts, base=base)
    ]


def spans_xml(
    spans: list[Span], *, lang: str | None, fmt_extra: int = 0, base: str | None = None, cleaned: bool = False
) -> str:
    """``write_spans`` as a string. ``cleaned``: the texts already passed through ``clean`` (the
    blocks of ``parse_blocks(clean(text))``; cleaning a piece of a clean text changes nothing)."""
    if base is not None:
        full = spans[0][0] if len(spans) == 1 else "".join(text for text, _ in spans)
        if foreign_segments(full, base):
            return "".join(
                run_xml(text, fmt=fmt | fmt_extra, lang=current, cleaned=cleaned)
                for _, _, text, fmt, current in _pieces(spans, lang=lang, base=base)
            )
    # Nothing in another script: one run per span, in the paragraph's language.
    return "".join([run_xml(text, fmt=fmt | fmt_extra, lang=lang, cleaned=cleaned) for text, fmt in spans if text])


def write_markup(
    ctx: Ctx,
    parent: etree._Element,
    text: str,
    *,
    lang: str,
    compact: bool = False,
    body_style: str = "Memo Body",
    prefix: str | None = None,
    quotes: dict[int, str] | None = None,
) -> None:
    """Paragraphs for Markdown-subset ``text``. ``prefix`` is a run-in bold label ("Rationale.").

    ``quotes`` maps review-comment indexes to passages; a passage found inside one paragraph gets
    its own runs, recorded in ``ctx.comment_anchors`` so the comment can be anchored on it.
    """
    if not quotes:  # nothing to anchor a comment on: the paragraphs as one string, parsed at once
        ctx.splicer.add(parent, markup_xml(ctx, text, lang=lang, compact=compact, body_style=body_style, prefix=prefix))
        return
    blocks = parse_blocks(clean(text))
    run_lang = ctx.run_lang(lang)
    if prefix and (not blocks or blocks[0].kind != "para"):
        p = paragraph(parent, ctx.s(body_style))
        run(p, prefix, style_id=ctx.s("Memo Label"), lang=run_lang)
        prefix = None
    state = ListState()
    for block in blocks:
        p, fmt_extra = block_paragraph(ctx, parent, block, state, compact=compact, body_style=body_style)
        if prefix:
            run(p, prefix + " ", style_id=ctx.s("Memo Label"), lang=run_lang)
            prefix = None
        found = _find_quotes(ctx, block.text, quotes) if quotes else {}
        cuts = tuple(sorted({offset for span in found.values() for offset in span}))
        runs = write_spans(p, block.spans, lang=run_lang, fmt_extra=fmt_extra, cuts=cuts, base=lang)
        for index, (start, end) in found.items():
            first = next((r for s, _, r in runs if s == start), None)
            last = next((r for _, e, r in runs if e == end), None)
            if first is not None and last is not None:
                ctx.comment_anchors[index] = (first, last)
                del quotes[index]


def markup_xml(
    ctx: Ctx, text: str, *, lang: str, compact: bool = False, body_style: str = "Memo Body", prefix: str | None = None
) -> str:
    """``write_markup`` (without review quotes) as a string of paragraphs."""
    blocks = parse_blocks(clean(text))
    run_lang = ctx.run_lang(lang)
    label = ctx.s("Memo Label")
    out: list[str] = []
    if prefix and (not blocks or blocks[0].kind != "para"):
        out.append(f"<w:p>{ppr_xml(ctx.s(body_style))}{run_xml(prefix, style_id=label, lang=run_lang)}</w:p>")
        prefix = None
    state = ListState()
    for block in blocks:
        ppr, fmt_extra = block_ppr_xml(ctx, block, state, compact=compact, body_style=body_style)
        inner = ppr
        if prefix:
            inner += run_xml(prefix + " ", style_id=label, lang=run_lang)
            prefix = None
        inner += spans_xml(block.spans, lang=run_lang, fmt_extra=fmt_extra, base=lang, cleaned=True)
        out.append(f"<w:p>{inner}</w:p>" if inner else "<w:p/>")
    return "".join(out)


def _find_quotes(ctx: Ctx, text: str, quotes: dict[int, str]) -> dict[int, tuple[int, int]]:
    """Non-overlapping positions of the quoted passages found in ``text``."""
    found: list[tuple[int, int, int]] = []
    for index, quote in quotes.items():
        needle = clean(quote).strip()
        if needle:
            at = text.find(needle)
            if at >= 0:
                found.append((at, at + len(needle), index))
    found.sort()
    out: dict[int, tuple[int, int]] = {}
    last_end = -1
    for start, end, index in found:
        if start >= last_end:
            out[index] = (start, end)
            last_end = end
    return out


def write_labeled(ctx: Ctx, parent: etree._Element, label: str, text: str, *, lang: str, style: str) -> None:
    """ "Label: text" lines (legal basis, responsible body) — the text may hold the markup too."""
    write_markup(ctx, parent, text, lang=lang, compact=True, body_style=style, prefix=f"{label}:")
