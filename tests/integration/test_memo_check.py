"""Checking a memo against the stored snapshots (issue 18, item 9): upload the file or paste the SHA-256."""

from __future__ import annotations

import io
import zipfile

import pytest

from recdraft.errors import InvalidInput, PermissionDenied
from recdraft.services import memo
from recdraft.services.memo_check import check_memo
from tests.integration.test_withheld_names import withheld_world


@pytest.fixture
def final(db):
    w, ids = withheld_world(db)
    result = memo.export_memo(db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="en", variant="final")
    assert result.is_final and result.snapshot_id
    return w, result


def _check(w, who="observer", **kw):
    return check_memo(w.db, actor_id=w[who], roundtable_id=w.roundtable_id, **kw)


def _edited(docx: bytes, old: str, new: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                assert old in text
                data = text.replace(old, new).encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


def test_the_exported_file_and_its_hash_match_the_snapshot_and_say_which_and_when_sent(final):
    w, result = final
    memo.mark_sent(w.db, actor_id=w["admin"], snapshot_id=result.snapshot_id)
    found = _check(w, file=result.content)
    assert found.outcome == "matches" and found.snapshot_id == result.snapshot_id
    assert found.sha256 == result.sha256 and found.lang == "en" and found.recommendations == 2
    assert found.sent_at is not None and found.sent_by_name == "Admin"
    pasted = _check(w, who="expert", sha256="  " + result.sha256.upper() + "\n")
    assert pasted.outcome == "matches" and pasted.snapshot_id == result.snapshot_id


def test_a_file_whose_recommendation_was_edited_is_reported_changed_with_its_number(final):
    w, result = final
    tampered = _edited(result.content, "Regulate the use", "Forbid the use")
    found = _check(w, file=tampered)
    assert found.outcome == "changed" and found.changed_numbers == [2] and found.snapshot_id == result.snapshot_id


def test_an_unknown_hash_a_file_without_a_hash_and_bad_files_get_clear_answers(final):
    w, result = final
    assert _check(w, sha256="0" * 64).outcome == "unknown"
    draft = memo.export_memo(w.db, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="en", variant="review")
    assert _check(w, file=draft.content).outcome in {"no_hash", "unknown"}
    for bad, words in (
        (b"not a zip at all", "could not be read"),
        (b"%PDF-1.7 ...", "PDF"),
        (b"", "Upload the memo file"),
    ):
        with pytest.raises(InvalidInput, match=words):
            _check(w, file=bad)
    with pytest.raises(InvalidInput, match="64 characters"):
        _check(w, sha256="abc123")
    with pytest.raises(PermissionDenied):
        _check(w, who="outsider", sha256=result.sha256)


def test_every_language_of_the_demo_memo_matches_its_snapshot_lists_and_markup_included(db):
    # The demo's texts have numbered lists and bold words: Word numbers the list, the words are the same.
    from recdraft.services import accounts
    from recdraft.services.demo import load_demo

    load_demo(db)
    admin = accounts.find_user(db, username="admin").id
    for lang in ("en", "ru", "kk", "kk+ru"):
        result = memo.export_memo(db, actor_id=admin, roundtable_id=1, lang=lang, variant="final")
        found = check_memo(db, actor_id=admin, roundtable_id=1, file=result.content)
        assert (found.outcome, found.snapshot_id, found.lang) == ("matches", result.snapshot_id, lang)
