"""The comment thread of the detail page: a page of threads, one actions menu per comment, hidden comments in
their place, edits that wait for a moderator, and a comment typed by someone whose role was just lowered.

Issue 15 goal 2 and issue 18 items 4 and 5. The demo roundtable is in pre-moderation; moderators' comments
are published at once. Recommendation 3 is in discussion and has no comments of its own in these tests'
arrangements other than the ones they post.
"""

from __future__ import annotations

from recdraft.services import comments, moderation, roundtables
from recdraft.services._base import SYSTEM
from tests.ui.conftest import texts, user_id
from tests.ui.test_recommendations_pages import open_rec

REC = 3


def _blocks(node, kind: str):
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", None) == kind:
            yield child
        yield from _blocks(child, kind)


def _shown_comment_ids(at) -> list[int]:
    keys = [str(b.proto.id) for b in _blocks(at.main, "flex_container") if "-recs_comment_" in str(b.proto.id)]
    return [int(k.rsplit("recs_comment_", 1)[1]) for k in keys if k.rsplit("recs_comment_", 1)[1].isdigit()]


def _post(ui_db, who: str, body: str, parent_id: int | None = None, rec: int = REC):
    return comments.post_comment(
        ui_db, actor_id=user_id(ui_db, who), recommendation_id=rec, body=body, parent_id=parent_id
    )


def _existing(ui_db, rec: int = REC) -> int:
    return len(comments.list_comments(ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=rec))


def to_last_page(at) -> None:
    """Open the last page of threads (where the newest are), when there is more than one."""
    pager = [b for b in at.selectbox if b.key == f"recs_cpage_{REC}"]
    if pager:
        pager[0].set_value(len(pager[0].options)).run()


def plain(at) -> str:
    return texts(at).replace("\\", "")


# ----------------------------------------------------------------------------- pages and menus


def test_a_long_thread_is_paged_and_every_comment_has_one_actions_menu(app_as, ui_db):
    before = comments.comment_page(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=REC).threads
    posted = [_post(ui_db, "moderator", f"Point number {i} about the emblem.") for i in range(23)]
    _post(ui_db, "moderator", "An answer to the first point.", parent_id=posted[0].id)
    at = open_rec(app_as, "expert2", REC)
    total = before + 23
    pages = -(-total // comments.THREADS_PER_PAGE)
    shown = _shown_comment_ids(at)
    first_page = comments.comment_page(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=REC, page=1)
    assert shown == [e.comment.id for e in first_page.entries]
    assert len([e for e in first_page.entries if e.depth == 0]) == comments.THREADS_PER_PAGE  # whole threads
    assert any(f"Page 1 of {pages}: {total} threads" in c.value for c in at.main.caption)
    # One menu per comment shown, each holding that comment's actions (no row of buttons per comment).
    menus = [str(b.proto.id) for b in _blocks(at.main, "popover")]
    assert len(menus) == len(shown) and all(m.endswith(f"recs_c{i}_menu") for m, i in zip(menus, shown, strict=True))
    assert not [
        b
        for b in at.main.button
        if str(b.key).endswith("_reply") and not any(str(b.key) == f"recs_c{i}_reply" for i in shown)
    ]
    # No form is open until an action is chosen.
    assert not [t for t in at.text_area if str(t.key).startswith(("recs_reason_", "recs_edit_body_"))]
    # The last page holds the newest threads, oldest first as before.
    at.selectbox(key=f"recs_cpage_{REC}").set_value(pages).run()
    last = _shown_comment_ids(at)
    assert last[-1] == posted[-1].id and last == sorted(last)
    at.button(key="recs_cprev").click().run()
    assert any(f"Page {pages - 1} of {pages}" in c.value for c in at.main.caption)


def test_a_reply_opens_under_its_comment_from_the_menu_and_is_sent(app_as, ui_db):
    first = _post(ui_db, "moderator", "Should the law name the competent authority?")
    at = open_rec(app_as, "expert2", REC)
    to_last_page(at)
    at.button(key=f"recs_c{first.id}_reply").click().run()
    at.text_area(key=f"recs_body_comment_{REC}_{first.id}_0").input("Yes: the Ministry of Health.")
    at.button(key=f"recs_send_comment_{REC}_{first.id}").click().run()
    assert not at.exception and any("once a moderator approves it" in s.value for s in at.success)
    mine = [
        c
        for c in comments.list_comments(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=REC)
        if c.body == "Yes: the Ministry of Health."
    ]
    assert len(mine) == 1 and mine[0].parent_id == first.id


def test_a_new_comment_shows_on_the_last_page_where_it_landed(app_as, ui_db):
    for i in range(12):
        _post(ui_db, "moderator", f"Earlier point {i}.")
    at = open_rec(app_as, "moderator", REC)
    at.text_area(key=f"recs_body_comment_{REC}_0_0").input("The newest point of all.")
    at.button(key=f"recs_send_comment_{REC}_0").click().run()
    assert not at.exception
    assert "The newest point of all." in plain(at)
    newest = comments.list_comments(ui_db, actor_id=user_id(ui_db, "moderator"), recommendation_id=REC)[-1]
    assert newest.body == "The newest point of all." and _shown_comment_ids(at)[-1] == newest.id


# ----------------------------------------------------------------------------- hidden comments


def test_a_reply_to_a_hidden_comment_shows_the_placeholder_in_its_place(app_as, ui_db):
    rude = _post(ui_db, "moderator", "An insulting remark about the Society.")
    answer = _post(ui_db, "moderator", "Please keep to the text of the law.", parent_id=rude.id)
    moderation.moderate_comment(
        ui_db, actor_id=user_id(ui_db, "admin"), comment_id=rude.id, action="hide", reason="Insulting"
    )
    at = open_rec(app_as, "expert2", REC)
    page = plain(at)
    assert "An insulting remark" not in page
    assert "A comment was hidden by a moderator." in page
    assert "Please keep to the text of the law." in page
    # The reply stays in its thread, right under the placeholder that takes the hidden comment's place.
    entries = comments.comment_page(ui_db, actor_id=user_id(ui_db, "expert2"), recommendation_id=REC, page=99).entries
    assert [(e.depth, e.comment.id if e.comment else "gap") for e in entries][-2:] == [(0, "gap"), (1, answer.id)]
    assert _shown_comment_ids(at)[-1] == answer.id
    # Moderators still see the hidden comment itself.
    assert "An insulting remark about the Society." in plain(open_rec(app_as, "moderator", REC))


def test_the_author_of_a_hidden_comment_sees_it_with_the_moderators_reason(app_as, ui_db):
    mine = comments.post_comment(
        ui_db, actor_id=user_id(ui_db, "expert4"), recommendation_id=REC, body="My sharp words on the emblem."
    )
    moderation.moderate_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=mine.id, action="approve")
    moderation.moderate_comment(
        ui_db,
        actor_id=user_id(ui_db, "moderator"),
        comment_id=mine.id,
        action="hide",
        reason="Personal attack on a participant",
    )
    page = plain(open_rec(app_as, "expert4", REC))
    assert "My sharp words on the emblem." in page
    assert "A moderator hid this comment. The reason given:" in page and "Personal attack on a participant" in page
    other = plain(open_rec(app_as, "expert2", REC))
    assert "My sharp words" not in other and "Personal attack" not in other


# ----------------------------------------------------------------------------- edits that wait


def test_an_edit_waits_for_a_moderator_and_others_keep_reading_the_approved_text(app_as, ui_db):
    mine = comments.post_comment(
        ui_db, actor_id=user_id(ui_db, "expert4"), recommendation_id=REC, body="The first, approved wording."
    )
    moderation.moderate_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=mine.id, action="approve")
    author = open_rec(app_as, "expert4", REC)
    author.button(key=f"recs_c{mine.id}_edit").click().run()
    author.text_area(key=f"recs_edit_body_c{mine.id}").input("A second wording, not yet approved.")
    author.button(key=f"recs_send_c{mine.id}_edit").click().run()
    assert any("Your edit waits for a moderator" in s.value for s in author.success)
    seen = plain(author)
    assert "The first, approved wording." in seen and "A second wording, not yet approved." in seen
    # Everyone else: the approved text, in its place; nothing of the waiting one.
    other = plain(open_rec(app_as, "expert2", REC))
    assert "The first, approved wording." in other and "A second wording" not in other
    # A moderator sees both and approves the edit from the comment's menu.
    mod = open_rec(app_as, "moderator", REC)
    assert "A second wording, not yet approved." in plain(mod)
    mod.button(key=f"recs_c{mine.id}_approve_edit").click().run()
    mod.button(key=f"recs_send_c{mine.id}_approve_edit").click().run()
    assert not mod.error and any("The edit is approved" in s.value for s in mod.success)
    after = plain(open_rec(app_as, "expert2", REC))
    assert "A second wording, not yet approved." in after and "The first, approved wording." not in after


def test_the_moderation_queue_lists_a_waiting_edit_and_rejecting_it_needs_a_reason(app_as, ui_db):
    mine = comments.post_comment(
        ui_db, actor_id=user_id(ui_db, "expert4"), recommendation_id=REC, body="Wording everyone reads."
    )
    moderation.moderate_comment(ui_db, actor_id=user_id(ui_db, "moderator"), comment_id=mine.id, action="approve")
    comments.edit_comment(ui_db, actor_id=user_id(ui_db, "expert4"), comment_id=mine.id, body="Wording with insults.")
    at = app_as("moderator", "recdraft/ui/pages/moderation.py")
    assert not at.exception, [e.value for e in at.exception]
    page = plain(at)
    assert "Edits waiting for a moderator (1)" in page
    assert "Wording everyone reads." in page and "Wording with insults." in page
    at.button(key=f"mod_reject_edit_{mine.id}").click().run()
    assert at.error  # no reason: nothing decided
    assert comments.get_comment(ui_db, actor_id=user_id(ui_db, "expert4"), comment_id=mine.id).pending_body
    at.text_input(key=f"mod_edit_reason_{mine.id}").input("Insults are not allowed.")
    at.button(key=f"mod_reject_edit_{mine.id}").click().run()
    assert not at.error, [e.value for e in at.error]
    view = comments.get_comment(ui_db, actor_id=user_id(ui_db, "expert4"), comment_id=mine.id)
    assert (view.body, view.pending_body) == ("Wording everyone reads.", None)


# ----------------------------------------------------------------------------- a role lowered while typing


def _lower_to_observer(ui_db, who: str) -> None:
    roundtables.set_membership(ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=user_id(ui_db, who), role="observer")


def test_a_person_made_an_observer_while_typing_is_told_why_and_keeps_the_text(app_as, ui_db):
    before = _existing(ui_db)
    at = open_rec(app_as, "expert4", REC)
    at.text_area(key=f"recs_body_comment_{REC}_0_0").input("A long, careful point about tracing services.")
    _lower_to_observer(ui_db, "expert4")  # an administrator changes the role meanwhile
    at.button(key=f"recs_send_comment_{REC}_0").click().run()
    assert not at.exception
    assert any(
        "Your comment was not sent: your role in this roundtable is now “Observer”" in w.value for w in at.warning
    ), [w.value for w in at.warning]
    box = at.text_area(key=f"recs_body_comment_{REC}_0_0")
    assert box.value == "A long, careful point about tracing services."
    assert _existing(ui_db) == before  # nothing was stored


def test_the_reason_and_the_kept_text_speak_kazakh_and_russian(app_as, ui_db):
    for lang, words in (("kk", "«Бақылаушы»"), ("ru", "«Наблюдатель»")):
        at = open_rec(app_as, "expert5", REC, lang=lang)
        at.text_area(key=f"recs_body_comment_{REC}_0_0").input("Мәтін / Текст")
        _lower_to_observer(ui_db, "expert5")
        at.button(key=f"recs_send_comment_{REC}_0").click().run()
        assert any(words in w.value for w in at.warning), [w.value for w in at.warning]
        assert at.text_area(key=f"recs_body_comment_{REC}_0_0").value == "Мәтін / Текст"
        roundtables.set_membership(
            ui_db, actor_id=SYSTEM, roundtable_id=1, user_id=user_id(ui_db, "expert5"), role="expert"
        )


def test_a_reply_typed_before_the_role_was_lowered_is_kept_too(app_as, ui_db):
    first = _post(ui_db, "moderator", "A point to answer.")
    at = open_rec(app_as, "expert4", REC)
    to_last_page(at)
    at.button(key=f"recs_c{first.id}_reply").click().run()
    at.text_area(key=f"recs_body_comment_{REC}_{first.id}_0").input("My answer, typed before.")
    _lower_to_observer(ui_db, "expert4")
    at.button(key=f"recs_send_comment_{REC}_{first.id}").click().run()
    assert any("Your comment was not sent" in w.value for w in at.warning)
    assert at.text_area(key=f"recs_body_comment_{REC}_{first.id}_0").value == "My answer, typed before."
