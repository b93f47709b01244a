"""Review variant: published comments as real Word comments anchored in the text.

Threads and status travel in ``word/commentsExtended.xml`` (Word 2013+): each reply names its
parent's paragraph (``w15:paraIdParent``) and a resolved comment is ``w15:done="1"``. The ids are
the ``w14:paraId`` of each comment's last paragraph. Authors arrive as printable labels: a person
who withheld their name is "Participant N" there and in the initials.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from lxml import etree

from recdraft.export._context import Ctx
from recdraft.export._ooxml import W_NS, clean, w

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


W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
COMMENTS_EXTENDED_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
COMMENTS_EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


def _para_id(index: int) -> str:
    """A unique 8-hex-digit paragraph id below 0x80000000, as Word requires (no other paragraph has one)."""
    return f"{0x1C000000 + index + 1:08X}"


def add_comments(ctx: Ctx, document: Document) -> None:
    """One Word comment per published comment: on the quoted passage if found, else the heading.

    A reply sits on its parent's passage and is linked to it in ``commentsExtended.xml``.
    """
    from docx.text.run import Run

    placed: dict[int, tuple[str, bool, int | None]] = {}  # index -> (paraId, done, parent index)
    anchors: dict[int, tuple] = {}
    for index, comment in enumerate(ctx.data.comments):
        parent = comment.parent if comment.parent is not None and comment.parent in placed else None
        anchor: tuple[Any, ...] | None
        if parent is not None:  # a reply sits where its parent sits, so Word shows them as one thread
            anchor = anchors[parent]
        else:
            anchor = ctx.comment_anchors.get(index) or ctx.heading_runs.get(comment.recommendation_number)
        if anchor is None:
            ctx.warnings.append(
                f"A comment by {clean(comment.author, single_line=True)!r} refers to recommendation "
                f"{comment.recommendation_number}, which is not in the memo; it was left out."
            )
            continue
        text = clean(comment.text)
        if parent is None and index not in ctx.comment_anchors and comment.quote and clean(comment.quote).strip():
            # The passage was not found (edited since, or spans paragraphs): quote it in the comment.
            text = f"«{clean(comment.quote, single_line=True)}»\n{text}"
        author = clean(comment.author, single_line=True) or "—"
        first, last = anchor
        word_comment = document.add_comment(
            [Run(first, document), Run(last, document)], text=text, author=author, initials=_initials(author)
        )
        published = comment.published_at
        if published.tzinfo is None:
            published = published.replace(tzinfo=dt.UTC)
        # python-docx stamps "now"; the memo shows when the comment was published.
        word_comment._comment_elm.date = published.astimezone(dt.UTC).replace(microsecond=0)
        para_id = _para_id(index)
        word_comment._comment_elm.findall(w("p"))[-1].set(f"{{{W14_NS}}}paraId", para_id)
        placed[index] = (para_id, comment.resolved, parent)
        anchors[index] = anchor
    if placed:
        _comments_extended(document, placed)


def _comments_extended(document: Document, placed: dict[int, tuple[str, bool, int | None]]) -> None:
    """Write ``word/commentsExtended.xml`` with its content type and relationship."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    comments_root = _comments_root(document)
    if comments_root is not None and comments_root.get(f"{{{MC_NS}}}Ignorable") is None:
        comments_root.set(f"{{{MC_NS}}}Ignorable", "w14")
    root = etree.Element(f"{{{W15_NS}}}commentsEx", nsmap={"w15": W15_NS, "mc": MC_NS, "w": W_NS})
    for para_id, done, parent in placed.values():
        ex = etree.SubElement(root, f"{{{W15_NS}}}commentEx")
        ex.set(f"{{{W15_NS}}}paraId", para_id)
        if parent is not None:
            ex.set(f"{{{W15_NS}}}paraIdParent", placed[parent][0])
        ex.set(f"{{{W15_NS}}}done", "1" if done else "0")
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI("/word/commentsExtended.xml"), COMMENTS_EXTENDED_TYPE, blob, document.part.package)
    document.part.relate_to(part, COMMENTS_EXTENDED_REL)


def _comments_root(document: Document) -> etree._Element | None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    for rel in document.part.rels.values():
        if rel.reltype == RT.COMMENTS and not rel.is_external:
            return rel.target_part.element
    return None
