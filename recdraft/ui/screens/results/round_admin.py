"""Round management on the results page (moderators and admins): open a round with its rules, close one
(overriding a block with a recorded reason), carry the undecided items forward, download the votes as CSV.

Which of these a person sees is the views' ``actions`` (``services.voting``), never this module's decision.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from functools import partial
from typing import Any

import streamlit as st

from recdraft.domain.voting import Outcome, VotingMode
from recdraft.i18n.formats import zone
from recdraft.schemas.views import RecommendationView
from recdraft.schemas.voting import RoundResultsView, RoundView
from recdraft.services import voting as voting_service
from recdraft.ui.context import browser_timezone, db, errors_shown, tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.screens.results.titles import title_of
from recdraft.ui.widgets.labels import labels_for
from recdraft.ui.widgets.page import Member, flash
from recdraft.ui.widgets.round_facts import mode_label, share_text

THRESHOLDS = ("1/2", "3/5", "2/3", "3/4", "4/5", "1")
MODES = [VotingMode.SIMPLE.value, VotingMode.DELPHI.value]
NEXT_ROUND = "results_round_next"
RESET_NEW = "rounds_new_reset"
CONFIRM_CLOSE = "rounds_close_pending_"  # + round id: the block overrides typed, waiting for "Yes, close it"


def votes_csv(database: Any, *, actor_id: int, round_id: int) -> bytes:
    """A round's votes as CSV bytes Excel opens correctly (UTF-8 with a byte-order mark, for kk and ru).

    The results page passes this (bound with ``functools.partial``) as a deferred download: it runs when
    the button is clicked, outside the page run, so the export is audited once per download.
    """
    return voting_service.export_votes_csv(database, actor_id=actor_id, round_id=round_id).encode("utf-8-sig")


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


def open_round_form(member: Member, recs: dict[int, RecommendationView], candidates: list[int]) -> None:
    """Open a round on some of ``candidates`` (the service's ``open_round_candidates``, in order)."""
    choosable = [rid for rid in candidates if rid in recs]
    if st.session_state.pop(RESET_NEW, False):  # the last opening succeeded: start the form afresh
        for key in ("rounds_new_recs", "rounds_new_name"):
            st.session_state.pop(key, None)
    with st.expander(tr("rounds.open.title"), icon=":material/add_circle:"):
        if not choosable:
            st.caption(tr("rounds.open.nothing"))
            return
        mode = st.segmented_control(
            tr("rounds.mode"),
            MODES,
            default=VotingMode.SIMPLE.value,
            required=True,
            format_func=labels_for(MODES, mode_label),
            key="rounds_new_mode",
        )
        st.caption(tr(f"rounds.mode_help.{mode}"))
        defaults = round_defaults(member.roundtable.settings)
        if isinstance((member.roundtable.settings or {}).get("voting_defaults"), dict):
            st.caption(tr("rounds_ui.defaults_from_settings"))
        thresholds = (
            list(THRESHOLDS)
            if defaults["threshold"] in THRESHOLDS
            else sorted([*THRESHOLDS, defaults["threshold"]], key=Fraction)
        )
        titles = {rid: f"{recs[rid].number}. {title_of(recs, rid, recs[rid].number)}" for rid in choosable}
        with st.form("rounds_open_form", enter_to_submit=False):
            chosen = st.multiselect(
                tr("rounds.recommendations"),
                choosable,
                format_func=titles.__getitem__,
                key="rounds_new_recs",
                placeholder=tr("rounds.recommendations_hint"),
            )
            name = st.text_input(tr("rounds.name"), key="rounds_new_name", placeholder=tr("rounds.name_hint"))
            left, right = st.columns(2)
            quorum = left.number_input(
                tr("rounds.quorum"),
                min_value=1,
                max_value=100,
                value=defaults["quorum"],
                step=5,
                key="rounds_new_quorum",
                help=tr("rounds.quorum_help"),
            )
            rules: dict[str, Any] = {"mode": mode}
            if mode == VotingMode.DELPHI:
                share = right.number_input(
                    tr("rounds.delphi_share"),
                    min_value=1,
                    max_value=100,
                    value=defaults["delphi_share"],
                    step=5,
                    key="rounds_new_share",
                    help=tr("rounds.delphi_share_help"),
                )
                band = st.select_slider(
                    tr("rounds.delphi_band"),
                    options=list(range(1, 10)),
                    value=(7, 9),
                    key="rounds_new_band",
                    help=tr("rounds.delphi_band_help"),
                )
                iqr = left.number_input(
                    tr("rounds.delphi_iqr"),
                    min_value=0.0,
                    max_value=8.0,
                    value=defaults["delphi_iqr"],
                    step=0.5,
                    key="rounds_new_iqr",
                    help=tr("rounds.delphi_iqr_help"),
                )
                reject = right.checkbox(
                    tr("rounds.delphi_reject"),
                    value=True,
                    key="rounds_new_reject",
                    help=tr("rounds.delphi_reject_help"),
                )
                rules.update(
                    delphi_agreement_share=f"{int(share)}/100",
                    delphi_band_low=int(band[0]),
                    delphi_band_high=int(band[1]),
                    delphi_max_iqr=str(iqr),
                    delphi_rejection=bool(reject),
                )
            else:
                threshold = right.selectbox(
                    tr("rounds.threshold"),
                    thresholds,
                    index=thresholds.index(defaults["threshold"]),
                    format_func=labels_for(thresholds, share_text),
                    key="rounds_new_threshold",
                    help=tr("rounds.threshold_help"),
                )
                rules["threshold"] = threshold
            blocks = st.checkbox(
                tr("rounds.blocks"), value=defaults["blocks"], key="rounds_new_blocks", help=tr("rounds.blocks_help")
            )
            flags = st.columns(2)
            anonymous = flags[0].checkbox(
                tr("rounds.anonymous"), key="rounds_new_anonymous", help=tr("rounds.anonymous_help")
            )
            blind = flags[1].checkbox(tr("rounds.blind"), key="rounds_new_blind", help=tr("rounds.blind_help"))
            day_col, time_col = st.columns(2)
            day = day_col.date_input(
                tr("rounds.closes_on"),
                value=None,
                min_value=dt.date.today(),
                key="rounds_new_day",
                help=tr("rounds.closes_help"),
                format="DD.MM.YYYY",
            )
            time = time_col.time_input(tr("rounds.closes_time"), value=dt.time(18, 0), key="rounds_new_time")
            sent = st.form_submit_button(
                tr("rounds.open.submit"), type="primary", key="rounds_open_submit", icon=":material/play_arrow:"
            )
        if not sent:
            return
        if not chosen:
            st.error(tr("rounds.choose_first"))
            return
        rules.update(
            quorum=f"{int(quorum)}/100",
            blocks_prevent_adoption=bool(blocks),
            anonymous=bool(anonymous),
            blind=bool(blind),
        )
        with errors_shown():
            opened = voting_service.open_round(
                db(),
                actor_id=member.user.id,
                roundtable_id=member.roundtable.id,
                recommendation_ids=list(chosen),
                rules=rules,
                name=name or "",
                closes_at=_closing_moment(day, time),
            )
            st.session_state[RESET_NEW] = True
            st.session_state[NEXT_ROUND] = opened.id
            flash("rounds.done.opened", number=opened.number)
            st.rerun()


def close_round_form(
    member: Member, rnd: RoundView, results: RoundResultsView, recs: dict[int, RecommendationView]
) -> None:
    """Close the round in two steps: "Close round N…" (with any block overrides), then "Yes, close it".

    Why two steps: closing freezes the result for good (no vote can change it afterwards), so one click on a
    busy page must not do it. Nothing is sent until the second step; Cancel keeps the round open.
    """
    pending_key = f"{CONFIRM_CLOSE}{rnd.id}"
    blocked = [
        i
        for i in results.items
        if i.overall is not None
        and i.overall.blocked
        and not i.overall.block_override_applied
        and rnd.rules.get("blocks_prevent_adoption", True)
    ]
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
                title = title_of(recs, item.recommendation_id, item.recommendation_number)
                overrides[item.recommendation_id] = st.text_area(
                    tr("rounds.close.override", number=item.recommendation_number, title=title),
                    key=f"rounds_override_{rnd.id}_{item.recommendation_id}",
                    height=80,
                    placeholder=tr("rounds.close.override_hint"),
                )
            sent = st.form_submit_button(
                tr("rounds_ui.close_ask", number=rnd.number),
                type="primary",
                key=f"rounds_close_{rnd.id}",
                icon=":material/lock:",
            )
        if sent:
            st.session_state[pending_key] = {
                rid: text.strip() for rid, text in overrides.items() if text and text.strip()
            }
            st.rerun()


def _confirm_close(member: Member, rnd: RoundView, overrides: dict[int, str]) -> None:
    """The second step: what closing does, then "Yes, close it" or Cancel."""
    pending_key = f"{CONFIRM_CLOSE}{rnd.id}"
    st.warning(tr("rounds_ui.close_confirm", number=rnd.number), icon=":material/warning:")
    if overrides:
        st.caption(tr("rounds_ui.close_overrides", count=len(overrides)))
    row = st.container(horizontal=True, gap="small")
    yes = row.button(
        tr("rounds_ui.close_yes"), type="primary", key=f"rounds_close_yes_{rnd.id}", icon=":material/lock:"
    )
    no = row.button(tr("rounds_ui.close_no"), key=f"rounds_close_no_{rnd.id}")
    if no:
        st.session_state.pop(pending_key, None)
        st.rerun()
    if yes:
        with errors_shown():
            voting_service.close_round(
                db(),
                actor_id=member.user.id,
                round_id=rnd.id,
                block_overrides={int(k): v for k, v in overrides.items()},
            )
            st.session_state.pop(pending_key, None)
            flash("rounds.done.closed", number=rnd.number)
            st.rerun()


def carry_forward_form(member: Member, rnd: RoundView, results: RoundResultsView, rounds: list[RoundView]) -> None:
    undecided = [i for i in results.items if i.overall is not None and i.overall.outcome == Outcome.NO_CONSENSUS]
    if not undecided:
        return
    later = next((r for r in rounds if r.carried_from_round_id == rnd.id), None)
    if later is not None:
        st.caption(tr("rounds.carry.done_already", number=later.number))
        return
    with st.expander(tr("rounds.carry.title", count=len(undecided)), icon=":material/redo:"):
        st.caption(tr("rounds.carry.help"))
        with st.form(f"rounds_carry_form_{rnd.id}", border=False, enter_to_submit=False):
            name = st.text_input(
                tr("rounds.name"), key=f"rounds_carry_name_{rnd.id}", placeholder=tr("rounds.name_hint")
            )
            day_col, time_col = st.columns(2)
            day = day_col.date_input(
                tr("rounds.closes_on"),
                value=None,
                min_value=dt.date.today(),
                key=f"rounds_carry_day_{rnd.id}",
                format="DD.MM.YYYY",
            )
            time = time_col.time_input(
                tr("rounds.closes_time"), value=dt.time(18, 0), key=f"rounds_carry_time_{rnd.id}"
            )
            sent = st.form_submit_button(
                tr("rounds.carry.submit"), type="primary", key=f"rounds_carry_{rnd.id}", icon=":material/redo:"
            )
        if sent:
            with errors_shown():
                opened = voting_service.carry_forward(
                    db(),
                    actor_id=member.user.id,
                    round_id=rnd.id,
                    name=name or "",
                    closes_at=_closing_moment(day, time),
                )
                st.session_state[NEXT_ROUND] = opened.id
                flash("rounds.done.opened", number=opened.number)
                st.rerun()


def csv_download(member: Member, rnd: RoundView) -> None:
    build = partial(votes_csv, db(), actor_id=member.user.id, round_id=rnd.id)
    st.download_button(
        tr("rounds.csv"),
        data=build,
        file_name=f"recdraft-round-{rnd.number}-votes.csv",
        mime="text/csv",
        key=f"rounds_csv_{rnd.id}",
        icon=":material/download:",
        on_click="ignore",
        help=tr("rounds.csv_help"),
    )
