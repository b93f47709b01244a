"""Word-level differences between two texts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# A word or a punctuation mark with the whitespace after it (so a changed word carries its space),
# or leading whitespace: joining the tokens gives back the text.
_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+", re.UNICODE)


@dataclass(frozen=True)
class Segment:
    op: Literal["equal", "insert", "delete"]
    text: str


def tokenize(text: str) -> list[str]:
    """Split into words, whitespace and punctuation; ``"".join(tokenize(t)) == t``."""
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments that turn ``old`` into ``new``: equal, deleted and inserted runs of words."""
    a, b = tokenize(old), tokenize(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[Segment] = []

    def push(op: Literal["equal", "insert", "delete"], text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Segment(op, out[-1].text + text)
        else:
            out.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("equal", "".join(a[i1:i2]))
        else:
            push("delete", "".join(a[i1:i2]))
            push("insert", "".join(b[j1:j2]))
    return out


def old_text(segments: list[Segment]) -> str:
    """The text before the change."""
    return "".join(s.text for s in segments if s.op != "insert")


def new_text(segments: list[Segment]) -> str:
    """The text after the change."""
    return "".join(s.text for s in segments if s.op != "delete")
