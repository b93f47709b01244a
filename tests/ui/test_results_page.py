"""The results page: charts, quorum and rule, outcomes, groups and dissent per round; round management.

Demo facts: round 1 (closed, simple, named) adopted nine recommendations and rejected no. 6, whose
dissent names Jonas Aebischer (he allowed it) beside anonymous reasons; a block on no. 5 was overridden.
Round 2 (closed, Delphi, anonymous) adopted no. 10 and carried no. 7 forward to round 3 (open).
Round 4 (open, blind) holds nos. 8 and 14; expert1 agreed to 8. Round and recommendation ids equal
their numbers.
"""

from __future__ import annotations

import csv
import io

import pytest
from streamlit.testing.v1 import AppTest

from recdraft.services import recommendations, roundtables, voting
from recdraft.services._base import SYSTEM
from recdraft.ui.screens.results.round_admin import votes_csv
from tests.factories import make_user
from tests.ui.conftest import LANG_KEY, ROOT, TOKEN_KEY, texts, token_for, user_id

PAGE = "recdraft/ui/pages/results.py"
STAFF_KEYS = ("rounds_", "results_csv")


def open_results(app_as, role: str, *, lang: str = "en", round_number: int | None = None) -> AppTest:
    at = app_as(role, PAGE, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    if round_number is not None:
        at.selectbox(key="results_round").set_value(round_number).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def plain(at: AppTest) -> str:
    return texts(at).replace("\\", "")


def charts(at: AppTest) -> int:
    return len(at.get("vega_lite_chart"))


def staff_controls(at: AppTest) -> list[str]:
    keyed = [*at.button, *at.text_area, *at.multiselect, *at.text_input]
    found = [str(w.key) for w in keyed if str(w.key or "").startswith("rounds_")]
    return found + [str(d.proto.id) for d in at.get("download_button")]


def vote(ui_db, who: str, round_id: int, rec_id: int, choice: str, reason: str | None = None) -> None:
    voting.cast_vote(
        ui_db, actor_id=user_id(ui_db, who), round_id=round_id, recommendation_id=rec_id, choice=choice, reason=reason
    )


# ----------------------------------------------------------------------------- what everyone sees


def test_an_expert_sees_a_blind_open_round_as_hidden_with_no_figures_and_no_management(app_as):
    at = open_results(app_as, "expert")
    assert at.title[0].value == "Results"
    assert at.selectbox(key="results_round").value == 4  # the newest round first
    assert any("blind round" in i.value for i in at.info)
    assert charts(at) == 0
    assert "voted" not in plain(at)  # not even the turnout
    assert staff_controls(at) == []


def test_a_closed_simple_round_shows_a_chart_outcome_quorum_and_rule_per_recommendation(app_as):
    at = open_results(app_as, "expert", round_number=1)
    page = plain(at)
    assert charts(at) == 10
    assert page.count(":green-badge[Adopted]") == 9 and page.count(":red-badge[Rejected]") == 1
    assert "6 of 6 voted (100%)" in page and "The rule is met" in page and "The rule is not met" in page
    assert "Block overridden:" in page and "The Ministry was consulted at the roundtable" in page
    assert staff_controls(at) == []


def test_dissent_names_only_those_who_allowed_it(app_as):
    at = open_results(app_as, "observer", round_number=1)
    page = plain(at)
    # Dissent is the minority against the outcome, and every block (issue 10, item 3): for the rejected text
    # the one agree vote, not the four disagree votes of the majority.
    assert "Dissenting opinions (1)" in page and "Dissenting opinions (2)" in page
    assert "Irina Kovalenko (Red Crescent Society of Kazakhstan)** · Agree" in page  # she allowed her name
    assert "The ICRC Model Law recommends one supervising authority" in page
    assert "A separate authority duplicates what the Ministry of Justice already does." not in page
    assert page.count("**Anonymous** · Disagree") == 1  # the reason, without its author
    assert "Criminal penalties for indicative misuse go further" in page


def test_group_tallies_are_a_table_per_recommendation(app_as):
    at = open_results(app_as, "expert", round_number=1)
    assert "By participant group (4)" in plain(at)
    table = at.dataframe[0].value
    assert list(table.columns)[:2] == ["Group", "Voted"]
    assert {"Faculty", "ICRC", "Parliament", "Red Crescent Society"} <= set(table["Group"])


def test_a_delphi_round_shows_histograms_medians_and_no_names(app_as):
    at = open_results(app_as, "expert", round_number=2)
    page = plain(at)
    assert charts(at) == 2
    assert ":orange-badge[No consensus]" in page and ":green-badge[Adopted]" in page
    assert "median 6" in page and "median 8" in page
    assert "Rating 3" not in page and "rating 3" in page  # the dissent shows the rating...
    dissent = [
        m.value
        for m in at.main.markdown
        if m.value.startswith("**") and ("Anonymous" in m.value or "Aebischer" in m.value)
    ]
    assert len(dissent) == 2 and all("**Anonymous**" in d for d in dissent)  # never a name when anonymous


def test_the_url_can_name_the_round(ui_env, ui_db):
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=30)
    at.session_state[LANG_KEY] = "en"
    at.session_state[TOKEN_KEY] = token_for(ui_db, "expert")
    at.query_params["round"] = "2"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="results_round").value == 2
    assert charts(at) == 2


def test_results_by_recommendation_list_every_round_it_was_in(app_as):
    at = open_results(app_as, "expert")
    at.segmented_control(key="results_view").set_value("recommendation").run()
    at.selectbox(key="results_rec").set_value(7).run()
    assert not at.exception
    page = plain(at)
    assert "Round 2 (Delphi)" in page and "Round 3 (Delphi, carried forward)" in page
    assert charts(at) == 2


def test_results_speak_russian_and_kazakh(app_as):
    ru = plain(open_results(app_as, "expert", lang="ru", round_number=1))
    assert "Итоги" in ru and "Принята" in ru and "Отклонена" in ru and "Проголосовали 6 из 6 (100 %)" in ru
    kk = plain(open_results(app_as, "expert", lang="kk", round_number=1))
    assert "Қорытындылар" in kk and "Қабылданды" in kk and "Қабылданбады" in kk


# ----------------------------------------------------------------------------- moderators manage rounds


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_see_live_figures_of_a_blind_round_and_its_controls(app_as, role):
    at = open_results(app_as, role)
    assert not any("blind round" in i.value for i in at.info)
    assert charts(at) == 2
    assert "1 of 6 voted" in plain(at)
    assert at.button(key="rounds_close_4")
    assert at.get("download_button")  # the CSV of the votes
    assert any(e.label == "Open a new voting round" for e in at.expander)
    assert "No recommendation can be put to a vote now" in plain(at)  # all are decided or in open rounds


def test_closing_a_round_freezes_it_and_applies_the_outcomes(app_as, ui_db):
    for who in ("expert2", "expert3", "expert4"):
        vote(ui_db, who, 4, 8, "agree")
    at = open_results(app_as, "moderator")
    at.button(key="rounds_close_4").click().run()
    at.button(key="rounds_close_yes_4").click().run()  # closing asks for a confirmation first
    assert not at.exception
    assert any("Round 4 is closed" in s.value for s in at.success)
    assert voting.get_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=4).status == "closed"
    rec = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=8)
    assert rec.status == "adopted"
    assert ":green-badge[Adopted]" in plain(at)
    assert not [b for b in at.button if b.key == "rounds_close_4"]


def test_a_block_is_overridden_only_with_a_recorded_reason(app_as, ui_db):
    for who in ("expert1", "expert2", "expert3", "expert4"):
        vote(ui_db, who, 4, 14, "agree")
    vote(ui_db, "expert5", 4, 14, "block", "Insurance costs are not covered.")
    at = open_results(app_as, "moderator")
    box = at.text_area(key="rounds_override_4_14")
    assert "Override the block on 14." in box.label
    box.input("The Government confirmed the insurance budget at the roundtable.")
    at.button(key="rounds_close_4").click().run()
    at.button(key="rounds_close_yes_4").click().run()  # closing asks for a confirmation first
    assert not at.exception
    result = voting.round_results(ui_db, actor_id=user_id(ui_db, "expert"), round_id=4)
    item = next(i for i in result.items if i.recommendation_id == 14)
    assert item.overall.outcome == "adopted" and item.overall.block_override_applied
    assert item.block_override_reason == "The Government confirmed the insurance budget at the roundtable."


def test_opening_a_delphi_round_with_chosen_rules(app_as, ui_db):
    voting.close_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=3)  # no. 7 back to discussion
    at = open_results(app_as, "moderator")
    at.segmented_control(key="rounds_new_mode").set_value("delphi").run()
    at.multiselect(key="rounds_new_recs").set_value([7])
    at.text_input(key="rounds_new_name").input("Round 5 (final Delphi)")
    at.number_input(key="rounds_new_quorum").set_value(60)
    at.checkbox(key="rounds_new_anonymous").check()
    at.button(key="rounds_open_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Round 5 is open" in s.value for s in at.success)
    opened = voting.list_rounds(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)[-1]
    assert opened.number == 5 and opened.mode == "delphi" and opened.recommendation_ids == [7]
    assert opened.rules["quorum"] == "3/5" and opened.rules["anonymous"] is True
    assert opened.rules["delphi_band_low"] == 7 and opened.rules["delphi_agreement_share"] == "7/10"
    assert at.selectbox(key="results_round").value == opened.id


def test_opening_without_a_recommendation_is_refused_on_the_page(app_as, ui_db):
    voting.close_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=3)
    at = open_results(app_as, "moderator")
    at.button(key="rounds_open_submit").click().run()
    assert any("Choose at least one recommendation" in e.value for e in at.error)
    assert len(voting.list_rounds(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)) == 4


def test_carrying_forward_opens_the_next_round_with_the_undecided_items(app_as, ui_db):
    voting.close_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=3)
    at = open_results(app_as, "moderator", round_number=3)
    at.button(key="rounds_carry_3").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rounds = voting.list_rounds(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
    assert rounds[-1].carried_from_round_id == 3 and rounds[-1].recommendation_ids == [7]
    assert rounds[-1].mode == "delphi"
    assert "Round 5" in [h.value for h in at.subheader]  # an unnamed round is called by its number


def test_a_round_already_carried_forward_says_where_to(app_as):
    at = open_results(app_as, "moderator", round_number=2)
    assert "carried forward to round 3" in plain(at)
    assert not [b for b in at.button if b.key == "rounds_carry_2"]


# ----------------------------------------------------------------------------- the CSV of the votes


def test_the_votes_csv_opens_in_excel_with_kazakh_and_russian_text(ui_db):
    reason = "Ерікті сақтандыру бюджеті — не определён."
    vote(ui_db, "expert2", 4, 14, "disagree", reason)
    data = votes_csv(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=4)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0].keys() >= {"round", "recommendation", "voter", "choice", "reason"}
    assert any(r["reason"] == reason for r in rows)


def test_experts_cannot_download_the_votes(ui_db):
    from recdraft.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        votes_csv(ui_db, actor_id=user_id(ui_db, "expert"), round_id=1)


# ----------------------------------------------------------------------------- closing needs a confirmation


def test_closing_without_confirming_closes_nothing(app_as, ui_db):
    at = open_results(app_as, "moderator")
    assert at.button(key="rounds_close_4").label == "Close round 4…"
    at.button(key="rounds_close_4").click().run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "result is then frozen" in warning and "cannot be undone" in warning
    assert voting.get_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=4).status == "open"
    at.button(key="rounds_close_no_4").click().run()
    assert not at.exception
    assert voting.get_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=4).status == "open"
    assert at.button(key="rounds_close_4")  # back to the first step
    assert not [b for b in at.button if b.key == "rounds_close_yes_4"]


def test_after_confirming_the_round_is_closed_with_the_override_typed_before(app_as, ui_db):
    for who in ("expert1", "expert2", "expert3", "expert4"):
        vote(ui_db, who, 4, 14, "agree")
    vote(ui_db, "expert5", 4, 14, "block", "Insurance costs are not covered.")
    at = open_results(app_as, "moderator")
    at.text_area(key="rounds_override_4_14").input("The budget was confirmed at the roundtable.")
    at.button(key="rounds_close_4").click().run()
    assert "Block overrides to record: 1." in plain(at)
    at.button(key="rounds_close_yes_4").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Round 4 is closed" in s.value for s in at.success)
    result = voting.round_results(ui_db, actor_id=user_id(ui_db, "expert"), round_id=4)
    item = next(i for i in result.items if i.recommendation_id == 14)
    assert (
        result.round.status == "closed" and item.block_override_reason == "The budget was confirmed at the roundtable."
    )


def test_a_round_says_how_many_may_vote_in_it(app_as):
    at = open_results(app_as, "moderator")
    assert "6 eligible voters (fixed when the round opened)" in plain(at)


def test_the_open_round_form_starts_from_the_roundtables_voting_defaults(app_as, ui_db):
    roundtables.update_settings(
        ui_db,
        actor_id=SYSTEM,
        roundtable_id=1,
        settings={
            "voting_defaults": {
                "quorum": "3/5",
                "threshold": "3/4",
                "delphi_agreement_share": "4/5",
                "delphi_max_iqr": "1.5",
                "blocks_prevent_adoption": False,
            }
        },
    )
    voting.close_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=3)  # no. 7 back to discussion
    at = open_results(app_as, "moderator")
    assert "voting defaults" in plain(at)
    assert at.number_input(key="rounds_new_quorum").value == 60
    assert at.selectbox(key="rounds_new_threshold").value == "3/4"
    assert at.checkbox(key="rounds_new_blocks").value is False
    at.segmented_control(key="rounds_new_mode").set_value("delphi").run()
    assert at.number_input(key="rounds_new_share").value == 80
    assert at.number_input(key="rounds_new_iqr").value == 1.5
    at.segmented_control(key="rounds_new_mode").set_value("simple").run()
    at.multiselect(key="rounds_new_recs").set_value([7])
    at.button(key="rounds_open_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    opened = voting.list_rounds(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)[-1]
    assert opened.recommendation_ids == [7]
    assert opened.rules["quorum"] == "3/5" and opened.rules["threshold"] == "3/4"
    assert opened.rules["blocks_prevent_adoption"] is False


def test_without_voting_defaults_the_form_starts_from_the_usual_rules(app_as, ui_db):
    voting.close_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=3)
    at = open_results(app_as, "moderator")
    assert at.number_input(key="rounds_new_quorum").value == 50
    assert at.selectbox(key="rounds_new_threshold").value == "2/3"
    assert at.checkbox(key="rounds_new_blocks").value is True


def test_someone_who_joins_during_an_open_round_does_not_change_its_eligible_count(app_as, ui_db):
    newcomer = make_user(ui_db, "latecomer")
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=newcomer, role="expert")
    at = open_results(app_as, "moderator")
    assert "6 eligible voters (fixed when the round opened)" in plain(at)
    assert "7 eligible voters" not in plain(at)
