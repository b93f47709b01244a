"""``recdraft serve``: the production start of one replica (``make run`` stays the demo).

What it does, in order, and refuses to go on when a step fails (a clear message, no traceback):

1. reads every setting (``config.check_settings``): a bad value is named now, not at the first sign-in;
2. requires ``RECDRAFT_SECRET`` (≥ 32 characters): Streamlit's ``server.cookieSecret``, the same on every
   replica, so a browser moved to another replica keeps working;
3. checks that the database is reachable and its schema is the newest (otherwise: run ``recdraft init-db``);
4. switches demo mode off (``RECDRAFT_DEMO`` is removed: no demo accounts are loaded or listed);
5. runs Streamlit on the packaged app script with the shipped settings (``.streamlit/config.toml``, also
   inside a wheel), bound to 127.0.0.1 unless ``--address`` says otherwise, under ``RECDRAFT_BASE_PATH``,
   with uvicorn's access log on: one line per request on standard output.

The process stays in the foreground (systemd's ``Type=simple``; SIGTERM stops it).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path
from typing import Any

import recdraft
from recdraft import config
from recdraft.errors import RecdraftError

_PACKAGE = Path(recdraft.__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent
_BUNDLE = _PACKAGE / "_bundle"  # filled by setup.py when a wheel is built


class ServeError(RecdraftError):
    """``recdraft serve`` cannot start; the message says what to do."""


def resource(name: str) -> Path:
    """A file shipped beside the package (``streamlit_app.py``, ``.streamlit/config.toml``, ``templates/memo.docx``):
    the checkout's own, or the copy a wheel carries in ``recdraft/_bundle``."""
    for candidate in (_CHECKOUT / name, _BUNDLE / name):
        if candidate.is_file():
            return candidate
    raise ServeError("h_rest.serve.missing_file", name=name, package=str(_PACKAGE))


def shipped_options() -> dict[str, Any]:
    """The shipped ``.streamlit/config.toml`` as flat Streamlit options (``server.fileWatcherType`` …)."""
    data = tomllib.loads(resource(".streamlit/config.toml").read_text(encoding="utf-8"))
    return {f"{section}.{key}": value for section, values in data.items() for key, value in values.items()}


def check_database(url: str) -> str:
    """Raise ServeError unless the database answers and is at the newest schema; returns the revision."""
    from sqlalchemy.exc import SQLAlchemyError

    from recdraft.db.engine import make_engine
    from recdraft.db.migrate import current_revision, head_revision

    path = config.sqlite_path(url)
    if path is not None and not path.exists():
        raise ServeError("h_rest.serve.no_database", path=str(path.resolve()))
    engine = make_engine(url)
    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        raise ServeError("h_rest.serve.unreachable", url=safe_url(url), problem=first_line(exc)) from None
    finally:
        engine.dispose()
    head = head_revision(url)
    if current is None:
        raise ServeError("h_rest.serve.no_tables", url=safe_url(url))
    if current != head:
        raise ServeError("h_rest.serve.old_schema", url=safe_url(url), revision=current, head=head)
    return current


def safe_url(url: str) -> str:
    """The URL with its password hidden."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot parse is shown as it is
        return url


def first_line(exc: BaseException) -> str:
    """The first line of a driver's message, without SQLAlchemy's background-link footer."""
    original = getattr(exc, "orig", None) or exc
    return (str(original).strip().splitlines() or [type(original).__name__])[0]


def streamlit_flags(*, address: str, port: int, base_path: str) -> list[str]:
    """The ``streamlit run`` options: the shipped settings, then the production ones (the cookie secret goes
    through the environment: Streamlit has no flag for it, and a flag would show in ``ps``)."""
    options: dict[str, Any] = shipped_options()
    options.update(
        {
            "server.address": address,
            "server.port": port,
            "server.headless": True,
            "server.baseUrlPath": base_path,
            "server.fileWatcherType": "none",
            "server.runOnSave": False,
            "browser.gatherUsageStats": False,
            "global.developmentMode": False,
        }
    )
    flags: list[str] = []
    for name, value in options.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        flags += [f"--{name}", text]
    return flags


def prepare(*, address: str, port: int) -> tuple[Path, list[str], dict[str, object]]:
    """Every check before the start; returns the app script, the Streamlit flags and the settings read."""
    settings = config.check_settings()
    secret = config.secret()
    if secret is None:
        raise ServeError("h_rest.serve.no_secret", minimum=config.MIN_SECRET_LENGTH)
    if not 1 <= port <= 65535:
        raise ServeError("h_rest.serve.port", port=str(port))
    settings["schema"] = check_database(config.database_url())
    script = resource("streamlit_app.py")
    os.environ["STREAMLIT_SERVER_COOKIE_SECRET"] = secret
    return script, streamlit_flags(address=address, port=port, base_path=config.base_path()), settings


def serve(*, address: str = "127.0.0.1", port: int = 8501) -> int:
    """Check everything, then run one replica in the foreground until it is stopped. Raises ServeError."""
    os.environ.pop("RECDRAFT_DEMO", None)  # before any check: the app reads it per run
    script, flags, settings = prepare(address=address, port=port)
    base = settings["base_path"]
    print(
        f"recdraft serve: http://{address}:{port}{base if base != '/' else ''} "
        f"database {safe_url(str(settings['database']))} (schema {settings['schema']}), "
        f"public URL {settings['public_url'] or 'not set'}, trusted proxies {settings['trusted_proxies'] or 'none'}, "
        f"mail {settings.get('mail', 'off')}",
        flush=True,
    )
    from recdraft.ui.launch import run_streamlit

    return run_streamlit(script, flags)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(serve())
