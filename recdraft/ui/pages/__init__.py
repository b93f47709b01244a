"""Page scripts. Each file is run by st.navigation as a script and starts with the shared guard::

    from recdraft.ui.context import require_member
    user, rt, role = require_member()

Shared pieces a page file needs import from ``recdraft.ui.context`` (never from another page).
"""
