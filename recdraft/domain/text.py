"""Text cleaning shared by input validation and the export.

Why here: the same rules must hold when text enters (pydantic validators) and when it leaves
(the .docx writer refuses XML-invalid characters at ``add_run`` time), so there is one place.
"""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 forbids (python-docx raises on them), plus U+FFFE/U+FFFF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Lone surrogates cannot be encoded as UTF-8 and never belong in stored text.
_SURROGATES = re.compile("[\ud800-\udfff]")
# Bidirectional embedding/override/isolate controls: can disguise names and titles ("Trojan Source").
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
# Characters that render as nothing: a text made only of these (and whitespace) is empty.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f" + BIDI_CONTROLS + "]")
# Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern): "visible" by their
# Unicode category, yet a name made of them looks empty.
_BLANK_GLYPHS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Spaces that must not break or vanish: legal text writes "Article\u00a026", "10\u202f000", "5\u2009%".
KEPT_SPACES = "\u00a0\u2009\u202f"
# Any run of whitespace except the kept spaces (which stay exactly as typed).
_FOLDED_SPACE = re.compile(f"[^\\S{KEPT_SPACES}]+")


def clean_text(value: str, *, single_line: bool = False, strip_bidi: bool = False) -> str:
    """Return ``value`` in NFC with XML-invalid characters and lone surrogates removed.

    ``single_line`` folds any line breaks, tabs and runs of spaces into single spaces (titles, names),
    keeping no-break and thin spaces (``KEPT_SPACES``) as typed; a single-line text with nothing
    visible in it (``is_blank``) becomes empty, so invisible characters alone are never stored.
    ``strip_bidi`` removes bidi override characters (titles, names). Newlines and tabs in
    multi-line text are kept; CRLF becomes LF.
    """
    value = _SURROGATES.sub("", value)
    value = _XML_INVALID.sub("", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value)
    if strip_bidi:
        value = _BIDI.sub("", value)
    if single_line:
        value = _FOLDED_SPACE.sub(" ", value).strip(" ")
        if is_blank(value):
            return ""
    return value


def is_blank(value: str) -> bool:
    """True when ``value`` holds nothing visible: empty, whitespace, invisible characters (zero-width,
    format and control characters, combining marks with nothing to sit on, blank glyphs) only."""
    for ch in _INVISIBLE.sub("", value):
        if ch.isspace() or ch in _BLANK_GLYPHS:
            continue
        if unicodedata.category(ch)[0] in "LNPS":
            return False
    return True


def xml_safe(value: str) -> str:
    """Remove what XML 1.0 cannot hold; used again at export time as a last line of defence."""
    return _XML_INVALID.sub("", _SURROGATES.sub("", value))
