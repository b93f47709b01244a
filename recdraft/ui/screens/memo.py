"""Memo (roundtable administrators): what blocks a final version, building and downloading every variant
and language, the snapshots of final memos, and the memo's settings.

A memo is built only when the administrator asks for it (one variant in one language per click, with a
progress bar fed by the export's ``progress`` callback); the bytes are then kept in this session and
offered for download. A "final" build with nothing blocking it stores a frozen snapshot and shows its
SHA-256; redlines and comparisons are made against the latest snapshot or one chosen from the list.
The export service re-checks the administrator role on every build.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import streamlit as st

from recdraft.domain.roles import Role
from recdraft.domain.text import clean_text
from recdraft.i18n import LANGS
from recdraft.schemas.views import RoundtableView
from recdraft.services import memo as memo_service
from recdraft.services import roundtables as roundtable_service
from recdraft.services.memo import (
    FIRST_DRAFTS,
    FORMATS,
    LANGUAGES,
    VARIANTS,
    BlockerView,
    ExportResult,
    MemoStatusView,
    SnapshotView,
)
from recdraft.ui import tables
from recdraft.ui.context import (
    db,
    errors_shown,
    fmt_datetime,
    fmt_number,
    require_role,
    tr,
)
from recdraft.ui.render import escape_markdown, user_text_markdown
from recdraft.ui.widgets.labels import labels_for, language_name
from recdraft.ui.widgets.memo_check import memo_check, research_download
from recdraft.ui.widgets.page import flash, show_flash

FILES_KEY = "memo_files"
MAX_FILES = len(VARIANTS) * len(LANGUAGES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SETTING_LANGS = LANGS
# The "compared with" choice besides snapshot ids (which start at 1).
LATEST = 0  # the default: the last snapshot sent to parliament, else the first drafts
FIRST = -1  # each recommendation's first draft (stays available after a final memo exists)

# The export speaks English to its callers; these patterns give each message its catalogue key.
_PROGRESS = [
    (re.compile(r"Reading the roundtable"), "memo.progress.reading"),
    (re.compile(r"Opening the template"), "memo.progress.template"),
    (re.compile(r"Title page"), "memo.progress.title_page"),
    (re.compile(r"Recommendation (?P<n>\d+) of (?P<total>\d+)"), "memo.progress.recommendation"),
    (re.compile(r"Recommendations"), "memo.progress.recommendations"),
    (re.compile(r"Annexes"), "memo.progress.annexes"),
    (re.compile(r"Header, footer and properties"), "memo.progress.header"),
    (re.compile(r"Saving"), "memo.progress.saving"),
    (re.compile(r"Laying out the pages in LibreOffice"), "memo.progress.layout"),
    (re.compile(r"Done"), "memo.progress.done"),
]
_MESSAGES = [
    (
        re.compile(
            r"Recommendation (?P<n>\d+) has no text in '(?P<language>[\w+]+)'; rendered from '(?P<source>[\w+]+)'\."
        ),
        "memo.warn.missing_lang",
    ),
    (
        re.compile(r"Recommendation (?P<n>\d+) has no text in '(?P<language>[\w+]+)'; its column says so\."),
        "memo.warn.missing_column",
    ),
    (
        re.compile(
            r"Recommendation (?P<n>\d+) has no earlier '(?P<language>[\w+]+)' text; shown without tracked changes\."
        ),
        "memo.warn.no_earlier",
    ),
    (
        re.compile(r"Recommendation (?P<n>\d+) has no earlier '(?P<language>[\w+]+)' text for the comparison table\."),
        "memo.warn.no_earlier_comparison",
    ),
    (re.compile(r"No snapshot has been sent to parliament yet: .*"), "memo.warn.no_snapshot"),
    (re.compile(r"Changes are shown against each recommendation's first draft\."), "memo.warn.first_drafts"),
    (re.compile(r"The contents could not be given page numbers .*"), "memo.warn.no_page_numbers"),
    (re.compile(r"The contents have no page numbers: .*"), "memo.warn.no_page_numbers"),
    (re.compile(r"The memo is final but has no snapshot SHA-256 to print\."), "memo.warn.no_sha"),
    (re.compile(r"No recommendation has been adopted yet.*"), "memo.blocker.nothing_adopted"),
    (
        re.compile(
            r"Recommendation (?P<n>\d+) \(no\. (?P<number>\d+) in the roundtable\) has (?P<count>\d+) "
            r"comment\(s\) awaiting moderation\..*"
        ),
        "memo.blocker.comments",
    ),
    (
        re.compile(
            r"Recommendation (?P<n>\d+) \(no\. (?P<number>\d+) in the roundtable\) has no closed vote that "
            r"met its rule\..*"
        ),
        "memo.blocker.no_vote",
    ),
]


def _translated(message: str, table: list[tuple[re.Pattern[str], str]], fallback: str | None = None) -> str:
    """A service message in the interface language when it is one we know; else ``fallback`` or as it came."""
    for pattern, key in table:
        found = pattern.fullmatch(message.strip())
        if found:
            params = {k: (language_name(v) if k in ("language", "source") else v) for k, v in found.groupdict().items()}
            return tr(key, **params)
    return fallback if fallback is not None else message


def variant_label(variant: str) -> str:
    return tr(f"memo.variant.{variant}")


def memo_language_label(code: str) -> str:
    return tr("memo.lang.kk_ru") if code == "kk+ru" else language_name(code)


# ----------------------------------------------------------------------------- status


def _status(status: MemoStatusView) -> None:
    st.subheader(tr("memo.status.title"), anchor=False)
    if status.can_be_final:
        st.success(tr("memo.status.ready", count=len(status.included)), icon=":material/verified:")
        return
    st.warning(tr("memo.status.blocked", count=len(status.blockers)), icon=":material/block:")
    st.markdown("\n".join(f"- {escape_markdown(_blocker_text(b))}" for b in status.blocking))
    st.caption(tr("memo.status.draft_note", count=len(status.included)))


def _blocker_text(b: BlockerView) -> str:
    """What blocks the final memo and who can clear it, in the interface language."""
    if b.kind == "translation":  # which recommendation, language and fields (issue 10, item 7)
        from recdraft.services.translations import translation_blocker_text
        from recdraft.ui.context import lang as interface_language

        return translation_blocker_text(b, interface_language())
    what = tr(f"memo.blocker.{b.kind}", n=b.memo_number or "", number=b.roundtable_number or "", count=b.count or 0)
    return f"{what} {tr(f'memo.cleared_by.{b.cleared_by}')}"


# ----------------------------------------------------------------------------- build and download


def _snapshot_label(snapshots: list[SnapshotView]) -> Any:
    sent = next(
        (
            s
            for s in sorted(
                snapshots, key=lambda s: (s.sent_at is not None, s.sent_at or s.created_at, s.id), reverse=True
            )
            if s.sent_at is not None
        ),
        None,
    )
    table: dict[int, str] = {
        LATEST: tr("memo.against.last_sent", id=sent.id, when=fmt_datetime(sent.sent_at))
        if sent is not None and sent.sent_at is not None
        else tr("memo.against.default_first"),
        FIRST: tr("memo.against.first"),
    }
    for s in snapshots:
        key = "memo.against.snapshot_sent" if s.sent_at else "memo.against.snapshot"
        table[s.id] = tr(key, id=s.id, when=fmt_datetime(s.created_at), language=memo_language_label(s.lang))
    return table.__getitem__


def _against(choice: int | None) -> int | str | None:
    """The export service's ``against`` for the page's choice."""
    if not choice:
        return None
    return FIRST_DRAFTS if choice == FIRST else choice


def _build(
    member: Any, variant: str, code: str, against: int | None, fmt: str = "docx", page_numbers: bool = False
) -> None:
    """Build one memo with a progress bar; keep the file in this session for download."""
    result: ExportResult | None = None
    with st.status(
        tr("memo.building", variant=variant_label(variant), language=memo_language_label(code)), expanded=True
    ) as box:
        bar = st.progress(0.0, text=tr("memo.progress.reading"))

        def progress(fraction: float, message: str) -> None:
            bar.progress(
                min(max(float(fraction), 0.0), 1.0),
                text=_translated(message, _PROGRESS, fallback=tr("memo.progress.working")),
            )

        with errors_shown(box):
            result = memo_service.export_memo(
                db(),
                actor_id=member.user.id,
                roundtable_id=member.roundtable.id,
                lang=code,
                variant=variant,
                against=_against(against) if variant in ("redline", "comparison") else None,
                progress=progress,
                format=fmt,
                page_numbers=page_numbers and fmt == "docx",
            )
        box.update(
            label=tr("memo.built") if result else tr("memo.build_failed"),
            state="complete" if result else "error",
            expanded=result is None,
        )
    if result is None:
        return
    suffix = "" if fmt == "docx" else f"|{fmt}"  # the .docx keeps the key (and widget key) it always had
    entry = {
        "key": f"{variant}|{code}|{against or ''}{suffix}",
        "variant": variant,
        "lang": code,
        "against": against,
        "format": fmt,
        "media_type": result.media_type,
        "content": result.content,
        "filename": result.filename,
        "warnings": list(result.warnings),
        "is_final": result.is_final,
        "blockers": list(result.blockers),
        "sha256": result.sha256,
        "snapshot_id": result.snapshot_id,
        "built_at": dt.datetime.now(dt.UTC),
    }
    files = [f for f in st.session_state.get(FILES_KEY, []) if f["key"] != entry["key"]]
    st.session_state[FILES_KEY] = [entry, *files][:MAX_FILES]
    # Show the file (and a new snapshot in the list and the "changes since" choice) from a fresh run.
    flash("memo.built")
    st.rerun()


def _build_form(member: Any, snapshots: list[SnapshotView]) -> None:
    st.subheader(tr("memo.build.title"), anchor=False)
    st.caption(tr("memo.build.help"))
    with st.form("memo_build_form", border=True, enter_to_submit=False):
        left, middle, right = st.columns([3, 2, 3])
        variant = left.selectbox(
            tr("memo.variant"), VARIANTS, format_func=labels_for(VARIANTS, variant_label), key="memo_variant"
        )
        code = middle.selectbox(
            tr("memo.language"), LANGUAGES, format_func=labels_for(LANGUAGES, memo_language_label), key="memo_lang"
        )
        options: list[int] = [LATEST, FIRST, *[s.id for s in snapshots]]
        against = right.selectbox(
            tr("memo.against"),
            options,
            format_func=_snapshot_label(snapshots),
            key="memo_against",
            help=tr("memo.against_help"),
        )
        fmt_col, pages_col = st.columns([2, 3], vertical_alignment="bottom")
        fmt = fmt_col.selectbox(
            tr("memo.format"),
            FORMATS,
            key="memo_format",
            format_func=labels_for(FORMATS, lambda f: tr(f"memo.format.{f}")),
            help=tr("memo.format_help"),
        )
        page_numbers = pages_col.checkbox(
            tr("memo.page_numbers"), key="memo_page_numbers", help=tr("memo.page_numbers_help")
        )
        st.caption(tr("memo.variant_help"))
        sent = st.form_submit_button(tr("memo.build"), type="primary", key="memo_build", icon=":material/build:")
    if sent:
        _build(member, variant, code, against or None, fmt, bool(page_numbers))


def _built_file(entry: dict[str, Any]) -> None:
    with st.container(border=True, key=f"memo_file_{re.sub(r'[^A-Za-z0-9_-]', '_', entry['key'])}"):
        head, button = st.columns([4, 1.3], vertical_alignment="center")
        with head:
            st.markdown(
                f"**{escape_markdown(variant_label(entry['variant']))}** · "
                f"{escape_markdown(memo_language_label(entry['lang']))}"
            )
            st.caption(
                tr(
                    "memo.file_facts",
                    filename=entry["filename"],
                    when=fmt_datetime(entry["built_at"]),
                    size=fmt_number(round(len(entry["content"]) / 1024)),
                )
            )
        button.download_button(
            tr("memo.download"),
            data=entry["content"],
            file_name=entry["filename"],
            mime=entry.get("media_type", DOCX),
            key=f"memo_download_{re.sub(r'[^A-Za-z0-9_-]', '_', entry['key'])}",
            icon=":material/download:",
            on_click="ignore",
            type="primary",
            width="stretch",
        )
        if entry["variant"] == "final":
            if entry["is_final"]:
                st.success(tr("memo.final_done", id=entry["snapshot_id"]), icon=":material/verified:")
                st.caption(tr("memo.sha_caption"))
                st.code(entry["sha256"] or "", language=None)
            else:
                st.warning(tr("memo.draft_done", count=len(entry["blockers"])), icon=":material/draft:")
        if entry["warnings"]:
            with st.expander(tr("memo.warnings", count=len(entry["warnings"])), icon=":material/warning:"):
                st.markdown("\n".join(f"- {escape_markdown(_translated(w, _MESSAGES))}" for w in entry["warnings"]))


def _built_files() -> None:
    files = st.session_state.get(FILES_KEY, [])
    if not files:
        return
    st.markdown(f"**{escape_markdown(tr('memo.built_files'))}**")
    for entry in files:
        _built_file(entry)


# ----------------------------------------------------------------------------- snapshots


def _snapshots(member: Any, snapshots: list[SnapshotView]) -> None:
    st.subheader(tr("memo.snapshots.title"), anchor=False)
    if not snapshots:
        st.caption(tr("memo.snapshots.none"))
        return
    st.caption(tr("memo.snapshots.help"))
    rows = [
        {
            tr("memo.col.id"): s.id,
            tr("memo.col.created"): fmt_datetime(s.created_at),
            tr("memo.col.language"): memo_language_label(s.lang),
            tr("memo.col.recommendations"): s.recommendations,
            tr("memo.col.sent"): fmt_datetime(s.sent_at) if s.sent_at else "—",
            tr("memo.col.sha256"): s.sha256,
        }
        for s in snapshots
    ]
    tables.dataframe(rows, hide_index=True, width="stretch", key="memo_snapshots")
    _check_snapshot(member, snapshots)
    _mark_sent(member, snapshots)


def _mark_sent(member: Any, snapshots: list[SnapshotView]) -> None:
    """Record that a final memo went to parliament: redlines then compare against it by default."""
    st.caption(tr("memo.sent.help"))
    by_id = {s.id: s for s in snapshots}
    choice, button = st.columns([2.2, 2.4], vertical_alignment="bottom")
    chosen = choice.selectbox(
        tr("memo.sent.choose"),
        list(by_id),
        key="memo_sent_choice",
        format_func=labels_for(
            list(by_id),
            lambda i: tr(
                "memo.against.snapshot_sent" if by_id[i].sent_at else "memo.against.snapshot",
                id=i,
                when=fmt_datetime(by_id[i].created_at),
                language=memo_language_label(by_id[i].lang),
            ),
        ),
    )
    if chosen is None:
        return
    already = by_id[chosen].sent_at is not None
    label = tr("memo.sent.undo") if already else tr("memo.sent.mark")
    if button.button(label, key="memo_sent_toggle", icon=":material/send:", width="stretch"):
        with errors_shown():
            memo_service.mark_sent(db(), actor_id=member.user.id, snapshot_id=chosen, sent=not already)
            flash("memo.sent.unmarked" if already else "memo.sent.marked", id=chosen)
            st.rerun()


def _check_snapshot(member: Any, snapshots: list[SnapshotView]) -> None:
    """Check a snapshot against its SHA-256 here, or download its exact text to check it anywhere."""
    st.caption(tr("memo.snapshots.check_help"))
    by_id = {s.id: s for s in snapshots}
    choice, verify, download = st.columns([2.2, 1, 1.4], vertical_alignment="bottom")
    chosen = choice.selectbox(
        tr("memo.snapshots.choose"),
        list(by_id),
        key="memo_snap_choice",
        format_func=labels_for(
            list(by_id),
            lambda i: tr(
                "memo.against.snapshot",
                id=i,
                when=fmt_datetime(by_id[i].created_at),
                language=memo_language_label(by_id[i].lang),
            ),
        ),
    )
    if chosen is None:
        return
    if verify.button(tr("memo.snapshots.verify"), key="memo_snap_verify", icon=":material/verified:", width="stretch"):
        with errors_shown():
            if memo_service.verify_snapshot(db(), actor_id=member.user.id, snapshot_id=chosen):
                st.success(tr("memo.snapshots.intact", id=chosen, sha256=by_id[chosen].sha256))
            else:
                st.error(tr("memo.snapshots.altered", id=chosen, sha256=by_id[chosen].sha256))

    def text() -> bytes:
        return memo_service.snapshot_text(db(), actor_id=member.user.id, snapshot_id=chosen).encode("utf-8")

    download.download_button(
        tr("memo.snapshots.download"),
        data=text,
        file_name=f"memo-snapshot-{chosen}.json",
        mime="application/json",
        key="memo_snap_download",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
    )


# ----------------------------------------------------------------------------- settings


def _settings(member: Any, rt: RoundtableView) -> None:
    st.subheader(tr("memo.settings.title"), anchor=False)
    closing = rt.settings.get("closing_formula") or {}
    stored_refs = rt.settings.get("legal_references") or []
    # References written per language ({lang: text}) are kept as they are; the box edits the plain ones.
    per_language_refs = [r for r in stored_refs if isinstance(r, dict)]
    references = [r for r in stored_refs if isinstance(r, str) and r.strip()]
    shown_refs = references + [" / ".join(str(v) for v in r.values() if str(v).strip()) for r in per_language_refs]
    stored_signatory = rt.settings.get("signatory")
    signatory = stored_signatory if isinstance(stored_signatory, dict) else {}
    stored_name, stored_position = signatory.get("name"), signatory.get("position")
    sign_name = stored_name if isinstance(stored_name, dict) else {}
    sign_position = stored_position if isinstance(stored_position, dict) else {}
    outgoing = str(rt.settings.get("outgoing_number") or "")
    for code, column in zip(SETTING_LANGS, st.columns(len(SETTING_LANGS)), strict=True):
        with column.container(border=True, key=f"memo_settings_{code}", height="stretch"):
            st.markdown(f"**{escape_markdown(language_name(code))}**")
            st.caption(tr("memo.settings.addressee"))
            st.markdown(user_text_markdown(rt.addressee.get(code, "")) or escape_markdown(tr("memo.settings.unset")))
            st.caption(tr("memo.settings.closing"))
            st.markdown(user_text_markdown(closing.get(code, "")) or escape_markdown(tr("memo.settings.unset")))
            st.caption(tr("memo.settings.signatory"))
            who = " — ".join(t for t in (sign_position.get(code, ""), sign_name.get(code, "")) if t)
            st.markdown(escape_markdown(who or tr("memo.settings.unset")))
    st.caption(tr("memo.settings.outgoing_is", number=outgoing or tr("memo.settings.unset")))
    with st.expander(tr("memo.settings.references", count=len(shown_refs)), icon=":material/gavel:"):
        if shown_refs:
            st.markdown("\n".join(f"{i}. {escape_markdown(r)}" for i, r in enumerate(shown_refs, start=1)))
        else:
            st.caption(tr("memo.settings.unset"))
    with st.expander(tr("memo.settings.edit"), icon=":material/edit:"):
        with st.form("memo_settings_form", border=False, enter_to_submit=False):
            addressee: dict[str, str] = {}
            formula: dict[str, str] = {}
            for code in SETTING_LANGS:
                a, c = st.columns(2)
                addressee[code] = a.text_area(
                    tr("memo.settings.addressee_in", language=language_name(code)),
                    value=rt.addressee.get(code, ""),
                    key=f"memo_set_addressee_{code}",
                    height=80,
                )
                formula[code] = c.text_area(
                    tr("memo.settings.closing_in", language=language_name(code)),
                    value=closing.get(code, ""),
                    key=f"memo_set_closing_{code}",
                    height=80,
                )
            names: dict[str, str] = {}
            positions: dict[str, str] = {}
            for code, column in zip(SETTING_LANGS, st.columns(len(SETTING_LANGS)), strict=True):
                positions[code] = column.text_input(
                    tr("memo.settings.position_in", language=language_name(code)),
                    value=sign_position.get(code, ""),
                    key=f"memo_set_position_{code}",
                )
                names[code] = column.text_input(
                    tr("memo.settings.signatory_in", language=language_name(code)),
                    value=sign_name.get(code, ""),
                    key=f"memo_set_signatory_{code}",
                )
            number = st.text_input(
                tr("memo.settings.outgoing"),
                value=outgoing,
                key="memo_set_outgoing",
                help=tr("memo.settings.outgoing_help"),
            )
            refs = st.text_area(
                tr("memo.settings.references_edit"),
                value="\n".join(references),
                height=220,
                key="memo_set_references",
                help=tr("memo.settings.references_help"),
            )
            sent = st.form_submit_button(tr("memo.settings.save"), type="primary", key="memo_settings_save")
        if sent:
            new_addressee = {k: clean_text(v).strip() for k, v in addressee.items() if v.strip()}
            new_formula = {k: clean_text(v).strip() for k, v in formula.items() if v.strip()}
            new_refs = [clean_text(line, single_line=True).strip() for line in refs.splitlines() if line.strip()]
            new_signatory = {
                "name": {k: clean_text(v, single_line=True).strip() for k, v in names.items() if v.strip()},
                "position": {k: clean_text(v, single_line=True).strip() for k, v in positions.items() if v.strip()},
            }
            new_number = clean_text(number, single_line=True).strip()
            with errors_shown():
                if new_addressee != {k: v for k, v in rt.addressee.items() if v.strip()}:
                    roundtable_service.update_roundtable(
                        db(), actor_id=member.user.id, roundtable_id=rt.id, addressee=new_addressee
                    )
                changes: dict[str, Any] = {}
                if new_formula != closing or new_refs != references:
                    changes.update({"closing_formula": new_formula, "legal_references": per_language_refs + new_refs})
                if new_signatory != {"name": sign_name, "position": sign_position}:
                    changes["signatory"] = new_signatory
                if new_number != outgoing:
                    changes["outgoing_number"] = new_number
                if changes:
                    roundtable_service.update_settings(
                        db(), actor_id=member.user.id, roundtable_id=rt.id, settings=changes
                    )
                flash("memo.settings.saved")
                st.rerun()


def render() -> None:
    """The memo page."""
    member = require_role(Role.ADMIN)
    st.title(tr("memo.title"))
    st.caption(tr("memo.intro"))
    show_flash()
    status: MemoStatusView | None = None
    snapshots: list[SnapshotView] = []
    with errors_shown():
        status = memo_service.memo_status(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
        snapshots = memo_service.list_snapshots(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    if status is not None:
        _status(status)
        with errors_shown():  # what a final memo in each language still waits for (issue 10, item 7)
            from recdraft.ui.widgets.translations import memo_translation_gaps

            memo_translation_gaps(member.user.id, member.roundtable.id)
        _build_form(member, snapshots)
        _built_files()
        _snapshots(member, snapshots)
        memo_check(member)  # issue 18: is this the memo we sent?
        research_download(member)  # issue 18: data for researchers
        _settings(member, member.roundtable)
