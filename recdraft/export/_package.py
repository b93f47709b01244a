"""The template's package read and written with zipfile and lxml: python-docx is not imported.

What ``docx.Document(template)`` + ``document.save`` did for the memo, and only that: the parts
reachable from the package relationships, written in python-docx's order (each part, then its
relationships); the parts the memo changes (document, styles, numbering, settings, headers, footers,
core properties) parsed as python-docx parses them and serialised as it serialises them; every
other part (and [Content_Types].xml, the relationships) kept byte for byte. The review variant,
which adds Word comments, still goes through python-docx (``_render``).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import zipfile

from lxml import etree

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CP_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC_NS = "http://purl.org/dc/elements/1.1/"
DCTERMS_NS = "http://purl.org/dc/terms/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OFFICE_DOCUMENT = f"{RT_NS}/officeDocument"
CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
HEADER, FOOTER = f"{RT_NS}/header", f"{RT_NS}/footer"
STYLES, NUMBERING, SETTINGS = f"{RT_NS}/styles", f"{RT_NS}/numbering", f"{RT_NS}/settings"
# python-docx's parser (docx.oxml.parser): blank text dropped, no entities resolved.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


class TemplateUnusable(Exception):
    """The template is not a Word document this package reader understands (python-docx will say why)."""


def _rels_name(partname: str) -> str:
    folder, name = posixpath.split(partname)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class Package:
    """A .docx read from ``path``: ``part(name)`` parses a part to change it; ``save`` writes the package."""

    def __init__(self, path: str) -> None:
        with zipfile.ZipFile(path) as zf:
            self._blobs = {info.filename: zf.read(info) for info in zf.infolist()}
        self._parsed: dict[str, etree._Element] = {}
        self._rels: dict[str, list[tuple[str, str]]] = {}  # part -> [(type, target part)], internal only
        self.order: list[str] = []
        self._walk("")
        main = self.related("", OFFICE_DOCUMENT)
        if not main:
            raise TemplateUnusable(path)
        self.main = main[0]

    def _relationships(self, source: str) -> list[tuple[str, str]]:
        found = self._rels.get(source)
        if found is not None:
            return found
        rels_name = _rels_name(source) if source else "_rels/.rels"
        found = []
        blob = self._blobs.get(rels_name)
        if blob is not None:
            base = posixpath.dirname(source)
            for rel in etree.fromstring(blob, _PARSER):
                if rel.get("TargetMode") == "External":
                    continue
                target = posixpath.normpath(posixpath.join(base, rel.get("Target", ""))).lstrip("/")
                found.append((rel.get("Type", ""), target))
        self._rels[source] = found
        return found

    def _walk(self, source: str) -> None:
        """python-docx's ``iter_parts``: depth first along the relationships, each part once."""
        for _, target in self._relationships(source):
            if target in self.order or target not in self._blobs:
                continue
            self.order.append(target)
            self._walk(target)

    def related(self, source: str, reltype: str) -> list[str]:
        return [target for kind, target in self._relationships(source) if kind == reltype and target in self._blobs]

    def part(self, name: str) -> etree._Element:
        """The part's root element, parsed once; changes to it are saved."""
        element = self._parsed.get(name)
        if element is None:
            element = self._parsed[name] = etree.fromstring(self._blobs[name], _PARSER)
        return element

    def _content_types(self) -> bytes:
        return _sorted_content_types(self._blobs["[Content_Types].xml"], set(self.order))

    def save(self, splice=None) -> bytes:
        """The package as bytes; ``splice(xml)`` post-processes the serialised main document part."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("[Content_Types].xml", self._content_types())
            zf.writestr("_rels/.rels", self._blobs["_rels/.rels"])
            for name in self.order:
                element = self._parsed.get(name)
                if element is None:
                    blob = self._blobs[name]
                else:
                    blob = etree.tostring(element, encoding="UTF-8", standalone=True)
                    if splice is not None and name == self.main:
                        blob = splice(blob)
                zf.writestr(name, blob)
                if self._relationships(name):
                    zf.writestr(_rels_name(name), self._blobs[_rels_name(name)])
        return out.getvalue()


def _sorted_content_types(blob: bytes, written: set[str]) -> bytes:
    """[Content_Types].xml as python-docx writes it: the defaults by extension, then an override per
    written part, by part name."""
    root = etree.fromstring(blob, _PARSER)
    defaults = sorted((e for e in root if e.tag == f"{{{CT_NS}}}Default"), key=lambda e: e.get("Extension", ""))
    overrides = sorted(
        (e for e in root if e.tag == f"{{{CT_NS}}}Override" and e.get("PartName", "").lstrip("/") in written),
        key=lambda e: e.get("PartName", ""),
    )
    for child in list(root):
        root.remove(child)
    root.extend(defaults + overrides)
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def set_core_properties(
    core: etree._Element, *, title: str, subject: str, author: str, language: str, moment: dt.datetime, revision: int
) -> None:
    """What python-docx's ``core_properties`` setters write (the same elements, in the same places)."""

    def child(ns: str, tag: str) -> etree._Element:
        found = core.find(f"{{{ns}}}{tag}")
        if found is None:
            nsmap = {"dcterms": DCTERMS_NS} if ns == DCTERMS_NS else None
            found = etree.SubElement(core, f"{{{ns}}}{tag}", nsmap=nsmap)
        return found

    child(DC_NS, "title").text = title
    child(DC_NS, "subject").text = subject
    child(DC_NS, "creator").text = author
    child(CP_NS, "lastModifiedBy").text = author
    child(DC_NS, "language").text = language
    for tag in ("created", "modified"):
        element = child(DCTERMS_NS, tag)
        element.text = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        core.set(f"{{{XSI_NS}}}foo", "bar")  # python-docx's way of declaring xsi on the root
        element.set(f"{{{XSI_NS}}}type", "dcterms:W3CDTF")
        del core.attrib[f"{{{XSI_NS}}}foo"]
    child(CP_NS, "revision").text = str(revision)
