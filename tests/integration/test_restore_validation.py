"""A restore checks every row as live input is checked, before it writes anything.

Each case takes a real backup of a roundtable with a recommendation and a comment, damages one field the way
a hostile or broken file would, and expects a BackupError naming the table, the row (its id) and the field,
every table's row count unchanged, and the good backup still restoring afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from recdraft.errors import BackupError
from recdraft.i18n import translate_service_message
from recdraft.services import backup as bk
from recdraft.services import comments, recommendations as recs
from recdraft.services._base import SYSTEM
from tests.factories import content, make_world
from tests.rowcounts import row_counts

BODY = "The restore must check this comment."


@dataclass
class Backed:
    data: bytes
    ids: dict[str, int]


@pytest.fixture
def backed(db) -> Backed:
    world = make_world(db, moderation_mode="post")
    rec = recs.create_recommendation(db, actor_id=world["expert"], roundtable_id=world.roundtable_id,
                                     content=content())
    comment = comments.post_comment(db, actor_id=world["expert2"], recommendation_id=rec.id, body=BODY)
    ids = {"expert": world["expert"], "roundtable": world.roundtable_id, "recommendation": rec.id,
           "revision": rec.current_revision.id, "comment": comment.id}
    return Backed(data=bk.backup(db, actor_id=SYSTEM), ids=ids)


def _cell(table: str, column: str, value, id_of: str | None = None) -> Callable[[Backed], tuple[bytes, int]]:
    """Set one cell of the row with the id ``ids[id_of]`` (the first row when None)."""
    def damage(b: Backed) -> tuple[bytes, int]:
        doc = json.loads(b.data)
        body = doc["tables"][table]
        columns = body["columns"]
        row = next(r for r in body["rows"] if id_of is None or r[columns.index("id")] == b.ids[id_of])
        row[columns.index(column)] = value
        return json.dumps(doc, ensure_ascii=False).encode("utf-8"), row[columns.index("id")]
    return damage


def _comment_body_as(json_text: str) -> Callable[[Backed], tuple[bytes, int]]:
    """Replace the comment's body in the file's own text (no parse and re-dump: cheap for 50 MB)."""
    def damage(b: Backed) -> tuple[bytes, int]:
        quoted = json.dumps(BODY).encode("utf-8")
        assert b.data.count(quoted) == 1
        return b.data.replace(quoted, json_text.encode("utf-8")), b.ids["comment"]
    return damage


CASES = {
    "a role that does not exist": (_cell("memberships", "role", "superuser"), "memberships", "role"),
    "a title as plain text": (_cell("roundtables", "title", "Just a string"), "roundtables", "title"),
    "revision content as a list": (_cell("revisions", "content", ["title", "text"], "revision"), "revisions",
                                   "content"),
    "an unknown comment status": (_cell("comments", "status", "deleted", "comment"), "comments", "status"),
    "an unknown phase": (_cell("roundtables", "phase", "bogus"), "roundtables", "phase"),
    "a 50 000 000-character comment": (_comment_body_as('"' + "x" * 50_000_000 + '"'), "comments", "body"),
    "a 10 000-character user name": (_cell("users", "username", "u" * 10_000, "expert"), "users", "username"),
    "NUL characters in a name": (_cell("users", "display_name", "Ex\x00pert", "expert"), "users", "display_name"),
    "a date in the year 99999": (_cell("roundtables", "held_on", "99999-01-01"), "roundtables", "held_on"),
    "a number of 2**70": (_cell("comments", "open_flags", 2**70, "comment"), "comments", "open_flags"),
    "a lone surrogate": (_comment_body_as('"a\\ud800b"'), "comments", "body"),
    "JSON nested 100 000 deep": (_comment_body_as("[" * 100_000 + "]" * 100_000), "comments", "body"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_field_is_refused_naming_table_row_and_field_and_nothing_changes(case, db, backed):
    damage, table, column = CASES[case]
    data, row_id = damage(backed)
    before = row_counts(db)

    with pytest.raises(BackupError) as refused:
        bk.restore(db, actor_id=SYSTEM, data=data, replace=True)

    message = str(refused.value)
    assert f"of '{table}'" in message and f"column '{column}'" in message and f"(id {row_id})" in message, message
    assert len(message) < 500  # one clear sentence, not the 50 MB value echoed back
    assert row_counts(db) == before
    # The good backup is still accepted, and the data it holds is back.
    counts = bk.restore(db, actor_id=SYSTEM, data=backed.data, replace=True)
    assert counts["comments"] == 1
    shown = comments.list_comments(db, actor_id=backed.ids["expert"], recommendation_id=backed.ids["recommendation"])
    assert [c.body for c in shown] == [BODY]


def test_the_refusals_say_what_is_wrong_in_words(db, backed):
    def refusal(case: str) -> str:
        with pytest.raises(BackupError) as refused:
            bk.restore(db, actor_id=SYSTEM, data=CASES[case][0](backed)[0], replace=True)
        return str(refused.value)

    assert "'superuser' is not one of: admin, moderator, expert, observer" in refusal("a role that does not exist")
    assert "at most 20,000 characters (this one has 50,000,000)" in refusal("a 50 000 000-character comment")
    assert "U+0000" in refusal("NUL characters in a name")
    assert "U+D800" in refusal("a lone surrogate")
    assert "64-bit" in refusal("a number of 2**70")
    assert "'99999-01-01' is not a valid ISO 8601 date" in refusal("a date in the year 99999")
    assert "nested more than" in refusal("JSON nested 100 000 deep")
    # Kazakh and Russian readers get the whole refusal in their language, the numbers written their way.
    kk = translate_service_message(refusal("a 50 000 000-character comment"), "kk")
    assert kk is not None and "'comments' кестесі" in kk and "ең көбі 20\u202f000 таңба" in kk, kk
    ru = translate_service_message(refusal("an unknown phase"), "ru")
    assert ru is not None and "'bogus' не входит в список допустимых значений" in ru, ru


def test_an_empty_database_is_left_empty_by_a_refused_file(backed, tmp_path):
    from recdraft.db.engine import Database
    from recdraft.db.models import Base

    target = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    Base.metadata.create_all(target.engine)
    try:
        with pytest.raises(BackupError, match="column 'phase'"):
            bk.restore(target, actor_id=SYSTEM, data=CASES["an unknown phase"][0](backed)[0])
        assert set(row_counts(target).values()) == {0}
    finally:
        target.dispose()
