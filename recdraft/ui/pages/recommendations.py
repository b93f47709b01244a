"""Recommendations: the filtered, paginated list and one recommendation in full.

The selected recommendation lives in the URL (``?rec=<id>``) so a link or a reload opens it again.
The list page issues a fixed number of SQL statements whatever the number of recommendations,
comments or votes (tests/ui/test_query_count.py): one page of rows, topics, and the context.
"""

from recdraft.ui.screens.recommendations import render

render()
