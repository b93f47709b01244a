"""Run by the *system* Python (``/usr/bin/python3``, which has Debian's ``python3-uno``), never imported.

    /usr/bin/python3 lo_pdf.py IN.docx OUT.pdf TOC.json

Starts a private headless LibreOffice, loads the memo, updates every index (the contents get their
page numbers), stores it as PDF/A-2b with the fonts embedded, and writes the contents' page
numbers (one per entry, in order) to TOC.json so the .docx can carry the same numbers.
Exit status 0 on success; anything else is printed to stderr.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import uuid


def _prop(name, value):
    import uno  # noqa: F401  (loads the UNO bridge)
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(source: str, target: str, toc_json: str) -> int:
    import uno

    soffice = shutil.which("soffice") or "/usr/bin/soffice"
    profile = pathlib.Path(tempfile.mkdtemp(prefix="lo-pdf-"))
    pipe = f"recdraft-{uuid.uuid4().hex}"
    proc = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(300):  # up to 30 s for a cold start on a busy machine
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001  (NoConnectException until soffice listens)
                if proc.poll() is not None:
                    print("LibreOffice exited before accepting a connection", file=sys.stderr)
                    return 2
                time.sleep(0.1)
        if ctx is None:
            print("LibreOffice did not start", file=sys.stderr)
            return 2
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (_prop("Hidden", True),)
        )
        pages: list[int] = []
        indexes = doc.getDocumentIndexes()
        for k in range(indexes.getCount()):
            index = indexes.getByIndex(k)
            index.update()
            for line in index.getAnchor().getString().splitlines():
                tail = line.rsplit("\t", 1)[-1].strip()
                if tail.isdigit():
                    pages.append(int(tail))
        filter_data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple(
                [
                    _prop("SelectPdfVersion", 2),  # PDF/A-2b
                    _prop("UseTaggedPDF", True),
                    _prop("ExportBookmarks", True),
                ]
            ),
        )
        doc.storeToURL(
            uno.systemPathToFileUrl(os.path.abspath(target)),
            (_prop("FilterName", "writer_pdf_Export"), _prop("FilterData", filter_data)),
        )
        doc.close(True)
        pathlib.Path(toc_json).write_text(json.dumps(pages), encoding="utf-8")
        try:
            desktop.terminate()
        except Exception:  # noqa: BLE001  (the bridge drops as soffice quits)
            pass
        return 0
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
