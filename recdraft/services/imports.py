"""Importing a document of draft recommendations (issue 16): read a file into a preview, import a
confirmed preview as first drafts.

Who: whoever may draft recommendations (``Action.DRAFT``: admins, moderators and experts, in the phases
that allow drafting); the guard is ``require``, checked again when the preview is imported.

``read_file`` reads the file (``recdraft.importing``: nothing is stored) and says in the preview when the
same file was imported already. ``import_preview`` creates every item that is not skipped as a draft
recommendation, numbered after the existing ones, in ONE transaction with one audit row; each keeps its
provenance ("imported from FILE, item N": the revision's note in the document's language, and an
``imported_items`` row). The same file (the SHA-256 of its text) is imported once per roundtable: a second import
changes nothing and says when the first one was made. "The same file" is the same text: the hash is of
the paragraphs read, so saving the memo again (new bytes, same words) does not make it a new file.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.import_models import DocumentImport, ImportedItem
from recdraft.db.models import Recommendation, Roundtable, User, utcnow
from recdraft.domain import policy
from recdraft.domain.policy import Action
from recdraft.domain.roles import Role
from recdraft.domain.statuses import Priority, RecStatus
from recdraft.errors import InvalidInput, Msg
from recdraft.i18n import LANGS, t
from recdraft.importing import LANGUAGE_NAMES, read_document
from recdraft.importing.preview import ImportPreview, PreviewItem
from recdraft.schemas.common import parse
from recdraft.schemas.content import content_to_json
from recdraft.services._base import (
    Actor,
    actor,
    actor_ref,
    audit,
    get,
    member_role,
    moderators_vote,
    require,
)
from recdraft.services.recommendations import RecommendationInput, add_revision

FILE_NAME_LIMIT = 200


class ImportView(BaseModel):
    """A file imported earlier: when, by whom, and the numbers of the recommendations it made."""

    model_config = ConfigDict(frozen=True)

    id: int
    file_name: str
    language: str
    imported_at: datetime
    imported_by_name: str
    numbers: list[int]


class ImportPageView(BaseModel):
    """What the import page needs: what the viewer may do, the roundtable's languages, earlier imports."""

    model_config = ConfigDict(frozen=True)

    actions: frozenset[Action]
    languages: list[str]
    imports: list[ImportView]


class ImportResult(BaseModel):
    """What an import made: the import's id and the new recommendations' ids and numbers, in order."""

    model_config = ConfigDict(frozen=True)

    import_id: int
    file_name: str
    recommendation_ids: list[int]
    numbers: list[int]


def _file_name(name: str) -> str:
    name = " ".join((name or "").replace("/", " ").replace("\\", " ").split()) or "document"
    return name if len(name) <= FILE_NAME_LIMIT else name[: FILE_NAME_LIMIT - 1] + "…"


def _views(s: Session, roundtable_id: int) -> list[ImportView]:
    rows = s.execute(
        select(DocumentImport, User.display_name)
        .outerjoin(User, User.id == DocumentImport.imported_by)
        .where(DocumentImport.roundtable_id == roundtable_id)
        .order_by(DocumentImport.id)
    ).all()
    numbers: dict[int, list[int]] = {}
    for import_id, number in s.execute(
        select(ImportedItem.import_id, Recommendation.number)
        .join(Recommendation, Recommendation.id == ImportedItem.recommendation_id)
        .join(DocumentImport, DocumentImport.id == ImportedItem.import_id)
        .where(DocumentImport.roundtable_id == roundtable_id)
        .order_by(Recommendation.number)
    ):
        numbers.setdefault(import_id, []).append(number)
    return [
        ImportView(
            id=imp.id,
            file_name=imp.file_name,
            language=imp.language,
            imported_at=imp.imported_at,
            imported_by_name=name or "",
            numbers=numbers.get(imp.id, []),
        )
        for imp, name in rows
    ]


def import_page(db: Database, *, actor_id: Actor, roundtable_id: int) -> ImportPageView:
    """The import page of a roundtable, for any member. Raises NotSignedIn, NotFound, PermissionDenied."""
    with db.read() as s:
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        role = member_role(s, actor(s, actor_id), roundtable_id) if isinstance(actor_id, int) else Role.ADMIN
        return ImportPageView(
            actions=policy.actions(role=role, phase=rt.phase, moderators_vote=moderators_vote(rt)),
            languages=list(rt.languages),
            imports=_views(s, roundtable_id),
        )


def _earlier(s: Session, roundtable_id: int, content_hash: str) -> DocumentImport | None:
    return s.scalar(
        select(DocumentImport).where(
            DocumentImport.roundtable_id == roundtable_id, DocumentImport.content_hash == content_hash
        )
    )


def _already(earlier: DocumentImport) -> Msg:
    return Msg("import.already_imported", name=earlier.file_name, date=earlier.imported_at.date().isoformat())


def read_file(db: Database, *, actor_id: Actor, roundtable_id: int, data: bytes, file_name: str) -> ImportPreview:
    """The preview of the recommendations in an uploaded file; nothing is stored. Raises InvalidInput
    (field ``file``: a file that cannot be imported, and why), NotSignedIn, NotFound, PermissionDenied."""
    with db.read() as s:
        granted = require(s, actor_id, Action.DRAFT, roundtable_id)
        languages = list(granted.roundtable.languages)
    preview = read_document(data, _file_name(file_name))
    notices = list(preview.notices)
    if preview.language not in languages:
        notices.append(Msg("import.notice.language_not_used", language=LANGUAGE_NAMES[preview.language]).to_json())
    with db.read() as s:
        earlier = _earlier(s, roundtable_id, preview.content_hash)
        if earlier is not None:
            notices.insert(0, _already(earlier).to_json())
    return preview.model_copy(update={"notices": tuple(notices)})


def _content(item: PreviewItem, language: str, position: int) -> RecommendationInput:
    fields = {name: value for name, value in item.fields().items()}
    try:
        return parse(RecommendationInput, content={language: fields}, topic=item.topic, priority=Priority.MEDIUM.value)
    except InvalidInput as exc:
        raise InvalidInput("import.item_invalid", field=exc.field, item=position, reason=exc.msg) from None


def import_preview(db: Database, *, actor_id: Actor, roundtable_id: int, preview: ImportPreview) -> ImportResult:
    """Create the preview's items (those not skipped) as draft recommendations, in one transaction with
    its audit row. Raises InvalidInput (nothing to import, an item that is not a valid recommendation, a
    language the roundtable does not use, the same file imported before), NotSignedIn, NotFound,
    PermissionDenied; in every case nothing is stored."""
    if not isinstance(preview, ImportPreview):
        raise TypeError("import_preview takes the ImportPreview that read_file returned")
    language = preview.language
    if language not in LANGS:
        raise InvalidInput("svc.friction.lang", field="language")
    items = preview.to_import()
    if not items:
        raise InvalidInput("import.nothing_to_import", field="items")
    # Every item is checked before anything is written: one bad item and the person fixes it first.
    position = {id(item): n for n, item in enumerate(preview.items, start=1)}
    checked = [(item, _content(item, language, position[id(item)])) for item in items]
    name = _file_name(preview.file_name)
    with db.write() as s:
        granted = require(s, actor_id, Action.DRAFT, roundtable_id, lock=True)
        rt = granted.roundtable
        if language not in rt.languages:
            raise InvalidInput("import.language_not_used", field="language", language=LANGUAGE_NAMES[language])
        earlier = _earlier(s, roundtable_id, preview.content_hash)
        if earlier is not None:
            raise InvalidInput(_already(earlier), field="file")
        author_id = _author(s, granted.user, rt.created_by, actor_id)
        now = utcnow()
        imp = DocumentImport(
            roundtable_id=roundtable_id,
            file_name=name,
            content_hash=preview.content_hash,
            language=language,
            item_count=len(checked),
            imported_by=actor_ref(actor_id),
            imported_at=now,
        )
        s.add(imp)
        s.flush()
        top = s.execute(
            select(func.max(Recommendation.number), func.max(Recommendation.position)).where(
                Recommendation.roundtable_id == roundtable_id
            )
        ).one()
        number, place = top[0] or 0, top[1] or 0
        ids: list[int] = []
        numbers: list[int] = []
        for item, data in checked:
            number += 1
            place += 1
            rec = Recommendation(
                roundtable_id=roundtable_id,
                number=number,
                position=place,
                topic=data.topic,
                priority=data.priority.value,
                status=RecStatus.DRAFT.value,
                created_by=author_id,
                created_at=now,
            )
            s.add(rec)
            s.flush()
            add_revision(
                s,
                rec,
                author_id=author_id,
                content=content_to_json(dict(data.content.items())),
                kind="create",
                note=provenance_note(name, item.source, language),
                base_revision_id=None,
            )
            s.add(ImportedItem(import_id=imp.id, recommendation_id=rec.id, source_items=list(item.source)))
            ids.append(rec.id)
            numbers.append(rec.number)
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=roundtable_id,
            action="recommendation.import",
            object_type="document_import",
            object_id=imp.id,
            details={
                "file": name,
                "sha256": preview.content_hash,
                "language": language,
                "numbers": numbers,
                "items": [list(item.source) for item, _ in checked],
                "skipped": len(preview.items) - len(checked),
                **({"via": "cli"} if not isinstance(actor_id, int) else {}),
            },
        )
        return ImportResult(import_id=imp.id, file_name=name, recommendation_ids=ids, numbers=numbers)


def _author(s: Session, user: User | None, creator: int | None, actor_id: Actor) -> int:
    """Who the drafts are by: the person importing (the roundtable's creator for the command line)."""
    if user is not None:
        return user.id
    if creator is None:
        raise InvalidInput("import.no_author", field="actor")
    return creator


def provenance_note(file_name: str, source: tuple[int, ...], language: str) -> str:
    """The first revision's note: "Imported from FILE, item N" in the language the document is in."""
    if len(source) == 1:
        return t("import.provenance.item", language, file=file_name, item=source[0])
    return t("import.provenance.items", language, file=file_name, items=", ".join(str(n) for n in source))


def provenance(db: Database, *, actor_id: Actor, recommendation_id: int) -> Msg | None:
    """Where a recommendation was imported from (None when it was typed in). Raises NotFound,
    PermissionDenied (not a member)."""
    with db.read() as s:
        rec = get(s, Recommendation, recommendation_id, "Recommendation")
        if isinstance(actor_id, int):
            member_role(s, actor(s, actor_id), rec.roundtable_id)
        row = s.execute(
            select(ImportedItem.source_items, DocumentImport.file_name)
            .join(DocumentImport, DocumentImport.id == ImportedItem.import_id)
            .where(ImportedItem.recommendation_id == recommendation_id)
        ).first()
        if row is None:
            return None
        source, name = row
        if len(source) == 1:
            return Msg("import.provenance.item", file=name, item=source[0])
        return Msg("import.provenance.items", file=name, items=", ".join(str(n) for n in source))
