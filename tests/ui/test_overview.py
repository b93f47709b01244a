"""The overview: the roundtable, my to-dos, and what changed since my last visit."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

from recdraft.i18n import catalog
from recdraft.schemas.views import AuditEventView
from recdraft.services import activity, moderation
from tests.ui.conftest import texts, user_id

ROOT = Path(__file__).resolve().parents[2]


def _event(
    action: str,
    *,
    actor: str = "Aizhan",
    details: dict | None = None,
    object_type: str = "recommendation",
    object_id: int | None = 1,
) -> AuditEventView:
    return AuditEventView(
        id=1,
        at=datetime(2025, 2, 6, 9, tzinfo=UTC),
        actor_id=2,
        actor_name=actor,
        roundtable_id=1,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
    )


def test_the_overview_shows_the_roundtable_in_the_interface_language(app_as):
    en = app_as("observer")
    assert not en.exception
    assert "National Societies of the Red Cross" in en.header[0].value
    shown = texts(en)
    assert "6 February 2025" in shown and "Drafting" in shown
    kk = app_as("observer", lang="kk")
    assert "2025 жылғы 6 ақпан" in texts(kk)
    assert "Қызыл" in kk.header[0].value
    ru = app_as("observer", lang="ru")
    assert "6 февраля 2025 г." in texts(ru)


def test_an_expert_sees_comments_waiting_for_a_response_on_their_recommendations(app_as):
    at = app_as("expert1")
    todo = [t.value for t in at.text if t.value.startswith("Comments awaiting your response")]
    assert todo, texts(at)
    assert all(re.search(r": \d+ — recommendation \d+", line) for line in todo)


def test_moderators_see_how_many_comments_wait_for_moderation(app_as, ui_db):
    moderator = user_id(ui_db, "moderator")
    pending = moderation.unmoderated_count(ui_db, actor_id=moderator, roundtable_id=1)
    assert pending > 0
    at = app_as("moderator")
    assert f"Comments waiting for moderation: {pending}" in [t.value for t in at.text]
    observer = app_as("observer")
    assert "Comments waiting for moderation" not in texts(observer)
    assert "Nothing is waiting for you right now." in texts(observer)


def test_the_feed_shows_what_others_did_and_keeps_it_until_dismissed(app_as, ui_db):
    # Issue 18: a reload used to say "Nothing has changed" because showing the list marked it seen.
    viewer = user_id(ui_db, "expert2")
    assert activity.activity_feed(ui_db, actor_id=viewer, roundtable_id=1)
    at = app_as("expert2")
    shown = texts(at)
    assert "changed the status of a recommendation" in shown or "commented on a recommendation" in shown
    assert activity.activity_feed(ui_db, actor_id=viewer, roundtable_id=1)  # shown is not read
    at.run()
    assert texts(at) == shown
    again = app_as("expert2")
    assert "Nothing has changed since your last visit." not in texts(again)
    again.button(key="overview_dismiss").click().run()
    assert "Nothing has changed since your last visit." in texts(again)
    later = app_as("expert2")
    assert "Nothing has changed since your last visit." in texts(later)
    # ... and the last 7 days are there on demand.
    later.segmented_control(key="overview_feed_span").set_value("week").run()
    assert "Nothing has changed since your last visit." not in texts(later)


def test_events_read_as_sentences_in_each_language():
    import streamlit as st

    from recdraft.ui.screens.overview import event_sentence, feed_lines

    st.session_state["recdraft_lang"] = "ru"
    try:
        assert event_sentence(_event("roundtable.phase", details={"to": "voting"})) == (
            "Aizhan: круглый стол переведён на этап «Голосование»"
        )
        st.session_state["recdraft_lang"] = "kk"
        assert event_sentence(_event("comment.post")) == "Aizhan ұсынымға пікір қалдырды"
        st.session_state["recdraft_lang"] = "en"
        assert event_sentence(_event("something.new")) == "Aizhan made a change"
        assert event_sentence(_event("comment.post", actor=None)).startswith("Someone")
        lines = feed_lines([_event("recommendation.status", object_id=i) for i in (1, 2, 3)], {1: 4, 2: 5, 3: 6})
        assert len(lines) == 1 and lines[0].count == 3 and sorted(lines[0].numbers) == [4, 5, 6]
    finally:
        st.session_state.clear()


def _audited_actions() -> set[str]:
    found = set()
    for path in (ROOT / "recdraft" / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "action"
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and "." in node.value.value
            ):
                found.add(node.value.value)
    return found


def test_every_roundtable_event_a_service_records_has_a_sentence():
    # Sign-ins, accounts, backups and a person's own mail settings are not roundtable events (their audit
    # rows carry no roundtable): the feed never shows them.
    not_in_feed = ("auth.", "user.", "backup.", "mail.")
    missing = sorted(
        a for a in _audited_actions() if not a.startswith(not_in_feed) and f"activity.{a}" not in catalog()
    )
    assert missing == []


def test_experts_see_the_votes_waiting_for_them(app_as, ui_db):
    from recdraft.services.voting import my_ballots

    ballots = my_ballots(ui_db, actor_id=user_id(ui_db, "expert1"), roundtable_id=1)
    waiting = [i for r in ballots.rounds for i in r.items if i.needs_action]
    at = app_as("expert1")
    lines = [t.value for t in at.text if t.value.startswith(("Votes to cast", "Votes to re-confirm"))]
    if waiting:
        assert lines, texts(at)
    else:
        assert not lines
    assert not [t.value for t in app_as("observer").text if t.value.startswith("Votes to cast")]
