"""Translations on the pages: a recommendation's per-language status, and the side-by-side translation form."""

from __future__ import annotations

import streamlit as st

from recdraft.domain.translations import TRANSLATED_FIELDS
from recdraft.services import translations as service
from recdraft.services.translations import RecommendationTranslationsView
from recdraft.ui.context import db, errors_shown, tr
from recdraft.ui.render import escape_markdown
from recdraft.ui.widgets.labels import badge, field_label, language_name
from recdraft.ui.widgets.page import flash

PAGE = "recdraft/ui/pages/translations.py"
STATUS_COLOURS = {"original": "blue", "translated": "green", "outdated": "orange", "needed": "red"}


def status_badge(status: str | None) -> str:
    key = status or "needed"
    return badge(tr(f"translations.status.{key}"), STATUS_COLOURS.get(key, "gray"))


def language_statuses(view: RecommendationTranslationsView, *, link: bool = True) -> None:
    """One line per language of the roundtable: its status, and a link to translate it."""
    st.markdown(f"**{tr('translations.section')}**")
    parts = [
        f"{escape_markdown(language_name(lang))}: {status_badge(view.language_status.get(lang))}"
        for lang in view.languages
    ]
    st.markdown(" · ".join(parts))
    if link and view.can_translate and any(view.gaps(lang) for lang in view.languages):
        try:
            st.page_link(
                PAGE,
                label=tr("translations.open"),
                icon=":material/translate:",
                query_params={"rec": str(view.recommendation_id)},
            )
        except Exception:  # noqa: BLE001  the page run on its own (tests): the menu offers the page instead
            pass


def translation_form(user_id: int, view: RecommendationTranslationsView, lang: str) -> None:
    """Translate the recommendation into ``lang``: the source beside each field; originals are not offered."""
    if not view.sources or all(s == lang for s in view.sources):
        st.info(tr("translations.no_source"))
        return
    sources = [s for s in view.sources if s != lang]
    key = f"tr_{view.recommendation_id}_{lang}"
    source = st.selectbox(tr("translations.source"), sources, format_func=language_name, key=f"{key}_source")
    gaps = {s.field for s in view.gaps(lang)}
    if not gaps and not any(
        (st_ := view.fields.get(lang, {}).get(n)) and st_.status == "translated" for n in TRANSLATED_FIELDS
    ):
        st.success(tr("translations.nothing_to_do"))
        return
    with st.form(key=f"{key}_form"):
        texts: dict[str, str] = {}
        for name in TRANSLATED_FIELDS:
            src = view.fields.get(source, {}).get(name)
            mine = view.fields.get(lang, {}).get(name)
            if src is None or not src.text or mine is None:
                continue
            left, right = st.columns(2)
            with left:
                st.markdown(
                    f"**{escape_markdown(field_label(name))}** — "
                    f"{escape_markdown(tr('translations.source_text', language=language_name(source)))}"
                )
                st.markdown(escape_markdown(src.text))
            with right:
                st.markdown(f"{status_badge(mine.status)}")
                if mine.status == "original":
                    st.caption(tr("translations.original_kept"))
                    st.markdown(escape_markdown(mine.text))
                    continue
                label = f"{field_label(name)} — {tr('translations.your_text', language=language_name(lang))}"
                single = name in ("title", "responsible_body")
                if single:
                    texts[name] = st.text_input(label, value=mine.text, key=f"{key}_{name}")
                else:
                    texts[name] = st.text_area(label, value=mine.text, key=f"{key}_{name}", height=160)
        saved = st.form_submit_button(tr("translations.save"), type="primary")
    if saved:
        with errors_shown():
            service.save_translation(
                db(),
                actor_id=user_id,
                recommendation_id=view.recommendation_id,
                lang=lang,
                source_lang=source,
                texts={k: v for k, v in texts.items() if v.strip()},
                base_revision_id=view.current_revision_id,
            )
            flash("translations.saved")
            st.rerun()


def memo_translation_gaps(user_id: int, roundtable_id: int) -> None:
    """On the Memo page: per language, the adopted texts still missing or outdated (a final memo in that
    language waits for them), with a link to the Translations page."""
    needs = service.needs_translation(db(), actor_id=user_id, roundtable_id=roundtable_id, adopted_only=True)
    lines = []
    for lang, items in needs.items():
        if not items:
            continue
        todo = "; ".join(
            tr("translations.number", number=i.number)
            + " — "
            + ", ".join(
                field_label(f) + (f" ({tr('translations.status.outdated')})" if f in i.outdated else "")
                for f in i.fields
            )
            for i in items
        )
        lines.append(f"- **{escape_markdown(language_name(lang))}**: {escape_markdown(todo)}")
    if not lines:
        return
    st.warning(tr("translations.memo_gaps"), icon=":material/translate:")
    st.markdown("\n".join(lines))
    try:
        st.page_link(PAGE, label=tr("translations.title"), icon=":material/translate:")
    except Exception:  # noqa: BLE001  the page run on its own (tests)
        pass
