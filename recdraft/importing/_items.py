"""Blocks to preview items: which paragraphs open a recommendation, which labels switch the field.

A recommendation opens at a numbered paragraph (an automatic decimal list, or "1." / "Recommendation 1"
/ «Рекомендация 1» / «1-ұсыным» typed by hand, numbered in sequence), or, in a document without such
numbering, at a heading of the deepest level used. Headings that do not open one name the topic of
those that follow (a single heading is the document's title, not a topic). After the opening paragraph
the text follows until a label paragraph ("Rationale", «Обоснование», «Негіздеме», ... see
``import.labels.*`` in the catalogue) switches to another field; the label may also start the paragraph
("Legal basis: Article 5 ..."). A table whose first row names the fields gives one item per row.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from recdraft.i18n import LANGS, catalog
from recdraft.importing._docx import Block, Document, Table
from recdraft.importing.preview import PARAGRAPH_BREAK, PreviewItem

LABEL_FIELDS = ("title", "text", "rationale", "legal_basis", "responsible_body", "topic", "number")
TITLE_LIMIT = 200  # a title made of a long numbered paragraph's first sentence is cut here
_SEPARATOR = r"\s*[:：.—–-]\s*"
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"«(\[]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])")
_BARE_NUMBER = re.compile(r"^\s*№?\s*\d{1,3}[.)]?\s*$")
_MANUAL = re.compile(r"^(\d{1,3})([.)])\s+(\S.*)$")


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split()).strip(" :：.—–-")


@lru_cache(maxsize=1)
def labels() -> dict[str, dict[str, str]]:
    """Every label of every language, normalised, mapped to its field: {"rationale": "rationale", ...}.

    Kept as {normalised label: field} per language so the language of a label can be told too.
    """
    entries = catalog()
    out: dict[str, dict[str, str]] = {lang: {} for lang in LANGS}
    for name in LABEL_FIELDS:
        entry = entries[f"import.labels.{name}"]
        for lang in LANGS:
            for variant in entry[lang].split(";"):
                if variant.strip():
                    out[lang][_norm(variant)] = name
    return out


@lru_cache(maxsize=1)
def _all_labels() -> dict[str, str]:
    merged: dict[str, str] = {}
    for by_lang in labels().values():
        merged.update(by_lang)
    return merged


@lru_cache(maxsize=1)
def _inline_label() -> re.Pattern[str]:
    words = sorted((k for k, v in _all_labels().items() if v not in ("number", "title")), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^({alternatives}){_SEPARATOR}(\S.*)$", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=1)
def _item_word() -> re.Pattern[str]:
    entry = catalog()["import.labels.item"]
    words = sorted({_norm(w) for lang in LANGS for w in entry[lang].split(";") if w.strip()}, key=len, reverse=True)
    # "Recommendation 3. Title", «Рекомендация № 3: ...», «3-ұсыным. ...»
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(
        rf"^(?:(?:{alternatives})\s*(?:№\s*)?(\d{{1,3}})|(\d{{1,3}})\s*[-‐–]\s*(?:{alternatives})\w*)"
        rf"(?:{_SEPARATOR}(.*))?$",
        re.IGNORECASE | re.DOTALL,
    )


def label_of(text: str) -> tuple[str, str] | None:
    """(field, text after the label) when a paragraph is a label or starts with one."""
    whole = _all_labels().get(_norm(text))
    if whole is not None and whole not in ("title", "number"):
        return whole, ""
    match = _inline_label().match(text.strip())
    if match:
        name = _all_labels().get(_norm(match.group(1)))
        if name is not None:
            return name, match.group(2).strip()
    return None


def manual_number(text: str) -> tuple[int, str, str] | None:
    """(number, marker, rest) of a paragraph numbered by hand: "3. ...", "3) ...", "Recommendation 3 ..."."""
    match = _MANUAL.match(text)
    if match:
        return int(match.group(1)), match.group(2), match.group(3).strip()
    match = _item_word().match(text.strip())
    if match:
        return int(match.group(1) or match.group(2)), "word", (match.group(3) or "").strip()
    return None


def first_sentence(text: str) -> str:
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    cut = sentence[:TITLE_LIMIT].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


@dataclass
class _Draft:
    source: int
    title: str
    topic: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    current: str = "text"

    def add(self, name: str, text: str) -> None:
        if text:
            self.fields.setdefault(name, []).append(text)

    def item(self) -> PreviewItem:
        values = {name: PARAGRAPH_BREAK.join(parts) for name, parts in self.fields.items() if name != "topic"}
        topic = " ".join(self.fields.get("topic", [])) or self.topic
        values.setdefault("text", "")
        if not values["text"].strip():
            values["text"] = self.title
        return PreviewItem(
            source=(self.source,),
            title=self.title,
            topic=topic[:200],
            text=values["text"],
            rationale=values.get("rationale", ""),
            legal_basis=values.get("legal_basis", ""),
            responsible_body=values.get("responsible_body", ""),
        )


@dataclass
class Result:
    items: list[PreviewItem]
    preamble: int  # paragraphs before the first item (not imported)
    table_rows: int  # items read from the rows of a table with a header
    table_paragraphs: int  # paragraphs read from the cells of other tables


def header_map(row: list[str]) -> dict[int, str] | None:
    """{column: field} when a table's first row names the fields (a title or text column among them)."""
    mapping: dict[int, str] = {}
    for col, cell in enumerate(row):
        name = _all_labels().get(_norm(cell))
        if name is not None and name not in mapping.values():
            mapping[col] = name
    named = set(mapping.values())
    if ("title" in named or "text" in named) and len(mapping) >= 2:
        return mapping
    return None


def _starter_group(doc: Document, blocks: list[Block]) -> tuple[str, int] | None:
    """The automatic list whose paragraphs are the recommendations: decimal, lowest level, first seen."""
    counts = Counter(b.numbered for b in blocks if b.numbered is not None and not label_of(b.text))
    candidates = [g for g in counts if counts[g] >= 2 and doc.formats.get(g, "decimal") not in ("bullet", "none")]
    if not candidates:
        return None
    order = {g: i for i, g in reversed(list(enumerate(b.numbered for b in blocks)))}
    decimal = [g for g in candidates if doc.formats.get(g, "decimal") == "decimal"] or candidates
    return min(decimal, key=lambda g: (g[1], order[g]))


def build(doc: Document) -> Result:
    """The items of a document, in order."""
    stream: list[Block | tuple[str, list[str], dict[int, str]]] = []
    table_rows = table_paragraphs = 0
    for part in doc.parts:
        if isinstance(part, Table):
            mapping = header_map(part.rows[0]) if part.rows else None
            if mapping:
                for row in part.rows[1:]:
                    if any(cell.strip() for cell in row):
                        stream.append(("row", row, mapping))
                        table_rows += 1
            else:
                stream.extend(part.blocks)
                table_paragraphs += len(part.blocks)
        else:
            stream.append(part)
    blocks = [b for b in stream if isinstance(b, Block)]
    group = _starter_group(doc, blocks)
    numbers = [manual_number(b.text) for b in blocks]
    manual_marker = next((n[1] for n in numbers if n is not None), None)

    # Without numbering, headings open items: the deepest level used; upper levels are topics.
    levels = sorted({b.heading for b in blocks if b.heading and not label_of(b.text)})
    item_level = levels[-1] if levels and group is None and manual_marker is None else None

    heading_counts = Counter(b.heading for b in blocks if b.heading and b.heading != item_level)
    drafts: list[_Draft] = []
    preamble = 0
    topic = ""
    last_number = 0
    for entry in stream:
        if isinstance(entry, tuple):
            _, row, mapping = entry
            drafts.append(_row_draft(len(drafts) + 1, row, mapping, topic))
            continue
        block = entry
        if block.title or (block.in_table and _BARE_NUMBER.match(block.text)):
            continue  # the document's title; a table's "No." cell
        found = label_of(block.text)
        if found is not None and drafts:
            name, rest = found
            if name == "topic":
                drafts[-1].fields["topic"] = [rest] if rest else []
                drafts[-1].current = "topic"
            else:
                drafts[-1].current = name
                drafts[-1].add(name, rest)
            continue
        starts, title, full = _opens(block, group, manual_marker, last_number, item_level)
        if starts:
            number = manual_number(block.text)
            if number is not None and number[1] == manual_marker:
                last_number = number[0]
            drafts.append(_Draft(source=len(drafts) + 1, title=title, topic=topic))
            if full:
                drafts[-1].add("text", full)
            continue
        if block.heading and heading_counts[block.heading] >= 2:
            topic = _strip_number(block.text)[:200]
            continue
        if block.heading and not drafts:
            continue  # the document's own heading
        if not drafts:
            preamble += 1
            continue
        if not drafts[-1].title:
            drafts[-1].title, full = _title_and_text(block.text, heading=bool(block.heading))
            drafts[-1].add("text", full)
            continue
        drafts[-1].add(drafts[-1].current, block.text)
    return Result(
        items=[d.item() for d in drafts], preamble=preamble, table_rows=table_rows, table_paragraphs=table_paragraphs
    )


def _strip_number(text: str) -> str:
    return re.sub(r"^(?:[IVXLC]+|\d{1,3}|[A-ZА-Я])[.)]\s+", "", text).strip()


def _opens(
    block: Block, group: tuple[str, int] | None, marker: str | None, last: int, item_level: int | None
) -> tuple[bool, str, str]:
    """(opens an item, its title, text that goes to the item's text)."""
    text = block.text
    if group is not None and block.numbered == group:
        return (True, *_title_and_text(text, heading=bool(block.heading)))
    number = manual_number(text)
    if number is not None and marker is not None and number[1] == marker and (last == 0 or number[0] == last + 1):
        rest = number[2]
        if not rest:  # "Recommendation 3" alone: the title is the next paragraph
            return True, "", ""
        return (True, *_title_and_text(rest, heading=bool(block.heading) or number[1] == "word"))
    if item_level is not None and block.heading == item_level:
        return True, text[:500], ""
    return False, "", ""


def _title_and_text(text: str, *, heading: bool) -> tuple[str, str]:
    if heading:
        return text[:500], ""
    sentence = first_sentence(text)
    if sentence == text.strip():
        return sentence, ""
    return sentence, text


def _row_draft(source: int, row: list[str], mapping: dict[int, str], topic: str) -> _Draft:
    cells = {name: (row[col] if col < len(row) else "").strip() for col, name in mapping.items()}
    text = cells.get("text", "")
    title = cells.get("title") or first_sentence(text) if text or cells.get("title") else ""
    draft = _Draft(source=source, title=title or "", topic=cells.get("topic") or topic)
    for name in ("text", "rationale", "legal_basis", "responsible_body"):
        value = cells.get(name, "")
        draft.add(name, value.replace("\n", PARAGRAPH_BREAK))
    return draft
