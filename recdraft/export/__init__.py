"""Memo rendering: ``MemoData`` + a Word template -> .docx bytes. No database imports here.

Public API::

    render_memo(data, *, lang, variant, template=None, progress=None) -> RenderResult
    RenderResult(content: bytes, warnings: list[str])
    MissingStyleError  (a RecdraftError) — the template lacks a named style; the message names it
    DEFAULT_TEMPLATE   — templates/memo.docx

Importing this package is cheap: python-docx, lxml and pydantic load on the first render.
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from recdraft.export._errors import MissingStyleError
from recdraft.export._result import RenderResult

if TYPE_CHECKING:
    from recdraft.schemas.memo import MemoData

__all__ = ["DEFAULT_TEMPLATE", "MissingStyleError", "RenderResult", "render_memo"]

DEFAULT_TEMPLATE = pathlib.Path(__file__).resolve().parents[2] / "templates" / "memo.docx"


def render_memo(
    data: MemoData,
    *,
    lang: Literal["en", "ru", "kk", "kk+ru"],
    variant: Literal["final", "review", "redline", "comparison"],
    template: pathlib.Path | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> RenderResult:
    """Render the memo as .docx bytes.

    ``variant``: "final" (a DRAFT mark and blocker box while ``data.is_final`` is False; the
    snapshot SHA-256 in the last annex once final), "review" (published comments as Word comments),
    "redline" (tracked changes against each recommendation's earlier version) or "comparison"
    (earlier | proposed | justification | consensus table). ``lang`` "kk+ru" sets Kazakh and
    Russian side by side. ``progress(fraction, message)`` is called as the work advances.

    Raises MissingStyleError when the template lacks a style the renderer relies on, and
    ValueError for an unknown ``lang`` or ``variant``. Texts missing in ``lang`` are rendered from
    another language and listed in ``RenderResult.warnings``.
    """
    from recdraft.export._render import render

    return render(data, lang=lang, variant=variant, template=template, progress=progress)
