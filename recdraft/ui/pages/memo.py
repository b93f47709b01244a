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

from recdraft.domain.text import clean_text
from recdraft.schemas.views import RoundtableView
from recdraft.services import memo as memo_service
from recdraft.services import roundtables as roundtable_service
from recdraft.services.memo import (
    LANGUAGES,
    VARIANTS,
    ExportResult,
    MemoStatusView,
    SnapshotView,
)
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
from recdraft.ui.widgets.page import flash, show_flash

FILES_KEY = "memo_files"
MAX_FILES = len(VARIANTS) * len(LANGUAGES)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SETTING_LANGS = ("kk", "ru", "en")
LATEST = 0  # "changes since the latest snapshot" in the snapshot choice (snapshot ids start at 1)

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
    (re.compile(r"Done"), "memo.progress.done"),
]
_MESSAGES = [
    (re.compile(r"Recommendation (?P<n>\d+) has no text in '(?P<language>[\w+]+)'; rendered from '(?P<source>[\w+]+)'\."),
     "memo.warn.missing_lang"),
    (re.compile(r"Recommendation (?P<n>\d+) has no earlier '(?P<language>[\w+]+)' text; shown without tracked changes\."),
     "memo.warn.no_earlier"),
    (re.compile(r"Recommendation (?P<n>\d+) has no earlier '(?P<language>[\w+]+)' text for the comparison table\."),
     "memo.warn.no_earlier_comparison"),
    (re.compile(r"No earlier snapshot exists: .*"), "memo.warn.no_snapshot"),
    (re.compile(r"The memo is final but has no snapshot SHA-256 to print\."), "memo.warn.no_sha"),
    (re.compile(r"No recommendation has been adopted yet.*"), "memo.blocker.nothing_adopted"),
    (re.compile(r"Recommendation (?P<n>\d+) \(no\. (?P<number>\d+) in the roundtable\) has (?P<count>\d+) "
                r"comment\(s\) awaiting moderation\."), "memo.blocker.comments"),
    (re.compile(r"Recommendation (?P<n>\d+) \(no\. (?P<number>\d+) in the roundtable\) has no closed vote that "
                r"met its rule\."), "memo.blocker.no_vote"),
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
    st.markdown("\n".join(f"- {escape_markdown(_translated(b, _MESSAGES))}" for b in status.blockers))
    st.caption(tr("memo.status.draft_note", count=len(status.included)))


# ----------------------------------------------------------------------------- build and download


def _snapshot_label(snapshots: list[SnapshotView]) -> Any:
    table: dict[int, str] = {LATEST: tr("memo.against.latest")}
    for s in snapshots:
        table[s.id] = tr("memo.against.snapshot", id=s.id, when=fmt_datetime(s.created_at),
                         language=memo_language_label(s.lang))
    return table.__getitem__


def _build(member: Any, variant: str, code: str, against: int | None) -> None:
    """Build one memo with a progress bar; keep the file in this session for download."""
    result: ExportResult | None = None
    with st.status(tr("memo.building", variant=variant_label(variant), language=memo_language_label(code)),
                   expanded=True) as box:
        bar = st.progress(0.0, text=tr("memo.progress.reading"))

        def progress(fraction: float, message: str) -> None:
            bar.progress(min(max(float(fraction), 0.0), 1.0),
                         text=_translated(message, _PROGRESS, fallback=tr("memo.progress.working")))

        with errors_shown(box):
            result = memo_service.export_memo(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id,
                                              lang=code, variant=variant,
                                              against=against if variant in ("redline", "comparison") else None,
                                              progress=progress)
        box.update(label=tr("memo.built") if result else tr("memo.build_failed"),
                   state="complete" if result else "error", expanded=result is None)
    if result is None:
        return
    entry = {"key": f"{variant}|{code}|{against or ''}", "variant": variant, "lang": code, "against": against,
             "content": result.content, "filename": result.filename, "warnings": list(result.warnings),
             "is_final": result.is_final, "blockers": list(result.blockers), "sha256": result.sha256,
             "snapshot_id": result.snapshot_id, "built_at": dt.datetime.now(dt.UTC)}
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
        variant = left.selectbox(tr("memo.variant"), VARIANTS, format_func=labels_for(VARIANTS, variant_label),
                                 key="memo_variant")
        code = middle.selectbox(tr("memo.language"), LANGUAGES, format_func=labels_for(LANGUAGES, memo_language_label),
                                key="memo_lang")
        options: list[int] = [LATEST, *[s.id for s in snapshots]]
        against = right.selectbox(tr("memo.against"), options, format_func=_snapshot_label(snapshots),
                                  key="memo_against", help=tr("memo.against_help"))
        st.caption(tr("memo.variant_help"))
        sent = st.form_submit_button(tr("memo.build"), type="primary", key="memo_build", icon=":material/build:")
    if sent:
        _build(member, variant, code, against or None)


def _built_file(entry: dict[str, Any]) -> None:
    with st.container(border=True, key=f"memo_file_{re.sub(r'[^A-Za-z0-9_-]', '_', entry['key'])}"):
        head, button = st.columns([4, 1.3], vertical_alignment="center")
        with head:
            st.markdown(f"**{escape_markdown(variant_label(entry['variant']))}** · "
                        f"{escape_markdown(memo_language_label(entry['lang']))}")
            st.caption(tr("memo.file_facts", filename=entry["filename"], when=fmt_datetime(entry["built_at"]),
                          size=fmt_number(round(len(entry["content"]) / 1024))))
        button.download_button(tr("memo.download"), data=entry["content"], file_name=entry["filename"], mime=DOCX,
                               key=f"memo_download_{re.sub(r'[^A-Za-z0-9_-]', '_', entry['key'])}",
                               icon=":material/download:", on_click="ignore", type="primary", width="stretch")
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
    rows = [{tr("memo.col.id"): s.id, tr("memo.col.created"): fmt_datetime(s.created_at),
             tr("memo.col.language"): memo_language_label(s.lang), tr("memo.col.recommendations"): s.recommendations,
             tr("memo.col.sha256"): s.sha256} for s in snapshots]
    st.dataframe(rows, hide_index=True, width="stretch", key="memo_snapshots")
    _check_snapshot(member, snapshots)


def _check_snapshot(member: Any, snapshots: list[SnapshotView]) -> None:
    """Check a snapshot against its SHA-256 here, or download its exact text to check it anywhere."""
    st.caption(tr("memo.snapshots.check_help"))
    by_id = {s.id: s for s in snapshots}
    choice, verify, download = st.columns([2.2, 1, 1.4], vertical_alignment="bottom")
    chosen = choice.selectbox(tr("memo.snapshots.choose"), list(by_id), key="memo_snap_choice",
                              format_func=labels_for(list(by_id), lambda i: tr(
                                  "memo.against.snapshot", id=i, when=fmt_datetime(by_id[i].created_at),
                                  language=memo_language_label(by_id[i].lang))))
    if chosen is None:
        return
    if verify.button(tr("memo.snapshots.verify"), key="memo_snap_verify", icon=":material/verified:",
                     width="stretch"):
        with errors_shown():
            if memo_service.verify_snapshot(db(), actor_id=member.user.id, snapshot_id=chosen):
                st.success(tr("memo.snapshots.intact", id=chosen, sha256=by_id[chosen].sha256))
            else:
                st.error(tr("memo.snapshots.altered", id=chosen, sha256=by_id[chosen].sha256))

    def text() -> bytes:
        return memo_service.snapshot_text(db(), actor_id=member.user.id, snapshot_id=chosen).encode("utf-8")

    download.download_button(tr("memo.snapshots.download"), data=text, file_name=f"memo-snapshot-{chosen}.json",
                             mime="application/json", key="memo_snap_download", icon=":material/download:",
                             on_click="ignore", width="stretch")


# ----------------------------------------------------------------------------- settings


def _settings(member: Any, rt: RoundtableView) -> None:
    st.subheader(tr("memo.settings.title"), anchor=False)
    closing = rt.settings.get("closing_formula") or {}
    references = [str(r) for r in rt.settings.get("legal_references") or [] if str(r).strip()]
    for code, column in zip(SETTING_LANGS, st.columns(len(SETTING_LANGS)), strict=True):
        with column.container(border=True, key=f"memo_settings_{code}", height="stretch"):
            st.markdown(f"**{escape_markdown(language_name(code))}**")
            st.caption(tr("memo.settings.addressee"))
            st.markdown(user_text_markdown(rt.addressee.get(code, "")) or escape_markdown(tr("memo.settings.unset")))
            st.caption(tr("memo.settings.closing"))
            st.markdown(user_text_markdown(closing.get(code, "")) or escape_markdown(tr("memo.settings.unset")))
    with st.expander(tr("memo.settings.references", count=len(references)), icon=":material/gavel:"):
        if references:
            st.markdown("\n".join(f"{i}. {escape_markdown(r)}" for i, r in enumerate(references, start=1)))
        else:
            st.caption(tr("memo.settings.unset"))
    with st.expander(tr("memo.settings.edit"), icon=":material/edit:"):
        with st.form("memo_settings_form", border=False, enter_to_submit=False):
            addressee: dict[str, str] = {}
            formula: dict[str, str] = {}
            for code in SETTING_LANGS:
                a, c = st.columns(2)
                addressee[code] = a.text_area(tr("memo.settings.addressee_in", language=language_name(code)),
                                              value=rt.addressee.get(code, ""), key=f"memo_set_addressee_{code}",
                                              height=80)
                formula[code] = c.text_area(tr("memo.settings.closing_in", language=language_name(code)),
                                            value=closing.get(code, ""), key=f"memo_set_closing_{code}", height=80)
            refs = st.text_area(tr("memo.settings.references_edit"), value="\n".join(references), height=220,
                                key="memo_set_references", help=tr("memo.settings.references_help"))
            sent = st.form_submit_button(tr("memo.settings.save"), type="primary", key="memo_settings_save")
        if sent:
            new_addressee = {k: clean_text(v).strip() for k, v in addressee.items() if v.strip()}
            new_formula = {k: clean_text(v).strip() for k, v in formula.items() if v.strip()}
            new_refs = [clean_text(line, single_line=True).strip() for line in refs.splitlines() if line.strip()]
            with errors_shown():
                if new_addressee != {k: v for k, v in rt.addressee.items() if v.strip()}:
                    roundtable_service.update_roundtable(db(), actor_id=member.user.id, roundtable_id=rt.id,
                                                         addressee=new_addressee)
                if new_formula != closing or new_refs != references:
                    roundtable_service.update_settings(db(), actor_id=member.user.id, roundtable_id=rt.id,
                                                       settings={"closing_formula": new_formula,
                                                                 "legal_references": new_refs})
                flash("memo.settings.saved")
                st.rerun()


member = require_role("admin")
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
    _build_form(member, snapshots)
    _built_files()
    _snapshots(member, snapshots)
    _settings(member, member.roundtable)
