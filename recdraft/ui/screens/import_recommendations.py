"""The import page (issue 16): upload a memo, see what will be created item by item, fix it, import.

What the page offers follows the server: the upload and the import are shown only when the page view's
``actions`` hold ``Action.DRAFT`` (admins, moderators and experts, in a phase that allows drafting), and
``services.imports`` checks it again on every call. The preview lives in the session between reruns;
every fix (skip, merge, split, move a paragraph, edit a field) makes a new preview with
``recdraft.importing.preview``'s functions. Widget keys carry a generation number that changes with each
structural fix, so the fields always show the preview's text after a merge or a split.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from recdraft.domain.policy import Action
from recdraft.errors import RecdraftError
from recdraft.importing import preview as pv
from recdraft.services import imports as service
from recdraft.ui.context import db, fmt_datetime, lang, require_member, tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.widgets.labels import field_label, language_name

PREVIEW = "imp_preview"
GENERATION = "imp_gen"
FLASH = "imp_flash"
TEXT_FIELDS = ("text", "rationale", "legal_basis")
MAX_UPLOAD_MB = 20  # as recdraft.importing._safety.MAX_FILE_BYTES: a bigger file is refused with its size


@contextmanager
def _shown(where=None) -> Iterator[None]:
    """A RecdraftError shown in the reader's language (its catalogue key), next to what caused it."""
    try:
        yield
    except RecdraftError as exc:
        (where or st).error(exc.text(lang()))


def _preview() -> pv.ImportPreview | None:
    return st.session_state.get(PREVIEW)


def _store(preview: pv.ImportPreview | None, *, structural: bool = False) -> None:
    st.session_state[PREVIEW] = preview
    if structural or preview is None:
        st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1


def _key(index: int, name: str) -> str:
    return f"imp_{st.session_state.get(GENERATION, 0)}_{index}_{name}"


def _upload(member) -> None:
    uploaded = st.file_uploader(
        tr("import.ui.upload"),
        type=["docx", "odt", "doc"],
        key="imp_file",
        help=tr("import.ui.upload_help"),
        max_upload_size=MAX_UPLOAD_MB,
    )
    if uploaded is not None and st.button(
        tr("import.ui.read"), key="imp_read", type="primary", icon=":material/plagiarism:"
    ):
        with _shown():
            with st.spinner(tr("import.ui.reading")):
                preview = service.read_file(
                    db(),
                    actor_id=member.user.id,
                    roundtable_id=member.roundtable.id,
                    data=uploaded.getvalue(),
                    file_name=uploaded.name,
                )
            _store(preview, structural=True)
            st.rerun()


def _set_field(index: int, name: str) -> None:
    preview = _preview()
    if preview is not None:
        _store(pv.set_field(preview, index, name, st.session_state[_key(index, name)]))


def _set_topic(index: int) -> None:
    preview = _preview()
    if preview is not None:
        _store(pv.set_topic(preview, index, st.session_state[_key(index, "topic")]))


def _set_skip(index: int) -> None:
    preview = _preview()
    if preview is not None:
        _store(pv.set_skip(preview, index, st.session_state[_key(index, "skip")]))


def _restructure(change) -> None:
    preview = _preview()
    if preview is not None:
        _store(change(preview), structural=True)


def _item(preview: pv.ImportPreview, index: int, item: pv.PreviewItem) -> None:
    source = ", ".join(str(n) for n in item.source)
    head = tr("import.ui.item", number=index + 1, source=source, title=item.title or "—")
    head = f"~~{escape_markdown(head)}~~ — {tr('import.ui.skipped')}" if item.skip else escape_markdown(head)
    with st.expander(head, expanded=False, key=f"imp_item_{index}"):
        st.checkbox(tr("import.ui.skip"), value=item.skip, key=_key(index, "skip"), on_change=_set_skip, args=(index,))
        st.text_input(
            field_label("title"),
            value=item.title,
            key=_key(index, "title"),
            on_change=_set_field,
            args=(index, "title"),
        )
        for name in TEXT_FIELDS:
            st.text_area(
                field_label(name),
                value=getattr(item, name),
                key=_key(index, name),
                on_change=_set_field,
                args=(index, name),
                height=120 if name == "text" else 80,
            )
        cols = st.columns(2)
        cols[0].text_input(
            field_label("responsible_body"),
            value=item.responsible_body,
            key=_key(index, "responsible_body"),
            on_change=_set_field,
            args=(index, "responsible_body"),
        )
        cols[1].text_input(
            field_label("topic"), value=item.topic, key=_key(index, "topic"), on_change=_set_topic, args=(index,)
        )
        _fixes(preview, index, item)


def _fixes(preview: pv.ImportPreview, index: int, item: pv.PreviewItem) -> None:
    """Merge with the next item, split the text, move a paragraph to another field."""
    row = st.columns([1, 1, 2], vertical_alignment="bottom")
    if index + 1 < len(preview.items):
        row[0].button(
            tr("import.ui.merge"),
            key=_key(index, "merge"),
            icon=":material/merge:",
            on_click=_restructure,
            args=(lambda p: pv.merge_with_next(p, index),),
        )
    paragraphs = item.paragraphs("text")
    if len(paragraphs) > 1:
        at = row[2].selectbox(
            tr("import.ui.split_at"),
            range(1, len(paragraphs)),
            key=_key(index, "split_at"),
            format_func=lambda k: _short(paragraphs[k]),
        )
        row[1].button(
            tr("import.ui.split"),
            key=_key(index, "split"),
            icon=":material/call_split:",
            on_click=_restructure,
            args=(lambda p: pv.split(p, index, int(at)),),
        )
    choices = [(name, k) for name in ("text", *TEXT_FIELDS[1:]) for k in range(len(item.paragraphs(name)))]
    if choices:
        move = st.columns([2, 1, 1], vertical_alignment="bottom")
        picked = move[0].selectbox(
            tr("import.ui.move_paragraph"),
            range(len(choices)),
            key=_key(index, "move_what"),
            format_func=lambda c: (
                f"{field_label(choices[c][0])}: {_short(item.paragraphs(choices[c][0])[choices[c][1]])}"
            ),
        )
        source_field = choices[int(picked)][0]
        targets = [name for name in ("text", *TEXT_FIELDS[1:], "responsible_body") if name != source_field]
        target = move[1].selectbox(
            tr("import.ui.move_to"), targets, key=_key(index, "move_to"), format_func=field_label
        )
        name, paragraph = choices[int(picked)]
        move[2].button(
            tr("import.ui.move"),
            key=_key(index, "move"),
            icon=":material/low_priority:",
            on_click=_restructure,
            args=(lambda p: pv.move_paragraph(p, index, name, paragraph, str(target)),),
        )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _preview_section(member, page: service.ImportPageView, preview: pv.ImportPreview) -> None:
    st.subheader(tr("import.ui.preview", file=preview.file_name), anchor=False)
    for message in preview.messages():
        (st.warning if message.key in WARNINGS else st.info)(message.render(lang()))
    if page.languages:
        current = preview.language if preview.language in page.languages else page.languages[0]
        chosen = st.selectbox(
            tr("import.ui.language"),
            page.languages,
            index=page.languages.index(current),
            format_func=language_name,
            key="imp_language",
        )
        if chosen != preview.language:
            preview = pv.set_language(preview, str(chosen))
            _store(preview)
    for index, item in enumerate(preview.items):
        _item(preview, index, item)
    count = len(preview.to_import())
    cols = st.columns([2, 1])
    if cols[0].button(
        tr("import.ui.import", count=count),
        key="imp_import",
        type="primary",
        disabled=count == 0,
        icon=":material/download_done:",
    ):
        with _shown():
            result = service.import_preview(
                db(), actor_id=member.user.id, roundtable_id=member.roundtable.id, preview=_preview() or preview
            )
            st.session_state[FLASH] = (len(result.numbers), _numbers(result.numbers))
            _store(None)
            st.rerun()
    if cols[1].button(tr("import.ui.cancel"), key="imp_cancel", icon=":material/close:"):
        _store(None)
        st.rerun()


WARNINGS = frozenset(
    {
        "import.already_imported",
        "import.notice.language_not_used",
        "import.notice.untitled",
        "import.notice.tracked_changes",
        "import.notice.comments",
    }
)


def _numbers(numbers: list[int]) -> str:
    if numbers and numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 2:
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def _earlier(page: service.ImportPageView) -> None:
    if not page.imports:
        return
    st.subheader(tr("import.ui.earlier"), anchor=False)
    for imp in reversed(page.imports):
        st.markdown(
            "- "
            + escape_markdown(
                tr(
                    "import.ui.earlier_item",
                    file=imp.file_name,
                    when=fmt_datetime(imp.imported_at),
                    who=imp.imported_by_name or "—",
                    numbers=_numbers(imp.numbers) or "—",
                )
            )
        )


def render() -> None:
    """The page."""
    member = require_member()
    st.title(tr("import.ui.title"))
    st.caption(tr("import.ui.intro"))
    done = st.session_state.pop(FLASH, None)
    if done:
        st.success(tr("import.ui.done", count=done[0], numbers=done[1]))
    page: service.ImportPageView | None = None
    with _shown():
        page = service.import_page(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)
    if page is None:
        return
    if Action.DRAFT not in page.actions:
        st.info(tr("import.ui.not_allowed"))
    else:
        preview = _preview()
        if preview is None:
            _upload(member)
        else:
            _preview_section(member, page, preview)
    _earlier(page)
