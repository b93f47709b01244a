"""Translations (issue 10, item 7): per-language status, the service's rules on SQLite and PostgreSQL, and the
memo whole in its language, read back from the exported .docx."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document
from lxml import etree
from sqlalchemy import select

from recdraft.db.models import AuditEvent, Recommendation
from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.services import accounts, memo, recommendations, roundtables, translations, voting
from recdraft.services._base import SYSTEM
from recdraft.services.demo import load_demo
from tests.factories import content, make_world

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _uid(db, name: str) -> int:
    return accounts.find_user(db, username=name).id


def _docx_text(data: bytes) -> str:
    """Every paragraph of the document body (tables included), one a line, as a reader sees it."""
    doc = Document(io.BytesIO(data))
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in doc.element.body.iter(f"{W}p")).replace(
        "\u00a0", " "
    )


def _lines(markup: str) -> list[str]:
    """The plain lines of a Markdown-subset text as the memo prints them."""
    out = []
    for line in markup.splitlines():
        line = re.sub(r"^(?:- |> |\d+\. )", "", line.strip()).replace("**", "").replace("*", "")
        if line:
            out.append(line)
    return out


def test_a_translation_is_saved_with_its_source_never_stales_a_vote_and_an_edit_outdates_it(db):
    w = make_world(db)
    rec = recommendations.create_recommendation(
        db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content(rationale="Because.")
    )
    first = rec.current_revision.id
    view = translations.get_translations(db, actor_id=w["expert"], recommendation_id=rec.id)
    assert view.fields["en"]["text"].status == "original" and view.fields["kk"]["text"].status == "needed"
    saved = translations.save_translation(
        db,
        actor_id=w["expert"],
        recommendation_id=rec.id,
        lang="kk",
        source_lang="en",
        texts={"title": "Ұлттық қоғам туралы заң қабылдау", "text": "Парламент заң қабылдауы тиіс."},
    )
    assert saved.fields["kk"]["text"].status == "translated" and saved.fields["kk"]["rationale"].status == "needed"
    assert saved.fields["kk"]["text"].translator_name
    # A translation is not a revision: the text voted on, and every vote on it, stay as they were.
    after = recommendations.get_recommendation(db, actor_id=w["admin"], recommendation_id=rec.id)
    assert after.current_revision.id == first and set(after.current_revision.content) == {"en"}
    with db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "recommendation.translation")).all()
        assert [e.details["lang"] for e in events] == ["kk"] and events[0].actor_id == w["expert"]
    # Saving the same words again records nothing.
    translations.save_translation(
        db,
        actor_id=w["expert"],
        recommendation_id=rec.id,
        lang="kk",
        source_lang="en",
        texts={"text": "Парламент заң қабылдауы тиіс."},
    )
    with db.read() as s:
        assert len(s.scalars(select(AuditEvent).where(AuditEvent.action == "recommendation.translation")).all()) == 1
    # The author edits the English text: the Kazakh text is outdated, its title still current.
    edited = content(text="Parliament should adopt a law in 2026.", rationale="Because.")
    recommendations.edit_recommendation(
        db, actor_id=w["expert"], recommendation_id=rec.id, base_revision_id=first, content=edited
    )
    view = translations.get_translations(db, actor_id=w["moderator"], recommendation_id=rec.id)
    assert view.fields["kk"]["text"].status == "outdated" and view.fields["kk"]["title"].status == "translated"
    needs = translations.needs_translation(db, actor_id=w["observer"], roundtable_id=w.roundtable_id)
    assert [(i.number, i.outdated) for i in needs["kk"]] == [(rec.number, ["text"])]


def test_who_may_translate_and_what_a_translation_may_not_replace(db):
    w = make_world(db)
    rec = recommendations.create_recommendation(
        db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content()
    )
    with pytest.raises(PermissionDenied):
        translations.save_translation(
            db,
            actor_id=w["observer"],
            recommendation_id=rec.id,
            lang="ru",
            source_lang="en",
            texts={"text": "Принять закон."},
        )
    with pytest.raises(PermissionDenied):  # an expert who is not its author
        translations.save_translation(
            db,
            actor_id=w["expert2"],
            recommendation_id=rec.id,
            lang="ru",
            source_lang="en",
            texts={"text": "Принять закон."},
        )
    with pytest.raises(InvalidInput):  # the authors' English is the agreed original
        translations.save_translation(
            db,
            actor_id=w["moderator"],
            recommendation_id=rec.id,
            lang="en",
            source_lang="ru",
            texts={"text": "Another text."},
        )
    with pytest.raises(InvalidInput):  # nothing in Russian to translate from
        translations.save_translation(
            db,
            actor_id=w["moderator"],
            recommendation_id=rec.id,
            lang="kk",
            source_lang="ru",
            texts={"text": "Заң қабылдау."},
        )
    done = translations.save_translation(
        db,
        actor_id=w["moderator"],
        recommendation_id=rec.id,
        lang="ru",
        source_lang="en",
        texts={"title": "Принять закон", "text": "Парламенту следует принять закон."},
    )
    assert done.language_status["ru"] == "translated"


def test_an_adopted_text_is_translated_while_its_wording_stays_frozen(db):
    report = load_demo(db)
    moderator = _uid(db, "moderator")
    adopted = _adopted(db, report.roundtable_id)
    states = {r: translations.get_translations(db, actor_id=moderator, recommendation_id=r) for r in adopted}
    assert len(states) == 10
    for view in states.values():
        assert all(view.language_status[lang] in ("original", "translated") for lang in ("kk", "ru", "en"))
    # The needs-translation list is not empty: the texts still under discussion wait for their translators.
    needs = translations.needs_translation(db, actor_id=moderator, roundtable_id=report.roundtable_id)
    assert needs["kk"] and all(item.status != "adopted" for items in needs.values() for item in items)


def _adopted(db, roundtable_id: int, *, with_author: bool = False) -> list:
    with db.read() as s:
        rows = s.execute(
            select(Recommendation.id, Recommendation.created_by)
            .where(Recommendation.roundtable_id == roundtable_id, Recommendation.status == "adopted")
            .order_by(Recommendation.position, Recommendation.id)
        ).all()
    return [tuple(r) for r in rows] if with_author else [r[0] for r in rows]


def _final(db, roundtable_id: int, lang: str) -> memo.ExportResult:
    result = memo.export_memo(db, actor_id=_uid(db, "admin"), roundtable_id=roundtable_id, lang=lang, variant="final")
    assert result.is_final, result.blockers
    return result


def test_the_final_kazakh_memo_prints_every_text_in_kazakh_and_no_other_languages_text(db):
    report = load_demo(db)
    admin = _uid(db, "admin")
    result = _final(db, report.roundtable_id, "kk")
    text = _docx_text(result.content)
    for rec_id in _adopted(db, report.roundtable_id):
        view = translations.get_translations(db, actor_id=admin, recommendation_id=rec_id)
        kk = {name: state.text for name, state in view.fields["kk"].items()}
        assert kk["title"] in text
        for name in ("text", "rationale", "legal_basis", "responsible_body"):
            for line in _lines(kk[name]):
                assert line in text, (rec_id, name, line)
        for other in ("ru", "en"):
            for name in ("text", "rationale"):
                for line in _lines(view.fields[other][name].text):
                    if line not in _lines(kk[name]):
                        assert line not in text, (rec_id, other, name, line)
    # Legal references and organisations are in Kazakh too.
    assert "ХҚКК-нің эмблемалар туралы үлгілік заңы" in text and "ICRC Model Law on the emblems" not in text
    assert "Қазақстан Республикасының Қызыл Жарты Ай Қоғамы" in text


def test_the_kk_ru_memo_columns_hold_each_their_own_language(db):
    report = load_demo(db)
    result = _final(db, report.roundtable_id, "kk+ru")
    doc = Document(io.BytesIO(result.content))
    admin = _uid(db, "admin")
    view = translations.get_translations(db, actor_id=admin, recommendation_id=_adopted(db, report.roundtable_id)[1])
    kk_title, ru_title = view.fields["kk"]["title"].text, view.fields["ru"]["title"].text
    rows = [
        [c.text for c in row.cells]
        for table in doc.tables
        for row in table.rows
        if len(row.cells) == 2 and row.cells[0]._tc is not row.cells[1]._tc
    ]  # a spanning cell is one cell
    row = next(r for r in rows if kk_title in r[0])
    assert ru_title in row[1] and ru_title not in row[0] and kk_title not in row[1]
    for left, right in rows:
        assert not (left.strip() and left == right and len(left) > 40), left  # no column repeats the other


def test_borrowed_names_carry_their_own_language(db):
    report = load_demo(db)
    result = _final(db, report.roundtable_id, "kk")
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(result.content)).read("word/document.xml"))
    tagged = {}
    for r in root.iter(f"{W}r"):
        text = "".join(t.text or "" for t in r.iter(f"{W}t"))
        lang = r.find(f"{W}rPr/{W}lang")
        tagged[text] = lang.get(f"{W}val") if lang is not None else None
    assert tagged.get("Jonas Aebischer") == "en-GB"  # a Latin name in the Kazakh annex
    assert tagged.get("Нархоз университеті — Құқық және мемлекеттік басқару мектебі") is None


def test_an_edit_after_translation_turns_the_final_into_a_draft_that_lists_what_is_missing(db):
    report = load_demo(db)
    rt = report.roundtable_id
    ids = {
        n: _uid(db, n) for n in ("admin", "moderator", "expert1", "expert2", "expert3", "expert4", "expert5", "expert6")
    }
    recs = _adopted(db, rt, with_author=True)
    rec_id = next(
        r
        for r, author in recs
        if author == ids["expert1"]
        and translations.get_translations(db, actor_id=ids["admin"], recommendation_id=r).fields["kk"]["text"].status
        == "translated"
    )
    memo_number = [r for r, _ in recs].index(rec_id) + 1
    recommendations.set_status(db, actor_id=ids["moderator"], recommendation_id=rec_id, status="discussion")
    current = recommendations.get_recommendation(db, actor_id=ids["admin"], recommendation_id=rec_id).current_revision
    edited = {lang: c.model_dump() for lang, c in current.content.items()}
    edited["en"]["text"] = edited["en"]["text"] + " The law should enter into force within a year."
    recommendations.edit_recommendation(
        db, actor_id=ids["expert1"], recommendation_id=rec_id, base_revision_id=current.id, content=edited
    )
    rnd = voting.open_round(db, actor_id=ids["moderator"], roundtable_id=rt, recommendation_ids=[rec_id])
    for who in ("expert1", "expert2", "expert3", "expert4", "expert5", "expert6"):
        voting.cast_vote(db, actor_id=ids[who], round_id=rnd.id, recommendation_id=rec_id, choice="agree")
    voting.close_round(db, actor_id=ids["moderator"], round_id=rnd.id)
    status = memo.memo_status(db, actor_id=ids["admin"], roundtable_id=rt, lang="kk")
    assert not status.can_be_final
    [blocker] = [b for b in status.blocking if b.kind == "translation"]
    assert (blocker.memo_number, blocker.lang, blocker.outdated) == (memo_number, "kk", ["text"])
    result = memo.export_memo(db, actor_id=ids["admin"], roundtable_id=rt, lang="kk", variant="final")
    assert not result.is_final and result.filename.endswith("-DRAFT.docx")
    text = _docx_text(result.content)
    assert f"{memo_number}-ұсыным" in text and "түзетуден кейін ескірген — мәтін" in text
    # English is still whole: its final is unaffected.
    assert memo.memo_status(db, actor_id=ids["admin"], roundtable_id=rt, lang="en").can_be_final
    # The translator confirms the new source: the Kazakh final is whole again.
    view = translations.get_translations(db, actor_id=ids["moderator"], recommendation_id=rec_id)
    translations.save_translation(
        db,
        actor_id=ids["moderator"],
        recommendation_id=rec_id,
        lang="kk",
        source_lang="en",
        texts={"text": view.fields["kk"]["text"].text + " Заң бір жыл ішінде күшіне енуге тиіс."},
    )
    assert memo.memo_status(db, actor_id=ids["admin"], roundtable_id=rt, lang="kk").can_be_final


def test_organisation_names_are_a_checked_setting(db):
    w = make_world(db)
    with pytest.raises(InvalidInput):
        roundtables.update_settings(
            db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, settings={"organisation_names": "ICRC"}
        )


def test_translating_goes_on_once_the_roundtable_is_final_and_stops_when_it_is_archived(db):
    w = make_world(db)
    rec = recommendations.create_recommendation(
        db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content()
    )
    roundtables.set_phase(db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase="closed")
    done = translations.save_translation(
        db,
        actor_id=w["expert"],
        recommendation_id=rec.id,
        lang="ru",
        source_lang="en",
        texts={"title": "Принять закон о Национальном обществе", "text": "Парламенту следует принять закон."},
    )
    assert done.fields["ru"]["text"].status == "translated"
    roundtables.set_phase(db, actor_id=SYSTEM, roundtable_id=w.roundtable_id, phase="archived")
    with pytest.raises(PermissionDenied):
        translations.save_translation(
            db,
            actor_id=w["admin"],
            recommendation_id=rec.id,
            lang="kk",
            source_lang="en",
            texts={"text": "Парламент заң қабылдауы тиіс."},
        )
    assert not translations.get_translations(db, actor_id=w["admin"], recommendation_id=rec.id).can_translate
