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

from recdraft import demo_content as demo
from recdraft.db.models import Recommendation
from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.services import comments, memo, recommendations
from recdraft.services.demo import load_demo
from tests.factories import content, make_world

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(docx: bytes) -> str:
    doc = Document(io.BytesIO(docx))
    return "\n".join(t.text or "" for t in doc.element.body.iter(f"{W}t"))


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
        versions = recommendations.get_recommendation(db, actor_id=admin, recommendation_id=rec_id).current_revision.content
        shown = versions.get("en") or next(iter(versions.values()))
        assert shown.title in text
    titles_out = [item["content"].get("en", {}).get("title") for item in demo.RECOMMENDATIONS
                  if item["key"] in {demo.REJECTED_KEY, demo.DELPHI_CARRIED_KEY, *demo.OPEN_ROUND_KEYS}]
    for title in filter(None, titles_out):
        assert title not in text
    assert len(recs) > len(adopted)

    review = memo.export_memo(db, actor_id=admin, roundtable_id=report.roundtable_id, lang="ru", variant="review")
    published = comments.published_comments_for_export(db, actor_id=admin, roundtable_id=report.roundtable_id,
                                                       recommendation_ids=sorted(adopted))
    doc = Document(io.BytesIO(review.content))
    assert len(list(doc.comments)) == len(published) > 0
    assert review.snapshot_id is None

    redline = memo.export_memo(db, actor_id=admin, roundtable_id=report.roundtable_id, lang="kk+ru",
                               variant="redline", against=result.snapshot_id)
    assert redline.content.startswith(b"PK")
    comparison = memo.export_memo(db, actor_id=admin, roundtable_id=report.roundtable_id, lang="kk",
                                  variant="comparison")
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
    roundtables.update_settings(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, settings={
        "closing_formula": {"en": "With respect, the School of Law and Public Administration."},
        "legal_references": ["Geneva Convention I (1949), Art. 26", "  ", "Statutes of the Movement, Art. 4"]})
    text = _text(memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id).content)
    assert "With respect, the School of Law and Public Administration." in text
    assert "Geneva Convention I (1949), Art. 26" in text and "Statutes of the Movement, Art. 4" in text
    # Settings written by an older version or by hand: the parts that make sense are used, nothing crashes.
    with db.write() as s:
        rt = s.get(Roundtable, w.roundtable_id)
        rt.settings = {**rt.settings, "closing_formula": {"en": ["not", "text"], "ru": "С уважением.", "xx": "?"},
                       "legal_references": ["GC I Art. 26", 42, None, {"a": 1}]}
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
        return subprocess.run([sys.executable, "-m", "recdraft", *args], env=env, capture_output=True, text=True,
                              timeout=600)

    assert run("demo").returncode == 0
    out = tmp_path / "memo.docx"
    done = run("export-memo", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Final memo written" in done.stdout and "[100%]" in done.stderr
    assert out.read_bytes().startswith(b"PK")
    listed = run("snapshots")
    assert listed.returncode == 0 and " en " in listed.stdout
    assert "intact" in run("snapshots", "--verify", "1").stdout
