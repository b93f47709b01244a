"""Translations of recommendations (issue 10, item 7): append-only, beside the revisions they translate.

A translation is not a revision: it renders the voted wording in another language and never changes it, so
no vote goes stale and an adopted text stays frozen while it is translated (``recdraft.domain.translations``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow


class Translation(Base):
    """One saved translation of some fields of a recommendation into ``lang``. Never updated or deleted: a
    newer row for the same language and field supersedes an older one."""

    __tablename__ = "translations"
    __table_args__ = (Index("ix_translations_recommendation_lang", "recommendation_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"))
    lang: Mapped[str] = mapped_column(String(2))
    source_lang: Mapped[str] = mapped_column(String(2))
    # The revision that was current when the translation was made: the one it translates.
    source_revision_id: Mapped[int] = mapped_column(ForeignKey("revisions.id"))
    # field → translated text (only the fields this translation covers).
    content: Mapped[dict[str, Any]]
    # field → the source's words at that moment: a later change of them makes the translation outdated.
    source_texts: Mapped[dict[str, Any]]
    translator_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
