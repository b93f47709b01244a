"""recdraft: turn an expert roundtable into a recommendations memo a parliament can act on.

The rooms, from the outside in: ``ui`` (the Streamlit pages) and ``cli`` (the ``recdraft`` command) call
``services`` (the use cases), which use ``domain`` (pure rules, the one policy of who may do what),
``schemas`` (validated inputs and views), ``db`` (tables and migrations), ``export`` (the memo) and ``mail``;
``i18n`` holds the catalogues every message is rendered from, ``errors`` the errors people can cause.
"""

__version__ = "0.1.0"
