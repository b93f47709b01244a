"""Review variant: published comments as real Word comments anchored in the text."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from recdraft.export._context import Ctx
from recdraft.export._ooxml import clean

if TYPE_CHECKING:
    from docx.document import Document


def quotes_by_recommendation(ctx: Ctx) -> dict[int, dict[int, str]]:
    """Quoted passages to look for while writing each recommendation: number -> {comment index: quote}."""
    out: dict[int, dict[int, str]] = {}
    if ctx.variant != "review":
        return out
    for index, comment in enumerate(ctx.data.comments):
        if comment.quote and clean(comment.quote).strip():
            out.setdefault(comment.recommendation_number, {})[index] = comment.quote
    return out


def _initials(author: str) -> str:
    return "".join(part[0] for part in author.split()[:3]).upper()


def add_comments(ctx: Ctx, document: Document) -> None:
    """One Word comment per published comment: on the quoted passage if found, else the heading."""
    from docx.text.run import Run

    for index, comment in enumerate(ctx.data.comments):
        anchor = ctx.comment_anchors.get(index) or ctx.heading_runs.get(comment.recommendation_number)
        if anchor is None:
            ctx.warnings.append(
                f"A comment by {clean(comment.author, single_line=True)!r} refers to recommendation "
                f"{comment.recommendation_number}, which is not in the memo; it was left out."
            )
            continue
        text = clean(comment.text)
        if index not in ctx.comment_anchors and comment.quote and clean(comment.quote).strip():
            # The passage was not found (edited since, or spans paragraphs): quote it in the comment.
            text = f"«{clean(comment.quote, single_line=True)}»\n{text}"
        author = clean(comment.author, single_line=True) or "—"
        first, last = anchor
        word_comment = document.add_comment(
            [Run(first, document), Run(last, document)], text=text, author=author, initials=_initials(author)
        )
        published = comment.published_at
        if published.tzinfo is None:
            published = published.replace(tzinfo=dt.timezone.utc)
        # python-docx stamps "now"; the memo shows when the comment was published.
        word_comment._comment_elm.date = published.astimezone(dt.timezone.utc).replace(microsecond=0)
