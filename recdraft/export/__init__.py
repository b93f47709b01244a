"""Memo rendering: ``MemoData`` + a Word template -> .docx bytes. No database imports here.

Public API::

    render_memo(data, *, lang, variant, template=None, progress=None, toc_pages=None) -> RenderResult
    RenderResult(content: bytes, warnings: list[str])
    to_pdf(docx) -> (pdf bytes, contents page numbers)   — PDF/A-2b through LibreOffice headless
    MissingStyleError  (a RecdraftError) — the template lacks a named style; the message names it
    PdfUnavailable     (a RecdraftError) — LibreOffice could not make the PDF; the message says why
    DEFAULT_TEMPLATE   — templates/memo.docx

Importing this package is cheap: lxml loads on the first render; python-docx only for the review variant
(Word comments), pydantic and the catalogues not at all (``python -m recdraft.export`` validates
with pydantic only input it cannot prove valid itself; an error loads the catalogues).
"""

from __future__ import annotations

import pathlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from recdraft.export._result import RenderResult

if TYPE_CHECKING:
    from recdraft.export._errors import MissingStyleError, PdfUnavailable
    from recdraft.schemas.memo import MemoData

__all__ = ["DEFAULT_TEMPLATE", "MissingStyleError", "PdfUnavailable", "RenderResult", "render_memo", "to_pdf"]

DEFAULT_TEMPLATE = pathlib.Path(__file__).resolve().parents[2] / "templates" / "memo.docx"
if not DEFAULT_TEMPLATE.exists():  # installed from a wheel: setup.py bundles the template into the package
    DEFAULT_TEMPLATE = pathlib.Path(__file__).resolve().parents[1] / "_bundle" / "templates" / "memo.docx"


def __getattr__(name: str) -> object:
    """The error classes load with the catalogues, when someone needs them (not on every render)."""
    if name in ("MissingStyleError", "PdfUnavailable"):
        from recdraft.export import _errors

        return getattr(_errors, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_memo(
    data: MemoData,
    *,
    lang: Literal["en", "ru", "kk", "kk+ru"],
    variant: Literal["final", "review", "redline", "comparison"],
    template: pathlib.Path | None = None,
    progress: Callable[[float, str], None] | None = None,
    toc_pages: list[int] | None = None,
) -> RenderResult:
    """Render the memo as .docx bytes.

    ``variant``: "final" (a DRAFT mark and blocker box while ``data.is_final`` is False; the
    snapshot SHA-256 in the last annex once final), "review" (published comments as Word comments),
    "redline" (tracked changes against each recommendation's earlier version) or "comparison"
    (earlier | proposed | justification | consensus table). ``lang`` "kk+ru" sets Kazakh and
    Russian side by side. ``progress(fraction, message)`` is called as the work advances.

    Raises MissingStyleError when the template lacks a style the renderer relies on, and
    ValueError for an unknown ``lang`` or ``variant``. Texts missing in ``lang`` are rendered from
    another language and listed in ``RenderResult.warnings``. ``toc_pages`` gives the contents'
    entries their page numbers (as ``to_pdf`` reports them for the same memo).
    """
    from recdraft.export._render import render

    return render(data, lang=lang, variant=variant, template=template, progress=progress, toc_pages=toc_pages)


def to_pdf(docx: bytes, *, timeout: float = 240) -> tuple[bytes, list[int]]:
    """The memo as PDF/A-2b (fonts embedded, contents with page numbers) through LibreOffice headless,
    and the contents' page numbers. Raises PdfUnavailable when LibreOffice cannot do it."""
    from recdraft.export._pdf import to_pdf as convert

    return convert(docx, timeout=timeout)
