"""Independent .docx readers: LibreOffice (to PDF and ODF), pandoc and pdftotext.

LibreOffice costs ~2 s a file and more to start, so every rendered memo is converted in one
``soffice`` call per session, with a private profile so parallel runs do not collide.
"""

from __future__ import annotations

import pathlib
import subprocess
import uuid
from collections.abc import Iterable

import pytest

from recdraft.export import render_memo
from tests.tools import require_tool
from tests.unit.export.factories import draft_data, memo_data

LANGS = ("en", "ru", "kk", "kk+ru")
VARIANTS = ("final", "review", "redline", "comparison")


def soffice_convert(files: Iterable[pathlib.Path], outdir: pathlib.Path, fmt: str = "pdf", timeout: int = 300) -> None:
    """Convert ``files`` with one LibreOffice process and a throw-away profile."""
    soffice = require_tool("soffice", package="libreoffice-writer-nogui")
    profile = pathlib.Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                *map(str, files),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    finally:
        subprocess.run(["rm", "-rf", str(profile)], check=False)


def pdftotext(pdf: pathlib.Path) -> str:
    tool = require_tool("pdftotext", package="poppler-utils")
    return subprocess.run([tool, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pandoc_plain(path: pathlib.Path) -> str:
    tool = require_tool("pandoc", package="pandoc")
    return subprocess.run(
        [tool, "-f", "docx", "-t", "plain", "--wrap=none", str(path)], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture(scope="session")
def rendered_memos(tmp_path_factory) -> dict[tuple[str, str], pathlib.Path]:
    """Every variant × language as .docx files (the ru final one is a draft)."""
    out = tmp_path_factory.mktemp("memos")
    files = {}
    for lang in LANGS:
        for variant in VARIANTS:
            data = draft_data() if (lang, variant) == ("ru", "final") else memo_data()
            path = out / f"{variant}-{lang}.docx"
            path.write_bytes(render_memo(data, lang=lang, variant=variant).content)
            files[(variant, lang)] = path
    return files


@pytest.fixture(scope="session")
def pdfs(rendered_memos, tmp_path_factory) -> dict[tuple[str, str], pathlib.Path]:
    """The same memos converted to PDF by LibreOffice in one call."""
    out = tmp_path_factory.mktemp("pdf")
    soffice_convert(rendered_memos.values(), out)
    return {key: out / (path.stem + ".pdf") for key, path in rendered_memos.items()}
