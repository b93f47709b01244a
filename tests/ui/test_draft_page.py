"""The draft page: create, edit from the revision the edit started from, conflicts, kept texts."""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from recdraft.errors import Conflict
from recdraft.services import recommendations
from tests.factories import make_recommendation
from tests.ui.conftest import demo_world, page_alone, texts, user_id

PAGE = "recdraft/ui/pages/draft.py"


def open_draft(app_as, role, rec_id: int | None = None, *, lang: str = "en"):
    at = app_as(role, run=False, lang=lang)
    if rec_id is not None:
        at.query_params["rec"] = str(rec_id)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def fresh(ui_db, author: str) -> int:
    """A new recommendation by ``author``: a draft, so editable (most demo recommendations are adopted)."""
    return make_recommendation(
        demo_world(ui_db),
        author,
        content={
            "en": {
                "title": f"Fresh recommendation {uuid.uuid4().hex[:6]}",
                "text": "The first text.",
                "rationale": "Because it matters.",
            },
            "ru": {"title": "Новая рекомендация", "text": "Первый текст."},
        },
    ).id


def count_titled(ui_db, title: str) -> int:
    page = recommendations.list_recommendations(
        ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1, search=title, page_size=200
    )
    return sum(1 for r in page.items if any(c.title == title for c in r.current_revision.content.values()))


def open_directly(ui_db, role: str, page: str = PAGE) -> AppTest:
    """The page file on its own (for roles whose menu does not offer it)."""
    return page_alone(ui_db, role, page)


def test_observers_get_no_draft_form(app_as, ui_db, ui_env):
    at = open_directly(ui_db, "observer")
    assert at.warning and "do not draft" in at.warning[0].value
    assert not at.text_area and not at.text_input


def test_the_form_has_a_tab_per_language_with_every_field(app_as):
    at = open_draft(app_as, "expert1")
    labels = [t.label for t in at.tabs]
    assert labels[:3] == ["Қазақша", "Русский", "English"]
    for code in ("kk", "ru", "en"):
        for field in ("title", "responsible_body"):
            assert at.text_input(key=f"draft_new_{code}_{field}")
        for field in ("text", "rationale", "legal_basis"):
            assert at.text_area(key=f"draft_new_{code}_{field}")
    assert at.selectbox(key="draft_new_topic") and at.radio(key="draft_new_priority")


def test_an_expert_drafts_a_recommendation_in_kazakh_and_a_double_submit_stores_one(app_as, ui_db):
    at = open_draft(app_as, "expert1", lang="kk")
    at.text_input(key="draft_new_kk_title").input("Еріктілерді сақтандыру")
    at.text_area(key="draft_new_kk_text").input("Заң еріктілерді жазатайым оқиғалардан сақтандыруды талап етуі тиіс.")
    topic = at.selectbox(key="draft_new_topic").options[1]
    at.selectbox(key="draft_new_topic").set_value(topic)
    # (AppTest calls format_func outside the app's session, so a translated radio is set through state.)
    at.session_state["draft_new_priority"] = "high"
    at.button(key="draft_create").click().run()
    assert not at.error, [e.value for e in at.error]
    assert at.success and "сақталды" in at.success[0].value
    state = at.session_state["draft_new_state"]
    rec_id = state["done"][0]
    rec = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "expert1"), recommendation_id=rec_id)
    # The expert chose the topic by its Kazakh name; the recommendation stores that topic's key.
    from recdraft.demo import content as demo_content

    assert topic == "Тану және көмекші мәртебе"
    assert rec.topic == next(t.key for t in demo_content().roundtable.topics if t.labels["kk"] == topic)
    assert rec.priority == "high" and list(rec.current_revision.content) == ["kk"]
    # A second click that raced the first: the same form and the same text send the same key.
    state["done"] = None
    at.run()
    at.text_input(key="draft_new_kk_title").input("Еріктілерді сақтандыру")
    at.text_area(key="draft_new_kk_text").input("Заң еріктілерді жазатайым оқиғалардан сақтандыруды талап етуі тиіс.")
    at.selectbox(key="draft_new_topic").set_value(topic)
    at.session_state["draft_new_priority"] = "high"
    at.button(key="draft_create").click().run()
    assert at.session_state["draft_new_state"]["done"][0] == rec_id
    assert count_titled(ui_db, "Еріктілерді сақтандыру") == 1


def test_a_missing_title_is_a_readable_error(app_as):
    at = open_draft(app_as, "expert2")
    at.text_area(key="draft_new_en_text").input("Text without a title.")
    at.button(key="draft_create").click().run()
    assert at.error and "Title" in at.error[0].value


def test_an_expert_who_is_not_an_author_cannot_edit(app_as, ui_db):
    at = open_draft(app_as, "expert5", fresh(ui_db, "expert1"))
    assert at.warning and "propose an amendment" in at.warning[0].value
    assert not at.text_area


def test_an_adopted_recommendation_cannot_be_edited(app_as, ui_db):
    at = open_draft(app_as, "expert3", 1)
    assert at.warning and "can no longer be edited" in at.warning[0].value
    assert not at.text_area


def test_editing_starts_from_the_current_revision_and_saves_a_new_one(app_as, ui_db):
    author = user_id(ui_db, "expert4")
    rec_id = fresh(ui_db, "expert4")
    before = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    at = open_draft(app_as, "expert4", rec_id)
    state = at.session_state[f"draft_edit_{rec_id}"]
    assert state["base_revision_id"] == before.current_revision.id
    assert at.text_input(key=f"draft_edit_{rec_id}_f_en_title").value == before.current_revision.content["en"].title
    assert at.text_input(key=f"draft_edit_{rec_id}_f_ru_title").value == "Новая рекомендация"
    at.text_area(key=f"draft_edit_{rec_id}_f_en_text").input("The first text. Added sentence.")
    at.text_input(key=f"draft_edit_{rec_id}_f_note").input("One more sentence.")
    at.button(key=f"draft_save_{rec_id}").click().run()
    assert not at.error, [e.value for e in at.error]
    after = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    assert after.current_revision.number == before.current_revision.number + 1
    assert after.current_revision.note == "One more sentence."
    assert after.current_revision.content["en"].text.endswith("Added sentence.")
    assert any("Saved as revision" in s.value for s in at.success)


def test_a_conflict_shows_both_texts_keeps_mine_and_saves_the_merge_on_the_new_base(app_as, ui_db):
    author, moderator = user_id(ui_db, "expert6"), user_id(ui_db, "moderator")
    rec_id = fresh(ui_db, "expert6")
    start = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    at = open_draft(app_as, "expert6", rec_id)
    assert at.session_state[f"draft_edit_{rec_id}"]["base_revision_id"] == start.current_revision.id
    # Someone else saves first.
    theirs = {code: c.model_dump() for code, c in start.current_revision.content.items()}
    theirs["en"]["text"] = "The moderator's version of the text."
    newer = recommendations.edit_recommendation(
        ui_db, actor_id=moderator, recommendation_id=rec_id, base_revision_id=start.current_revision.id, content=theirs
    )
    mine = "My own careful wording that must not be lost."
    at.text_area(key=f"draft_edit_{rec_id}_f_en_text").input(mine)
    at.button(key=f"draft_save_{rec_id}").click().run()
    assert not at.exception
    page = texts(at).replace("\\", "")
    # Issue 18 item 7: the conflict names who saved the other revision, and when (today: the time).
    assert f"{newer.current_revision.author_name} saved revision {newer.current_revision.number} at " in page
    assert "The moderator's version of the text." in page and mine in page
    assert "Your text" in page and f"Current text (revision {newer.current_revision.number})" in page
    assert any(":green-background[" in m.value for m in at.markdown)
    assert at.text_area(key=f"draft_edit_{rec_id}_f_en_text").value == mine, "the form keeps what I typed"
    kept = recommendations.list_rejected_edits(ui_db, actor_id=author, recommendation_id=rec_id)
    assert kept and kept[-1].content["en"].text == mine and kept[-1].resolved_revision_id is None
    state = at.session_state[f"draft_edit_{rec_id}"]
    assert state["base_revision_id"] == newer.current_revision.id
    # Merge: keep both ideas and save against the new base.
    at.text_area(key=f"draft_edit_{rec_id}_f_en_text").input("The moderator's version of the text. " + mine)
    at.button(key=f"draft_save_{rec_id}").click().run()
    assert not at.error, [e.value for e in at.error]
    final = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    assert final.current_revision.number == newer.current_revision.number + 1
    assert final.current_revision.base_revision_id == newer.current_revision.id
    kept = recommendations.list_rejected_edits(ui_db, actor_id=author, recommendation_id=rec_id)
    assert kept[-1].resolved_revision_id == final.current_revision.id


def test_kept_texts_are_listed_and_can_be_loaded_into_the_form(app_as, ui_db):
    author = user_id(ui_db, "expert3")
    rec_id = fresh(ui_db, "expert3")
    rec = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    content = {code: c.model_dump() for code, c in rec.current_revision.content.items()}
    # The moderator changes a word (an unchanged save would make no revision, hence no conflict).
    theirs = {**content, "en": {**content["en"], "text": content["en"]["text"] + " (moderator)"}}
    recommendations.edit_recommendation(
        ui_db,
        actor_id=user_id(ui_db, "moderator"),
        recommendation_id=rec_id,
        base_revision_id=rec.current_revision.id,
        content=theirs,
        note="moderator",
    )
    lost = {**content, "en": {**content["en"], "text": "A text that lost the race."}}
    with pytest.raises(Conflict):
        recommendations.edit_recommendation(
            ui_db, actor_id=author, recommendation_id=rec_id, base_revision_id=rec.current_revision.id, content=lost
        )
    kept = recommendations.list_rejected_edits(ui_db, actor_id=author, recommendation_id=rec_id)[-1]
    at = open_draft(app_as, "expert3", rec_id)
    assert any("Kept texts from earlier conflicts" in e.label for e in at.expander)
    at.button(key=f"draft_kept_load_{kept.id}").click().run()
    assert at.text_area(key=f"draft_edit_{rec_id}_f_en_text").value == "A text that lost the race."
    at.button(key=f"draft_save_{rec_id}").click().run()
    assert not at.error, [e.value for e in at.error]
    again = recommendations.get_rejected_edit(ui_db, actor_id=author, draft_id=kept.id)
    assert again.resolved_revision_id is not None


def test_the_draft_page_in_russian(app_as):
    at = open_draft(app_as, "expert2", lang="ru")
    assert at.title[0].value == "Новая рекомендация"
    assert at.button(key="draft_create").label == "Сохранить проект"
