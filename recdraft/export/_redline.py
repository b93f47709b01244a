"""Tracked changes (``w:ins`` / ``w:del``) between an earlier and the current text, word by word.

Word and LibreOffice list each change with its author and date and can accept or reject it.
Whole paragraphs added or removed also carry an inserted/deleted paragraph mark, so accepting a
deletion removes the empty paragraph as well.
"""

from __future__ import annotations

import difflib
import re

from lxml import etree

from recdraft.export._content import ListState, block_paragraph
from recdraft.export._context import Ctx
from recdraft.export._markup import Block, Span, parse_blocks
from recdraft.export._ooxml import DEL, INS, PPR, RPR, SE, P, clean, paragraph, ppr_of, run

# Words, whitespace runs and single punctuation marks; joining the tokens gives the text back.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# Above this many token comparisons a paragraph is shown as replaced rather than diffed word by word.
_MAX_WORK = 25_000_000

Token = tuple[str, int]


def _tokens(spans: list[Span]) -> list[Token]:
    return [(tok, fmt) for text, fmt in spans for tok in _TOKEN.findall(text)]


def _emit(ctx: Ctx, parent: etree._Element, tokens: list[Token], *, op: str, lang: str | None,
          fmt_extra: int = 0) -> None:
    """Runs for ``tokens`` (merged by format), wrapped in ``w:ins``/``w:del`` unless equal."""
    if not tokens:
        return
    if op == "insert":
        parent = SE(parent, INS, ctx.revision_attrs())
    elif op == "delete":
        parent = SE(parent, DEL, ctx.revision_attrs())
    text, fmt = "", tokens[0][1]
    for tok, tok_fmt in tokens:
        if tok_fmt != fmt and text:
            run(parent, text, fmt=fmt | fmt_extra, lang=lang, deleted=op == "delete")
            text = ""
        fmt = tok_fmt
        text += tok
    if text:
        run(parent, text, fmt=fmt | fmt_extra, lang=lang, deleted=op == "delete")


def write_inline_diff(ctx: Ctx, p: etree._Element, old: list[Span], new: list[Span], *,
                      lang: str | None, fmt_extra: int = 0) -> None:
    """Word-level tracked changes turning spans ``old`` into ``new`` inside paragraph ``p``."""
    a, b = _tokens(old), _tokens(new)
    if len(a) * len(b) > _MAX_WORK:
        _emit(ctx, p, a, op="delete", lang=lang, fmt_extra=fmt_extra)
        _emit(ctx, p, b, op="insert", lang=lang, fmt_extra=fmt_extra)
        return
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _emit(ctx, p, b[j1:j2], op="equal", lang=lang, fmt_extra=fmt_extra)
        else:
            _emit(ctx, p, a[i1:i2], op="delete", lang=lang, fmt_extra=fmt_extra)
            _emit(ctx, p, b[j1:j2], op="insert", lang=lang, fmt_extra=fmt_extra)


def mark_paragraph(ctx: Ctx, p: etree._Element, op: str) -> None:
    """Mark the paragraph mark of ``p`` as inserted or deleted (``op``: "insert"/"delete")."""
    ppr = ppr_of(p)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = SE(ppr, RPR)
    SE(rpr, INS if op == "insert" else DEL, ctx.revision_attrs())


def _whole_block(ctx: Ctx, parent: etree._Element, block: Block, state: ListState, *, op: str,
                 compact: bool, body_style: str, lang: str | None) -> etree._Element:
    p, fmt_extra = block_paragraph(ctx, parent, block, state, compact=compact, body_style=body_style)
    _emit(ctx, p, _tokens(block.spans), op=op, lang=lang, fmt_extra=fmt_extra)
    mark_paragraph(ctx, p, op)
    return p


def write_markup_diff(ctx: Ctx, parent: etree._Element, old_text: str, new_text: str, *, lang: str,
                      compact: bool = False, body_style: str = "Memo Body",
                      prefix: str | None = None) -> None:
    """Paragraphs of ``new_text`` with tracked changes against ``old_text`` (both Markdown subset)."""
    old_blocks, new_blocks = parse_blocks(clean(old_text)), parse_blocks(clean(new_text))
    run_lang = ctx.tag(lang) if ctx.bilingual else None
    state = ListState()
    pending_prefix = prefix

    def prefix_run(p: etree._Element) -> None:
        """The run-in label ("Rationale.") first in the paragraph; inserted or deleted with it."""
        nonlocal pending_prefix
        if not pending_prefix:
            return
        mark = p.find(f"{PPR}/{RPR}")
        op = None
        if mark is not None and mark.find(INS) is not None:
            op = "insert"
        elif mark is not None and mark.find(DEL) is not None:
            op = "delete"
        holder = p.makeelement(P, {})
        wrapper = holder if op is None else SE(holder, INS if op == "insert" else DEL, ctx.revision_attrs())
        run(wrapper, pending_prefix + " ", style_id=ctx.s("Memo Label"), lang=run_lang, deleted=op == "delete")
        p.insert(1 if len(p) and p[0].tag == PPR else 0, holder[0])
        pending_prefix = None

    def key(block: Block) -> tuple:
        return block.kind, block.level, tuple(block.spans)

    matcher = difflib.SequenceMatcher(a=[key(b) for b in old_blocks], b=[key(b) for b in new_blocks],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for block in new_blocks[j1:j2]:
                p, fmt_extra = block_paragraph(ctx, parent, block, state, compact=compact, body_style=body_style)
                _emit(ctx, p, _tokens(block.spans), op="equal", lang=run_lang, fmt_extra=fmt_extra)
                prefix_run(p)
            continue
        olds, news = old_blocks[i1:i2], new_blocks[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            if old is not None and new is not None and (old.kind, old.level) == (new.kind, new.level):
                p, fmt_extra = block_paragraph(ctx, parent, new, state, compact=compact, body_style=body_style)
                write_inline_diff(ctx, p, old.spans, new.spans, lang=run_lang, fmt_extra=fmt_extra)
                prefix_run(p)
                continue
            if old is not None:
                p = _whole_block(ctx, parent, old, state, op="delete", compact=compact,
                                 body_style=body_style, lang=run_lang)
                prefix_run(p)
            if new is not None:
                p = _whole_block(ctx, parent, new, state, op="insert", compact=compact,
                                 body_style=body_style, lang=run_lang)
                prefix_run(p)
    if pending_prefix:
        # Both texts empty: keep the label so the layout matches the other recommendations.
        prefix_run(paragraph(parent, ctx.s(body_style)))
