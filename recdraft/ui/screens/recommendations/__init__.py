"""Recommendations: the filtered, paginated list and one recommendation in full (one module per screen:
``list``, ``detail``, ``amendments``, ``history``).

The selected recommendation lives in the URL (``?rec=<id>``) so a link or a reload opens it again.
"""

from __future__ import annotations

from recdraft.ui.screens.recommendations.detail import _detail
from recdraft.ui.screens.recommendations.list import _list
from recdraft.ui.widgets.page import query_int, require_member


def render() -> None:
    """The whole page: one recommendation when ``?rec=`` names one, else the list."""
    member = require_member()
    selected = query_int("rec")
    if selected is not None:
        _detail(member, selected)
    else:
        _list(member)
