"""The results page at the size of a whole bill: a page of results at a time, and every chart's figures as text.

Issue 15 goal 1 (a page of results, not the whole round) and issue 17 item 3 (every chart has a caption
and a table with the same figures, which a screen reader and the keyboard reach). Demo facts: round 1
(closed, simple) holds recommendations 1–10; round 2 (closed, Delphi) holds 7 and 10.
"""

from __future__ import annotations

from recdraft.services import recommendations, voting
from recdraft.ui.screens.results import RESULTS_PAGE_SIZE
from tests.factories import make_recommendation, make_round, vote
from tests.ui.conftest import demo_world, user_id
from tests.ui.test_results_page import charts, open_results

CHOICES = ("agree", "disagree", "abstain", "block")


def figure_tables(at) -> list[list[list[str]]]:
    """Every Markdown table on the page as rows of cells (the header row first), backslash escapes removed."""
    out = []
    for m in at.main.markdown:
        lines = [ln for ln in str(m.value).splitlines() if ln.startswith("|")]
        if len(lines) == 3 and set(lines[1]) <= set("|-: "):
            out.append(
                [[c.strip().replace("\\", "") for c in ln.strip("|").split(" | ")] for ln in (lines[0], lines[2])]
            )
    return out


def test_every_simple_chart_has_a_table_with_the_tallys_figures(app_as, ui_db):
    at = open_results(app_as, "expert", round_number=1)
    tally = voting.round_results(ui_db, actor_id=user_id(ui_db, "expert"), round_id=1)
    tables = figure_tables(at)
    assert charts(at) == len(tables) == 10
    for table, item in zip(tables, tally.items, strict=True):
        header, row = table
        assert header == ["Vote", "Agree", "Disagree", "Abstained", "Blocked"]
        assert row[0] == "Votes"
        assert [int(n) for n in row[1:]] == [getattr(item.overall, c) for c in CHOICES]
    assert sum(c.value.startswith("Votes by choice") for c in at.main.caption) == 10  # each chart keeps a caption


def test_every_delphi_histogram_has_a_table_of_how_many_gave_each_rating(app_as, ui_db):
    at = open_results(app_as, "observer", round_number=2)
    tally = voting.round_results(ui_db, actor_id=user_id(ui_db, "observer"), round_id=2)
    tables = figure_tables(at)
    assert charts(at) == len(tables) == 2
    for (header, row), item in zip(tables, tally.items, strict=True):
        assert header == ["Rating", *map(str, range(1, 10))] and row[0] == "Ratings"
        distribution = {int(k): v for k, v in item.overall.delphi.distribution.items()}
        assert [int(n) for n in row[1:]] == [distribution.get(r, 0) for r in range(1, 10)]
        assert sum(int(n) for n in row[1:]) > 0
    assert sum(c.value.startswith("Green band") for c in at.main.caption) == 2


def test_the_figures_tables_speak_kazakh_and_russian(app_as):
    kk = figure_tables(open_results(app_as, "expert", lang="kk", round_number=1))
    assert kk[0][0] == ["Дауыс", "Жақтады", "Қарсы", "Қалыс қалды", "Бөгеді"]
    assert kk[0][1][0] == "Дауыстар"
    ru = figure_tables(open_results(app_as, "expert", lang="ru", round_number=2))
    assert ru[0][0][0] == "Оценка" and ru[0][1][0] == "Число оценок"


def test_the_chart_itself_is_announced_with_its_figures(app_as, ui_db):
    at = open_results(app_as, "expert", round_number=1)
    first = voting.round_results(ui_db, actor_id=user_id(ui_db, "expert"), round_id=1).items[0].overall
    alt = at.get("vega_lite_chart")[0].proto.alt
    assert alt == (
        f"Bar chart of the votes: Agree {first.agree}, Disagree {first.disagree}, "
        f"Abstained {first.abstain}, Blocked {first.block}."
    )


def _big_closed_round(ui_db, items: int) -> int:
    w = demo_world(ui_db)
    ids = [
        make_recommendation(
            w,
            "moderator",
            status="discussion",
            content={"en": {"title": f"Article {i + 1} of the draft law", "text": f"Provision {i + 1}."}},
        ).id
        for i in range(items)
    ]
    rnd = make_round(w, ids, name="Whole bill")
    vote(w, rnd, ids[-1], "expert", "agree")
    voting.close_round(ui_db, actor_id=w["moderator"], round_id=rnd.id)
    return rnd.id


def test_a_round_of_many_items_is_shown_a_page_at_a_time(app_as, ui_db):
    round_id = _big_closed_round(ui_db, 23)
    at = open_results(app_as, "expert")
    at.selectbox(key="results_round").set_value(round_id).run()
    assert charts(at) == RESULTS_PAGE_SIZE == 10
    assert "Recommendations 1–10 of 23" in [c.value for c in at.main.caption]
    assert any("Article 1 of the draft law" in m.value for m in at.main.markdown)
    at.button(key="results_next").click().run()
    assert charts(at) == 10 and "Recommendations 11–20 of 23" in [c.value for c in at.main.caption]
    at.selectbox(key=f"results_page_{round_id}").set_value(3).run()
    assert not at.exception
    assert charts(at) == 3 and "Recommendations 21–23 of 23" in [c.value for c in at.main.caption]
    # The last item's figures are its own (one vote for), not another page's.
    header, row = figure_tables(at)[-1]
    assert row == ["Votes", "1", "0", "0", "0"]
    assert any("Article 23 of the draft law" in m.value for m in at.main.markdown)
    at.button(key="results_prev").click().run()
    assert "Recommendations 11–20 of 23" in [c.value for c in at.main.caption]


def test_a_page_of_results_asks_the_service_for_that_page_only(ui_db):
    round_id = _big_closed_round(ui_db, 12)
    page = voting.round_results(ui_db, actor_id=user_id(ui_db, "observer"), round_id=round_id, offset=10, limit=10)
    whole = voting.round_results(ui_db, actor_id=user_id(ui_db, "observer"), round_id=round_id)
    assert [i.recommendation_id for i in page.items] == [i.recommendation_id for i in whole.items][10:]
    assert page.round.recommendation_ids == whole.round.recommendation_ids and len(whole.items) == 12
    assert page.items[-1].title == {"en": "Article 12 of the draft law"}
    assert page.items[-1].overall == whole.items[-1].overall


def test_a_page_of_an_open_rounds_live_figures_equals_the_same_items_of_the_whole_round(ui_db):
    moderator = user_id(ui_db, "moderator")
    ids = []
    for i in range(12):
        rec = recommendations.create_recommendation(
            ui_db,
            actor_id=moderator,
            roundtable_id=1,
            content={"en": {"title": f"Open item {i + 1}", "text": f"Provision {i + 1}."}},
        )
        recommendations.set_status(ui_db, actor_id=moderator, recommendation_id=rec.id, status="discussion")
        ids.append(rec.id)
    rnd = voting.open_round(ui_db, actor_id=moderator, roundtable_id=1, recommendation_ids=ids, name="Live")
    for who, choice in (("expert", "agree"), ("expert2", "disagree")):
        for rid in ids[9:]:
            voting.cast_vote(ui_db, actor_id=user_id(ui_db, who), round_id=rnd.id, recommendation_id=rid, choice=choice)
    page = voting.round_results(ui_db, actor_id=moderator, round_id=rnd.id, offset=10, limit=10)
    whole = voting.round_results(ui_db, actor_id=moderator, round_id=rnd.id)
    assert [i.overall for i in page.items] == [i.overall for i in whole.items][10:]
    assert (page.items[0].overall.agree, page.items[0].overall.disagree) == (1, 1)
