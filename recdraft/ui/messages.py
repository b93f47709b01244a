"""How a refusal reaches a person: a RecdraftError shown in the interface language, never a traceback.

Every error carries a catalogue key and its parameters (``recdraft.errors``): it is shown as
``error.text(lang())``. An error from before keys (its "key" is an English sentence the catalogue does not
know) gets a translated headline for its kind, then the English words, so nothing the person needs is lost.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st

from recdraft.errors import (
    BackupError,
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    RecdraftError,
    SignInFailed,
    TooManyAttempts,
)
from recdraft.i18n import catalog
from recdraft.ui.language import lang, tr

log = logging.getLogger(__name__)

_HEADLINES: dict[type[RecdraftError], str] = {
    NotSignedIn: "error.not_signed_in",
    SignInFailed: "error.sign_in_failed",
    TooManyAttempts: "error.too_many_attempts",
    PermissionDenied: "error.permission",
    NotFound: "error.not_found",
    InvalidInput: "error.invalid_input",
    InvalidTransition: "error.invalid_transition",
    Conflict: "error.conflict",
    BackupError: "error.backup",
}


def error_message(exc: RecdraftError) -> str:
    """The error's message in the interface language (see the module notes for one without a key)."""
    code = lang()
    if exc.key in catalog():
        return exc.text(code)
    text = str(exc)
    if code == "en":
        return text
    if isinstance(exc, TooManyAttempts):
        return tr("error.too_many_attempts_wait", seconds=exc.retry_after)
    headline = next((key for cls, key in _HEADLINES.items() if isinstance(exc, cls)), "error.generic")
    return f"{tr(headline)} ({text})"


@contextmanager
def errors_shown(where: Any = None) -> Iterator[None]:
    """Show a RecdraftError as a message next to what caused it; anything else is a bug and surfaces.

    ``where`` is the container to show it in (default: here, in the flow of the page).
    """
    try:
        yield
    except RecdraftError as exc:
        (where or st).error(error_message(exc))


def show_unexpected_error(exc: BaseException) -> None:
    """Log an unexpected error with its traceback and show a short apology (never the trace)."""
    log.error("unexpected error in a page run", exc_info=exc)
    st.error(tr("error.unexpected"))
