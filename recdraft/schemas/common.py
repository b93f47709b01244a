"""Validated text types: every string a person types passes through one of these."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from recdraft.domain.text import clean_text, is_blank
from recdraft.errors import InvalidInput, InvalidValue, Word

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")
LANG_NAMES = {"kk": "Kazakh", "ru": "Russian", "en": "English"}

# Limits: generous for legal text, bounded so one paste cannot fill the database.
LIMITS = {
    "name": 200,
    "title": 500,
    "text": 100_000,
    "rationale": 50_000,
    "legal_basis": 20_000,
    "responsible_body": 1_000,
    "comment": 20_000,
    "quote": 5_000,
    "reason": 2_000,
    "note": 2_000,
    "topic": 200,
}


def _cleaner(label: str, limit: int, *, single_line: bool, required: bool):
    def clean(value: Any) -> str:
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise InvalidValue("svc.common.not_text", label=Word(label))
        value = clean_text(value, single_line=single_line, strip_bidi=single_line)
        if is_blank(value):
            if required:
                raise InvalidValue("svc.common.empty", label=Word(label))
            return ""
        value = value.strip()
        if len(value) > limit:
            raise InvalidValue("svc.common.too_long", label=Word(label), limit=limit, value=len(value))
        return value

    return clean


def text_check(label: str, limit_key: str, *, single_line: bool = False, required: bool = True) -> BeforeValidator:
    """The validator of ``text_type``: cleans, rejects blank text (when required) and enforces a limit.

    For a type the type checker can read, write ``Annotated[str, text_check(...)]`` (a call's result is not
    a type to it)."""
    return BeforeValidator(_cleaner(label, LIMITS[limit_key], single_line=single_line, required=required))


def text_type(label: str, limit_key: str, *, single_line: bool = False, required: bool = True) -> Any:
    """An ``Annotated[str, ...]`` that cleans, rejects blank text (when required) and enforces a limit."""
    return Annotated[str, text_check(label, limit_key, single_line=single_line, required=required)]


Name = text_type("Name", "name", single_line=True)
Title = text_type("Title", "title", single_line=True)
Topic = text_type("Topic", "topic", single_line=True, required=False)
Body = text_type("Text", "text")
OptionalBody = text_type("Text", "text", required=False)
Reason = text_type("Reason", "reason")
OptionalReason = text_type("Reason", "reason", required=False)
Note = text_type("Note", "note", required=False)
CommentBody = text_type("Comment", "comment")
Quote = text_type("Quoted passage", "quote", required=False)


class Input(BaseModel):
    """Base for service inputs: unknown fields are refused so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], **values: Any) -> M:
    """Validate ``values`` into ``model``; raise InvalidInput with a readable message and the field."""
    try:
        return model(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ()))
        ctx_error = first.get("ctx", {}).get("error")
        if isinstance(ctx_error, InvalidValue):
            raise InvalidInput(ctx_error.msg, field=field or None) from None
        message = str(ctx_error) if ctx_error else first.get("msg", "Invalid input")
        raise InvalidInput(message, field=field or None) from None
