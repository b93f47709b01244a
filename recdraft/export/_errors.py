"""Errors the renderer raises."""

from __future__ import annotations

from recdraft.errors import RecdraftError


class MissingStyleError(RecdraftError):
    """The Word template lacks a named style the renderer relies on; the message names it."""

    def __init__(self, missing: list[str], template: str) -> None:
        names = ", ".join(f"'{name}'" for name in missing)
        if len(missing) == 1:
            super().__init__("export.missing_style", template=template, names=names)
        else:
            super().__init__("export.missing_styles", template=template, names=names)
        self.missing = list(missing)
        self.template = template


class PdfUnavailable(RecdraftError):
    """LibreOffice (or Debian's python3-uno) is missing or failed: no PDF could be made."""
