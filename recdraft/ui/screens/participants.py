"""Participants (roundtable administrators): who takes part, who is invited, invitation links, adding and removing.

People are added one by one or from a pasted list (Excel, CSV): the list is previewed first, each problem
named with its line, and imported all at once or not at all. An invitation link is shown when it is
made (the database keeps only a fingerprint of it): a new link can be made at any time, and the old one
then stops working. Removing a person keeps what they wrote, under their name. Every action's service
checks the permission again.
"""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import streamlit as st

from recdraft.domain.csvsafe import neutralise
from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.errors import RecdraftError
from recdraft.i18n import LANGS, LANGUAGE_NAMES, t
from recdraft.schemas.views import (
    ImportResult,
    InvitationLink,
    ParticipantPreview,
    ParticipantView,
    RoundtableView,
    RowProblem,
    UserView,
)
from recdraft.services import notifications
from recdraft.services import participants as participants_service
from recdraft.ui import tables
from recdraft.ui.context import (
    already_submitted,
    db,
    error_message,
    fmt_datetime,
    invite_link,
    lang,
    localized,
    refresh,
    remember_submission,
    require_role,
    tr,
)
from recdraft.ui.render import plain_markdown
from recdraft.ui.widgets.flash import flash, show_flash
from recdraft.ui.widgets.labels import organisation_label

ROLES = tuple(Role)
COLUMNS = ("name", "email", "organisation", "role", "consent", "language")
LINKS = "participants_links_"  # + roundtable id: the links made in this browser session, {invitation id: row}
PREVIEW = "participants_preview_kept"  # (digest of the previewed text, the preview)
FLASH = "participants_flash"
ONE = "participants_one_"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _flash(key: str, **params: object) -> None:
    flash(FLASH, key, **params)


def _show_flash() -> None:
    show_flash(FLASH)


def _role_name(role: str | None) -> str:
    return tr(f"role.{role}") if role in ROLES else (role or "")


def _language_name(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "")


# --- links made in this session --------------------------------------------------------------------------


def _keep_links(links: list[InvitationLink], replacing: list[int | None] | None = None) -> None:
    """Remember new links for this session (shown until hidden; the database keeps only their hash).

    ``replacing``: the invitation each link replaces (a reissued link takes the place of the old one).
    """
    for i, link in enumerate(links):
        kept: dict[int, dict[str, str]] = st.session_state.setdefault(f"{LINKS}{link.roundtable_id}", {})
        old = replacing[i] if replacing and i < len(replacing) else None
        if old is not None:
            kept.pop(old, None)
        kept[link.id] = {
            "name": link.display_name,
            "email": link.email or "",
            "role": link.role,
            "link": invite_link(link.token),
            "expires": fmt_datetime(link.expires_at),
        }


def links_csv(rows: list[dict[str, str]], headers: list[str]) -> bytes:
    """The links as a CSV file a spreadsheet opens safely (no cell runs as a formula); UTF-8 with a BOM for Excel.

    ``rows`` hold name, email, role (already in words), link and expires; ``headers`` name those columns.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(row[c]) for c in ("name", "email", "role", "link", "expires")])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _links_block(rt: RoundtableView) -> None:
    rows = list(st.session_state.get(f"{LINKS}{rt.id}", {}).values())
    if not rows:
        return
    st.subheader(tr("participants.links.heading"))
    st.warning(tr("participants.links.once"), icon=":material/warning:")
    block = "\n".join(
        f"{r['name']} <{r['email']}>\t{r['link']}" if r["email"] else f"{r['name']}\t{r['link']}" for r in rows
    )
    st.code(block, language=None)
    headers = [tr(f"participants.col.{c}") for c in ("name", "email", "role", "link", "expires")]
    in_words = [{**r, "role": _role_name(r["role"])} for r in rows]
    left, right, _ = st.columns([2, 2, 3])
    left.download_button(
        tr("participants.links.download"),
        data=links_csv(in_words, headers),
        file_name=f"invitations-{rt.id}.csv",
        mime="text/csv",
        key="participants_links_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    if right.button(tr("participants.links.forget"), key="participants_links_forget", icon=":material/visibility_off:"):
        st.session_state.pop(f"{LINKS}{rt.id}", None)
        st.rerun()


# --- the list -------------------------------------------------------------------------------------------------


def _status(p: ParticipantView) -> str:
    if p.joined:
        return tr("participants.status.joined")
    if p.expired:
        return tr("participants.status.expired")
    if p.expires_at is not None:
        return tr("participants.status.invited_until", expires=fmt_datetime(p.expires_at))
    return tr("participants.status.invited")


def _list(people: list[ParticipantView], settings: dict | None = None) -> None:
    joined = sum(1 for p in people if p.joined)
    st.caption(tr("participants.count", joined=joined, invited=len(people) - joined))
    if not people:
        st.info(tr("participants.none"))
        return
    tables.dataframe(
        [
            {
                tr("participants.col.name"): p.name,
                tr("participants.col.email"): p.email or "",
                tr("participants.col.organisation"): organisation_label(settings, p.organisation),
                tr("participants.col.role"): _role_name(p.role),
                tr("participants.col.named"): bool(p.consent_named),
                tr("participants.col.language"): _language_name(p.language),
                tr("participants.col.status"): _status(p),
            }
            for p in people
        ],
        hide_index=True,
        key="participants_table",
    )


# --- adding ---------------------------------------------------------------------------------------------------


def _clean_cell(value: str) -> str:
    """One cell of a tab-separated line: no tab or line break inside it."""
    return " ".join(str(value or "").split())


def one_line(name: str, email: str, organisation: str, role: str, consent: bool, language: str) -> str:
    """The form's person as the pasted-list format (with its header row), so both go through one check."""
    cells = [name, email, organisation, role, "yes" if consent else "no", language]  # i18n: not text
    return "\t".join(COLUMNS) + "\n" + "\t".join(_clean_cell(c) for c in cells)


def _problems(container: Any, problems: list[RowProblem], *, with_lines: bool = True) -> None:
    for p in problems:
        field = p.field
        text = p.text(lang())
        if with_lines:
            text = tr("participants.problem.line", line=p.line, message=text)
        if field:
            text = f"{text} ({tr('participants.problem.field', field=_field_name(field))})"
        container.error(text)


def _field_name(field: str) -> str:
    return (
        tr(f"participants.col.{field}")
        if field in {"name", "email", "organisation", "role", "language"}
        else tr("participants.col.named")
        if field in {"consent", "consent_named"}
        else field
    )


def _import(user: UserView, rt: RoundtableView, text: str, where: Any) -> ImportResult | None:
    """Import ``text`` (every row or none); the result, or None after showing why nothing was imported."""
    try:
        result = participants_service.import_participants(db(), actor_id=user.id, roundtable_id=rt.id, text=text)
    except participants_service.ImportRejected as exc:
        where.error(error_message(exc))
        _problems(where, list(exc.problems))
        return None
    except RecdraftError as exc:
        where.error(error_message(exc))
        return None
    _keep_links(result.invitations)
    refresh()
    return result


def _add_one(user: UserView, rt: RoundtableView) -> None:
    with st.form("participants_add_one", enter_to_submit=False):
        st.subheader(tr("participants.add.heading"))
        cols = st.columns(2)
        name = cols[0].text_input(tr("participants.col.name"), key=f"{ONE}name")
        email = cols[1].text_input(tr("participants.col.email"), key=f"{ONE}email")
        organisation = cols[0].text_input(tr("participants.col.organisation"), key=f"{ONE}organisation")
        code = lang()
        role = cols[1].selectbox(
            tr("participants.col.role"),
            ROLES,
            index=ROLES.index(Role.EXPERT),
            format_func=lambda r: t(f"role.{r}", code),
            key=f"{ONE}role",
        )
        language = cols[0].selectbox(
            tr("participants.col.language"), LANGS, format_func=_language_name, key=f"{ONE}language"
        )
        consent = cols[1].checkbox(
            tr("participants.add.consent"), key=f"{ONE}consent", help=tr("participants.add.consent_help")
        )
        submitted = st.form_submit_button(tr("participants.add.submit"), key=f"{ONE}submit", type="primary")
        result = st.container()
    if not submitted:
        return
    text = one_line(name, email, organisation, role, consent, language)
    if already_submitted("participants_one", text):
        return
    try:
        done = participants_service.import_participants(db(), actor_id=user.id, roundtable_id=rt.id, text=text)
    except participants_service.ImportRejected as exc:
        _problems(result, list(exc.problems), with_lines=False)
        return
    except RecdraftError as exc:
        result.error(error_message(exc))
        return
    remember_submission("participants_one", text)
    _keep_links(done.invitations)
    joined_now = bool(done.members_added)
    for key in [k for k in st.session_state if str(k).startswith(ONE)]:
        del st.session_state[key]
    refresh()
    _flash("participants.add.joined" if joined_now else "participants.add.done", name=_clean_cell(name))
    st.rerun()


def _preview_table(preview: ParticipantPreview) -> None:
    if preview.rows:
        tables.dataframe(
            [
                {
                    tr("participants.col.line"): r.line,
                    tr("participants.col.name"): r.name,
                    tr("participants.col.email"): r.email or "",
                    tr("participants.col.organisation"): r.organisation or "",
                    tr("participants.col.role"): _role_name(r.role),
                    tr("participants.col.named"): bool(r.consent_named),
                    tr("participants.col.language"): _language_name(r.language),
                    tr("participants.col.action"): tr(f"participants.action.{r.action}"),
                }
                for r in preview.rows
            ],
            hide_index=True,
            key="participants_preview_table",
        )


def _paste(user: UserView, rt: RoundtableView) -> None:
    st.subheader(tr("participants.paste.heading"))
    st.markdown(tr("participants.paste.help"))
    st.code("\t".join(COLUMNS) + "\n" + tr("participants.paste.example"), language=None)
    text = st.text_area(
        tr("participants.paste.label"),
        key="participants_paste_text",
        height=180,
        help=tr("participants.paste.label_help"),
    )
    digest = _digest(text)
    cols = st.columns([1, 1, 3])
    preview: ParticipantPreview | None
    # Never greyed out: a pasted text reaches the server with the click itself (the text area commits on blur).
    if cols[0].button(tr("participants.paste.preview"), key="participants_preview", icon=":material/preview:"):
        try:
            preview = participants_service.preview_participants(db(), actor_id=user.id, roundtable_id=rt.id, text=text)
        except RecdraftError as exc:
            st.error(error_message(exc))
            st.session_state.pop(PREVIEW, None)
        else:
            st.session_state[PREVIEW] = (digest, preview)
    kept = st.session_state.get(PREVIEW)
    preview = kept[1] if kept and kept[0] == digest else None
    problems = list(preview.problems) if preview is not None else []
    ready = preview is not None and not problems and bool(preview.rows)
    clicked = cols[1].button(
        tr("participants.paste.import"),
        key="participants_import",
        type="primary",
        icon=":material/group_add:",
        disabled=not ready,
    )
    if preview is None:
        if text.strip():
            st.caption(tr("participants.paste.preview_first"))
    else:
        if problems:
            st.error(tr("participants.paste.problems", count=len(problems)))
            _problems(st, problems)
        else:
            st.success(tr("participants.paste.ready", members=preview.members, invitations=preview.invitations))
        _preview_table(preview)
    if clicked and ready:
        if already_submitted("participants_import", digest):
            return
        result = _import(user, rt, text, st.container())
        if result is not None:
            remember_submission("participants_import", digest)
            st.session_state.pop(PREVIEW, None)
            del st.session_state["participants_paste_text"]
            _flash("participants.paste.done", members=len(result.members_added), invitations=len(result.invitations))
            st.rerun()


# --- links and removal ----------------------------------------------------------------------------------------


def _label(p: ParticipantView) -> str:
    return f"{p.name} <{p.email}>" if p.email else p.name


def _reissue(user: UserView, rt: RoundtableView, people: list[ParticipantView]) -> None:
    pending = [p for p in people if not p.joined and p.invitation_id is not None]
    st.subheader(tr("participants.reissue.heading"))
    st.caption(tr("participants.reissue.help"))
    if not pending:
        st.info(tr("participants.reissue.nobody"))
        return
    by_id = {p.invitation_id: p for p in pending}
    cols = st.columns([3, 1, 1], vertical_alignment="bottom")
    labels = {i: _label(p) for i, p in by_id.items()}
    chosen = cols[0].selectbox(
        tr("participants.reissue.who"), list(by_id), format_func=labels.__getitem__, key="participants_reissue_who"
    )
    assert chosen is not None  # the options are not empty
    if cols[1].button(tr("participants.reissue.one"), key="participants_reissue_one", icon=":material/link:"):
        _reissue_many(user, [by_id[chosen]])
    if cols[2].button(
        tr("participants.reissue.withdraw"),
        key="participants_withdraw",
        icon=":material/link_off:",
        help=tr("participants.reissue.withdraw_help"),
    ):
        try:
            participants_service.revoke_invitation(db(), actor_id=user.id, invitation_id=chosen)
        except RecdraftError as exc:
            st.error(error_message(exc))
        else:
            st.session_state.get(f"{LINKS}{rt.id}", {}).pop(chosen, None)
            _flash("participants.reissue.withdrawn", name=by_id[chosen].name)
            st.rerun()
    confirmed = st.checkbox(
        tr("participants.reissue.all_confirm", count=len(pending)), key="participants_reissue_all_confirm"
    )
    if st.button(
        tr("participants.reissue.all", count=len(pending)),
        key="participants_reissue_all",
        icon=":material/link:",
        disabled=not confirmed,
    ):
        _reissue_many(user, pending)


def _reissue_many(user: UserView, people: list[ParticipantView]) -> None:
    made: list[InvitationLink] = []
    replaced: list[int | None] = []
    try:
        for p in people:
            assert p.invitation_id is not None  # pending invitations only
            made.append(participants_service.reissue_invitation(db(), actor_id=user.id, invitation_id=p.invitation_id))
            replaced.append(p.invitation_id)
    except RecdraftError as exc:
        st.error(error_message(exc))
    # The links made before a failure work (their old ones do not): show them whatever happened next.
    _keep_links(made, replaced)
    if made:
        st.session_state.pop("participants_reissue_all_confirm", None)
        _flash("participants.reissue.done", count=len(made))
        st.rerun()


def _remove(user: UserView, rt: RoundtableView, people: list[ParticipantView]) -> None:
    st.subheader(tr("participants.remove.heading"))
    st.caption(tr("participants.remove.help"))
    members = [p for p in people if p.joined and p.user_id is not None and p.user_id != user.id]
    if not members:
        st.info(tr("participants.remove.nobody"))
        return
    by_id = {p.user_id: p for p in members}
    chosen = st.selectbox(
        tr("participants.remove.who"),
        list(by_id),
        format_func={i: f"{_label(p)} · {_role_name(p.role)}" for i, p in by_id.items()}.__getitem__,
        key="participants_remove_who",
    )
    assert chosen is not None  # the options are not empty
    confirmed = st.checkbox(
        tr("participants.remove.confirm", name=by_id[chosen].name), key=f"participants_remove_confirm_{chosen}"
    )
    if st.button(
        tr("participants.remove.submit"),
        key="participants_remove_submit",
        icon=":material/person_remove:",
        disabled=not confirmed,
    ):
        try:
            participants_service.remove_participant(db(), actor_id=user.id, roundtable_id=rt.id, user_id=chosen)
        except RecdraftError as exc:
            st.error(error_message(exc))
            return
        refresh()
        _flash("participants.remove.done", name=by_id[chosen].name)
        st.rerun()


# --- the page -------------------------------------------------------------------------------------------------


def render() -> None:
    member = require_role(Role.ADMIN)
    user, rt = member.user, member.roundtable
    st.title(tr("participants.title"), anchor=False)
    st.caption(plain_markdown(f"{tr('admin.for_roundtable')}: {localized(rt.title)}"))
    _show_flash()
    try:
        people = participants_service.list_participants(db(), actor_id=user.id, roundtable_id=rt.id)
    except RecdraftError as exc:
        st.error(error_message(exc))
        return
    can_change = Action.CONFIGURE in member.actions
    _links_block(rt)
    _list(people, rt.settings)
    if not can_change:
        st.info(tr("participants.read_only", phase=tr(f"phase.{rt.phase}")))
        return
    st.divider()
    # Issue 13: whether invitations go out by mail, or the links must be copied by hand.
    mail_on = notifications.mail_is_on()
    st.info(
        tr("mail.participants.on" if mail_on else "mail.participants.off"),
        icon=":material/mail:" if mail_on else ":material/mail_off:",
    )
    add, paste, links, remove = st.tabs(
        [
            tr("participants.tab.add"),
            tr("participants.tab.paste"),
            tr("participants.tab.links"),
            tr("participants.tab.remove"),
        ],
        key="participants_tabs",
    )
    with add:
        _add_one(user, rt)
    with paste:
        _paste(user, rt)
    with links:
        _reissue(user, rt, people)
    with remove:
        _remove(user, rt, people)
