"""Tracked changes (``w:ins`` / ``w:del``) between an earlier and the current text.

Changes are shown at the level a reader follows: whole words with their punctuation, and a sentence
rewritten beyond recognition as one deletion and one insertion. Each change carries the person who
made the revision and the revision's date (``Ctx.revision_attrs``).

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

# Whole words with the punctuation attached to them, and whitespace runs; joining gives the text back.
_TOKEN = re.compile(r"\S+|\s+")
# A word that ends a sentence: . ! ? … possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u00bb\u201d\u2019)\]]*$")
# Below this share of shared words a changed sentence is shown as rewritten (one deletion, one insertion).
_REWRITE_BELOW = 0.5
# Above this many token comparisons a paragraph is shown as replaced rather than diffed word by word.
_MAX_WORK = 25_000_000

Token = tuple[str, int]


def _tokens(spans: list[Span]) -> list[Token]:
    return [(tok, fmt) for text, fmt in spans for tok in _TOKEN.findall(text)]


def _sentences(tokens: list[Token]) -> list[list[Token]]:
    """Tokens grouped into sentences; the space after a sentence belongs to it."""
    out: list[list[Token]] = []
    current: list[Token] = []
    ended = False
    for tok in tokens:
        if ended and not tok[0].isspace():
            out.append(current)
            current = []
            ended = False
        current.append(tok)
        if not tok[0].isspace() and _SENTENCE_END.search(tok[0]):
            ended = True
    if current:
        out.append(current)
    return out


def _emit(
    ctx: Ctx, parent: etree._Element, tokens: list[Token], *, op: str, lang: str | None, fmt_extra: int = 0
) -> None:
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


def _words(tokens: list[Token]) -> list[str]:
    return [t for t, _ in tokens if not t.isspace()]


def _similarity(a: list[Token], b: list[Token]) -> float:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).ratio()


def _word_changes(a: list[Token], b: list[Token]) -> list[tuple[str, list[Token], list[Token]]]:
    """("equal", old, new) / ("change", old, new) segments, word by word.

    A change separated from the next one only by spaces or a single short word is merged with it, so
    the reader sees "the law on the Society" → "a new law", not a comb of one-letter edits.
    """
    matcher = difflib.SequenceMatcher(a=[t for t, _ in a], b=[t for t, _ in b], autojunk=False)
    segments: list[tuple[str, list[Token], list[Token]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "equal" if tag == "equal" else "change"
        if segments and segments[-1][0] == kind == "change":
            segments[-1][1].extend(a[i1:i2])
            segments[-1][2].extend(b[j1:j2])
        else:
            segments.append((kind, list(a[i1:i2]), list(b[j1:j2])))
    merged: list[tuple[str, list[Token], list[Token]]] = []
    k = 0
    while k < len(segments):
        kind, old, new = segments[k]
        short = kind == "equal" and len(_words(new)) <= 1 and 0 < k < len(segments) - 1
        if short and merged and merged[-1][0] == "change" and segments[k + 1][0] == "change":
            merged[-1][1].extend(old + segments[k + 1][1])
            merged[-1][2].extend(new + segments[k + 1][2])
            k += 2
            continue
        if kind == "change" and merged and merged[-1][0] == "change":
            merged[-1][1].extend(old)
            merged[-1][2].extend(new)
        else:
            merged.append((kind, old, new))
        k += 1
    return merged


def _changes(a: list[Token], b: list[Token]) -> list[tuple[str, list[Token], list[Token]]]:
    """Sentence by sentence: an unchanged sentence stays, a rewritten one is one deletion and one
    insertion, a lightly edited one is diffed word by word."""
    sa, sb = _sentences(a), _sentences(b)
    key = lambda sentence: tuple(t for t, _ in sentence)  # noqa: E731
    matcher = difflib.SequenceMatcher(a=[key(x) for x in sa], b=[key(x) for x in sb], autojunk=False)
    out: list[tuple[str, list[Token], list[Token]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", [t for x in sa[i1:i2] for t in x], [t for x in sb[j1:j2] for t in x]))
            continue
        olds, news = sa[i1:i2], sb[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else []
            new = news[k] if k < len(news) else []
            if old and new and _similarity(old, new) >= _REWRITE_BELOW:
                out.extend(_word_changes(old, new))
            else:
                out.append(("change", old, new))
    return out


def write_inline_diff(
    ctx: Ctx, p: etree._Element, old: list[Span], new: list[Span], *, lang: str | None, fmt_extra: int = 0
) -> None:
    """Tracked changes turning spans ``old`` into ``new`` inside paragraph ``p``, at the level of
    words and sentences (see ``_changes``)."""
    a, b = _tokens(old), _tokens(new)
    if len(a) * len(b) > _MAX_WORK:
        _emit(ctx, p, a, op="delete", lang=lang, fmt_extra=fmt_extra)
        _emit(ctx, p, b, op="insert", lang=lang, fmt_extra=fmt_extra)
        return
    for kind, olds, news in _changes(a, b):
        if kind == "equal":
            _emit(ctx, p, news, op="equal", lang=lang, fmt_extra=fmt_extra)
        else:
            _emit(ctx, p, olds, op="delete", lang=lang, fmt_extra=fmt_extra)
            _emit(ctx, p, news, op="insert", lang=lang, fmt_extra=fmt_extra)


def mark_paragraph(ctx: Ctx, p: etree._Element, op: str) -> None:
    """Mark the paragraph mark of ``p`` as inserted or deleted (``op``: "insert"/"delete")."""
    ppr = ppr_of(p)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = SE(ppr, RPR)
    SE(rpr, INS if op == "insert" else DEL, ctx.revision_attrs())


def _whole_block(
    ctx: Ctx,
    parent: etree._Element,
    block: Block,
    state: ListState,
    *,
    op: str,
    compact: bool,
    body_style: str,
    lang: str | None,
) -> etree._Element:
    p, fmt_extra = block_paragraph(ctx, parent, block, state, compact=compact, body_style=body_style)
    _emit(ctx, p, _tokens(block.spans), op=op, lang=lang, fmt_extra=fmt_extra)
    mark_paragraph(ctx, p, op)
    return p


def write_markup_diff(
    ctx: Ctx,
    parent: etree._Element,
    old_text: str,
    new_text: str,
    *,
    lang: str,
    compact: bool = False,
    body_style: str = "Memo Body",
    prefix: str | None = None,
) -> None:
    """Paragraphs of ``new_text`` with tracked changes against ``old_text`` (both Markdown subset)."""
    old_blocks, new_blocks = parse_blocks(clean(old_text)), parse_blocks(clean(new_text))
    run_lang = ctx.run_lang(lang)
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

    matcher = difflib.SequenceMatcher(a=[key(b) for b in old_blocks], b=[key(b) for b in new_blocks], autojunk=False)
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
                p = _whole_block(
                    ctx, parent, old, state, op="delete", compact=compact, body_style=body_style, lang=run_lang
                )
                prefix_run(p)
            if new is not None:
                p = _whole_block(
                    ctx, parent, new, state, op="insert", compact=compact, body_style=body_style, lang=run_lang
                )
                prefix_run(p)
    if pending_prefix:
        # Both texts empty: keep the label so the layout matches the other recommendations.
        prefix_run(paragraph(parent, ctx.s(body_style)))
