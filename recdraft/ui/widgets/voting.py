"""Voting on screen: labels for choices, outcomes and rules; one ballot item; one result card.

The vote page and the results page share these. Every action goes through ``services.voting`` (which
checks the role and the round again); this module only decides what to show and collects input.
What people wrote (reasons, comments, round names, titles) reaches the screen through
``recdraft.ui.render``: never as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import streamlit as st

from recdraft.domain.voting import DelphiFeedback
from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import (
    BallotItemView,
    CountsView,
    ItemResultView,
    RoundView,
    VoteHistoryView,
)
from recdraft.services import voting as voting_service
from recdraft.ui import tables
from recdraft.ui.context import (
    already_submitted,
    db,
    errors_shown,
    fmt_datetime,
    fmt_number,
    lang,
    localized,
    remember_submission,
    tr,
)
from recdraft.ui.render import (
    escape_markdown,
    format_recommendation_text,
    plain_markdown,
    user_text_markdown,
)
from recdraft.ui.widgets import charts
from recdraft.ui.a11y import in_language
from recdraft.ui.widgets.labels import badge, labels_for, language_name, shown_language
from recdraft.ui.widgets.page import flash, go_to

CHOICES = charts.CHOICES
RATINGS = tuple(range(1, 10))
OUTCOME_COLOURS = {"adopted": "green", "rejected": "red", "no_consensus": "orange"}
CHOICE_ICONS = {"agree": ":material/thumb_up:", "disagree": ":material/thumb_down:",
                "abstain": ":material/remove:", "block": ":material/block:"}


# ----------------------------------------------------------------------------- words


def choice_label(choice: str) -> str:
    return tr(f"vote.choice.{choice}")


def tally_label(choice: str) -> str:
    """How a results table or chart names a choice ("For", "Against"...)."""
    return tr(f"vote.tally.{choice}")


def outcome_label(outcome: str) -> str:
    return tr(f"vote.outcome.{outcome}")


def mode_label(mode: str) -> str:
    return tr(f"vote.mode.{mode}")


def outcome_badge(outcome: str, *, final: bool = True) -> str:
    """A coloured badge; while the round is open the outcome is marked as provisional."""
    text = outcome_label(outcome) if final else tr("vote.outcome.provisional", outcome=outcome_label(outcome))
    return badge(text, OUTCOME_COLOURS.get(outcome, "gray") if final else "gray")


def percent(value: float | Fraction, *, decimals: int | None = None) -> str:
    """A share as a percentage written for the interface language (66.7%, 66,7 %)."""
    number = float(value) * 100
    if decimals is None:
        decimals = 0 if abs(number - round(number)) < 1e-9 else 1
    return tr("vote.percent", value=fmt_number(round(number, decimals), decimals=decimals))


def share_text(value: Any) -> str:
    """A rule's share as people say it: '50%' for round percentages, '2/3 (66.7%)' otherwise."""
    try:
        exact = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return str(value)
    if (exact * 100).denominator == 1:
        return percent(exact)
    return f"{exact.numerator}/{exact.denominator} ({percent(exact)})"


def number_text(value: float | None) -> str:
    """A median or quartile: 6, 6.5 or 4.25 (written for the interface language)."""
    if value is None:
        return "—"
    value = float(value)
    decimals = 0 if value.is_integer() else 1 if (value * 2).is_integer() else 2
    return fmt_number(value, decimals=decimals)


def band_of(rules: dict[str, Any]) -> tuple[int, int]:
    return int(rules.get("delphi_band_low", 7)), int(rules.get("delphi_band_high", 9))


def round_name(rnd: RoundView) -> str:
    """'Round N', followed by the round's own name unless that name already says which round it is (plain text)."""
    number = tr("vote.round", number=rnd.number)
    name = " ".join(rnd.name.split())
    if not name:
        return number
    return name if str(rnd.number) in name else f"{number} · {name}"


def round_title(rnd: RoundView) -> str:
    """``round_name`` as Markdown-safe text (for headings)."""
    return plain_markdown(round_name(rnd))


def round_facts(rnd: RoundView) -> str:
    """One line of Markdown: mode, status, anonymity, blindness and dates."""
    parts = [badge(mode_label(rnd.mode), "blue")]
    if rnd.status == "open":
        parts.append(badge(tr("vote.status.open"), "violet"))
    else:
        parts.append(badge(tr("vote.status.closed"), "gray"))
    if rnd.anonymous:
        parts.append(badge(tr("vote.anonymous"), "gray"))
    if rnd.blind:
        parts.append(badge(tr("vote.blind"), "gray"))
    if rnd.status == "open" and rnd.closes_at is not None:
        parts.append(escape_markdown(tr("vote.closes_at", when=fmt_datetime(rnd.closes_at))))
    if rnd.status == "closed" and rnd.closed_at is not None:
        parts.append(escape_markdown(tr("vote.closed_at", when=fmt_datetime(rnd.closed_at))))
    return " · ".join(parts)


def rules_text(rules: dict[str, Any]) -> str:
    """The round's rules in one sentence-like line (Markdown-safe)."""
    parts = [tr("vote.rules.quorum", share=share_text(rules.get("quorum", "1/2")))]
    if rules.get("mode") == "delphi":
        low, high = band_of(rules)
        parts.append(tr("vote.rules.delphi", share=share_text(rules.get("delphi_agreement_share", "7/10")),
                        low=low, high=high, iqr=number_text(float(Fraction(str(rules.get("delphi_max_iqr", 2)))))))
        if rules.get("delphi_rejection", True):
            parts.append(tr("vote.rules.delphi_reject"))
    else:
        parts.append(tr("vote.rules.threshold", share=share_text(rules.get("threshold", "2/3"))))
    parts.append(tr("vote.rules.blocks_stop") if rules.get("blocks_prevent_adoption", True)
                 else tr("vote.rules.blocks_count"))
    return " · ".join(escape_markdown(p) for p in parts)


def choice_words() -> charts.ChoiceWords:
    return charts.ChoiceWords(labels={c: tally_label(c) for c in CHOICES}, votes=tr("vote.chart.votes"),
                              choice=tr("vote.chart.choice"))


def rating_words() -> charts.RatingWords:
    return charts.RatingWords(rating=tr("vote.chart.rating"), count=tr("vote.chart.count"),
                              median=tr("vote.chart.median"), yours=tr("vote.chart.yours"))


def rec_title(titles: dict[str, str], fallback_number: int) -> str:
    """A title in the interface language, else any language it has (plain text, not Markdown)."""
    return localized(titles, fallback=tr("vote.rec_fallback", number=fallback_number))


def title_language(titles: dict[str, str]) -> str | None:
    """The language ``rec_title`` shows the title in (the same order of preference)."""
    for code in (lang(), "en", "ru", "kk"):
        if (titles.get(code) or "").strip():
            return code
    return next((code for code, value in titles.items() if value), None)


def rec_heading(number: int, title: str) -> str:
    return f"**{number}\\. {plain_markdown(title)}**"


# ----------------------------------------------------------------------------- actions


def votes_csv(database: Any, *, actor_id: int, round_id: int) -> bytes:
    """A round's votes as CSV bytes Excel opens correctly (UTF-8 with a byte-order mark, for kk and ru).

    The results page passes this (bound with ``functools.partial``) as a deferred download: it runs when
    the button is clicked, outside the page run, so the export is audited once per download.
    """
    return voting_service.export_votes_csv(database, actor_id=actor_id, round_id=round_id).encode("utf-8-sig")


def _act(form: str, values: tuple[Any, ...], action: Callable[[], Any], done_key: str, **done: Any) -> None:
    """Run a service action once per click: skip a double click, show a refusal, flash success and rerun."""
    if already_submitted(form, *values):
        return
    with errors_shown():
        action()
        remember_submission(form, *values)
        flash(done_key, **done)
        st.rerun()


# ----------------------------------------------------------------------------- the ballot


def _status_badge(item: BallotItemView) -> str:
    if item.recused:
        return badge(tr("vote.state.recused"), "gray")
    if not item.can_vote:
        return badge(tr("vote.state.not_open"), "gray")
    if item.stale:
        return badge(tr("vote.state.stale"), "red")
    if item.vote is None:
        return badge(tr("vote.state.needed"), "orange")
    return badge(tr("vote.state.voted"), "green")


def recommendation_text(rec: RecommendationView | None, *, key: str) -> None:
    """The recommendation's current text in an expander, with a button to open its page."""
    with st.expander(tr("vote.read_text"), icon=":material/article:"):
        if rec is None:
            st.caption(tr("vote.text_unavailable"))
            return
        content = rec.current_revision.content
        if not content:
            st.caption(tr("vote.text_unavailable"))
            return
        code = shown_language(content)
        fields = content[code]
        if code != lang():
            st.caption(tr("vote.text_in", language=language_name(code)))
        with in_language(code, f"vote_text_{key}"):
            st.markdown(format_recommendation_text(fields.text))
        if fields.rationale.strip():
            st.markdown(f"**{escape_markdown(tr('recs.field.rationale'))}**")
            with in_language(code, f"vote_rationale_{key}"):
                st.markdown(format_recommendation_text(fields.rationale))
        if fields.legal_basis.strip():
            st.markdown(f"**{escape_markdown(tr('recs.field.legal_basis'))}**")
            with in_language(code, f"vote_legal_{key}"):
                st.markdown(format_recommendation_text(fields.legal_basis))
        if st.button(tr("vote.open_rec"), key=f"vote_open_{key}", type="tertiary", icon=":material/open_in_new:"):
            go_to("recommendations", rec=rec.id)


def _your_vote_line(item: BallotItemView) -> None:
    vote = item.vote
    if vote is None:
        st.caption(tr("vote.yours_none"))
        return
    st.caption(tr("vote.yours", vote=_what(vote.choice, vote.rating), when=fmt_datetime(vote.updated_at)))


def _what(choice: str | None, rating: int | None) -> str:
    """A vote in words: "Agree", "Rating 7", "Rating 2 · Block"."""
    if rating is None:
        return choice_label(choice) if choice else ""
    what = tr("vote.rating_value", rating=rating)
    return f"{what} · {choice_label('block')}" if choice == "block" else what


def _history(history: list[VoteHistoryView], key: str) -> None:
    """My own votes on this item, oldest first: when, what I did, what I chose and the reason I gave."""
    lines = []
    for h in history:
        line = (f"- {escape_markdown(fmt_datetime(h.at))} · {escape_markdown(tr(f'vote.history.{h.action}'))}: "
                f"**{escape_markdown(_what(h.choice, h.rating))}**")
        if h.reason:
            line += f" · {plain_markdown(h.reason)}"
        lines.append(line)
    with st.expander(tr("vote.history", count=len(history)), icon=":material/history:", key=f"vote_history_{key}"):
        st.markdown("\n".join(lines))


def delphi_feedback(feedback: DelphiFeedback, band: tuple[int, int], *, key: str) -> None:
    """The previous round's spread beside the viewer's own previous rating."""
    with st.container(border=True, key=f"vote_feedback_{key}"):
        st.markdown(f"**{escape_markdown(tr('vote.feedback.title'))}**")
        mine, median, middle, count = st.columns(4)
        mine.metric(tr("vote.feedback.yours"), str(feedback.your_rating) if feedback.your_rating is not None else "—")
        median.metric(tr("vote.feedback.median"), number_text(feedback.median))
        if feedback.q1 is not None and feedback.q3 is not None:
            middle.metric(tr("vote.feedback.iqr"), f"{number_text(feedback.q1)}–{number_text(feedback.q3)}",
                          help=tr("vote.feedback.iqr_help", iqr=number_text(feedback.iqr)))
        count.metric(tr("vote.feedback.count_label"), str(feedback.count))
        charts.show(charts.rating_chart(feedback.distribution, rating_words(), band=band, median=feedback.median,
                                        yours=feedback.your_rating, height=170),
                    key=f"vote_feedback_chart_{key}", alt=rating_alt(feedback.distribution, feedback.median))
        st.caption(tr("vote.feedback.legend", low=band[0], high=band[1]))
        figures_table(rating_figures(feedback.distribution))


def _simple_ballot(user_id: int, rnd: RoundView, item: BallotItemView, key: str) -> None:
    vote = item.vote
    choice = st.segmented_control(
        tr("vote.choose"), list(CHOICES), default=vote.choice if vote and vote.choice in CHOICES else None,
        format_func=labels_for(CHOICES, lambda c: f"{CHOICE_ICONS[c]} {choice_label(c)}"),
        key=f"vote_choice_{key}",
    )
    if choice == "block":
        st.caption(tr("vote.block_help"))
    with st.form(f"vote_form_{key}", border=False, enter_to_submit=False):
        reason, named = "", False
        # An abstention carries no reason; an agree vote may (it is the dissent when the text is rejected).
        if choice in ("agree", "disagree", "block"):
            same = vote is not None and vote.choice == choice
            reason = st.text_area(
                tr("vote.reason_block") if choice == "block" else tr("vote.reason_disagree"),
                value=(vote.reason or "") if same else "", key=f"vote_reason_{key}_{choice}", height=90,
                placeholder=tr({"block": "vote.reason_block_hint", "agree": "vote.reason_agree_hint"}.get(
                    choice, "vote.reason_hint")),
            )
            named = _named_checkbox(rnd, item, key)
        sent = _submit(item, key)
    if not sent:
        return
    if choice is None:
        st.error(tr("vote.choose_first"))
        return
    if choice == "block" and not reason.strip():
        st.error(tr("vote.block_needs_reason"))
        return
    text = reason.strip() or None
    _act(f"vote_{key}", (choice, text, named, item.current_revision_id),
         lambda: voting_service.cast_vote(db(), actor_id=user_id, round_id=rnd.id,
                                          recommendation_id=item.recommendation_id, choice=choice, reason=text,
                                          reason_named=bool(named and text)),
         "vote.done.cast", number=item.recommendation_number)


def _submit(item: BallotItemView, key: str) -> bool:
    """The ballot's submit button: prominent while a vote is needed, quieter for changing a counted vote."""
    label = tr("vote.change") if item.vote is not None else tr("vote.cast")
    return st.form_submit_button(label, type="primary" if item.needs_action else "secondary", key=f"vote_submit_{key}",
                                 icon=":material/how_to_vote:")


def _named_checkbox(rnd: RoundView, item: BallotItemView, key: str) -> bool:
    if rnd.anonymous:
        st.caption(tr("vote.anonymous_reasons"))
        return False
    return st.checkbox(tr("vote.named"), value=bool(item.vote and item.vote.reason_named), key=f"vote_named_{key}",
                       help=tr("vote.named_help"))


def _delphi_ballot(user_id: int, rnd: RoundView, item: BallotItemView, key: str) -> None:
    vote = item.vote
    low, high = band_of(rnd.rules)
    with st.form(f"vote_form_{key}", border=False, enter_to_submit=False):
        rating = st.segmented_control(
            tr("vote.rate"), list(RATINGS), default=vote.rating if vote and vote.rating else None,
            key=f"vote_rating_{key}", help=tr("vote.rate_help", low=low, high=high),
        )
        st.caption(tr("vote.rate_scale", low=low, high=high))
        comment = st.text_area(tr("vote.comment"), value=(vote.reason or "") if vote else "", height=90,
                               key=f"vote_comment_{key}", placeholder=tr("vote.comment_hint"))
        block = st.checkbox(tr("vote.delphi_block"), value=bool(vote and vote.choice == "block"),
                            key=f"vote_block_{key}", help=tr("vote.block_help"))
        named = _named_checkbox(rnd, item, key)
        sent = _submit(item, key)
    if not sent:
        return
    if rating is None:
        st.error(tr("vote.rate_first"))
        return
    if block and not comment.strip():
        st.error(tr("vote.block_needs_reason"))
        return
    text = comment.strip() or None
    choice = "block" if block else None
    _act(f"vote_{key}", (rating, choice, text, named, item.current_revision_id),
         lambda: voting_service.cast_vote(db(), actor_id=user_id, round_id=rnd.id,
                                          recommendation_id=item.recommendation_id, rating=int(rating),
                                          choice=choice, reason=text, reason_named=bool(named and text)),
         "vote.done.cast", number=item.recommendation_number)


def _recusal(user_id: int, rnd: RoundView, item: BallotItemView, key: str) -> None:
    if item.recused:
        st.info(tr("vote.recused_info"), icon=":material/do_not_disturb_on:")
        if st.button(tr("vote.unrecuse"), key=f"vote_unrecuse_{key}", icon=":material/undo:"):
            _act(f"unrecuse_{key}", (), lambda: voting_service.withdraw_recusal(
                db(), actor_id=user_id, round_id=rnd.id, recommendation_id=item.recommendation_id),
                 "vote.done.unrecused", number=item.recommendation_number)
        return
    with st.expander(tr("vote.recuse_open"), icon=":material/do_not_disturb_on:"):
        st.caption(tr("vote.recuse_help"))
        with st.form(f"vote_recuse_form_{key}", border=False, enter_to_submit=False):
            reason = st.text_input(tr("vote.recuse_reason"), key=f"vote_recuse_reason_{key}")
            sent = st.form_submit_button(tr("vote.recuse"), key=f"vote_recuse_{key}")
        if sent:
            _act(f"recuse_{key}", (reason,), lambda: voting_service.recuse(
                db(), actor_id=user_id, round_id=rnd.id, recommendation_id=item.recommendation_id,
                reason=reason or ""), "vote.done.recused", number=item.recommendation_number)


def ballot_item(user_id: int, rnd: RoundView, item: BallotItemView, rec: RecommendationView | None,
                history: list[VoteHistoryView] | None = None, *, read_only: bool = False) -> None:
    """One recommendation on the ballot: title and text, state, my votes so far, Delphi feedback, the vote
    form, recusal. ``read_only`` (the roundtable's phase has closed voting): my votes, and no forms."""
    key = f"{rnd.id}_{item.recommendation_id}"
    with st.container(border=True, key=f"vote_item_{key}"):
        head, state = st.columns([5, 1.6], vertical_alignment="center")
        with in_language(title_language(item.title), f"vote_title_{key}", head):  # lang= for a screen reader
            st.markdown(rec_heading(item.recommendation_number, rec_title(item.title, item.recommendation_number)))
        state.container(horizontal_alignment="right").markdown(_status_badge(item), width="content")
        recommendation_text(rec, key=key)
        if not item.can_vote:
            st.caption(tr("vote.not_open_help"))
            return
        if read_only:
            if item.recused:
                st.info(tr("vote.recused_info"), icon=":material/do_not_disturb_on:")
            else:
                _your_vote_line(item)
            if history:
                _history(history, key)
            return
        if item.recused:
            _recusal(user_id, rnd, item, key)
            return
        _your_vote_line(item)
        if history:
            _history(history, key)
        if item.stale:
            st.warning(tr("vote.stale"), icon=":material/update:")
            if st.button(tr("vote.confirm"), key=f"vote_confirm_{key}", icon=":material/check:"):
                _act(f"confirm_{key}", (item.current_revision_id,), lambda: voting_service.confirm_vote(
                    db(), actor_id=user_id, round_id=rnd.id, recommendation_id=item.recommendation_id),
                     "vote.done.confirmed", number=item.recommendation_number)
        if rnd.mode == "delphi":
            if item.previous_round_feedback is not None:
                delphi_feedback(item.previous_round_feedback, band_of(rnd.rules), key=key)
            _delphi_ballot(user_id, rnd, item, key)
        else:
            _simple_ballot(user_id, rnd, item, key)
        _recusal(user_id, rnd, item, key)


# ----------------------------------------------------------------------------- results


def _check(ok: bool | None) -> str:
    if ok is None:
        return "—"
    return ":green[:material/check_circle:]" if ok else ":red[:material/cancel:]"


def _facts(result: ItemResultView, counts: CountsView, rules: dict[str, Any]) -> None:
    base = counts.quorum_base
    st.markdown(f"{_check(counts.quorum_met)} " + escape_markdown(tr(
        "results.turnout", voted=counts.voted, base=base, share=percent(counts.turnout)))
        + "  \n" + escape_markdown(tr("results.quorum_needed", share=share_text(rules.get("quorum", "1/2")))))
    if result.mode == "delphi" and counts.delphi is not None:
        low, high = band_of(rules)
        d = counts.delphi
        st.markdown(f"{_check(counts.threshold_met)} " + escape_markdown(tr(
            "results.delphi_line", share=percent(counts.band_share or 0), low=low, high=high,
            median=number_text(d.median), iqr=number_text(d.iqr))))
    else:
        st.markdown(f"{_check(counts.threshold_met)} " + escape_markdown(tr(
            "results.agree_line", share=percent(counts.agree_share or 0),
            needed=share_text(rules.get("threshold", "2/3")))))
    st.markdown(f"{_check(counts.rule_met)} " + escape_markdown(
        tr("results.rule_met") if counts.rule_met else tr("results.rule_not_met")))
    notes = []
    if counts.block:
        notes.append(tr("results.blocks", count=counts.block))
    if counts.stale:
        notes.append(tr("results.stale", count=counts.stale))
    if counts.recused:
        notes.append(tr("results.recused", count=counts.recused))
    if notes:
        st.caption(" · ".join(notes))
    if counts.block_override_applied and result.block_override_reason:
        st.markdown(f"**{escape_markdown(tr('results.override'))}** " + user_text_markdown(result.block_override_reason))
    elif counts.blocked and not counts.block_override_applied and rules.get("blocks_prevent_adoption", True):
        st.caption(tr("results.block_stands"))


def _groups_table(result: ItemResultView) -> None:
    rows = []
    for g in result.groups:
        row: dict[str, Any] = {tr("results.col.group"): g.group or "—",
                               tr("results.col.voted"): f"{g.voted} / {g.quorum_base}"}
        if result.mode == "delphi":
            d = g.delphi
            row[tr("results.col.median")] = number_text(d.median) if d else "—"
            row[tr("results.col.iqr")] = number_text(d.iqr) if d else "—"
            row[tr("results.col.in_band")] = percent(g.band_share or 0)
        else:
            for c in CHOICES:
                row[tally_label(c)] = getattr(g, c)
        row[tr("results.col.outcome")] = outcome_label(g.outcome)
        rows.append(row)
    tables.dataframe(rows, hide_index=True, width="stretch",
                 key=f"results_groups_{result.round_id}_{result.recommendation_id}")


def _dissents(result: ItemResultView) -> None:
    for d in result.dissents:
        who = tr("results.anonymous")
        if d.name:
            who = f"{d.name} ({d.organisation})" if d.organisation else d.name
        what = tally_label(d.choice) if d.choice else ""
        if d.rating is not None:
            what = tr("vote.rating_value", rating=d.rating) + (f" · {what}" if what else "")
        st.markdown(f"**{plain_markdown(who)}** · {escape_markdown(what)}  \n{user_text_markdown(d.reason)}")


def choice_figures(tally: dict[str, int]) -> tuple[list[str], list[str]]:
    """A simple-vote chart's figures as a table: (header, row) — each choice's label over its number of votes."""
    return ([tr("vote.chart.choice"), *(tally_label(c) for c in CHOICES)],
            [tr("vote.chart.votes"), *(str(int(tally.get(c, 0))) for c in CHOICES)])


def rating_figures(distribution: Any) -> tuple[list[str], list[str]]:
    """A Delphi histogram's figures as a table: (header, row) — each rating 1–9 over how many gave it."""
    counts = {int(k): int(v) for k, v in dict(distribution or {}).items()}
    return ([tr("vote.chart.rating"), *(str(r) for r in RATINGS)],
            [tr("vote.chart.count"), *(str(counts.get(r, 0)) for r in RATINGS)])


def choice_alt(tally: dict[str, int]) -> str:
    """The simple-vote chart in words, for screen readers (the chart's ``alt``)."""
    return tr("threads.chart.choice_alt", figures=", ".join(f"{tally_label(c)} {int(tally.get(c, 0))}"
                                                             for c in CHOICES))


def rating_alt(distribution: Any, median: float | None) -> str:
    """The Delphi histogram in words, for screen readers (the chart's ``alt``)."""
    counts = {int(k): int(v) for k, v in dict(distribution or {}).items()}
    return tr("threads.chart.rating_alt", figures=", ".join(f"{r}: {counts.get(r, 0)}" for r in RATINGS),
              median=number_text(median))


def figures_markdown(figures: tuple[list[str], list[str]]) -> str:
    """A Markdown table (a real HTML table on the page, with header cells) of one header row and one row."""
    header, row = figures

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"  # escapes "|" too

    return "\n".join([line(header), "|" + "---|" + "---:|" * (len(header) - 1), line(row)])


def figures_table(figures: tuple[list[str], list[str]]) -> None:
    """The chart's figures as a table beside it, which a screen reader and the keyboard reach (issue 17 item 3).

    A Markdown table rather than st.table: the same HTML table, without building a DataFrame for it."""
    st.markdown(figures_markdown(figures))


def result_card(result: ItemResultView, rules: dict[str, Any], title: str, *, heading: str | None = None) -> None:
    """One recommendation's result in one round: outcome, chart, quorum and rule, groups, dissent."""
    key = f"{result.round_id}_{result.recommendation_id}"
    with st.container(border=True, key=f"results_item_{key}"):
        counts = result.overall
        head, state = st.columns([5, 1.6], vertical_alignment="center")
        head.markdown(heading or rec_heading(result.recommendation_number, title))
        corner = state.container(horizontal_alignment="right")
        if result.hidden or counts is None:
            corner.markdown(badge(tr("results.hidden_badge"), "gray"), width="content")
            st.caption(tr("results.hidden"))
            return
        corner.markdown(outcome_badge(counts.outcome, final=result.final), width="content")
        chart_col, facts_col = st.columns([3, 2], gap="large")
        with chart_col:
            if result.mode == "delphi":
                summary = counts.delphi
                distribution = summary.distribution if summary else {}
                median = summary.median if summary else None
                charts.show(charts.rating_chart(distribution, rating_words(), band=band_of(rules), median=median,
                                                reject_band=(1, 3) if rules.get("delphi_rejection", True) else None),
                            key=f"results_chart_{key}", alt=rating_alt(distribution, median))
                st.caption(tr("results.delphi_legend", low=band_of(rules)[0], high=band_of(rules)[1]))
                figures_table(rating_figures(distribution))
            else:
                tally = {c: getattr(counts, c) for c in CHOICES}
                charts.show(charts.choice_chart(tally, choice_words()), key=f"results_chart_{key}",
                            alt=choice_alt(tally))
                st.caption(tr("threads.chart.choice_caption"))
                figures_table(choice_figures(tally))
        with facts_col:
            _facts(result, counts, rules)
        if result.groups:
            with st.expander(tr("results.by_group", count=len(result.groups)), icon=":material/groups:"):
                _groups_table(result)
        if result.dissents:
            with st.expander(tr("results.dissent", count=len(result.dissents)), icon=":material/record_voice_over:"):
                _dissents(result)
