"""The Streamlit interface: the only package (with streamlit_app.py) that imports streamlit.

- ``nav`` is the router: the pages a person gets, from their standing read fresh on every run;
- ``pages/<name>.py`` are thin entries that ``st.navigation`` runs; the code is in ``screens/<name>``;
- ``widgets/`` holds pieces two or more screens share;
- ``context`` answers who is looking, in which roundtable, and what they may do (``Member``);
  ``language`` the interface language, ``messages`` how errors are shown, ``state`` the database
  handle and the answers of one run, ``auth`` the sign-in session and its cookie;
- ``asgi``, ``launch`` and ``mail_routes`` are the HTTP side (routes, middleware, start-up).

The UI calls services and shows their views: it never asks the policy who may do what.
"""
