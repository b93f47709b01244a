"""Comment threads (issues 15 and 18): an edit that waits for a moderator while the approved text stays shown."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from recdraft.db.models import Base, utcnow


class CommentPendingEdit(Base):
    """The text an author gave a published comment in a pre-moderation roundtable, not yet approved.

    Why a row of its own: until a moderator approves it everyone else keeps reading the approved text
    (``comments.body``), so the comment neither vanishes nor shows unapproved words. One per comment: a
    second edit before the decision replaces the first. Approving moves the text into the comment (the
    approved text goes to ``comment_edits`` as usual); rejecting deletes the row.
    """

    __tablename__ = "comment_pending_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), unique=True)
    body: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
