"""Page entries: each file is run by st.navigation as a script and is only::

    \"\"\"What the page is for.\"\"\"

    from recdraft.ui.screens.<name> import render

    render()

The page's code is in ``recdraft/ui/screens/<name>`` (tests/unit/test_page_shape.py holds every file to it).
"""
