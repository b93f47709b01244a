"""Results: every round and every recommendation's result in it; round management for moderators and admins.

Everyone sees, per round, each recommendation's distribution (bars, or the Delphi 1–9 histogram with
its agreement band), quorum, rule, outcome, the tallies per participant group and the dissenting
reasons (named only where the voter allowed it and the round is not anonymous: the service decides).
While a blind round is open, people other than moderators and admins see that the figures are hidden.

Moderators and admins manage rounds here, beside the live figures they decide on: open a round on
chosen recommendations with its rules, close a round (overriding a block with a recorded reason),
carry the undecided items forward, and download the votes as CSV (UTF-8 with BOM, for Excel).
The round to show can be given in the URL: ``results?round=<number>``.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import partial
from typing import Any

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.i18n.formats import zone
from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import ItemResultView, RoundResultsView, RoundView
from recdraft.services import recommendations as rec_service
from recdraft.services import voting as voting_service
from recdraft.ui.context import (
    browser_timezone,
    db,
    errors_shown,
    fmt_datetime,
    fmt_number,
    localized,
    tr,
)
from recdraft.ui.render import escape_markdown
from recdraft.ui.widgets.labels import labels_for
from recdraft.ui.widgets.page import (
    Member,
    flash,
    query_int,
    require_member,
    show_flash,
)
from recdraft.ui.widgets.phase_gate import may, phase_is_open_for, phase_note
from recdraft.ui.widgets.voting import (
    mode_label,
    rec_heading,
    result_card,
    round_facts,
    round_name,
    round_title,
    rules_text,
    share_text,
    votes_csv,
)

THRESHOLDS = ("1/2", "3/5", "2/3", "3/4", "4/5", "1")
VOTABLE = ("discussion", "voting")
NEXT_ROUND = "results_round_next"
RESET_NEW = "rounds_new_reset"
CONFIRM_CLOSE = "rounds_close_pending_"  # + round id: the block overrides typed, waiting for "Yes, close it"
# Results shown per page of a round: a closed round of a whole bill has hundreds of items, and each card
# draws a chart and its table (issue 15 goal 1: the page costs the same per page whatever the round's size).
RESULTS_PAGE_SIZE = 10


# ----------------------------------------------------------------------------- data


def _all_recommendations(member: Member) -> dict[int, RecommendationView]:
    found: dict[int, RecommendationView] = {}
    page = 1
    while True:
        result = rec_service.list_recommendations(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id,
                                                  page=page, page_size=rec_service.MAX_PAGE_SIZE)
        found.update({r.id: r for r in result.items})
        if page * rec_service.MAX_PAGE_SIZE >= result.total:
            return found
        page += 1


def _item_title(item: ItemResultView) -> str:
    """The item's title in the interface language (else any language it has), from the results themselves."""
    return localized(dict(item.title), fallback=tr("vote.rec_fallback", number=item.recommendation_number))


def _title(recs: dict[int, RecommendationView], rec_id: int, number: int) -> str:
    rec = recs.get(rec_id)
    if rec is None:
        return tr("vote.rec_fallback", number=number)
    return localized({code: c.title for code, c in rec.current_revision.content.items()},
                     fallback=tr("vote.rec_fallback", number=number))


def _share(value: Any, default: Fraction) -> Fraction:
    """A share written as the settings write it ("2/3", "0.5", 1); the default when it is not one in (0, 1]."""
    try:
        share = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError, TypeError):
        return default
    return share if 0 < share <= 1 else default


def _percent_of(value: Any, default: int) -> int:
    """A share as a whole percentage for the form's number inputs (1–100)."""
    return min(100, max(1, round(_share(value, Fraction(default, 100)) * 100)))


def round_defaults(settings: dict[str, Any] | None) -> dict[str, Any]:
    """The open-round form's starting values: the roundtable's ``voting_defaults`` where set and sensible,
    else the usual rules (quorum 50%, two thirds agree, Delphi 70% within 7–9 and IQR ≤ 2, blocks stop)."""
    chosen = (settings or {}).get("voting_defaults")
    chosen = chosen if isinstance(chosen, dict) else {}
    threshold = _share(chosen.get("threshold", "2/3"), Fraction(2, 3))
    try:
        iqr = float(Fraction(str(chosen.get("delphi_max_iqr", "2")).strip()))
    except (ValueError, ZeroDivisionError, TypeError):
        iqr = 2.0
    blocks = chosen.get("blocks_prevent_adoption", True)
    return {
        "quorum": _percent_of(chosen.get("quorum", "1/2"), 50),
        "threshold": f"{threshold.numerator}/{threshold.denominator}" if threshold != 1 else "1",
        "delphi_share": _percent_of(chosen.get("delphi_agreement_share", "7/10"), 70),
        "delphi_iqr": min(8.0, max(0.0, round(iqr * 2) / 2)),
        "blocks": blocks if isinstance(blocks, bool) else True,
    }


def _closing_moment(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    """The closing date as an aware moment in the browser's time zone (Almaty's if unknown)."""
    if day is None:
        return None
    return dt.datetime.combine(day, time or dt.time(18, 0)).replace(tzinfo=zone(browser_timezone()))


# ----------------------------------------------------------------------------- management (staff)


def _open_round_form(member: Member, recs: dict[int, RecommendationView], rounds: list[RoundView]) -> None:
    busy = {rid for r in rounds if r.status == "open" for rid in r.recommendation_ids}
    choosable = [r.id for r in sorted(recs.values(), key=lambda r: (r.position, r.id))
                 if r.status in VOTABLE and r.id not in busy]
    if st.session_state.pop(RESET_NEW, False):  # the last opening succeeded: start the form afresh
        for key in ("rounds_new_recs", "rounds_new_name"):
            st.session_state.pop(key, None)
    with st.expander(tr("rounds.open.title"), icon=":material/add_circle:"):
        if not choosable:
            st.caption(tr("rounds.open.nothing"))
            return
        mode = st.segmented_control(tr("rounds.mode"), ["simple", "delphi"], default="simple", required=True,
                                    format_func=labels_for(["simple", "delphi"], mode_label), key="rounds_new_mode")
        st.caption(tr(f"rounds.mode_help.{mode}"))
        defaults = round_defaults(member.roundtable.settings)
        if isinstance((member.roundtable.settings or {}).get("voting_defaults"), dict):
            st.caption(tr("rounds_ui.defaults_from_settings"))
        thresholds = list(THRESHOLDS) if defaults["threshold"] in THRESHOLDS else sorted(
            [*THRESHOLDS, defaults["threshold"]], key=Fraction)
        titles = {rid: f"{recs[rid].number}. {_title(recs, rid, recs[rid].number)}" for rid in choosable}
        with st.form("rounds_open_form", enter_to_submit=False):
            chosen = st.multiselect(tr("rounds.recommendations"), choosable, format_func=titles.__getitem__,
                                    key="rounds_new_recs", placeholder=tr("rounds.recommendations_hint"))
            name = st.text_input(tr("rounds.name"), key="rounds_new_name", placeholder=tr("rounds.name_hint"))
            left, right = st.columns(2)
            quorum = left.number_input(tr("rounds.quorum"), min_value=1, max_value=100, value=defaults["quorum"],
                                       step=5, key="rounds_new_quorum", help=tr("rounds.quorum_help"))
            rules: dict[str, Any] = {"mode": mode}
            if mode == "delphi":
                share = right.number_input(tr("rounds.delphi_share"), min_value=1, max_value=100,
                                           value=defaults["delphi_share"], step=5,
                                           key="rounds_new_share", help=tr("rounds.delphi_share_help"))
                band = st.select_slider(tr("rounds.delphi_band"), options=list(range(1, 10)), value=(7, 9),
                                        key="rounds_new_band", help=tr("rounds.delphi_band_help"))
                iqr = left.number_input(tr("rounds.delphi_iqr"), min_value=0.0, max_value=8.0,
                                        value=defaults["delphi_iqr"], step=0.5,
                                        key="rounds_new_iqr", help=tr("rounds.delphi_iqr_help"))
                reject = right.checkbox(tr("rounds.delphi_reject"), value=True, key="rounds_new_reject",
                                        help=tr("rounds.delphi_reject_help"))
                rules.update(delphi_agreement_share=f"{int(share)}/100", delphi_band_low=int(band[0]),
                             delphi_band_high=int(band[1]), delphi_max_iqr=str(iqr), delphi_rejection=bool(reject))
            else:
                threshold = right.selectbox(tr("rounds.threshold"), thresholds,
                                            index=thresholds.index(defaults["threshold"]),
                                            format_func=labels_for(thresholds, share_text), key="rounds_new_threshold",
                                            help=tr("rounds.threshold_help"))
                rules["threshold"] = threshold
            blocks = st.checkbox(tr("rounds.blocks"), value=defaults["blocks"], key="rounds_new_blocks",
                                 help=tr("rounds.blocks_help"))
            flags = st.columns(2)
            anonymous = flags[0].checkbox(tr("rounds.anonymous"), key="rounds_new_anonymous",
                                          help=tr("rounds.anonymous_help"))
            blind = flags[1].checkbox(tr("rounds.blind"), key="rounds_new_blind", help=tr("rounds.blind_help"))
            day_col, time_col = st.columns(2)
            day = day_col.date_input(tr("rounds.closes_on"), value=None, min_value=dt.date.today(),
                                     key="rounds_new_day", help=tr("rounds.closes_help"), format="DD.MM.YYYY")
            time = time_col.time_input(tr("rounds.closes_time"), value=dt.time(18, 0), key="rounds_new_time")
            sent = st.form_submit_button(tr("rounds.open.submit"), type="primary", key="rounds_open_submit",
                                         icon=":material/play_arrow:")
        if not sent:
            return
        if not chosen:
            st.error(tr("rounds.choose_first"))
            return
        rules.update(quorum=f"{int(quorum)}/100", blocks_prevent_adoption=bool(blocks), anonymous=bool(anonymous),
                     blind=bool(blind))
        with errors_shown():
            opened = voting_service.open_round(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id,
                                               recommendation_ids=list(chosen), rules=rules, name=name or "",
                                               closes_at=_closing_moment(day, time))
            st.session_state[RESET_NEW] = True
            st.session_state[NEXT_ROUND] = opened.id
            flash("rounds.done.opened", number=opened.number)
            st.rerun()


def _close_round_form(member: Member, rnd: RoundView, results: RoundResultsView,
                      recs: dict[int, RecommendationView]) -> None:
    """Close the round in two steps: "Close round N…" (with any block overrides), then "Yes, close it".

    Why two steps: closing freezes the result for good (no vote can change it afterwards), so one click on a
    busy page must not do it. Nothing is sent until the second step; Cancel keeps the round open.
    """
    pending_key = f"{CONFIRM_CLOSE}{rnd.id}"
    blocked = [i for i in results.items if i.overall is not None and i.overall.blocked
               and not i.overall.block_override_applied and rnd.rules.get("blocks_prevent_adoption", True)]
    with st.container(border=True, key=f"rounds_close_box_{rnd.id}"):
        st.markdown(f"**{escape_markdown(tr('rounds.close.title'))}**")
        if pending_key in st.session_state:
            _confirm_close(member, rnd, st.session_state[pending_key])
            return
        st.caption(tr("rounds.close.help"))
        with st.form(f"rounds_close_form_{rnd.id}", border=False, enter_to_submit=False):
            overrides: dict[int, str] = {}
            if blocked:
                st.caption(tr("rounds.close.blocked_help"))
            for item in blocked:
                title = _title(recs, item.recommendation_id, item.recommendation_number)
                overrides[item.recommendation_id] = st.text_area(
                    tr("rounds.close.override", number=item.recommendation_number, title=title),
                    key=f"rounds_override_{rnd.id}_{item.recommendation_id}", height=80,
                    placeholder=tr("rounds.close.override_hint"))
            sent = st.form_submit_button(tr("rounds_ui.close_ask", number=rnd.number), type="primary",
                                         key=f"rounds_close_{rnd.id}", icon=":material/lock:")
        if sent:
            st.session_state[pending_key] = {rid: text.strip() for rid, text in overrides.items()
                                             if text and text.strip()}
            st.rerun()


def _confirm_close(member: Member, rnd: RoundView, overrides: dict[int, str]) -> None:
    """The second step: what closing does, then "Yes, close it" or Cancel."""
    pending_key = f"{CONFIRM_CLOSE}{rnd.id}"
    st.warning(tr("rounds_ui.close_confirm", number=rnd.number), icon=":material/warning:")
    if overrides:
        st.caption(tr("rounds_ui.close_overrides", count=len(overrides)))
    row = st.container(horizontal=True, gap="small")
    yes = row.button(tr("rounds_ui.close_yes"), type="primary", key=f"rounds_close_yes_{rnd.id}",
                     icon=":material/lock:")
    no = row.button(tr("rounds_ui.close_no"), key=f"rounds_close_no_{rnd.id}")
    if no:
        st.session_state.pop(pending_key, None)
        st.rerun()
    if yes:
        with errors_shown():
            voting_service.close_round(db(), actor_id=member.user.id, round_id=rnd.id,
                                       block_overrides={int(k): v for k, v in overrides.items()})
            st.session_state.pop(pending_key, None)
            flash("rounds.done.closed", number=rnd.number)
            st.rerun()


def eligible_line(rnd: RoundView, results: RoundResultsView) -> str | None:
    """ "N eligible voters (fixed when the round opened)", from the round (or its tally); None when not known."""
    count = getattr(rnd, "eligible_count", None)
    if count is None:
        count = next((i.overall.eligible for i in results.items if i.overall is not None), None)
    if count is None:
        return None
    frozen = getattr(rnd, "voters_frozen_at", True)  # rounds from before frozen lists count today's members
    key = "rounds_ui.eligible_fixed" if frozen is not None else "rounds_ui.eligible_now"
    return tr(key, count=count)


def _carry_forward_form(member: Member, rnd: RoundView, results: RoundResultsView, rounds: list[RoundView]) -> None:
    undecided = [i for i in results.items if i.overall is not None and i.overall.outcome == "no_consensus"]
    if not undecided:
        return
    later = next((r for r in rounds if r.carried_from_round_id == rnd.id), None)
    if later is not None:
        st.caption(tr("rounds.carry.done_already", number=later.number))
        return
    with st.expander(tr("rounds.carry.title", count=len(undecided)), icon=":material/redo:"):
        st.caption(tr("rounds.carry.help"))
        with st.form(f"rounds_carry_form_{rnd.id}", border=False, enter_to_submit=False):
            name = st.text_input(tr("rounds.name"), key=f"rounds_carry_name_{rnd.id}",
                                 placeholder=tr("rounds.name_hint"))
            day_col, time_col = st.columns(2)
            day = day_col.date_input(tr("rounds.closes_on"), value=None, min_value=dt.date.today(),
                                     key=f"rounds_carry_day_{rnd.id}", format="DD.MM.YYYY")
            time = time_col.time_input(tr("rounds.closes_time"), value=dt.time(18, 0),
                                       key=f"rounds_carry_time_{rnd.id}")
            sent = st.form_submit_button(tr("rounds.carry.submit"), type="primary", key=f"rounds_carry_{rnd.id}",
                                         icon=":material/redo:")
        if sent:
            with errors_shown():
                opened = voting_service.carry_forward(db(), actor_id=member.user.id, round_id=rnd.id, name=name or "",
                                                      closes_at=_closing_moment(day, time))
                st.session_state[NEXT_ROUND] = opened.id
                flash("rounds.done.opened", number=opened.number)
                st.rerun()


def _csv_download(member: Member, rnd: RoundView) -> None:
    build = partial(votes_csv, db(), actor_id=member.user.id, round_id=rnd.id)
    st.download_button(tr("rounds.csv"), data=build, file_name=f"recdraft-round-{rnd.number}-votes.csv",
                       mime="text/csv", key=f"rounds_csv_{rnd.id}", icon=":material/download:", on_click="ignore",
                       help=tr("rounds.csv_help"))


# ----------------------------------------------------------------------------- views


def _by_round(member: Member, rounds: list[RoundView], recs: dict[int, RecommendationView]) -> None:
    ordered = sorted(rounds, key=lambda r: -r.number)
    ids = [r.id for r in ordered]
    if NEXT_ROUND in st.session_state:  # a round just opened: show it (set before the widget exists)
        st.session_state["results_round"] = st.session_state.pop(NEXT_ROUND)
    wanted = query_int("round")
    if wanted is not None and "results_round" not in st.session_state:
        match = next((r.id for r in rounds if r.number == wanted), None)
        if match is not None:
            st.session_state["results_round"] = match
    if st.session_state.get("results_round") not in ids:
        st.session_state.pop("results_round", None)
    labels = {r.id: round_name(r) for r in ordered}
    chosen = st.selectbox(tr("results.round"), ids, format_func=labels.__getitem__, key="results_round")
    rnd = next(r for r in ordered if r.id == chosen)
    page_key = f"results_page_{rnd.id}"
    pages = max(1, -(-len(rnd.recommendation_ids) // RESULTS_PAGE_SIZE))
    page_no = min(max(1, int(st.session_state.get(page_key) or 1)), pages)
    results: RoundResultsView | None = None
    with errors_shown():
        results = voting_service.round_results(db(), actor_id=member.user.id, round_id=rnd.id,
                                               offset=(page_no - 1) * RESULTS_PAGE_SIZE, limit=RESULTS_PAGE_SIZE)
    if results is None:
        return
    rnd = results.round
    st.subheader(round_title(rnd), anchor=False)
    st.markdown(round_facts(rnd))
    st.caption(rules_text(rnd.rules))
    eligible = eligible_line(rnd, results)
    if eligible:
        st.caption(eligible)
    if member.is_staff:
        _csv_download(member, rnd)
        if rnd.status == "open" and may(member, Action.RUN_ROUNDS):
            _close_round_form(member, rnd, results if pages == 1 else _whole_round(member, rnd), recs)
        elif rnd.status != "open" and may(member, Action.RUN_ROUNDS) and phase_is_open_for(member.roundtable,
                                                                                             Action.VOTE):
            _carry_forward_form(member, rnd, results if pages == 1 else _whole_round(member, rnd), rounds)
    if results.hidden:
        st.info(tr("results.hidden_round"), icon=":material/visibility_off:")
        return
    if rnd.status == "open":
        st.caption(tr("results.provisional"))
    first = (page_no - 1) * RESULTS_PAGE_SIZE + 1
    if pages > 1:
        st.caption(tr("threads.results.showing", first=fmt_number(first),
                      last=fmt_number(first + len(results.items) - 1), total=fmt_number(len(rnd.recommendation_ids))))
    for item in results.items:
        result_card(item, rnd.rules, _item_title(item))
    if pages > 1:
        _results_pager(page_key, page_no, pages)


def _whole_round(member: Member, rnd: RoundView) -> RoundResultsView:
    """Every item of the round (closing and carrying forward decide on all of them, not on one page)."""
    return voting_service.round_results(db(), actor_id=member.user.id, round_id=rnd.id)


def _step_page(key: str, delta: int, pages: int) -> None:
    st.session_state[key] = min(pages, max(1, int(st.session_state.get(key) or 1) + delta))


def _results_pager(key: str, current: int, pages: int) -> None:
    """Previous / page n of N / next under the round's results (plain buttons and a select box)."""
    st.session_state[key] = current
    numbers = list(range(1, pages + 1))
    with st.container(horizontal=True, horizontal_alignment="center", vertical_alignment="center",
                      key="results_pager"):
        st.button(tr("recs.page.previous"), key="results_prev", icon=":material/chevron_left:",
                  disabled=current <= 1, on_click=_step_page, args=(key, -1, pages), type="tertiary")
        st.selectbox(tr("threads.results.pages"), numbers, key=key, label_visibility="collapsed", width=200,
                     format_func=labels_for(numbers, lambda n: tr("recs.page.n_of", number=n, total=pages)))
        st.button(tr("recs.page.next"), key="results_next", icon=":material/chevron_right:", icon_position="right",
                  disabled=current >= pages, on_click=_step_page, args=(key, 1, pages), type="tertiary")


def _by_recommendation(member: Member, rounds: list[RoundView], recs: dict[int, RecommendationView]) -> None:
    voted_on = [r.id for r in sorted(recs.values(), key=lambda r: (r.position, r.id))
                if any(r.id in rnd.recommendation_ids for rnd in rounds)]
    if not voted_on:
        st.caption(tr("results.none"))
        return
    titles = {rid: f"{recs[rid].number}. {_title(recs, rid, recs[rid].number)}" for rid in voted_on}
    rec_id = st.selectbox(tr("results.recommendation"), voted_on, format_func=titles.__getitem__,
                          key="results_rec")
    history: list[ItemResultView] = []
    with errors_shown():
        history = voting_service.recommendation_results(db(), actor_id=member.user.id, recommendation_id=rec_id)
    by_id = {r.id: r for r in rounds}
    for item in history:
        rnd = by_id.get(item.round_id)
        rules = rnd.rules if rnd else {}
        heading = f"**{round_title(rnd)}**" if rnd else rec_heading(item.recommendation_number, "")
        if rnd is not None:
            heading += f" · {escape_markdown(fmt_datetime(rnd.closed_at or rnd.opened_at))}"
        result_card(item, rules, titles[rec_id], heading=heading)



def render() -> None:
    """The whole page."""
    member = require_member()
    st.title(tr("results.title"))
    show_flash()
    phase_note(member.roundtable)
    rounds: list[RoundView] = []
    recs: dict[int, RecommendationView] = {}
    with errors_shown():
        rounds = voting_service.list_rounds(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
        if member.is_staff:  # the round forms choose among every recommendation; a round's results carry their titles
            recs = _all_recommendations(member)
    if member.is_staff and may(member, Action.RUN_ROUNDS) and phase_is_open_for(member.roundtable, Action.VOTE):
        # A new round only where the phase lets people vote in it.
        _open_round_form(member, recs, rounds)
    if not rounds:
        st.info(tr("results.no_rounds"), icon=":material/bar_chart:")
    else:
        views = ["round", "recommendation"]
        view = st.segmented_control(tr("results.view"), views, default="round", required=True,
                                    format_func=labels_for(views, lambda v: tr(f"results.view.{v}")),
                                    key="results_view", label_visibility="collapsed")
        if view == "recommendation":
            if not recs:
                with errors_shown():
                    recs = _all_recommendations(member)
            _by_recommendation(member, rounds, recs)
        else:
            _by_round(member, rounds, recs)
