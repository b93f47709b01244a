"""Outgoing mail settings, read from the environment and validated with pydantic-settings.

Mail is off until ``RECDRAFT_SMTP_HOST`` is set; then a sender address, the public URL (links in
messages must point somewhere people can open) and ``RECDRAFT_SECRET`` (unsubscribe links are signed
with it) are required, and every value is checked at start-up: a bad one stops the start with a
message naming the variable (``config.ConfigError``), not a failure at the first message.
"""

from __future__ import annotations

import os
from email.headerregistry import Address
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from recdraft.config import ConfigError, public_url, secret
from recdraft.errors import InvalidValue

PREFIX = "RECDRAFT_SMTP_"


def _address(value: str, name: str) -> str:
    value = value.strip()
    if "\r" in value or "\n" in value:
        raise InvalidValue("h_rest.mail.one_line", name=name)
    try:
        Address(addr_spec=value)
    except (ValueError, IndexError) as exc:
        raise InvalidValue("h_rest.mail.address", name=name, value=repr(value)) from exc
    if "@" not in value:
        raise InvalidValue("h_rest.mail.address", name=name, value=repr(value))
    return value


class MailSettings(BaseSettings):
    """``RECDRAFT_SMTP_*``: the SMTP server, its security, the account and the addresses mail is sent as."""

    model_config = SettingsConfigDict(env_prefix=PREFIX, extra="ignore", case_sensitive=False)

    host: str = ""
    port: int = Field(default=0, ge=0, le=65535)
    # starttls (port 587, the default), tls (implicit TLS, port 465) or none (a relay on the same machine).
    security: Literal["starttls", "tls", "none"] = "starttls"
    user: str = ""
    password: str = ""
    sender: str = ""  # RECDRAFT_SMTP_SENDER: the From address
    sender_name: str = "recdraft"
    reply_to: str = ""
    timeout: float = Field(default=30.0, gt=0, le=600)
    # Hours before a round closes that eligible non-voters are reminded (RECDRAFT_SMTP_REMINDER_HOURS).
    reminder_hours: int = Field(default=24, ge=1, le=24 * 14)
    # The hour (UTC) from which the daily digest is sent.
    digest_hour: int = Field(default=7, ge=0, le=23)
    # How many times a message is tried before it is given up (back-off doubles from one minute, at most an hour).
    max_attempts: int = Field(default=8, ge=1, le=50)

    @field_validator("sender", "reply_to")
    @classmethod
    def _one_address(cls, value: str, info) -> str:
        return _address(value, f"{PREFIX}{info.field_name.upper()}") if value.strip() else ""

    @field_validator("host", "user", "sender_name")
    @classmethod
    def _one_line(cls, value: str, info) -> str:
        if "\r" in value or "\n" in value:
            raise InvalidValue("h_rest.mail.one_line", name=f"{PREFIX}{info.field_name.upper()}")
        return value.strip()

    @model_validator(mode="after")
    def _complete(self) -> MailSettings:
        if not self.host:
            return self
        if not self.sender:
            raise InvalidValue("h_rest.mail.sender_needed", prefix=PREFIX)
        if bool(self.user) != bool(self.password):
            raise InvalidValue("h_rest.mail.user_password", prefix=PREFIX)
        if not self.port:
            self.port = {"starttls": 587, "tls": 465, "none": 25}[self.security]
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.host)


def mail_settings() -> MailSettings:
    """The mail settings now (read fresh: tests and operators change the environment). Raises ConfigError."""
    try:
        settings = MailSettings()
    except ValidationError as exc:
        problems = "; ".join(_problem(err) for err in exc.errors())
        raise ConfigError("h_rest.mail.settings_wrong", problems=problems) from None
    if settings.enabled:
        if public_url() is None:
            raise ConfigError("h_rest.mail.public_url_needed")
        if secret() is None:
            raise ConfigError("h_rest.mail.secret_needed")
    return settings


def _problem(err: ErrorDetails) -> str:
    loc = ".".join(str(p) for p in err.get("loc", ()))
    message = str(err.get("msg", "")).removeprefix("Value error, ")
    if loc:
        raw = os.environ.get(f"{PREFIX}{loc.upper()}", "")
        return f"{PREFIX}{loc.upper()}={raw!r}: {message}" if loc != "password" else f"{PREFIX}PASSWORD: {message}"
    return message


def mail_enabled() -> bool:
    """Whether outgoing mail is configured (a bad configuration raises ConfigError)."""
    return mail_settings().enabled


def summary() -> str:
    """One line for the start-up log: the server and security, or 'off'."""
    s = mail_settings()
    return f"{s.host}:{s.port} ({s.security}) as {s.sender}" if s.enabled else "off"
