"""A draft law read into its structure (issue 16, item 2): chapters, articles, paragraphs, sub-paragraphs.

Pure, like the rest of ``recdraft.importing``. The numbering styles of the three languages are recognised:

==========  ======================  =====================  ==========================
            Kazakh                  Russian                English
==========  ======================  =====================  ==========================
chapter     «1-тарау. ...»          «Глава 1. ...»         "Chapter 1. ..."
article     «5-бап. ...», «5-1-бап» «Статья 5. ...»        "Article 5. ..."
paragraph   «1. ...»                «1. ...»               "1. ..."
sub-para.   «1) ...»                «1) ...»               "1) ..."
==========  ======================  =====================  ==========================

(Roman chapter numbers and inserted articles such as 5-1 are read too.) Every place gets an **anchor** that
does not depend on the language or on later renumbering: ``art-5`` for the article first loaded as
Article 5, ``art-5.p2`` for its paragraph 2, ``art-5.p2.s3`` for that paragraph's sub-paragraph 3.

``align`` puts the language versions of one bill side by side article by article (they share numbering);
``carry_over`` takes the anchors of a loaded version into a new one, matching articles by their wording
(not their number, which may have changed), and says which articles changed, moved or were removed.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field

from recdraft.errors import InvalidInput

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_NUM = r"(\d{1,4}(?:-\d{1,3})?)"
_CHAPTER = [
    re.compile(r"^(?:chapter|глава)\s+(\d{1,3}|[IVXLC]{1,8})\b\.?\s*(.*)$", re.IGNORECASE),
    re.compile(r"^(\d{1,3})\s*[-‐–]?\s*тарау\b\.?\s*(.*)$", re.IGNORECASE),
]
_ARTICLE = [
    re.compile(rf"^(?:article|статья)\s+{_NUM}\b\.?\s*(.*)$", re.IGNORECASE),
    re.compile(rf"^{_NUM}\s*[-‐–]\s*бап\b\.?\s*(.*)$", re.IGNORECASE),
]
_PARAGRAPH = re.compile(rf"^{_NUM}\.\s+(\S.*)$")
_SUBPARAGRAPH = re.compile(rf"^{_NUM}\)\s+(\S.*)$")
SAME_ARTICLE = 0.6  # how alike two articles' words must be to be the same article in two versions
WINDOW = 30  # how far (in articles) an article is looked for in the other version, beyond the change in length


@dataclass
class SubParagraph:
    number: str
    text: str
    anchor: str = ""


@dataclass
class Paragraph:
    number: str  # "" for an article's unnumbered text
    text: str
    subparagraphs: list[SubParagraph] = field(default_factory=list)
    anchor: str = ""


@dataclass
class Article:
    number: str
    title: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    chapter: str = ""  # the number of its chapter ("" when the law has none)
    anchor: str = ""

    def wording(self) -> str:
        """The article's whole text, numbered as printed (what is compared between versions)."""
        lines = [self.title]
        for p in self.paragraphs:
            lines.append(f"{p.number}. {p.text}" if p.number else p.text)
            lines.extend(f"{s.number}) {s.text}" for s in p.subparagraphs)
        return "\n".join(lines)


@dataclass
class Chapter:
    number: str
    title: str
    anchor: str = ""


@dataclass
class Law:
    title: str
    chapters: list[Chapter]
    articles: list[Article]
    preamble: list[str] = field(default_factory=list)

    def article(self, anchor: str) -> Article | None:
        return next((a for a in self.articles if a.anchor == anchor), None)

    def anchors(self) -> list[str]:
        """Every anchor in the order of the text."""
        out = [c.anchor for c in self.chapters]
        for a in self.articles:
            out.append(a.anchor)
            for p in a.paragraphs:
                out.append(p.anchor)
                out.extend(s.anchor for s in p.subparagraphs)
        return out


def _roman(value: str) -> str:
    if value.isdigit():
        return value
    total = 0
    for i, ch in enumerate(value.upper()):
        n = ROMAN[ch]
        total += -n if i + 1 < len(value) and ROMAN[value[i + 1].upper()] > n else n
    return str(total)


def _match(patterns: list[re.Pattern[str]], text: str) -> tuple[str, str] | None:
    for pattern in patterns:
        m = pattern.match(text)
        if m:
            return m.group(1), m.group(2).strip()
    return None


def parse_law(paragraphs: list[str]) -> Law:
    """The structure of a law from its paragraphs' text, in order. InvalidInput when no article is found."""
    title_lines: list[str] = []
    chapters: list[Chapter] = []
    articles: list[Article] = []
    preamble: list[str] = []
    waiting_title: Chapter | Article | None = None
    for raw in paragraphs:
        text = " ".join(raw.split())
        if not text:
            continue
        chapter = _match(_CHAPTER, text)
        if chapter is not None:
            number, title = chapter
            chapters.append(Chapter(number=_roman(number), title=title))
            waiting_title = chapters[-1] if not title else None
            continue
        article = _match(_ARTICLE, text)
        if article is not None:
            number, title = article
            articles.append(Article(number=number, title=title, chapter=chapters[-1].number if chapters else ""))
            waiting_title = articles[-1] if not title else None
            continue
        if waiting_title is not None and not _PARAGRAPH.match(text) and not _SUBPARAGRAPH.match(text):
            waiting_title.title = text  # "Chapter 1" on one line, its name on the next
            waiting_title = None
            continue
        waiting_title = None
        if not articles:
            (preamble if chapters or title_lines else title_lines).append(text)
            continue
        current = articles[-1]
        para = _PARAGRAPH.match(text)
        sub = _SUBPARAGRAPH.match(text)
        if para is not None:
            current.paragraphs.append(Paragraph(number=para.group(1), text=para.group(2).strip()))
        elif sub is not None:
            if not current.paragraphs:
                current.paragraphs.append(Paragraph(number="", text=""))
            current.paragraphs[-1].subparagraphs.append(SubParagraph(number=sub.group(1), text=sub.group(2).strip()))
        elif current.paragraphs and current.paragraphs[-1].subparagraphs:
            last = current.paragraphs[-1].subparagraphs[-1]
            last.text = f"{last.text}\n{text}"
        elif current.paragraphs and current.paragraphs[-1].number == "" or not current.paragraphs:
            if current.paragraphs:
                current.paragraphs[-1].text = f"{current.paragraphs[-1].text}\n{text}".strip()
            else:
                current.paragraphs.append(Paragraph(number="", text=text))
        else:
            current.paragraphs[-1].text = f"{current.paragraphs[-1].text}\n{text}"
    if not articles:
        raise InvalidInput("import.law.no_articles", field="file")
    law = Law(title=" ".join(title_lines), chapters=chapters, articles=articles, preamble=preamble)
    return assign_anchors(law)


def _inner_anchors(article: Article) -> Article:
    for k, p in enumerate(article.paragraphs, start=1):
        p.anchor = f"{article.anchor}.p{p.number or f'0{k}'}"
        for s in p.subparagraphs:
            s.anchor = f"{p.anchor}.s{s.number}"
    return article


def assign_anchors(law: Law, taken: set[str] | None = None) -> Law:
    """Anchors for a first version: ``ch-N``, ``art-N`` and the paragraphs' within them; a number met twice
    (a typing slip in the bill) gets ``~2``, so anchors stay unique."""
    used = set(taken or ())
    for c in law.chapters:
        c.anchor = _unique(f"ch-{c.number}", used)
    for a in law.articles:
        if not a.anchor:
            a.anchor = _unique(f"art-{a.number}", used)
        _inner_anchors(a)
    return law


def _unique(anchor: str, used: set[str]) -> str:
    candidate, n = anchor, 1
    while candidate in used:
        n += 1
        candidate = f"{anchor}~{n}"
    used.add(candidate)
    return candidate


def read_law(data: bytes, file_name: str) -> tuple[Law, str]:
    """A law from a file (checked and converted as a recommendations memo is) and its language."""
    from recdraft.importing import _convert, _docx, _language, _safety

    kind = _safety.check_file(data, file_name)
    docx_bytes = _convert.to_docx(data, kind, file_name) if kind in ("odt", "doc") else data
    if docx_bytes is not data:
        _safety.check_zip(docx_bytes, file_name, "docx")
    texts = [b.text for b in _docx.read_docx(docx_bytes, file_name).blocks()]
    if not any(t.strip() for t in texts):
        raise InvalidInput("import.file.no_text", field="file", name=file_name)
    language = _language.detect("\n".join(texts))
    if language is None:
        raise InvalidInput("import.file.language", field="file", name=file_name)
    return parse_law(texts), language


# --- the language versions side by side -----------------------------------------------------------------


@dataclass(frozen=True)
class AlignedArticle:
    number: str
    anchor: str
    articles: dict[str, Article]  # by language
    missing: tuple[str, ...]  # languages without this article


def align(versions: dict[str, Law], base: str) -> list[AlignedArticle]:
    """The language versions article by article, by number (versions of one bill share its numbering).

    The ``base`` language's anchors are given to the articles of the others with the same number, so one
    anchor names the same article in every language.
    """
    by_number = {lang: {a.number: a for a in law.articles} for lang, law in versions.items()}
    order = [a.number for a in versions[base].articles]
    order += [n for lang in versions for n in by_number[lang] if n not in order]
    rows = []
    for number in order:
        found = {lang: by_number[lang][number] for lang in versions if number in by_number[lang]}
        anchor = found[base].anchor if base in found else next(iter(found.values())).anchor
        for art in found.values():
            if art.anchor != anchor:
                art.anchor = anchor
                _inner_anchors(art)
        rows.append(
            AlignedArticle(
                number=number,
                anchor=anchor,
                articles=found,
                missing=tuple(lang for lang in versions if lang not in found),
            )
        )
    return rows


# --- a new version of the bill --------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleChange:
    """What became of one article between two versions: ``unchanged``, ``changed`` (its wording),
    ``renumbered`` (same wording, other number), ``changed_renumbered``, ``removed`` or ``added``."""

    anchor: str
    kind: str
    old_number: str | None
    new_number: str | None
    similarity: float


def _similarity(a: Article, b: Article) -> float:
    """How alike two articles are, word by word (0 to 1)."""
    return difflib.SequenceMatcher(None, a.wording().split(), b.wording().split(), autojunk=False).ratio()


def carry_over(old: Law, new: Law) -> tuple[Law, list[ArticleChange]]:
    """The new version with the old version's anchors where its articles still exist, and the changes.

    Articles are matched by wording: first those that come back word for word, in order; then an article
    keeps its anchor when it is the most alike of the old articles not matched yet and at least
    ``SAME_ARTICLE`` alike (so a renumbered article keeps its
    anchor, and recommendations on it follow it). An old article matched by none is ``removed``; a new
    article matched by none is ``added`` and gets an anchor no version has used.
    """
    new = copy.deepcopy(new)  # the new version is returned anchored; the one given is left as it was
    old_to_new: dict[int, int] = {}
    new_to_old: dict[int, int] = {}
    # Most articles come back word for word: match those first, in order, by their wording alone.
    by_wording: dict[str, list[int]] = {}
    for i, article in enumerate(old.articles):
        by_wording.setdefault(article.wording(), []).append(i)
    for j, article in enumerate(new.articles):
        waiting = by_wording.get(article.wording())
        if waiting:
            i = waiting.pop(0)
            old_to_new[i], new_to_old[j] = j, i
    # The rest (changed, added, removed: a few) by similarity, the most alike pairs first; the cheap upper
    # bounds of difflib spare the full comparison of pairs that cannot reach SAME_ARTICLE.
    rest_old = [i for i in range(len(old.articles)) if i not in old_to_new]
    rest_new = [j for j in range(len(new.articles)) if j not in new_to_old]
    scores = []
    # Articles move a little (one removed or inserted shifts the rest by one), never across the bill: pairs
    # further apart than the change in length plus WINDOW are not compared.
    window = abs(len(old.articles) - len(new.articles)) + WINDOW
    words = {("o", i): old.articles[i].wording().split() for i in rest_old}
    words.update({("n", j): new.articles[j].wording().split() for j in rest_new})
    for i in rest_old:
        for j in rest_new:
            if abs(i - j) > window:
                continue
            matcher = difflib.SequenceMatcher(None, words["o", i], words["n", j], autojunk=False)
            if matcher.real_quick_ratio() >= SAME_ARTICLE and matcher.quick_ratio() >= SAME_ARTICLE:
                score = matcher.ratio()
                if score >= SAME_ARTICLE:
                    scores.append((score, -abs(i - j), i, j))
    for _score, _distance, i, j in sorted(scores, reverse=True):
        if i in old_to_new or j in new_to_old:
            continue
        old_to_new[i], new_to_old[j] = j, i
    used = {a.anchor for a in old.articles} | {c.anchor for c in old.chapters}
    changes: list[ArticleChange] = []
    for j, article in enumerate(new.articles):
        if j in new_to_old:
            before = old.articles[new_to_old[j]]
            article.anchor = before.anchor
            same = before.wording() == article.wording()
            moved = before.number != article.number
            kind = ("renumbered" if moved else "unchanged") if same else ("changed_renumbered" if moved else "changed")
            changes.append(
                ArticleChange(
                    anchor=article.anchor,
                    kind=kind,
                    old_number=before.number,
                    new_number=article.number,
                    similarity=1.0 if same else round(_similarity(before, article), 3),
                )
            )
        else:
            article.anchor = _unique(f"art-{article.number}", used)
            changes.append(
                ArticleChange(
                    anchor=article.anchor, kind="added", old_number=None, new_number=article.number, similarity=0.0
                )
            )
        _inner_anchors(article)
    for i, article in enumerate(old.articles):
        if i not in old_to_new:
            changes.append(
                ArticleChange(
                    anchor=article.anchor, kind="removed", old_number=article.number, new_number=None, similarity=0.0
                )
            )
    chapters_by_number = {c.number: c.anchor for c in old.chapters}
    for c in new.chapters:
        c.anchor = chapters_by_number.get(c.number) or _unique(f"ch-{c.number}", used)
    return new, changes


FLAGGED = frozenset({"changed", "changed_renumbered", "removed"})


def flagged(changes: list[ArticleChange]) -> dict[str, ArticleChange]:
    """The anchors whose recommendations must be looked at again: the wording changed or the article is gone."""
    return {c.anchor: c for c in changes if c.kind in FLAGGED}
