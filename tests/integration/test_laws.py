"""Loading the draft law (services.laws, issue 16 item 2): three language versions stored article by article
under one anchor; a second version keeps the anchors of renumbered articles and flags the changed and
removed ones; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from recdraft.db.law_models import DraftLawArticle, DraftLawVersion
from recdraft.db.models import AuditEvent
from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.services import laws
from tests.factories import make_world
from tests.import_documents import to_bytes
from tests.law_documents import article_title, bill, paragraph_text


@pytest.fixture
def world(db):
    return make_world(db, languages=["kk", "ru", "en"])


def _files(version=1, langs=("kk", "ru", "en")):
    return {lang: (to_bytes(bill(lang, version)), f"bill_v{version}_{lang}.docx") for lang in langs}


def _load(world, version=1, who="admin", **kw):
    return laws.load_version(
        world.db, actor_id=world[who], roundtable_id=world.roundtable_id, files=kw.get("files") or _files(version)
    )


def test_three_language_versions_are_stored_and_read_back_article_by_article(world):
    view = _load(world)
    assert view.version == 1 and view.languages == ["kk", "ru", "en"]
    assert len(view.articles) == 25 and [a.anchor for a in view.articles[:3]] == ["art-1", "art-2", "art-3"]
    fifth = view.articles[4]
    for lang in ("kk", "ru", "en"):
        assert fifth.titles[lang] == article_title(lang, 5)
        assert fifth.paragraphs[lang][0]["text"] == paragraph_text(lang, 5, 1)
        assert fifth.paragraphs[lang][0]["anchor"] == "art-5.p1"
    assert fifth.change is None
    read = laws.get_law(world.db, actor_id=world["observer"], roundtable_id=world.roundtable_id)
    assert read == view
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(DraftLawArticle)) == 75
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "law.load")) == 1


def test_a_second_version_carries_anchors_over_and_flags_changed_and_removed_articles(world):
    _load(world)
    view = _load(world, version=2)
    assert view.version == 2 and len(view.articles) == 24
    by_anchor = {a.anchor: a for a in view.articles}
    assert (by_anchor["art-24"].number, by_anchor["art-24"].change) == ("23", "renumbered")
    assert (by_anchor["art-25"].number, by_anchor["art-25"].change) == ("24", "renumbered")
    assert by_anchor["art-24"].titles["kk"] == article_title("kk", 24)  # every language follows the anchor
    assert by_anchor["art-5"].change == "changed"
    assert by_anchor["art-5"].paragraphs["en"][0]["text"] == paragraph_text("en", 5, 1, version=2)
    assert "art-23" not in by_anchor and view.removed == [{"anchor": "art-23", "number": "23"}]
    assert {a.change for a in view.articles if a.anchor not in ("art-5", "art-24", "art-25")} == {"unchanged"}
    with world.db.read() as s:
        assert s.scalar(select(func.count()).select_from(DraftLawVersion)) == 2
        event = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "law.load").order_by(AuditEvent.id.desc())
        ).first()
        assert event.details["flagged"] == ["art-23", "art-5"]


def test_only_those_who_configure_the_roundtable_load_the_law_and_bad_files_store_nothing(world):
    with pytest.raises(PermissionDenied):
        _load(world, who="expert")
    wrong = {"ru": (to_bytes(bill("kk")), "bill_kk.docx")}
    with pytest.raises(InvalidInput) as caught:
        _load(world, files=wrong)
    assert caught.value.key == "import.law.wrong_language"
    with pytest.raises(InvalidInput) as caught:
        _load(world, files={"en": (b"not a document", "bill.docx")})
    assert caught.value.key == "import.file.damaged"
    assert laws.get_law(world.db, actor_id=world["expert"], roundtable_id=world.roundtable_id) is None
