"""Dates, times and numbers written the way each interface language writes them.

en  6 February 2025 · 6 February 2025, 14:05 · 12,345.5
ru  6 февраля 2025 г. · 6 февраля 2025 г., 14:05 · 12 345,5   (narrow no-break space)
kk  2025 жылғы 6 ақпан · 2025 жылғы 6 ақпан, 14:05 · 12 345,5
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MONTHS = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    # Genitive, as used after the day number.
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "kk": (
        "қаңтар",
        "ақпан",
        "наурыз",
        "сәуір",
        "мамыр",
        "маусым",
        "шілде",
        "тамыз",
        "қыркүйек",
        "қазан",
        "қараша",
        "желтоқсан",
    ),
}
NARROW_NBSP = "\u202f"
DEFAULT_TIMEZONE = "Asia/Almaty"


def _lang(lang: str) -> str:
    return lang if lang in MONTHS else "en"


def format_date(value: dt.date, lang: str) -> str:
    """'6 February 2025', '6 февраля 2025 г.' or '2025 жылғы 6 ақпан'."""
    lang = _lang(lang)
    if isinstance(value, dt.datetime):
        value = value.date()
    month = MONTHS[lang][value.month - 1]
    if lang == "ru":
        return f"{value.day} {month} {value.year} г."
    if lang == "kk":
        return f"{value.year} жылғы {value.day} {month}"
    return f"{value.day} {month} {value.year}"


def zone(name: str | None) -> dt.tzinfo:
    """The time zone called ``name`` (a browser's IANA name), else Almaty's."""
    for candidate in (name, DEFAULT_TIMEZONE):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return dt.UTC


def format_datetime(value: dt.datetime, lang: str, tz: str | dt.tzinfo | None = None) -> str:
    """The date as ``format_date`` plus the 24-hour time, in ``tz`` (naive values are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    target = tz if isinstance(tz, dt.tzinfo) else zone(tz)
    local = value.astimezone(target)
    return f"{format_date(local.date(), lang)}, {local:%H:%M}"


def format_number(value: float | int, lang: str, *, decimals: int | None = None) -> str:
    """12,345.5 (en) or 12 345,5 (ru, kk: narrow no-break space between thousands, decimal comma)."""
    if decimals is None:
        decimals = 0 if isinstance(value, int) or float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"
    if _lang(lang) == "en":
        return text
    return text.replace(",", NARROW_NBSP).replace(".", ",")
