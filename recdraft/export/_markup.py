"""The Markdown subset experts may type: **bold**, *italic*, "- " bullets, "1. " lists, "> " quotes.

Each non-empty line is one paragraph (experts type in a text box and mean Enter as a new
paragraph). Unmatched asterisks stay literal ("5 * 3"). Parsing never fails on any input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from recdraft.export._ooxml import BOLD, ITALIC

_BULLET = re.compile(r"^(\s*)[-•]\s+(.*)$")
_NUMBER = re.compile(r"^(\s*)(\d{1,6})[.)]\s+(.*)$")
_QUOTE = re.compile(r"^\s*>\s?(.*)$")
# A span is at most 2,000 characters: this keeps the regex linear on huge texts full of "*".
_INLINE = re.compile(
    r"\*\*\*(?=\S)(.{1,2000}?)(?<=\S)\*\*\*"
    r"|\*\*(?=\S)(.{1,2000}?)(?<=\S)\*\*"
    r"|\*(?=[^\s*])(.{1,2000}?)(?<=[^\s*])\*(?!\*)",
    re.S,
)

Span = tuple[str, int]  # text, BOLD|ITALIC bits


@dataclass(slots=True)
class Block:
    """One paragraph: kind is "para", "bullet", "number" or "quote"."""

    kind: str
    spans: list[Span] = field(default_factory=list)
    level: int = 0
    start: int = 1

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.spans)


def parse_inline(text: str, fmt: int = 0, depth: int = 0) -> list[Span]:
    """Split ``text`` into (text, format) spans; markers become formatting, never literal symbols."""
    if "*" not in text or depth > 3:
        return [(text, fmt)] if text else []
    out: list[Span] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            out.append((text[pos : match.start()], fmt))
        if match.group(1) is not None:
            out.extend(parse_inline(match.group(1), fmt | BOLD | ITALIC, depth + 1))
        elif match.group(2) is not None:
            out.extend(parse_inline(match.group(2), fmt | BOLD, depth + 1))
        else:
            out.extend(parse_inline(match.group(3), fmt | ITALIC, depth + 1))
        pos = match.end()
    if pos < len(text):
        out.append((text[pos:], fmt))
    return out


def parse_blocks(text: str) -> list[Block]:
    """Blocks of ``text``, one per non-empty line."""
    blocks: list[Block] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if m := _BULLET.match(line):
            if m.group(2).strip():
                blocks.append(Block("bullet", parse_inline(m.group(2).strip()), _level(m.group(1))))
            continue
        if m := _NUMBER.match(line):
            if m.group(3).strip():
                blocks.append(Block("number", parse_inline(m.group(3).strip()), _level(m.group(1)), int(m.group(2))))
            continue
        if m := _QUOTE.match(line):
            if m.group(1).strip():
                blocks.append(Block("quote", parse_inline(m.group(1).strip())))
            continue
        blocks.append(Block("para", parse_inline(line.strip())))
    return blocks


def _level(indent: str) -> int:
    width = len(indent.replace("\t", "    "))
    return 0 if width < 2 else 1 if width < 6 else 2


def plain_text(text: str) -> str:
    """``text`` with the markup removed, one line per block (what a reader sees)."""
    return "\n".join(block.text for block in parse_blocks(text))
