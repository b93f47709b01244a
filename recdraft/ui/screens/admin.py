"""Administration (roundtable admins; system administrators also manage accounts and backups).

Every action here calls a service that checks the permission again against the database.
"""

from __future__ import annotations

import string
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import streamlit as st

from recdraft.domain.phases import PHASE_ORDER
from recdraft.domain.policy import Action
from recdraft.domain.roles import ModerationMode, Role
from recdraft.errors import RecdraftError
from recdraft.i18n import LANGS, LANGUAGE_NAMES, catalog
from recdraft.i18n.messages import render_value
from recdraft.schemas.views import (
    AuditEventView,
    MembershipView,
    RoundtableView,
    UserView,
)
from recdraft.services import accounts, activity, backup, roundtables
from recdraft.ui import auth, tables
from recdraft.ui.context import (
    already_submitted,
    current_roundtable,
    current_user,
    db,
    error_message,
    errors_shown,
    fmt_datetime,
    fmt_number,
    invite_link,
    lang,
    localized,
    refresh,
    remember_submission,
    show_unexpected_error,
    standing,
    stop_with_sign_in,
    tr,
)
from recdraft.ui.render import plain_markdown
from recdraft.ui.widgets.labels import date_help, labels_for, upload_help
from recdraft.ui.widgets.mail_admin import mail_tab

ROLES = tuple(Role)
# Every phase, in the order a roundtable moves through them (domain.phases.PHASE_ORDER).
PHASES = tuple(PHASE_ORDER)
PENDING_PHASE = "admin_pending_phase"  # a phase change waiting for its confirmation: (roundtable id, from, to)
MODES = tuple(ModerationMode)
AUDIT_LIMIT = 200
AUDIT_PAGE_KEY = "admin_audit_page"
DESCRIPTIVE = ("title", "venue", "organisers", "addressee", "background", "summary")
MULTILINE = {"organisers", "addressee", "background", "summary"}


def _role_names():
    """A ``format_func`` naming the roles in this run's language (see ``labels_for``)."""
    return labels_for(ROLES, lambda r: tr(f"role.{r}"))


def _user_label(user: UserView | MembershipView) -> str:
    return f"{user.display_name} ({user.username})"


def _invite_link(token: str) -> str:
    """The address a new participant opens: this app's origin with ?invite=<token>."""
    return invite_link(token)


# --- accounts (system administrators) ----------------------------------------------------------------


def _users_tab(me: UserView, rt: RoundtableView | None) -> None:
    with errors_shown():
        users = accounts.list_users(db(), actor_id=me.id)
        tables.dataframe(
            [
                {
                    tr("admin.col.username"): u.username,
                    tr("admin.col.name"): u.display_name,
                    tr("admin.col.email"): u.email or "",
                    tr("admin.col.active"): u.is_active,
                    tr("admin.col.system_admin"): u.is_system_admin,
                    tr("setup.admin.col.organiser"): u.is_organiser,
                }
                for u in users
            ],
            hide_index=True,
            key="admin_users_table",
        )
        left, right = st.columns(2, gap="large")
        with left:
            _create_user_form(me, rt)
        with right:
            _change_user(me, users)


def _create_user_form(me: UserView, rt: RoundtableView | None) -> None:
    with st.form("admin_create_user", clear_on_submit=False):
        st.subheader(tr("admin.users.create"))
        username = st.text_input(tr("admin.users.username"), key="admin_new_username", help=tr("invite.username_help"))
        name = st.text_input(tr("admin.users.name"), key="admin_new_name")
        email = st.text_input(tr("admin.users.email"), key="admin_new_email")
        password = st.text_input(
            tr("admin.users.password"),
            type="password",
            key="admin_new_password",
            help=tr("invite.password_help"),
            autocomplete="new-password",
        )
        system_admin = st.checkbox(tr("admin.users.system_admin"), key="admin_new_sysadmin")
        organiser = st.checkbox(
            tr("setup.admin.organiser"), key="admin_new_organiser", help=tr("setup.admin.organiser_help")
        )
        role = None
        if rt is not None:
            role = st.selectbox(
                tr("admin.users.role_here"),
                ("", *ROLES),
                key="admin_new_role",
                format_func=labels_for(("", *ROLES), lambda r: tr(f"role.{r}") if r else tr("admin.users.no_role")),
            )
        submitted = st.form_submit_button(
            tr("admin.users.create_submit"), key="admin_create_user_submit", type="primary"
        )
        problem = st.empty()
    if not submitted or already_submitted("create_user", username):
        return
    try:
        user = accounts.create_user(
            db(),
            actor_id=me.id,
            username=username,
            display_name=name,
            email=email or None,
            password=password,
            is_system_admin=system_admin,
        )
        if organiser:
            accounts.set_organiser(db(), actor_id=me.id, user_id=user.id, organiser=True)
        if rt is not None and role:
            roundtables.set_membership(db(), actor_id=me.id, roundtable_id=rt.id, user_id=user.id, role=role)
    except RecdraftError as exc:
        problem.error(error_message(exc))
        return
    remember_submission("create_user", username)
    problem.success(tr("admin.users.created", username=user.username))


def _organiser_switch(me: UserView, target: UserView, box) -> None:
    """May this person create roundtables? Applied as soon as it is ticked or unticked."""
    current = target.is_organiser
    wanted = box.checkbox(
        tr("setup.admin.organiser"),
        value=current,
        key=f"admin_organiser_{target.id}",
        help=tr("setup.admin.organiser_help"),
    )
    if wanted == current:
        return
    try:
        accounts.set_organiser(db(), actor_id=me.id, user_id=target.id, organiser=wanted)
    except RecdraftError as exc:
        box.error(error_message(exc))
        return
    st.session_state["admin_organiser_flash"] = (target.username, wanted)
    st.rerun()


def _organiser_flash(box) -> None:
    item = st.session_state.pop("admin_organiser_flash", None)
    if item:
        username, wanted = item
        box.success(tr("setup.admin.organiser_on" if wanted else "setup.admin.organiser_off", username=username))


def _change_user(me: UserView, users: list[UserView]) -> None:
    st.subheader(tr("admin.users.change"))
    _organiser_flash(st)
    ids = [u.id for u in users]
    by_id = {u.id: u for u in users}
    chosen = st.selectbox(
        tr("admin.users.person"), ids, format_func=lambda i: _user_label(by_id[i]), key="admin_change_user"
    )
    if chosen is None:
        return
    target = by_id[chosen]
    box = st.container()
    _organiser_switch(me, target, box)
    if target.is_active:
        if box.button(
            tr("admin.users.deactivate"), key="admin_deactivate", icon=":material/block:", disabled=target.id == me.id
        ):
            with errors_shown(box):
                accounts.set_active(db(), actor_id=me.id, user_id=target.id, active=False)
                st.rerun()
        box.caption(tr("admin.users.deactivate_help"))
    elif box.button(tr("admin.users.reactivate"), key="admin_reactivate", icon=":material/check_circle:"):
        with errors_shown(box):
            accounts.set_active(db(), actor_id=me.id, user_id=target.id, active=True)
            st.rerun()
    with st.form("admin_reset_password", clear_on_submit=True):
        new = st.text_input(
            tr("admin.users.new_password"),
            type="password",
            key="admin_reset_value",
            help=tr("invite.password_help"),
            autocomplete="new-password",
        )
        submitted = st.form_submit_button(tr("admin.users.reset"), key="admin_reset_submit")
        problem = st.empty()
    if submitted:
        try:
            accounts.reset_password(db(), actor_id=me.id, user_id=target.id, new_password=new)
        except RecdraftError as exc:
            problem.error(error_message(exc))
        else:
            problem.success(tr("admin.users.reset_done", username=target.username))


# --- participants and roles --------------------------------------------------------------------------


def _roles_tab(me: UserView, rt: RoundtableView) -> None:
    with errors_shown():
        members = roundtables.list_members(db(), actor_id=me.id, roundtable_id=rt.id)
        tables.dataframe(
            [
                {
                    tr("admin.col.name"): m.display_name,
                    tr("admin.col.username"): m.username,
                    tr("admin.col.organisation"): m.organisation,
                    tr("admin.col.role"): tr(f"role.{m.role}"),
                    tr("admin.col.named"): m.consent_named,
                    tr("admin.col.active"): m.is_active,
                }
                for m in members
            ],
            hide_index=True,
            key="admin_members_table",
        )
        people: dict[int, str] = {m.user_id: _user_label(m) for m in members}
        if me.is_system_admin:
            for u in accounts.list_users(db(), actor_id=me.id):
                people.setdefault(u.id, _user_label(u))
        current = {m.user_id: m for m in members}
    if not _configurable(me, rt):
        return
    narrow, _ = st.columns([3, 2])
    with narrow.form("admin_set_role"):
        st.subheader(tr("admin.roles.set"))
        st.caption(tr("admin.roles.help"))
        person = st.selectbox(
            tr("admin.users.person"), list(people), format_func=people.__getitem__, key="admin_role_person"
        )
        role = st.selectbox(tr("admin.col.role"), ROLES, format_func=_role_names(), key="admin_role_value")
        organisation = st.text_input(
            tr("admin.roles.organisation"), key="admin_role_org", help=tr("admin.roles.organisation_help")
        )
        submitted = st.form_submit_button(tr("admin.roles.submit"), key="admin_role_submit", type="primary")
        problem = st.empty()
    if submitted and person is not None:
        try:
            roundtables.set_membership(
                db(),
                actor_id=me.id,
                roundtable_id=rt.id,
                user_id=person,
                role=role,
                organisation=organisation.strip() or None,
            )
        except RecdraftError as exc:
            problem.error(error_message(exc))
        else:
            before = current.get(person)
            refresh()
            problem.success(
                tr("admin.roles.done", person=people[person], role=tr(f"role.{role}"))
                if before is None or before.role != role
                else tr("admin.saved")
            )


# --- invitations --------------------------------------------------------------------------------------


def _configurable(me: UserView, rt: RoundtableView) -> bool:
    """Participants and settings can change in this phase; otherwise say so (an archived roundtable)."""
    found = standing(me, rt.id)
    if found is not None and Action.CONFIGURE in found.actions:
        return True
    st.info(tr("setup.admin.read_only", phase=tr(f"phase.{rt.phase}")), icon=":material/lock:")
    return False


def _invitations_tab(me: UserView, rt: RoundtableView) -> None:
    if not _configurable(me, rt):
        return
    st.caption(tr("admin.invite.help"))
    narrow, _ = st.columns([3, 2])
    with narrow.form("admin_invite"):
        role = st.selectbox(
            tr("admin.col.role"),
            ROLES,
            index=ROLES.index(Role.EXPERT),
            format_func=_role_names(),
            key="admin_invite_role",
        )
        name = st.text_input(tr("admin.invite.name"), key="admin_invite_name")
        email = st.text_input(tr("admin.users.email"), key="admin_invite_email")
        organisation = st.text_input(tr("admin.roles.organisation"), key="admin_invite_org")
        days = st.number_input(
            tr("admin.invite.days"),
            min_value=1,
            max_value=90,
            value=accounts.INVITATION_DAYS,
            step=1,
            key="admin_invite_days",
        )
        submitted = st.form_submit_button(tr("admin.invite.submit"), key="admin_invite_submit", type="primary")
        result = st.container()
    if not submitted or already_submitted("invite", role, name, email, organisation, days):
        return
    try:
        created = accounts.create_invitation(
            db(),
            actor_id=me.id,
            roundtable_id=rt.id,
            role=role,
            display_name=name,
            email=email or None,
            organisation=organisation,
            days=int(days),
        )
    except RecdraftError as exc:
        result.error(error_message(exc))
        return
    remember_submission("invite", role, name, email, organisation, days)
    result.success(tr("admin.invite.created", expires=fmt_datetime(created.expires_at)))
    result.code(_invite_link(created.token), language=None)
    result.warning(tr("admin.invite.once"), icon=":material/warning:")


# --- roundtable settings -------------------------------------------------------------------------------


def _phase_select(rt: RoundtableView) -> str:
    return st.selectbox(
        tr("admin.settings.phase"),
        PHASES,
        index=PHASES.index(rt.phase) if rt.phase in PHASES else 0,
        format_func=labels_for(PHASES, lambda p: tr(f"phase.{p}")),
        key="admin_set_phase",
        help=tr("setup.admin.phase_help"),
    )


def _phase_only(me: UserView, rt: RoundtableView) -> None:
    """Nothing but the phase can change (an archived roundtable): the phase, to bring it back."""
    with st.form("admin_settings"):
        phase = _phase_select(rt)
        submitted = st.form_submit_button(tr("admin.settings.submit"), key="admin_settings_submit", type="primary")
    _phase_confirmation(me, rt)
    if submitted and phase != rt.phase:
        st.session_state[PENDING_PHASE] = (rt.id, rt.phase, phase)
        st.rerun()


def _settings_tab(me: UserView, rt: RoundtableView) -> None:
    if not _configurable(me, rt):
        _phase_only(me, rt)
        return
    with st.form("admin_settings"):
        st.subheader(tr("admin.settings.description"))
        st.caption(tr("admin.settings.description_help"))
        values: dict[str, dict[str, str]] = {field: {} for field in DESCRIPTIVE}
        for code, tab in zip(LANGS, st.tabs([LANGUAGE_NAMES[c] for c in LANGS]), strict=True):
            with tab:
                for field in DESCRIPTIVE:
                    current = getattr(rt, field).get(code, "")
                    widget = st.text_area if field in MULTILINE else st.text_input
                    values[field][code] = widget(
                        tr(f"admin.settings.{field}"), value=current, key=f"admin_set_{field}_{code}"
                    )
        held_on = st.date_input(
            tr("admin.settings.held_on"),
            value=rt.held_on,
            key="admin_set_held_on",
            format="DD.MM.YYYY",
            help=date_help(),
        )
        languages = st.multiselect(
            tr("admin.settings.languages"),
            LANGS,
            default=rt.languages,
            format_func=LANGUAGE_NAMES.__getitem__,
            key="admin_set_languages",
        )
        st.subheader(tr("admin.settings.process"))
        phase = _phase_select(rt)
        mode = st.radio(
            tr("admin.settings.moderation"),
            MODES,
            index=MODES.index(rt.moderation_mode),
            format_func=labels_for(MODES, lambda m: tr(f"admin.settings.moderation_{m}")),
            key="admin_set_mode",
        )
        moderators_vote = st.toggle(
            tr("admin.settings.moderators_vote"),
            value=bool(rt.settings.get("moderators_vote")),
            key="admin_set_modvote",
            help=tr("admin.settings.moderators_vote_help"),
        )
        submitted = st.form_submit_button(tr("admin.settings.submit"), key="admin_settings_submit", type="primary")
        result = st.container()
    _phase_confirmation(me, rt)
    if not submitted:
        return
    changes: dict[str, object] = {}
    for field in DESCRIPTIVE:
        new = {code: text.strip() for code, text in values[field].items() if text and text.strip()}
        if new != getattr(rt, field):
            changes[field] = new
    if held_on != rt.held_on:
        changes["held_on"] = held_on
    if list(languages) != list(rt.languages):
        changes["languages"] = list(languages)
    if mode != rt.moderation_mode:
        changes["moderation_mode"] = mode
    try:
        if changes:
            roundtables.update_roundtable(db(), actor_id=me.id, roundtable_id=rt.id, **changes)
        if moderators_vote != bool(rt.settings.get("moderators_vote")):
            roundtables.update_settings(
                db(), actor_id=me.id, roundtable_id=rt.id, settings={"moderators_vote": moderators_vote}
            )
    except RecdraftError as exc:
        result.error(error_message(exc))
        return
    refresh()
    if phase != rt.phase:
        # A phase change decides what everyone may do: it waits for a confirmation below the form.
        st.session_state[PENDING_PHASE] = (rt.id, rt.phase, phase)
        if changes or moderators_vote != bool(rt.settings.get("moderators_vote")):
            st.session_state["admin_settings_flash"] = True
        st.rerun()
    result.success(tr("admin.saved"))


def _phase_confirmation(me: UserView, rt: RoundtableView) -> None:
    """The pending phase change, applied only once the person confirms it (audited by the service)."""
    if st.session_state.pop("admin_settings_flash", False):
        st.success(tr("admin.saved"))
    done = st.session_state.pop("admin_phase_flash", None)
    if done:
        st.success(tr("setup.admin.phase_done", phase=tr(f"phase.{done}")))
    pending = st.session_state.get(PENDING_PHASE)
    if not pending or pending[0] != rt.id or pending[1] != rt.phase:
        st.session_state.pop(PENDING_PHASE, None)
        return
    _rt_id, before, after = pending
    box = st.container(border=True, key="admin_phase_box")
    box.warning(
        tr("setup.admin.phase_confirm", before=tr(f"phase.{before}"), after=tr(f"phase.{after}")),
        icon=":material/warning:",
    )
    box.caption(tr(f"setup.admin.phase_means.{after}"))
    cols = box.columns([1, 1, 4])
    if cols[0].button(tr("setup.admin.phase_apply"), key="admin_phase_confirm", type="primary"):
        st.session_state.pop(PENDING_PHASE, None)
        try:
            roundtables.set_phase(db(), actor_id=me.id, roundtable_id=rt.id, phase=after)
        except RecdraftError as exc:
            box.error(error_message(exc))
            return
        refresh()
        st.session_state["admin_phase_flash"] = after
        st.rerun()
    if cols[1].button(tr("setup.admin.phase_cancel"), key="admin_phase_cancel"):
        st.session_state.pop(PENDING_PHASE, None)
        st.session_state.pop("admin_set_phase", None)
        st.rerun()


# --- audit log ------------------------------------------------------------------------------------------


def _day_start(value: date) -> datetime:
    return datetime.combine(value, time.min, tzinfo=UTC)


def _audit_tab(me: UserView, rt: RoundtableView) -> None:
    with errors_shown():
        members = roundtables.list_members(db(), actor_id=me.id, roundtable_id=rt.id)
    people = {0: tr("admin.audit.everyone"), **{m.user_id: _user_label(m) for m in members}}
    with st.form("admin_audit_filters"):
        cols = st.columns([2, 2, 2, 1], vertical_alignment="bottom")
        prefix = cols[0].text_input(
            tr("admin.audit.action"),
            key="admin_audit_prefix",
            placeholder="recommendation.",  # i18n: not text
            help=tr("admin.audit.action_help"),
        )
        person = cols[1].selectbox(
            tr("admin.audit.person"), list(people), format_func=people.__getitem__, key="admin_audit_person"
        )
        dates = cols[2].date_input(
            tr("admin.audit.dates"), value=[], key="admin_audit_dates", format="DD.MM.YYYY", help=date_help(span=True)
        )
        if cols[3].form_submit_button(tr("admin.audit.apply"), key="admin_audit_submit"):
            st.session_state[AUDIT_PAGE_KEY] = 1  # new filters start on the first page
    since = until = None
    if isinstance(dates, (tuple, list)) and dates:
        since = _day_start(dates[0])
        until = _day_start(dates[-1]) + timedelta(days=1)
    # Pages of AUDIT_LIMIT rows (issue 18): one row more than a page tells whether another page follows.
    page = int(st.session_state.get(AUDIT_PAGE_KEY, 1) or 1)
    with errors_shown():
        events = activity.audit_log(
            db(),
            actor_id=me.id,
            roundtable_id=rt.id,
            action_prefix=prefix.strip() or None,
            actor_filter=person or None,
            since=since,
            until=until,
            limit=AUDIT_LIMIT + 1,
            offset=(page - 1) * AUDIT_LIMIT,
        )
        more = len(events) > AUDIT_LIMIT
        events = events[:AUDIT_LIMIT]
        if not events and page == 1:
            st.info(tr("admin.audit.none"))
            return
        nav = st.container(horizontal=True, gap="small", vertical_alignment="center")
        if nav.button(
            tr("friction.page_prev"), key="admin_audit_prev", disabled=page <= 1, icon=":material/chevron_left:"
        ):
            st.session_state[AUDIT_PAGE_KEY] = page - 1
            st.rerun()
        nav.caption(
            tr(
                "friction.audit_page",
                page=fmt_number(page),
                first=fmt_number((page - 1) * AUDIT_LIMIT + 1),
                last=fmt_number((page - 1) * AUDIT_LIMIT + len(events)),
            )
        )
        if nav.button(
            tr("friction.page_next"), key="admin_audit_next", disabled=not more, icon=":material/chevron_right:"
        ):
            st.session_state[AUDIT_PAGE_KEY] = page + 1
            st.rerun()
        tables.dataframe([audit_row(e) for e in events], hide_index=True, key="admin_audit_table")


# The audit log reads as sentences in the interface language: who did what (the activity feed's sentence,
# else the action's label), what it was about and its details, written by ``services.activity``.


def _filled(key: str, values: dict[str, Any]) -> str:
    """The catalogue text ``key`` with every placeholder it names filled (an unknown one shows "—")."""
    code = lang()
    text = catalog()[key].get(code) or catalog()[key]["en"]
    names = {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(text) if field}
    return text.format(**{name: render_value(values.get(name, "—"), code) for name in names})


def _program_word(prefix: str, value: str) -> str:
    key = f"{prefix}.{value}"
    return tr(key) if key in catalog() else value


def audit_text(event: AuditEventView) -> str:
    """Who did what, as a sentence in the interface language: the activity feed's sentence
    (``activity.<action>``) when there is one, else the action's label (``audit.action.<action>``)."""
    who = event.actor_name or tr("activity.someone")
    details = event.details or {}
    to = details.get("to")
    values = {**{k: v for k, v in details.items() if not isinstance(v, (dict, list))}, "actor": who}
    if isinstance(to, str):
        values.update(phase=_program_word("phase", to), role=_program_word("role", to))
    key = f"activity.{event.action}"
    if key in catalog():
        return _filled(key, values)
    return activity.audit_action_text(event.action, lang())


def audit_row(event: AuditEventView) -> dict[str, str]:
    """One row of the audit log's table."""
    code = lang()
    about = activity.audit_object_text(event, code) or "—"
    return {
        tr("admin.audit.col.at"): fmt_datetime(event.at),
        tr("admin.audit.col.person"): event.actor_name or "—",
        tr("admin.audit.col.action"): audit_text(event),
        tr("admin.audit.col.object"): about[:1].upper() + about[1:],  # a cell starts with a capital
        tr("admin.audit.col.details"): activity.audit_details_text(event, code),
    }


# --- backup -----------------------------------------------------------------------------------------------


def _backup_tab(me: UserView) -> None:
    st.subheader(tr("admin.backup.download_heading"))
    st.caption(tr("admin.backup.download_help"))

    def make_backup() -> bytes:
        return backup.backup(db(), actor_id=me.id)

    st.download_button(
        tr("admin.backup.download"),
        data=make_backup,
        file_name=f"recdraft-backup-{date.today():%Y-%m-%d}.json",
        mime="application/json",
        key="admin_backup_download",
        icon=":material/download:",
        on_click="ignore",
    )
    st.divider()
    st.subheader(tr("admin.backup.restore_heading"))
    st.warning(tr("admin.backup.restore_help"), icon=":material/warning:")
    upload = st.file_uploader(
        tr("admin.backup.file"), type=["json"], key="admin_restore_file", help=upload_help(["json"])
    )
    confirmed = st.checkbox(tr("admin.backup.replace_confirm"), key="admin_restore_confirm")
    if st.button(
        tr("admin.backup.restore"), key="admin_restore_submit", type="primary", disabled=upload is None or not confirmed
    ):
        with errors_shown():
            assert upload is not None  # the button is disabled without a file
            counts = backup.restore(db(), actor_id=me.id, data=upload.getvalue(), replace=True)
            # The restore ended every session, this one's too: forget it here, so the next click signs in.
            auth.end_session()
            st.success(tr("admin.backup.restored", rows=fmt_number(sum(counts.values())), tables=len(counts)))


# --- the page -----------------------------------------------------------------------------------------------


def render() -> None:
    me = current_user()
    if me is None:
        stop_with_sign_in()
    try:
        rt = current_roundtable(me)
        found = standing(me, rt.id) if rt is not None else None
        role = found.role if found is not None else None
    except Exception as exc:  # noqa: BLE001 - a bad stored row must not take the restore control with it
        if not me.is_system_admin:
            raise
        show_unexpected_error(exc)
        rt, role = None, None
    if role != Role.ADMIN and not me.is_system_admin:
        st.warning(tr("core.not_allowed"))
        st.stop()
    st.title(tr("admin.title"), anchor=False)
    if rt is not None:
        st.caption(plain_markdown(f"{tr('admin.for_roundtable')}: {localized(rt.title)}"))
    names: list[str] = []
    if me.is_system_admin:
        names.append("users")
    if rt is not None:
        names += ["roles", "invitations", "settings", "audit"]
    if me.is_system_admin:
        names.append("backup")
    tabs = dict(zip(names, st.tabs([tr(f"admin.tab.{n}") for n in names], key="admin_tabs"), strict=True))
    for name, tab in tabs.items():
        with tab:
            try:
                _tab(name, me, rt)
            except Exception as exc:  # noqa: BLE001 - one broken tab must not hide the others (the restore above all)
                if name == "backup":
                    raise
                show_unexpected_error(exc)


def _tab(name: str, me: UserView, rt: RoundtableView | None) -> None:
    if name == "users":
        _users_tab(me, rt)
        st.divider()
        mail_tab(me)  # issue 13: is mail on, and the addresses the mail server refused
    elif name == "backup":
        _backup_tab(me)
    elif rt is None:
        return  # the roundtable's own tabs are listed only with a roundtable (see render)
    elif name == "roles":
        _roles_tab(me, rt)
    elif name == "invitations":
        _invitations_tab(me, rt)
    elif name == "settings":
        _settings_tab(me, rt)
    elif name == "audit":
        _audit_tab(me, rt)
