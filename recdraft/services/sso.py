"""Single sign-on: open a recdraft session for a person an identity provider has signed in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from recdraft.db.engine import Database
from recdraft.db.models import User, utcnow
from recdraft.errors import NotFound
from recdraft.schemas.views import SignedIn
from recdraft.services._base import audit
from recdraft.services.accounts import _normalise_email, _open_session

NO_ACCOUNT = "svc.sso_no_account"


def sign_in_sso(db: Database, *, email: str, now: datetime | None = None) -> SignedIn:
    """A session for the active account with this e-mail (the provider vouched for it). Raises NotFound."""
    now = now or utcnow()
    try:
        address = _normalise_email(email)
    except Exception:  # noqa: BLE001 - an invalid address simply matches no account
        address = None
    with db.write() as s:
        user = s.scalar(select(User).where(User.email == address, User.is_active)) if address else None
        if user is None:
            audit(
                s,
                actor_id=None,
                action="auth.sso_failed",
                object_type="user",
                object_id=None,
                details={"email": (address or "")[:320]},
            )
            failure = NotFound(NO_ACCOUNT)
        else:
            signed = _open_session(s, user, now)
            audit(
                s,
                actor_id=user.id,
                action="auth.sign_in",
                object_type="user",
                object_id=user.id,
                details={"method": "sso"},
            )
            return signed
    raise failure
