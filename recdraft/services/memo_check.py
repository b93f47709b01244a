"""Is this the memo we sent? Check an uploaded memo file or a pasted SHA-256 against the stored snapshots.

A final memo prints the SHA-256 of its frozen snapshot in its last annex (``services.memo``). Checking:
- a pasted SHA-256 is looked up among the roundtable's snapshots, and the snapshot's own text is hashed
  again (it must still match what was recorded);
- an uploaded Word file: the SHA-256 printed in it is looked up the same way, and then every recommendation
  of that snapshot (title and text, in the snapshot's languages) must be in the document word for word —
  so a file whose recommendations were edited after the export is reported as changed, with their numbers;
- an uploaded snapshot JSON (``recdraft snapshots --show ID``) is hashed as it is.
Anyone with access to the roundtable may check (it changes nothing and shows no more than the memo does).
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from datetime import datetime

from sqlalchemy import select

from recdraft.db.engine import Database
from recdraft.db.memo_models import MemoSnapshot
from recdraft.db.models import Roundtable, User
from recdraft.errors import InvalidInput
from recdraft.schemas.views import View
from recdraft.services._base import Actor, _System, actor, get, member_role

MAX_FILE_BYTES = 50 * 1024 * 1024
# Parts of a .docx whose text is searched, and the most they may hold once unpacked (a "zip bomb" stops here).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_HEX64 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
_WORDS = re.compile(r"\w+", re.UNICODE)
_XML_TAG = re.compile(r"<[^>]+>")
_LIST_MARKER = re.compile(r"^[ \t]*(?:\d+[.)]|[-*+\u2022])[ \t]+", re.MULTILINE)
_BREAKS = re.compile(r"</w:p>|</w:tc>|<w:tab/>|<w:br/>|<w:cr/>")


class MemoCheckView(View):
    """What the check found. ``outcome``: matches, changed, unknown, no_hash."""

    outcome: str
    sha256: str = ""
    snapshot_id: int | None = None
    created_at: datetime | None = None
    lang: str = ""
    recommendations: int = 0
    sent_at: datetime | None = None
    sent_by_name: str = ""
    addressee: dict[str, str] = {}
    snapshot_intact: bool = True
    changed_numbers: list[int] = []


def _normal_hash(value: str) -> str:
    cleaned = re.sub(r"[\s:]", "", value or "").lower()
    if not re.fullmatch(r"[0-9a-f]{64}", cleaned):
        raise InvalidInput("svc.friction.sha_format", field="sha256")
    return cleaned


def _words(text: str) -> str:
    return " ".join(w.casefold() for w in _WORDS.findall(text))


def _docx_text(data: bytes) -> str:
    """The text of a Word file's document, headers, footers and notes, tags removed. Raises InvalidInput."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = [n for n in zf.namelist() if n.startswith("word/") and n.endswith(".xml")]
            if "word/document.xml" not in names:
                raise InvalidInput("svc.friction.not_docx", field="file")
            total, parts = 0, []
            for name in names:
                total += zf.getinfo(name).file_size
                if total > MAX_UNPACKED_BYTES:
                    raise InvalidInput("svc.friction.too_large", field="file")
                xml = zf.read(name).decode("utf-8", errors="replace")
                # Runs of one paragraph join without a space (Word splits words and the hash across runs);
                # a paragraph, cell, tab or line break ends a word.
                xml = _BREAKS.sub(" ", xml)
                parts.append(html.unescape(_XML_TAG.sub("", xml)))
            return " ".join(parts)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as exc:
        if isinstance(exc, InvalidInput):
            raise
        raise InvalidInput("svc.friction.unreadable", field="file") from None


def _hashes_in(text: str) -> list[str]:
    # The annex may wrap the hash across runs; joined runs give it back. Upper case counts too.
    return list(dict.fromkeys(_HEX64.findall(re.sub(r"\s+", " ", text).lower())))


def _changed(snap: MemoSnapshot, document: str) -> list[int]:
    """Numbers of the snapshot's recommendations whose title or text is not in the document word for word."""
    try:
        data = json.loads(snap.canonical)
    except ValueError:
        return []
    doc = " " + _words(document) + " "
    changed = []
    printed = set((snap.lang or "").split("+"))  # the languages the memo prints (the snapshot holds them all)
    for rec in data.get("recommendations", []):
        by_lang = rec.get("content") or {}
        shown = [c for code, c in by_lang.items() if code in printed] or list(by_lang.values())[:1]
        for content in shown:
            for field in ("title", "text"):
                # A list item's "1." or "-" becomes Word's own numbering or bullet, which is not text.
                words = _words(_LIST_MARKER.sub("", str(content.get(field) or "")))
                if words and f" {words} " not in doc:
                    changed.append(int(rec.get("number", 0)))
                    break
            else:
                continue
            break
    return sorted(set(changed))


def check_memo(
    db: Database, *, actor_id: Actor, roundtable_id: int, file: bytes | None = None, sha256: str | None = None
) -> MemoCheckView:
    """Whether an uploaded memo (or a pasted SHA-256) is one of the roundtable's final-memo snapshots, and which.

    Any participant. Raises InvalidInput (nothing given, a malformed hash, an unreadable file), PermissionDenied.
    """
    if not file and not (sha256 or "").strip():
        raise InvalidInput("svc.friction.nothing", field="file")
    if file and len(file) > MAX_FILE_BYTES:
        raise InvalidInput("svc.friction.too_large", field="file")
    document = None
    if file:
        if file.lstrip()[:1] == b"{":
            candidates = [hashlib.sha256(file).hexdigest()]  # the snapshot JSON itself
        elif file[:4] == b"%PDF":
            raise InvalidInput("svc.friction.pdf", field="file")
        else:
            document = _docx_text(file)
            candidates = _hashes_in(document)
    else:
        candidates = [_normal_hash(sha256 or "")]
    with db.read() as s:
        if not isinstance(actor_id, _System):
            member_role(s, actor(s, actor_id), roundtable_id)
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        if not candidates:
            return MemoCheckView(outcome="no_hash")
        snap = s.scalar(
            select(MemoSnapshot)
            .where(MemoSnapshot.roundtable_id == roundtable_id, MemoSnapshot.sha256.in_(candidates))
            .order_by(MemoSnapshot.id.desc())
        )
        if snap is None:
            return MemoCheckView(outcome="unknown", sha256=candidates[0])
        sender = s.get(User, snap.sent_by) if snap.sent_by else None
        intact = hashlib.sha256(snap.canonical.encode("utf-8")).hexdigest() == snap.sha256
        changed = _changed(snap, document) if document is not None else []
        return MemoCheckView(
            outcome="matches" if intact and not changed else "changed",
            sha256=snap.sha256,
            snapshot_id=snap.id,
            created_at=snap.created_at,
            lang=snap.lang,
            recommendations=len(snap.recommendation_ids or {}),
            sent_at=snap.sent_at,
            sent_by_name=sender.display_name if sender else "",
            addressee={k: str(v) for k, v in (rt.addressee or {}).items()},
            snapshot_intact=intact,
            changed_numbers=changed,
        )
