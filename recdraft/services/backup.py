"""Backup and restore: the whole database as one versioned, deterministic JSON document.

Shape (keys in sorted order, one table row per line)::

    {"format": "recdraft-backup", "schema": "<sha256 of the table/column layout>",
     "tables": {"<table>": {"columns": ["id", ...], "rows": [[1, ...], ...]}, ...}, "version": 1}

Generic over ``Base.metadata``: a table added to the models is backed up and restored without
changes here. Values are encoded per column type: UTC datetimes as ISO 8601 with "Z", dates as
ISO, booleans as JSON booleans, JSON columns as JSON values (their stored key order is kept: the
order of languages in a recommendation is meaningful, so JSON column values are *not* key-sorted).

The same database always gives the same bytes, so backup → restore → backup is byte-identical,
also across SQLite and PostgreSQL. For that reason a restore writes no audit row into the data it
restores (the row would break the identity and would be an event that is not in the backup); the
command line prints what was restored instead.

A restore decodes and checks every row of every table before it writes anything: each value must meet the
rules live input meets (``ROW_CHECKS``: roles, phases and statuses from their enums, texts per language,
revision content through the same pydantic types and limits, no control characters or lone surrogates,
64-bit integers, real dates within the years live input accepts, bounded JSON nesting); a roundtable row
passes the very form and settings checks a roundtable is created with (``ROW_RULES``), round rules, frozen
tallies and memo snapshots their own pydantic types. A refused file raises one BackupError naming the table,
the row (its number and id) and the column, and nothing changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, TypeAdapter, ValidationError
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    bindparam,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.mail_models import MODES as MAIL_MODES
from recdraft.db.mail_models import OUTBOX_STATUSES
from recdraft.db.models import Base, SignInSession, User, UTCDateTime, utcnow
from recdraft.db.voting_models import CHOICES, HISTORY_ACTIONS, ROUND_STATUSES
from recdraft.domain.roles import ModerationMode, Phase, Role
from recdraft.domain.statuses import AmendmentStatus, CommentStatus, ModerationAction, Priority, RecStatus
from recdraft.domain.text import xml_safe
from recdraft.domain.voting import Ballot, Choice, Outcome, RoundRules, Tally
from recdraft.errors import BackupError, InvalidInput, InvalidValue, Msg, NotSignedIn, PermissionDenied
from recdraft.schemas.common import LANGS, LIMITS, CommentBody, Name, Note, OptionalReason, Quote, Topic, parse
from recdraft.schemas.content import Content
from recdraft.services._base import Actor, _System, actor_ref, audit, require_system_admin

FORMAT = "recdraft-backup"
VERSION = 1
# Rows per executemany: large enough to be fast, small enough to bound one statement's memory.
CHUNK = 1_000
# Tables that belong to the tooling, not to recdraft's data.
IGNORED_TABLES = {"alembic_version"}

# Lone surrogates cannot be written as UTF-8; JSON can carry them as \uXXXX escapes.
_SURROGATE = re.compile("[\ud800-\udfff]")


# --- column kinds: how each column type is written to and read from JSON ---------------------------


@dataclass(frozen=True)
class _Kind:
    name: str
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _encode_utc(value: datetime) -> str:
    if value.tzinfo is None:  # a timezone-aware column read back from SQLite comes back naive, in UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _iso(parse: Callable[[str], Any], value: str) -> Any:
    try:
        return parse(value)
    except (ValueError, OverflowError):
        shown = value[:40]
        raise InvalidValue("svc.restore.bad_iso", value=shown) from None


def _decode_utc(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidValue("svc.backup.expected_datetime")
    parsed = _iso(datetime.fromisoformat, value)
    if parsed.tzinfo is None:
        raise InvalidValue("svc.backup.utc_needs_offset")
    return _iso(lambda _: parsed.astimezone(UTC), value)


def _decode_naive(value: Any) -> datetime:
    if not isinstance(value, str):
        raise InvalidValue("svc.backup.expected_datetime")
    return _iso(datetime.fromisoformat, value)


def _decode_date(value: Any) -> date:
    if not isinstance(value, str):
        raise InvalidValue("svc.backup.expected_date")
    return _iso(date.fromisoformat, value)


def _checked(kind: type | tuple[type, ...], label: str) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        # bool is an int in Python; an integer column must not accept true/false silently.
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
            raise InvalidValue("svc.backup.expected_value", label=label)
        return value

    return decode


def _same(value: Any) -> Any:
    return value


_UTC = _Kind("utc_datetime", _encode_utc, _decode_utc)
_NAIVE = _Kind("datetime", lambda v: v.isoformat(timespec="microseconds"), _decode_naive)
_DATE = _Kind("date", lambda v: v.isoformat(), _decode_date)
_BOOL = _Kind("bool", bool, _checked(bool, "true or false"))
_INT = _Kind("int", int, _checked(int, "a whole number"))
_FLOAT = _Kind("float", float, lambda v: float(_checked((int, float), "a number")(v)))
_STR = _Kind("str", str, _checked(str, "text"))
_JSON = _Kind("json", _same, _same)


def _kind_of(column: Column[Any]) -> _Kind:
    """How ``column`` is encoded; unknown types fail loudly so a new type is never backed up wrongly."""
    col_type = column.type
    # Order matters: UTCDateTime wraps DateTime, Boolean and JSON before their generic bases.
    if isinstance(col_type, UTCDateTime):
        return _UTC
    if isinstance(col_type, DateTime):
        if col_type.timezone:
            return _UTC
        return _NAIVE
    if isinstance(col_type, Date):
        return _DATE
    if isinstance(col_type, Boolean):
        return _BOOL
    if isinstance(col_type, JSON):
        return _JSON
    if isinstance(col_type, Integer):
        return _INT
    if isinstance(col_type, (Float, Numeric)):
        return _FLOAT
    if isinstance(col_type, (String, Text)):
        return _STR
    raise TypeError(
        f"recdraft backup does not know how to store {column.table.name}.{column.name} "
        f"({type(col_type).__name__}); add the type to recdraft/services/backup.py"
    )


def _tables() -> list[Table]:
    """Every table, parents before children (``use_alter`` foreign keys break the one cycle)."""
    return list(Base.metadata.sorted_tables)


def schema_fingerprint(tables: Iterable[Table] | None = None) -> str:
    """A hash of the table/column layout and each column's kind (not column order or lengths)."""
    layout = {
        t.name: sorted([c.name, _kind_of(c).name] for c in t.columns)
        for t in (tables if tables is not None else _tables())
    }
    canonical = json.dumps(layout, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


# --- writing -----------------------------------------------------------------------------------------


def _dumps(value: Any) -> str:
    out = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    # Inside a JSON string a raw lone surrogate would make the UTF-8 encoding fail: escape it.
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def _render(schema: str, tables: dict[str, tuple[list[str], list[list[Any]]]]) -> bytes:
    """The document with keys sorted and one row per line (readable, diffable, deterministic)."""
    parts = ["{\n", f'"format": {_dumps(FORMAT)},\n', f'"schema": {_dumps(schema)},\n', '"tables": {']
    for i, name in enumerate(sorted(tables)):
        columns, rows = tables[name]
        parts.append(("," if i else "") + f"\n {_dumps(name)}: {{\n")
        parts.append(f'  "columns": {_dumps(columns)},\n')
        if rows:
            parts.append('  "rows": [\n')
            parts.append(",\n".join("   " + _dumps(row) for row in rows))
            parts.append("\n  ]\n }")
        else:
            parts.append('  "rows": []\n }')
    parts.append("\n},\n" if tables else "},\n")
    parts.append(f'"version": {VERSION}\n}}\n')
    return "".join(parts).encode("utf-8")


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    """One read-only transaction that sees one consistent state of the whole database."""
    conn = db.engine.connect()
    try:
        if db.dialect == "postgresql":
            # READ COMMITTED would take a new snapshot per statement: tables could disagree.
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        # On SQLite the engine issues BEGIN (deferred); under WAL the first read fixes the snapshot.
        with conn.begin() as tx:
            yield conn
            tx.rollback()
    finally:
        conn.close()


def _check_database_tables(conn: Connection, tables: list[Table]) -> None:
    """The database must have exactly the models' tables: none missing (not migrated), none unknown.

    An unknown table would silently be left out of a backup; a missing one means the schema is behind.
    """
    present = set(inspect(conn).get_table_names()) - IGNORED_TABLES
    known = {t.name for t in tables}
    missing = sorted(known - present)
    if missing:
        raise BackupError("svc.backup.tables_missing", missing=", ".join(missing))
    unknown = sorted(present - known)
    if unknown:
        raise BackupError("svc.backup.tables_unknown", unknown=", ".join(unknown))


def backup(db: Database, *, actor_id: Actor) -> bytes:
    """The whole database as one JSON document (system administrators, command line).

    Raises PermissionDenied, and BackupError when the database's tables differ from the models'
    (not migrated yet, or made by another version) so a backup is never silently partial.
    """
    tables = _tables()
    kinds = {t.name: [_kind_of(c) for c in t.columns] for t in tables}
    out: dict[str, tuple[list[str], list[list[Any]]]] = {}
    with _snapshot(db) as conn:
        with Session(bind=conn) as session:
            require_system_admin(session, actor_id)
        _check_database_tables(conn, tables)
        for table in tables:
            encoders = [k.encode for k in kinds[table.name]]
            stmt = select(table).order_by(*table.primary_key.columns)
            rows = [
                [None if v is None else enc(v) for enc, v in zip(encoders, row, strict=True)]
                for row in conn.execute(stmt)
            ]
            out[table.name] = ([c.name for c in table.columns], rows)
    data = _render(schema_fingerprint(tables), out)
    # Who took a copy of everyone's words is worth knowing. The row is written after the snapshot,
    # so it is not in this backup (backup → restore → backup stays identical) but in the next one.
    with db.write() as s:
        audit(
            s,
            actor_id=actor_ref(actor_id),
            action="backup.create",
            object_type="database",
            object_id=None,
            details={"bytes": len(data), "rows": sum(len(rows) for _, rows in out.values())},
        )
    return data


def backup_to_file(db: Database, *, actor_id: Actor, path: str | Path) -> int:
    """Write a backup to ``path``; returns its size in bytes."""
    data = backup(db, actor_id=actor_id)
    target = Path(path)
    # Write beside the target and rename, so a failed write never leaves half a backup in place.
    partial = target.with_name(target.name + ".partial")
    # Owner-only (0600): the file holds password and session-token hashes.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)  # a .partial left by an earlier run keeps its mode otherwise
        handle.write(data)
    partial.replace(target)
    return len(data)


# --- reading -----------------------------------------------------------------------------------------


def _parse(data: bytes | str) -> dict[str, Any]:
    try:
        doc = json.loads(data)
    except RecursionError:
        # The decoder recurses per level; a hostile file nested 100 000 deep must not become a traceback.
        where = _where_too_deep(data)
        if where is not None:
            number, table, column, key = where
            raise BackupError(
                "svc.restore.bad_value.nested_value",
                number=number,
                table=table,
                column=column,
                key=key,
                limit=MAX_JSON_DEPTH,
            ) from None
        raise BackupError("svc.restore.too_deep") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError("svc.backup.invalid_json", exc=exc) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupError("svc.backup.not_a_backup")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BackupError("svc.backup.no_version")
    if version > VERSION:
        raise BackupError("svc.backup.version_newer", version=version, version2=VERSION)
    if version != VERSION:
        raise BackupError("svc.backup.version_unsupported", version=version, version2=VERSION)
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise BackupError("svc.backup.no_tables")
    for name, body in tables.items():
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("columns"), list)
            or not all(isinstance(c, str) for c in body["columns"])
            or not isinstance(body.get("rows"), list)
        ):
            raise BackupError("svc.backup.table_malformed", name=name)
    return doc


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},]')
_TABLE_LINE = re.compile(r'^ ("(?:[^"\\]|\\.)*"): \{$')
_COLUMNS_LINE = re.compile(r'^  "columns": (\[.*\]),$')
_FIRST_VALUE = re.compile(r"^\s*\[\s*([^,\[\]{}]{1,40})")


def _where_too_deep(data: bytes | str) -> tuple[int, str, str, str] | None:
    """(row number, table, column, key) of the first too-deeply nested value in a file laid out as
    ``backup`` writes it (one row per line); None when the file is laid out otherwise."""
    text_ = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    columns: list[str]
    table, columns, number = None, [], 0
    for line in text_.splitlines():
        if (match := _TABLE_LINE.match(line)) is not None:
            table, columns, number = json.loads(match.group(1)), [], 0
            continue
        if (match := _COLUMNS_LINE.match(line)) is not None:
            columns = json.loads(match.group(1))
            continue
        if table is None or not line.startswith("   ["):
            continue
        number += 1
        depth, index = 0, 0
        for token in _TOKENS.finditer(line):
            mark = token.group()
            if mark in "[{":
                depth += 1
            elif mark in "]}":
                depth -= 1
            elif mark == "," and depth == 1:
                index += 1
            if depth > MAX_JSON_DEPTH + 1:
                column = columns[index] if index < len(columns) else f"#{index + 1}"
                first = _FIRST_VALUE.match(line)
                key = f"{columns[0] if columns else 'id'} {first.group(1).strip() if first else '?'}"
                return number, str(table), str(column), key
    return None


def _check_schema(doc: dict[str, Any], tables: list[Table]) -> None:
    """The backup's tables and columns must be exactly the current ones; say which differ."""
    problems: list[str] = []
    current = {t.name: t for t in tables}
    given = doc["tables"]
    for name in sorted(set(given) - set(current)):
        problems.append(f"table '{name}' does not exist in this version")
    for name in sorted(set(current) - set(given)):
        problems.append(f"table '{name}' is missing from the backup")
    for name in sorted(set(current) & set(given)):
        have = [c.name for c in current[name].columns]
        cols = given[name]["columns"]
        if len(set(cols)) != len(cols):
            problems.append(f"table '{name}' lists a column twice")
        for col in sorted(set(cols) - set(have)):
            problems.append(f"column '{name}.{col}' does not exist in this version")
        for col in sorted(set(have) - set(cols)):
            problems.append(f"column '{name}.{col}' is missing from the backup")
    if problems:
        raise BackupError("h_rest.backup.schema_mismatch", problems="; ".join(problems))
    if doc.get("schema") != schema_fingerprint(tables):
        raise BackupError("svc.backup.schema_fingerprint")


# --- validation: every restored value meets the rules live input meets -----------------------------------
#
# A restored row is written without passing through the services, so what they would refuse must be refused
# here, before anything is written: a role or phase the pages do not know, a title that is not text per
# language, a 50 MB comment, characters XML cannot hold. Generic checks hold for every column of every table
# (a table added later is covered); ``ROW_CHECKS`` adds each column's own rule, reusing the input types.

INT64 = (-(2**63), 2**63 - 1)
# JSON values are small documents (texts per language, settings, tallies): a few levels deep.
MAX_JSON_DEPTH = 32

Check = Callable[[Any], None]


def _code_point(value: str) -> str | None:
    """The first character of ``value`` that stored text may not hold (control, U+FFFE/F, lone surrogate)."""
    if xml_safe(value) == value:
        return None
    for ch in value:
        if not xml_safe(ch):
            return f"{ord(ch):04X}"
    return None


def _safe_text(value: str) -> None:
    code = _code_point(value)
    if code is not None:
        raise InvalidValue("svc.restore.bad_character", code=code)


def _json_strings(value: Any) -> Iterator[str]:
    """Every string (keys too) in a JSON value; refuses one nested deeper than ``MAX_JSON_DEPTH``."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InvalidValue("svc.restore.nested_value", limit=MAX_JSON_DEPTH)
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, inner in item.items():
                yield key
                stack.append((inner, depth + 1))
        elif isinstance(item, list):
            stack.extend((inner, depth + 1) for inner in item)


def _generic_check(column: Column[Any]) -> Check | None:
    """What every value of ``column``'s type must meet, whatever the table."""
    kind = _kind_of(column)
    if kind is _INT:

        def check_int(value: Any) -> None:
            if not INT64[0] <= value <= INT64[1]:
                raise InvalidValue("svc.restore.int_range")

        return check_int
    if kind is _STR:
        length = getattr(column.type, "length", None)

        def check_str(value: str) -> None:
            if length is not None and len(value) > length:
                size, limit = len(value), length
                raise InvalidValue("svc.restore.too_long", limit=limit, size=size)
            _safe_text(value)

        return check_str
    if kind is _JSON:

        def check_depth(value: Any) -> None:
            for _ in _json_strings(value):
                pass

        return check_depth
    if kind in (_UTC, _NAIVE, _DATE):
        return _in_years
    return None


def _in_years(value: date) -> None:
    """Every stored date and time falls in the years a roundtable's date may (live input's range)."""
    from recdraft.services.roundtables import EARLIEST_YEAR, LATEST_YEAR

    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise InvalidValue("svc.setup.date_range")


def _pydantic(adapter: TypeAdapter[Any], limit: int | None = None) -> Check:
    """A check by the same pydantic type live input passes through; ``limit`` refuses a huge text cheaply first."""

    def check(value: Any) -> None:
        if limit is not None and isinstance(value, str) and len(value) > limit:
            size, most = len(value), limit
            raise InvalidValue("svc.restore.too_long", limit=most, size=size)
        try:
            adapter.validate_python(value)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            error = first.get("ctx", {}).get("error")
            message: Msg | str = (
                error.msg
                if isinstance(error, InvalidValue)
                else (str(error) if error else first.get("msg", "not valid"))
            )
            if where:
                raise InvalidValue("h_rest.backup.invalid_at", where=where, problem=message) from None
            raise InvalidValue("h_rest.backup.invalid", problem=message) from None

    return check


def _text(kind: Any, limit_key: str) -> Check:
    return _pydantic(TypeAdapter(kind), LIMITS[limit_key])


def _one_of(values: Iterable[str]) -> Check:
    allowed = tuple(str(v) for v in values)

    def check(value: Any) -> None:
        if value not in allowed:
            shown, names = str(value)[:40], ", ".join(allowed)
            raise InvalidValue("svc.restore.not_one_of", value=shown, allowed=names)

    return check


def _positive(value: Any) -> None:
    """A count that starts at 1 (an amendment's number within its recommendation)."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValue("svc.friction.not_positive", value=str(value)[:40])


def _language(value: Any) -> None:
    _one_of(LANGS)(value)


def _languages(value: Any) -> None:
    if not isinstance(value, list) or not value or any(lang not in LANGS for lang in value):
        raise InvalidValue("svc.restore.languages")


def _per_language(value: Any) -> None:
    """Text per language, as the roundtable form stores it: {"kk": "...", ...}. Only the shape is checked here;
    languages, lengths and the required title are checked by the form's own rules (``_roundtable_row``)."""
    if not isinstance(value, dict):
        raise InvalidValue("svc.restore.localized")
    for lang, written in value.items():
        if not isinstance(written, str):
            raise InvalidValue("svc.restore.lang_expected_text", lang=str(lang)[:20])
        _safe_text(written)


def _content(value: Any) -> None:
    """Revision and amendment text: {lang: {title, text, ...}} within the content limits."""
    if not isinstance(value, dict):
        raise InvalidValue("svc.restore.content")
    for written in _json_strings(value):
        _safe_text(written)
    _CONTENT(value)


_CONTENT = _pydantic(TypeAdapter(Content))


def _translated_fields(value: Any) -> None:
    """A translation's texts: {field: text} for the voted fields, within the content limits."""
    from recdraft.domain.translations import TRANSLATED_FIELDS

    if not isinstance(value, dict) or any(key not in TRANSLATED_FIELDS for key in value):
        raise InvalidValue("svc.translations.backup_fields")
    for name, written in value.items():
        if not isinstance(written, str):
            raise InvalidValue("svc.restore.lang_expected_text", lang=name)
        _safe_text(written)
        if len(written) > LIMITS[name]:
            size, most = len(written), LIMITS[name]
            raise InvalidValue("svc.restore.lang_too_long", lang=name, limit=most, size=size)


def _username(value: Any) -> None:
    from recdraft.services.accounts import normalise_username  # accounts is heavy (argon2); only a restore needs it

    if len(value) > 64:
        raise InvalidValue("svc.username_rule")
    try:
        if normalise_username(value) != value:
            raise InvalidValue("svc.username_rule")
    except InvalidInput as exc:
        raise InvalidValue(exc.msg) from None


class _Dissent(BaseModel):
    """A counted reason in ``round_results.dissents``, as ``results`` writes it and ``_dissent_views`` reads it."""

    model_config = ConfigDict(extra="forbid")
    voter_id: StrictInt
    organisation: str | None
    choice: Choice | None
    rating: StrictInt | None
    reason: str
    named: StrictBool


class _ArticleChange(BaseModel):
    """One entry of ``draft_law_versions.changes`` (``importing.law.ArticleChange`` as ``laws`` stores it)."""

    model_config = ConfigDict(extra="forbid")
    anchor: str
    kind: Literal["unchanged", "changed", "renumbered", "changed_renumbered", "removed", "added"]
    old_number: str | None
    new_number: str | None
    similarity: float


class _LawSubParagraph(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: str
    text: str
    anchor: str = ""


class _LawParagraph(BaseModel):
    """One entry of ``draft_law_articles.paragraphs`` (``importing.law.Paragraph`` as ``laws`` stores it)."""

    model_config = ConfigDict(extra="forbid")
    number: str
    text: str
    subparagraphs: list[_LawSubParagraph] = []
    anchor: str = ""


def _memo_data(value: Any) -> None:
    from recdraft.schemas.memo import MemoData

    try:
        MemoData.model_validate_json(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        problem = first.get("msg", "not valid")
        if where:
            raise InvalidValue("h_rest.backup.invalid_at", where=where, problem=problem) from None
        raise InvalidValue("h_rest.backup.invalid", problem=problem) from None


def _all(*checks: Check) -> Check:
    def check(value: Any) -> None:
        for each in checks:
            each(value)

    return check


_COMMENT_BODY = _text(CommentBody, "comment")
_QUOTE = _text(Quote, "quote")
_REASON = _text(OptionalReason, "reason")
_NOTE = _text(Note, "note")
_NAME = _text(Name, "name")

# table → column → the rule live input holds it to (on top of the generic checks by type).
ROW_CHECKS: dict[str, dict[str, Check]] = {
    "users": {"username": _username, "display_name": _NAME, "preferred_language": _language},
    "roundtables": {
        "title": _per_language,
        "venue": _per_language,
        "organisers": _per_language,
        "addressee": _per_language,
        "background": _per_language,
        "summary": _per_language,
        "languages": _languages,
        "phase": _one_of(Phase),
        "moderation_mode": _one_of(ModerationMode),
    },
    "memberships": {"role": _one_of(Role)},
    "invitations": {"role": _one_of(Role), "language": _language},
    "recommendations": {
        "status": _one_of(RecStatus),
        "priority": _one_of(Priority),
        "topic": _text(Topic, "topic"),
    },
    "revisions": {"content": _content, "note": _NOTE},
    "rejected_edits": {"content": _content, "note": _NOTE},
    "amendments": {"content": _content, "status": _one_of(AmendmentStatus), "number": _positive},
    "comments": {
        "body": _COMMENT_BODY,
        "quote": _QUOTE,
        "status": _one_of(CommentStatus),
        "resolution": _one_of(("addressed", "declined")),
    },
    "comment_edits": {"previous_body": _COMMENT_BODY, "previous_quote": _QUOTE},
    # An edit waiting for a moderator (issue 18): kept, so a restore does not lose the author's new words.
    "comment_pending_edits": {"body": _COMMENT_BODY, "quote": _QUOTE},
    "moderation_actions": {
        "action": _one_of(ModerationAction),
        "from_status": _one_of(CommentStatus),
        "to_status": _one_of(CommentStatus),
        "reason": _REASON,
    },
    "voting_rounds": {"status": _one_of(ROUND_STATUSES), "rules": _pydantic(TypeAdapter(RoundRules))},
    "votes": {"choice": _one_of(CHOICES)},
    "vote_history": {"action": _one_of(HISTORY_ACTIONS), "choice": _one_of(CHOICES)},
    # A translation's fields as the translation service takes them (issue 10, item 7).
    "translations": {
        "lang": _language,
        "source_lang": _language,
        "content": _translated_fields,
        "source_texts": _translated_fields,
        "note": _NOTE,
    },
    # The frozen tallies as ``results`` writes them and reads them back (Tally, Ballot).
    "round_results": {
        "outcome": _one_of(Outcome),
        "tally": _pydantic(TypeAdapter(Tally)),
        "group_tallies": _pydantic(TypeAdapter(list[Tally])),
        "ballots": _pydantic(TypeAdapter(list[Ballot])),
        "dissents": _pydantic(TypeAdapter(list[_Dissent])),
    },
    "round_items": {"outcome": _one_of(Outcome)},
    # The draft law (issue 16): each version's changes and each article's paragraphs as ``laws`` writes them;
    # an imported recommendation names the items of the file it came from.
    "draft_law_versions": {"changes": _pydantic(TypeAdapter(list[_ArticleChange]))},
    "draft_law_articles": {"paragraphs": _pydantic(TypeAdapter(list[_LawParagraph]))},
    "imported_items": {"source_items": _pydantic(TypeAdapter(list[StrictInt]))},
    "audit_events": {"details": _pydantic(TypeAdapter(dict[str, Any])), "visibility": _one_of(("all", "staff"))},
    # Outgoing mail (issue 13): kept in backups (what was sent, to whom, each person's choices, refused
    # addresses); a restore never sends old mail again (see ``_outbox_not_resent``).
    "mail_outbox": {"status": _one_of(OUTBOX_STATUSES), "lang": _language},
    "mail_preferences": {"mode": _one_of(MAIL_MODES)},
    # A final export's snapshot: the MemoData the memo was rendered from, read back by redlines.
    "memo_snapshots": {
        "canonical": _memo_data,
        "recommendation_ids": _pydantic(TypeAdapter(dict[str, StrictInt])),
    },
}


class _RowFault(ValueError):
    """A rule over several columns of one row refused it; ``column`` is the one to name, ``msg`` why."""

    def __init__(self, column: str, msg: Msg) -> None:
        super().__init__(msg.render("en"))
        self.column = column
        self.msg = msg


def _roundtable_row(values: dict[str, Any]) -> None:
    """A roundtable row passes the very form a roundtable is created with, and its settings the very checks
    ``update_settings`` makes (for the row's own languages): date range, texts, languages, record and memo
    languages, topics, voting defaults, signatory, outgoing number, legal references."""
    from recdraft.services import roundtables as rts

    fields = {name: values[name] for name in rts.RoundtableInput.model_fields if values.get(name) is not None}
    try:
        data = parse(rts.RoundtableInput, **fields)
    except InvalidInput as exc:
        raise _RowFault(str(exc.field or "title").split(".")[0], exc.msg) from None
    try:
        rts.checked_settings(values.get("settings"), data.languages)
    except InvalidInput as exc:
        where = exc.field if exc.field and exc.field != "settings" else None
        raise _RowFault(
            "settings", Msg("h_rest.backup.invalid_at", where=where, problem=exc.msg) if where else exc.msg
        ) from None


# table → rules over a whole row, run after each column has passed its own checks.
ROW_RULES: dict[str, list[Callable[[dict[str, Any]], None]]] = {
    "roundtables": [_roundtable_row],
}


def _row_key(table: Table, columns: list[str], row: list[Any]) -> str:
    """How a person finds the row in the file: its primary key, e.g. "id 7"."""
    parts = []
    for col in table.primary_key.columns:
        value = row[columns.index(col.name)] if col.name in columns else None
        parts.append(f"{col.name} {str(value)[:40]}")
    return ", ".join(parts)


def _decoded_rows(table: Table, columns: list[str], rows: list[Any]) -> Iterator[dict[str, Any]]:
    """Decode and validate each row; raise BackupError naming the table, row, key and column at the first fault."""
    kinds = {c.name: _kind_of(c) for c in table.columns}
    own = ROW_CHECKS.get(table.name, {})
    row_rules = ROW_RULES.get(table.name, [])
    checks = []
    for name in columns:
        generic, specific = _generic_check(table.c[name]), own.get(name)
        checks.append([c for c in (generic, specific) if c is not None])
    decoders = [kinds[c].decode for c in columns]
    width = len(columns)
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != width:
            raise BackupError("svc.backup.row_width", number=number, name=table.name, width=width)
        values: dict[str, Any] = {}
        for col, dec, col_checks, value in zip(columns, decoders, checks, row, strict=True):
            if value is None:
                values[col] = None
                continue
            try:
                values[col] = dec(value)
                for check in col_checks:
                    check(values[col])
            except (TypeError, ValueError, OverflowError, RecursionError) as exc:
                key = _row_key(table, columns, row)
                raise BackupError(
                    "svc.restore.bad_value",
                    number=number,
                    table=table.name,
                    column=col,
                    key=key,
                    problem=exc.msg if isinstance(exc, InvalidValue) else exc,
                ) from None
        for rule in row_rules:
            try:
                rule(values)
            except _RowFault as fault:
                key = _row_key(table, columns, row)
                raise BackupError(
                    "svc.restore.bad_value",
                    number=number,
                    table=table.name,
                    column=fault.column,
                    key=key,
                    problem=fault.msg,
                ) from None
        yield values


def _chunks(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _deferred_columns(tables: list[Table]) -> dict[str, list[str]]:
    """Foreign-key columns to insert as NULL and fill in once every table is loaded.

    Generic: a foreign key that points at its own table (merged_into_id, parent_id: the target row
    may come later by id) or at a table that is inserted later (use_alter cycles such as
    recommendations.current_revision_id → revisions) cannot be satisfied row by row.
    Such a column must be nullable; a NOT NULL one would need deferrable constraints.
    """
    position = {t.name: i for i, t in enumerate(tables)}
    deferred: dict[str, list[str]] = {}
    for table in tables:
        cols: set[str] = set()
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if position.get(target, -1) >= position[table.name]:
                if not fk.parent.nullable:
                    raise RuntimeError(
                        f"{table.name}.{fk.parent.name} is a NOT NULL foreign key in a cycle; "
                        "restore cannot load it generically"
                    )
                cols.add(fk.parent.name)
        if cols:
            deferred[table.name] = sorted(cols)
    return deferred


def _require_restorer(session: Session, actor_id: Actor) -> None:
    if isinstance(actor_id, _System):
        return
    try:
        require_system_admin(session, actor_id)
    except NotSignedIn:
        # The usual case: the empty target has no accounts yet, so nobody can be signed in to it.
        raise PermissionDenied("svc.backup.only_system_admin_restore") from None


def _lock_and_check_empty(conn: Connection, tables: list[Table], dialect: str) -> None:
    _lock(conn, tables, dialect)
    filled = [t.name for t in tables if conn.execute(select(1).select_from(t).limit(1)).first() is not None]
    if filled:
        raise BackupError("svc.backup.database_not_empty", filled=", ".join(filled))


def _lock(conn: Connection, tables: list[Table], dialect: str) -> None:
    if dialect == "postgresql":
        # Nobody writes while the tables are checked, emptied and loaded (SQLite holds BEGIN IMMEDIATE already).
        names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
        conn.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _empty_tables(conn: Connection, tables: list[Table], deferred: dict[str, list[str]]) -> None:
    """Delete every row, children first; the one foreign-key cycle is broken by clearing its columns first."""
    for table in tables:
        columns = deferred.get(table.name)
        if columns:
            conn.execute(update(table).values({c: None for c in columns}))
    for table in reversed(tables):
        conn.execute(table.delete())


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """PostgreSQL: move each serial id's sequence past the restored ids so new rows get fresh ones."""
    preparer = conn.dialect.identifier_preparer
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        col = pk[0]
        # pg_get_serial_sequence parses its first argument as SQL (quoted) and takes the column literally;
        # it is NULL for a column without a sequence, and setval(NULL, ...) does nothing.
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:t, :c), COALESCE(MAX({preparer.quote(col.name)}), 1), "
                f"MAX({preparer.quote(col.name)}) IS NOT NULL) FROM {preparer.format_table(table)}"
            ),
            {"t": preparer.format_table(table), "c": col.name},
        )


def _validated(doc: dict[str, Any], tables: list[Table]) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table decoded and checked, before anything is written (BackupError at the first fault)."""
    return {
        t.name: list(_decoded_rows(t, doc["tables"][t.name]["columns"], doc["tables"][t.name]["rows"])) for t in tables
    }


def restore(db: Database, *, actor_id: Actor, data: bytes, replace: bool = False) -> dict[str, int]:
    """Load a backup in one transaction; returns rows per table.

    By default the database must be EMPTY (moving recdraft to a new server: nothing can be overwritten).
    With ``replace`` every row now in the database is deleted and the backup's rows take their place,
    still in the same transaction: a backup that is refused or fails half-way leaves everything as it
    was. After a replacement every sign-in session is ended (everyone signs in again, as the backup's
    accounts) and one audit row records who replaced the data (by name: ids now follow the backup).

    Raises PermissionDenied (not a system administrator / command line) and BackupError (target not
    empty without ``replace``, not a recdraft backup, newer format version, schema mismatch, damaged data).
    """
    tables = _tables()
    deferred = _deferred_columns(tables)
    counts: dict[str, int] = {}
    with db.write() as session:
        _require_restorer(session, actor_id)
        by = None if isinstance(actor_id, _System) else session.get(User, actor_id)
        replaced_by = "cli" if by is None else f"{by.display_name} ({by.username})"
        conn = session.connection()
        _check_database_tables(conn, tables)
        if replace:
            # Read and check the whole file before anything is deleted.
            doc = _parse(data)
            _check_schema(doc, tables)
            decoded = _validated(doc, tables)
            _lock(conn, tables, db.dialect)
            _empty_tables(conn, tables, deferred)
        else:
            _lock_and_check_empty(conn, tables, db.dialect)
            doc = _parse(data)
            _check_schema(doc, tables)
            decoded = _validated(doc, tables)
        later: list[tuple[Table, list[str], list[dict[str, Any]]]] = []
        try:
            for table in tables:
                postponed = deferred.get(table.name, [])
                pk = [c.name for c in table.primary_key.columns]
                fixups: list[dict[str, Any]] = []
                count = 0
                for chunk in _chunks(decoded[table.name], CHUNK):
                    for row in chunk:
                        if postponed and any(row[c] is not None for c in postponed):
                            fixups.append({**{f"_pk_{c}": row[c] for c in pk}, **{c: row[c] for c in postponed}})
                            for c in postponed:
                                row[c] = None
                    conn.execute(table.insert(), chunk)
                    count += len(chunk)
                counts[table.name] = count
                if fixups:
                    later.append((table, pk, fixups))
            for table, pk, fixups in later:
                stmt = (
                    update(table)
                    .where(*(table.c[c] == bindparam(f"_pk_{c}") for c in pk))
                    .values({c: bindparam(c) for c in deferred[table.name]})
                )
                for chunk in _chunks(fixups, CHUNK):
                    conn.execute(stmt, chunk)
        except (IntegrityError, DataError) as exc:
            detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise BackupError("svc.backup.inconsistent", detail=detail) from None
        if db.dialect == "postgresql":
            _reset_sequences(conn, tables)
        _outbox_not_resent(conn)
        if replace:
            session.execute(update(SignInSession).where(SignInSession.ended_at.is_(None)).values(ended_at=utcnow()))
            audit(
                session,
                actor_id=None,
                action="backup.restore",
                object_type="database",
                object_id=None,
                details={"replaced": True, "by": replaced_by, "rows": sum(counts.values())},
            )
    return counts


def _outbox_not_resent(conn: Any) -> None:
    """Mail still waiting in a backup is not sent from the restored database: it would reach people again
    (going back to last night's backup) or late (moving servers), and an invitation's link in it may be
    reissued since. Those rows stay, marked dropped, as a record of what was not sent."""
    from recdraft.db.mail_models import OutboxMessage

    conn.execute(
        update(cast(Table, OutboxMessage.__table__))
        .where(OutboxMessage.__table__.c.status.in_(("queued", "sending", "digest")))
        .values(status="dropped", claim=None, last_error="restored from a backup: not sent again")
    )


def restore_from_file(db: Database, *, actor_id: Actor, path: str | Path, replace: bool = False) -> dict[str, int]:
    """Restore the backup file at ``path`` (see ``restore``)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BackupError("svc.backup.cannot_read_file", path=path, exc=exc.strerror or exc) from None
    return restore(db, actor_id=actor_id, data=data, replace=replace)


__all__ = ["FORMAT", "VERSION", "backup", "backup_to_file", "restore", "restore_from_file", "schema_fingerprint"]
