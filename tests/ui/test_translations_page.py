"""The Translations page: what needs translating per language, and translating side by side (AppTest)."""

from __future__ import annotations

from sqlalchemy import select

from recdraft.db.models import Recommendation
from recdraft.services import translations
from tests.ui.conftest import texts, user_id

PAGE = "recdraft/ui/pages/translations.py"


def _rec_id(db, number: int) -> int:
    with db.read() as s:
        return s.scalar(select(Recommendation.id).where(Recommendation.number == number))


def test_a_moderator_sees_what_needs_translating_in_kazakh_and_translates_it_beside_its_source(app_as, ui_db):
    moderator = user_id(ui_db, "moderator")
    needs = translations.needs_translation(ui_db, actor_id=moderator, roundtable_id=1)
    item = needs["kk"][0]
    assert item.status != "adopted"  # the demo's adopted texts are all translated
    at = app_as("moderator", PAGE, lang="kk")
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Аудармалар" in shown and f"Қазақша ({len(needs['kk'])})" in shown
    assert f"№ {item.number}: {item.title}" in shown.replace("\\", "")  # as read (Markdown escapes removed)
    # The form opens on demand (a page of ten items per language, each form only when asked for).
    assert not [t for t in at.text_area if t.key and t.key.startswith("tr_")]
    at.button(key=f"tr_open_{item.recommendation_id}_kk").click().run()
    key = f"tr_{item.recommendation_id}_kk"
    at.text_input(key=f"{key}_title").set_value("Қарулы қақтығыс кезінде қол жеткізу")
    at.text_area(key=f"{key}_text").set_value(
        "Заң Қоғамның төтенше жағдайлар мен қарулы қақтығыс кезінде "
        "зардап шеккендерге қол жеткізуін қамтамасыз етуге тиіс."
    )
    button = next(b for b in at.button if getattr(b, "form_id", "") == f"{key}_form")
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Аударма сақталды." in texts(at)
    view = translations.get_translations(ui_db, actor_id=moderator, recommendation_id=item.recommendation_id)
    assert view.fields["kk"]["title"].status == "translated"
    assert view.fields["kk"]["title"].text == "Қарулы қақтығыс кезінде қол жеткізу"
    assert view.fields["kk"]["rationale"].status == "needed"  # left for later: still on the list


def test_the_recommendation_page_shows_each_languages_status(app_as, ui_db):
    at = app_as("observer", "recdraft/ui/pages/recommendations.py", run=False)
    at.query_params["rec"] = str(_rec_id(ui_db, 1))
    at.run()
    at.switch_page("recdraft/ui/pages/recommendations.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Languages" in shown and "original" in shown


def test_an_author_opens_one_recommendation_and_updates_a_translation_of_any_language(app_as, ui_db):
    rec_id = _rec_id(ui_db, 1)
    at = app_as("moderator", run=False)
    at.query_params["rec"] = str(rec_id)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Languages" in texts(at) and at.segmented_control(key="tr_target") is not None


def test_the_memo_page_names_the_adopted_texts_a_final_memo_still_waits_for(app_as, ui_db):
    from sqlalchemy import delete

    from recdraft.db.translation_models import Translation

    rec_id = _rec_id(ui_db, 3)  # adopted, written in English, translated into Kazakh and Russian by the demo
    with ui_db.write() as s:  # as if the Kazakh translation had never been made
        s.execute(delete(Translation).where(Translation.recommendation_id == rec_id, Translation.lang == "kk"))
    at = app_as("admin", "recdraft/ui/pages/memo.py", lang="ru")
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Принятые тексты без перевода" in shown
    [line] = [line for line in shown.splitlines() if line.startswith("- **Қазақша**")]
    assert "№ 3 — Название" in line and "Ответственный орган" in line  # which one, and every field of it
    assert not [line for line in shown.splitlines() if line.startswith("- **Русский**")]  # Russian is whole
