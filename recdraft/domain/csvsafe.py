"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV Injection").

Why: exported comments are opened in Excel or LibreOffice by the school's staff, and a comment
that starts with ``=`` (or ``+ - @``, a tab or a carriage return) would be evaluated there, e.g.
``=cmd|' /C calc'!A0`` or ``=HYPERLINK(...)`` sending data elsewhere. OWASP's rule: prefix such
a cell with a single quote so the spreadsheet shows it as text.

Decisions:
- Leading whitespace and invisible characters are skipped before looking at the first character,
  because spreadsheets may trim them and then see the formula.
- Full-width ``＝ ＋ － ＠`` count too: some spreadsheet versions (and IME input) treat them as
  their ASCII forms.
- Every match is prefixed, plain negative numbers like ``-5`` included: the export is for
  reading, the cell still shows ``-5``, and an exception for "numbers" is where bypasses such
  as ``-2+3+cmd|...`` hide.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = frozenset("=+-@\t\r＝＋－＠")
# Characters that render as nothing; a spreadsheet may drop them before parsing the cell.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u034f"


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could read ``text`` as a formula."""
    for ch in text:
        # Checked before the whitespace skip: a tab or carriage return is itself a trigger.
        if ch in FORMULA_STARTS:
            return True
        if not (ch.isspace() or ch in _INVISIBLE):
            return False
    return False


def neutralise(value: Any) -> str:
    """``value`` as text, prefixed with ``'`` when a spreadsheet would read it as a formula."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if is_dangerous(text) else text
