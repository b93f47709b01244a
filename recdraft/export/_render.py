"""render_memo: MemoData + template -> .docx bytes."""

from __future__ import annotations

import datetime as dt
import io
import pathlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from lxml import etree

from recdraft.export import DEFAULT_TEMPLATE, _annexes, _sections
from recdraft.export._context import Ctx
from recdraft.export._ooxml import LANG, VAL, W_NS, Splicer, clean, paragraph, w
from recdraft.export._package import (
    CORE_PROPERTIES,
    FOOTER,
    HEADER,
    NUMBERING,
    SETTINGS,
    STYLES,
    Package,
    TemplateUnusable,
    set_core_properties,
)
from recdraft.export._result import RenderResult
from recdraft.export._template import (
    Expander,
    Numbering,
    StyleMap,
    base_headings_on_builtin,
    fill_placeholders,
    page_x_of_y,
    text_width,
)
from recdraft.export.wording import LANG_TAGS, word

LANGUAGES = ("en", "ru", "kk", "kk+ru")
VARIANTS = ("final", "review", "redline", "comparison")
# On: Word updates the contents (page numbers) when the memo is opened, after asking once — unless
# the export already carries LibreOffice's page numbers (``toc_pages``): then nothing prompts. The
# contents are always pre-filled and linked, so LibreOffice, pandoc and print show the list as it is.
UPDATE_FIELDS_ON_OPEN = True
# CT_Settings children that must follow w:updateFields (schema order matters to Word).
_AFTER_UPDATE_FIELDS = tuple(
    w(t)
    for t in (
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "mathPr",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    )
)

if TYPE_CHECKING:
    from recdraft.schemas.memo import MemoData


def render(
    data: MemoData,
    *,
    lang: str,
    variant: str,
    template: pathlib.Path | None = None,
    progress: Callable[[float, str], None] | None = None,
    toc_pages: list[int] | None = None,
) -> RenderResult:
    """See ``recdraft.export.render_memo``."""
    if lang not in LANGUAGES or variant not in VARIANTS:
        from recdraft.errors import InvalidValue  # the catalogue loads only for a message

        if lang not in LANGUAGES:
            raise InvalidValue("export.unknown_lang", lang=lang)
        raise InvalidValue("svc.memo.unknown_variant", variant=variant)
    report = progress or (lambda fraction, message: None)
    path = pathlib.Path(template) if template is not None else DEFAULT_TEMPLATE

    report(0.0, "Opening the template")
    document = _open(path, review=variant == "review")
    styles = StyleMap(document.styles, path.name)
    base_headings_on_builtin(document.styles)
    numbering = Numbering(document.numbering, styles)
    body = document.body
    sect_pr = body.find(w("sectPr"))
    for child in list(body):  # drop the template's specimen text, keep the page setup
        body.remove(child)
    if sect_pr is None:
        sect_pr = body.makeelement(w("sectPr"), {})

    langs = ("kk", "ru") if lang == "kk+ru" else (lang,)
    ctx = Ctx(
        data=data,
        langs=langs,
        variant=variant,
        styles=styles,
        numbering=numbering,
        width=text_width(sect_pr),
        progress=report,
    )

    report(0.05, "Title page")
    last_title = _sections.title_page(ctx, body)
    if variant == "comparison":
        from recdraft.export import _comparison

        # Title page portrait; addressee and the wide table on landscape pages.
        _comparison.landscape_section(ctx, last_title, sect_pr)
        _sections.addressee(ctx, body, page_break=False)
        report(0.2, "Comparison table")
        _comparison.comparison(ctx, body)
    else:
        _sections.addressee(ctx, body)
        toc = _sections.table_of_contents(ctx, body)
        rt = data.roundtable
        _sections.section(ctx, body, "executive_summary", rt.executive_summary, page_break=True, header=ctx.bilingual)
        _sections.section(ctx, body, "background", rt.background)
        report(0.2, "Recommendations")
        quotes = {}
        if variant == "review":
            from recdraft.export import _review

            quotes = _review.quotes_by_recommendation(ctx)
        _sections.recommendations(ctx, body, quotes)
        _sections.closing(ctx, body)
        report(0.7, "Annexes")
        _annexes.annexes(ctx, body)
        _sections.fill_toc(ctx, toc, toc_pages)
    body.append(sect_pr)
    _close_empty_cells(ctx, body)

    report(0.85, "Header, footer and properties")
    _fill_header_footer(ctx, document)
    _set_language_and_properties(ctx, document)
    if UPDATE_FIELDS_ON_OPEN and variant != "comparison" and toc_pages is None:
        # Without page numbers from a layout engine, Word fills them in on opening (it asks once).
        _update_fields_on_open(document)
    if variant == "review":
        from recdraft.export import _review

        assert isinstance(document, _DocxTemplate)  # _open gives the review variant python-docx's document
        _review.add_comments(ctx, document.docx)

    report(0.9, "Saving")
    content = document.save(ctx.splicer)
    report(1.0, "Done")
    return RenderResult(content=content, warnings=list(dict.fromkeys(ctx.warnings)))


class _Template:
    """The template opened with zipfile and lxml (``_package``): no python-docx."""

    def __init__(self, path: pathlib.Path) -> None:
        self._package = package = Package(str(path))
        main = package.main
        parts = {kind: package.related(main, kind) for kind in (STYLES, NUMBERING, SETTINGS)}
        core = package.related("", CORE_PROPERTIES)
        if not all(parts.values()) or not core:  # python-docx would add the missing part: let it
            raise TemplateUnusable(str(path))
        self.styles = package.part(parts[STYLES][0])
        self.numbering = package.part(parts[NUMBERING][0])
        self.settings = package.part(parts[SETTINGS][0])
        self.core = package.part(core[0])
        self.body = package.part(main).find(w("body"))
        self.headers_footers = [package.part(name) for kind in (HEADER, FOOTER) for name in package.related(main, kind)]
        if self.body is None:
            raise TemplateUnusable(str(path))

    def set_core_properties(self, **values) -> None:
        set_core_properties(self.core, **values)

    def save(self, splicer: Splicer) -> bytes:
        return self._package.save(splicer.splice)


class _DocxTemplate:
    """The template opened with python-docx (the review variant adds Word comments through it)."""

    def __init__(self, path: pathlib.Path) -> None:
        import docx
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        self.docx = document = docx.Document(str(path))
        self.styles = document.styles.element
        self.numbering = document.part.numbering_part.element
        self.settings = document.settings.element
        self.body = document.element.body
        self.headers_footers = [
            rel.target_part.element
            for rel in document.part.rels.values()
            if rel.reltype in (RT.HEADER, RT.FOOTER) and not rel.is_external
        ]

    def set_core_properties(
        self, *, title: str, subject: str, author: str, language: str, moment: dt.datetime, revision: int
    ) -> None:
        props = self.docx.core_properties
        props.title, props.subject, props.author, props.last_modified_by = title, subject, author, author
        props.language, props.created, props.modified, props.revision = language, moment, moment, revision

    def save(self, splicer: Splicer) -> bytes:
        """``document.save`` (python-docx's package writer, the same parts in the same order), with
        word/document.xml spliced (see ``_ooxml.Splicer``)."""
        from docx.opc.pkgwriter import PackageWriter

        package = self.docx.part.package
        parts = list(package.parts)
        for part in parts:
            part.before_marshal()
        main = self.docx.part
        buffer = io.BytesIO()
        PackageWriter.write(buffer, package.rels, [_SplicedPart(p, splicer) if p is main else p for p in parts])
        return buffer.getvalue()


class _SplicedPart:
    """The main document part as python-docx writes it, with the markup kept as strings spliced in."""

    def __init__(self, part, splicer: Splicer) -> None:
        self._part, self._splicer = part, splicer
        self.partname, self.content_type, self.rels = part.partname, part.content_type, part.rels

    @property
    def blob(self) -> bytes:
        return self._splicer.splice(self._part.blob)


def _open(path: pathlib.Path, *, review: bool) -> _Template | _DocxTemplate:
    if not review:
        try:
            return _Template(path)
        except TemplateUnusable:
            pass
    return _DocxTemplate(path)


def _fill_header_footer(ctx: Ctx, document: _Template | _DocxTemplate) -> None:
    rt = ctx.data.roundtable
    draft = "" if ctx.data.is_final else ctx.label("draft_mark")
    values: dict[str, str | Expander] = {
        "letterhead": ctx.text(rt.organisers),
        "title": ctx.text(rt.title),
        "draft_mark": draft,
        "page_x_of_y": page_x_of_y(word(ctx.lang, "page_x_of_y")),
    }
    for element in document.headers_footers:
        fill_placeholders(element, values)


def _set_language_and_properties(ctx: Ctx, document: _Template | _DocxTemplate) -> None:
    """Proofing language of the memo language, and title/subject/language in the file properties."""
    defaults = document.styles.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")
    if defaults is not None:
        lang_el = defaults.find(LANG)
        if lang_el is None:
            lang_el = defaults.makeelement(LANG, {})
            defaults.append(lang_el)
        lang_el.set(VAL, LANG_TAGS[ctx.lang])
    rt = ctx.data.roundtable
    author = clean(ctx.text(rt.organisers), single_line=True)[:255]
    document.set_core_properties(
        title=clean(ctx.text(rt.title), single_line=True)[:255],
        subject=ctx.label("memo_kind")[:255],
        # The organisers, never the person who pressed "export": they may have withheld their name.
        author=author,
        language=LANG_TAGS[ctx.lang],
        moment=ctx.data.prepared_at or dt.datetime.now(dt.UTC),
        revision=1,
    )


def _update_fields_on_open(document: _Template | _DocxTemplate) -> None:
    settings = document.settings
    if settings.find(w("updateFields")) is not None:
        return
    flag = settings.makeelement(w("updateFields"), {VAL: "true"})
    successor = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
    if successor is not None:
        successor.addprevious(flag)
    else:
        settings.append(flag)


def _close_empty_cells(ctx: Ctx, body: etree._Element) -> None:
    """Every table cell must end with a paragraph (Word refuses the file otherwise); blank input
    such as a reason of only spaces can leave a cell without one."""
    style = ctx.s("Memo Table Text")
    # One XPath in C instead of a Python proxy per cell (a large memo has thousands of cells).
    for tc in _CELLS_NOT_ENDING_IN_A_PARAGRAPH(body):
        paragraph(tc, style)


# A placeholder of markup kept as strings (a comment) always stands for paragraphs.
_CELLS_NOT_ENDING_IN_A_PARAGRAPH = etree.XPath(
    ".//w:tc[not(node()[last()][self::w:p or self::comment()])]", namespaces={"w": W_NS}
)
