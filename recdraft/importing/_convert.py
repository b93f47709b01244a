"""An .odt or .doc turned into .docx by LibreOffice headless, so that one reader reads every file.

Each conversion runs its own ``soffice`` with a private, throw-away profile (two imports at once do not
share a profile lock) and a time limit; the file never leaves a temporary directory of its own.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from recdraft.errors import InvalidInput

TIMEOUT_SECONDS = 120


def soffice() -> str | None:
    """The LibreOffice program, when it is installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, kind: str, file_name: str) -> bytes:
    """The .docx LibreOffice makes of ``data`` (an .odt or .doc); InvalidInput when it cannot."""
    program = soffice()
    if program is None:
        raise InvalidInput("import.file.no_converter", field="file", name=file_name)
    with tempfile.TemporaryDirectory(prefix="recdraft-import-") as tmp:
        work = Path(tmp)
        source = work / f"source.{kind}"
        source.write_bytes(data)
        out = work / "out"
        out.mkdir()
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ]
        # A session of its own: on a time-out the whole group (oosplash and soffice.bin) is stopped.
        proc = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            proc.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise InvalidInput("import.file.not_converted", field="file", name=file_name) from None
        produced = out / "source.docx"
        if not produced.exists() or produced.stat().st_size == 0:
            # LibreOffice asks for a password it cannot get headless, and writes nothing.
            raise InvalidInput("import.file.not_converted", field="file", name=file_name)
        return produced.read_bytes()
