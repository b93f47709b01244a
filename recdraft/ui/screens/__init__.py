"""The pages' code: one module (or, for a big page, one package) per page, each defining ``render()``.

``recdraft/ui/pages/<name>.py`` is only the page's entry (``st.navigation`` runs it as a script):
a docstring, ``from recdraft.ui.screens.<name> import render`` and ``render()``. What two or more
screens share lives in ``recdraft/ui/widgets/``; the per-run context (who is looking, in which
roundtable, what they may do) in ``recdraft/ui/context.py``.
"""
