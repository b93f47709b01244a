"""Annexes: voting results, dissenting opinions, participants, legal references, document record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from lxml import etree

from recdraft.export._content import write_markup
from recdraft.export._context import Ctx
from recdraft.export._ooxml import (
    BOLD,
    ITALIC,
    JC,
    SE,
    VAL,
    RowFactory,
    cell,
    clean,
    paragraph,
    ppr_of,
    row,
    run,
    set_numbering,
    simple_paragraph,
    table,
    text_cell,
)
from recdraft.export._sections import heading
from recdraft.export.wording import format_date, word
from recdraft.schemas.memo import VoteResult

DASH = "—"


def _widths(ctx: Ctx, weights: list[int]) -> list[int]:
    total = sum(weights)
    widths = [ctx.width * weight // total for weight in weights]
    widths[-1] += ctx.width - sum(widths)
    return widths


def _annex_heading(ctx: Ctx, body: etree._Element, n: int, key: str) -> None:
    text = " / ".join(f"{word(lang, 'annex', n=n)}. {word(lang, key)}" for lang in ctx.langs)
    heading(ctx, body, "Memo Annex Heading", text, level=1)


def _header(ctx: Ctx, tbl: etree._Element, widths: list[int], keys: list[str],
            centered: tuple[int, ...] = ()) -> None:
    """The repeated header row; ``centered`` columns hold numbers and centre their heading too."""
    tr = row(tbl, header=True)
    for k, (width, key) in enumerate(zip(widths, keys, strict=True)):
        tc = text_cell(tr, width, ctx.s("Memo Table Heading"), ctx.label(key))
        if k in centered:
            SE(ppr_of(tc[-1]), JC).set(VAL, "center")


def _number(value: float | None, lang: str) -> str:
    if value is None:
        return DASH
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang in ("ru", "kk") else text


def _count(value: int | None) -> str:
    return DASH if value is None else str(value)


def annexes(ctx: Ctx, body: etree._Element) -> None:
    """All five annexes in order; the last one carries the snapshot checksum of a final memo."""
    votes(ctx, body, 1)
    dissents(ctx, body, 2)
    participants(ctx, body, 3)
    legal_references(ctx, body, 4)
    record(ctx, body, 5)


def _rec_titles(ctx: Ctx) -> dict[int, str]:
    titles = {}
    for rec in ctx.data.recommendations:
        for lang in ctx.langs:
            if lang in rec.content:
                titles[rec.number] = rec.content[lang].title
                break
        else:
            titles[rec.number] = next(iter(rec.content.values())).title
    return titles


def votes(ctx: Ctx, body: etree._Element, n: int) -> None:
    _annex_heading(ctx, body, n, "annex_votes")
    if not ctx.data.votes:
        simple_paragraph(body, ctx.s("Memo Body"), ctx.label("no_votes"))
        return
    keys = ["col_round", "col_for", "col_against", "col_abstain", "col_block", "col_turnout",
            "col_quorum", "col_rule", "col_median", "col_outcome"]
    # Minimum widths measured for the longest header word in en/ru/kk at 9 pt bold.
    widths = _widths(ctx, [1250, 850, 800, 900, 820, 900, 820, 880, 900, 1234])
    tbl = table(body, ctx.s("Annex Table"), widths)
    _header(ctx, tbl, widths, keys, centered=tuple(range(1, len(keys) - 1)))
    by_rec: dict[int, list[VoteResult]] = defaultdict(list)
    for vote in ctx.data.votes:
        by_rec[vote.recommendation_number].append(vote)
    order = [rec.number for rec in ctx.data.recommendations if rec.number in by_rec]
    order += sorted(set(by_rec) - set(order))
    titles = _rec_titles(ctx)
    text_style, group_style = ctx.s("Memo Table Text"), ctx.s("Memo Table Group")
    number_style = ctx.s("Memo Table Number")
    rows = RowFactory(widths, [text_style] + [number_style] * (len(widths) - 2) + [text_style])
    yes, no = ctx.label("yes"), ctx.label("no")
    lang = ctx.lang
    any_delphi = False
    for number in order:
        group = row(tbl)
        title = titles.get(number, "")
        label = ctx.label("recommendation", n=number)
        text_cell(group, ctx.width, group_style, f"{label}. {clean(title, single_line=True)}" if title else label,
                  span=len(widths))
        for vote in sorted(by_rec[number], key=lambda v: v.round_number):
            name = ctx.text(vote.round_name) or ctx.label("round_n", n=vote.round_number)
            if vote.mode == "delphi":
                any_delphi = True
                name = f"{name} ({ctx.label('mode_delphi')})"
            median = DASH
            if vote.delphi is not None and vote.delphi.median is not None:
                median = f"{_number(vote.delphi.median, lang)} ({_number(vote.delphi.iqr, lang)})"
            values = [name, _count(vote.votes_for), _count(vote.votes_against), _count(vote.abstain),
                      _count(vote.block), f"{vote.voted} / {vote.eligible}", yes if vote.quorum_met else no,
                      yes if vote.rule_met else no, median, ctx.label(f"outcome_{vote.outcome}")]
            rows.add(tbl, values)
    if any_delphi:
        simple_paragraph(body, ctx.s("Memo Table Note"), ctx.label("votes_note"))


def dissents(ctx: Ctx, body: etree._Element, n: int) -> None:
    _annex_heading(ctx, body, n, "annex_dissent")
    if not ctx.data.dissents:
        simple_paragraph(body, ctx.s("Memo Body"), ctx.label("no_dissent"))
        return
    widths = _widths(ctx, [8, 24, 24, 44])
    tbl = table(body, ctx.s("Annex Table"), widths)
    _header(ctx, tbl, widths, ["col_recommendation", "col_member", "col_organisation", "col_reason"],
            centered=(0,))
    text_style = ctx.s("Memo Table Text")
    for opinion in sorted(ctx.data.dissents, key=lambda d: d.recommendation_number):
        tr = row(tbl, cant_split=False)
        text_cell(tr, widths[0], ctx.s("Memo Table Number"), str(opinion.recommendation_number))
        if opinion.name and opinion.name.strip():
            text_cell(tr, widths[1], text_style, clean(opinion.name, single_line=True))
        else:
            text_cell(tr, widths[1], text_style, ctx.label("anonymous"), fmt=ITALIC)
        text_cell(tr, widths[2], text_style, clean(opinion.organisation or "", single_line=True) or DASH)
        tc = cell(tr, widths[3])
        write_markup(ctx, tc, opinion.reason or DASH, lang=ctx.lang, compact=True, body_style="Memo Table Text")


def participants(ctx: Ctx, body: etree._Element, n: int) -> None:
    """Named participants by organisation; those who did not consent are only counted."""
    _annex_heading(ctx, body, n, "annex_participants")
    named = [p for p in ctx.data.participants if p.consent_to_be_named and p.name.strip()]
    unnamed = len(ctx.data.participants) - len(named)
    if not ctx.data.participants:
        simple_paragraph(body, ctx.s("Memo Body"), ctx.label("no_participants"))
        return
    if named:
        groups: dict[str, list] = {}
        for person in named:
            groups.setdefault(clean(person.organisation, single_line=True).strip(), []).append(person)
        if "" in groups:  # people without an organisation go last
            groups[""] = groups.pop("")
        widths = _widths(ctx, [45, 55])
        tbl = table(body, ctx.s("Annex Table"), widths)
        _header(ctx, tbl, widths, ["col_name", "col_role"])
        text_style, group_style = ctx.s("Memo Table Text"), ctx.s("Memo Table Group")
        for organisation, people in groups.items():
            text_cell(row(tbl), ctx.width, group_style, organisation or ctx.label("no_organisation"),
                      span=2)
            for person in people:
                tr = row(tbl)
                text_cell(tr, widths[0], text_style, clean(person.name, single_line=True))
                text_cell(tr, widths[1], text_style, clean(person.role, single_line=True) or DASH)
    if unnamed:
        simple_paragraph(body, ctx.s("Memo Table Note"), ctx.label("unnamed_participants", n=unnamed))


def legal_references(ctx: Ctx, body: etree._Element, n: int) -> None:
    _annex_heading(ctx, body, n, "annex_legal")
    refs = [ref for ref in ctx.data.legal_references if ctx.joined(ref.text).strip()]
    if not refs:
        simple_paragraph(body, ctx.s("Memo Body"), ctx.label("no_legal"))
        return
    num_id = ctx.numbering.restart(ctx.numbering.number_id)
    for ref in refs:
        p = paragraph(body, ctx.s("Memo List Number"))
        if num_id is not None:
            set_numbering(p, num_id)
        run(p, ctx.joined(ref.text), single_line=True)
        if ref.url and ref.url.strip():
            run(p, " — " + clean(ref.url, single_line=True), single_line=True)


def record(ctx: Ctx, body: etree._Element, n: int) -> None:
    """Status, preparation date and — for a final memo — the snapshot SHA-256."""
    _annex_heading(ctx, body, n, "annex_record")
    data = ctx.data
    widths = _widths(ctx, [35, 65])
    tbl = table(body, ctx.s("Annex Table"), widths, header_row=False)
    text_style = ctx.s("Memo Table Text")
    prepared = data.prepared_at or dt.datetime.now(dt.timezone.utc)
    rows = [
        ("record_status", ctx.label("status_final" if data.is_final else "status_draft")),
        ("record_prepared", " / ".join(format_date(prepared.date(), lang) for lang in ctx.langs)),
        ("record_recommendations", str(len(data.recommendations))),
    ]
    for key, value in rows:
        tr = row(tbl)
        text_cell(tr, widths[0], text_style, ctx.label(key), fmt=BOLD)
        text_cell(tr, widths[1], text_style, value)
    if data.is_final:
        tr = row(tbl)
        text_cell(tr, widths[0], text_style, ctx.label("record_sha"), fmt=BOLD)
        tc = cell(tr, widths[1])
        p = paragraph(tc, text_style)
        if data.snapshot_sha256:
            run(p, data.snapshot_sha256, style_id=ctx.s("Memo Code"))
        else:
            ctx.warnings.append("The memo is final but has no snapshot SHA-256 to print.")
            run(p, ctx.label("record_sha_missing"), fmt=ITALIC)
        simple_paragraph(body, ctx.s("Memo Table Note"), ctx.label("record_sha_note"))
