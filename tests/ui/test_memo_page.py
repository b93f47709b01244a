"""The memo page (administrators): blockers, building every variant and language on request, snapshots,
settings. The bytes the page offers for download are read from the session (AppTest cannot click a
download) and opened with python-docx.

Demo facts: ten recommendations are adopted and nothing blocks a final memo; the roundtable is
pre-moderated, so an expert's new comment waits for moderation (and then blocks the final memo).
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from recdraft.services import comments, memo, recommendations, roundtables
from tests.ui.conftest import (
    page_alone,
    page_files,
    texts,
    user_id,
)

PAGE = "recdraft/ui/pages/memo.py"


def open_memo(app_as, *, lang: str = "en") -> AppTest:
    at = app_as("admin", PAGE, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_directly(ui_db, role: str) -> AppTest:
    """The page file on its own (for roles whose menu does not offer it)."""
    return page_alone(ui_db, role, PAGE)


def build(at: AppTest, variant: str = "final", lang: str = "en", against: int | None = None) -> AppTest:
    at.selectbox(key="memo_variant").set_value(variant)
    at.selectbox(key="memo_lang").set_value(lang)
    at.selectbox(key="memo_against").set_value(against or 0)  # 0: the latest snapshot
    at.button(key="memo_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def built(at: AppTest) -> list[dict]:
    return list(at.session_state["memo_files"]) if "memo_files" in at.session_state else []


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def exports(ui_db) -> int:
    with ui_db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_events WHERE action = 'memo.export'")).scalar_one()


def plain(at: AppTest) -> str:
    return texts(at).replace("\\", "")


def add_pending_comment(ui_db) -> None:
    comments.post_comment(
        ui_db,
        actor_id=user_id(ui_db, "expert2"),
        recommendation_id=1,
        body="Please name the competent ministry in the text.",
    )


# ----------------------------------------------------------------------------- who sees it


def test_only_administrators_get_the_memo_page(app_as):
    assert PAGE in page_files(app_as("admin"))
    for role in ("moderator", "expert", "observer"):
        assert PAGE not in page_files(app_as(role))


@pytest.mark.parametrize("role", ["expert", "moderator", "observer"])
def test_others_opening_it_directly_see_a_refusal_and_no_memo_content(ui_env, ui_db, role):
    at = open_directly(ui_db, role)
    assert at.warning
    assert not [w for w in [*at.button, *at.selectbox] if str(w.key).startswith("memo_")]
    assert "Mazhilis" not in plain(at) and "SHA-256" not in plain(at)


# ----------------------------------------------------------------------------- status


def test_the_admin_sees_that_nothing_blocks_a_final_memo(app_as):
    at = open_memo(app_as)
    assert at.title[0].value == "Memo for parliament"
    assert any("Nothing blocks a final version: 10 adopted" in s.value for s in at.success)
    # Nothing is built until asked: the only download is the research ZIP, which builds when clicked.
    assert [b.key for b in at.get("download_button")] == ["memo_research_download"]


def test_blockers_are_listed(app_as, ui_db):
    add_pending_comment(ui_db)
    at = open_memo(app_as)
    assert any("cannot be final yet" in w.value for w in at.warning)
    assert "Recommendation 1 (no. 1 in the roundtable) has 1 comment(s) awaiting moderation." in plain(at)


def test_blockers_are_listed_in_kazakh(app_as, ui_db):
    add_pending_comment(ui_db)
    at = open_memo(app_as, lang="kk")
    assert at.title[0].value == "Парламентке арналған қорытынды құжат"
    assert "1-ұсынымда (дөңгелек үстелдегі № 1) модерацияны күтіп тұрған түсініктемелер: 1." in plain(at)


# ----------------------------------------------------------------------------- building


def test_a_final_build_stores_a_snapshot_shows_its_sha_and_contains_the_adopted_text(app_as, ui_db):
    at = build(open_memo(app_as))
    files = built(at)
    assert len(files) == 1 and files[0]["is_final"] and files[0]["filename"].endswith("-final-en.docx")
    snapshots = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)
    assert len(snapshots) == 1 and snapshots[0].sha256 == files[0]["sha256"]
    assert any(f"snapshot {snapshots[0].id} stored" in s.value for s in at.success)
    assert at.code[0].value == snapshots[0].sha256
    assert at.get("download_button")
    assert at.dataframe[0].value["SHA-256"].tolist() == [snapshots[0].sha256]
    adopted = recommendations.get_recommendation(ui_db, actor_id=user_id(ui_db, "admin"), recommendation_id=1)
    body = docx_text(files[0]["content"])
    assert adopted.current_revision.content["en"].title in body
    assert snapshots[0].sha256 in body


def test_a_snapshot_is_verified_on_the_page_and_an_altered_one_is_reported(app_as, ui_db):
    at = build(open_memo(app_as))
    snap = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0]
    assert at.selectbox(key="memo_snap_choice").value == snap.id
    at.button(key="memo_snap_verify").click().run()
    assert any(f"Snapshot {snap.id} is intact" in m.value and snap.sha256 in m.value for m in at.success)
    # Somebody edits the stored text behind recdraft's back: the check says so.
    with ui_db.write() as s:
        s.execute(
            text("UPDATE memo_snapshots SET canonical = replace(canonical, 'Parliament', 'Parlament') WHERE id = :id"),
            {"id": snap.id},
        )
    at.button(key="memo_snap_verify").click().run()
    assert any(f"Snapshot {snap.id} has been altered" in m.value for m in at.error)


def test_a_snapshot_text_downloads_with_the_recorded_sha256(ui_db, app_as):
    import hashlib

    build(open_memo(app_as))
    snap = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0]
    data = memo.snapshot_text(ui_db, actor_id=user_id(ui_db, "admin"), snapshot_id=snap.id).encode("utf-8")
    assert hashlib.sha256(data).hexdigest() == snap.sha256
    at = open_memo(app_as)
    # The page offers that text (served on click, so AppTest sees the button, not the bytes).
    offered = [b for b in at.get("download_button") if "memo_snap_download" in b.proto.id]
    assert len(offered) == 1 and offered[0].proto.label == "Download its text"


def test_nothing_is_built_again_on_a_rerun(app_as, ui_db):
    at = build(open_memo(app_as))
    before = exports(ui_db)
    at.run()
    at.run()
    assert exports(ui_db) == before == 1
    assert len(built(at)) == 1


def test_a_blocked_final_build_is_a_marked_draft_and_stores_no_snapshot(app_as, ui_db):
    add_pending_comment(ui_db)
    at = build(open_memo(app_as))
    files = built(at)
    assert not files[0]["is_final"] and files[0]["filename"].endswith("-DRAFT.docx")
    assert any("This is a DRAFT" in w.value for w in at.warning)
    assert memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1) == []


def test_a_redline_against_a_chosen_snapshot_in_kazakh_and_russian(app_as, ui_db):
    at = build(open_memo(app_as))
    snapshot = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0]
    build(at, "redline", "kk+ru", snapshot.id)
    files = built(at)
    assert [f["variant"] for f in files] == ["redline", "final"]
    assert files[0]["against"] == snapshot.id and files[0]["filename"].endswith("-redline-kk-ru.docx")
    assert len([b for b in at.get("download_button") if b.proto.id and "memo_download_" in b.proto.id]) == 2
    assert Document(io.BytesIO(files[0]["content"])).paragraphs


@pytest.mark.parametrize("variant", ["review", "comparison"])
def test_every_variant_builds(app_as, variant):
    at = build(open_memo(app_as), variant, "ru")
    assert built(at)[0]["filename"].endswith(f"-{variant}-ru.docx")


def test_build_notes_are_translated(app_as):
    # The demo's Kazakh final is whole (issue 10, item 7: no text borrowed from another language), so the
    # note checked is the redline's: nothing was sent to parliament yet, said in Russian.
    at = build(open_memo(app_as, lang="ru"), "redline", "kk")
    page = plain(at)
    assert "Документ готов к скачиванию." in [m.value for m in at.success]
    assert "В Парламент ещё не направлен ни один снимок" in page


# ----------------------------------------------------------------------------- settings


def test_memo_settings_are_shown_and_saved_through_the_roundtable_service(app_as, ui_db):
    at = open_memo(app_as)
    page = plain(at)
    assert "Mazhilis of the Parliament of the Republic of Kazakhstan" in page
    assert "Мажилис Парламента Республики Казахстан" in page
    assert "ICRC Model Law on the emblems" in page
    at.text_area(key="memo_set_closing_en").input("With respect, the School of Law.")
    refs = at.text_area(key="memo_set_references")
    refs.input(refs.value + "\nLaw of the Republic of Kazakhstan on Civil Protection, 2014")
    at.button(key="memo_settings_save").click().run()
    assert not at.exception
    assert any("memo settings were saved" in s.value for s in at.success)
    rt = roundtables.get_roundtable(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)
    assert rt.settings["closing_formula"]["en"] == "With respect, the School of Law."
    assert rt.settings["closing_formula"]["kk"].startswith("Нархоз")
    assert rt.settings["legal_references"][-1] == "Law of the Republic of Kazakhstan on Civil Protection, 2014"
    assert "With respect, the School of Law." in plain(at)


# ----------------------------------------------------------------------------- issue 10


def test_each_blocker_says_who_can_clear_it(app_as, ui_db):
    add_pending_comment(ui_db)
    at = open_memo(app_as)
    assert (
        "Recommendation 1 (no. 1 in the roundtable) has 1 comment(s) awaiting moderation. Moderators (or "
        "administrators) can clear this on the Moderation page."
    ) in plain(at)
    kk = open_memo(app_as, lang="kk")
    assert "Мұны модераторлар (немесе әкімшілер) модерация бетінде шеше алады." in plain(kk)


def test_a_snapshot_is_marked_as_sent_and_becomes_what_a_redline_compares_against(app_as, ui_db):
    at = build(open_memo(app_as))
    snap = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0]
    assert "first drafts" in at.selectbox(key="memo_against").format_func(0)  # nothing sent yet
    assert at.selectbox(key="memo_against").format_func(-1) == "The first drafts"
    at.button(key="memo_sent_toggle").click().run()
    assert not at.exception, [e.value for e in at.exception]
    sent = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0]
    assert sent.sent_at is not None and any(f"Snapshot {snap.id} is recorded as sent" in s.value for s in at.success)
    assert at.dataframe[0].value["Sent to parliament"].tolist() != ["—"]
    assert f"snapshot {snap.id}" in at.selectbox(key="memo_against").format_func(0)
    build(at, "redline", "en")  # the default: the last one sent
    assert f"(snapshot {snap.id})" in docx_text(built(at)[0]["content"]).split("Addressee")[0]
    build(at, "redline", "en", -1)  # "first drafts" is still offered after a final memo exists
    assert "the first drafts of the recommendations" in docx_text(built(at)[0]["content"])
    at.button(key="memo_sent_toggle").click().run()  # a mistaken mark can be removed
    assert memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0].sent_at is None


def test_the_memo_is_offered_as_pdf_a_with_the_same_seal(app_as, ui_db):
    from recdraft.export._pdf import available

    if not available():
        pytest.fail(
            "PDF export needs LibreOffice and python3-uno (apt-get install libreoffice-writer-nogui python3-uno)"
        )
    at = open_memo(app_as)
    assert at.selectbox(key="memo_format").options == ["Word (.docx)", "PDF/A (for sending and archiving)"]
    at.selectbox(key="memo_format").set_value("pdf")
    build(at)
    entry = built(at)[0]
    assert entry["filename"].endswith("-final-en.pdf") and entry["content"].startswith(b"%PDF")
    assert entry["media_type"] == "application/pdf" and entry["is_final"]
    snap = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0]
    assert entry["sha256"] == snap.sha256


def test_the_signatory_and_outgoing_number_are_set_on_the_page_and_printed_in_the_memo(app_as, ui_db):
    at = open_memo(app_as)
    at.text_input(key="memo_set_signatory_ru").input("Айгерим Нурланова")
    at.text_input(key="memo_set_position_ru").input("Декан Школы права")
    at.text_input(key="memo_set_outgoing").input("№ 01-12/345")
    at.button(key="memo_settings_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    rt = roundtables.get_roundtable(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)
    assert rt.settings["signatory"]["name"]["ru"] == "Айгерим Нурланова"
    assert rt.settings["outgoing_number"] == "№ 01-12/345"
    assert "Outgoing number: № 01-12/345" in plain(at)
    text = docx_text(built(build(at, "final", "ru"))[0]["content"]).replace("\u00a0", " ")
    assert "Исх. № 01-12/345 от" in text and "Декан Школы права\nАйгерим Нурланова" in text


def test_a_pasted_sha256_is_checked_against_the_stored_snapshots(app_as, ui_db):
    # Issue 18, item 9: no command line needed to check a memo.
    at = build(open_memo(app_as), "final", "en")
    snapshot = memo.list_snapshots(ui_db, actor_id=user_id(ui_db, "admin"), roundtable_id=1)[0]
    at.text_input(key="memo_check_hash").input(snapshot.sha256.upper())
    at.button(key="memo_check_go").click().run()
    assert any("It matches." in s.value and f"snapshot {snapshot.id}" in s.value for s in at.success), plain(at)
    at.text_input(key="memo_check_hash").input("not a hash")
    at.button(key="memo_check_go").click().run()
    assert any("64 characters" in e.value for e in at.error)
    assert not at.exception
    ru = open_memo(app_as, lang="ru")
    ru.text_input(key="memo_check_hash").input("0" * 64)
    ru.button(key="memo_check_go").click().run()
    assert any("Ни у одной итоговой записки" in e.value for e in ru.error)
