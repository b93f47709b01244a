"""What a vote is cast on, in one place: the fields whose change makes a new revision, and so a vote stale.

A vote approves words that will stand in the memo. Those words are ``VOTED_FIELDS`` — the title, the
text, the rationale, the legal basis and the responsible body — in every language the recommendation is
written in: each of them is printed in the memo under the recommendation, so changing any of them changes
what the experts agreed to.

Everything else about a recommendation is a detail that is not voted on, kept on the recommendation row
and changed without a new revision: its topic (how the memo groups recommendations), its priority (the
drafters' emphasis), its number and position, its co-authors and its status. Changing them never makes a
vote stale.

How staleness follows from this: a vote points at the revision it was cast on and is stale while the
recommendation's current revision is another one (``recdraft.services.voting.results``). The services make a new
revision only when ``voted_text_changed`` says so, so a vote goes stale exactly when the words voted on
changed. An unchanged Save, or a Save that changes only the topic or the priority, creates no revision and
leaves every vote — blocks included — counting.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from recdraft.i18n.messages import Msg

# The per-language fields a vote approves (every field of a recommendation's text: see the module notes).
VOTED_FIELDS: tuple[str, ...] = ("title", "text", "rationale", "legal_basis", "responsible_body")

# Details of a recommendation that are not voted on: changing them makes no revision and no vote stale.
UNVOTED_DETAILS: tuple[str, ...] = ("topic", "priority")


def _fields(value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if hasattr(value, "model_dump"):
        return value.model_dump()
    return value


def voted_text(content: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """The words a vote approves: language → voted field → text (absent and empty fields are alike)."""
    out: dict[str, dict[str, str]] = {}
    for code, value in (content or {}).items():
        fields = _fields(value)
        words = {name: str(fields.get(name) or "") for name in VOTED_FIELDS}
        if any(words.values()):
            out[code] = words
    return out


def voted_text_changed(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """True when ``new`` changes a word a vote approves: only then is a new revision made."""
    return voted_text(old) != voted_text(new)


# A revision's note: what its author typed ("tightened the rationale"), kept as typed, or a note the program
# wrote ("Restored revision 1", "Amendment 6 accepted"), stored as a catalogue message in JSON so that every
# reader sees it in their language. Rows from before keep their English sentence and are shown as they are.


def program_note(msg: Msg) -> str:
    """The text to store in a revision's ``note`` column for a note written by the program."""
    return json.dumps(msg.to_json(), ensure_ascii=False, sort_keys=True)


def note_message(note: str | None) -> Msg | None:
    """The program's message stored in ``note``, or None for a note a person typed (or none)."""
    text = (note or "").strip()
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not Msg.is_json(data):
        return None
    from recdraft.i18n import catalog

    return Msg.from_json(data) if data["key"] in catalog() else None


def note_text(note: str | None, lang: str) -> str:
    """A revision's note for a reader of ``lang``: the program's notes translated, people's as typed."""
    msg = note_message(note)
    return msg.render(lang) if msg is not None else (note or "")
