"""Annexes: voting results, dissenting opinions, participants, legal references, document record."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from lxml import etree

from recdraft.export._content import markup_xml, spans_xml
from recdraft.export._context import Ctx
from recdraft.export._ooxml import (
    BOLD,
    ITALIC,
    JC,
    SE,
    VAL,
    RowFactory,
    cell,
    cell_start_xml,
    clean,
    paragraph,
    ppr_of,
    ppr_xml,
    row,
    row_start_xml,
    run,
    run_xml,
    set_numbering,
    simple_paragraph,
    simple_xml,
    table,
    text_cell,
)
from recdraft.export._sections import heading
from recdraft.export.wording import word

DASH = "—"

if TYPE_CHECKING:
    from recdraft.schemas.memo import VoteResult


def _widths(ctx: Ctx, weights: list[int]) -> list[int]:
    total = sum(weights)
    widths = [ctx.width * weight // total for weight in weights]
    widths[-1] += ctx.width - sum(widths)
    return widths


def _annex_heading(ctx: Ctx, body: etree._Element, n: int, key: str) -> None:
    text = " / ".join(f"{word(lang, 'annex', n=n)}. {word(lang, key)}" for lang in ctx.langs)
    heading(ctx, body, "Memo Annex Heading", text, level=1)


def _header(ctx: Ctx, tbl: etree._Element, widths: list[int], keys: list[str], centered: tuple[int, ...] = ()) -> None:
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


def _rec_titles(ctx: Ctx) -> dict[int, tuple[str, str]]:
    """number -> (title, the language it is written in)."""
    titles: dict[int, tuple[str, str]] = {}
    for rec in ctx.data.recommendations:
        for lang in ctx.langs:
            if lang in rec.content:
                titles[rec.number] = (rec.content[lang].title, lang)
                break
        else:
            lang, content = next(iter(rec.content.items()))
            titles[rec.number] = (content.title, lang)
    return titles


def votes(ctx: Ctx, body: etree._Element, n: int) -> None:
    _annex_heading(ctx, body, n, "annex_votes")
    if not ctx.data.votes:
        simple_paragraph(body, ctx.s("Memo Body"), ctx.label("no_votes"))
        return
    keys = [
        "col_round",
        "col_for",
        "col_against",
        "col_abstain",
        "col_block",
        "col_turnout",
        "col_quorum",
        "col_rule",
        "col_median",
        "col_outcome",
    ]
    # Minimum widths measured for the longest header word in en/ru/kk at 9 pt bold.
    widths = _widths(ctx, [1250, 850, 800, 900, 820, 900, 820, 880, 900, 1234])
    _round_rules(ctx, body)
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
    out: list[str] = []  # the rows as one string (see _ooxml.Splicer)
    outcomes: dict[str, str] = {}
    group_start = f"{row_start_xml()}{cell_start_xml(ctx.width, span=len(widths))}"
    note_start = f"{group_start}<w:p>{ppr_xml(ctx.s('Memo Table Note'))}"
    for number in order:
        title, title_lang = titles.get(number, ("", None))
        label = ctx.label("recommendation", n=number)
        out.append(f"{group_start}<w:p>{ppr_xml(group_style)}{run_xml(f'{label}. ' if title else label)}")
        if title:  # a title borrowed from another language is tagged as that language
            out.append(run_xml(clean(title, single_line=True), lang=ctx.run_lang(title_lang)))
        out.append("</w:p></w:tc></w:tr>")
        for vote in sorted(by_rec[number], key=lambda v: v.round_number):
            name = ctx.text(vote.round_name) or ctx.label("round_n", n=vote.round_number)
            if vote.in_meeting_at is not None:
                name = f"{name} ({ctx.in_meeting(vote.in_meeting_at)})"
            if vote.mode == "delphi":
                any_delphi = True
                name = f"{name} ({ctx.label('mode_delphi')})"
            median = DASH
            if vote.delphi is not None and vote.delphi.median is not None:
                median = f"{_number(vote.delphi.median, lang)} ({_number(vote.delphi.iqr, lang)})"
            outcome = outcomes.get(vote.outcome)
            if outcome is None:
                outcome = outcomes[vote.outcome] = ctx.label(f"outcome_{vote.outcome}")
            values = [
                name,
                _count(vote.votes_for),
                _count(vote.votes_against),
                _count(vote.abstain),
                _count(vote.block),
                f"{vote.voted} / {vote.eligible}",
                yes if vote.quorum_met else no,
                yes if vote.rule_met else no,
                median,
                outcome,
            ]
            out.append(rows.xml(values))
            reason = _override_note(ctx, vote)
            if reason:  # the recorded reason is a person's own words: words in another script keep their language
                out.append(f"{note_start}{spans_xml([(reason, 0)], lang=None, base=ctx.lang)}</w:p></w:tc></w:tr>")
    ctx.splicer.add(tbl, "".join(out))
    if any_delphi:
        simple_paragraph(body, ctx.s("Memo Table Note"), ctx.label("votes_note"))


def _fraction(value: str, lang: str) -> str:
    """A rule's share as printed: "2/3", "70 %" for a decimal-looking tenth ("7/10"), "1" for unanimity."""
    num, _, den = value.partition("/")
    if den in ("10", "100", "20", "4", "5") and num.isdigit():
        percent = int(num) * 100 / int(den)
        text = f"{percent:g}"
        return f"{text.replace('.', ',') if lang in ('ru', 'kk') else text}\u00a0%"
    return value


def _rule_text(vote: VoteResult, lang: str) -> str:
    if vote.quorum is None:
        return ""
    quorum = _fraction(vote.quorum, lang)
    blocks = ""
    if vote.blocks_prevent_adoption is not None:
        blocks = word(lang, "rule_blocks_stop" if vote.blocks_prevent_adoption else "rule_blocks_count")
    if vote.mode == "delphi":
        low, high = vote.delphi_band or (7, 9)
        return word(
            lang,
            "rule_delphi",
            quorum=quorum,
            share=_fraction(vote.delphi_agreement_share or "7/10", lang),
            low=low,
            high=high,
            iqr=_number(float(_as_number(vote.delphi_max_iqr or "2")), lang),
            blocks=blocks,
        )
    return word(lang, "rule_simple", quorum=quorum, threshold=_fraction(vote.threshold or "2/3", lang), blocks=blocks)


def _as_number(value: str) -> float:
    num, _, den = value.partition("/")
    try:
        return float(num) / float(den or 1)
    except (ValueError, ZeroDivisionError):
        return 0.0


def _override_note(ctx: Ctx, vote: VoteResult) -> str:
    """For a block that did not stop adoption: the reason the facilitator recorded."""
    reason = clean(vote.block_override_reason or "", single_line=True).strip()
    if not reason:
        return ""
    return " / ".join(dict.fromkeys(word(lang, "block_override", reason=reason) for lang in ctx.langs))


def _round_rules(ctx: Ctx, body: etree._Element) -> None:
    """Each round's rule, once per round (every recommendation in a round was decided by the same rule)."""
    first_of_round: dict[int, VoteResult] = {}
    for vote in sorted(ctx.data.votes, key=lambda v: v.round_number):
        first_of_round.setdefault(vote.round_number, vote)
    for number, vote in first_of_round.items():
        for lang in ctx.langs:
            rule = _rule_text(vote, lang)
            if not rule:
                continue
            name = ctx.text(vote.round_name, lang) or word(lang, "round_n", n=number)
            if vote.in_meeting_at is not None:
                name = f"{name} ({ctx.in_meeting(vote.in_meeting_at, lang)})"
            p = paragraph(body, ctx.s("Memo Table Note"))
            run(p, f"{name}. ", fmt=BOLD, lang=ctx.run_lang(lang))
            run(p, rule, lang=ctx.run_lang(lang))


def dissents(ctx: Ctx, body: etree._Element, n: int) -> None:
    _annex_heading(ctx, body, n, "annex_dissent")
    if not ctx.data.dissents:
        simple_paragraph(body, ctx.s("Memo Body"), ctx.label("no_dissent"))
        return
    widths = _widths(ctx, [8, 24, 24, 44])
    tbl = table(body, ctx.s("Annex Table"), widths)
    _header(ctx, tbl, widths, ["col_recommendation", "col_member", "col_organisation", "col_reason"], centered=(0,))
    text_style = ctx.s("Memo Table Text")
    number_style = ctx.s("Memo Table Number")
    out: list[str] = []  # the rows as one string (see _ooxml.Splicer)
    for opinion in sorted(ctx.data.dissents, key=lambda d: d.recommendation_number):
        out.append(row_start_xml(cant_split=False))
        out.append(f"{cell_start_xml(widths[0])}{simple_xml(number_style, str(opinion.recommendation_number))}</w:tc>")
        if opinion.name and opinion.name.strip():
            name = clean(opinion.name, single_line=True)
            person = simple_xml(text_style, name, lang=ctx.foreign_lang(name))
        else:
            person = simple_xml(text_style, ctx.label("anonymous"), fmt=ITALIC)
        out.append(f"{cell_start_xml(widths[1])}{person}</w:tc>")
        organisation = clean(opinion.organisation or "", single_line=True) or DASH
        out.append(f"{cell_start_xml(widths[2])}{simple_xml(text_style, organisation)}</w:tc>")
        # A blank reason writes no paragraph: the cell still needs one (what _close_empty_cells adds).
        reason = markup_xml(ctx, opinion.reason or DASH, lang=ctx.lang, compact=True, body_style="Memo Table Text")
        out.append(f"{cell_start_xml(widths[3])}{reason or simple_xml(text_style, '')}</w:tc></w:tr>")
    ctx.splicer.add(tbl, "".join(out))
    if any(ctx.foreign_lang(opinion.reason or "") for opinion in ctx.data.dissents):
        # A reader should not take a reason in another language for a gap in the translation: it is a quotation.
        simple_paragraph(body, ctx.s("Memo Table Note"), ctx.label("dissent_note"))


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
            text_cell(
                row(tbl),
                ctx.width,
                group_style,
                organisation or ctx.label("no_organisation"),
                span=2,
                lang=ctx.foreign_lang(organisation) if organisation else None,
            )
            for person in people:
                tr = row(tbl)
                name = clean(person.name, single_line=True)
                text_cell(tr, widths[0], text_style, name, lang=ctx.foreign_lang(name))
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
        # Each language's wording as its own run, tagged with the language it is in (a reference missing in
        # the memo's language is printed in the one it has, and tagged so).
        parts = list(dict.fromkeys(ctx.pick(ref.text, lang) for lang in ctx.langs))
        for k, (text, used) in enumerate(part for part in parts if part[0]):
            if k:
                run(p, " / ", single_line=True)
            run(p, text, single_line=True, lang=ctx.run_lang(used))
        if ref.url and ref.url.strip():
            run(p, " — " + clean(ref.url, single_line=True), single_line=True)


def record(ctx: Ctx, body: etree._Element, n: int) -> None:
    """Status, preparation date and — for a final memo — the snapshot SHA-256."""
    _annex_heading(ctx, body, n, "annex_record")
    data = ctx.data
    widths = _widths(ctx, [35, 65])
    tbl = table(body, ctx.s("Annex Table"), widths, header_row=False)
    text_style = ctx.s("Memo Table Text")
    prepared = data.prepared_at or dt.datetime.now(dt.UTC)
    if prepared.tzinfo is not None:
        prepared = prepared.astimezone(dt.UTC)
    rows = [
        ("record_status", ctx.label("status_final" if data.is_final else "status_draft")),
        ("record_meeting", ctx.date(data.roundtable.held_on)),
        ("record_prepared", ctx.date(prepared.date())),
        ("record_recommendations", str(len(data.recommendations))),
    ]
    number = clean(data.outgoing_number, single_line=True).strip()
    if number:
        rows.insert(1, ("record_outgoing", number))
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
    # The export moment, beside the seal and outside it: the same content exported again has the same seal.
    tr = row(tbl)
    text_cell(tr, widths[0], text_style, ctx.label("record_exported"), fmt=BOLD)
    text_cell(tr, widths[1], text_style, f"{ctx.date(prepared.date())}, {prepared:%H:%M} UTC")
    if data.is_final:
        simple_paragraph(body, ctx.s("Memo Table Note"), ctx.label("record_sha_note"))
