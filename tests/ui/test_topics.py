"""Topics defined at set-up are offered and shown in the reader's language; the key is what is stored."""

from __future__ import annotations

from recdraft.services import recommendations, roundtables
from recdraft.services._base import SYSTEM
from tests.ui.conftest import user_id

TOPICS = [
    {"key": "emblem", "labels": {"en": "The emblem", "ru": "Эмблема", "kk": "Эмблема (белгі)"}},
    {"key": "auxiliary-role", "labels": {"en": "Auxiliary role", "ru": "Вспомогательная роль", "kk": "Көмекші рөл"}},
]


def _define_topics(ui_db) -> None:
    roundtables.update_settings(ui_db, actor_id=SYSTEM, roundtable_id=1, settings={"topics": TOPICS})


def test_the_draft_page_offers_the_roundtables_topics_by_their_label_and_stores_the_key(app_as, ui_db):
    _define_topics(ui_db)
    at = app_as("expert1", page="recdraft/ui/pages/draft.py", lang="ru")
    box = at.selectbox(key="draft_new_topic")
    assert box.options[1:3] == ["Эмблема", "Вспомогательная роль"]
    at.text_input(key="draft_new_ru_title").input("Защитить эмблему законом")
    at.text_area(key="draft_new_ru_text").input("Парламенту следует принять закон об эмблеме.")
    box.set_value("emblem")
    at.button(key="draft_create").click().run()
    assert not at.exception
    page = recommendations.list_recommendations(
        ui_db, actor_id=user_id(ui_db, "expert1"), roundtable_id=1, search="Защитить эмблему"
    )
    assert [r.topic for r in page.items] == ["emblem"]


def test_the_list_filter_names_topics_in_the_interface_language(app_as, ui_db):
    _define_topics(ui_db)
    at = app_as("observer", page="recdraft/ui/pages/recommendations.py", lang="kk")
    options = at.selectbox(key="recs_f_topic").options
    assert "Эмблема (белгі)" in options and "Көмекші рөл" in options
