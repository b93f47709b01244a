"""The moderation page: only moderators and admins; queue, decisions with reasons, restore, log.

Demo facts: recommendation 8 has a pending comment by expert1 and a comment by expert6 flagged once;
recommendation 14 has a pending comment by expert5 and a flagged one by expert3; comments were hidden
on recommendations 1 and 6 and rejected on 3 and 7.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from recdraft.errors import NotFound
from recdraft.services import comments, moderation
from tests.ui.conftest import page_alone, texts, user_id

PAGE = "recdraft/ui/pages/moderation.py"


def open_moderation(app_as, role: str, *, lang: str = "en"):
    at = app_as(role, PAGE, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_directly(ui_db, role: str) -> AppTest:
    """The page file on its own (for roles whose menu does not offer it)."""
    return page_alone(ui_db, role, PAGE)


def queue_ids(ui_db) -> list[int]:
    return [c.id for c in moderation.moderation_queue(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)]


@pytest.mark.parametrize("role", ["expert", "expert2", "observer"])
def test_others_opening_the_page_directly_see_a_refusal_and_no_comment(ui_env, ui_db, role):
    at = open_directly(ui_db, role)
    assert at.warning, texts(at)
    page = texts(at).replace("\\", "")
    assert "The second sentence should refer" not in page
    assert not [b for b in at.button if str(b.key or "").startswith("mod_")]
    assert not at.tabs


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_see_the_queue_with_the_recommendation_and_the_quoted_passage(app_as, ui_db, role):
    at = open_moderation(app_as, role)
    assert at.title[0].value == "Moderation"
    waiting = queue_ids(ui_db)
    assert len(waiting) >= 4
    assert at.tabs[0].label == f"Waiting ({len(waiting)})"
    page = texts(at).replace("\\", "")
    assert "8. " in page and "The second sentence should refer" in page
    assert "> protected persons" in page  # the quoted passage
    assert "reported 1×" in page
    statuses = {
        c.id: c.status
        for c in moderation.moderation_queue(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
    }
    for cid in waiting:
        # A pending comment is approved; a report on a published one has its own control (issue 10 item 2).
        resolve = "approve" if statuses[cid] == "pending" else "dismiss"
        assert at.button(key=f"mod_{resolve}_{cid}") and at.button(key=f"mod_hide_{cid}")


def test_moderators_see_who_reported_a_comment_and_why(app_as, ui_db):
    at = open_moderation(app_as, "moderator")
    page = texts(at).replace("\\", "")
    assert "Reported by" in page
    assert "Raises a political question beyond the scope of the recommendation" in page
    assert "May identify an individual volunteer; please check before it stays public" in page
    reports = moderation.open_flag_reports(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
    assert sum(len(r) for r in reports.values()) == 2
    assert all(r.user_name in page for rs in reports.values() for r in rs)


def test_experts_cannot_read_the_reports(ui_db):
    from recdraft.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        moderation.open_flag_reports(ui_db, actor_id=user_id(ui_db, "expert"), roundtable_id=1)


def test_a_decision_clears_the_reports_from_the_page(app_as, ui_db):
    reports = moderation.open_flag_reports(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
    flagged = next(iter(reports))
    at = open_moderation(app_as, "moderator")
    at.text_input(key=f"mod_reason_{flagged}_published").input("The report is unfounded.")
    at.button(key=f"mod_dismiss_{flagged}").click().run()
    assert flagged not in moderation.open_flag_reports(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
    assert reports[flagged][0].reason not in texts(at).replace("\\", "")


def test_approving_a_pending_comment_publishes_it(app_as, ui_db):
    pending = next(
        c
        for c in moderation.moderation_queue(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
        if c.status == "pending"
    )
    at = open_moderation(app_as, "moderator")
    at.button(key=f"mod_approve_{pending.id}").click().run()
    assert any("published" in s.value for s in at.success)
    assert (
        comments.get_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=pending.id).status == "published"
    )
    assert pending.id not in queue_ids(ui_db)


def test_hiding_needs_a_reason_and_then_experts_no_longer_see_the_comment(app_as, ui_db):
    flagged = next(
        c
        for c in moderation.moderation_queue(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
        if c.status == "published"
    )
    at = open_moderation(app_as, "moderator")
    at.button(key=f"mod_hide_{flagged.id}").click().run()
    assert at.error and "reason" in at.error[0].value.lower()
    assert (
        comments.get_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=flagged.id).status == "published"
    )
    at.text_input(key=f"mod_reason_{flagged.id}_published").input("Personal details of a volunteer.")
    at.button(key=f"mod_hide_{flagged.id}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert comments.get_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=flagged.id).status == "hidden"
    with pytest.raises(NotFound):
        comments.get_comment(ui_db, actor_id=user_id(ui_db, "expert2"), comment_id=flagged.id)
    # It is now listed for restoring, and the log shows the decision with its reason.
    assert at.button(key=f"mod_restore_{flagged.id}")
    assert "Personal details of a volunteer." in _log(at)


def test_rejecting_and_restoring(app_as, ui_db):
    pending = next(
        c
        for c in moderation.moderation_queue(ui_db, actor_id=user_id(ui_db, "moderator"), roundtable_id=1)
        if c.status == "pending"
    )
    at = open_moderation(app_as, "moderator")
    at.text_input(key=f"mod_reason_{pending.id}_pending").input("Off-topic.")
    at.button(key=f"mod_reject_{pending.id}").click().run()
    assert comments.get_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=pending.id).status == "rejected"
    at.button(key=f"mod_restore_{pending.id}").click().run()
    assert at.error, "restoring needs a reason too"
    at.text_input(key=f"mod_reason_{pending.id}_rejected").input("On reflection it is on topic.")
    at.button(key=f"mod_restore_{pending.id}").click().run()
    assert (
        comments.get_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=pending.id).status == "published"
    )


def test_earlier_hidden_and_rejected_comments_are_listed_for_restoring(app_as, ui_db):
    at = open_moderation(app_as, "moderator")
    restore = [b.key for b in at.button if str(b.key or "").startswith("mod_restore_")]
    assert len(restore) >= 4  # the demo's two hidden and two rejected comments at least
    assert "Off-topic" in _log(at) or "Reason:" in _log(at)


def test_the_moderation_page_in_kazakh(app_as):
    at = open_moderation(app_as, "moderator", lang="kk")
    assert at.title[0].value == "Модерация"
    assert at.tabs[0].label.startswith("Күтуде")


def test_reports_are_listed_apart_from_pending_comments_and_dismissing_one_needs_a_reason(app_as, ui_db):
    moderator = user_id(ui_db, "moderator")
    reports = moderation.open_flag_reports(ui_db, actor_id=moderator, roundtable_id=1)
    flagged = next(iter(reports))
    blockers = moderation.unmoderated_count(ui_db, actor_id=moderator, roundtable_id=1)
    at = open_moderation(app_as, "moderator")
    headings = [h.value for h in at.subheader]
    assert any(h.startswith("Awaiting approval (") for h in headings)
    assert f"Reported ({len(reports)})" in headings
    assert "Reports never hold back the memo" in texts(at)
    assert f"mod_approve_{flagged}" not in [b.key for b in at.button]  # a report is not "approved"
    at.button(key=f"mod_dismiss_{flagged}").click().run()
    assert at.error and "reason" in at.error[0].value.lower()
    assert flagged in moderation.open_flag_reports(ui_db, actor_id=moderator, roundtable_id=1)
    at.text_input(key=f"mod_reason_{flagged}_published").input("Robust criticism, not abuse.")
    at.button(key=f"mod_dismiss_{flagged}").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("report is dismissed" in s.value for s in at.success)
    assert flagged not in moderation.open_flag_reports(ui_db, actor_id=moderator, roundtable_id=1)
    assert comments.get_comment(ui_db, actor_id=moderator, comment_id=flagged).status == "published"
    assert moderation.unmoderated_count(ui_db, actor_id=moderator, roundtable_id=1) == blockers
    assert "Robust criticism, not abuse." in _log(at)  # in the moderation log


def _log(at) -> str:
    """The moderation log as shown: one wrapped line per decision (issue 18: nothing cut off)."""
    import re

    return re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown if "→" in m.value))


def test_the_log_shows_the_comments_opening_words_and_recommendation_and_pages(app_as, ui_db):
    # Issue 18: not "#25", and a long log is paged.
    moderator = user_id(ui_db, "moderator")
    log = moderation.moderation_log(ui_db, actor_id=moderator, roundtable_id=1)
    assert log and all(e.comment_excerpt and e.recommendation_number for e in log)
    at = open_moderation(app_as, "moderator")
    shown = _log(at)
    newest = log[0]
    assert f"recommendation {newest.recommendation_number}" in shown
    assert newest.comment_excerpt.split()[0] in shown and f"#{newest.comment_id}" not in shown
    from recdraft.ui.screens.moderation import LOG_PAGE

    assert shown.count("→") == min(LOG_PAGE, len(log))
    if len(log) > LOG_PAGE:
        at.number_input(key="mod_log_page").set_value(2).run()
        assert log[LOG_PAGE].comment_excerpt.split()[0] in _log(at)
