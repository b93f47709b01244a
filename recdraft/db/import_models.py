"""Documents imported into a roundtable (issue 16): which file, once, and which recommendation came from
which of its items (the provenance shown in a recommendation's history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow


class DocumentImport(Base):
    """One file imported into one roundtable. ``content_hash`` (SHA-256 of the document's text, see
    ``importing.content_hash``) is unique per roundtable: the same file imported again creates nothing."""

    __tablename__ = "document_imports"
    __table_args__ = (UniqueConstraint("roundtable_id", "content_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2))
    item_count: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)


class ImportedItem(Base):
    """A recommendation created by an import, and the item numbers in the file it was made from."""

    __tablename__ = "imported_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("document_imports.id"), index=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"), unique=True)
    source_items: Mapped[list[Any]] = mapped_column(JSON)
