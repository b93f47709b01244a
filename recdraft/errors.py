"""Every error a person can cause, in one tree.

RecdraftError                 base: pages catch this once and show ``error.text(lang)``
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

Every error carries a catalogue key and its parameters (``NotFound("svc._base.not_found",
what=Word("Recommendation"), id=12)``): ``error.text(lang)`` is the message in the person's language,
``str(error)`` the English one for the command line and the logs. ``InvalidValue`` is the same for a
pydantic validator (pydantic needs a ValueError); ``schemas.common.parse`` turns it into InvalidInput
with its key kept. A test reads every ``raise`` in recdraft and fails for a message without kk/ru/en.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from recdraft.i18n.messages import Msg, Word

__all__ = ["Msg", "Word"]  # re-exported: a service raising an error needs both


class RecdraftError(Exception):
    """Base class: a message from the catalogues, written for the person who caused it."""

    def __init__(self, key: str | Msg, /, **params: Any) -> None:
        self.msg = key if isinstance(key, Msg) else Msg(key, **params)
        super().__init__(self.msg.key)

    @property
    def key(self) -> str:
        return self.msg.key

    @property
    def params(self) -> dict[str, Any]:
        return self.msg.params

    @property
    def message(self) -> str:
        """The message in English (the command line, the logs)."""
        return self.text("en")

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return self.msg.render(lang)

    def __str__(self) -> str:
        return self.message


class InvalidValue(ValueError):
    """A validator's refusal with a catalogue key (pydantic wants a ValueError; ``parse`` keeps the key)."""

    def __init__(self, key: str | Msg, /, **params: Any) -> None:
        self.msg = key if isinstance(key, Msg) else Msg(key, **params)
        super().__init__(self.msg.key)

    def __str__(self) -> str:
        return self.msg.render("en")


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

    def __init__(self, key: str | Msg, /, *, retry_after: int, **params: Any) -> None:
        super().__init__(key, **params)
        self.retry_after = retry_after


class InvalidInput(RecdraftError):
    """Input failed validation; ``field`` names the input when known."""

    def __init__(self, key: str | Msg, /, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key, **params)
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
        key: str | Msg,
        /,
        *,
        current: Any = None,
        yours: Any = None,
        current_revision_id: int | None = None,
        saved_draft_id: int | None = None,
        current_revision_number: int | None = None,
        current_author_name: str | None = None,
        current_saved_at: datetime | None = None,
        **params: Any,
    ) -> None:
        super().__init__(key, **params)
        self.current = current
        self.yours = yours
        self.current_revision_id = current_revision_id
        self.saved_draft_id = saved_draft_id
        self.current_revision_number = current_revision_number
        self.current_author_name = current_author_name
        self.current_saved_at = current_saved_at


class BackupError(RecdraftError):
    """A backup file that cannot be restored (wrong version, not empty target, bad JSON)."""
