"""PDF/A-2b through LibreOffice headless, driven by Debian's python3-uno (see ``lo_pdf.py``).

The system Python runs the script: python3-uno is built for it, not for the application's venv.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import tempfile

from recdraft.export._errors import PdfUnavailable

SCRIPT = pathlib.Path(__file__).with_name("lo_pdf.py")
SYSTEM_PYTHON = "/usr/bin/python3"


def available() -> bool:
    """True when LibreOffice and the system Python's UNO bridge are installed."""
    if shutil.which("soffice") is None or not pathlib.Path(SYSTEM_PYTHON).exists():
        return False
    done = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return done.returncode == 0


def to_pdf(docx: bytes, *, timeout: float = 240) -> tuple[bytes, list[int]]:
    """(PDF/A-2b bytes, the contents' page numbers in order). Raises PdfUnavailable."""
    if not available():
        raise PdfUnavailable("svc.memo.pdf_missing")
    with tempfile.TemporaryDirectory(prefix="recdraft-pdf-") as folder:
        work = pathlib.Path(folder)
        source, target, toc = work / "memo.docx", work / "memo.pdf", work / "toc.json"
        source.write_bytes(docx)
        try:
            done = subprocess.run(
                [SYSTEM_PYTHON, str(SCRIPT), str(source), str(target), str(toc)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable("svc.memo.pdf_timeout", seconds=f"{timeout:g}") from None
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
            raise PdfUnavailable("svc.memo.pdf_failed", detail=detail[0])
        pages = json.loads(toc.read_text(encoding="utf-8")) if toc.exists() else []
        return target.read_bytes(), [int(p) for p in pages]
