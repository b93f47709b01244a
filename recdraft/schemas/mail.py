"""Views of outgoing mail for the pages (the Admin page's mail status)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class RefusedAddressView(BaseModel):
    """An address the SMTP server refused for good (5xx): nothing more is sent to it until forgotten."""

    email: str
    name: str = ""
    at: datetime
    reason: str = ""


class MailStatusView(BaseModel):
    enabled: bool
    server: str = ""
    counts: dict[str, int] = {}
    refused: list[RefusedAddressView] = []
