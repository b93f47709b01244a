"""Pure rules, no database, no Streamlit, no I/O: roles and phases (``roles``, ``phases``), who may do what
(``policy``), statuses and what an adopted text freezes (``statuses``), voting rules and tallies (``voting``),
revisions and text diffs, translations, text cleaning and CSV safety."""
