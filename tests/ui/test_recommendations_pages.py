"""The recommendations page (list and detail) for every role, in AppTest on the demo roundtable.

Demo facts used here: recommendation 1 (author expert3, co-author moderator, three revisions) has a
hidden comment by expert5; recommendation 8 (author expert2, being voted on) has a pending comment by
expert1, a flagged one by expert6 and an open amendment by expert1; recommendation 9 is expert4's.
Most demo recommendations are already adopted (closed for edits), so tests that edit, restore,
amend or change a status draft a fresh recommendation of their own (``fresh``).
"""

from __future__ import annotations

import uuid

import pytest

from recdraft.domain.statuses import REC_TRANSITIONS, RecStatus
from recdraft.services import amendments, comments, recommendations, roundtables
from recdraft.services import revisions as revision_service
from tests.factories import make_recommendation
from tests.ui.conftest import demo_world, texts, user_id

PAGE = "recdraft/ui/pages/recommendations.py"
ROLES = ["admin", "moderator", "expert3", "expert2", "observer"]


def open_list(app_as, role, **state):
    at = app_as(role, run=False)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_rec(app_as, role, rec_id: int, *, lang: str = "en"):
    at = app_as(role, run=False, lang=lang)
    at.query_params["rec"] = str(rec_id)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def fresh(ui_db, author: str, *, revisions: int = 1) -> int:
    """A new recommendation (a draft, so editable) by ``author`` with ``revisions`` revisions."""
    title = f"Fresh recommendation {uuid.uuid4().hex[:6]}"
    return make_recommendation(
        demo_world(ui_db),
        author,
        content={"en": {"title": title, "text": "The first text.", "rationale": "Because it matters."}},
        revisions=[{"en": {"title": title, "text": f"The text, version {n}."}} for n in range(2, revisions + 1)],
    ).id


def total(ui_db, **filters) -> int:
    return recommendations.list_recommendations(
        ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1, **filters
    ).total


def row_keys(at) -> list[str]:
    return [b.key for b in at.button if str(b.key or "").startswith("recs_open_")]


def keys(at) -> set[str]:
    out = set()
    for kind in ("button", "text_area", "text_input", "selectbox", "radio"):
        out |= {str(w.key) for w in getattr(at, kind) if w.key}
    return out


def comment_body(ui_db, rec_id: int, prefix: str, role: str = "moderator") -> str:
    for c in comments.list_comments(ui_db, actor_id=user_id(ui_db, role), recommendation_id=rec_id):
        if c.body.startswith(prefix):
            return c.body
    raise AssertionError(prefix)


# ----------------------------------------------------------------------------- list


@pytest.mark.parametrize("role", ROLES)
def test_every_participant_sees_the_list_of_recommendations(app_as, ui_db, role):
    at = open_list(app_as, role)
    assert at.title[0].value == "Recommendations"
    n = total(ui_db)
    assert len(row_keys(at)) == min(n, 10)
    assert any(f"Recommendations 1–{min(n, 10)} of {n}" in c.value for c in at.caption)
    assert ("recs_new" in keys(at)) == (role != "observer")


def test_filters_narrow_the_list(app_as, ui_db):
    at = open_list(app_as, "expert3")
    at.selectbox(key="recs_f_lang").set_value("kk").run()
    kk = len(row_keys(at))
    assert 0 < kk == total(ui_db, language="kk") < total(ui_db)
    at.selectbox(key="recs_f_lang").set_value("").run()
    at.selectbox(key="recs_f_topic").set_value("Auxiliary role").run()
    assert row_keys(at) == ["recs_open_2"]
    at.selectbox(key="recs_f_topic").set_value("").run()
    at.text_input(key="recs_f_search").input("emblem").run()
    found = row_keys(at)
    assert "recs_open_4" in found and len(found) == total(ui_db, search="emblem")
    at.text_input(key="recs_f_search").input("no such words anywhere").run()
    assert row_keys(at) == []
    assert "No recommendation matches these filters." in texts(at)


def test_status_filter(app_as, ui_db):
    at = open_list(app_as, "observer")
    for status in ("adopted", "voting", "merged"):
        at.selectbox(key="recs_f_status").set_value(status).run()
        assert len(row_keys(at)) == min(10, total(ui_db, status=status))
    assert total(ui_db, status="voting") > 0


def test_opening_a_recommendation_puts_it_in_the_url_and_back_removes_it(app_as):
    at = open_list(app_as, "expert2")
    at.button(key="recs_open_3").click().run()
    assert at.query_params.get("rec") in ("3", ["3"])
    assert at.header[0].value.startswith("3\\.")
    at.button(key="recs_back").click().run()
    assert "rec" not in at.query_params
    assert len(row_keys(at)) == 10  # back on the list, its first page


def test_a_link_with_rec_opens_the_recommendation_directly(app_as):
    at = open_rec(app_as, "observer", 1)
    assert at.header[0].value == "1\\. Recognise the Red Crescent Society of Kazakhstan by law"
    page = texts(at)
    assert "Authors: Bolat Zhakupbekov, Yerlan Abdikadyrov" in page.replace("\\", "")
    assert "Rationale" in page and "Legal basis" in page and "Responsible body" in page
    assert "**single**" in page  # the formatting subset is rendered, not escaped


def test_an_unknown_recommendation_is_a_readable_error(app_as):
    at = open_rec(app_as, "expert2", 9999)
    assert at.error and "does not exist" in at.error[0].value


# ----------------------------------------------------------------------------- what each role may do


def test_observers_see_no_forms_and_no_actions(app_as):
    at = open_rec(app_as, "observer", 8)
    k = keys(at)
    assert not any(
        x.startswith(
            ("recs_send_", "recs_body_", "recs_amend_8_", "recs_edit", "recs_status", "recs_withdraw", "recs_restore")
        )
        for x in k
    ), k
    assert not any(x.endswith(("_reply", "_edit", "_resolve", "_hide", "_approve")) for x in k), k
    assert all(not e.label.startswith("Propose") for e in at.expander)


def test_an_expert_who_is_not_the_author_can_comment_and_propose_but_not_edit(app_as):
    at = open_rec(app_as, "expert3", 8)
    k = keys(at)
    assert "recs_send_comment_8_0" in k and "recs_amend_8_send" in k
    assert "recs_edit" not in k and not any(x.startswith(("recs_status", "recs_restore", "recs_withdraw")) for x in k)
    # The open amendment is expert1's: expert3 neither decides nor sees staff flag counts.
    assert "recs_amend_accept_5" not in k
    assert "reported" not in texts(at)


def test_the_author_may_edit_restore_withdraw_and_decide_amendments(app_as):
    at = open_rec(app_as, "expert2", 8)  # being voted on: still editable
    k = keys(at)
    assert {"recs_edit", "recs_withdraw_8", "recs_amend_accept_5", "recs_amend_reject_5"} <= k
    assert not any(x.startswith("recs_status_to") for x in k), "only staff change statuses"


LABELS = {
    "draft": "Draft",
    "discussion": "Discussion",
    "voting": "Voting",
    "adopted": "Adopted",
    "rejected": "Rejected",
    "withdrawn": "Withdrawn",
    "merged": "Merged",
}


@pytest.mark.parametrize("rec_id", [3, 8])
def test_moderators_get_the_status_transitions_of_the_current_status(app_as, ui_db, rec_id):
    status = recommendations.get_recommendation(
        ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=rec_id
    ).status
    at = open_rec(app_as, "moderator", rec_id)
    box = at.selectbox(key=f"recs_status_to_{rec_id}")
    assert set(box.options) == {LABELS[s.value] for s in REC_TRANSITIONS[RecStatus(status)]}


def test_a_merge_asks_which_recommendation_it_goes_into(app_as, ui_db):
    rec_id = fresh(ui_db, "expert1")
    at = open_rec(app_as, "moderator", rec_id)
    at.selectbox(key=f"recs_status_to_{rec_id}").set_value("merged").run()
    assert at.selectbox(key=f"recs_merge_into_{rec_id}").options
    assert "reported 1×" in texts(open_rec(app_as, "moderator", 8))


# ----------------------------------------------------------------------------- comments


def test_hidden_and_other_peoples_pending_comments_never_reach_experts(app_as, ui_db):
    hidden = comment_body(ui_db, 1, "Not about the text")
    pending = comment_body(ui_db, 8, "The second sentence should refer")
    expert = texts(open_rec(app_as, "expert2", 1)) + texts(open_rec(app_as, "expert3", 8))
    assert hidden[:30] not in expert.replace("\\", "")
    assert pending[:30] not in expert.replace("\\", "")
    staff = (texts(open_rec(app_as, "moderator", 1)) + texts(open_rec(app_as, "moderator", 8))).replace("\\", "")
    assert hidden[:30] in staff and pending[:30] in staff


def test_an_author_sees_their_own_pending_comment_labelled(app_as, ui_db):
    page = texts(open_rec(app_as, "expert1", 8)).replace("\\", "")
    assert "The second sentence should refer" in page
    assert "Waiting for a moderator" in page


def test_posting_a_comment_in_pre_moderation_says_it_waits_for_a_moderator(app_as, ui_db):
    at = open_rec(app_as, "expert4", 3)
    at.text_area(key="recs_body_comment_3_0_0").input("A careful point about autonomy.")
    at.button(key="recs_send_comment_3_0").click().run()
    assert not at.exception
    assert any("once a moderator approves it" in s.value for s in at.success)
    mine = [
        c
        for c in comments.list_comments(ui_db, actor_id=user_id(ui_db, "expert4"), recommendation_id=3)
        if c.body == "A careful point about autonomy."
    ]
    assert len(mine) == 1 and mine[0].status == "pending"
    other = texts(open_rec(app_as, "expert2", 3))
    assert "A careful point about autonomy" not in other


def test_a_comment_with_markup_and_script_shows_as_text(app_as, ui_db):
    evil = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) **not bold**"
    comments.post_comment(ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=4, body=evil)
    page = "\n".join(m.value for m in open_rec(app_as, "expert2", 4).markdown)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in page
    assert "\\[click\\]\\(javascript\\:alert\\(1\\)\\)" in page
    assert "\\*\\*not bold\\*\\*" in page
    assert "<img" not in page.replace("\\<img", "")


def test_quoting_a_passage_of_the_text(app_as, ui_db):
    at = open_rec(app_as, "expert5", 2)
    box = at.selectbox(key="recs_quote_comment_2_0_0")
    passage = box.options[1]
    box.set_value(passage)
    at.text_area(key="recs_body_comment_2_0_0").input("About this sentence.")
    at.button(key="recs_send_comment_2_0").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    posted = [
        c
        for c in comments.list_comments(ui_db, actor_id=user_id(ui_db, "expert5"), recommendation_id=2)
        if c.body == "About this sentence."
    ]
    assert posted and posted[0].quote == passage


def test_reply_flag_and_resolve(app_as, ui_db):
    first = next(
        c
        for c in comments.list_comments(ui_db, actor_id=user_id(ui_db, "expert1"), recommendation_id=9)
        if c.parent_id is None and c.status == "published"
    )
    at = open_rec(app_as, "expert1", 9)
    # Flag with an empty reason: refused in the page, nothing stored.
    at.button(key=f"recs_c{first.id}_flag").click().run()
    at.button(key=f"recs_send_c{first.id}_flag").click().run()
    assert at.error and "reason" in at.error[0].value.lower()
    at.text_area(key=f"recs_reason_c{first.id}_flag").input("Please check the data-protection claim.")
    at.button(key=f"recs_send_c{first.id}_flag").click().run()
    assert any("moderator will look" in s.value for s in at.success)
    # Reply (moderators publish at once).
    mod = open_rec(app_as, "moderator", 9)
    mod.button(key=f"recs_c{first.id}_reply").click().run()
    mod.text_area(key=f"recs_body_comment_9_{first.id}_0").input("Noted, thank you.")
    mod.button(key=f"recs_send_comment_9_{first.id}").click().run()
    assert any(s.value == "Your comment is published." for s in mod.success)
    reply = next(
        c
        for c in comments.list_comments(ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=9)
        if c.body == "Noted, thank you."
    )
    assert reply.parent_id == first.id
    # Recommendation 9 is adopted, so how its comments were resolved is frozen (issue 11 item 14): no Resolve
    # button for its author until a moderator reopens it for discussion.
    frozen = open_rec(app_as, "expert4", 9)
    assert not any(b.key == f"recs_c{first.id}_resolve" for b in frozen.button)
    recommendations.set_status(
        ui_db,
        actor_id=user_id(ui_db, "moderator"),
        recommendation_id=9,
        status="discussion",
        reason="A comment still needs an answer.",
    )
    # The author of recommendation 9 (expert4) declines the comment with a reason.
    author = open_rec(app_as, "expert4", 9)
    author.button(key=f"recs_c{first.id}_resolve").click().run()
    author.radio(key=f"recs_res_kind_c{first.id}").set_value("declined")
    author.text_area(key=f"recs_res_reason_c{first.id}").input("Already covered by the Health Code.")
    author.button(key=f"recs_send_c{first.id}_resolve").click().run()
    assert not author.error, [e.value for e in author.error]
    view = comments.get_comment(ui_db, actor_id=user_id(ui_db, "expert4"), comment_id=first.id)
    assert view.resolution == "declined" and view.resolution_reason == "Already covered by the Health Code."


def test_editing_ones_own_comment_keeps_the_history(app_as, ui_db):
    mine = comments.post_comment(
        ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=10, body="First wording."
    )
    at = open_rec(app_as, "moderator", 10)
    at.button(key=f"recs_c{mine.id}_edit").click().run()
    at.text_area(key=f"recs_edit_body_c{mine.id}").input("Second wording.")
    at.button(key=f"recs_send_c{mine.id}_edit").click().run()
    assert not at.error
    at.button(key=f"recs_c{mine.id}_history").click().run()
    page = texts(at).replace("\\", "")
    assert "Second wording." in page and "First wording." in page and "edited" in page


# ----------------------------------------------------------------------------- history, diff, restore


def test_the_history_shows_revisions_and_a_marked_diff(app_as):
    at = open_rec(app_as, "expert2", 1)
    page = texts(at)
    assert "**Revision 3**" in page and "**Revision 1**" in page
    at.selectbox(key="recs_cmp_old_1").set_value(1).run()
    at.selectbox(key="recs_cmp_new_1").set_value(2).run()
    marked = "\n".join(m.value for m in at.markdown)
    assert ":green-background[**" in marked and ":red-background[~~" in marked


def test_restoring_an_old_revision_makes_a_new_one(app_as, ui_db):
    rec_id = fresh(ui_db, "expert1", revisions=3)
    at = open_rec(app_as, "expert1", rec_id)
    at.selectbox(key=f"recs_restore_{rec_id}").set_value(1)
    at.button(key=f"recs_restore_btn_{rec_id}").click().run()
    assert not at.error, [e.value for e in at.error]
    after = revision_service.list_revisions(ui_db, actor_id=user_id(ui_db, "expert1"), recommendation_id=rec_id)
    assert after[-1].kind == "restore" and after[-1].content["en"].text == "The first text."
    assert any("Revision 1 is the current text again" in s.value for s in at.success)


def test_adopted_recommendations_cannot_be_edited_or_restored(app_as, ui_db):
    at = open_rec(app_as, "expert3", 1)  # adopted in the demo's first round
    assert "recs_edit" not in keys(at) and "recs_restore_btn_1" not in keys(at)


def test_an_observer_sees_the_history_but_cannot_restore(app_as):
    at = open_rec(app_as, "observer", 1)
    assert "**Revision 2**" in texts(at)
    assert "recs_restore_btn_1" not in keys(at)


# ----------------------------------------------------------------------------- amendments, status, vote


def test_proposing_and_rejecting_an_amendment(app_as, ui_db):
    rec_id = fresh(ui_db, "expert2")
    at = open_rec(app_as, "expert3", rec_id)
    at.text_input(key=f"recs_amend_{rec_id}_en_title").input("Spread the knowledge of IHL widely")
    at.text_area(key=f"recs_amend_{rec_id}_why").input("Shorter title.")
    at.button(key=f"recs_amend_{rec_id}_send").click().run()
    assert any("sent to the authors" in s.value for s in at.success), [e.value for e in at.error]
    proposal = amendments.list_amendments(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=rec_id)[-1]
    assert proposal.status == "open" and proposal.content["en"].title == "Spread the knowledge of IHL widely"
    author = open_rec(app_as, "expert2", rec_id)
    assert any(":green-background[" in m.value for m in author.markdown), "the proposal is shown as a diff"
    author.text_input(key=f"recs_amend_reason_{proposal.id}").input("The longer title is clearer.")
    author.button(key=f"recs_amend_reject_{proposal.id}").click().run()
    done = amendments.list_amendments(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=rec_id)[-1]
    assert done.status == "rejected" and done.reason == "The longer title is clearer."


def test_accepting_an_amendment_makes_it_the_text(app_as, ui_db):
    open_one = [
        a
        for a in amendments.list_amendments(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=8)
        if a.status == "open"
    ][0]
    at = open_rec(app_as, "expert2", 8)
    at.button(key=f"recs_amend_accept_{open_one.id}").click().run()
    assert not at.error, [e.value for e in at.error]
    rec = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=8)
    assert rec.current_revision.kind == "amendment"


def test_a_moderator_changes_the_status(app_as, ui_db):
    rec_id = fresh(ui_db, "expert4")
    at = open_rec(app_as, "moderator", rec_id)
    at.selectbox(key=f"recs_status_to_{rec_id}").set_value("discussion").run()
    at.text_input(key=f"recs_status_reason_{rec_id}").input("Ready for discussion.")
    at.button(key=f"recs_status_apply_{rec_id}").click().run()
    assert not at.error
    assert any("Status changed: Discussion." in s.value for s in at.success)
    assert (
        recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=rec_id).status
        == "discussion"
    )


def test_the_author_withdraws_after_confirming(app_as, ui_db):
    rec_id = fresh(ui_db, "expert3")
    at = open_rec(app_as, "expert3", rec_id)
    at.button(key=f"recs_withdraw_{rec_id}").click().run()
    assert at.warning
    at.button(key=f"recs_withdraw_yes_{rec_id}").click().run()
    assert (
        recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "expert3"), recommendation_id=rec_id).status
        == "withdrawn"
    )


def test_the_expert_sees_their_own_vote(app_as, ui_db):
    voting = pytest.importorskip("recdraft.services.voting")
    moderator = user_id(ui_db, "moderator")
    rec_id = fresh(ui_db, "expert1")
    recommendations.set_status(ui_db, actor_id=moderator, recommendation_id=rec_id, status="discussion")
    rnd = voting.open_round(ui_db, actor_id=moderator, roundtable_id=1, recommendation_ids=[rec_id], name="")
    voting.cast_vote(
        ui_db, actor_id=user_id(ui_db, "expert2"), round_id=rnd.id, recommendation_id=rec_id, choice="agree"
    )
    assert any("Your vote" in i.value and "agree" in i.value for i in open_rec(app_as, "expert2", rec_id).info)
    assert any("not voted" in i.value for i in open_rec(app_as, "expert5", rec_id).info)
    assert not open_rec(app_as, "observer", rec_id).info


def test_the_page_speaks_kazakh_and_russian(app_as):
    kk = open_rec(app_as, "expert2", 1, lang="kk")
    assert "Пікірлер" in " ".join(t.label for t in kk.tabs)
    ru = open_list(app_as, "expert2", recdraft_lang="ru")
    assert ru.title[0].value == "Рекомендации"


# ----------------------------------------------------------------------------- pagination (runs last: adds rows)


def test_long_lists_are_paginated_and_the_person_chooses_rows_per_page(app_as, ui_db):
    author = user_id(ui_db, "expert1")
    for i in range(12):
        recommendations.create_recommendation(
            ui_db, actor_id=author, roundtable_id=1, content={"en": {"title": f"Extra {i}", "text": "More."}}
        )
    at = open_list(app_as, "expert1")
    n = total(ui_db)
    assert n > 25 and len(row_keys(at)) == 10
    assert any(f"of {n}" in c.value for c in at.caption)
    at.button(key="recs_next").click().run()
    assert at.session_state["recs_page"] == 2 and len(row_keys(at)) == 10
    assert any(f"11–20 of {n}" in c.value for c in at.caption), [c.value for c in at.caption]
    at.selectbox(key="recs_page_size").set_value(25).run()
    assert at.session_state["recs_page"] == 1, "another page size starts from the first page"
    assert len(row_keys(at)) == 25
    at.selectbox(key="recs_page_size").set_value(50).run()
    assert len(row_keys(at)) == n and at.selectbox(key="recs_page").options == ["Page 1 of 1"]
    # The choice outlives a search that fits on one page (no pager drawn then).
    at.text_input(key="recs_f_search").input("Extra 1").run()
    assert len(row_keys(at)) < 10
    at.text_input(key="recs_f_search").input("").run()
    assert len(row_keys(at)) == n and at.selectbox(key="recs_page_size").value == 50
    at.selectbox(key="recs_page_size").set_value(10).run()
    at.session_state["recs_page"] = 2
    at.run()
    at.selectbox(key="recs_f_lang").set_value("en").run()
    assert at.session_state["recs_page"] == 1, "a new filter starts from the first page"


# ----------------------------------------------------------------------------- co-authors


def test_the_author_adds_a_co_author_who_can_then_edit(app_as, ui_db):
    rec_id = fresh(ui_db, "expert3")
    expert2 = user_id(ui_db, "expert2")
    before = open_rec(app_as, "expert2", rec_id)
    assert "recs_edit" not in keys(before), "not an author yet"
    at = open_rec(app_as, "expert3", rec_id)
    at.multiselect(key=f"coauthors_pick_{rec_id}").set_value([expert2])
    at.button(key=f"coauthors_save_{rec_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Co-authors saved (1)." in s.value for s in at.success)
    assert recommendations.get_recommendation(ui_db, actor_id=expert2, recommendation_id=rec_id).coauthor_ids == [
        expert2
    ]
    # The co-author now edits the text on the draft page, and the new revision is theirs.
    co = open_rec(app_as, "expert2", rec_id)
    assert "recs_edit" in keys(co)
    assert f"coauthors_save_{rec_id}" not in keys(co), "only the author and the staff choose co-authors"
    co.query_params["rec"] = str(rec_id)
    co.switch_page("recdraft/ui/pages/draft.py").run()
    co.text_area(key=f"draft_edit_{rec_id}_f_en_text").input("The text, improved by the co-author.")
    co.button(key=f"draft_save_{rec_id}").click().run()
    assert not co.exception, [e.value for e in co.exception]
    rec = recommendations.get_recommendation(ui_db, actor_id=expert2, recommendation_id=rec_id)
    assert rec.current_revision.content["en"].text == "The text, improved by the co-author."
    assert rec.current_revision.author_id == expert2


def test_the_author_removes_a_co_author_who_then_cannot_edit(app_as, ui_db):
    rec_id = fresh(ui_db, "expert3")
    expert2 = user_id(ui_db, "expert2")
    recommendations.set_coauthors(
        ui_db, actor_id=user_id(ui_db, "expert3"), recommendation_id=rec_id, user_ids=[expert2]
    )
    at = open_rec(app_as, "expert3", rec_id)
    assert at.multiselect(key=f"coauthors_pick_{rec_id}").value == [expert2]
    at.multiselect(key=f"coauthors_pick_{rec_id}").set_value([])
    at.button(key=f"coauthors_save_{rec_id}").click().run()
    assert not at.exception
    assert recommendations.get_recommendation(ui_db, actor_id=expert2, recommendation_id=rec_id).coauthor_ids == []
    assert "recs_edit" not in keys(open_rec(app_as, "expert2", rec_id))


def test_co_authors_are_chosen_among_contributors_only(app_as, ui_db):
    rec_id = fresh(ui_db, "expert3")
    at = open_rec(app_as, "expert3", rec_id)
    offered = {o.split(" (")[0] for o in at.multiselect(key=f"coauthors_pick_{rec_id}").options}
    members = roundtables.list_members(ui_db, actor_id=user_id(ui_db, "expert3"), roundtable_id=1)
    author = user_id(ui_db, "expert3")
    assert offered == {m.display_name for m in members if m.role != "observer" and m.user_id != author}
    assert any(m.role == "observer" for m in members), "the demo has an observer to leave out"


def test_moderators_choose_co_authors_and_observers_and_other_experts_do_not(app_as, ui_db):
    rec_id = fresh(ui_db, "expert3")
    assert f"coauthors_save_{rec_id}" in keys(open_rec(app_as, "moderator", rec_id))
    for role in ("observer", "expert2"):
        assert f"coauthors_save_{rec_id}" not in keys(open_rec(app_as, role, rec_id)), role


def _selected_tab(at) -> str:
    """The label of the tab the page selects (``st.tabs(default=...)``), first tab when none is set."""

    def walk(node):
        proto = getattr(node, "proto", None)
        if getattr(node, "type", None) == "tab_container" and proto is not None:
            yield node, proto.tab_container
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    for node, container in walk(at._tree):
        labels = [t.label for t in node.children.values()]
        if container.default_tab_label:
            return container.default_tab_label
        return labels[container.default_tab_index or 0]
    raise AssertionError("no tabs on the page")


def test_after_restore_the_view_stays_on_history_which_lists_priority_and_topic_changes(app_as, ui_db):
    # Issue 18, item 2: "Restore" used to jump back to the Comments tab; details changes were not shown.
    rec_id = fresh(ui_db, "expert1", revisions=3)
    recommendations.set_details(ui_db, actor_id=user_id(ui_db, "expert1"), recommendation_id=rec_id, priority="high")
    at = open_rec(app_as, "expert1", rec_id)
    assert _selected_tab(at).startswith("Comments")
    page = texts(at).replace("\\", "")
    assert "Topic and priority changes" in page and "Priority: Medium priority → High priority" in page
    at.selectbox(key=f"recs_restore_{rec_id}").set_value(1)
    at.button(key=f"recs_restore_btn_{rec_id}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert _selected_tab(at).startswith("History")


def test_amendments_show_their_number_within_the_recommendation_and_the_justification_box_is_cleared(app_as, ui_db):
    # Issue 18, item 6.
    rec_id = fresh(ui_db, "expert2")
    at = open_rec(app_as, "expert3", rec_id)
    at.text_input(key=f"recs_amend_{rec_id}_en_title").input("Spread the knowledge of IHL widely")
    at.text_area(key=f"recs_amend_{rec_id}_why").input("Shorter title.")
    at.button(key=f"recs_amend_{rec_id}_send").click().run()
    assert any("sent to the authors" in s.value for s in at.success), [e.value for e in at.error]
    assert at.text_area(key=f"recs_amend_{rec_id}_why").value == ""
    assert "**Amendment 1**" in texts(at)
