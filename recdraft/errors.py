"""Every error a person can cause, in one tree.

RecdraftError                 base: pages catch this once and show ``str(error)``
├── NotFound                  the object does not exist or is not visible to the actor
├── PermissionDenied          the actor's role does not allow the action
├── NotSignedIn               no valid sign-in session (expired, signed out, deactivated)
├── SignInFailed              wrong user name or password (one message for both)
├── TooManyAttempts           sign-in back-off in force; ``retry_after`` seconds
├── InvalidInput              validation failed; ``field`` names the input
├── InvalidTransition         a status change not on a defined path
├── Conflict                  someone else saved first; carries both texts
└── BackupError               a backup file that cannot be restored

Anything else raised by recdraft is a bug and should surface.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class RecdraftError(Exception):
    """Base class: the message is written for the person who caused it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(RecdraftError):
    """The object does not exist, or the actor may not see it."""


class PermissionDenied(RecdraftError):
    """The actor's current role does not allow the action."""


class NotSignedIn(RecdraftError):
    """No valid sign-in session."""


class SignInFailed(RecdraftError):
    """Unknown user or wrong password: deliberately the same error for both."""


class TooManyAttempts(RecdraftError):
    """Too many failed sign-ins; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class InvalidInput(RecdraftError):
    """Input failed validation; ``field`` names the input when known."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidTransition(RecdraftError):
    """A status change that is not on a defined path."""


class Conflict(RecdraftError):
    """Someone saved first. Carries the current text and the text the actor tried to save.

    The rejected text is already stored (``saved_draft_id``) so nothing is lost. The other revision is
    named: its number, who saved it (``current_author_name``) and when (``current_saved_at``, UTC).
    """

    def __init__(
        self,
        message: str,
        *,
        current: Any = None,
        yours: Any = None,
        current_revision_id: int | None = None,
        saved_draft_id: int | None = None,
        current_revision_number: int | None = None,
        current_author_name: str | None = None,
        current_saved_at: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.current = current
        self.yours = yours
        self.current_revision_id = current_revision_id
        self.saved_draft_id = saved_draft_id
        self.current_revision_number = current_revision_number
        self.current_author_name = current_author_name
        self.current_saved_at = current_saved_at


class BackupError(RecdraftError):
    """A backup file that cannot be restored (wrong version, not empty target, bad JSON)."""
