"""The memo service: what is included, what blocks a final memo, snapshots, variants, permissions."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys

import pytest
from docx import Document
from sqlalchemy import select

from recdraft.db.models import Recommendation
from recdraft.demo import content as demo_content
from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.services import comments, memo, recommendations
from recdraft.services.demo import load_demo
from tests.factories import cast_votes, content, edit, make_round, make_world, move_to

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    # Non-breaking spaces (a number and its unit, dates) read as spaces.
    return "\n".join(t.text or "" for t in doc.element.body.iter(f"{W}t")).replace("\u00a0", " ")


def _ids(db, who: str) -> int:
    from recdraft.services import accounts

    return accounts.find_user(db, username=who).id


def test_the_demo_gives_a_final_memo_with_a_verifiable_snapshot_and_every_variant(db):
    report = load_demo(db)
    admin = _ids(db, "admin")
    status = memo.memo_status(db, actor_id=admin, roundtable_id=report.roundtable_id)
    assert status.can_be_final, status.blockers
    with db.read() as s:
        adopted = {r.id for r in s.scalars(select(Recommendation).where(Recommendation.status == "adopted"))}
    assert set(status.included) == adopted and len(adopted) >= 8

    result = memo.export_memo(db, actor_id=admin, roundtable_id=report.roundtable_id, lang="en", variant="final")
    assert result.is_final and result.snapshot_id and not result.blockers
    text = _text(result.content)
    assert result.sha256 in text and "DRAFT" not in text
    assert memo.verify_snapshot(db, actor_id=admin, snapshot_id=result.snapshot_id)
    canonical = memo.snapshot_text(db, actor_id=admin, snapshot_id=result.snapshot_id)
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == result.sha256

    # Everything adopted is in; the rejected, carried-forward and still-open items are not.
    with db.read() as s:
        recs = {r.id: r for r in s.scalars(select(Recommendation))}
    for rec_id in adopted:
        # Every adopted text is in English: the authors' own or its translation (issue 10, item 7).
        from recdraft.services import translations

        english = translations.get_translations(db, actor_id=admin, recommendation_id=rec_id).fields["en"]["title"]
        assert english.status in ("original", "translated") and english.text in text
    demo = demo_content()
    left_out = {demo.rounds.rejected, demo.rounds.carried_forward.key, *demo.rounds.still_open}
    titles_out = [item.content.get("en", {}).get("title") for item in demo.recommendations if item.key in left_out]
    for title in filter(None, titles_out):
        assert title not in text
    assert len(recs) > len(adopted)

    review = memo.export_memo(db, actor_id=admin, roundtable_id=report.roundtable_id, lang="ru", variant="review")
    published = comments.published_comments_for_export(
        db, actor_id=admin, roundtable_id=report.roundtable_id, recommendation_ids=sorted(adopted)
    )
    doc = Document(io.BytesIO(review.content))
    assert len(list(doc.comments)) == len(published) > 0
    assert review.snapshot_id is None

    redline = memo.export_memo(
        db,
        actor_id=admin,
        roundtable_id=report.roundtable_id,
        lang="kk+ru",
        variant="redline",
        against=result.snapshot_id,
    )
    assert redline.content.startswith(b"PK")
    comparison = memo.export_memo(
        db, actor_id=admin, roundtable_id=report.roundtable_id, lang="kk", variant="comparison"
    )
    assert "ұсыныс" in _text(comparison.content).lower() or comparison.content.startswith(b"PK")
    snaps = memo.list_snapshots(db, actor_id=admin, roundtable_id=report.roundtable_id)
    assert [s.id for s in snaps] == [result.snapshot_id]


def test_a_pending_comment_on_an_included_recommendation_makes_the_export_a_draft_that_says_why(db):
    report = load_demo(db)
    admin, expert = _ids(db, "admin"), _ids(db, "expert3")
    included = memo.memo_status(db, actor_id=admin, roundtable_id=report.roundtable_id).included
    comments.post_comment(db, actor_id=expert, recommendation_id=included[0], body="One more thought.")
    status = memo.memo_status(db, actor_id=admin, roundtable_id=report.roundtable_id)
    assert not status.can_be_final
    assert any("awaiting moderation" in b and "Recommendation 1 " in b for b in status.blockers)
    result = memo.export_memo(db, actor_id=admin, roundtable_id=report.roundtable_id, variant="final")
    assert not result.is_final and result.snapshot_id is None and result.filename.endswith("-DRAFT.docx")
    text = _text(result.content)
    assert "awaiting moderation" in text


def test_a_roundtable_without_adopted_recommendations_exports_a_draft(db):
    w = make_world(db)
    recommendations.create_recommendation(db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content())
    result = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="final")
    assert not result.is_final and "No recommendation has been adopted yet" in result.blockers[0]
    assert "No recommendation has been adopted yet" in _text(result.content)


def test_settings_shape_the_memo_and_malformed_stored_settings_never_break_the_export(db):
    from recdraft.db.models import Roundtable
    from recdraft.services import roundtables

    w = make_world(db)
    recommendations.create_recommendation(db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content())
    roundtables.update_settings(
        db,
        actor_id=w["admin"],
        roundtable_id=w.roundtable_id,
        settings={
            "closing_formula": {"en": "With respect, the School of Law and Public Administration."},
            "legal_references": ["Geneva Convention I (1949), Art. 26", "  ", "Statutes of the Movement, Art. 4"],
        },
    )
    text = _text(memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id).content)
    assert "With respect, the School of Law and Public Administration." in text
    assert "Geneva Convention I (1949), Art. 26" in text and "Statutes of the Movement, Art. 4" in text
    # Settings written by an older version or by hand: the parts that make sense are used, nothing crashes.
    with db.write() as s:
        rt = s.get(Roundtable, w.roundtable_id)
        rt.settings = {
            **rt.settings,
            "closing_formula": {"en": ["not", "text"], "ru": "С уважением.", "xx": "?"},
            "legal_references": ["GC I Art. 26", 42, None, {"a": 1}],
        }
    text = _text(memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="ru").content)
    assert "С уважением." in text and "GC I Art. 26" in text
    with db.write() as s:
        s.get(Roundtable, w.roundtable_id).settings = {"closing_formula": "just a string", "legal_references": "x"}
    assert memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id).content.startswith(b"PK")


@pytest.mark.parametrize("who", ["moderator", "expert", "observer", "outsider"])
def test_only_admins_export_the_memo(db, who):
    w = make_world(db)
    with pytest.raises(PermissionDenied):
        memo.export_memo(db, actor_id=w[who], roundtable_id=w.roundtable_id)
    with pytest.raises(PermissionDenied):
        memo.memo_status(db, actor_id=w[who], roundtable_id=w.roundtable_id)


def test_unknown_language_or_variant_is_a_clear_message(db):
    w = make_world(db)
    with pytest.raises(InvalidInput, match="en, ru, kk or kk\\+ru"):
        memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="de")
    with pytest.raises(InvalidInput, match="final, review, redline or comparison"):
        memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="pdf")


def test_recdraft_demo_then_export_memo_gives_a_final_memo_from_the_shell(tmp_path):
    env = {**os.environ, "RECDRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'shell.sqlite3'}"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "recdraft", *args], env=env, capture_output=True, text=True, timeout=600
        )

    assert run("demo").returncode == 0
    out = tmp_path / "memo.docx"
    done = run("export-memo", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Final memo written" in done.stdout and "[100%]" in done.stderr
    assert out.read_bytes().startswith(b"PK")
    listed = run("snapshots")
    assert listed.returncode == 0 and " en " in listed.stdout
    assert "intact" in run("snapshots", "--verify", "1").stdout


# --------------------------------------------------------------------------- issue 10: the record


def _world(db):
    from tests.integration.test_withheld_names import withheld_world

    return withheld_world(db)


def _parts(docx: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_the_seal_covers_the_content_not_the_moment_and_is_the_same_on_sqlite_and_postgresql(sqlite_db, pg_url):
    from recdraft.db.engine import Database
    from tests.conftest import _truncate_pg

    pg = Database(pg_url)
    _truncate_pg(pg)
    try:
        seals = {}
        for name, database in (("sqlite", sqlite_db), ("postgresql", pg)):
            w, _ = _world(database)
            first = memo.export_memo(database, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="final")
            again = memo.export_memo(database, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="final")
            assert first.is_final and again.sha256 == first.sha256 and again.snapshot_id == first.snapshot_id
            shown = memo.snapshot_text(database, actor_id=w["admin"], snapshot_id=first.snapshot_id)
            assert hashlib.sha256(shown.encode("utf-8")).hexdigest() == first.sha256  # `--show ID | sha256sum`
            assert "prepared_at" not in shown and "Aigerim Nurlanova" in shown  # content, not the moment
            text = _text(again.content)
            assert first.sha256 in text and "Exported" in text and " UTC" in text.split("Exported", 1)[1]
            seals[name] = first.sha256
        assert seals["sqlite"] == seals["postgresql"]
    finally:
        pg.dispose()


def test_a_changed_vote_changes_the_seal(db):
    from recdraft.db.models import Membership

    w, _ = _world(db)
    before = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id).sha256
    with db.write() as s:  # a name now consented to: names are part of the sealed content
        s.scalars(select(Membership).where(Membership.user_id == w["voter"])).one().consent_named = True
    after = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id).sha256
    assert before and after and before != after


def _readopt_with(db, w, rec_id: int, text: str) -> None:
    """Reopen an adopted recommendation, let its author rewrite the text, and adopt it again."""
    from recdraft.services import voting

    move_to(w, rec_id, "discussion", current="adopted")
    current = recommendations.get_recommendation(db, actor_id=w["admin"], recommendation_id=rec_id).current_revision
    edited = {lang: c.model_dump() for lang, c in current.content.items()}
    edited["en"]["text"] = text
    edit(w, rec_id, "expert", content=edited, base_revision_id=current.id, note="Clearer second sentence.")
    rnd = make_round(w, [rec_id])
    cast_votes(w, rnd, rec_id, dict.fromkeys(("expert", "expert2", "commenter", "voter"), "agree"))
    voting.close_round(db, actor_id=w["moderator"], round_id=rnd.id)


def _changes(docx: bytes) -> list[tuple[str, str, str, str]]:
    """(ins|del, text, author, date) of every tracked change in the body."""
    from lxml import etree

    root = etree.fromstring(_parts(docx)["word/document.xml"])
    out = []
    for el in root.iter(f"{W}ins", f"{W}del"):
        if el.getparent().tag == f"{W}rPr":
            continue  # a paragraph mark
        text = "".join(t.text or "" for t in el.iter(f"{W}t", f"{W}delText"))
        out.append((el.tag.split("}")[1], text, el.get(f"{W}author"), el.get(f"{W}date")))
    return out


def test_a_redline_compares_against_the_memo_sent_to_parliament_and_says_so_on_its_first_page(db):
    w, ids = _world(db)
    sent = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id)
    view = memo.mark_sent(db, actor_id=w["admin"], snapshot_id=sent.snapshot_id)
    assert view.sent_at is not None and view.sent_by == w["admin"]
    _readopt_with(
        db,
        w,
        ids["rec1"],
        "Parliament should adopt a law on the Red Crescent Society of Kazakhstan. "
        "Its statute sets out the Society's auxiliary role and its autonomy.",
    )
    redline = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="redline")
    first_page = _text(redline.content).split("Addressee", 1)[0]
    assert (
        "Compared with: the version sent to parliament on" in first_page
        and f"(snapshot {sent.snapshot_id})" in first_page
    )
    changes = _changes(redline.content)
    # The rewritten second sentence is one deletion and one insertion, credited to the person who revised it.
    assert ("del", "It should define its status.", "Expert", changes[0][3]) in changes
    assert (
        "ins",
        "Its statute sets out the Society's auxiliary role and its autonomy.",
        "Expert",
        changes[0][3],
    ) in changes
    revision = recommendations.get_recommendation(
        db, actor_id=w["admin"], recommendation_id=ids["rec1"]
    ).current_revision
    assert {c[3] for c in changes} == {revision.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")}

    # "First drafts" stays available after a final memo exists, and says so.
    first = memo.export_memo(
        db, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="redline", against=memo.FIRST_DRAFTS
    )
    assert "Compared with: the first drafts of the recommendations" in _text(first.content)
    authors = {c[2] for c in _changes(first.content)}
    assert authors == {"Participant 1, Expert"}  # the withheld reviser stays unnamed
    # Undoing the mark goes back to the first drafts by default.
    memo.mark_sent(db, actor_id=w["admin"], snapshot_id=sent.snapshot_id, sent=False)
    default = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="comparison")
    assert "Compared with: the first drafts" in _text(default.content)


def test_only_admins_mark_a_snapshot_as_sent_and_the_mark_is_audited(db):
    from recdraft.db.models import AuditEvent

    w, _ = _world(db)
    snapshot_id = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id).snapshot_id
    for who in ("moderator", "expert", "observer", "outsider"):
        with pytest.raises(PermissionDenied):
            memo.mark_sent(db, actor_id=w[who], snapshot_id=snapshot_id)
    assert memo.list_snapshots(db, actor_id=w["admin"], roundtable_id=w.roundtable_id)[0].sent_at is None
    memo.mark_sent(db, actor_id=w["admin"], snapshot_id=snapshot_id)
    memo.mark_sent(db, actor_id=w["admin"], snapshot_id=snapshot_id)  # twice: one record, the first date
    with db.read() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "memo.sent")).all()
        assert [e.object_id for e in events] == [snapshot_id] and events[0].actor_id == w["admin"]
    with pytest.raises(InvalidInput, match="snapshot id, 'sent'"):
        memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="redline", against="latest")


def test_what_blocks_a_final_memo_says_who_can_clear_it_and_a_flag_blocks_nothing(db):
    w, ids = _world(db)
    comments.flag_comment(db, actor_id=w["expert2"], comment_id=ids["reply"], reason="Off topic?")
    status = memo.memo_status(db, actor_id=w["admin"], roundtable_id=w.roundtable_id)
    assert status.can_be_final, status.blockers  # an open flag is for moderators, it holds no memo hostage
    comments.post_comment(db, actor_id=w["expert2"], recommendation_id=ids["rec2"], body="One more thought.")
    status = memo.memo_status(db, actor_id=w["admin"], roundtable_id=w.roundtable_id)
    assert [(b.kind, b.memo_number, b.count, b.cleared_by) for b in status.blocking] == [
        ("comments", 2, 1, "moderators")
    ]
    assert status.blockers == [
        "Recommendation 2 (no. 2 in the roundtable) has 1 comment(s) awaiting moderation. "
        "Moderators (or administrators) can clear this on the Moderation page."
    ]
    draft = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="kk")
    assert not draft.is_final and "Кім шеше алады: модераторлар." in _text(draft.content)


def test_the_vote_annex_states_each_rounds_rule_and_the_reason_a_block_was_overridden(db):
    w, _ = _world(db)
    text = _text(memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id).content)
    annex = text.split("Annex 1. Voting results")[-1].split("Annex 2.")[0]
    # One round decided both recommendations: its rule is stated once, above the table.
    assert (
        annex.count(
            "Round 1. \nRule: quorum 1/2 of eligible voters; adopted when at least 2/3 of those who "
            "took a side agree; a block prevents adoption."
        )
        == 1
    )
    assert (
        "A block did not prevent adoption. Recorded reason: The concern is met by the reference to the "
        "Conventions." in annex
    )
    ru = _text(memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="ru").content)
    assert "Правило: кворум — 1/2 участников" in ru and "Зафиксированное основание" in ru


def test_the_review_copy_keeps_threads_and_the_resolved_state_for_word(db):
    from lxml import etree

    w, _ = _world(db)
    parts = _parts(memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, variant="review").content)
    w15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
    w14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
    extended = etree.fromstring(parts["word/commentsExtended.xml"])
    by_para = {e.get(f"{w15}paraId"): e for e in extended}
    comments_root = etree.fromstring(parts["word/comments.xml"])
    items = {c.get(f"{W}author"): c.findall(f"{W}p")[-1].get(f"{w14}paraId") for c in comments_root}
    question, answer = items["Participant 1"], items["Expert"]
    assert by_para[answer].get(f"{w15}paraIdParent") == question  # the reply is in the question's thread
    assert by_para[question].get(f"{w15}done") == "1"  # the question was addressed: resolved in Word
    assert by_para[answer].get(f"{w15}done") == "0"
    assert b"commentsExtended+xml" in parts["[Content_Types].xml"]
    assert b"relationships/commentsExtended" in parts["word/_rels/document.xml.rels"]


def test_the_memo_prints_the_signatory_the_outgoing_number_and_is_dated_when_it_was_prepared(db):
    w, _ = _world(db)
    result = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="ru")
    text = _text(result.content)
    today = memo.format_date(memo.utcnow().date(), "ru")
    assert f"Исх. № 01-12/345 от {today}" in text
    signature = text.split("От имени организаторов:", 1)[1].split("Приложение 1")[0]
    assert "Декан Школы права" in signature and "Айгерим Нурланова" in signature and today in signature
    assert "Дата круглого стола\n6 февраля 2025 г." in text


def test_a_word_memo_can_carry_libreoffices_page_numbers_and_a_pdf_copy_has_the_same_seal(db):
    from recdraft.export._pdf import available

    if not available():
        pytest.fail(
            "PDF export needs LibreOffice and python3-uno (apt-get install libreoffice-writer-nogui python3-uno)"
        )
    w, _ = _world(db)
    word = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, page_numbers=True)
    document = _parts(word.content)["word/document.xml"].decode("utf-8")
    contents = document.split("Executive summary", 1)[1][:600]
    assert "<w:tab/>" in contents and "<w:t>3</w:t>" in contents  # "1. Executive summary ...... 3"
    pdf = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, format="pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.filename.endswith("-final-en.pdf")
    assert pdf.sha256 == word.sha256 and pdf.snapshot_id == word.snapshot_id and pdf.media_type == "application/pdf"
    with pytest.raises(InvalidInput, match="docx or pdf"):
        memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, format="odt")


def test_without_libreoffice_a_word_memo_is_still_made_and_says_its_contents_have_no_page_numbers(db, monkeypatch):
    import recdraft.export as export
    from recdraft.export import PdfUnavailable

    def missing(docx: bytes, **_: object) -> tuple[bytes, list[int]]:
        raise PdfUnavailable(
            "PDF export needs LibreOffice and python3-uno on the server "
            "(apt-get install libreoffice-writer-nogui python3-uno)."
        )

    monkeypatch.setattr(export, "to_pdf", missing)
    w, _ = _world(db)
    result = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, page_numbers=True)
    assert result.content.startswith(b"PK") and result.is_final
    assert any(x.startswith("The contents have no page numbers: PDF export needs LibreOffice") for x in result.warnings)
    with pytest.raises(PdfUnavailable):
        memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, format="pdf")
