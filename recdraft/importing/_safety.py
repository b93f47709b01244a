"""What is checked before a byte of the file is parsed: its size, its kind, encryption, macros, zip bombs.

Every refusal is an ``InvalidInput`` on the field ``file`` with an ``import.*`` key: the person is told
what is wrong with the file and how to get an importable one, and nothing is read or stored.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from recdraft.errors import InvalidInput

MAX_FILE_BYTES = 20 * 1024 * 1024  # a 300-page memo with pictures is a few MB; 50 MB is refused
MAX_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # everything in the zip once unpacked
MAX_ENTRY_BYTES = 100 * 1024 * 1024
# XML compresses about 10:1 (a long memo's document.xml up to 30:1); a zip bomb is 1000:1 and more.
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # small entries may compress as well as they like

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a .doc, or an encrypted .docx (an OLE container)
ZIP_MAGIC = b"PK\x03\x04"
KINDS = {".docx": "docx", ".docm": "docm", ".odt": "odt", ".doc": "doc"}
MACRO_CONTENT_TYPE = "application/vnd.ms-word.document.macroEnabled.main+xml"


def _mb(size: int) -> int:
    return max(1, round(size / (1024 * 1024)))


def kind_of(file_name: str) -> str:
    """docx / odt / doc from the file name; refuses anything else (a .docm is refused for its macros)."""
    suffix = PurePath(file_name or "").suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        raise InvalidInput("import.file.unsupported", field="file", name=file_name)
    if kind == "docm":
        raise InvalidInput("import.file.macros", field="file", name=file_name)
    return kind


def check_file(data: bytes, file_name: str) -> str:
    """The kind of an importable file, or InvalidInput saying why it cannot be imported."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("import.file.too_big", field="file", size=_mb(len(data)), limit=_mb(MAX_FILE_BYTES))
    kind = kind_of(file_name)
    if not data.strip(b"\x00 \r\n\t"):
        raise InvalidInput("import.file.empty", field="file", name=file_name)
    if data.startswith(OLE_MAGIC):
        # Word and LibreOffice keep a password-protected .docx/.odt inside an OLE container.
        if kind != "doc" or _ole_encrypted(data):
            raise InvalidInput("import.file.encrypted", field="file", name=file_name)
        return kind
    if not data.startswith(ZIP_MAGIC) or kind == "doc":
        raise InvalidInput("import.file.damaged", field="file", name=file_name)
    check_zip(data, file_name, kind)
    return kind


def _ole_encrypted(data: bytes) -> bool:
    """Whether an OLE file (.doc) is password-protected: an ``EncryptedPackage`` stream, or the
    ``fEncrypted`` bit of the Word binary's file information block."""
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return True
    # The WordDocument stream starts with the FIB: wIdent 0xA5EC, then at offset 0x0A the flags whose bit
    # 0x0100 is fEncrypted. Sectors are 512 bytes, so the FIB starts on a sector boundary.
    for offset in range(512, min(len(data), 512 * 4096), 512):
        if data[offset : offset + 2] == b"\xec\xa5":
            flags = int.from_bytes(data[offset + 0x0A : offset + 0x0C], "little")
            return bool(flags & 0x0100)
    return False


def check_zip(data: bytes, file_name: str, kind: str) -> None:
    """Refuse a zip whose entries are encrypted, too many, too big once unpacked or packed too well
    (a zip bomb), and a Word file with macros; all from the central directory, before anything is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InvalidInput("import.file.damaged", field="file", name=file_name) from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise InvalidInput("import.file.zip_bomb", field="file", name=file_name)
        total = 0
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise InvalidInput("import.file.encrypted", field="file", name=file_name)
            total += entry.file_size
            if entry.file_size > MAX_ENTRY_BYTES or total > MAX_UNPACKED_BYTES:
                raise InvalidInput("import.file.zip_bomb", field="file", name=file_name)
            if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                raise InvalidInput("import.file.zip_bomb", field="file", name=file_name)
        names = {entry.filename for entry in entries}
        if kind == "odt":
            if "META-INF/manifest.xml" in names:
                manifest = archive.read("META-INF/manifest.xml")
                if b"encryption-data" in manifest:
                    raise InvalidInput("import.file.encrypted", field="file", name=file_name)
            return
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise InvalidInput("import.file.macros", field="file", name=file_name)
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise InvalidInput("import.file.damaged", field="file", name=file_name)
        if MACRO_CONTENT_TYPE.encode() in archive.read("[Content_Types].xml"):
            raise InvalidInput("import.file.macros", field="file", name=file_name)
