"""The interface language: which one is in use, switching it, remembering it, and the words in it.

The language is, in this order: the one a link names (``?lang=kk``, taken once and then removed from the
address), the person's choice in this session, the one the browser remembers (the ``recdraft_lang``
cookie, set by recdraft's route ``/auth/language``: see ``recdraft/ui/asgi.py``), the browser's own
locale, else English. Signing in switches to the person's preferred language. Every label asks
``tr(key)``; the answer is read from session state once per run.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from recdraft.i18n import LANGS, LANGUAGE_NAMES, best_language, t
from recdraft.ui.state import cached, forget

LANG_KEY = "recdraft_lang"  # session state: the language of this session
LANG_COOKIE = "recdraft_lang"  # the browser's cookie remembering it between visits
LANG_COOKIE_KEY = "recdraft_lang_cookie"  # session state: a language the browser should remember (a frame sets it)
LINK_PARAMETER = "lang"
SWITCH_KEY = "nav_language"


def cookie_language() -> str | None:
    """The language remembered in the browser, if any."""
    try:
        value = st.context.cookies.get(LANG_COOKIE)
    except Exception:  # noqa: BLE001 - no browser (AppTest, bare script)
        return None
    return value if isinstance(value, str) and value in LANGS else None


def remember_language(code: str) -> None:
    """Have the browser remember the chosen language for the next visit (see ``auth.render_cookie_frames``)."""
    if code in LANGS:
        st.session_state[LANG_COOKIE_KEY] = code


def _from_link() -> str | None:
    """The language a link names (``?lang=ru``), taken once: the parameter is removed after it is read."""
    try:
        raw = st.query_params.get(LINK_PARAMETER)
    except Exception:  # noqa: BLE001 - no script run (a bare call)
        return None
    if raw is None:
        return None
    st.query_params.pop(LINK_PARAMETER, None)
    return raw if raw in LANGS else None


def _session_language() -> str:
    asked = _from_link()
    if asked is not None:
        st.session_state[LANG_KEY] = asked
        remember_language(asked)
    if st.session_state.get(LANG_KEY) not in LANGS:
        chosen = cookie_language()
        if chosen is None:
            try:
                locale = st.context.locale
            except Exception:  # noqa: BLE001 - no browser context (AppTest, bare mode)
                locale = None
            chosen = best_language(locale)
        st.session_state[LANG_KEY] = chosen
    return st.session_state[LANG_KEY]


def lang() -> str:
    """The interface language (see the module notes).

    Asked for by every label (a hundred times a run), so it is read from session state once per run.
    """
    return cached("lang", _session_language)


def set_language(code: str) -> None:
    """Switch the interface language (and have the browser remember it)."""
    if code in LANGS:
        st.session_state[LANG_KEY] = code
        forget("lang")
        remember_language(code)


def tr(key: str, **params: object) -> str:
    """The message ``key`` in the interface language."""
    return t(key, lang(), **params)


def localized(values: dict[str, str] | None, *, fallback: str = "") -> str:
    """A per-language text (title, venue) in the interface language, else in another one it has."""
    values = values or {}
    for code in (lang(), *reversed(LANGS)):
        if (values.get(code) or "").strip():
            return values[code]
    return next((v for v in values.values() if v), fallback)


def language_switch(where: Any = None) -> None:
    """The kk / ru / en switch (each language named in itself); every label follows it on the next run."""
    current = lang()

    def changed() -> None:
        set_language(st.session_state[SWITCH_KEY])

    # Keep the widget in step when the language was set elsewhere (sign-in, a link, another tab's cookie):
    # a widget whose state disagrees starts afresh from ``index``.
    if SWITCH_KEY in st.session_state and st.session_state[SWITCH_KEY] != current:
        del st.session_state[SWITCH_KEY]
    (where or st.sidebar).selectbox(
        tr("nav.language"),
        LANGS,
        index=LANGS.index(current),
        format_func=LANGUAGE_NAMES.__getitem__,
        key=SWITCH_KEY,
        on_change=changed,
    )
