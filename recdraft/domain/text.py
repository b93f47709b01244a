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


def clean_text(value: str, *, single_line: bool = False, strip_bidi: bool = False) -> str:
    """Return ``value`` in NFC with XML-invalid characters and lone surrogates removed.

    ``single_line`` folds any line breaks and tabs into single spaces (titles, names);
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
        value = " ".join(value.split())
    return value


def is_blank(value: str) -> bool:
    """True when ``value`` holds nothing visible: empty, whitespace or invisible characters only."""
    return not _INVISIBLE.sub("", value).strip()


def xml_safe(value: str) -> str:
    """Remove what XML 1.0 cannot hold; used again at export time as a last line of defence."""
    return _XML_INVALID.sub("", _SURROGATES.sub("", value))
