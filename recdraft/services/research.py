"""Data for researchers: a roundtable's recommendations, revisions, published comments and votes in one ZIP.

Each table is there twice, as CSV (UTF-8 with a byte-order mark, for Excel) and as a sheet of one XLSX
workbook, with ``data_dictionary.csv`` describing every column of every table (in en, ru, kk).

Anonymity and consent are those of the memo, with nothing weaker:
- a person who withheld their name (``Membership.consent_named`` False) is "Participant N", the same N the
  memo prints (``memo.names_for_export``), in every table;
- an anonymous round's votes carry the round's own "Voter N" pseudonyms (ordered by the round's secret key,
  as in the vote CSV), no organisation and no times, so a row cannot be matched with a person;
- comments are the published ones only; moderators' decisions and hidden text are not exported.
Every text cell goes through ``domain.csvsafe.neutralise`` (CSV and XLSX alike), and XLSX cells are stored
as strings, so no cell is ever a live formula.

Who may export: the roundtable's moderators and administrators (and system administrators, and the
operator at the command line) — the people who may already export the votes and comments one by one.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Comment, Membership, Recommendation, Revision, Roundtable
from recdraft.db.voting_models import Recusal, Vote, VotingRound
from recdraft.domain.csvsafe import neutralise
from recdraft.domain.policy import Action
from recdraft.domain.revisions import note_text
from recdraft.domain.statuses import CommentStatus
from recdraft.errors import InvalidInput
from recdraft.i18n import LANGS
from recdraft.schemas.content import FIELDS
from recdraft.services._base import Actor, _System, actor_ref, audit
from recdraft.services.roundtables import require_to_read

# table → [(column, type, {lang: description})]; the order is the order of the columns in the files.
Column = tuple[str, str, dict[str, str]]


def _d(en: str, ru: str, kk: str) -> dict[str, str]:
    return {"en": en, "ru": ru, "kk": kk}


_REC_NO = (
    "recommendation",
    "integer",
    _d(
        "Number of the recommendation in the roundtable",
        "Номер рекомендации в круглом столе",
        "Дөңгелек үстелдегі ұсынымның нөмірі",
    ),
)
_LANG = (
    "language",
    "text",
    _d("Language of the text: kk, ru or en", "Язык текста: kk, ru или en", "Мәтіннің тілі: kk, ru немесе en"),
)
_CONTENT: list[Column] = [
    ("title", "text", _d("Title", "Заголовок", "Тақырыбы")),
    ("text", "text", _d("Text of the recommendation", "Текст рекомендации", "Ұсынымның мәтіні")),
    ("rationale", "text", _d("Rationale", "Обоснование", "Негіздемесі")),
    ("legal_basis", "text", _d("Legal basis", "Правовое основание", "Құқықтық негізі")),
    ("responsible_body", "text", _d("Responsible body", "Ответственный орган", "Жауапты орган")),
]
_PERSON = _d(
    'Display name of a person who agreed to be named, otherwise the same "Participant N" as in the memo',
    "Имя человека, согласившегося быть названным, иначе тот же «Участник N», что и в записке",
    "Аты аталуына келіскен адамның аты, әйтпесе жазбадағыдай «N-қатысушы»",
)

TABLES: dict[str, list[Column]] = {
    "recommendations": [
        _REC_NO,
        ("position", "integer", _d("Position in the memo's order", "Место в порядке записки", "Жазбадағы реті")),
        (
            "status",
            "text",
            _d(
                "Status now (draft, discussion, adopted, rejected, withdrawn, merged)",
                "Текущий статус (draft, discussion, adopted, rejected, withdrawn, merged)",
                "Қазіргі мәртебесі (draft, discussion, adopted, rejected, withdrawn, merged)",
            ),
        ),
        (
            "priority",
            "text",
            _d(
                "Priority: high, medium or low", "Приоритет: high, medium или low", "Басымдығы: high, medium немесе low"
            ),
        ),
        ("topic", "text", _d("Topic", "Тема", "Тақырып")),
        ("author", "text", _PERSON),
        (
            "created_at",
            "datetime",
            _d("When it was created (UTC, ISO 8601)", "Когда создана (UTC, ISO 8601)", "Қашан құрылды (UTC, ISO 8601)"),
        ),
        (
            "current_revision",
            "integer",
            _d("Number of the current revision", "Номер текущей редакции", "Ағымдағы редакцияның нөмірі"),
        ),
        _LANG,
        *_CONTENT,
    ],
    "revisions": [
        _REC_NO,
        (
            "revision",
            "integer",
            _d(
                "Number of the revision within the recommendation",
                "Номер редакции внутри рекомендации",
                "Ұсыным ішіндегі редакцияның нөмірі",
            ),
        ),
        (
            "kind",
            "text",
            _d(
                "How it was made: create, edit, restore, amendment, merge",
                "Как создана: create, edit, restore, amendment, merge",
                "Қалай жасалды: create, edit, restore, amendment, merge",
            ),
        ),
        ("author", "text", _PERSON),
        (
            "created_at",
            "datetime",
            _d(
                "When it was saved (UTC, ISO 8601)", "Когда сохранена (UTC, ISO 8601)", "Қашан сақталды (UTC, ISO 8601)"
            ),
        ),
        (
            "note",
            "text",
            _d("The author's note on the revision", "Примечание автора к редакции", "Автордың редакцияға ескертпесі"),
        ),
        _LANG,
        *_CONTENT,
    ],
    "comments": [
        (
            "comment",
            "integer",
            _d("Number of the comment in this file", "Номер комментария в этом файле", "Осы файлдағы пікірдің нөмірі"),
        ),
        _REC_NO,
        (
            "reply_to",
            "integer",
            _d(
                "Number of the comment it answers (empty: not a reply)",
                "Номер комментария, на который это ответ (пусто — не ответ)",
                "Жауап берілген пікірдің нөмірі (бос — жауап емес)",
            ),
        ),
        ("author", "text", _PERSON),
        (
            "created_at",
            "datetime",
            _d(
                "When it was posted (UTC, ISO 8601)",
                "Когда опубликован (UTC, ISO 8601)",
                "Қашан жарияланды (UTC, ISO 8601)",
            ),
        ),
        (
            "body",
            "text",
            _d(
                "Text of the comment (published comments only)",
                "Текст комментария (только опубликованные)",
                "Пікір мәтіні (тек жарияланғандары)",
            ),
        ),
        (
            "quote",
            "text",
            _d(
                "Passage of the recommendation it quotes",
                "Цитируемый фрагмент рекомендации",
                "Ұсынымнан келтірілген үзінді",
            ),
        ),
        (
            "resolution",
            "text",
            _d("addressed, declined or empty", "addressed, declined или пусто", "addressed, declined немесе бос"),
        ),
        (
            "resolution_reason",
            "text",
            _d(
                "Why it was declined or how it was addressed",
                "Почему отклонён или как учтён",
                "Неге қабылданбады немесе қалай ескерілді",
            ),
        ),
    ],
    "votes": [
        ("round", "integer", _d("Number of the voting round", "Номер тура голосования", "Дауыс беру турының нөмірі")),
        (
            "anonymous",
            "text",
            _d(
                'yes: an anonymous round (voters are "Voter N" of that round only)',
                "yes — анонимный тур (голосующие — «Voter N» только этого тура)",
                "yes — жасырын тур (дауыс берушілер тек осы турдың «Voter N»)",
            ),
        ),
        _REC_NO,
        (
            "voter",
            "text",
            _d(
                'As for authors; in an anonymous round "Voter N", numbered per round',
                "Как у авторов; в анонимном туре — «Voter N» с нумерацией по туру",
                "Авторлардағыдай; жасырын турда — турға бөлек нөмірленген «Voter N»",
            ),
        ),
        (
            "organisation",
            "text",
            _d(
                "The voter's organisation (empty in anonymous rounds)",
                "Организация голосующего (пусто в анонимных турах)",
                "Дауыс берушінің ұйымы (жасырын турларда бос)",
            ),
        ),
        (
            "choice",
            "text",
            _d(
                "agree, disagree, abstain, block, or empty (a rating only, or recused)",
                "agree, disagree, abstain, block или пусто (только оценка или самоотвод)",
                "agree, disagree, abstain, block немесе бос (тек баға немесе бас тарту)",
            ),
        ),
        (
            "rating",
            "integer",
            _d("Rating 1-9 in Delphi rounds", "Оценка 1-9 в турах Дельфи", "Дельфи турларындағы 1-9 баға"),
        ),
        (
            "reason",
            "text",
            _d("The reason the voter gave", "Причина, указанная голосующим", "Дауыс берушінің көрсеткен себебі"),
        ),
        (
            "revision_voted",
            "integer",
            _d("Revision the vote was cast on", "Редакция, за которую подан голос", "Дауыс берілген редакция"),
        ),
        (
            "recused",
            "text",
            _d(
                "yes: the voter recused themselves",
                "yes — голосующий взял самоотвод",
                "yes — дауыс беруші өзін шеттетті",
            ),
        ),
        (
            "cast_at",
            "datetime",
            _d(
                "When the vote was last changed (empty in anonymous rounds)",
                "Когда голос последний раз изменён (пусто в анонимных турах)",
                "Дауыс соңғы рет қашан өзгертілді (жасырын турларда бос)",
            ),
        ),
    ],
}
DICTIONARY_COLUMNS = ("file", "column", "type", "description_en", "description_ru", "description_kk")
README = """Data for researchers: {title}

Files: recommendations.csv, revisions.csv, comments.csv, votes.csv (UTF-8), the same tables as sheets of
research.xlsx, and data_dictionary.csv, which describes every column of every table.
People who did not agree to be named appear as "Participant N", as in the memo. Anonymous voting rounds
give only "Voter N" pseudonyms of that round. Only published comments are included. Cells that a
spreadsheet could read as a formula start with an apostrophe.
"""


@dataclass(frozen=True)
class ResearchExport:
    filename: str
    content: bytes
    rows: dict[str, int]
    media_type: str = "application/zip"


def _iso(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value is not None else ""


def _rows(s: Session, rt: Roundtable, lang: str) -> dict[str, list[list[Any]]]:
    from recdraft.services.memo import (
        names_for_export,  # memo imports the services this one sits beside
    )
    from recdraft.services.voting._common import rules_of
    from recdraft.services.voting.csv import pseudonyms

    name_of = names_for_export(s, rt.id, lang)
    recs = list(
        s.scalars(select(Recommendation).where(Recommendation.roundtable_id == rt.id).order_by(Recommendation.number))
    )
    number = {r.id: r.number for r in recs}
    revisions = (
        list(
            s.scalars(
                select(Revision)
                .where(Revision.recommendation_id.in_(list(number)))
                .order_by(Revision.recommendation_id, Revision.number)
            )
        )
        if recs
        else []
    )
    rev_number: dict[int | None, int] = {r.id: r.number for r in revisions}  # read with current_revision_id
    out: dict[str, list[list[Any]]] = {name: [] for name in TABLES}

    def content_cells(content: dict[str, Any]) -> list[list[Any]]:
        return [[code, *[(content.get(code) or {}).get(f, "") for f in FIELDS]] for code in content]

    for r in recs:
        current = next((v for v in revisions if v.id == r.current_revision_id), None)
        for cells in content_cells(current.content if current else {}):
            out["recommendations"].append(
                [
                    r.number,
                    r.position,
                    r.status,
                    r.priority,
                    r.topic,
                    name_of(r.created_by),
                    _iso(r.created_at),
                    rev_number.get(r.current_revision_id),
                    *cells,
                ]
            )
    for v in revisions:
        for cells in content_cells(v.content):
            out["revisions"].append(
                [
                    number[v.recommendation_id],
                    v.number,
                    v.kind,
                    name_of(v.author_id),
                    _iso(v.created_at),
                    note_text(v.note, "en"),
                    *cells,
                ]
            )

    comments = (
        list(
            s.scalars(
                select(Comment)
                .where(Comment.recommendation_id.in_(list(number)), Comment.status == CommentStatus.PUBLISHED.value)
                .order_by(Comment.created_at, Comment.id)
            )
        )
        if recs
        else []
    )
    local = {c.id: n for n, c in enumerate(comments, start=1)}
    for c in comments:
        reply_to = local.get(c.parent_id) if c.parent_id else None
        out["comments"].append(
            [
                local[c.id],
                number[c.recommendation_id],
                reply_to,
                name_of(c.author_id),
                _iso(c.created_at),
                c.body,
                c.quote,
                c.resolution or "",
                c.resolution_reason,
            ]
        )

    memberships = {m.user_id: m for m in s.scalars(select(Membership).where(Membership.roundtable_id == rt.id))}
    for rnd in list(
        s.scalars(select(VotingRound).where(VotingRound.roundtable_id == rt.id).order_by(VotingRound.number))
    ):
        anonymous = rules_of(rnd).anonymous
        votes = list(s.scalars(select(Vote).where(Vote.round_id == rnd.id)))
        recusals = list(s.scalars(select(Recusal).where(Recusal.round_id == rnd.id, Recusal.withdrawn_at.is_(None))))
        voters = {v.voter_id for v in votes} | {r.voter_id for r in recusals}
        pseudonym = pseudonyms(rnd.pseudonym_key, voters) if anonymous else {}
        voted_revs = (
            dict(
                s.execute(select(Revision.id, Revision.number).where(Revision.id.in_({v.revision_id for v in votes})))
                .tuples()
                .all()
            )
            if votes
            else {}
        )

        def who(uid: int) -> tuple[str, str]:
            if anonymous:  # noqa: B023 - called for this round's votes only, inside the loop
                return pseudonym[uid], ""  # noqa: B023
            m = memberships.get(uid)
            return name_of(uid), (m.organisation if m else "")

        rows: list[list[Any]] = []
        for vote in votes:
            voter, org = who(vote.voter_id)
            rows.append(
                [
                    rnd.number,
                    "yes" if anonymous else "no",
                    number.get(vote.recommendation_id),
                    voter,
                    org,
                    vote.choice or "",
                    vote.rating,
                    vote.reason or "",
                    voted_revs.get(vote.revision_id),
                    "no",
                    "" if anonymous else _iso(vote.updated_at),
                ]
            )
        for recusal in recusals:
            voter, org = who(recusal.voter_id)
            rows.append(
                [
                    rnd.number,
                    "yes" if anonymous else "no",
                    number.get(recusal.recommendation_id),
                    voter,
                    org,
                    "",
                    None,
                    recusal.reason or "",
                    None,
                    "yes",
                    "" if anonymous else _iso(recusal.recused_at),
                ]
            )
        # Sorted by what the file shows, never by database ids or times (they would undo the pseudonyms).
        rows.sort(key=lambda row: (row[2] or 0, int(row[3].split()[-1]) if anonymous else 0, str(row[3]).casefold()))
        out["votes"].extend(rows)
    return out


def _csv(columns: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if cell is None else cell if isinstance(cell, int) else neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(tables: dict[str, tuple[list[str], list[list[Any]]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (columns, rows) in tables.items():
        sheet = book.create_sheet(name)
        sheet.append(columns)
        for row in rows:
            sheet.append([cell if cell is None or isinstance(cell, int) else neutralise(cell) for cell in row])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dictionary_rows() -> list[list[str]]:
    """``data_dictionary.csv``: one row per column of every table."""
    return [
        [f"{table}.csv", column, kind, text["en"], text["ru"], text["kk"]]
        for table, columns in TABLES.items()
        for column, kind, text in columns
    ]


def export_research(db: Database, *, actor_id: Actor, roundtable_id: int, lang: str = "en") -> ResearchExport:
    """The roundtable's data for researchers as one ZIP (moderators, admins, the command line).

    ``lang`` is the language of the "Participant N" labels. Raises PermissionDenied, NotFound, InvalidInput.
    """
    if lang not in LANGS:
        raise InvalidInput("svc.friction.lang", field="lang")
    with db.write() as s:
        # Research data is read in every phase (an archived roundtable is the usual source).
        rt = require_to_read(
            s, actor_id, Action.MODERATE, roundtable_id, refusal="svc.friction.research_denied"
        ).roundtable
        data = _rows(s, rt, lang)
        tables = {name: ([c[0] for c in TABLES[name]], data[name]) for name in TABLES}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            titles = rt.title or {}
            title = titles.get(lang) or titles.get("en") or next(iter(titles.values()), "")
            zf.writestr("README.txt", README.format(title=title))
            for name, (columns, rows) in tables.items():
                zf.writestr(f"{name}.csv", _csv(columns, rows))
            zf.writestr("research.xlsx", _xlsx(tables))
            zf.writestr("data_dictionary.csv", _csv(list(DICTIONARY_COLUMNS), dictionary_rows()))
        counts = {name: len(rows) for name, (_, rows) in tables.items()}
        via = {"via": "cli"} if isinstance(actor_id, _System) else {}
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=rt.id,
            action="research.export",
            object_type="roundtable",
            object_id=rt.id,
            visibility="staff",
            details={"rows": counts, "lang": lang, **via},
        )
        return ResearchExport(filename=f"recdraft-research-{rt.id}-{lang}.zip", content=buffer.getvalue(), rows=counts)
