"""Backup and restore: one deterministic JSON document, restored into an empty database only."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from sqlalchemy import JSON as SA_JSON
from sqlalchemy import Column, ForeignKey, Integer, String, Table, func, insert, select, text

from recdraft.db.engine import Database
from recdraft.db.models import AuditEvent, Base, Recommendation, Revision, SignInSession, User, UTCDateTime, utcnow
from recdraft.errors import BackupError, Conflict, InvalidInput, NotSignedIn, PermissionDenied, SignInFailed
from recdraft.services import accounts, moderation, roundtables
from recdraft.services import amendments as am
from recdraft.services import backup as bk
from recdraft.services import recommendations as recs
from recdraft.services import revisions as revision_service
from recdraft.services._base import SYSTEM
from tests.conftest import _truncate_pg, fresh_pg_database
from tests.factories import PASSWORD, World, content, make_user, make_world, world_with_recommendation
from tests.rowcounts import row_counts

KK = "Қазақстан Республикасының Қызыл Жарты Ай Қоғамы туралы заң қабылдансын: әғқңөұүһі ӘҒҚҢӨҰҮҺІ"
RU = "Принять закон «Об Обществе Красного Полумесяца Республики Казахстан» — ёЁ"
EMOJI = "🕊️ 🇰🇿 👩🏽‍⚖️ ✍🏾"


# --- fixtures -----------------------------------------------------------------------------------------


def _fresh_sqlite(path) -> Database:
    database = Database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    return database


@pytest.fixture(scope="module")
def pg_url_2(request: pytest.FixtureRequest) -> Iterator[str]:
    """A second PostgreSQL database (restore targets), dropped after this module."""
    request.getfixturevalue("pg_url")  # skips or fails when PostgreSQL is not reachable
    with fresh_pg_database("_restore") as url:
        yield url


def _empty_pg(url: str) -> Database:
    database = Database(url)
    _truncate_pg(database)
    return database


@pytest.fixture
def twin(db: Database, tmp_path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A second, empty database of the same kind as ``db``."""
    database = (
        _fresh_sqlite(tmp_path / "restored.sqlite3")
        if db.dialect == "sqlite"
        else _empty_pg(request.getfixturevalue("pg_url_2"))
    )
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def small_backup(tmp_path_factory) -> bytes:
    """A valid backup of a small roundtable (made once: password hashing is slow on purpose)."""
    database = _fresh_sqlite(tmp_path_factory.mktemp("small") / "small.sqlite3")
    world_with_recommendation(database)
    data = bk.backup(database, actor_id=SYSTEM)
    database.dispose()
    return data


# --- a realistic database ------------------------------------------------------------------------------


@dataclass
class Scenario:
    world: World
    root: int
    rec1: int
    rec2: int
    rec3: int
    draft_id: int


def populate(db: Database) -> Scenario:
    """Users, a roundtable in three languages, revisions, a conflict's kept text, co-authors, an accepted
    amendment, a merge into a *later* recommendation, sessions, a failed sign-in and an invitation."""
    w = make_world(db)
    root = make_user(db, "root", display_name=f"Әсел Нұрланқызы {EMOJI}", system_admin=True, email="root@narxoz.kz")
    rt = w.roundtable_id
    roundtables.update_roundtable(
        db,
        actor_id=w["admin"],
        roundtable_id=rt,
        title={"kk": KK[:120], "ru": RU, "en": "National Societies"},
        background={"ru": RU + "\n\nВторой абзац " + EMOJI, "kk": KK},
    )
    roundtables.update_settings(
        db,
        actor_id=w["admin"],
        roundtable_id=rt,
        settings={"moderators_vote": True, "legal_references": ["Закон РК № 123-VI «О Красном Полумесяце»", EMOJI]},
    )
    _store_json(db, rt, {"ru": RU, "kk": KK, "z": [1, 2.5, None, True, {"b": EMOJI, "a": "\u2028"}]})
    c1 = {
        "kk": {"title": "Заң қабылдансын", "text": KK, "rationale": "Себебі: " + KK},
        "ru": {"title": "Принять закон", "text": RU + "\n\nВторой абзац.", "legal_basis": "ст. 1"},
        "en": {"title": "Adopt a law", "text": "Parliament should adopt a law " + EMOJI},
    }
    rec1 = recs.create_recommendation(
        db,
        actor_id=w["expert"],
        roundtable_id=rt,
        content=c1,
        topic="Тану 🏛",
        priority="high",
        note="Бірінші нұсқа",
        submission_key="create-rec1-0001",
    )
    first = rec1.current_revision.id
    recs.set_coauthors(db, actor_id=w["expert"], recommendation_id=rec1.id, user_ids=[w["expert2"]])
    edited = recs.edit_recommendation(
        db,
        actor_id=w["expert2"],
        recommendation_id=rec1.id,
        base_revision_id=first,
        content={**c1, "en": {"title": "Adopt a law", "text": "Edited by a co-author"}},
    )
    with pytest.raises(Conflict) as lost:
        recs.edit_recommendation(
            db,
            actor_id=w["moderator"],
            recommendation_id=rec1.id,
            base_revision_id=first,
            content=content(text="Модератор тоже правил — " + EMOJI, lang="ru"),
            note="stale base",
        )
    draft_id = lost.value.saved_draft_id
    assert draft_id is not None
    recs.resolve_rejected_edit(db, actor_id=w["moderator"], draft_id=draft_id, revision_id=edited.current_revision.id)
    amendment = am.propose_amendment(
        db,
        actor_id=w["admin"],
        recommendation_id=rec1.id,
        content={**c1, "kk": {"title": "Түзету", "text": "Түзетілген мәтін"}},
        justification="Нақтырақ",
    )
    am.accept_amendment(db, actor_id=w["expert"], amendment_id=amendment.id, note="Қабылданды")
    rejected = am.propose_amendment(
        db, actor_id=w["expert2"], recommendation_id=rec1.id, content=content(text="Too broad")
    )
    am.reject_amendment(db, actor_id=w["moderator"], amendment_id=rejected.id, reason="Слишком широко")
    revision_service.restore_revision(db, actor_id=w["expert"], recommendation_id=rec1.id, revision_id=first)

    rec2 = recs.create_recommendation(
        db, actor_id=w["expert2"], roundtable_id=rt, content=content(title="Второе", text=RU, lang="ru")
    )
    rec3 = recs.create_recommendation(
        db,
        actor_id=w["moderator"],
        roundtable_id=rt,
        content=content(title="Үшінші", text=KK, lang="kk"),
        priority="low",
    )
    # rec2 points at rec3, which has a higher id: restore must not insert rec2's link before rec3 exists.
    recs.set_status(
        db,
        actor_id=w["moderator"],
        recommendation_id=rec2.id,
        status="merged",
        merged_into_id=rec3.id,
        reason="Дублирует",
    )
    recs.set_status(db, actor_id=w["moderator"], recommendation_id=rec3.id, status="discussion")

    accounts.sign_in(db, username="expert", password=PASSWORD)
    with pytest.raises(SignInFailed):
        accounts.sign_in(db, username="expert2", password="not the password")
    accounts.create_invitation(
        db,
        actor_id=w["admin"],
        roundtable_id=rt,
        role="expert",
        email="guest@example.kz",
        display_name="Гость 🌷",
        organisation="КазНУ",
    )
    return Scenario(world=w, root=root, rec1=rec1.id, rec2=rec2.id, rec3=rec3.id, draft_id=draft_id)


def _store_json(db: Database, roundtable_id: int, value) -> None:
    """Write any JSON value into the one free-form JSON column, an audit row's details (every other JSON column
    is held to the rules live input meets, also by a restore): a backup carries it byte for byte."""
    with db.write() as s:
        s.add(
            AuditEvent(
                actor_id=None,
                roundtable_id=roundtable_id,
                action="test.json",
                object_type="test",
                object_id=None,
                details={"stored": value},
            )
        )


def _stored_json(db: Database):
    with db.read() as s:
        return s.scalars(select(AuditEvent.details).where(AuditEvent.action == "test.json")).one()["stored"]


def _row_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return sum(conn.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables)


# --- the round trip ---------------------------------------------------------------------------------------


def test_backup_restore_backup_is_byte_identical_and_the_restored_data_works(db, twin):
    s = populate(db)
    first = bk.backup(db, actor_id=s.root)
    counts = bk.restore(twin, actor_id=SYSTEM, data=first)
    assert bk.backup(twin, actor_id=SYSTEM) == first

    doc = json.loads(first)
    assert counts == {name: len(body["rows"]) for name, body in doc["tables"].items()}
    assert counts["revisions"] == 6 and counts["rejected_edits"] == 1 and counts["coauthors"] == 1

    # The old password still works, and the sign-in writes new rows with fresh ids.
    signed = accounts.sign_in(twin, username="expert", password=PASSWORD)
    assert signed.user.id == s.world["expert"]
    # Ids continue after the restored ones (on PostgreSQL this needs the sequences reset).
    rec = recs.get_recommendation(twin, actor_id=s.world["expert"], recommendation_id=s.rec1)
    assert list(rec.current_revision.content) == ["kk", "ru", "en"]  # language order kept
    edited = recs.edit_recommendation(
        twin,
        actor_id=s.world["expert"],
        recommendation_id=s.rec1,
        base_revision_id=rec.current_revision.id,
        content=content(text="After restore"),
    )
    max_revision_id = max(row[0] for row in doc["tables"]["revisions"]["rows"])
    assert edited.current_revision.id == max_revision_id + 1
    assert edited.version == rec.version + 1
    new = recs.create_recommendation(
        twin,
        actor_id=s.world["expert2"],
        roundtable_id=s.world.roundtable_id,
        content=content(title="New after restore"),
    )
    assert new.id == s.rec3 + 1 and new.number == 4
    assert accounts.create_user(twin, actor_id=s.root, username="newcomer", display_name="Newcomer").id == s.root + 1

    kept = recs.get_rejected_edit(twin, actor_id=s.world["moderator"], draft_id=s.draft_id)
    assert kept.content["ru"].text.startswith("Модератор тоже правил")
    merged = recs.get_recommendation(twin, actor_id=s.world["expert"], recommendation_id=s.rec2)
    assert merged.status == "merged" and merged.merged_into_id == s.rec3
    rt = roundtables.get_roundtable(twin, actor_id=SYSTEM, roundtable_id=s.world.roundtable_id)
    assert _stored_json(twin)["z"][4] == {"b": EMOJI, "a": "\u2028"}
    assert rt.held_on == date(2025, 2, 6)


def test_the_document_is_sorted_typed_and_deterministic(db):
    s = populate(db)
    data = bk.backup(db, actor_id=SYSTEM)
    again = json.loads(bk.backup(db, actor_id=s.root))
    # The second backup differs only by the audit row the first one left behind (written after its snapshot).
    audit_rows = again["tables"]["audit_events"]["rows"]
    action = again["tables"]["audit_events"]["columns"].index("action")
    assert audit_rows[-1][action] == "backup.create"
    del audit_rows[-1]
    assert json.dumps(again, sort_keys=True) == json.dumps(json.loads(data), sort_keys=True)
    assert data.endswith(b"\n") and EMOJI.encode("utf-8") in data  # UTF-8, not \u escapes
    doc = json.loads(data)
    assert list(doc) == ["format", "schema", "tables", "version"]
    assert doc["format"] == "recdraft-backup" and doc["version"] == 1
    assert doc["schema"] == bk.schema_fingerprint()
    assert list(doc["tables"]) == sorted(t.name for t in Base.metadata.sorted_tables)
    for table in Base.metadata.sorted_tables:
        body = doc["tables"][table.name]
        assert list(body) == ["columns", "rows"]
        assert body["columns"] == [c.name for c in table.columns]
        pk = [body["columns"].index(c.name) for c in table.primary_key.columns]
        keys = [[row[i] for i in pk] for row in body["rows"]]
        assert keys == sorted(keys)

    users = doc["tables"]["users"]
    user = dict(zip(users["columns"], users["rows"][0], strict=True))
    assert user["is_active"] is True and user["is_system_admin"] is False
    assert user["created_at"].endswith("Z") and user["last_failed_at"] is None
    failed = next(dict(zip(users["columns"], r, strict=True)) for r in users["rows"] if r[1] == "expert2")
    assert failed["failed_sign_ins"] == 1 and failed["last_failed_at"].endswith("Z")
    rt = dict(zip(doc["tables"]["roundtables"]["columns"], doc["tables"]["roundtables"]["rows"][0], strict=True))
    assert rt["held_on"] == "2025-02-06"
    assert rt["settings"]["moderators_vote"] is True
    assert list(rt["title"]) == ["kk", "ru", "en"]  # JSON values keep their stored key order
    revisions = doc["tables"]["revisions"]
    assert isinstance(revisions["rows"][0][revisions["columns"].index("content")], dict)


# --- across databases -------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_a_backup_moves_between_sqlite_and_postgresql_unchanged(direction, pg_url, pg_url_2, tmp_path):
    lite = _fresh_sqlite(tmp_path / "lite.sqlite3")
    pg = _empty_pg(pg_url_2)
    source, target = (lite, pg) if direction == "sqlite-to-postgresql" else (pg, lite)
    try:
        s = populate(source)
        first = bk.backup(source, actor_id=SYSTEM)
        bk.restore(target, actor_id=SYSTEM, data=first)
        assert bk.backup(target, actor_id=SYSTEM) == first
        assert accounts.sign_in(target, username="root", password=PASSWORD).user.is_system_admin
        rec = recs.get_recommendation(target, actor_id=s.world["expert"], recommendation_id=s.rec1)
        recs.edit_recommendation(
            target,
            actor_id=s.world["expert"],
            recommendation_id=s.rec1,
            base_revision_id=rec.current_revision.id,
            content=content(text="Moved on"),
        )
    finally:
        lite.dispose()
        pg.dispose()


# --- refusals ---------------------------------------------------------------------------------------------


def test_restore_into_a_database_with_data_is_refused_and_writes_nothing(db, small_backup):
    world = make_world(db)
    root = make_user(db, "root", system_admin=True)
    before = row_counts(db)
    for actor in (SYSTEM, root):
        with pytest.raises(BackupError, match="only be restored into an empty database.*users"):
            bk.restore(db, actor_id=actor, data=small_backup)
    assert row_counts(db) == before
    assert world.roundtable_id == 1


def _tamper(data: bytes, change) -> bytes:
    doc = json.loads(data)
    change(doc)
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def _set_cell(table: str, column: str, value):
    def change(doc):
        body = doc["tables"][table]
        body["rows"][0][body["columns"].index(column)] = value

    return change


TAMPERED = {
    "not JSON": (lambda data: data[: len(data) // 2], "not valid JSON"),
    "not UTF-8": (lambda data: b"\xff\xfe" + data, "not valid JSON"),
    "a JSON list": (lambda data: b"[1, 2]", "not a recdraft backup"),
    "wrong format": (lambda data: _tamper(data, lambda d: d.update(format="something-else")), "not a recdraft backup"),
    "version 99": (lambda data: _tamper(data, lambda d: d.update(version=99)), "version 99, newer than"),
    "version 0": (lambda data: _tamper(data, lambda d: d.update(version=0)), "version 0 is not supported"),
    "no tables": (lambda data: _tamper(data, lambda d: d.pop("tables")), "no 'tables'"),
    "unknown table": (
        lambda data: _tamper(data, lambda d: d["tables"].update(ghosts={"columns": ["id"], "rows": [[1]]})),
        "table 'ghosts' does not exist in this version",
    ),
    "missing table": (
        lambda data: _tamper(data, lambda d: d["tables"].pop("invitations")),
        "table 'invitations' is missing from the backup",
    ),
    "missing column": (
        lambda data: _tamper(
            data,
            lambda d: (
                d["tables"]["users"]["columns"].remove("email"),
                [r.pop(3) for r in d["tables"]["users"]["rows"]],
            ),
        ),
        "column 'users.email' is missing from the backup",
    ),
    "extra column": (
        lambda data: _tamper(data, lambda d: d["tables"]["users"]["columns"].append("shoe_size")),
        "column 'users.shoe_size' does not exist",
    ),
    "other column types": (lambda data: _tamper(data, lambda d: d.update(schema="sha256:0")), "column types differ"),
    "short row": (
        lambda data: _tamper(data, lambda d: d["tables"]["users"]["rows"][0].pop()),
        "row 1 of 'users' does not have",
    ),
    "bad date": (
        lambda data: _tamper(data, _set_cell("roundtables", "held_on", "6 February")),
        "'roundtables', column 'held_on'",
    ),
    "naive datetime": (
        lambda data: _tamper(data, _set_cell("users", "created_at", "2025-02-06T10:00:00")),
        "needs a 'Z' or an offset",
    ),
    "number for a flag": (lambda data: _tamper(data, _set_cell("users", "is_active", 1)), "true or false"),
    "dangling reference": (
        lambda data: _tamper(data, _set_cell("memberships", "user_id", 999)),
        "inconsistent and was not restored",
    ),
}


@pytest.mark.parametrize("case", list(TAMPERED))
def test_a_tampered_file_is_refused_with_a_clear_message_and_writes_nothing(case, db, small_backup):
    damage, message = TAMPERED[case]
    with pytest.raises(BackupError, match=message):
        bk.restore(db, actor_id=SYSTEM, data=damage(small_backup))
    assert _row_count(db) == 0


def test_only_system_administrators_and_the_command_line_take_or_restore_backups(db, small_backup):
    world = make_world(db)
    for who in ("admin", "expert", "outsider"):
        with pytest.raises(PermissionDenied):
            bk.backup(db, actor_id=world[who])
        with pytest.raises(PermissionDenied):
            bk.restore(db, actor_id=world[who], data=small_backup)
    assert _row_count(db) > 0


def test_restore_by_a_signed_in_user_into_an_empty_database_points_to_the_command_line(db, small_backup):
    with pytest.raises(PermissionDenied, match="command line"):
        bk.restore(db, actor_id=1, data=small_backup)
    assert _row_count(db) == 0


# --- details ----------------------------------------------------------------------------------------------


def test_cycles_and_self_references_are_loaded_null_first_then_filled_in():
    deferred = bk._deferred_columns(list(Base.metadata.sorted_tables))
    assert "current_revision_id" in deferred["recommendations"]  # the use_alter cycle
    assert "merged_into_id" in deferred["recommendations"]  # may point at a later row
    assert deferred["revisions"] == ["base_revision_id"]


def test_files_round_trip_and_a_missing_file_is_a_backup_error(sqlite_db, tmp_path):
    make_world(sqlite_db)
    path = tmp_path / "out" / "backup.json"
    path.parent.mkdir()
    size = bk.backup_to_file(sqlite_db, actor_id=SYSTEM, path=path)
    assert size == path.stat().st_size and not (tmp_path / "out" / "backup.json.partial").exists()
    target = _fresh_sqlite(tmp_path / "target.sqlite3")
    counts = bk.restore_from_file(target, actor_id=SYSTEM, path=path)
    assert counts["users"] == 6
    assert bk.backup(target, actor_id=SYSTEM) == path.read_bytes()
    with pytest.raises(BackupError, match="Cannot read the backup file"):
        bk.restore_from_file(target, actor_id=SYSTEM, path=tmp_path / "nope.json")
    target.dispose()


def test_lone_surrogates_in_free_form_json_survive_as_escapes(db, twin):
    make_world(db)
    _store_json(db, 1, {"broken": "a\ud800b"})
    data = bk.backup(db, actor_id=SYSTEM)
    assert b"a\\ud800b" in data
    bk.restore(twin, actor_id=SYSTEM, data=data)
    assert bk.backup(twin, actor_id=SYSTEM) == data


def test_a_table_added_later_is_backed_up_without_changing_the_backup_code(sqlite_db, tmp_path):
    probe = Table(
        "zz_vote_probe",
        Base.metadata,
        Column("id", Integer, primary_key=True),
        Column("recommendation_id", ForeignKey("recommendations.id")),
        Column("choice", String(8)),
        Column("cast_at", UTCDateTime()),
        Column("detail", SA_JSON),
    )
    try:
        probe.create(sqlite_db.engine)
        world = make_world(sqlite_db)
        rec = recs.create_recommendation(
            sqlite_db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content()
        )
        with sqlite_db.write() as s:
            s.execute(
                insert(probe).values(recommendation_id=rec.id, choice="за", cast_at=utcnow(), detail={"weight": 1})
            )
        data = bk.backup(sqlite_db, actor_id=SYSTEM)
        assert json.loads(data)["tables"]["zz_vote_probe"]["rows"][0][2] == "за"
        target = _fresh_sqlite(tmp_path / "probe-target.sqlite3")
        assert bk.restore(target, actor_id=SYSTEM, data=data)["zz_vote_probe"] == 1
        assert bk.backup(target, actor_id=SYSTEM) == data
        target.dispose()
    finally:
        Base.metadata.remove(probe)


def test_a_database_table_unknown_to_this_version_stops_the_backup(sqlite_db):
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE from_the_future (id INTEGER PRIMARY KEY)"))
    with pytest.raises(BackupError, match="from_the_future"):
        bk.backup(sqlite_db, actor_id=SYSTEM)


# --- property: any text the services accept survives the round trip -----------------------------------

_counter = itertools.count()
_any_char = st.characters(exclude_categories=())  # surrogates included: the services must clean them
_any_text = st.text(alphabet=_any_char, max_size=120)


@pytest.fixture
def lite_world(sqlite_db) -> World:
    return make_world(sqlite_db)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=_any_text,
    body=_any_text,
    topic=st.text(alphabet=_any_char, max_size=40),
    lang=st.sampled_from(["kk", "ru", "en"]),
    formula=st.dictionaries(
        st.text(max_size=8), st.one_of(st.text(), st.integers(), st.booleans(), st.none()), max_size=3
    ),
)
def test_any_accepted_text_round_trips_byte_for_byte(lite_world, tmp_path, title, body, topic, lang, formula):
    db = lite_world.db
    try:
        rec = recs.create_recommendation(
            db,
            actor_id=lite_world["expert"],
            roundtable_id=lite_world.roundtable_id,
            content={lang: {"title": title, "text": body}},
            topic=topic,
        )
    except InvalidInput:
        reject()
    _store_json(db, lite_world.roundtable_id, formula)
    data = bk.backup(db, actor_id=SYSTEM)
    target = _fresh_sqlite(tmp_path / f"prop-{next(_counter)}.sqlite3")
    try:
        bk.restore(target, actor_id=SYSTEM, data=data)
        assert bk.backup(target, actor_id=SYSTEM) == data
        again = recs.get_recommendation(target, actor_id=lite_world["expert"], recommendation_id=rec.id)
        assert again.current_revision.content == rec.current_revision.content
    finally:
        target.dispose()


def test_restored_rows_equal_the_source_rows_as_python_values(db, twin):
    """Beyond equal JSON: the decoded values (aware datetimes, dates, bools) are the same objects."""
    populate(db)
    bk.restore(twin, actor_id=SYSTEM, data=bk.backup(db, actor_id=SYSTEM))
    for table in (User.__table__, Recommendation.__table__, Revision.__table__):
        order = list(table.primary_key.columns)
        with db.engine.connect() as a, twin.engine.connect() as b:
            left = [tuple(r) for r in a.execute(select(table).order_by(*order))]
            right = [tuple(r) for r in b.execute(select(table).order_by(*order))]
        assert left == right
    with twin.read() as s:
        user = s.scalars(select(User).order_by(User.id)).first()
        assert user is not None and user.created_at.tzinfo is not None


def test_a_backup_reads_one_snapshot_even_while_others_write(db):
    """Rows committed by someone else during the backup are not half in it (REPEATABLE READ on PostgreSQL)."""
    make_user(db, "first")
    with bk._snapshot(db) as conn:
        before = conn.scalar(select(func.count()).select_from(User.__table__))
        make_user(db, "second")  # commits on another connection
        assert conn.scalar(select(func.count()).select_from(User.__table__)) == before == 1
        if db.dialect == "postgresql":
            assert conn.scalar(text("SHOW transaction_read_only")) == "on"
    assert _row_count(db) > before


def test_a_database_missing_a_table_asks_for_init_db_before_backup_or_restore(tmp_path, small_backup):
    behind = Database(f"sqlite:///{tmp_path / 'behind.sqlite3'}")
    tables = [t for t in Base.metadata.sorted_tables if t.name != "invitations"]
    Base.metadata.create_all(behind.engine, tables=tables)
    try:
        with pytest.raises(BackupError, match=r"lacks tables .*invitations.*init-db"):
            bk.backup(behind, actor_id=SYSTEM)
        with pytest.raises(BackupError, match=r"lacks tables .*invitations.*init-db"):
            bk.restore(behind, actor_id=SYSTEM, data=small_backup)
    finally:
        behind.dispose()


def test_comments_and_a_closed_voting_round_round_trip_too(db, twin):
    """Tables added after backup.py (comments, voting) are included with no change to it."""
    from recdraft.services import comments, voting

    w = make_world(db)
    rec = recs.create_recommendation(
        db, actor_id=w["expert"], roundtable_id=w.roundtable_id, content=content(title="Дауыс беру", text=KK, lang="kk")
    )
    recs.set_status(db, actor_id=w["moderator"], recommendation_id=rec.id, status="discussion")
    first = comments.post_comment(
        db, actor_id=w["expert"], recommendation_id=rec.id, body=RU + " " + EMOJI, quote="Қазақстан"
    )
    moderation.moderate_comment(db, actor_id=w["moderator"], comment_id=first.id, action="approve")
    comments.post_comment(
        db, actor_id=w["moderator"], recommendation_id=rec.id, body="Ответ модератора", parent_id=first.id
    )
    comments.edit_comment(db, actor_id=w["expert"], comment_id=first.id, body="Исправлено " + EMOJI)
    moderation.moderate_comment(db, actor_id=w["moderator"], comment_id=first.id, action="approve")
    comments.flag_comment(db, actor_id=w["expert2"], comment_id=first.id, reason="Не по теме")

    rnd = voting.open_round(
        db, actor_id=w["moderator"], roundtable_id=w.roundtable_id, recommendation_ids=[rec.id], name="Бірінші тур"
    )
    voting.cast_vote(db, actor_id=w["expert"], round_id=rnd.id, recommendation_id=rec.id, choice="agree")
    voting.cast_vote(
        db,
        actor_id=w["expert2"],
        round_id=rnd.id,
        recommendation_id=rec.id,
        choice="disagree",
        reason="Слишком широко 🙅",
        reason_named=True,
    )
    voting.cast_vote(
        db, actor_id=w["expert2"], round_id=rnd.id, recommendation_id=rec.id, choice="block", reason="Блок"
    )
    voting.close_round(db, actor_id=w["moderator"], round_id=rnd.id)
    # A block means no consensus: the next round points back at this one (a self-reference).
    voting.carry_forward(db, actor_id=w["moderator"], round_id=rnd.id, name="Екінші тур")

    first_backup = bk.backup(db, actor_id=SYSTEM)
    counts = bk.restore(twin, actor_id=SYSTEM, data=first_backup)
    assert bk.backup(twin, actor_id=SYSTEM) == first_backup
    assert counts["comments"] == 2 and counts["comment_edits"] == 1 and counts["comment_flags"] == 1
    assert counts["votes"] == 2 and counts["vote_history"] == 3 and counts["round_results"] == 1
    assert counts["voting_rounds"] == 2 and counts["round_items"] == 2


# --- replacing the data of a database in use ----------------------------------------------------------------


def _tables_of(data: bytes, *, without: tuple[str, ...] = ()) -> dict:
    return {name: body for name, body in json.loads(data)["tables"].items() if name not in without}


def test_replace_swaps_every_row_for_the_backup_ends_sessions_and_records_who_did_it(db, small_backup):
    world = make_world(db, moderation_mode="post")
    root = make_user(db, "root", display_name="Root Admin", system_admin=True)
    for i in range(3):
        recs.create_recommendation(
            db, actor_id=world["expert"], roundtable_id=world.roundtable_id, content=content(title=f"Current {i}")
        )
    token = accounts.sign_in(db, username="root", password=PASSWORD).token

    counts = bk.restore(db, actor_id=root, data=small_backup, replace=True)

    after = bk.backup(db, actor_id=SYSTEM)
    ignored = ("audit_events", "sign_in_sessions")
    assert _tables_of(after, without=ignored) == _tables_of(small_backup, without=ignored)
    assert counts["recommendations"] == 1
    with pytest.raises(NotSignedIn):
        accounts.authenticate(db, token=token)
    with db.read() as s:
        open_sessions = s.scalar(
            select(func.count()).select_from(SignInSession).where(SignInSession.ended_at.is_(None))
        )
        last = s.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.details).where(
                AuditEvent.action == "backup.restore"
            )
        ).one()
    assert open_sessions == 0
    assert (last.action, last.actor_id, last.details["by"], last.details["replaced"]) == (
        "backup.restore",
        None,
        "Root Admin (root)",
        True,
    )
    # The restored data works: new rows get fresh ids (PostgreSQL sequences moved past the restored ones).
    restored_expert = accounts.find_user(db, username="expert").id
    rec = recs.create_recommendation(db, actor_id=restored_expert, roundtable_id=1, content=content(title="After"))
    assert rec.number == 2


@pytest.mark.parametrize("case", ["not JSON", "missing table", "bad date", "dangling reference"])
def test_a_refused_replacement_deletes_nothing(case, db, small_backup):
    damage, message = TAMPERED[case]
    make_world(db)
    before = row_counts(db)
    with pytest.raises(BackupError, match=message):
        bk.restore(db, actor_id=SYSTEM, data=damage(small_backup), replace=True)
    assert row_counts(db) == before


def test_only_system_administrators_replace_the_data(db, small_backup):
    world = make_world(db)
    before = row_counts(db)
    for who in ("admin", "moderator", "expert"):
        with pytest.raises(PermissionDenied):
            bk.restore(db, actor_id=world[who], data=small_backup, replace=True)
    assert row_counts(db) == before


def test_replacing_with_a_backup_of_the_same_database_gives_the_same_data(db):
    s = populate(db)
    first = bk.backup(db, actor_id=s.root)
    bk.restore(db, actor_id=s.root, data=first, replace=True)
    assert _tables_of(bk.backup(db, actor_id=SYSTEM), without=("audit_events", "sign_in_sessions")) == _tables_of(
        first, without=("audit_events", "sign_in_sessions")
    )
