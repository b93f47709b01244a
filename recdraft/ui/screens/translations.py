"""Translations: what still needs translating into each of the roundtable's languages, and the form to do it.

Adopted texts come first: they hold the final memo, which is made only when every adopted text exists and is
current in the memo's language(s). A translation never changes the agreed wording and never makes a vote
stale (see ``recdraft.services.translations``). Open a recommendation (``?rec=<id>``) to translate it side by
side with its source.
"""

from __future__ import annotations

import streamlit as st

from recdraft.services import translations as service
from recdraft.ui.context import db, errors_shown, tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.widgets.labels import field_label, language_name, status_label
from recdraft.ui.widgets.page import Member, query_int, require_member, show_flash
from recdraft.ui.widgets.translations import language_statuses, translation_form

PAGE_SIZE = 10  # items per language and page: each opens its form on demand, so a whole bill stays quick


def _open_key(lang: str) -> str:
    return f"tr_open_{lang}"


def _item(member: Member, item: service.NeedsTranslationItem, lang: str, chosen: int | None) -> None:
    head = tr("translations.item", number=item.number, title=item.title)
    if item.status == "adopted":
        head += f" — {tr('translations.adopted')}"
    with st.container(border=True, key=f"tr_item_{item.recommendation_id}_{lang}"):
        st.markdown(f"**{escape_markdown(head)}**")
        todo = ", ".join(
            field_label(f) + (f" ({tr('translations.status.outdated')})" if f in item.outdated else "")
            for f in item.fields
        )
        st.markdown(escape_markdown(tr("translations.item_fields", fields=todo)))
        st.caption(status_label(item.status))
        opened = st.session_state.get(_open_key(lang)) == item.recommendation_id or item.recommendation_id == chosen
        if not opened:
            if st.button(
                tr("translations.translate_here", language=language_name(lang)),
                key=f"tr_open_{item.recommendation_id}_{lang}",
                icon=":material/translate:",
            ):
                st.session_state[_open_key(lang)] = item.recommendation_id
                st.rerun()
            return
        with errors_shown():
            view = service.get_translations(db(), actor_id=member.user.id, recommendation_id=item.recommendation_id)
            language_statuses(view, link=False)
            if view.can_translate:
                translation_form(member.user.id, view, lang)


def _pager(lang: str, pages: int) -> int:
    key = f"tr_page_{lang}"
    current = min(max(1, int(st.session_state.get(key, 1))), pages)
    if pages > 1:
        prev, info, nxt = st.columns([1, 2, 1], vertical_alignment="center")
        if prev.button(
            tr("recs.page.previous"), key=f"tr_prev_{lang}", disabled=current <= 1, icon=":material/chevron_left:"
        ):
            st.session_state[key] = current - 1
            st.rerun()
        info.caption(tr("translations.page", page=current, pages=pages))
        if nxt.button(
            tr("recs.page.next"),
            key=f"tr_next_{lang}",
            disabled=current >= pages,
            icon=":material/chevron_right:",
            icon_position="right",
        ):
            st.session_state[key] = current + 1
            st.rerun()
    return current


def render() -> None:
    """The whole page: one recommendation opened from its page (``?rec=``), then what each language lacks."""
    member = require_member()
    st.title(tr("translations.title"))
    st.caption(tr("translations.intro"))
    show_flash()

    chosen = query_int("rec") or st.session_state.get("tr_rec")
    needs: dict[str, list[service.NeedsTranslationItem]] = {}
    with errors_shown():
        needs = service.needs_translation(db(), actor_id=member.user.id, roundtable_id=member.roundtable.id)

    if chosen:  # one recommendation opened from its page: every language, to add or update a translation
        with errors_shown():
            view = service.get_translations(db(), actor_id=member.user.id, recommendation_id=chosen)
            source_title = view.fields[view.sources[0]]["title"].text if view.sources else ""
            st.subheader(tr("translations.item", number=view.number, title=source_title), anchor=False)
            language_statuses(view, link=False)
            if view.can_translate:
                target = st.segmented_control(
                    tr("translations.target"),
                    view.languages,
                    format_func=language_name,
                    key="tr_target",
                    default=next((code for code in view.languages if view.gaps(code)), view.languages[0]),
                )
                if target:
                    translation_form(member.user.id, view, target)
        st.divider()

    if needs:
        tabs = st.tabs(
            [tr("translations.tab", language=language_name(lang), count=len(items)) for lang, items in needs.items()]
        )
        for tab, (lang, items) in zip(tabs, needs.items(), strict=True):
            with tab:
                if not items:
                    st.success(tr("translations.none"))
                    continue
                pages = (len(items) + PAGE_SIZE - 1) // PAGE_SIZE
                page = _pager(lang, pages)
                for item in items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
                    _item(member, item, lang, chosen)
