"""MemoData from JSON without pydantic, for the command line (``python -m recdraft.export``).

Importing pydantic and the schemas is most of a short process's time (and, without a bytecode cache,
most of it by far). This loader accepts only what it can prove valid under ``recdraft.schemas.memo``
— exact JSON types, no coercion, no unknown field — and builds plain read-only records with the same
attributes and values; for anything else it returns None and the caller validates with pydantic, so
every refusal is still pydantic's. ``tests/unit/export/test_plain.py`` holds the spec below against
the pydantic models (fields, defaults, requiredness) and the records against ``model_dump``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

LANGS = frozenset(("en", "ru", "kk"))
# recdraft.schemas.memo.DEFAULT_ADDRESSEE (the test holds them equal).
DEFAULT_ADDRESSEE = {
    "en": "Mazhilis of the Parliament of the Republic of Kazakhstan",
    "ru": "Мажилис Парламента Республики Казахстан",
    "kk": "Қазақстан Республикасы Парламентінің Мәжілісі",
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")
_INT_KEY = re.compile(r"0|-?[1-9]\d{0,17}")
_SHA = re.compile(r"[0-9a-f]{64}")


class NotPlain(Exception):
    """The input is not certainly valid as it stands: let pydantic decide."""


class Record:
    """A read-only record with the attributes of one pydantic model."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(name)

    def __repr__(self) -> str:
        names: tuple[str, ...] = type(self).__slots__
        return f"{type(self).__name__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"


# Field kinds: "str", "int", "float", "bool", "date", "datetime", a model name, or a tuple:
# ("opt", kind), ("list", kind), ("loc",) = dict[MemoLang, str], ("langs", kind) = dict[MemoLang, kind],
# ("lit", values), ("intmap",) = dict[int, int], ("pair",) = tuple[int, int], ("ge1",) = int >= 1,
# ("sha",) = str matching ^[0-9a-f]{64}$.
_REQUIRED = object()
LOC = ("loc",)


def _empty() -> dict:
    return {}


def _list() -> list:
    return []


SPEC: dict[str, dict[str, tuple[Any, Any]]] = {  # model -> field -> (kind, default or _REQUIRED or factory)
    "Roundtable": {
        "title": (LOC, _REQUIRED),
        "venue": (LOC, _empty),
        "organisers": (LOC, _empty),
        "held_on": ("date", _REQUIRED),
        "addressee": (LOC, lambda: dict(DEFAULT_ADDRESSEE)),
        "executive_summary": (LOC, _empty),
        "background": (LOC, _empty),
        "closing": (LOC, _empty),
    },
    "RecommendationContent": {
        "title": ("str", _REQUIRED),
        "text": ("str", _REQUIRED),
        "rationale": ("str", ""),
        "legal_basis": ("str", ""),
        "responsible_body": ("str", ""),
    },
    "Recommendation": {
        "number": (("ge1",), _REQUIRED),
        "topic": ("str", ""),
        "priority": (("lit", ("high", "medium", "low")), "medium"),
        "content": (("langs", "RecommendationContent", 1), _REQUIRED),
        "previous": (("opt", ("langs", "RecommendationContent", 0)), None),
        "justification": (LOC, _empty),
        "consensus": (LOC, _empty),
        "revised_by": ("str", ""),
        "revised_at": (("opt", "datetime"), None),
    },
    "DelphiStats": {
        "median": (("opt", "float"), None),
        "iqr": (("opt", "float"), None),
        "distribution": (("intmap",), _empty),
    },
    "VoteResult": {
        "recommendation_number": ("int", _REQUIRED),
        "round_number": (("ge1",), _REQUIRED),
        "round_name": (LOC, _empty),
        "in_meeting_at": (("opt", "datetime"), None),
        "mode": (("lit", ("simple", "delphi")), "simple"),
        "votes_for": (("opt", "int"), None),
        "votes_against": (("opt", "int"), None),
        "abstain": (("opt", "int"), None),
        "block": (("opt", "int"), None),
        "eligible": ("int", _REQUIRED),
        "voted": ("int", _REQUIRED),
        "quorum_met": ("bool", _REQUIRED),
        "rule_met": ("bool", _REQUIRED),
        "outcome": (("lit", ("adopted", "rejected", "no_consensus")), _REQUIRED),
        "delphi": (("opt", "DelphiStats"), None),
        "quorum": (("opt", "str"), None),
        "threshold": (("opt", "str"), None),
        "blocks_prevent_adoption": (("opt", "bool"), None),
        "delphi_agreement_share": (("opt", "str"), None),
        "delphi_band": (("opt", ("pair",)), None),
        "delphi_max_iqr": (("opt", "str"), None),
        "block_override_reason": (("opt", "str"), None),
    },
    "DissentingOpinion": {
        "recommendation_number": ("int", _REQUIRED),
        "name": (("opt", "str"), None),
        "organisation": (("opt", "str"), None),
        "reason": ("str", _REQUIRED),
    },
    "Participant": {
        "name": ("str", _REQUIRED),
        "organisation": ("str", ""),
        "role": ("str", ""),
        "consent_to_be_named": ("bool", False),
    },
    "LegalReference": {"text": (LOC, _REQUIRED), "url": (("opt", "str"), None)},
    "PublishedComment": {
        "recommendation_number": ("int", _REQUIRED),
        "author": ("str", _REQUIRED),
        "published_at": ("datetime", _REQUIRED),
        "text": ("str", _REQUIRED),
        "quote": (("opt", "str"), None),
        "parent": (("opt", "int"), None),
        "resolved": ("bool", False),
    },
    "Signatory": {"name": (LOC, _empty), "position": (LOC, _empty)},
    "MemoData": {
        "roundtable": ("Roundtable", _REQUIRED),
        "recommendations": (("list", "Recommendation"), _list),
        "votes": (("list", "VoteResult"), _list),
        "dissents": (("list", "DissentingOpinion"), _list),
        "participants": (("list", "Participant"), _list),
        "legal_references": (("list", "LegalReference"), _list),
        "comments": (("list", "PublishedComment"), _list),
        "is_final": ("bool", False),
        "blockers": (("list", "str"), _list),
        "snapshot_sha256": (("opt", ("sha",)), None),
        "signatory": ("Signatory", lambda: _make("Signatory", {})),
        "outgoing_number": ("str", ""),
        "baseline": (LOC, _empty),
        "prepared_by": ("str", ""),
        "prepared_at": (("opt", "datetime"), None),
    },
}

CLASSES: dict[str, type[Record]] = {
    name: type(name, (Record,), {"__slots__": tuple(fields)}) for name, fields in SPEC.items()
}


def _make(model: str, value: object) -> Record:
    if type(value) is not dict:
        raise NotPlain(model)
    fields = SPEC[model]
    if not value.keys() <= fields.keys():
        raise NotPlain(model)
    record = object.__new__(CLASSES[model])
    for name, (kind, default) in fields.items():
        if name in value:
            item = _value(kind, value[name])
        elif default is _REQUIRED:
            raise NotPlain(name)
        elif callable(default):
            item = default()
        else:
            item = default
        object.__setattr__(record, name, item)
    return record


def _value(kind: Any, value: object) -> object:
    if type(kind) is str:
        if kind == "str":
            if type(value) is str:
                return value
        elif kind == "int":
            if type(value) is int:
                return value
        elif kind == "bool":
            if type(value) is bool:
                return value
        elif kind == "float":
            if type(value) is float or type(value) is int:
                return float(value)
        elif kind == "date":
            if type(value) is str and _DATE.fullmatch(value):
                try:
                    return dt.date.fromisoformat(value)
                except ValueError:
                    pass
        elif kind == "datetime":
            if type(value) is str and _DATETIME.fullmatch(value):
                try:
                    return dt.datetime.fromisoformat(value)
                except ValueError:
                    pass
        else:
            return _make(kind, value)
        raise NotPlain(kind)
    tag = kind[0]
    if tag == "loc":
        if type(value) is dict and value.keys() <= LANGS and all(type(v) is str for v in value.values()):
            return dict(value)
    elif tag == "opt":
        return None if value is None else _value(kind[1], value)
    elif tag == "list":
        if type(value) is list:
            return [_value(kind[1], item) for item in value]
    elif tag == "langs":
        if type(value) is dict and value.keys() <= LANGS and len(value) >= kind[2]:
            return {lang: _value(kind[1], item) for lang, item in value.items()}
    elif tag == "lit":
        if type(value) is str and value in kind[1]:
            return value
    elif tag == "ge1":
        if type(value) is int and value >= 1:
            return value
    elif tag == "sha":
        if type(value) is str and _SHA.fullmatch(value):
            return value
    elif tag == "intmap":
        if type(value) is dict and all(_INT_KEY.fullmatch(k) and type(v) is int for k, v in value.items()):
            return {int(k): v for k, v in value.items()}
    elif tag == "pair" and type(value) is list and len(value) == 2 and all(type(v) is int for v in value):
        return (value[0], value[1])
    raise NotPlain(tag)


def load_memo(raw: bytes | str) -> Record | None:
    """MemoData's fields as plain records when ``raw`` is certainly valid MemoData JSON, else None."""
    try:
        data = _make("MemoData", json.loads(raw))
    except (NotPlain, ValueError, RecursionError):
        return None
    numbers = [rec.number for rec in getattr(data, "recommendations")]  # noqa: B009 - a Record's field
    if len(set(numbers)) != len(numbers):  # MemoData._numbers_are_unique
        return None
    return data
