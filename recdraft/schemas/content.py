"""The text of a recommendation revision, per language."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from recdraft.errors import InvalidValue
from recdraft.schemas.common import LANGS, Lang, text_type

LangTitle = text_type("Title", "title", single_line=True)
LangText = text_type("Recommendation text", "text")
Rationale = text_type("Rationale", "rationale", required=False)
LegalBasis = text_type("Legal basis", "legal_basis", required=False)
ResponsibleBody = text_type("Responsible body", "responsible_body", single_line=True, required=False)


class LangContent(BaseModel):
    """One language's version of a recommendation."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: LangTitle
    text: LangText
    rationale: Rationale = ""
    legal_basis: LegalBasis = ""
    responsible_body: ResponsibleBody = ""


FIELDS = ("title", "text", "rationale", "legal_basis", "responsible_body")


def _at_least_one(value: dict[Lang, LangContent]) -> dict[Lang, LangContent]:
    if not value:
        raise InvalidValue("svc.content.no_language")
    # Keep a stable language order so stored JSON and backups are deterministic.
    return {lang: value[lang] for lang in LANGS if lang in value}


Content = Annotated[dict[Lang, LangContent], AfterValidator(_at_least_one)]


def content_to_json(content: dict[str, LangContent]) -> dict[str, dict[str, str]]:
    """Plain JSON for storage."""
    return {lang: c.model_dump() for lang, c in content.items()}


def content_from_json(data: dict[str, dict[str, str]]) -> dict[Lang, LangContent]:
    """Back from storage; stored content was validated on the way in."""
    return {lang: LangContent.model_construct(**fields) for lang, fields in data.items()}  # type: ignore[misc]
