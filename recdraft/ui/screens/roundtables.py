"""Roundtables: the ones I take part in, a new one, the next one from this one, archiving a finished one.

Organisers and system administrators create roundtables (and start the next one from one they run);
a roundtable's administrators archive it. A person who takes part in no roundtable yet sees why the
list is empty. Every action calls a service that checks the permission again against the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from recdraft.domain.policy import Action
from recdraft.domain.roles import ModerationMode, Phase, Role
from recdraft.errors import RecdraftError
from recdraft.i18n import LANGS, LANGUAGE_NAMES, t
from recdraft.schemas.views import RoundtableView, UserView
from recdraft.services import roundtables
from recdraft.ui import tables
from recdraft.ui.context import (
    already_submitted,
    choose_roundtable,
    current_role,
    current_roundtable,
    current_user,
    db,
    error_message,
    fmt_date,
    lang,
    list_my_roundtables,
    localized,
    refresh,
    remember_submission,
    standing,
    stop_with_sign_in,
    tr,
)
from recdraft.ui.widgets.flash import flash, show_flash
from recdraft.ui.widgets.labels import date_help

STARTING_PHASES = (Phase.SETUP, Phase.DRAFTING)
MODES = tuple(ModerationMode)
MEMO_LANGUAGES = (*LANGS, "kk+ru")
# The per-language fields of a new roundtable, in the order of the form; True: several lines.
PER_LANGUAGE = {
    "title": False,
    "venue": False,
    "organisers": True,
    "addressee": True,
    "signatory_name": False,
    "signatory_position": False,
}
VOTING_DEFAULTS = {"quorum": "1/2", "threshold": "2/3", "delphi_agreement_share": "7/10", "delphi_max_iqr": "2"}
TOPIC_COLUMNS = ("key", *LANGS)
NEW = "rt_new_"  # the widget keys of the new-roundtable form
COPY = "rt_copy_"
FLASH = "roundtables_flash"


def may_create(user: UserView) -> bool:
    """Organisers and system administrators create roundtables (the service decides again)."""
    return bool(user.is_system_admin or user.is_organiser)


def _labels(key_of: Callable[[str], str]) -> Callable[[str], str]:
    """An option's label in the language of this run, whenever it is asked for (a widget keeps the function)."""
    code = lang()
    return lambda value: t(key_of(value), code)


def _actions(user: UserView, rt: RoundtableView) -> frozenset[Action]:
    """What the person may do in ``rt`` now (their standing, from the service)."""
    found = standing(user, rt.id)
    return found.actions if found is not None else frozenset()


def _phase_name(phase: str) -> str:
    return tr(f"phase.{phase}")


def _flash(key: str, **params: object) -> None:
    flash(FLASH, key, **params)


def _show_flash() -> None:
    show_flash(FLASH)


def _forget_form(prefix: str) -> None:
    """Empty a form after it succeeded (its widgets start again from their defaults on the next run)."""
    for key in [k for k in st.session_state if str(k).startswith(prefix)]:
        del st.session_state[key]


# --- the list ----------------------------------------------------------------------------------------------


def _list(user: UserView, mine: list[RoundtableView], current: RoundtableView | None) -> None:
    if not mine:
        st.info(tr("roundtables.none_yet_create") if may_create(user) else tr("roundtables.none_yet"))
        return
    rows = []
    for rt in mine:
        role = current_role(user, rt.id)
        rows.append(
            {
                tr("roundtables.col.title"): localized(rt.title),
                tr("roundtables.col.date"): fmt_date(rt.held_on),
                tr("roundtables.col.phase"): _phase_name(rt.phase),
                tr("roundtables.col.role"): tr(f"role.{role}") if role else "",
                tr("roundtables.col.languages"): ", ".join(
                    LANGUAGE_NAMES[c] for c in rt.languages if c in LANGUAGE_NAMES
                ),
                tr("roundtables.col.current"): current is not None and rt.id == current.id,
            }
        )
    tables.dataframe(rows, hide_index=True, key="roundtables_table")
    if len(mine) > 1 and current is not None:
        ids = [rt.id for rt in mine]
        titles = {rt.id: f"{localized(rt.title)} · {fmt_date(rt.held_on)}" for rt in mine}
        cols = st.columns([3, 1], vertical_alignment="bottom")
        chosen = cols[0].selectbox(
            tr("roundtables.work_on"),
            ids,
            index=ids.index(current.id),
            format_func=titles.__getitem__,
            key="roundtables_choose",
        )
        if cols[1].button(tr("roundtables.open"), key="roundtables_open", disabled=chosen == current.id):
            choose_roundtable(chosen)
            st.rerun()


# --- a new roundtable ------------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def topics_from_table(table: Any) -> list[dict[str, Any]]:
    """The topics typed in the editable table: rows with a label or a code (the service makes missing codes)."""
    records = table.to_dict("records") if isinstance(table, pd.DataFrame) else list(table or [])
    out: list[dict[str, Any]] = []
    for row in records:
        labels = {code: _cell(row.get(code)) for code in LANGS if _cell(row.get(code))}
        key = _cell(row.get("key"))
        if labels or key:
            out.append({"key": key, "labels": labels} if key else {"labels": labels})
    return out


def _per_language_fields(prefix: str, defaults: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    values: dict[str, dict[str, str]] = {field: {} for field in PER_LANGUAGE}
    for code, tab in zip(LANGS, st.tabs([LANGUAGE_NAMES[c] for c in LANGS]), strict=True):
        with tab:
            for field, multiline in PER_LANGUAGE.items():
                label, key = tr(f"roundtables.field.{field}"), f"{prefix}{field}_{code}"
                value = defaults.get(field, {}).get(code, "")
                values[field][code] = (
                    st.text_area(label, value=value, key=key, height=80)
                    if multiline
                    else st.text_input(label, value=value, key=key)
                )
    return values


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {code: text.strip() for code, text in values.items() if text and text.strip()}


def _new_form(user: UserView) -> None:
    st.caption(tr("roundtables.new.help"))
    addressee = {code: t("roundtables.default_addressee", code) for code in LANGS}
    with st.form("roundtables_new", clear_on_submit=False, enter_to_submit=False):
        st.subheader(tr("roundtables.new.description"))
        values = _per_language_fields(NEW, {"addressee": addressee})
        held_on = st.date_input(
            tr("roundtables.field.held_on"),
            value=date.today(),
            key=f"{NEW}held_on",
            format="DD.MM.YYYY",
            help=date_help(),
        )
        st.subheader(tr("roundtables.new.languages"))
        cols = st.columns(3)
        languages = cols[0].multiselect(
            tr("roundtables.field.languages"),
            LANGS,
            default=list(LANGS),
            format_func=LANGUAGE_NAMES.__getitem__,
            key=f"{NEW}languages",
            help=tr("roundtables.field.languages_help"),
        )
        memo_name = _labels(lambda c: "roundtables.memo_bilingual")
        memo_languages = cols[1].multiselect(
            tr("roundtables.field.memo_languages"),
            MEMO_LANGUAGES,
            default=list(LANGS),
            format_func=lambda c: memo_name(c) if c == "kk+ru" else LANGUAGE_NAMES[c],
            key=f"{NEW}memo_languages",
            help=tr("roundtables.field.memo_languages_help"),
        )
        record_language = cols[2].selectbox(
            tr("roundtables.field.record_language"),
            LANGS,
            index=LANGS.index("en"),
            format_func=LANGUAGE_NAMES.__getitem__,
            key=f"{NEW}record_language",
            help=tr("roundtables.field.record_language_help"),
        )
        st.subheader(tr("roundtables.new.process"))
        process_cols = st.columns(2)
        phase = process_cols[0].radio(
            tr("roundtables.field.phase"),
            STARTING_PHASES,
            format_func=_labels(lambda p: f"phase.{p}"),
            key=f"{NEW}phase",
            help=tr("roundtables.field.phase_help"),
        )
        mode = process_cols[1].radio(
            tr("roundtables.field.moderation"),
            MODES,
            format_func=_labels(lambda m: f"admin.settings.moderation_{m}"),
            key=f"{NEW}mode",
        )
        st.markdown(tr("roundtables.new.voting"))
        voting_cols = st.columns(4)
        voting = {
            name: voting_cols[i].text_input(
                tr(f"roundtables.field.{name}"),
                value=default,
                key=f"{NEW}{name}",
                help=tr(f"roundtables.field.{name}_help"),
            )
            for i, (name, default) in enumerate(VOTING_DEFAULTS.items())
        }
        blocks = st.checkbox(tr("roundtables.field.blocks_prevent_adoption"), value=True, key=f"{NEW}blocks")
        st.subheader(tr("roundtables.new.topics"))
        st.caption(tr("roundtables.new.topics_help"))
        table = st.data_editor(
            pd.DataFrame({c: pd.Series(dtype="str") for c in TOPIC_COLUMNS}),
            num_rows="dynamic",
            key=f"{NEW}topics",
            hide_index=True,
            width="stretch",
            column_config={
                "key": st.column_config.TextColumn(tr("roundtables.topic.key"), help=tr("roundtables.topic.key_help")),
                **{c: st.column_config.TextColumn(LANGUAGE_NAMES[c]) for c in LANGS},
            },
        )
        st.subheader(tr("roundtables.new.memo"))
        references = st.text_area(
            tr("roundtables.field.legal_references"),
            key=f"{NEW}references",
            help=tr("roundtables.field.legal_references_help"),
        )
        number = st.text_input(
            tr("roundtables.field.outgoing_number"), key=f"{NEW}number", placeholder="№ 01-12/345"
        )  # i18n: not text
        submitted = st.form_submit_button(tr("roundtables.new.submit"), key=f"{NEW}submit", type="primary")
        problem = st.container()
    if not submitted:
        return
    signatory = {"name": _texts(values["signatory_name"]), "position": _texts(values["signatory_position"])}
    settings: dict[str, Any] = {
        "record_language": record_language,
        "memo_languages": list(memo_languages),
        "voting_defaults": {**{k: v.strip() for k, v in voting.items()}, "blocks_prevent_adoption": bool(blocks)},
        "topics": topics_from_table(table),
        "legal_references": [line.strip() for line in references.splitlines() if line.strip()],
        "signatory": signatory,
        "outgoing_number": number.strip(),
    }
    fields: dict[str, Any] = dict(
        title=_texts(values["title"]),
        held_on=held_on,
        venue=_texts(values["venue"]),
        organisers=_texts(values["organisers"]),
        addressee=_texts(values["addressee"]),
        languages=list(languages),
        moderation_mode=mode,
        phase=phase,
    )
    fingerprint = (repr(fields), repr(settings))
    if already_submitted("create_roundtable", *fingerprint):
        return
    try:
        created = roundtables.create_roundtable(db(), actor_id=user.id, settings=settings, **fields)
    except RecdraftError as exc:
        problem.error(error_message(exc))
        return
    remember_submission("create_roundtable", *fingerprint)
    choose_roundtable(created.id)
    refresh()
    _forget_form(NEW)
    _flash("roundtables.new.created", title=localized(created.title))
    st.rerun()


# --- the next roundtable from this one -----------------------------------------------------------------------


def _copy_form(user: UserView, sources: list[RoundtableView], current: RoundtableView | None) -> None:
    st.caption(tr("roundtables.copy.help"))
    ids = [rt.id for rt in sources]
    titles = {rt.id: f"{localized(rt.title)} · {fmt_date(rt.held_on)}" for rt in sources}
    start = ids.index(current.id) if current is not None and current.id in ids else 0
    with st.form("roundtables_copy", enter_to_submit=False):
        source = st.selectbox(
            tr("roundtables.copy.source"), ids, index=start, format_func=titles.__getitem__, key=f"{COPY}source"
        )
        title: dict[str, str] = {}
        for code, col in zip(LANGS, st.columns(len(LANGS)), strict=True):
            title[code] = col.text_input(
                f"{tr('roundtables.field.title')} · {LANGUAGE_NAMES[code]}", key=f"{COPY}title_{code}"
            )
        held_on = st.date_input(
            tr("roundtables.field.held_on"),
            value=date.today(),
            key=f"{COPY}held_on",
            format="DD.MM.YYYY",
            help=date_help(),
        )
        participants = st.checkbox(tr("roundtables.copy.participants"), value=True, key=f"{COPY}participants")
        recommendations = st.checkbox(
            tr("roundtables.copy.recommendations"),
            value=False,
            key=f"{COPY}recommendations",
            help=tr("roundtables.copy.recommendations_help"),
        )
        submitted = st.form_submit_button(tr("roundtables.copy.submit"), key=f"{COPY}submit", type="primary")
        problem = st.container()
    if not submitted or source is None:
        return
    values = (source, repr(_texts(title)), held_on, participants, recommendations)
    if already_submitted("copy_roundtable", *values):
        return
    try:
        created = roundtables.copy_roundtable(
            db(),
            actor_id=user.id,
            source_id=source,
            title=_texts(title),
            held_on=held_on,
            participants=participants,
            recommendations=recommendations,
        )
    except RecdraftError as exc:
        problem.error(error_message(exc))
        return
    remember_submission("copy_roundtable", *values)
    choose_roundtable(created.id)
    refresh()
    _forget_form(COPY)
    _flash("roundtables.copy.created", title=localized(created.title))
    st.rerun()


# --- archiving ------------------------------------------------------------------------------------------------


def _archive(user: UserView, candidates: list[RoundtableView], current: RoundtableView | None) -> None:
    st.caption(tr("roundtables.archive.help"))
    if not candidates:
        st.info(tr("roundtables.archive.nothing"))
        return
    ids = [rt.id for rt in candidates]
    titles = {rt.id: f"{localized(rt.title)} · {_phase_name(rt.phase)}" for rt in candidates}
    start = ids.index(current.id) if current is not None and current.id in ids else 0
    chosen = st.selectbox(
        tr("roundtables.archive.which"),
        ids,
        index=start,
        format_func=titles.__getitem__,
        key="roundtables_archive_which",
    )
    confirmed = st.checkbox(tr("roundtables.archive.confirm"), key=f"roundtables_archive_confirm_{chosen}")
    if st.button(
        tr("roundtables.archive.submit"),
        key="roundtables_archive_submit",
        icon=":material/inventory_2:",
        disabled=not confirmed,
    ):
        try:
            roundtables.set_phase(db(), actor_id=user.id, roundtable_id=chosen, phase=Phase.ARCHIVED)
        except RecdraftError as exc:
            st.error(error_message(exc))
            return
        refresh()
        _flash("roundtables.archive.done", title=titles[chosen].split(" · ")[0])
        st.rerun()


# --- the page -----------------------------------------------------------------------------------------------


def render() -> None:
    user = current_user()
    if user is None:
        stop_with_sign_in()
    mine = list_my_roundtables(user)
    current = current_roundtable(user)
    administered = [rt for rt in mine if current_role(user, rt.id) == Role.ADMIN]
    creator = may_create(user)
    if mine and not creator and not administered:
        st.warning(tr("core.not_allowed"))
        st.stop()
    st.title(tr("roundtables.title"), anchor=False)
    _show_flash()
    names = ["list"]
    if creator:
        names.append("new")
        if administered:
            names.append("copy")
    archivable = [rt for rt in administered if rt.phase != Phase.ARCHIVED and Action.CHANGE_PHASE in _actions(user, rt)]
    if administered:
        names.append("archive")
    tabs = dict(zip(names, st.tabs([tr(f"roundtables.tab.{n}") for n in names], key="roundtables_tabs"), strict=True))
    for name, tab in tabs.items():
        with tab:
            if name == "list":
                _list(user, mine, current)
            elif name == "new":
                _new_form(user)
            elif name == "copy":
                _copy_form(user, administered, current)
            elif name == "archive":
                _archive(user, archivable, current)
