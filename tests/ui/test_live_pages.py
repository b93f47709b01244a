"""Live mode's pages: the presenter runs the meeting, a phone joins with the code and votes.

The demo roundtable's recommendations are all adopted, rejected or in an open round, so each test adds
one in discussion: the one a meeting can put to a live vote.
"""

from __future__ import annotations

import pytest

from recdraft.services import live, voting
from recdraft.services import recommendations as recs
from tests.ui.conftest import page_alone, texts, user_id

PRESENTER = "recdraft/ui/pages/presenter.py"
PHONE = "recdraft/ui/pages/live.py"
TITLE_KK = "Ұлттық қоғамның еріктілерін сақтандыру"


@pytest.fixture
def in_discussion(ui_db) -> int:
    rec = recs.create_recommendation(
        ui_db,
        actor_id=user_id(ui_db, "expert"),
        roundtable_id=1,
        content={
            "en": {"title": "Insure the National Society's volunteers", "text": "Parliament should insure them."},
            "kk": {"title": TITLE_KK, "text": "Парламент оларды сақтандыруы тиіс."},
        },
    )
    recs.set_status(ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=rec.id, status="discussion")
    return rec.id


def plain(at) -> str:
    """The page's texts without the backslashes that escape Markdown."""
    return texts(at).replace("\\", "")


def _button(at, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0]


def test_the_moderator_starts_a_meeting_in_kazakh_opens_a_vote_and_the_projector_counts_the_phone(
    app_as, ui_db, in_discussion
):
    at = app_as("moderator", PRESENTER)
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="pres_start_lang").set_value("kk")
    _button(at, "Start the meeting").click().run()
    meeting = live.active_meeting(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
    assert meeting is not None and meeting.language == "kk"
    assert meeting.code in plain(at)
    live.show(ui_db, actor_id=user_id(ui_db, "moderator"), live_id=meeting.id, recommendation_id=in_discussion)
    at.run()
    assert TITLE_KK in plain(at)  # the screen's language, whatever the laptop's interface language
    _button(at, "Open the vote").click().run()
    assert not at.exception, [e.value for e in at.exception]
    state = live.state(ui_db, actor_id=user_id(ui_db, "moderator"), live_id=meeting.id)
    assert state.round is not None and state.round.status == "open"

    phone = app_as("expert", PHONE)
    phone.text_input[0].set_value(meeting.code.lower())
    phone.button[0].click().run()  # the form's Join button
    assert not phone.exception, [e.value for e in phone.exception]
    _button(phone, "Agree").click().run()
    assert "Your vote is recorded: Agree" in plain(phone)
    mine = voting.my_ballots(ui_db, actor_id=user_id(ui_db, "expert"), roundtable_id=1)
    assert any(
        item.vote is not None and item.vote.choice == "agree"
        for entry in mine.rounds
        if entry.round.id == state.round.id
        for item in entry.items
    )

    at.run()
    eligible = live.state(ui_db, actor_id=user_id(ui_db, "moderator"), live_id=meeting.id).tally.eligible
    assert f"{eligible} адамның 1-і дауыс берді" in plain(at)
    _button(at, "Close the vote").click().run()
    _button(at, "Yes, close the vote").click().run()
    assert voting.get_round(ui_db, actor_id=user_id(ui_db, "admin"), round_id=state.round.id).status == "closed"
    assert "Дауыс беру жабылды" in plain(at)


def test_an_expert_cannot_run_the_meeting_and_a_wrong_code_says_so(app_as, ui_db):
    at = page_alone(ui_db, "expert", PRESENTER).run()
    assert "Only moderators and administrators run a meeting" in plain(at)
    phone = app_as("expert", PHONE, lang="ru")
    phone.text_input[0].set_value("ZZZ999")
    phone.button[0].click().run()
    assert "Заседания с кодом ZZZ999 сейчас нет" in plain(phone)


def test_the_screens_language_box_follows_the_meeting_and_changes_it(app_as, ui_db):
    moderator = user_id(ui_db, "moderator")
    meeting = live.start(ui_db, actor_id=moderator, roundtable_id=1, language="kk")
    at = app_as("moderator", PRESENTER)
    assert at.selectbox(key="pres_lang").value == "kk"
    live.set_language(ui_db, actor_id=moderator, live_id=meeting.id, language="en")  # from another laptop
    at.run()
    assert at.selectbox(key="pres_lang").value == "en"
    at.selectbox(key="pres_lang").set_value("ru").run()
    assert live.active_meeting(ui_db, actor_id=moderator, roundtable_id=1).language == "ru"
    assert at.selectbox(key="pres_lang").value == "ru"
