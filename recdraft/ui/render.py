"""Safe rendering of what people wrote.

Everything a person typed reaches the screen through this module, as Markdown in which their text
cannot do anything but be text:

- ``user_text_markdown`` (comments, reasons, names): every ASCII punctuation character is
  backslash-escaped, so no Markdown, HTML, Streamlit colour/icon directive (``:red[...]``), LaTeX
  (``$...$``) or GFM autolink can form; line breaks are kept; bare ``http``, ``https`` and ``mailto``
  URLs become links. Any other scheme (``javascript:``, ``data:``, ``vbscript:``) stays plain text.
- ``format_recommendation_text``: the small formatting subset recommendation texts use
  (``**bold**``, ``*italic*``, ``- `` bullets, ``1. `` numbered items, ``> `` quotations and links to
  http/https/mailto), everything else escaped as above (raw HTML, images, other links).
- ``diff_markdown``: word-diff segments with insertions and deletions marked.

Why escaping rather than stripping: a legal text quotes ``Art. 4(1)`` and ``<Article>`` literally;
the person must see exactly what they wrote. Pages never use HTML (no ``unsafe_allow_html``).

Dates and numbers: ``recdraft.i18n.formats`` (re-exported here for the pages' convenience).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import streamlit as st

from recdraft.i18n import formats as _formats

_PUNCT = frozenset(string.punctuation)
# Bare links: a scheme we allow and at least one character that cannot end a sentence.
_URL = re.compile(r"(?i)(?:https?://|mailto:)[^\s<>\"'`\\]+")
_TRAILING = ".,;:!?*_~"
_HREF_SAFE = "-._~:/?#@!$&'*+,;=%"


# ----------------------------------------------------------------------------- escaping


def escape_markdown(text: str) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped (CommonMark treats them literally)."""
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in text)


def _trim_url(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets from the end of a found URL."""
    while url:
        last = url[-1]
        if (
            last in _TRAILING
            or last == ")"
            and url.count("(") < url.count(")")
            or last == "]"
            and url.count("[") < url.count("]")
        ):
            url = url[:-1]
        else:
            break
    return url


def _is_linkable(url: str) -> bool:
    lower = url.lower()
    if lower.startswith("mailto:"):
        return len(url) > len("mailto:")
    return lower.startswith(("http://", "https://")) and len(url.split("://", 1)[1]) > 0


def safe_href(url: str) -> str:
    """A link destination that cannot end the Markdown link early: brackets, quotes, spaces percent-encoded."""
    return quote(url, safe=_HREF_SAFE).replace("(", "%28").replace(")", "%29").replace("'", "%27")


def _link(url: str, label: str | None = None) -> str:
    return f"[{escape_markdown(label if label is not None else url)}]({safe_href(url)})"


def _escape_with_links(text: str) -> str:
    """Escape ``text``, turning bare http/https/mailto URLs into links."""
    out: list[str] = []
    pos = 0
    for match in _URL.finditer(text):
        start = match.start()
        # A scheme glued to a preceding word ("xhttp://") is not a link of its own.
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "/:"):
            continue
        url = _trim_url(match.group(0))
        if not _is_linkable(url):
            continue
        out.append(escape_markdown(text[pos:start]))
        out.append(_link(url))
        pos = start + len(url)
    out.append(escape_markdown(text[pos:]))
    return "".join(out)


def _keep_indent(line: str) -> str:
    """Leading spaces become no-break spaces: four spaces must not start a code block."""
    stripped = line.lstrip(" \t")
    indent = line[: len(line) - len(stripped)]
    return indent.replace("\t", "    ").replace(" ", "\u00a0") + stripped


def _join_lines(lines: list[str]) -> str:
    """Join rendered lines: a line break stays a line break, an empty line starts a paragraph."""
    out: list[str] = []
    for index, line in enumerate(lines):
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        if line and nxt:
            out.append(line + "  ")  # two trailing spaces: a hard line break
        else:
            out.append(line)
    return "\n".join(out)


def _normalise(text: str) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def user_text_markdown(text: str) -> str:
    """Markdown that shows ``text`` exactly as typed, line breaks kept, bare web and mail links clickable."""
    lines = [
        _keep_indent(_escape_with_links(line.rstrip())) if line.strip() else "" for line in _normalise(text).split("\n")
    ]
    return _join_lines(_collapse_blank(lines))


def _collapse_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def plain_markdown(text: str) -> str:
    """Markdown showing ``text`` literally on one line, with no links (titles, names, labels)."""
    return escape_markdown(" ".join(_normalise(text).split()))


# ----------------------------------------------------------------------------- recommendation texts

_BULLET = re.compile(r"^[-•]\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,9})\.\s+(.*)$")
_QUOTE = re.compile(r"^>\s?(.*)$")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]\(\s*([^\s()]+)\s*\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*")


def _inline(text: str, *, bold: bool = True, italic: bool = True) -> str:
    """The inline subset: **bold**, *italic*, [label](http...) and bare links; everything else literal."""
    out: list[str] = []
    plain: list[str] = []
    pos = 0

    def flush() -> None:
        if plain:
            out.append(_escape_with_links("".join(plain)))
            plain.clear()

    while pos < len(text):
        ch = text[pos]
        if ch == "!":
            m = _IMAGE.match(text, pos)
            if m:  # images are never shown: the whole construct is text
                plain.append(m.group(0))
                pos = m.end()
                continue
        if ch == "[":
            m = _MD_LINK.match(text, pos)
            if m and _is_linkable(m.group(2)) and _URL.fullmatch(m.group(2)):
                flush()
                out.append(f"[{_inline(m.group(1), bold=bold, italic=italic)}]({safe_href(m.group(2))})")
                pos = m.end()
                continue
        if ch == "*":
            m = _BOLD.match(text, pos) if bold else None
            if m:
                flush()
                out.append("**" + _inline(m.group(1), bold=False, italic=italic) + "**")
                pos = m.end()
                continue
            m = _ITALIC.match(text, pos) if italic else None
            if m and not text.startswith("**", pos):
                flush()
                out.append("*" + _inline(m.group(1), bold=bold, italic=False) + "*")
                pos = m.end()
                continue
        if ch in "hHmM":
            m = _URL.match(text, pos)
            if m:  # keep a URL whole so '*' or '_' inside it is not read as emphasis
                url = _trim_url(m.group(0))
                plain.append(url)
                pos += len(url)
                continue
        plain.append(ch)
        pos += 1
    flush()
    return "".join(out)


def format_recommendation_text(text: str) -> str:
    """Safe Markdown for a recommendation text in the formatting subset; anything else shows literally."""
    rendered: list[str] = []
    kinds: list[str | None] = []
    for raw in _normalise(text).split("\n"):
        line = raw.strip()
        if not line:
            rendered.append("")
            kinds.append(None)
            continue
        if m := _BULLET.match(line):
            kind, body = "bullet", "- " + _inline(m.group(1))
        elif m := _NUMBERED.match(line):
            kind, body = "numbered", f"{int(m.group(1))}. " + _inline(m.group(2))
        elif (m := _QUOTE.match(line)) and m.group(1).strip():
            kind, body = "quote", "> " + _inline(m.group(1).strip())
        else:
            kind, body = "para", _inline(line)
        previous = kinds[-1] if kinds else None
        if previous is not None and previous != kind:
            rendered.append("")  # a new kind of block starts after an empty line
            kinds.append(None)
        elif previous == kind and kind in {"para", "quote"}:
            rendered[-1] += "  "  # a line break inside a paragraph or a quotation
        rendered.append(body)
        kinds.append(kind)
    return "\n".join(_collapse_blank(rendered))


# ----------------------------------------------------------------------------- diffs


def _segment_text(op: str, text: str) -> str:
    """One diff segment as Markdown; insertions and deletions are marked line by line."""
    pieces: list[str] = []
    for index, line in enumerate(_normalise(text).split("\n")):
        if index:
            pieces.append("  \n")
        if not line:
            continue
        core = line.strip()
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()) :]
        if not core:
            pieces.append(line)
            continue
        escaped = escape_markdown(core)
        if op == "insert":
            marked = f":green-background[**{escaped}**]"
        elif op == "delete":
            marked = f":red-background[~~{escaped}~~]"
        else:
            marked = escaped
        pieces.append(lead + marked + trail)
    return "".join(pieces)


def diff_markdown(segments: Iterable[Any]) -> str:
    """Markdown of word-diff segments (objects with ``op`` and ``text``): insertions green and bold,
    deletions red and struck through; the text inside is escaped."""
    parts: list[str] = []
    for seg in segments:
        op, text = (seg.op, seg.text) if hasattr(seg, "op") else (seg["op"], seg["text"])
        rendered = _segment_text(op, text)
        # Keep a marked run from gluing to the word before it (the directive must start a token).
        if parts and rendered.startswith(":") and parts[-1] and not parts[-1][-1].isspace():
            parts.append("\u200a")
        parts.append(rendered)
    return "\n".join(_keep_indent(line) if line.strip() else "" for line in "".join(parts).split("\n"))


# ----------------------------------------------------------------------------- dates and numbers
# The language rules live in recdraft.i18n.formats; pages use context.fmt_* (browser time zone).

format_date = _formats.format_date
format_datetime = _formats.format_datetime
format_number = _formats.format_number


# ----------------------------------------------------------------------------- showing


def user_text(text: str, *, container: Any = None) -> None:
    """Show what a person wrote: no Markdown or HTML takes effect, line breaks kept, web links clickable."""
    (container or st).markdown(user_text_markdown(text))


def recommendation_text(text: str, *, container: Any = None) -> None:
    """Show a recommendation text with its formatting subset, safely."""
    (container or st).markdown(format_recommendation_text(text))


def diff_text(segments: Iterable[Any], *, container: Any = None) -> None:
    """Show word-diff segments with insertions and deletions marked."""
    (container or st).markdown(diff_markdown(segments))
