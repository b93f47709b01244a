"""The value render_memo returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RenderResult:
    """The .docx bytes and what a person should know about them (e.g. texts shown in another language)."""

    content: bytes
    warnings: list[str] = field(default_factory=list)
