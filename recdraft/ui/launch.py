"""Run Streamlit in this process for ``recdraft serve`` (the only place outside the app that starts it)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any


def _access_log_on() -> None:
    # Streamlit starts uvicorn with access_log=False; a server's operator wants one line per request.
    import uvicorn

    original = uvicorn.Config.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs["access_log"] = True
        original(self, *args, **kwargs)

    uvicorn.Config.__init__ = init  # type: ignore[method-assign]
    logging.getLogger("uvicorn.access").addFilter(_without_query)


def _without_query(record: logging.LogRecord) -> bool:
    # /auth/claim?code=… carries a single-use code: the log keeps the path, never the query string.
    if isinstance(record.args, tuple) and len(record.args) >= 3 and isinstance(record.args[2], str):
        record.args = (*record.args[:2], record.args[2].split("?", 1)[0], *record.args[3:])
    return True


def run_streamlit(script: Path, flags: list[str]) -> int:
    """``streamlit run SCRIPT FLAGS`` in the foreground, with one access-log line per request."""
    _access_log_on()
    from streamlit.web import cli as streamlit_cli

    # Streamlit resolves st.App("streamlit_app.py") beside the script it runs; the working folder stays.
    try:
        streamlit_cli.main(["run", str(script), *flags], prog_name="streamlit", standalone_mode=False)
    except KeyboardInterrupt:
        return 0
    return 0
