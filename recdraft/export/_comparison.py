"""The comparison variant: earlier text | proposed text | justification | consensus, in landscape."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from lxml import etree

from recdraft.export._content import write_markup
from recdraft.export._context import Ctx, by_lang
from recdraft.export._ooxml import (
    BOLD,
    ITALIC,
    SE,
    cell,
    ppr_of,
    row,
    simple_paragraph,
    table,
    w,
)
from recdraft.export._template import text_width

if TYPE_CHECKING:
    from recdraft.schemas.memo import Recommendation


def landscape_section(ctx: Ctx, last_portrait_paragraph: etree._Element, sect_pr: etree._Element) -> None:
    """End the portrait section at ``last_portrait_paragraph``; the rest of the body is landscape.

    The portrait section keeps a copy of the template's section properties (header, footer,
    first-page title page); the final one is turned to landscape and drops the title-page setting.
    """
    ppr_of(last_portrait_paragraph).append(copy.deepcopy(sect_pr))
    size = sect_pr.find(w("pgSz"))
    if size is not None:
        width, height = size.get(w("w")), size.get(w("h"))
        if width and height and int(width) < int(height):
            size.set(w("w"), height)
            size.set(w("h"), width)
        size.set(w("orient"), "landscape")
    title_pg = sect_pr.find(w("titlePg"))
    if title_pg is not None:
        sect_pr.remove(title_pg)
    ctx.width = text_width(sect_pr)


def comparison(ctx: Ctx, body: etree._Element) -> None:
    simple_paragraph(body, ctx.s("Memo Contents Heading"), ctx.label("variant_comparison"))
    weights = [6, 28, 28, 22, 16]
    widths = [ctx.width * k // sum(weights) for k in weights]
    widths[-1] += ctx.width - sum(widths)
    tbl = table(body, ctx.s("Comparison Table"), widths)
    header = row(tbl, header=True)
    keys = ["col_no", "col_earlier", "col_proposed", "col_justification", "col_consensus"]
    for width, key in zip(widths, keys, strict=True):
        tc = cell(header, width)
        simple_paragraph(tc, ctx.s("Memo Table Heading"), ctx.label(key))
    for rec in ctx.data.recommendations:
        for k, lang in enumerate(ctx.langs):
            _comparison_row(ctx, tbl, widths, rec, lang, first=k == 0, merged=ctx.bilingual)


def _comparison_row(
    ctx: Ctx, tbl: etree._Element, widths: list[int], rec: Recommendation, lang: str, *, first: bool, merged: bool
) -> None:
    text_style = ctx.s("Memo Table Text")
    run_lang = ctx.tag(lang) if ctx.bilingual else None
    tr = row(tbl, cant_split=False)
    number = cell(tr, widths[0])
    if merged:  # one number cell spanning the kk and ru rows
        merge = SE(number[0], w("vMerge"))
        if first:
            merge.set(w("val"), "restart")
    simple_paragraph(number, text_style, str(rec.number) if first else "")
    content, used = ctx.content(rec, lang)
    earlier = by_lang(rec.previous, used) if rec.previous is not None and used else None

    def version(tc: etree._Element, version_content) -> None:
        # Text borrowed from another language is tagged as that language.
        text_lang = used or lang
        simple_paragraph(
            tc, text_style, version_content.title, fmt=BOLD, lang=ctx.run_lang(text_lang), single_line=True
        )
        write_markup(ctx, tc, version_content.text, lang=text_lang, compact=True, body_style="Memo Table Text")

    tc = cell(tr, widths[1])
    if earlier is not None:
        version(tc, earlier)
    elif rec.previous is None:
        simple_paragraph(tc, text_style, ctx.word("new_recommendation", lang), fmt=ITALIC, lang=run_lang)
    else:
        ctx.warnings.append(f"Recommendation {rec.number} has no earlier '{lang}' text for the comparison table.")
        simple_paragraph(tc, text_style, "—")
    tc = cell(tr, widths[2])
    if content is not None:
        if used != lang:
            fallback = ctx.word(f"lang_name_{used}", lang)
            simple_paragraph(tc, text_style, ctx.word("missing_in", lang, fallback=fallback), fmt=ITALIC, lang=run_lang)
        version(tc, content)
    else:
        simple_paragraph(tc, text_style, "—")
    for width, values in ((widths[3], rec.justification), (widths[4], rec.consensus)):
        tc = cell(tr, width)
        text = ctx.text(values, lang)
        write_markup(ctx, tc, text or "—", lang=lang, compact=True, body_style="Memo Table Text")
