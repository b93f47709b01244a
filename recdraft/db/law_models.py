"""The draft law a roundtable works on (issue 16, item 2): its versions, each in the languages it exists in,
and the articles of each with their stable anchors (``recdraft.importing.law``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow


class DraftLaw(Base):
    """The bill of one roundtable; versions are loaded over time (the latest is the base text shown)."""

    __tablename__ = "draft_laws"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(ForeignKey("roundtables.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DraftLawVersion(Base):
    """One version of the bill. ``changes``: what became of each article since the previous version
    (``importing.law.ArticleChange`` as JSON), empty for the first."""

    __tablename__ = "draft_law_versions"
    __table_args__ = (UniqueConstraint("law_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_id: Mapped[int] = mapped_column(ForeignKey("draft_laws.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    loaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)


class DraftLawText(Base):
    """A version in one language: the file it was read from and the law's title."""

    __tablename__ = "draft_law_texts"
    __table_args__ = (UniqueConstraint("version_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_law_versions.id"), index=True)
    language: Mapped[str] = mapped_column(String(2))
    file_name: Mapped[str] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")


class DraftLawArticle(Base):
    """An article of one language text, in order; ``anchor`` names it across languages and versions.
    ``paragraphs``: [{"number", "text", "anchor", "subparagraphs": [{"number", "text", "anchor"}]}]."""

    __tablename__ = "draft_law_articles"
    __table_args__ = (UniqueConstraint("text_id", "anchor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("draft_law_texts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    anchor: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(16))
    chapter: Mapped[str] = mapped_column(String(16), default="")
    chapter_title: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    paragraphs: Mapped[list[Any]] = mapped_column(JSON, default=list)
