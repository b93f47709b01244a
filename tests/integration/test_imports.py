"""Importing a recommendations memo (services.imports, issue 16): every item lands as a first draft with the
right text in the right field, in one transaction with its provenance and audit row, once per file; on
SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from recdraft.db.import_models import DocumentImport, ImportedItem
from recdraft.db.models import AuditEvent, Recommendation, Revision
from recdraft.domain.policy import Action
from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.importing import preview as pv
from recdraft.services import imports, revisions
from recdraft.services import recommendations as recs
from recdraft.services._base import SYSTEM
from tests.factories import content, make_world
from tests.import_documents import EXPECTED, memo_bytes

FIELDS = ("title", "text", "rationale", "legal_basis", "responsible_body")


@pytest.fixture
def world(db):
    return make_world(db)


def _read(world, lang="ru", who="expert", data=None, name=None):
    return imports.read_file(
        world.db,
        actor_id=world[who],
        roundtable_id=world.roundtable_id,
        data=data if data is not None else memo_bytes(lang),
        file_name=name or f"memo_{lang}.docx",
    )


def _import(world, preview, who="expert"):
    return imports.import_preview(world.db, actor_id=world[who], roundtable_id=world.roundtable_id, preview=preview)


def _count(world, model):
    with world.db.read() as s:
        return s.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_12_item_memo_becomes_12_first_drafts_with_every_field_in_place(world, lang):
    recs.create_recommendation(
        world.db, actor_id=world["expert2"], roundtable_id=world.roundtable_id, content=content()
    )  # one typed in before: the imported ones follow it
    result = _import(world, _read(world, lang))
    assert result.numbers == list(range(2, 14))
    for rec_id, want in zip(result.recommendation_ids, EXPECTED[lang], strict=True):
        view = recs.get_recommendation(world.db, actor_id=world["observer"], recommendation_id=rec_id)
        assert view.status == "draft" and view.created_by == world["expert"] and view.topic == want.topic
        assert list(view.current_revision.content) == [lang]
        got = view.current_revision.content[lang]
        for field in FIELDS:
            assert getattr(got, field) == getattr(want, field), (view.number, field)
        assert view.current_revision.number == 1 and view.current_revision.kind == "create"
    first = revisions.list_revisions(
        world.db, actor_id=world["observer"], recommendation_id=result.recommendation_ids[4]
    )
    assert first[0].note == imports.provenance_note(f"memo_{lang}.docx", (5,), lang)
    where = imports.provenance(world.db, actor_id=world["observer"], recommendation_id=result.recommendation_ids[4])
    assert where is not None and where.render("en") == f"Imported from memo_{lang}.docx, item 5"
    assert where.render("ru") == f"Импортировано из memo_{lang}.docx, пункт 5"


def test_one_audit_row_names_the_file_and_every_number(world):
    result = _import(world, _read(world, "en"))
    with world.db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "recommendation.import")).all()
        assert len(events) == 1
        assert events[0].object_id == result.import_id and events[0].actor_id == world["expert"]
        assert events[0].details["file"] == "memo_en.docx" and events[0].details["numbers"] == result.numbers
        assert s.scalar(select(func.count()).select_from(ImportedItem)) == 12


def test_importing_the_same_file_again_changes_nothing_and_says_when_it_was_imported(world):
    _import(world, _read(world, "kk"))
    again = _read(world, "kk", who="expert2", name="renamed copy.docx")
    assert again.messages()[0].key == "import.already_imported"
    with pytest.raises(InvalidInput) as caught:
        _import(world, again, who="expert2")
    assert caught.value.key == "import.already_imported" and caught.value.params["name"] == "memo_kk.docx"
    assert _count(world, Recommendation) == 12 and _count(world, DocumentImport) == 1


def test_the_fixes_made_in_the_preview_are_what_is_imported(world):
    preview = _read(world, "en")
    preview = pv.set_skip(preview, 11)
    preview = pv.merge_with_next(preview, 0)  # items 1 and 2 become one
    preview = pv.set_field(preview, 1, "title", "A title written by hand")
    result = _import(world, preview)
    assert len(result.numbers) == 10
    merged = recs.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=result.recommendation_ids[0])
    assert (
        merged.current_revision.content["en"].rationale
        == EXPECTED["en"][0].rationale + "\n\n" + EXPECTED["en"][1].rationale
    )
    assert (
        imports.provenance(world.db, actor_id=world["expert"], recommendation_id=result.recommendation_ids[0]).render(
            "en"
        )
        == "Imported from memo_en.docx, items 1, 2"
    )
    fixed = recs.get_recommendation(world.db, actor_id=world["expert"], recommendation_id=result.recommendation_ids[1])
    assert fixed.current_revision.content["en"].title == "A title written by hand"


def test_one_invalid_item_stops_the_whole_import_and_names_the_item(world):
    preview = pv.set_field(_read(world, "ru"), 6, "title", "   ")
    with pytest.raises(InvalidInput) as caught:
        _import(world, preview)
    assert caught.value.key == "import.item_invalid" and caught.value.params["item"] == 7
    assert caught.value.field == "content.ru.title"
    assert _count(world, Recommendation) == 0 and _count(world, DocumentImport) == 0


def test_everything_skipped_is_refused(world):
    preview = _read(world, "en")
    for n in range(len(preview.items)):
        preview = pv.set_skip(preview, n)
    with pytest.raises(InvalidInput) as caught:
        _import(world, preview)
    assert caught.value.key == "import.nothing_to_import"


def test_a_language_the_roundtable_does_not_use_is_flagged_in_the_preview_and_refused(db):
    world = make_world(db, languages=["ru", "en"])
    preview = _read(world, "kk")
    assert "import.notice.language_not_used" in [m.key for m in preview.messages()]
    with pytest.raises(InvalidInput) as caught:
        _import(world, preview)
    assert caught.value.key == "import.language_not_used"
    assert _count(world, Recommendation) == 0
    # The person says the document is really in Russian: it is stored as Russian.
    result = _import(world, pv.set_language(_read(world, "ru"), "ru"))
    assert len(result.numbers) == 12


@pytest.mark.parametrize("who", ["observer", "outsider"])
def test_observers_and_outsiders_may_not_import(world, who):
    with pytest.raises(PermissionDenied):
        _read(world, "en", who=who)
    preview = _read(world, "en")
    with pytest.raises(PermissionDenied):
        _import(world, preview, who=who)
    assert _count(world, Recommendation) == 0


def test_the_page_view_offers_drafting_only_to_those_the_policy_allows(world):
    assert (
        Action.DRAFT
        in imports.import_page(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id).actions
    )
    assert (
        Action.DRAFT
        not in imports.import_page(world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id).actions
    )
    _import(world, _read(world, "en"))
    page = imports.import_page(world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id)
    assert [(i.file_name, i.numbers, i.imported_by_name) for i in page.imports] == [
        ("memo_en.docx", list(range(1, 13)), "Expert")
    ]


def test_a_bad_file_stores_nothing(world):
    with pytest.raises(InvalidInput) as caught:
        _read(world, data=memo_bytes("en"), name="memo.docm")
    assert caught.value.key == "import.file.macros"
    assert _count(world, DocumentImport) == 0 and _count(world, Revision) == 0


def test_the_command_line_imports_as_the_roundtable_creator(world):
    preview = _read(world, "en")
    with pytest.raises(InvalidInput) as caught:  # make_world's roundtable was created at the command line
        imports.import_preview(world.db, actor_id=SYSTEM, roundtable_id=world.roundtable_id, preview=preview)
    assert caught.value.key == "import.no_author"
