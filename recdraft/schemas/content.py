"""The text of a recommendation revision, per language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, cast

from pydantic import AfterValidator, BaseModel, ConfigDict

from recdraft.errors import InvalidValue
from recdraft.schemas.common import LANGS, Lang, text_check

LangTitle = Annotated[str, text_check("Title", "title", single_line=True)]
LangText = Annotated[str, text_check("Recommendation text", "text")]
Rationale = Annotated[str, text_check("Rationale", "rationale", required=False)]
LegalBasis = Annotated[str, text_check("Legal basis", "legal_basis", required=False)]
ResponsibleBody = Annotated[str, text_check("Responsible body", "responsible_body", single_line=True, required=False)]


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


def content_to_json(content: Mapping[str, LangContent] | Mapping[Lang, LangContent]) -> dict[str, dict[str, str]]:
    """Plain JSON for storage."""
    return {lang: c.model_dump() for lang, c in content.items()}


def content_from_json(data: dict[str, dict[str, str]]) -> dict[Lang, LangContent]:
    """Back from storage; stored content was validated on the way in."""
    return {cast(Lang, lang): LangContent.model_construct(None, **fields) for lang, fields in data.items()}
