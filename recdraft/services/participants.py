"""Participants of a roundtable: a pasted list (Excel, CSV), invitations, who has joined, removing someone.

A pasted list has one person a line, the cells separated by tabs (a paste from Excel), semicolons or commas,
with an optional header row. Columns, in this order unless a header names them: name, e-mail, organisation,
role, consent to be named, language. Roles and consent may be written in English, Russian or Kazakh.

Decisions:
- All or nothing: ``import_participants`` checks every line first and raises ``ImportRejected`` with every
  problem (line, column, message) when any line has one; nothing is written then.
- Someone whose e-mail already has an active account joins at once (their account's name and language are
  left as they are); everyone else gets an invitation carrying the role, organisation, consent and language
  from the list, applied when they accept it.
- A 10 000-line paste costs three queries (accounts with those e-mails, the roundtable's members, its open
  invitations) and two bulk inserts; more than ``MAX_ROWS`` lines is refused with a message saying so.
- Removing a participant deletes only the membership: what they wrote stays, attributed to them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Invitation, Membership, User, utcnow
from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.domain.text import clean_text, is_blank
from recdraft.errors import InvalidInput, Msg, NotFound
from recdraft.schemas.common import LIMITS
from recdraft.schemas.views import (
    ImportResult,
    InvitationLink,
    ParticipantPreview,
    ParticipantRow,
    ParticipantView,
    RowProblem,
)
from recdraft.services import notifications
from recdraft.services._base import (
    Actor,
    actor,
    actor_ref,
    audit,
    deny_unless,
    get,
    require,
)
from recdraft.services.roundtables import lock_admins, require_to_read

MAX_ROWS = 10_000
MAX_CHARS = 5_000_000
INVITATION_DAYS = 14
COLUMNS = ("name", "email", "organisation", "role", "consent", "language")

__all__ = [
    "ImportRejected",
    "MAX_ROWS",
    "import_participants",
    "list_participants",
    "preview_participants",
    "reissue_invitation",
    "remove_participant",
    "revoke_invitation",
]


class ImportRejected(InvalidInput):
    """A pasted list with problems: nothing was imported. ``problems`` lists each (line, field, message)."""

    def __init__(self, message: Msg, /, *, problems: list[RowProblem]) -> None:
        super().__init__(message, field="text")
        self.problems = problems


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for group in groups for w in group.split("|"))


HEADER_WORDS: dict[str, frozenset[str]] = {
    "name": _words(
        "name|full name|person|participant",
        "имя|фио|ф.и.о.|ф. и. о.|участник|имя и фамилия",
        "аты|аты-жөні|аты жөні|толық аты|қатысушы",
    ),
    "email": _words(
        "email|e-mail|mail|e-mail address|email address",
        "почта|эл. почта|электронная почта|e-mail адрес",
        "пошта|эл. пошта|электрондық пошта",
    ),
    "organisation": _words("organisation|organization|org|affiliation", "организация|учреждение", "ұйым|мекеме"),
    "role": _words("role", "роль", "рөл|рөлі"),
    "consent": _words(
        "consent|consent to be named|named", "согласие|согласие на имя", "келісім|атын көрсетуге келісім"
    ),
    "language": _words("language|lang", "язык", "тіл|тілі"),
}
ROLE_WORDS: dict[str, Role] = {
    **{w: Role.ADMIN for w in _words("admin|administrator|администратор|админ|әкімші|әкімшісі")},
    **{w: Role.MODERATOR for w in _words("moderator|модератор")},
    **{w: Role.EXPERT for w in _words("expert|эксперт|сарапшы")},
    **{w: Role.OBSERVER for w in _words("observer|наблюдатель|бақылаушы")},
}
CONSENT_WORDS: dict[str, bool] = {
    **{w: True for w in _words("yes|y|true|1|+", "да|д", "иә|ия|иа")},
    **{w: False for w in _words("no|n|false|0|-", "нет|н", "жоқ")},
}
LANGUAGE_WORDS: dict[str, str] = {
    **{w: "kk" for w in _words("kk|kz|kaz|kazakh", "казахский|каз|қазақша|қазақ тілі|қазақ|қаз")},
    **{w: "ru" for w in _words("ru|rus|russian", "русский|рус|орысша|орыс тілі")},
    **{w: "en" for w in _words("en|eng|english", "английский|англ|ағылшынша|ағылшын тілі")},
}
_EMAIL = re.compile(r"^[^@\s,;<>\"']+@[^@\s,;<>\"']+\.[^@\s,;<>\"'.][^@\s,;<>\"']*$")


def _key(cell: str) -> str:
    return " ".join(cell.replace("\u00a0", " ").strip().strip("*:").split()).casefold()


@dataclass
class _Parsed:
    rows: list[dict[str, Any]]
    problems: list[RowProblem]
    header: bool


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    if ";" in first:
        return ";"
    return ","


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) for each non-empty record; quoted cells may hold the separator."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), skipinitialspace=False)
    out: list[tuple[int, list[str]]] = []
    line = 1
    for cells in reader:
        if any(c.strip() for c in cells):
            out.append((line, cells))
        line = reader.line_num + 1
    return out


def _header_map(cells: list[str]) -> dict[str, int] | None:
    """The column of each known heading when ``cells`` is a header row, else None."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        word = _key(cell)
        for column, words in HEADER_WORDS.items():
            if word in words and column not in found:
                found[column] = index
    return found if found and not any("@" in c for c in cells) else None


def _single_line(value: str) -> str:
    return clean_text(value, single_line=True, strip_bidi=True).strip()


def _parse(text: Any) -> _Parsed:
    if not isinstance(text, str):
        raise InvalidInput("svc.participants.as_text", field="text")
    if len(text) > MAX_CHARS:
        raise InvalidInput("svc.participants.too_long", limit=MAX_CHARS, field="text")
    text = text.lstrip("\ufeff")
    records = _records(text)
    if not records:
        raise InvalidInput("svc.participants.empty", field="text")
    columns = {name: i for i, name in enumerate(COLUMNS)}
    header = _header_map(records[0][1])
    problems: list[RowProblem] = []
    if header is not None:
        line, cells = records.pop(0)
        columns = header
        if "name" not in header:
            problems.append(RowProblem(line=line, field="name", message="The header has no name column."))
    if len(records) > MAX_ROWS:
        raise InvalidInput("svc.participants.too_many", limit=MAX_ROWS, count=len(records), field="text")
    rows: list[dict[str, Any]] = []
    first_line_of: dict[str, int] = {}
    read = set(columns.values())
    for line, cells in records:

        def cell(name: str) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""  # noqa: B023 - this row's

        def problem(field: str, key: str, **params: Any) -> None:
            problems.append(RowProblem.of(line, field, Msg(key, **params)))  # noqa: B023 - this row's

        extra = [c for i, c in enumerate(cells) if i not in read and c.strip()]
        if extra and header is None:
            problem("text", "svc.participants.columns", count=len(cells))
        name = _single_line(cell("name"))
        if is_blank(name):
            problem("name", "svc.participants.name_empty")
        elif len(name) > LIMITS["name"]:
            problem("name", "svc.participants.name_long", limit=LIMITS["name"])
        email = _single_line(cell("email")).lower() or None
        if email is not None:
            if len(email) > 320 or not _EMAIL.fullmatch(email):
                problem("email", "svc.participants.email_invalid", email=email)
            elif email in first_line_of:
                problem("email", "svc.participants.email_twice", email=email, line=first_line_of[email])
            else:
                first_line_of[email] = line
        organisation = _single_line(cell("organisation"))
        if len(organisation) > LIMITS["name"]:
            problem("organisation", "svc.participants.org_long", limit=LIMITS["name"])
        role_text = _key(cell("role"))
        role = ROLE_WORDS.get(role_text, Role.EXPERT if not role_text else None)
        if role is None:
            problem("role", "svc.participants.role_unknown", role=_single_line(cell("role")))
        consent_text = _key(cell("consent"))
        consent = CONSENT_WORDS.get(consent_text, False if not consent_text else None)
        if consent is None:
            problem("consent", "svc.participants.consent_unknown", value=_single_line(cell("consent")))
        language_text = _key(cell("language"))
        language = LANGUAGE_WORDS.get(language_text) if language_text else None
        if language_text and language is None:
            problem("language", "svc.participants.language_unknown", value=_single_line(cell("language")))
        rows.append(
            {
                "line": line,
                "name": name,
                "email": email,
                "organisation": organisation,
                "role": (role or Role.EXPERT).value,
                "consent_named": bool(consent),
                "language": language,
            }
        )
    return _Parsed(rows=rows, problems=problems, header=header is not None)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _reader(s: Session, actor_id: Actor, roundtable_id: int) -> None:
    """The list shows e-mails: the people who manage participants read it, in every phase."""
    require_to_read(s, actor_id, Action.CONFIGURE, roundtable_id, refusal="svc.participants.only_admins")


def _check_against_database(s: Session, roundtable_id: int, parsed: _Parsed, now: datetime) -> dict[str, int]:
    """Add the problems only the database can tell; return the account id of each e-mail that has one."""
    emails = [r["email"] for r in parsed.rows if r["email"]]
    accounts: dict[str, tuple[int, bool]] = {}
    if emails:
        accounts = {
            email: (uid, active)
            for uid, email, active in s.execute(
                select(User.id, User.email, User.is_active).where(User.email.in_(emails))
            )
        }
    members = set(s.scalars(select(Membership.user_id).where(Membership.roundtable_id == roundtable_id)))
    invited = set(
        s.scalars(
            select(Invitation.email).where(
                Invitation.roundtable_id == roundtable_id,
                Invitation.email.is_not(None),
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
        )
    )
    found: dict[str, int] = {}
    bad_email = {p.line for p in parsed.problems if p.field == "email"}
    for r in parsed.rows:
        email = r["email"]
        if not email or r["line"] in bad_email:
            continue
        account = accounts.get(email)
        if account is not None and account[0] in members:
            parsed.problems.append(
                RowProblem(
                    line=r["line"], field="email", message=f"{email} is already a participant of this roundtable."
                )
            )
        elif account is not None and not account[1]:
            parsed.problems.append(
                RowProblem(
                    line=r["line"],
                    field="email",
                    message=f"{email} belongs to a deactivated account; ask a system administrator to reactivate it.",
                )
            )
        elif email in invited:
            parsed.problems.append(
                RowProblem(
                    line=r["line"],
                    field="email",
                    message=f"{email} already has an invitation to this roundtable; "
                    "send that one again from the list instead.",
                )
            )
        elif account is not None:
            found[email] = account[0]
    parsed.problems.sort(key=lambda p: (p.line, COLUMNS.index(p.field) if p.field in COLUMNS else -1))
    return found


def _preview_rows(parsed: _Parsed, accounts: dict[str, int]) -> list[ParticipantRow]:
    return [
        ParticipantRow(**r, action="member" if r["email"] in accounts else "invite", user_id=accounts.get(r["email"]))
        for r in parsed.rows
    ]


def preview_participants(db: Database, *, actor_id: Actor, roundtable_id: int, text: str) -> ParticipantPreview:
    """What importing ``text`` would do, line by line, with every problem found; writes nothing (admins)."""
    parsed = _parse(text)
    with db.read() as s:
        _reader(s, actor_id, roundtable_id)
        accounts = _check_against_database(s, roundtable_id, parsed, utcnow())
        rows = _preview_rows(parsed, accounts)
        members = sum(r.action == "member" for r in rows)
        return ParticipantPreview(
            rows=rows, problems=parsed.problems, header=parsed.header, members=members, invitations=len(rows) - members
        )


def import_participants(
    db: Database, *, actor_id: Actor, roundtable_id: int, text: str, days: int = INVITATION_DAYS
) -> ImportResult:
    """Add everyone in ``text`` (roundtable admins): people with an account join, the others are invited.

    All lines or none. Raises ImportRejected (with ``problems``) when any line has a problem, InvalidInput
    for an empty or too long list, PermissionDenied.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 90:
        raise InvalidInput("svc.invitation_days", field="days")
    parsed = _parse(text)
    now = utcnow()
    with db.write() as s:
        require(s, actor_id, Action.CONFIGURE, roundtable_id)
        user = actor(s, actor_ref(actor_id))  # an invitation names who invited: a person, not the command line
        by = user.id
        accounts = _check_against_database(s, roundtable_id, parsed, now)
        if parsed.problems:
            count = len(parsed.problems)
            raise ImportRejected(Msg("svc.participants.rejected", count=count), problems=parsed.problems)
        joining = [r for r in parsed.rows if r["email"] in accounts]
        inviting = [r for r in parsed.rows if r["email"] not in accounts]
        if joining:
            s.execute(
                insert(Membership),
                [
                    {
                        "roundtable_id": roundtable_id,
                        "user_id": accounts[r["email"]],
                        "role": r["role"],
                        "organisation": r["organisation"],
                        "group": r["organisation"],
                        "consent_named": r["consent_named"],
                        "created_at": now,
                    }
                    for r in joining
                ],
            )
        tokens = [secrets.token_urlsafe(32) for _ in inviting]
        expires = now + timedelta(days=days)
        links: list[InvitationLink] = []
        if inviting:
            hashes = [_token_hash(token) for token in tokens]
            # One executemany (no RETURNING: SQLite would then insert row by row), then one query for the ids.
            s.execute(
                insert(Invitation),
                [
                    {
                        "roundtable_id": roundtable_id,
                        "role": r["role"],
                        "organisation": r["organisation"],
                        "email": r["email"],
                        "display_name": r["name"],
                        "token_hash": digest,
                        "created_by": by,
                        "created_at": now,
                        "expires_at": expires,
                        "consent_named": r["consent_named"],
                        "language": r["language"],
                    }
                    for r, digest in zip(inviting, hashes, strict=True)
                ],
            )
            ids = dict(
                s.execute(
                    select(Invitation.token_hash, Invitation.id).where(
                        Invitation.roundtable_id == roundtable_id,
                        Invitation.created_by == by,
                        Invitation.created_at == now,
                    )
                )
                .tuples()
                .all()
            )
            links = [
                InvitationLink(
                    id=ids[digest],
                    roundtable_id=roundtable_id,
                    display_name=r["name"],
                    email=r["email"],
                    role=r["role"],
                    token=token,
                    expires_at=expires,
                )
                for r, token, digest in zip(inviting, tokens, hashes, strict=True)
            ]
        notifications.on_invitations(
            s,
            roundtable_id=roundtable_id,
            inviter_id=by,
            invitations=links,
            languages={link.id: r["language"] for link, r in zip(links, inviting, strict=True)},
        )
        audit(
            s,
            actor_id=by,
            roundtable_id=roundtable_id,
            action="participants.import",
            object_type="roundtable",
            object_id=roundtable_id,
            details={
                "members": [accounts[r["email"]] for r in joining],
                "invitations": len(links),
                "lines": len(parsed.rows),
            },
        )
        return ImportResult(members_added=[accounts[r["email"]] for r in joining], invitations=links)


def list_participants(
    db: Database, *, actor_id: Actor, roundtable_id: int, now: datetime | None = None
) -> list[ParticipantView]:
    """Members and open invitations of the roundtable, by name (roundtable admins: it shows e-mails)."""
    now = now or utcnow()
    with db.read() as s:
        _reader(s, actor_id, roundtable_id)
        out = [
            ParticipantView(
                name=u.display_name,
                email=u.email,
                organisation=m.organisation,
                role=m.role,
                consent_named=m.consent_named,
                language=u.preferred_language,
                joined=True,
                user_id=u.id,
            )
            for m, u in s.execute(
                select(Membership, User)
                .join(User, User.id == Membership.user_id)
                .where(Membership.roundtable_id == roundtable_id)
            )
        ]
        out += [
            ParticipantView(
                name=i.display_name,
                email=i.email,
                organisation=i.organisation,
                role=i.role,
                consent_named=bool(i.consent_named),
                language=i.language,
                joined=False,
                invitation_id=i.id,
                expires_at=i.expires_at,
                expired=i.expires_at <= now,
            )
            for i in s.scalars(
                select(Invitation).where(
                    Invitation.roundtable_id == roundtable_id,
                    Invitation.used_at.is_(None),
                    Invitation.revoked_at.is_(None),
                )
            )
        ]
        return sorted(out, key=lambda p: (p.name.casefold(), p.email or "", not p.joined))


def _open_invitation(s: Session, actor_id: Actor, invitation_id: int) -> tuple[int | None, Invitation]:
    """The open invitation and who acts on it (None for the command line), for its roundtable's admins."""
    inv = get(s, Invitation, invitation_id, "Invitation", lock=True)
    require(s, actor_id, Action.CONFIGURE, inv.roundtable_id)
    if inv.used_at is not None:
        raise InvalidInput("svc.participants.invitation_used")
    if inv.revoked_at is not None:
        raise InvalidInput("svc.participants.invitation_revoked")
    return actor_ref(actor_id), inv


def reissue_invitation(
    db: Database, *, actor_id: Actor, invitation_id: int, days: int = INVITATION_DAYS
) -> InvitationLink:
    """A new link for an open invitation, valid ``days`` from now; the old link stops working (admins)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 90:
        raise InvalidInput("svc.invitation_days", field="days")
    now = utcnow()
    with db.write() as s:
        by, inv = _open_invitation(s, actor_id, invitation_id)
        token = secrets.token_urlsafe(32)
        inv.token_hash = _token_hash(token)
        inv.expires_at = now + timedelta(days=days)
        audit(
            s,
            actor_id=by,
            roundtable_id=inv.roundtable_id,
            action="invitation.reissue",
            object_type="invitation",
            object_id=inv.id,
            details={"email": inv.email},
        )
        link = InvitationLink(
            id=inv.id,
            roundtable_id=inv.roundtable_id,
            display_name=inv.display_name,
            email=inv.email,
            role=inv.role,
            token=token,
            expires_at=inv.expires_at,
        )
        notifications.on_invitations(
            s,
            roundtable_id=inv.roundtable_id,
            inviter_id=by or inv.created_by,
            invitations=[link],
            languages={inv.id: inv.language},
        )
        return link


def revoke_invitation(db: Database, *, actor_id: Actor, invitation_id: int) -> None:
    """Withdraw an open invitation: its link stops working (roundtable admins)."""
    with db.write() as s:
        by, inv = _open_invitation(s, actor_id, invitation_id)
        inv.revoked_at = utcnow()
        audit(
            s,
            actor_id=by,
            roundtable_id=inv.roundtable_id,
            action="invitation.revoke",
            object_type="invitation",
            object_id=inv.id,
            details={"email": inv.email},
        )


def remove_participant(db: Database, *, actor_id: Actor, roundtable_id: int, user_id: int) -> None:
    """Take a person out of the roundtable (roundtable admins); what they wrote stays, attributed to them.

    Raises InvalidInput (the last administrator), NotFound (not a participant), PermissionDenied.
    """
    with db.write() as s:
        require(s, actor_id, Action.CONFIGURE, roundtable_id)
        by = actor_ref(actor_id)
        admins = lock_admins(s, roundtable_id)
        if by is not None and not actor(s, by).is_system_admin:
            deny_unless(by in admins, "svc.participants.only_admins")
        m = s.scalar(
            select(Membership)
            .where(Membership.roundtable_id == roundtable_id, Membership.user_id == user_id)
            .execution_options(populate_existing=True)
            .with_for_update()
        )
        if m is None:
            raise NotFound("svc.participants.not_member")
        if m.role == Role.ADMIN and [uid for uid in admins if uid != user_id] == []:
            raise InvalidInput("svc.participants.last_admin", field="user_id")
        details = {"user_id": user_id, "role": m.role, "organisation": m.organisation}
        s.delete(m)
        audit(
            s,
            actor_id=by,
            roundtable_id=roundtable_id,
            action="membership.remove",
            object_type="membership",
            object_id=m.id,
            details=details,
        )
