"""Words for the values the services return (statuses, priorities, languages, fields), from the catalogue."""

from __future__ import annotations

from typing import Any

from recdraft.i18n import LANGS, LANGUAGE_NAMES
from recdraft.schemas.content import LangContent
from recdraft.ui.language import lang, tr

CONTENT_LANGS = LANGS
UPLOAD_LIMIT_MB = 200  # Streamlit's server.maxUploadSize (not changed in .streamlit/config.toml)
STATUS_COLOURS = {
    "draft": "gray",
    "discussion": "blue",
    "voting": "violet",
    "adopted": "green",
    "rejected": "red",
    "withdrawn": "gray",
    "merged": "orange",
}
PRIORITY_COLOURS = {"high": "red", "medium": "orange", "low": "gray"}
COMMENT_COLOURS = {"pending": "orange", "published": "green", "hidden": "gray", "rejected": "red"}


def status_label(status: str) -> str:
    return tr(f"recs.status.{status}")


def priority_label(priority: str) -> str:
    return tr(f"recs.priority.{priority}")


def field_label(field: str) -> str:
    return tr(f"recs.field.{field}")


def comment_status_label(status: str) -> str:
    return tr(f"recs.comment_status.{status}")


def language_name(code: str) -> str:
    """A language named in itself (Қазақша, Русский, English): tabs and labels of text written in it."""
    return LANGUAGE_NAMES.get(code, code)


def language_in_words(code: str) -> str:
    """A language named in the interface language, for a sentence ("…мына тілде жазылған: ағылшын тілі.")."""
    return tr(f"ui.language.{code}") if code in LANGS else code


def date_help(*, span: bool = False) -> str:
    """How to type a date (or a span of dates), in the interface language: the box itself shows only
    Streamlit's English placeholder (DD.MM.YYYY)."""
    return tr("ui.date.range_help" if span else "ui.date.help")


def upload_help(types: list[str] | tuple[str, ...]) -> str:
    """What a file box takes, in the interface language (Streamlit writes its box's own words in English;
    ``recdraft.ui.a11y``'s script translates them in the browser)."""
    return tr("ui.upload.help", types=", ".join(t.upper() for t in types), size=UPLOAD_LIMIT_MB)


def badge(text: str, colour: str) -> str:
    """A Markdown badge for a catalogue word (escaped all the same)."""
    from recdraft.ui.render import escape_markdown

    return f":{colour}-badge[{escape_markdown(text)}]"


def status_badge(status: str) -> str:
    return badge(status_label(status), STATUS_COLOURS.get(status, "gray"))


def priority_badge(priority: str) -> str:
    return badge(priority_label(priority), PRIORITY_COLOURS.get(priority, "gray"))


def shown_language(content: dict[str, Any], wanted: str | None = None) -> str:
    """The language to show: the one asked for, else the interface language, else the first written."""
    for code in (wanted, lang(), *CONTENT_LANGS):
        if code and code in content:
            return code
    return next(iter(content))


def title_of(content: dict[str, LangContent], wanted: str | None = None) -> str:
    """The title in the language to show."""
    if not content:
        return ""
    return content[shown_language(content, wanted)].title


def labels_for(values: Any, label: Any) -> Any:
    """A ``format_func`` that looks labels up in a table made now, in this run's language.

    Why not ``format_func=lambda v: tr(...)``: Streamlit may call it later, outside this session (AppTest
    does), where the interface language is unknown; a table made during the run always answers the same.
    """
    table = {value: label(value) for value in values}
    return table.__getitem__


def organisation_label(settings: dict[str, Any] | None, stored: str | None) -> str:
    """An organisation as stored on a membership, named in the interface language when the roundtable's
    ``organisation_names`` setting knows it (any of its names matches), else as stored."""
    stored = stored or ""
    key = stored.strip().casefold()
    for names in (settings or {}).get("organisation_names") or []:
        if not isinstance(names, dict):
            continue
        texts = {k: v for k, v in names.items() if isinstance(v, str) and v.strip()}
        if key and key in {v.strip().casefold() for v in texts.values()}:
            return texts.get(lang()) or stored
    return stored
