"""Pieces two or more screens share: labels, phase notes and gates, forms, diffs, comments, charts, flashes."""
