"""recdraft's entry point: a page router only; the pages live in recdraft/ui/.

``streamlit run streamlit_app.py`` finds the ``st.App`` below (Streamlit 1.67 looks for one) and serves
it: Streamlit's own routes plus recdraft's /auth/* routes, which set and delete the HttpOnly session
cookie, all behind recdraft's security middleware (origin checks, headers, the pre-session cookie: see
recdraft/ui/asgi.py). Streamlit then runs this same file as the page script (``__main__``) on every run;
that run only builds the navigation for the signed-in person's standing (recdraft/ui/nav.py).
"""

import streamlit as st

if __name__ == "__main__":
    from recdraft.ui.nav import run_app

    run_app()
else:
    from starlette.middleware import Middleware

    from recdraft import config
    from recdraft.ui.asgi import ROUTES, SecurityMiddleware, configure_logging, on_script_error

    configure_logging()
    # A bad setting stops the start with its message, not the first request or sign-in.
    config.check_settings()
    app = st.App(
        "streamlit_app.py", routes=ROUTES, middleware=[Middleware(SecurityMiddleware)], on_script_error=on_script_error
    )
