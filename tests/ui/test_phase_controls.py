"""Phases drive the interface: every page offers only what works in the roundtable's phase, and says why not.

Demo facts: the demo roundtable is in drafting; recommendation 8 (author expert2) is being voted on in
round 4 (open, simple) with a published comment by expert3 and an open amendment by expert1; expert1
votes in rounds 3 and 4. Tests that edit draft a fresh recommendation of their own (``fresh``) before
the phase is changed (``set_phase``, as an administrator would on the admin page).
"""

from __future__ import annotations

import uuid

import pytest
from streamlit.testing.v1 import AppTest

from recdraft.domain.policy import Action, can
from recdraft.services import roundtables
from recdraft.services._base import SYSTEM
from tests.factories import make_recommendation
from tests.ui.conftest import demo_world, texts

RECS = "recdraft/ui/pages/recommendations.py"
DRAFT = "recdraft/ui/pages/draft.py"
VOTE = "recdraft/ui/pages/vote.py"
RESULTS = "recdraft/ui/pages/results.py"
OVERVIEW = "recdraft/ui/pages/overview.py"
FINAL_NOTE = "This roundtable is final: texts, comments and votes are closed."


def set_phase(ui_db, phase: str) -> None:
    roundtables.set_phase(ui_db, actor_id=SYSTEM, roundtable_id=1, phase=phase)


def fresh(ui_db, author: str) -> int:
    """A new draft by ``author`` (editable), made while the roundtable is still in drafting."""
    return make_recommendation(
        demo_world(ui_db),
        author,
        content={
            "en": {
                "title": f"Fresh recommendation {uuid.uuid4().hex[:6]}",
                "text": "Open a humanitarian corridor for the civilian population.",
            }
        },
    ).id


def open_page(app_as, role: str, page: str, *, rec: int | None = None) -> AppTest:
    at = app_as(role, run=False)
    if rec is not None:
        at.query_params["rec"] = str(rec)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def keys(at: AppTest) -> set[str]:
    out: set[str] = set()
    for kind in ("button", "text_area", "text_input", "selectbox", "radio", "multiselect", "segmented_control"):
        out |= {str(w.key) for w in getattr(at, kind) if w.key}
    return out


def plain(at: AppTest) -> str:
    return texts(at).replace("\\", "")


# ----------------------------------------------------------------------------- the final phase


def test_in_final_an_author_sees_no_edit_send_or_amend_and_is_told_why(app_as, ui_db):
    rec_id = fresh(ui_db, "expert3")
    before = open_page(app_as, "expert3", RECS, rec=rec_id)
    assert {"recs_edit", f"recs_send_comment_{rec_id}_0", f"recs_amend_{rec_id}_send"} <= keys(before)
    set_phase(ui_db, "closed")
    at = open_page(app_as, "expert3", RECS, rec=rec_id)
    k = keys(at)
    assert "recs_edit" not in k
    assert not any(
        x.startswith(
            ("recs_send_", "recs_body_", f"recs_amend_{rec_id}", "recs_withdraw", "recs_restore", "coauthors_")
        )
        for x in k
    ), k
    assert all(not e.label.startswith("Propose") for e in at.expander)
    assert FINAL_NOTE in [i.value for i in at.info]


def test_in_final_nobody_replies_to_or_flags_a_comment_but_moderators_still_moderate(app_as, ui_db):
    set_phase(ui_db, "closed")
    expert = keys(open_page(app_as, "expert3", RECS, rec=8))
    assert not any(x.endswith(("_reply", "_flag", "_edit")) for x in expert), expert
    moderator = open_page(app_as, "moderator", RECS, rec=8)
    k = keys(moderator)
    assert any(x.endswith("_hide") for x in k), "what blocks the memo can still be cleared"
    assert not any(x.endswith(("_reply", "_flag")) for x in k)
    assert any(x.startswith("recs_status_to") for x in k), "statuses are moderation"


def test_in_final_the_amendments_stay_readable_without_decisions(app_as, ui_db):
    set_phase(ui_db, "closed")
    at = open_page(app_as, "expert2", RECS, rec=8)  # the author of 8; expert1's amendment is open
    assert "Amendment 1" in plain(at)  # numbered within its recommendation (issue 18, item 6)
    assert not {"recs_amend_accept_5", "recs_amend_reject_5"} & keys(at)


def test_in_final_the_draft_page_says_why_instead_of_a_form(app_as, ui_db):
    rec_id = fresh(ui_db, "expert3")
    set_phase(ui_db, "closed")
    for rec in (None, rec_id):
        at = open_page(app_as, "expert3", DRAFT, rec=rec)
        assert FINAL_NOTE in [i.value for i in at.info]
        assert not at.text_area and not at.text_input
        assert not [b for b in at.button if str(b.key or "").startswith(("draft_create", "draft_save"))]


def test_in_final_the_list_offers_no_new_recommendation(app_as, ui_db):
    assert "recs_new" in keys(open_page(app_as, "expert3", RECS))
    set_phase(ui_db, "closed")
    at = open_page(app_as, "expert3", RECS)
    assert "recs_new" not in keys(at)
    assert FINAL_NOTE in [i.value for i in at.info]


def test_in_final_staff_can_close_the_open_round_but_open_no_new_one(app_as, ui_db):
    set_phase(ui_db, "closed")
    at = open_page(app_as, "moderator", RESULTS)
    assert at.button(key="rounds_close_4"), "a round left open is closed in the final phase"
    assert not [e for e in at.expander if e.label == "Open a new voting round"]
    assert "rounds_open_submit" not in keys(at)


# ----------------------------------------------------------------------------- archived, set-up


def test_an_archived_roundtable_is_read_only_everywhere_with_a_note(app_as, ui_db):
    set_phase(ui_db, "archived")
    note = "This roundtable is archived: everything is read-only (the memo can still be exported)."
    moderator = open_page(app_as, "moderator", RECS, rec=8)
    assert note in [i.value for i in moderator.info]
    k = keys(moderator)
    assert not any(x.startswith(("recs_edit", "recs_status", "recs_send_", "recs_amend_", "coauthors_")) for x in k), k
    assert not any(x.endswith(("_hide", "_approve", "_reply", "_flag")) for x in k), k
    results = open_page(app_as, "admin", RESULTS)
    assert note in [i.value for i in results.info]
    assert not any(x.startswith(("rounds_close_", "rounds_open_", "rounds_carry_")) for x in keys(results))


def test_in_set_up_experts_draft_but_neither_comment_nor_vote_yet(app_as, ui_db):
    set_phase(ui_db, "setup")
    at = open_page(app_as, "expert2", RECS, rec=8)
    k = keys(at)
    assert "recs_edit" in k, "first drafts are prepared in set-up"
    assert "recs_send_comment_8_0" not in k
    assert "Comments are not open in the “Set-up” phase." in plain(at)
    vote = open_page(app_as, "expert", VOTE)
    assert any("Voting is not open in the “Set-up” phase" in i.value for i in vote.info)
    assert not [w for w in vote.button if str(w.key or "").startswith("vote_submit_")]


@pytest.mark.parametrize("phase", ["drafting", "discussion", "voting"])
def test_in_the_working_phases_the_controls_are_there(app_as, ui_db, phase):
    set_phase(ui_db, phase)
    at = open_page(app_as, "expert2", RECS, rec=8)
    assert {"recs_edit", "recs_send_comment_8_0", "recs_amend_accept_5"} <= keys(at)
    assert not [i for i in at.info if "roundtable is" in i.value]


# ----------------------------------------------------------------------------- the overview says it


def test_the_overview_says_what_the_phase_means_and_what_i_can_do(app_as, ui_db):
    at = open_page(app_as, "expert", OVERVIEW)
    page = plain(at)
    assert "Phase: Drafting" in page
    assert "comment and reply" in page and "vote in the open rounds" in page
    assert "open and close voting rounds" not in page, "an expert does not run rounds"
    set_phase(ui_db, "closed")
    at = open_page(app_as, "expert", OVERVIEW)
    page = plain(at)
    assert "Phase: Final" in page and FINAL_NOTE in page
    assert "You can read everything; nothing can be changed in this phase." in page
    admin = plain(open_page(app_as, "admin", OVERVIEW))
    assert "export the memo" in admin and "comment and reply" not in admin


def test_the_overview_speaks_kazakh_and_russian_about_the_phase(app_as, ui_db):
    set_phase(ui_db, "closed")
    for lang, words in (("ru", "Этап: Итоговый этап"), ("kk", "Кезең: Қорытынды")):
        at = app_as("expert", run=False, lang=lang)
        at.run()
        at.switch_page(OVERVIEW).run()
        assert not at.exception
        assert words in plain(at)


def test_what_the_pages_show_follows_the_one_rule_the_services_enforce():
    # The pages ask the domain's table; this pins the facts the tests above rely on.
    assert not can(Action.DRAFT, role="expert", phase="closed")
    assert can(Action.MODERATE, role="moderator", phase="closed")
    assert can(Action.RUN_ROUNDS, role="moderator", phase="closed")
    assert not can(Action.RUN_ROUNDS, role="admin", phase="archived")
    assert can(Action.DRAFT, role="expert", phase="setup") and not can(Action.COMMENT, role="expert", phase="setup")
