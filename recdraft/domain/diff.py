"""Word-level differences between two texts."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# Words, punctuation marks and whitespace runs are separate tokens, so "law," and "law" share the word
# "law" (a comma added after it does not make the word look changed). Joining the tokens gives the text.
_TOKEN = re.compile(r"\w+|[^\w\s]|\s+", re.UNICODE)


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
    return _space_after(out)


def _space_after(segments: list[Segment]) -> list[Segment]:
    """Show an inserted or deleted word with the space after it ("The |National |Society"), not before.

    A change that starts with the same whitespace its following equal run starts with is rotated: the
    texts on both sides are unchanged, only where the space is counted moves.
    """
    out = list(segments)
    for i in range(len(out) - 1):
        change, after = out[i], out[i + 1]
        if i == 0 or change.op == "equal" or after.op != "equal" or out[i - 1].op != "equal":
            continue
        ws = re.match(r"\s+", change.text)
        if ws is None or not after.text.startswith(ws.group(0)) or len(ws.group(0)) == len(change.text):
            continue
        space = ws.group(0)
        out[i - 1] = Segment("equal", out[i - 1].text + space)
        out[i] = Segment(change.op, change.text[len(space) :] + space)
        rest = after.text[len(space) :]
        out[i + 1] = Segment("equal", rest)
    return [seg for seg in out if seg.text]


def old_text(segments: list[Segment]) -> str:
    """The text before the change."""
    return "".join(s.text for s in segments if s.op != "insert")


def new_text(segments: list[Segment]) -> str:
    """The text after the change."""
    return "".join(s.text for s in segments if s.op != "delete")
