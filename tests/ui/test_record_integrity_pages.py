"""The pages side of issue 10's "integrity of the vote" and issue 18 item 7, in AppTest on the demo.

Demo facts used here: round 4 (a simple vote) is open on recommendations 8 and 14; recommendation 14
is expert4's.
"""

from __future__ import annotations

import uuid

from recdraft.services import amendments, comments, moderation, recommendations, voting
from tests.factories import make_recommendation
from tests.ui.conftest import demo_world, texts, user_id

DRAFT = "recdraft/ui/pages/draft.py"
RECS = "recdraft/ui/pages/recommendations.py"
BLOCK = "The volunteers' insurance must be guaranteed by the State, not left to the Society."


def _open(app_as, role, page, rec_id, *, lang="en"):
    at = app_as(role, run=False, lang=lang)
    at.query_params["rec"] = str(rec_id)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _fresh(ui_db, author: str) -> int:
    return make_recommendation(
        demo_world(ui_db),
        author,
        content={"en": {"title": f"Fresh recommendation {uuid.uuid4().hex[:6]}", "text": "The first text."}},
    ).id


def _as_json(rec):
    return {code: c.model_dump() for code, c in rec.current_revision.content.items()}


def _round_4(ui_db):
    ballots = voting.my_ballots(ui_db, actor_id=user_id(ui_db, "expert3"), roundtable_id=1)
    return next(r for r in ballots.rounds if 14 in r.round.recommendation_ids)


def test_the_author_saving_unchanged_during_the_round_keeps_the_block_and_it_counts_at_close(app_as, ui_db):
    rnd = _round_4(ui_db).round
    voting.cast_vote(
        ui_db, actor_id=user_id(ui_db, "expert3"), round_id=rnd.id, recommendation_id=14, choice="block", reason=BLOCK
    )
    before = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "expert4"), recommendation_id=14)
    at = _open(app_as, "expert4", DRAFT, 14)
    at.button(key="draft_save_14").click().run()  # Edit, then Save without changing anything
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("Nothing changed" in i.value for i in at.info), texts(at)
    assert not any("Saved as revision" in s.value for s in at.success)
    after = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "expert4"), recommendation_id=14)
    assert after.current_revision.id == before.current_revision.id
    mine = next(i for i in _round_4(ui_db).items if i.recommendation_id == 14)
    assert not mine.stale and mine.vote.choice == "block"  # expert3 is not told their vote no longer counts
    result = voting.close_round(ui_db, actor_id=user_id(ui_db, "moderator"), round_id=rnd.id)
    item = next(i for i in result.items if i.recommendation_id == 14)
    assert item.overall.block == 1 and item.overall.blocked
    assert BLOCK in [d.reason for d in item.dissents]


def test_changing_only_the_priority_saves_it_without_a_new_revision(app_as, ui_db):
    rec_id = _fresh(ui_db, "expert2")
    at = _open(app_as, "expert2", DRAFT, rec_id)
    at.radio(key=f"draft_edit_{rec_id}_f_priority").set_value("high")
    at.button(key=f"draft_save_{rec_id}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("Topic and priority saved" in s.value and "still revision 1" in s.value for s in at.success)
    rec = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=rec_id)
    assert rec.priority == "high" and rec.current_revision.number == 1


def test_the_conflict_view_names_who_saved_the_other_revision_and_when_in_russian(app_as, ui_db):
    rec_id = _fresh(ui_db, "expert2")
    start = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=rec_id)
    at = _open(app_as, "expert2", DRAFT, rec_id, lang="ru")
    theirs = _as_json(start)
    theirs["en"]["text"] = "The moderator's words."
    newer = recommendations.edit_recommendation(
        ui_db,
        actor_id=user_id(ui_db, "moderator"),
        recommendation_id=rec_id,
        base_revision_id=start.current_revision.id,
        content=theirs,
    )
    at.text_area(key=f"draft_edit_{rec_id}_f_en_text").input("My words.")
    at.button(key=f"draft_save_{rec_id}").click().run()
    name = newer.current_revision.author_name
    message = " ".join(e.value for e in at.error)
    assert f"{name} сохранил(а) редакцию 2 в " in message, message
    assert "Someone" not in message and "кто-то" not in message


def test_a_comment_can_be_marked_addressed_only_by_a_revision_saved_after_it(app_as, ui_db):
    rec_id = _fresh(ui_db, "expert2")
    author = user_id(ui_db, "expert2")
    early = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    recommendations.edit_recommendation(
        ui_db,
        actor_id=author,
        recommendation_id=rec_id,
        base_revision_id=early.current_revision.id,
        content={"en": {"title": early.current_revision.content["en"].title, "text": "The second text."}},
    )
    c = comments.post_comment(
        ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=rec_id, body="Say who pays for it."
    )
    at = _open(app_as, "expert2", RECS, rec_id)
    at.button(key=f"recs_c{c.id}_resolve").click().run()
    # Revisions 1 and 2 were saved before the comment: none is offered; declining still is.
    assert f"recs_res_rev_c{c.id}" not in [s.key for s in at.selectbox]
    assert len(at.radio(key=f"recs_res_kind_c{c.id}").options) == 1
    assert "No revision was saved after this comment" in texts(at)
    third = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    recommendations.edit_recommendation(
        ui_db,
        actor_id=author,
        recommendation_id=rec_id,
        base_revision_id=third.current_revision.id,
        content={
            "en": {"title": third.current_revision.content["en"].title, "text": "The third text: the State pays."}
        },
    )
    at = _open(app_as, "expert2", RECS, rec_id)
    at.button(key=f"recs_c{c.id}_resolve").click().run()
    assert at.selectbox(key=f"recs_res_rev_c{c.id}").options == ["Revision 3"]
    at.button(key=f"recs_send_c{c.id}_resolve").click().run()
    assert not at.error, [e.value for e in at.error]
    assert comments.get_comment(ui_db, actor_id=author, comment_id=c.id).addressed_revision_number == 3


def test_the_proposer_updates_an_outdated_amendment_seeing_what_changed_under_it(app_as, ui_db):
    rec_id = _fresh(ui_db, "expert2")
    author, proposer = user_id(ui_db, "expert2"), user_id(ui_db, "expert5")
    rec = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    title = rec.current_revision.content["en"].title
    a = amendments.propose_amendment(
        ui_db,
        actor_id=proposer,
        recommendation_id=rec_id,
        content={"en": {"title": title, "text": "The first text, within a year."}},
    )
    recommendations.edit_recommendation(
        ui_db,
        actor_id=author,
        recommendation_id=rec_id,
        base_revision_id=rec.current_revision.id,
        content={"en": {"title": title, "text": "The first text, by law."}},
    )
    others = _open(app_as, "expert3", RECS, rec_id)
    assert f"recs_rebase_{a.id}_send" not in [b.key for b in others.button]  # only the proposer updates it
    at = _open(app_as, "expert5", RECS, rec_id)
    page = texts(at).replace("\\", "")
    assert "Update your amendment onto the current text" in page
    assert "written on revision 1; the text is now revision 2" in page
    assert any(":green-background[" in m.value and "law" in m.value for m in at.markdown)  # 1 → 2, word by word
    assert at.text_area(key=f"recs_rebase_{a.id}_en_text").value == "The first text, within a year."
    at.text_area(key=f"recs_rebase_{a.id}_en_text").input("The first text, by law, within a year.")
    at.button(key=f"recs_rebase_{a.id}_send").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("now applies to revision 2" in s.value for s in at.success)
    updated = amendments.list_amendments(ui_db, actor_id=proposer, recommendation_id=rec_id)[-1]
    assert updated.content["en"].text == "The first text, by law, within a year."
    current = recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
    assert updated.base_revision_id == current.current_revision.id
    assert f"recs_rebase_{a.id}_send" not in [b.key for b in at.button]  # no longer outdated
    amendments.accept_amendment(ui_db, actor_id=author, amendment_id=a.id)
    assert (
        recommendations.get_recommendation(ui_db, actor_id=author, recommendation_id=rec_id)
        .current_revision.content["en"]
        .text
        == "The first text, by law, within a year."
    )


def test_an_observer_flags_a_comment_in_the_page_and_the_memo_is_not_held_back(app_as, ui_db):
    moderator = user_id(ui_db, "moderator")
    first = next(
        c
        for c in comments.list_comments(ui_db, actor_id=user_id(ui_db, "observer"), recommendation_id=9)
        if c.status == "published" and c.parent_id is None
    )
    blockers = moderation.unmoderated_count(ui_db, actor_id=moderator, roundtable_id=1)
    at = _open(app_as, "observer", RECS, 9)
    at.button(key=f"recs_c{first.id}_flag").click().run()
    at.text_area(key=f"recs_reason_c{first.id}_flag").input("This names a volunteer.")
    at.button(key=f"recs_send_c{first.id}_flag").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("moderator will look" in s.value for s in at.success)
    assert first.id in moderation.open_flag_reports(ui_db, actor_id=moderator, roundtable_id=1)
    assert moderation.unmoderated_count(ui_db, actor_id=moderator, roundtable_id=1) == blockers
