"""The memo's front matter and body: title page, addressee, contents, summary, recommendations."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

from lxml import etree

from recdraft.export._content import markup_xml, write_markup
from recdraft.export._context import Ctx, TocEntry, by_lang
from recdraft.export._ooxml import (
    SE,
    R,
    bookmark,
    cell,
    clean,
    esc_attr,
    paragraph,
    ppr_xml,
    row,
    run,
    run_xml,
    simple_paragraph,
    simple_xml,
    table,
    w,
)

if TYPE_CHECKING:
    from recdraft.export._context import TextByLang
    from recdraft.schemas.memo import Recommendation, RecommendationContent

SPACING = w("spacing")
# An earlier version with nothing in it (a new recommendation's "before").
_NO_CONTENT = SimpleNamespace(title="", text="", rationale="", legal_basis="", responsible_body="")


# --------------------------------------------------------------------------- headings and TOC


def heading(
    ctx: Ctx,
    parent: etree._Element,
    style: str,
    text: str,
    *,
    level: int,
    numbered: bool = False,
    page_break: bool = False,
) -> etree._Element:
    """A heading paragraph with a bookmark, registered for the table of contents."""
    p = paragraph(parent, ctx.s(style), page_break=page_break)
    if text:
        run(p, text, single_line=True)
    label = ""
    if numbered:
        ctx.heading_count += 1
        label = ctx.numbering.heading_label(ctx.heading_count)
    name = f"_Toc{ctx.next_id()}"
    bookmark(p, name, ctx.next_id())
    ctx.toc.append(TocEntry(level, label, clean(text, single_line=True), name))
    return p


def table_of_contents(ctx: Ctx, parent: etree._Element) -> etree._Element:
    """A Word TOC field in a content control; entries are filled in by ``fill_toc`` at the end."""
    simple_paragraph(parent, ctx.s("Memo Contents Heading"), ctx.label("contents"))
    sdt = SE(parent, w("sdt"))
    sdt_pr = SE(sdt, w("sdtPr"))
    gallery = SE(SE(sdt_pr, w("docPartObj")), w("docPartGallery"))
    gallery.set(w("val"), "Table of Contents")
    SE(gallery.getparent(), w("docPartUnique"))
    return SE(sdt, w("sdtContent"))


def fill_toc(ctx: Ctx, content: etree._Element, pages: list[int] | None = None) -> None:
    """Pre-filled TOC entries (hyperlinked titles) so the TOC shows before any refresh.

    ``pages`` are the entries' page numbers as a layout engine (LibreOffice) computed them for this
    very document; without them the cached entries carry none (a guessed number could be wrong in
    print). Word recomputes them when the field is updated (the memo asks Word to do so on opening).
    """
    entries = ctx.toc or [TocEntry(1, "", "", "")]
    if pages is not None and len(pages) != len(ctx.toc):
        ctx.warnings.append("The contents could not be given page numbers (the layout did not match).")
        pages = None
    last = len(entries) - 1
    out: list[str] = []  # as one string (see _ooxml.Splicer)
    tab = "<w:r><w:tab/></w:r>"
    for i, entry in enumerate(entries):
        out.append(f"<w:p>{ppr_xml(ctx.s('toc 1' if entry.level == 1 else 'toc 2'))}")
        if i == 0:
            out.append(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-2" \\h \\z \\u </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            )
        if entry.bookmark:
            out.append(f'<w:hyperlink w:anchor="{esc_attr(entry.bookmark)}" w:history="1">')
            if entry.label:
                out.append(run_xml(entry.label) + tab)
            out.append(run_xml(entry.text))
            if pages is not None:
                out.append(tab + run_xml(str(pages[i])))
            out.append("</w:hyperlink>")
        if i == last:
            out.append('<w:r><w:fldChar w:fldCharType="end"/></w:r>')
        out.append("</w:p>")
    ctx.splicer.add(content, "".join(out))


def field_start(p: etree._Element, instruction: str) -> None:
    SE(SE(p, R), w("fldChar")).set(w("fldCharType"), "begin")
    instr = SE(SE(p, R), w("instrText"))
    instr.text = f" {instruction} "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    SE(SE(p, R), w("fldChar")).set(w("fldCharType"), "separate")


# --------------------------------------------------------------------------- front matter


def title_page(ctx: Ctx, body: etree._Element) -> etree._Element:
    """Organisers, title, place and date (and the draft box); returns the page's last paragraph."""
    rt = ctx.data.roundtable
    for lang in ctx.langs:
        organisers = ctx.text(rt.organisers, lang)
        if organisers:
            simple_paragraph(body, ctx.s("Memo Organisers"), organisers, single_line=True)
    simple_paragraph(body, ctx.s("Memo Subtitle"), ctx.label("memo_kind"))
    titles = list(dict.fromkeys(t for t in (ctx.text(rt.title, lang) for lang in ctx.langs) if t))
    for title in titles or [""]:
        simple_paragraph(body, ctx.s("Memo Title"), title, single_line=True)
    if ctx.variant != "final":
        simple_paragraph(body, ctx.s("Memo Title Note"), ctx.label(f"variant_{ctx.variant}"))
    if ctx.variant in ("redline", "comparison") and ctx.joined(ctx.data.baseline):
        # Say what the changes are measured against: the reader cannot see it anywhere else.
        text = " / ".join(
            dict.fromkeys(
                ctx.word("compared_with", lang, baseline=ctx.text(ctx.data.baseline, lang)) for lang in ctx.langs
            )
        )
        simple_paragraph(body, ctx.s("Memo Title Note"), text, single_line=True)
    venue = ctx.joined(rt.venue)
    simple_paragraph(body, ctx.s("Memo Title Place"), venue, single_line=True)
    last = simple_paragraph(body, ctx.s("Memo Title Meta"), ctx.date(rt.held_on))
    if not ctx.data.is_final:
        last = draft_notice(ctx, body)
    return last


def draft_notice(ctx: Ctx, body: etree._Element) -> etree._Element:
    """The box listing what still blocks the final version; returns its last paragraph."""
    blockers = [b for b in (clean(b, single_line=True) for b in ctx.data.blockers) if b.strip()]
    first = paragraph(body, ctx.s("Memo Notice"))
    spacing = SE(first[0], SPACING)
    spacing.set(w("before"), "600")
    run(first, ctx.label("draft_notice" if blockers else "draft_no_blockers"), style_id=ctx.s("Memo Label"))
    last = first
    for blocker in blockers:
        last = simple_paragraph(body, ctx.s("Memo Notice"), f"–\u00a0{blocker}")
    return last


def addressee(ctx: Ctx, body: etree._Element, *, page_break: bool = True) -> None:
    """Addressee block at the top of page 2."""
    simple_paragraph(body, ctx.s("Memo Addressee Label"), ctx.label("addressee_label"), page_break=page_break)
    rt = ctx.data.roundtable
    names = list(dict.fromkeys(t for t in (ctx.text(rt.addressee, lang) for lang in ctx.langs) if t))
    paragraphs = [simple_paragraph(body, ctx.s("Memo Addressee"), name, single_line=True) for name in names or [""]]
    for p in paragraphs[:-1]:  # kk and ru names of one addressee stay together
        SE(p[0], SPACING).set(w("after"), "120")
    reference(ctx, body)


def reference(ctx: Ctx, body: etree._Element) -> None:
    """The outgoing number and the memo's own date (the day it was prepared), under the addressee."""
    number = clean(ctx.data.outgoing_number, single_line=True).strip()
    for lang in ctx.langs:
        date = ctx.date(ctx.prepared_on, lang)
        text = (
            ctx.word("outgoing", lang, number=number, date=date) if number else ctx.word("memo_date", lang, date=date)
        )
        p = simple_paragraph(body, ctx.s("Memo Meta"), text, single_line=True)
        ind = SE(p[0], w("ind"))  # flush left, as the reference of an official letter stands
        ind.set(w("left"), "0")
        ind.set(w("firstLine"), "0")


# --------------------------------------------------------------------------- localized sections


def parallel_row(ctx: Ctx, parent: etree._Element, *, header: bool = False) -> list[etree._Element]:
    """A two-column kk | ru table with one row; returns its two cells (one per language)."""
    half = ctx.width // 2
    widths = [half, ctx.width - half]
    tbl = table(parent, ctx.s("Parallel Table"), widths, header_row=header)
    if header:
        tr = row(tbl, header=True)
        for lang, width in zip(ctx.langs, widths, strict=True):
            tc = cell(tr, width)
            # Each column's heading in its column's language, like the text below it.
            simple_paragraph(tc, ctx.s("Memo Table Heading"), ctx.word("lang_name", lang), lang=ctx.run_lang(lang))
    tr = row(tbl, cant_split=False)
    return [cell(tr, width) for width in widths]


def localized_text(ctx: Ctx, body: etree._Element, values: TextByLang, *, header: bool = False) -> None:
    """Markdown text in the memo language, or side by side in the kk+ru edition."""
    if not ctx.bilingual:
        text, used = ctx.pick(values)
        write_markup(ctx, body, text or ctx.word("no_text"), lang=used or ctx.lang)
        return
    for lang, tc in zip(ctx.langs, parallel_row(ctx, body, header=header), strict=True):
        text, used = ctx.pick(values, lang)
        write_markup(
            ctx, tc, text or ctx.word("no_text", lang), lang=used or lang, compact=True, body_style="Memo Parallel Text"
        )


def section(
    ctx: Ctx, body: etree._Element, key: str, values: TextByLang, *, page_break: bool = False, header: bool = False
) -> None:
    heading(ctx, body, "Memo Heading 1", ctx.label(key), level=1, numbered=True, page_break=page_break)
    localized_text(ctx, body, values, header=header)


def closing(ctx: Ctx, body: etree._Element) -> None:
    rt = ctx.data.roundtable
    if ctx.bilingual:
        cells = parallel_row(ctx, body)
        for lang, tc in zip(ctx.langs, cells, strict=True):
            text = ctx.text(rt.closing, lang) or ctx.word("closing", lang)
            write_markup(ctx, tc, text, lang=lang, compact=True, body_style="Memo Parallel Text")
    else:
        text = ctx.text(rt.closing) or ctx.word("closing")
        write_markup(ctx, body, text, lang=ctx.lang, body_style="Memo Closing")
    _keep_last_with_next(ctx, body)
    signature(ctx, body)


def _keep_last_with_next(ctx: Ctx, body: etree._Element) -> None:
    """The paragraph (or side-by-side table) before the signature stays on the signature's page."""
    ctx.splicer.materialize(body[-1])
    last = body[-1]
    paragraphs = [last] if last.tag == w("p") else list(last.iter(w("p")))
    for p in paragraphs:
        ppr = p[0] if len(p) and p[0].tag == w("pPr") else None
        if ppr is None:
            ppr = p.makeelement(w("pPr"), {})
            p.insert(0, ppr)
        if ppr.find(w("keepNext")) is None:
            pos = 1 if len(ppr) and ppr[0].tag == w("pStyle") else 0
            ppr.insert(pos, ppr.makeelement(w("keepNext"), {}))


def signature(ctx: Ctx, body: etree._Element) -> None:
    """On behalf of the organisers, the signatory's position and name, and the memo's date.

    Every line but the last keeps with the next, so the block never splits and never stands alone
    on a page (the closing paragraph before it keeps with it too).
    """
    rt = ctx.data.roundtable
    lines: list[str] = [ctx.label("on_behalf") + ":"]  # noqa: RUF005
    lines += [t for t in (ctx.text(rt.organisers, lang) for lang in ctx.langs) if t]
    signatory = ctx.data.signatory
    positions = list(dict.fromkeys(t for t in (ctx.text(signatory.position, lang) for lang in ctx.langs) if t))
    names = list(dict.fromkeys(t for t in (ctx.text(signatory.name, lang) for lang in ctx.langs) if t))
    lines += positions + names
    lines.append(ctx.date(ctx.prepared_on))
    for k, text in enumerate(lines):
        last = k == len(lines) - 1
        p = simple_paragraph(body, ctx.s("Memo Signature"), text, single_line=True, keep_next=not last)
        if k:
            SE(p[0], SPACING).set(w("before"), "240" if last else "0")


# --------------------------------------------------------------------------- recommendations


def recommendations(ctx: Ctx, body: etree._Element, quotes: dict[int, dict[int, str]]) -> None:
    """Section 3: every recommendation, with tracked changes in the redline variant."""
    heading(ctx, body, "Memo Heading 1", ctx.label("recommendations"), level=1, numbered=True)
    total = len(ctx.data.recommendations)
    step = max(1, total // 10)
    for k, rec in enumerate(ctx.data.recommendations):
        if k % step == 0:
            ctx.progress(0.2 + 0.5 * k / total, f"Recommendation {k + 1} of {total}")
        rec_quotes = quotes.get(rec.number)
        ctx.current = rec  # its tracked changes carry its reviser and revision date
        if ctx.bilingual:
            _recommendation_parallel(ctx, body, rec, rec_quotes)
        else:
            _recommendation_single(ctx, body, rec, rec_quotes)
    ctx.current = None


def _previous(ctx: Ctx, rec: Recommendation, lang: str | None) -> tuple[bool, RecommendationContent | None]:
    """(diff?, earlier content) for the redline variant."""
    if ctx.variant != "redline" or lang is None:
        return False, None
    if rec.previous is None:
        return True, None  # a new recommendation: everything is an insertion
    earlier = by_lang(rec.previous, lang)
    if earlier is None:
        ctx.warnings.append(f"Recommendation {rec.number} has no earlier '{lang}' text; shown without tracked changes.")
        return False, None
    return True, earlier


def _recommendation_heading(
    ctx: Ctx,
    body: etree._Element,
    rec: Recommendation,
    label: str,
    title: str,
    diff: bool,
    earlier: RecommendationContent | None,
    title_lang: str | None = None,
) -> etree._Element:
    from recdraft.export._redline import (  # the redline variant only (difflib)
        mark_paragraph,
        write_inline_diff,
    )

    p = heading(ctx, body, "Recommendation Heading", "", level=2)
    ctx.toc[-1].text = clean(f"{label}. {title}" if title else label, single_line=True)
    first = run(p, f"{label}. " if title else label)
    title = clean(title, single_line=True)
    lang = ctx.run_lang(title_lang)  # a title borrowed from another language is tagged as that language
    if diff and earlier is None:
        ins = SE(p, w("ins"), ctx.revision_attrs())
        ins.append(first)
        if title:
            run(ins, title, lang=lang)
        mark_paragraph(ctx, p, "insert")
    elif diff and earlier is not None:  # (diff without an earlier text is the branch above)
        write_inline_diff(ctx, p, [(clean(earlier.title, single_line=True), 0)], [(title, 0)], lang=lang)
    elif title:
        run(p, title, lang=lang)
    # The bookmarkEnd must stay last: move it after the title runs.
    end = p.find(w("bookmarkEnd"))
    p.remove(end)
    p.append(end)
    runs = [r for r in p.iter(R)]
    ctx.heading_runs[rec.number] = (runs[0], runs[-1])
    return p


def _markup(
    ctx: Ctx,
    parent: etree._Element,
    new: str,
    old: str | None,
    diff: bool,
    *,
    lang: str,
    compact: bool,
    body_style: str,
    prefix: str | None = None,
    quotes: dict[int, str] | None = None,
) -> None:
    from recdraft.export._redline import (
        write_markup_diff,  # the redline variant only (difflib)
    )

    if diff:
        write_markup_diff(ctx, parent, old or "", new, lang=lang, compact=compact, body_style=body_style, prefix=prefix)
    else:
        write_markup(ctx, parent, new, lang=lang, compact=compact, body_style=body_style, prefix=prefix, quotes=quotes)


def _recommendation_body(
    ctx: Ctx,
    parent: etree._Element,
    rec: Recommendation,
    lang: str,
    content: RecommendationContent,
    earlier: RecommendationContent | None,
    diff: bool,
    quotes: dict[int, str] | None,
    *,
    compact: bool,
    text_lang: str | None = None,
) -> None:
    """Text, rationale, legal basis, responsible body and priority of one language version.

    ``text_lang`` is the language the content is written in when it had to be borrowed from another
    one: its runs are tagged with that language (spell-checking, screen readers).
    """
    from recdraft.export._redline import (
        mark_paragraph,  # the redline variant only (difflib)
    )

    body_style = "Memo Parallel Text" if compact else "Memo Body"
    meta_style = "Memo Parallel Text" if compact else "Memo Meta"
    text_lang = text_lang or lang
    _markup(
        ctx,
        parent,
        content.text or ctx.word("no_text", lang),
        earlier.text if earlier else None,
        diff,
        lang=text_lang,
        compact=compact,
        body_style=body_style,
        quotes=quotes,
    )
    old = earlier or _NO_CONTENT
    for key, attr, style in (
        ("rationale", "rationale", body_style),
        ("legal_basis", "legal_basis", meta_style),
        ("responsible_body", "responsible_body", meta_style),
    ):
        new_value, old_value = getattr(content, attr), getattr(old, attr)
        if not (new_value.strip() or (diff and old_value.strip())):
            continue
        label = ctx.word(key, lang) + ("." if key == "rationale" else ":")
        _markup(
            ctx,
            parent,
            new_value,
            old_value,
            diff,
            lang=text_lang,
            compact=compact or key != "rationale",
            body_style=style,
            prefix=label,
            quotes=quotes,
        )
    p = paragraph(parent, ctx.s(meta_style))
    run_lang = ctx.tag(lang) if ctx.bilingual else None
    holder = p
    if diff and earlier is None:  # a new recommendation is inserted as a whole, priority included
        holder = SE(p, w("ins"), ctx.revision_attrs())
        mark_paragraph(ctx, p, "insert")
    run(holder, ctx.word("priority", lang) + ": ", style_id=ctx.s("Memo Label"), lang=run_lang)
    run(holder, ctx.word(f"priority_{rec.priority}", lang), lang=run_lang)


def _fallback_note(ctx: Ctx, parent: etree._Element, lang: str, used: str | None, style: str) -> None:
    if used is not None and used != lang:
        fallback = ctx.word(f"lang_name_{used}", lang)
        # Kept with the text it introduces, except inside table cells (LibreOffice then moves tables).
        simple_paragraph(
            parent,
            ctx.s(style),
            ctx.word("missing_in", lang, fallback=fallback),
            keep_next=not ctx.bilingual,
            lang=ctx.run_lang(lang),
        )


def _recommendation_single(ctx: Ctx, body: etree._Element, rec: Recommendation, quotes: dict[int, str] | None) -> None:
    lang = ctx.lang
    content, used = ctx.content(rec, lang)
    diff, earlier = _previous(ctx, rec, used)
    if not diff and ctx.variant != "review":  # no tracked change, no comment to anchor: one string
        ctx.splicer.add(body, _recommendation_single_xml(ctx, rec, lang, content, used))
        return
    label = ctx.word("recommendation", n=rec.number)
    _recommendation_heading(ctx, body, rec, label, content.title if content else "", diff, earlier, used)
    _fallback_note(ctx, body, lang, used, "Memo Note")
    if content is not None:
        _recommendation_body(ctx, body, rec, lang, content, earlier, diff, quotes, compact=False, text_lang=used)


def _recommendation_single_xml(
    ctx: Ctx, rec: Recommendation, lang: str, content: RecommendationContent | None, used: str | None
) -> str:
    """``_recommendation_single`` without tracked changes or comments, as a string (the same markup)."""
    label = ctx.word("recommendation", n=rec.number)
    title = content.title if content else ""
    out = [_heading_xml(ctx, rec, label, title, used)]
    if used is not None and used != lang:  # _fallback_note
        fallback = ctx.word(f"lang_name_{used}", lang)
        out.append(
            simple_xml(
                ctx.s("Memo Note"),
                ctx.word("missing_in", lang, fallback=fallback),
                keep_next=True,
                lang=ctx.run_lang(lang),
            )
        )
    if content is None:
        return "".join(out)
    # _recommendation_body, compact=False
    body_style, meta_style = "Memo Body", "Memo Meta"
    text_lang = used or lang
    out.append(markup_xml(ctx, content.text or ctx.word("no_text", lang), lang=text_lang, body_style=body_style))
    for key, style in (("rationale", body_style), ("legal_basis", meta_style), ("responsible_body", meta_style)):
        value = getattr(content, key)
        if not value.strip():
            continue
        prefix = ctx.word(key, lang) + ("." if key == "rationale" else ":")
        out.append(markup_xml(ctx, value, lang=text_lang, compact=key != "rationale", body_style=style, prefix=prefix))
    label_style = ctx.s("Memo Label")
    out.append(
        f"<w:p>{ppr_xml(ctx.s(meta_style))}"
        f"{run_xml(ctx.word('priority', lang) + ': ', style_id=label_style)}"
        f"{run_xml(ctx.word(f'priority_{rec.priority}', lang))}</w:p>"
    )
    return "".join(out)


def _heading_xml(ctx: Ctx, rec: Recommendation, label: str, title: str, title_lang: str | None) -> str:
    """``heading`` + ``_recommendation_heading`` without tracked changes, as a string."""
    name = f"_Toc{ctx.next_id()}"
    bookmark_id = ctx.next_id()
    ctx.toc.append(TocEntry(2, "", clean(f"{label}. {title}" if title else label, single_line=True), name))
    title = clean(title, single_line=True)
    runs = run_xml(f"{label}. " if title else label)
    if title:
        runs += run_xml(title, lang=ctx.run_lang(title_lang))
    return (
        f"<w:p>{ppr_xml(ctx.s('Recommendation Heading'))}"
        f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{name}"/>{runs}<w:bookmarkEnd w:id="{bookmark_id}"/></w:p>'
    )


def _recommendation_parallel(
    ctx: Ctx, body: etree._Element, rec: Recommendation, quotes: dict[int, str] | None
) -> None:
    from recdraft.export._redline import (  # the redline variant only (difflib)
        mark_paragraph,
        write_inline_diff,
    )

    label = ctx.label("recommendation", n=rec.number)
    is_new = ctx.variant == "redline" and rec.previous is None  # the whole recommendation is inserted
    _recommendation_heading(ctx, body, rec, label, "", is_new, None)
    cells = parallel_row(ctx, body)
    for lang, tc in zip(ctx.langs, cells, strict=True):
        content, used = ctx.content(rec, lang)
        diff, earlier = _previous(ctx, rec, used)
        title = content.title if content else ""
        p = paragraph(tc, ctx.s("Memo Parallel Heading"))
        title_lang = ctx.tag(used or lang)
        if diff and earlier is None:
            ins = SE(p, w("ins"), ctx.revision_attrs())
            run(ins, title, lang=title_lang, single_line=True)
            mark_paragraph(ctx, p, "insert")
        elif diff and earlier is not None:  # (diff without an earlier text is the branch above)
            write_inline_diff(
                ctx,
                p,
                [(clean(earlier.title, single_line=True), 0)],
                [(clean(title, single_line=True), 0)],
                lang=title_lang,
            )
        else:
            run(p, title, lang=title_lang, single_line=True)
        _fallback_note(ctx, tc, lang, used, "Memo Note")
        if content is not None:
            _recommendation_body(ctx, tc, rec, lang, content, earlier, diff, quotes, compact=True, text_lang=used)
        else:  # not yet in this language: said so, in it (the DRAFT lists it)
            simple_paragraph(tc, ctx.s("Memo Note"), ctx.word("no_text", lang), lang=ctx.run_lang(lang))
