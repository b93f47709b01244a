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
from recdraft.services import backup as bk
from recdraft.services import comments
from recdraft.services._base import SYSTEM
from tests.factories import (
    cast_votes,
    make_comment,
    make_recommendation,
    make_round,
    make_world,
    world_with_recommendation,
)
from tests.rowcounts import row_counts

BODY = "The restore must check this comment."


@dataclass
class Backed:
    data: bytes
    ids: dict[str, int]


@pytest.fixture
def backed(db) -> Backed:
    world = world_with_recommendation(db, moderation_mode="post")
    rec = world.rec
    comment = make_comment(world, "expert2", BODY)
    ids = {
        "expert": world["expert"],
        "roundtable": world.roundtable_id,
        "recommendation": rec.id,
        "revision": rec.current_revision.id,
        "comment": comment.id,
    }
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
    "revision content as a list": (
        _cell("revisions", "content", ["title", "text"], "revision"),
        "revisions",
        "content",
    ),
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
    def refused(case: str) -> BackupError:
        with pytest.raises(BackupError) as refused:
            bk.restore(db, actor_id=SYSTEM, data=CASES[case][0](backed)[0], replace=True)
        return refused.value

    def refusal(case: str) -> str:
        return str(refused(case))

    assert "'superuser' is not one of: admin, moderator, expert, observer" in refusal("a role that does not exist")
    assert "at most 20,000 characters (this one has 50,000,000)" in refusal("a 50 000 000-character comment")
    assert "U+0000" in refusal("NUL characters in a name")
    assert "U+D800" in refusal("a lone surrogate")
    assert "64-bit" in refusal("a number of 2**70")
    assert "'99999-01-01' is not a valid ISO 8601 date" in refusal("a date in the year 99999")
    assert "nested more than" in refusal("JSON nested 100 000 deep")
    # Kazakh and Russian readers get the whole refusal in their language, the numbers written their way.
    kk = refused("a 50 000 000-character comment").text("kk")
    assert "'comments' кестесі" in kk and "ең көбі 20\u202f000 таңба" in kk, kk
    ru = refused("an unknown phase").text("ru")
    assert "'bogus' не входит в список допустимых значений" in ru, ru


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


# --- every JSON column and every date, by the rules live input meets (settings, rounds, results, memo) ----------


@pytest.fixture(scope="module")
def full_backup(tmp_path_factory) -> bytes:
    """A backup with every JSON column filled by the services: a roundtable with full settings, a closed round
    with its frozen results, a final memo's snapshot. Made once on SQLite; each case restores it into SQLite
    and PostgreSQL."""
    from recdraft.db.engine import Database
    from recdraft.db.models import Base
    from recdraft.services import memo, voting
    from tests.factories import FULL_SETTINGS

    source = Database(f"sqlite:///{tmp_path_factory.mktemp('full') / 'full.sqlite3'}")
    Base.metadata.create_all(source.engine)
    try:
        w = make_world(
            source, languages=["kk", "ru", "en"], settings={**FULL_SETTINGS, "memo_languages": ["en", "kk+ru"]}
        )
        rec = make_recommendation(w, "expert", status="discussion")
        rnd = make_round(w, [rec])
        cast_votes(w, rnd, rec, {"expert": "agree", "expert2": "agree"})
        voting.close_round(source, actor_id=w["moderator"], round_id=rnd.id)
        final = memo.export_memo(source, actor_id=w["admin"], roundtable_id=w.roundtable_id, lang="en", variant="final")
        assert final.snapshot_id, final.blockers
        return bk.backup(source, actor_id=SYSTEM)
    finally:
        source.dispose()


def _damaged(data: bytes, table: str, column: str, change) -> tuple[bytes, int]:
    """The backup with ``change(old value)`` in ``column`` of the first row of ``table``; and that row's id."""
    doc = json.loads(data)
    body = doc["tables"][table]
    columns = body["columns"]
    row = body["rows"][0]
    row[columns.index(column)] = change(row[columns.index(column)])
    return json.dumps(doc, ensure_ascii=False).encode("utf-8"), row[columns.index("id")]


def _setting(key: str, value):
    return lambda settings: {**settings, key: value}


# name → (table, column, change, what the refusal says[, the column it names]): the live rule's own words.
LIVE_RULES = {
    "a language of record the roundtable does not use": (
        "roundtables",
        "settings",
        _setting("record_language", "de"),
        "record_language: The language of record must be one of the roundtable's languages (kk, ru, en)",
    ),
    "a memo language outside the row's own languages": (
        "roundtables",
        "languages",
        lambda _old: ["ru", "en"],
        "memo_languages: The Kazakh–Russian memo (kk+ru) needs both Kazakh and Russian",
        "settings",
    ),
    "a topic label of 5 000 characters": (
        "roundtables",
        "settings",
        _setting("topics", [{"key": "long", "labels": {"en": "T" * 5_000}}]),
        "topics: Topic is too long: at most",
    ),
    "two topics with one key": (
        "roundtables",
        "settings",
        _setting("topics", [{"key": "a", "labels": {"en": "A"}}, {"key": "a", "labels": {"en": "B"}}]),
        "topics: Two topics have the key 'a'",
    ),
    "a quorum above one": (
        "roundtables",
        "settings",
        _setting("voting_defaults", {"quorum": "3/2"}),
        "voting_defaults: The quorum must be a share above 0 and at most 1",
    ),
    "an unknown setting": (
        "roundtables",
        "settings",
        _setting("admin_password", "hunter2"),
        "Unknown setting 'admin_password'",
    ),
    "a signatory as plain text": (
        "roundtables",
        "settings",
        _setting("signatory", "The Dean"),
        "signatory: The signatory has a name and a position",
    ),
    "an outgoing number of 1 000 characters": (
        "roundtables",
        "settings",
        _setting("outgoing_number", "№" * 1_000),
        "outgoing_number: The outgoing number is too long",
    ),
    "legal references as a number": (
        "roundtables",
        "settings",
        _setting("legal_references", 7),
        "legal_references: Legal references are a list of texts",
    ),
    "settings as a list": ("roundtables", "settings", lambda _old: ["moderators_vote"], "Settings are given by name"),
    "a roundtable dated 1999": (
        "roundtables",
        "held_on",
        lambda _old: "1999-12-31",
        "The date must be between the years 2000 and 2100",
    ),
    "a title of 5 000 characters": ("roundtables", "title", lambda _old: {"en": "T" * 5_000}, "Title is too long"),
    "a title in an unknown language": ("roundtables", "title", lambda _old: {"de": "Titel"}, "unknown language 'de'"),
    "an empty title": ("roundtables", "title", lambda _old: {}, "Title cannot be empty"),
    "a recommendation written in 2150": (
        "recommendations",
        "created_at",
        lambda _old: "2150-01-01T00:00:00.000000Z",
        "The date must be between the years 2000 and 2100",
    ),
    "round rules with a quorum of 0": ("voting_rounds", "rules", lambda old: {**old, "quorum": "0"}, "quorum"),
    "round rules as a list": ("voting_rounds", "rules", lambda _old: [], "dictionary"),
    "a frozen tally as a list": ("round_results", "tally", lambda _old: [], "dictionary"),
    "a ballot without a voter": ("round_results", "ballots", lambda old: [{"choice": "agree"}], "voter_id"),
    "a dissent naming a choice that does not exist": (
        "round_results",
        "dissents",
        lambda _old: [
            {"voter_id": 1, "organisation": "", "choice": "maybe", "rating": None, "reason": "No", "named": False}
        ],
        "choice",
    ),
    "audit details as a list": ("audit_events", "details", lambda _old: ["x"], "dictionary"),
    "a memo snapshot that is not a memo": (
        "memo_snapshots",
        "canonical",
        lambda _old: '{"lang": "en"}',
        "Field required",
    ),
    "recommendation numbers that are not ids": (
        "memo_snapshots",
        "recommendation_ids",
        lambda _old: {"1": "one"},
        "integer",
    ),
}


def test_full_settings_rounds_results_and_a_memo_snapshot_restore(db, full_backup):
    counts = bk.restore(db, actor_id=SYSTEM, data=full_backup)
    assert counts["roundtables"] == 1 and counts["round_results"] >= 1 and counts["memo_snapshots"] == 1
    assert bk.backup(db, actor_id=SYSTEM) == full_backup


@pytest.mark.parametrize("case", list(LIVE_RULES))
def test_a_stored_value_live_input_would_refuse_is_refused_by_restore_and_nothing_is_written(case, db, full_backup):
    table, column, change, said, *named = LIVE_RULES[case]
    data, row_id = _damaged(full_backup, table, column, change)
    column = named[0] if named else column

    with pytest.raises(BackupError) as refused:
        bk.restore(db, actor_id=SYSTEM, data=data)

    message = str(refused.value)
    assert f"of '{table}'" in message and f"column '{column}'" in message and f"(id {row_id})" in message, message
    assert said in message, message
    assert len(message) < 600, message
    assert set(row_counts(db).values()) == {0}
    # The undamaged file is still accepted.
    assert bk.restore(db, actor_id=SYSTEM, data=full_backup)["roundtables"] == 1


def test_restore_checks_settings_with_the_function_live_input_uses(monkeypatch, db, full_backup):
    """Not a copy of the rules: a rule added to ``roundtables.checked_settings`` holds for restores at once."""
    from recdraft.errors import InvalidInput
    from recdraft.services import roundtables

    def stricter(settings, languages):
        raise InvalidInput("A new rule refuses this.", field="topics")

    monkeypatch.setattr(roundtables, "checked_settings", stricter)
    with pytest.raises(BackupError, match="column 'settings' .*topics: A new rule refuses this"):
        bk.restore(db, actor_id=SYSTEM, data=full_backup)


def test_every_json_column_is_held_to_a_live_rule_not_only_to_its_shape():
    """A JSON column added later must get its rule in backup.ROW_CHECKS (or a row rule), like these."""
    from sqlalchemy import JSON

    from recdraft.db.models import Base

    by_row_rule = {("roundtables", "settings")}  # checked_settings, for the row's languages (bk._roundtable_row)
    unchecked = [
        f"{t.name}.{c.name}"
        for t in Base.metadata.sorted_tables
        for c in t.columns
        if isinstance(c.type, JSON)
        and c.name not in bk.ROW_CHECKS.get(t.name, {})
        and (t.name, c.name) not in by_row_rule
    ]
    assert unchecked == [], "give these JSON columns the rule live input meets in backup.ROW_CHECKS"
