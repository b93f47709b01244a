"""The import page (issue 16, AppTest): the preview item by item, a fix, the import; and who gets the page.

AppTest cannot drive a file uploader, so the preview is read by the service (as the Read button does) and
put where the page keeps it; everything after that is clicked through the page."""

from __future__ import annotations

from sqlalchemy import func, select

from recdraft.db.models import Recommendation
from recdraft.services import imports, roundtables
from recdraft.services._base import SYSTEM
from tests.import_documents import EXPECTED, memo_bytes
from tests.ui.conftest import page_alone, texts, user_id

PAGE = "recdraft/ui/pages/import_recommendations.py"


def _count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Recommendation))


def _drafting(db) -> None:
    roundtables.set_phase(db, actor_id=SYSTEM, roundtable_id=1, phase="drafting")


def test_an_expert_checks_the_preview_skips_one_item_merges_two_and_imports_the_rest(app_as, ui_db):
    _drafting(ui_db)
    before = _count(ui_db)
    preview = imports.read_file(
        ui_db, actor_id=user_id(ui_db, "expert"), roundtable_id=1, data=memo_bytes("ru"), file_name="memo_ru.docx"
    )
    at = app_as("expert", PAGE, run=False)
    at.session_state["imp_preview"] = preview
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Items found: 12. Language: Russian." in shown
    labels = [e.label.replace("\\", "") for e in at.expander]
    assert len([label for label in labels if label.startswith(tuple(f"{n}." for n in range(1, 13)))]) == 12
    assert at.text_input(key="imp_0_0_title").value == EXPECTED["ru"][0].title
    assert at.text_area(key="imp_0_0_rationale").value == EXPECTED["ru"][0].rationale
    at.checkbox(key="imp_0_11_skip").check().run()
    at.button(key="imp_0_0_merge").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert (
        at.text_area(key="imp_1_0_rationale").value
        == EXPECTED["ru"][0].rationale + "\n\n" + EXPECTED["ru"][1].rationale
    )
    at.text_input(key="imp_1_1_title").set_value("Название, исправленное вручную").run()
    at.button(key="imp_import").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Imported as drafts: 10" in texts(at)
    assert _count(ui_db) == before + 10
    with ui_db.read() as s:
        titles = s.scalars(select(Recommendation.search_text).order_by(Recommendation.number.desc()).limit(10)).all()
    assert any("название, исправленное вручную" in t for t in titles)
    assert "memo_ru.docx — " in texts(at).replace("\\", "")  # listed among the earlier imports


def test_an_observer_is_told_why_there_is_no_upload(app_as, ui_db):
    _drafting(ui_db)
    at = page_alone(ui_db, "observer", PAGE)  # the menu leaves the page out; its address still answers
    assert not at.exception, [e.value for e in at.exception]
    assert "your role cannot do in this roundtable" in texts(at)
    assert not [w for w in at.button if w.key == "imp_read"]


def test_the_preview_speaks_kazakh_to_a_kazakh_reader(app_as, ui_db):
    _drafting(ui_db)
    preview = imports.read_file(
        ui_db, actor_id=user_id(ui_db, "expert"), roundtable_id=1, data=memo_bytes("kk"), file_name="memo_kk.docx"
    )
    at = app_as("expert", PAGE, run=False, lang="kk")
    at.session_state["imp_preview"] = preview
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Табылған тармақтар: 12. Тілі: қазақ тілі." in shown
    assert "Жоба ретінде импорттау: 12" in shown
