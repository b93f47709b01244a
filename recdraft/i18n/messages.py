"""A message that carries its catalogue key and parameters, rendered in any language when it is shown.

Errors, audit rows and history notes hold a ``Msg``, never finished English: the page renders it in the
reader's language, the command line and the logs in English. Parameters are rendered too:

- a ``Msg`` inside a ``Msg`` is rendered in the same language ("{what} 12 does not exist." with
  ``what=Msg("svc.word.Recommendation")``);
- a ``Word("draft")`` (or an enum such as ``Role.EXPERT`` or ``Phase.VOTING``) is a word of the program,
  looked up as ``svc.word.<value>`` and left as it is when the catalogue has no such word;
- an ``int`` from 10 000 up is written with the language's digit grouping (50 000 in ru and kk, 50,000 in
  en); smaller ones, numbers of recommendations and rounds among them, as digits (1234);
- anything else (names, titles, texts people typed) is shown exactly as given.

``to_json`` / ``from_json`` store a message in a JSON column (audit details, history notes) and bring it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

WORD_PREFIX = "svc.word."


@dataclass(frozen=True)
class Word:
    """A word of the program (a field name, a status, a role): translated through ``svc.word.<value>``."""

    value: str

    def render(self, lang: str) -> str:
        from recdraft.i18n import catalog

        entry = catalog().get(WORD_PREFIX + self.value)
        return (entry.get(lang) or entry["en"]) if entry else self.value


@dataclass(frozen=True)
class Msg:
    """The message ``key`` of the catalogues with its parameters."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, /, **params: Any) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def render(self, lang: str) -> str:
        """The message in ``lang`` (English where that language lacks it)."""
        from recdraft.i18n import catalog, t

        if self.key not in catalog():
            # Not a key: an English sentence from before messages carried keys. The test of raised messages
            # (tests/unit/test_error_keys.py) fails for every one left, so this branch only serves old rows.
            return self.key
        values = {name: render_value(value, lang) for name, value in self.params.items()}
        return t(self.key, lang, **values)

    def __str__(self) -> str:
        return self.render("en")

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": {name: _param_json(value) for name, value in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Msg:
        return cls(data["key"], **{name: _param_from_json(value) for name, value in (data.get("params") or {}).items()})

    @staticmethod
    def is_json(data: Any) -> bool:
        """True for what ``to_json`` wrote (a dict with a ``key`` naming a catalogue message)."""
        return isinstance(data, dict) and isinstance(data.get("key"), str) and set(data) <= {"key", "params"}


def render_value(value: Any, lang: str) -> str:
    """One parameter written for ``lang`` (see the module notes)."""
    from recdraft.i18n.formats import format_number

    if isinstance(value, Msg | Word):
        return value.render(lang)
    if isinstance(value, Enum):
        return Word(str(value.value)).render(lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) and abs(value) >= 10_000:
        return format_number(value, lang)
    return str(value)


def _param_json(value: Any) -> Any:
    if isinstance(value, Msg):
        return {"msg": value.to_json()}
    if isinstance(value, Word):
        return {"word": value.value}
    if isinstance(value, Enum):
        return {"word": str(value.value)}
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


def _param_from_json(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"msg"}:
        return Msg.from_json(value["msg"])
    if isinstance(value, dict) and set(value) == {"word"}:
        return Word(value["word"])
    return value
