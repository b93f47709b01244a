"""The vote page: one ballot with every open round; simple choices, Delphi ratings, stale votes, recusal.

Demo facts: round 3 (open, Delphi, anonymous) carries recommendation 7 forward from the closed Delphi
round 2, where expert1 rated it 3 (group median 6); round 4 (open, simple, blind) holds
recommendations 8 and 14, and expert1 has already agreed to 8. Recommendation ids equal their numbers.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from recdraft.services import recommendations, roundtables, voting
from recdraft.services._base import SYSTEM
from tests.ui.conftest import (
    page_alone,
    page_files,
    texts,
    user_id,
)

PAGE = "recdraft/ui/pages/vote.py"
DELPHI_ROUND, SIMPLE_ROUND = 3, 4


def open_vote(app_as, role: str = "expert", *, lang: str = "en") -> AppTest:
    at = app_as(role, PAGE, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_directly(ui_db, role: str) -> AppTest:
    """The page file on its own (for roles whose menu does not offer it)."""
    return page_alone(ui_db, role, PAGE)


def my_vote(ui_db, role: str, round_id: int, rec_id: int):
    ballots = voting.my_ballots(ui_db, actor_id=user_id(ui_db, role), roundtable_id=1)
    for entry in ballots.rounds:
        for item in entry.items:
            if entry.round.id == round_id and item.recommendation_id == rec_id:
                return item
    raise AssertionError(f"recommendation {rec_id} is not on the ballot of round {round_id}")


def plain(at: AppTest) -> str:
    return texts(at).replace("\\", "")


# ----------------------------------------------------------------------------- who sees a ballot


def test_an_expert_sees_every_open_round_with_its_recommendations_and_what_is_waiting(app_as):
    at = open_vote(app_as, "expert2")
    page = plain(at)
    assert at.title[0].value == "Vote"
    assert [h.value.replace("\\", "") for h in at.subheader] == [
        "Round 3 (Delphi, carried forward)",
        "Round 4 (simple vote)",
    ]
    assert "7. Grant targeted tax and customs facilities" in page
    assert "8. Secure access to people in need" in page and "14. " in page
    # expert2 rated 7 in round 3 already; 8 and 14 are waiting.
    assert "Recommendations waiting for your vote: 2" in page
    assert at.segmented_control(key=f"vote_rating_{DELPHI_ROUND}_7")
    assert at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_8")
    assert not [w for w in at.button if str(w.key or "").startswith("rounds_")]  # no round management here


def test_an_experts_own_vote_is_shown_and_the_form_is_prefilled(app_as):
    at = open_vote(app_as, "expert")
    page = plain(at)
    assert "Your vote: Agree (" in page
    assert at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_8").value == "agree"
    assert at.button(key=f"vote_submit_{SIMPLE_ROUND}_8").label == "Change my vote"
    assert at.button(key=f"vote_submit_{SIMPLE_ROUND}_14").label == "Cast my vote"


def test_observers_get_no_vote_page_and_no_ballot_when_they_open_it(app_as, ui_db):
    assert PAGE not in page_files(app_as("observer"))
    at = open_directly(ui_db, "observer")
    assert any("do not vote" in i.value for i in at.info)
    assert not at.segmented_control and not at.form


def test_moderators_who_do_not_vote_are_sent_to_the_results_page(ui_env, ui_db):
    at = open_directly(ui_db, "moderator")
    assert any("Results page" in i.value for i in at.info)
    assert not at.segmented_control


def test_moderators_vote_when_the_roundtable_lets_them(app_as, ui_db):
    roundtables.update_settings(
        ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1, settings={"moderators_vote": True}
    )
    at = app_as("moderator")
    assert PAGE in page_files(at)
    at.switch_page(PAGE).run()
    assert at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_14")


# ----------------------------------------------------------------------------- simple votes


def test_agreeing_records_the_vote_and_says_so(app_as, ui_db):
    at = open_vote(app_as, "expert3")
    at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_14").set_value("agree").run()
    # An agree vote may carry a reason (it is the dissent if the text is rejected); here it is left empty.
    assert [t.label for t in at.text_area if str(t.key).startswith(f"vote_reason_{SIMPLE_ROUND}_14")] == [
        "Your reason (optional)"
    ]
    at.button(key=f"vote_submit_{SIMPLE_ROUND}_14").click().run()
    assert not at.exception
    assert any("recommendation 14 was recorded" in s.value for s in at.success)
    item = my_vote(ui_db, "expert3", SIMPLE_ROUND, 14)
    assert item.vote is not None and item.vote.choice == "agree" and item.vote.reason is None


def test_a_block_needs_a_reason_and_then_may_carry_the_name(app_as, ui_db):
    at = open_vote(app_as, "expert4")
    at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_8").set_value("block").run()
    at.button(key=f"vote_submit_{SIMPLE_ROUND}_8").click().run()
    assert any("A block needs a reason" in e.value for e in at.error)
    assert my_vote(ui_db, "expert4", SIMPLE_ROUND, 8).vote is None

    at.text_area(key=f"vote_reason_{SIMPLE_ROUND}_8_block").input("The security exception is too broad.")
    at.checkbox(key=f"vote_named_{SIMPLE_ROUND}_8").check()
    at.button(key=f"vote_submit_{SIMPLE_ROUND}_8").click().run()
    vote = my_vote(ui_db, "expert4", SIMPLE_ROUND, 8).vote
    assert vote is not None and vote.choice == "block"
    assert vote.reason == "The security exception is too broad." and vote.reason_named is True


def test_a_disagreement_may_go_without_a_reason(app_as, ui_db):
    at = open_vote(app_as, "expert5")
    at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_8").set_value("disagree").run()
    assert at.text_area(key=f"vote_reason_{SIMPLE_ROUND}_8_disagree").label == "Your reason (optional)"
    at.button(key=f"vote_submit_{SIMPLE_ROUND}_8").click().run()
    vote = my_vote(ui_db, "expert5", SIMPLE_ROUND, 8).vote
    assert vote is not None and vote.choice == "disagree" and vote.reason is None


def test_choosing_nothing_asks_for_a_choice(app_as, ui_db):
    at = open_vote(app_as, "expert6")
    at.button(key=f"vote_submit_{SIMPLE_ROUND}_14").click().run()
    assert any("Choose agree, disagree, abstain or block" in e.value for e in at.error)
    assert my_vote(ui_db, "expert6", SIMPLE_ROUND, 14).vote is None


def test_submitting_the_same_vote_twice_records_it_once(app_as, ui_db):
    at = open_vote(app_as, "expert6")
    at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_14").set_value("abstain").run()
    at.button(key=f"vote_submit_{SIMPLE_ROUND}_14").click().run()
    at.button(key=f"vote_submit_{SIMPLE_ROUND}_14").click().run()
    history = voting.my_vote_history(
        ui_db, actor_id=user_id(ui_db, "expert6"), round_id=SIMPLE_ROUND, recommendation_id=14
    )
    assert [h.action for h in history] == ["cast"]


def test_my_votes_on_an_item_are_listed_with_the_reasons_i_gave(app_as, ui_db):
    at = open_vote(app_as, "expert6")
    key = f"{SIMPLE_ROUND}_14"
    with pytest.raises(KeyError):
        at.expander(key=f"vote_history_{key}")  # nothing cast yet on item 14
    at.segmented_control(key=f"vote_choice_{key}").set_value("disagree").run()
    at.text_area(key=f"vote_reason_{key}_disagree").input("The wording overlaps recommendation 3")
    at.button(key=f"vote_submit_{key}").click().run()
    at.segmented_control(key=f"vote_choice_{key}").set_value("agree").run()
    at.button(key=f"vote_submit_{key}").click().run()
    at.run()
    history = at.expander(key=f"vote_history_{key}")
    assert history.label == "My votes on this text (2)"
    listed = " ".join(m.value for m in history.markdown).replace("\\", "")
    assert "vote cast: **Disagree** · The wording overlaps recommendation 3" in listed
    assert "vote changed: **Agree**" in listed
    assert listed.index("vote cast") < listed.index("vote changed")
    histories = voting.my_vote_histories(ui_db, actor_id=user_id(ui_db, "expert6"), roundtable_id=1)
    assert [h.action for h in histories[(SIMPLE_ROUND, 14)]] == ["cast", "change"]


def test_vote_histories_are_the_persons_own(ui_db):
    mine = voting.my_vote_histories(ui_db, actor_id=user_id(ui_db, "expert"), roundtable_id=1)
    for (round_id, rec_id), entries in mine.items():
        assert entries == voting.my_vote_history(
            ui_db, actor_id=user_id(ui_db, "expert"), round_id=round_id, recommendation_id=rec_id
        )


# ----------------------------------------------------------------------------- Delphi


def test_the_delphi_ballot_shows_my_previous_rating_beside_the_groups_spread(app_as):
    at = open_vote(app_as, "expert")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Your rating"] == "3"
    assert metrics["Group median"] == "6"
    assert metrics["Middle half of ratings"] == "4.25–7.75"
    assert metrics["Ratings"] == "6"
    assert len(at.get("vega_lite_chart")) == 1  # the histogram (an UnknownElement to AppTest)


def test_a_delphi_rating_with_a_comment_is_recorded(app_as, ui_db):
    at = open_vote(app_as, "expert")
    at.segmented_control(key=f"vote_rating_{DELPHI_ROUND}_7").set_value(6)
    at.text_area(key=f"vote_comment_{DELPHI_ROUND}_7").input("Closer now; the VAT part convinced me.")
    at.button(key=f"vote_submit_{DELPHI_ROUND}_7").click().run()
    assert not at.exception
    vote = my_vote(ui_db, "expert", DELPHI_ROUND, 7).vote
    assert vote is not None and vote.rating == 6 and vote.choice is None
    assert vote.reason == "Closer now; the VAT part convinced me."


def test_a_delphi_block_needs_a_comment(app_as, ui_db):
    at = open_vote(app_as, "expert3")
    at.segmented_control(key=f"vote_rating_{DELPHI_ROUND}_7").set_value(2)
    at.checkbox(key=f"vote_block_{DELPHI_ROUND}_7").check()
    at.button(key=f"vote_submit_{DELPHI_ROUND}_7").click().run()
    assert any("A block needs a reason" in e.value for e in at.error)
    assert my_vote(ui_db, "expert3", DELPHI_ROUND, 7).vote is None


# ----------------------------------------------------------------------------- stale votes, recusal


def test_a_vote_on_an_earlier_text_is_flagged_and_can_be_confirmed(app_as, ui_db):
    moderator = user_id(ui_db, "moderator")
    rec = recommendations.get_recommendation(ui_db, actor_id=moderator, recommendation_id=8)
    content = {code: c.model_dump() for code, c in rec.current_revision.content.items()}
    content["en"]["text"] += " Access must never be made conditional on payment."
    recommendations.edit_recommendation(
        ui_db, actor_id=moderator, recommendation_id=8, base_revision_id=rec.current_revision.id, content=content
    )
    at = open_vote(app_as, "expert")
    assert any("The text changed after you voted" in w.value for w in at.warning)
    assert "Text changed" in plain(at)
    at.button(key=f"vote_confirm_{SIMPLE_ROUND}_8").click().run()
    assert any("now counts for the new text" in s.value for s in at.success)
    item = my_vote(ui_db, "expert", SIMPLE_ROUND, 8)
    assert not item.stale and item.vote.choice == "agree"
    assert not at.warning


def test_recusing_takes_me_out_and_withdrawing_brings_the_ballot_back(app_as, ui_db):
    at = open_vote(app_as, "expert2")
    at.text_input(key=f"vote_recuse_reason_{SIMPLE_ROUND}_14").input("I advised the Society on volunteer insurance.")
    at.button(key=f"vote_recuse_{SIMPLE_ROUND}_14").click().run()
    assert my_vote(ui_db, "expert2", SIMPLE_ROUND, 14).recused
    assert any("You recused yourself from this recommendation" in i.value for i in at.info)
    with pytest.raises(KeyError):
        at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_14")
    at.button(key=f"vote_unrecuse_{SIMPLE_ROUND}_14").click().run()
    assert not my_vote(ui_db, "expert2", SIMPLE_ROUND, 14).recused
    assert at.segmented_control(key=f"vote_choice_{SIMPLE_ROUND}_14")


# ----------------------------------------------------------------------------- languages, safety


def test_the_ballot_speaks_kazakh_and_russian(app_as):
    kk = plain(open_vote(app_as, "expert2", lang="kk"))
    assert "Дауыс беру" in kk and "Дельфи әдісімен бағалау" in kk
    assert "Сіздің дауысыңызды күтіп тұрған ұсынымдар: 2" in kk
    ru = open_vote(app_as, "expert", lang="ru")
    page = plain(ru)
    assert ru.title[0].value == "Голосование"
    assert "Простое голосование" in page and "Ваш голос: Согласен (" in page
    assert any(
        month in page
        for month in (
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        )
    )


def test_a_reason_with_markup_is_stored_and_shown_as_typed(app_as, ui_db):
    reason = "<img src=x onerror=alert(1)> **not bold** :red[no colour]"
    voting.cast_vote(
        ui_db,
        actor_id=user_id(ui_db, "expert2"),
        round_id=SIMPLE_ROUND,
        recommendation_id=8,
        choice="disagree",
        reason=reason,
    )
    at = open_vote(app_as, "expert2")
    assert at.text_area(key=f"vote_reason_{SIMPLE_ROUND}_8_disagree").value == reason
    # Shown in my vote history, escaped: Markdown prints it as typed, no tag, no bold, no colour.
    shown = [m.value for m in at.markdown if "img" in m.value]
    assert shown and all("<img" not in v.replace("\\<", "") and "**not bold**" not in v for v in shown)
    assert any("\\*\\*not bold\\*\\*" in v and "\\:red\\[no colour\\]" in v for v in shown)


# ----------------------------------------------------------------------------- phases


def test_in_the_final_phase_my_votes_stay_visible_but_no_ballot_takes_a_vote(app_as, ui_db):
    roundtables.set_phase(ui_db, actor_id=SYSTEM, roundtable_id=1, phase="closed")
    at = open_vote(app_as, "expert")
    assert "This roundtable is final: texts, comments and votes are closed." in [i.value for i in at.info]
    assert "Your vote: Agree (" in plain(at), "the vote cast before the phase closed is still shown"
    assert not [w for w in at.button if str(w.key or "").startswith(("vote_submit_", "vote_recuse_", "vote_confirm_"))]
    assert not [w for w in at.segmented_control if str(w.key or "").startswith(("vote_choice_", "vote_rating_"))]
    assert "Recommendations waiting for your vote" not in plain(at), "nothing is waiting once voting is closed"


def test_before_commenting_opens_the_ballot_says_voting_is_not_open_yet(app_as, ui_db):
    roundtables.set_phase(ui_db, actor_id=SYSTEM, roundtable_id=1, phase="setup")
    at = open_vote(app_as, "expert2")
    assert any("Voting is not open in the “Set-up” phase" in i.value for i in at.info)
    assert not [w for w in at.button if str(w.key or "").startswith("vote_submit_")]
