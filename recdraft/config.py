"""Configuration from the environment."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

from recdraft.errors import InvalidValue

DEFAULT_SQLITE_PATH = Path("data") / "recdraft.sqlite3"

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ConfigError(InvalidValue):
    """A setting has a value recdraft cannot use; the message (a catalogue key) names the variable and what it
    accepts. A ValueError, as before; ``str(error)`` is the English text."""


def database_url() -> str:
    """``RECDRAFT_DATABASE_URL`` or a SQLite file under ``./data/``.

    PostgreSQL example: ``postgresql+psycopg://recdraft@127.0.0.1:5432/recdraft``; ``postgresql://`` and
    ``postgres://`` (what hosting panels print) mean the same, through psycopg 3.
    """
    url = os.environ.get("RECDRAFT_DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ConfigError("h_rest.config.database_url_shape", value=repr(url))
    if scheme in {"postgresql", "postgres", "postgresql+psycopg2"}:
        return f"postgresql+psycopg://{rest}"
    if scheme not in {"postgresql+psycopg", "sqlite", "sqlite+pysqlite"}:
        raise ConfigError("h_rest.config.database_url_scheme", scheme=scheme)
    return url


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL names (None for PostgreSQL or an in-memory database)."""
    scheme, _, rest = url.partition("://")
    if not scheme.startswith("sqlite"):
        return None
    path = rest[1:].split("?", 1)[0] if rest.startswith("/") else rest
    return Path(path) if path and path != ":memory:" else None


MIN_SECRET_LENGTH = 32


def secret() -> str | None:
    """``RECDRAFT_SECRET``: the persistent key every replica shares (Streamlit's ``server.cookieSecret``).

    None when unset; ``recdraft serve`` refuses to start without one. Make one with
    ``python3 -c 'import secrets; print(secrets.token_urlsafe(48))'``.
    """
    raw = os.environ.get("RECDRAFT_SECRET", "").strip()
    if not raw:
        return None
    if len(raw) < MIN_SECRET_LENGTH:
        raise ConfigError("h_rest.config.secret_short", minimum=MIN_SECRET_LENGTH, length=str(len(raw)))
    return raw


def base_path() -> str:
    """``RECDRAFT_BASE_PATH``: the sub-path the app is served under (``/recdraft``), "" for the site's root."""
    raw = os.environ.get("RECDRAFT_BASE_PATH", "").strip().strip("/")
    if raw and not all(part and all(c.isalnum() or c in "-_." for c in part) for part in raw.split("/")):
        raise ConfigError("h_rest.config.base_path", value=repr(raw))
    return raw


def app_path(path: str) -> str:
    """``path`` (``/auth/claim``) under the base path: ``/recdraft/auth/claim`` when RECDRAFT_BASE_PATH=/recdraft."""
    base = base_path()
    return f"/{base}{path}" if base else path


def pool_size() -> int:
    """Connections each process keeps open to PostgreSQL (``RECDRAFT_DB_POOL_SIZE``, default 5)."""
    return _positive_int("RECDRAFT_DB_POOL_SIZE", 5, 200)


def pool_overflow() -> int:
    """Extra connections a process may open at a peak (``RECDRAFT_DB_MAX_OVERFLOW``, default 10)."""
    raw = os.environ.get("RECDRAFT_DB_MAX_OVERFLOW", "").strip()
    return 0 if raw == "0" else _positive_int("RECDRAFT_DB_MAX_OVERFLOW", 10, 500)


def _positive_int(name: str, default: int, maximum: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError("h_rest.config.whole_number", name=name, value=repr(raw)) from None
    if not 1 <= value <= maximum:
        raise ConfigError("h_rest.config.between", name=name, maximum=str(maximum), value=str(value))
    return value


def session_ttl_hours() -> int:
    """How long a sign-in session lasts without activity (``RECDRAFT_SESSION_HOURS``, default 12)."""
    return _positive_int("RECDRAFT_SESSION_HOURS", 12, 24 * 90)


def session_max_days() -> int:
    """How long a session lasts at most, however active (``RECDRAFT_SESSION_MAX_DAYS``, default 7).

    OWASP ASVS 5 V7.3.2: an absolute lifetime, so a stolen token stops working even if it is kept in use.
    """
    return _positive_int("RECDRAFT_SESSION_MAX_DAYS", 7, 90)


def public_url() -> str | None:
    """The address people open, e.g. ``https://recdraft.school.kz`` (``RECDRAFT_PUBLIC_URL``); None: not set.

    The WebSocket and /auth/* requests must come from this origin. Unset, they must come from the same
    host and port as the request itself.
    """
    raw = os.environ.get("RECDRAFT_PUBLIC_URL", "").strip()
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ConfigError("h_rest.config.public_url", value=repr(raw))
    return raw.rstrip("/")


def public_origin() -> str | None:
    """The origin (``scheme://host[:port]``, default ports left out) of ``public_url()``, or None."""
    url = public_url()
    return origin_of(url) if url else None


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of ``url`` in lower case without a default port; None when it has no host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https", "ws", "wss"} or not parts.hostname:
        return None
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if scheme == "https" else 80
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed.

    ``RECDRAFT_TRUSTED_PROXIES``: comma-separated addresses or networks (``127.0.0.1, 10.0.0.0/8``);
    default none, so a client cannot pretend to come from elsewhere by sending those headers itself.
    """
    raw = os.environ.get("RECDRAFT_TRUSTED_PROXIES", "").strip()
    networks: list[IPNetwork] = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError("h_rest.config.trusted_proxies", value=repr(item)) from None
    return tuple(networks)


def demo_mode() -> bool:
    """Demo mode lists the demo accounts on the sign-in page (``RECDRAFT_DEMO=1``)."""
    return os.environ.get("RECDRAFT_DEMO", "").lower() in {"1", "true", "yes"}


def check_settings() -> dict[str, object]:
    """Read every setting once, so a bad value stops the start with its message (raises ConfigError).

    Returns what was read (the secret masked), for the start-up line of ``recdraft serve``.
    """
    return {
        "database": database_url(),
        "session_hours": session_ttl_hours(),
        "session_max_days": session_max_days(),
        "public_url": public_url(),
        "trusted_proxies": ", ".join(str(n) for n in trusted_proxies()),
        "base_path": "/" + base_path(),
        "secret": "set" if secret() else "not set",
        "pool": (pool_size(), pool_overflow()),
        "demo": demo_mode(),
        "mail": _mail_summary(),
    }


def _mail_summary() -> str:
    """Outgoing mail (``RECDRAFT_SMTP_*``, recdraft/mail/settings.py), checked with everything else."""
    from recdraft.mail.settings import summary

    return summary()
