"""Voting in words, shared by the vote and results screens: choices, outcomes, shares, a round's facts and rules.

What people wrote (round names, titles) reaches the screen through ``recdraft.ui.render``: never as HTML.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from recdraft.i18n import LANGS
from recdraft.schemas.voting import RoundView
from recdraft.ui.context import fmt_datetime, fmt_number, lang, localized, tr
from recdraft.ui.render import escape_markdown, plain_markdown
from recdraft.ui.widgets import charts
from recdraft.ui.widgets.labels import badge

CHOICES = charts.CHOICES
RATINGS = tuple(range(1, 10))
OUTCOME_COLOURS = {"adopted": "green", "rejected": "red", "no_consensus": "orange"}
OPEN = "open"  # a round's status (services.voting)


def choice_label(choice: str) -> str:
    return tr(f"vote.choice.{choice}")


def tally_label(choice: str) -> str:
    """How a results table or chart names a choice ("For", "Against"...)."""
    return tr(f"vote.tally.{choice}")


def outcome_label(outcome: str) -> str:
    return tr(f"vote.outcome.{outcome}")


def mode_label(mode: str) -> str:
    return tr(f"vote.mode.{mode}")


def outcome_badge(outcome: str, *, final: bool = True) -> str:
    """A coloured badge; while the round is open the outcome is marked as provisional."""
    text = outcome_label(outcome) if final else tr("vote.outcome.provisional", outcome=outcome_label(outcome))
    return badge(text, OUTCOME_COLOURS.get(outcome, "gray") if final else "gray")


def percent(value: float | Fraction, *, decimals: int | None = None) -> str:
    """A share as a percentage written for the interface language (66.7%, 66,7 %)."""
    number = float(value) * 100
    if decimals is None:
        decimals = 0 if abs(number - round(number)) < 1e-9 else 1
    return tr("vote.percent", value=fmt_number(round(number, decimals), decimals=decimals))


def share_text(value: Any) -> str:
    """A rule's share as people say it: '50%' for round percentages, '2/3 (66.7%)' otherwise."""
    try:
        exact = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return str(value)
    if (exact * 100).denominator == 1:
        return percent(exact)
    return f"{exact.numerator}/{exact.denominator} ({percent(exact)})"


def number_text(value: float | None) -> str:
    """A median or quartile: 6, 6.5 or 4.25 (written for the interface language)."""
    if value is None:
        return "—"
    value = float(value)
    decimals = 0 if value.is_integer() else 1 if (value * 2).is_integer() else 2
    return fmt_number(value, decimals=decimals)


def band_of(rules: dict[str, Any]) -> tuple[int, int]:
    return int(rules.get("delphi_band_low", 7)), int(rules.get("delphi_band_high", 9))


def round_name(rnd: RoundView) -> str:
    """'Round N', followed by the round's own name unless that name already says which round it is (plain text)."""
    number = tr("vote.round", number=rnd.number)
    name = " ".join(rnd.name.split())
    if not name:
        return number
    return name if str(rnd.number) in name else f"{number} · {name}"


def round_title(rnd: RoundView) -> str:
    """``round_name`` as Markdown-safe text (for headings)."""
    return plain_markdown(round_name(rnd))


def round_facts(rnd: RoundView) -> str:
    """One line of Markdown: mode, status, anonymity, blindness and dates."""
    parts = [badge(mode_label(rnd.mode), "blue")]
    if rnd.status == OPEN:
        parts.append(badge(tr("vote.status.open"), "violet"))
    else:
        parts.append(badge(tr("vote.status.closed"), "gray"))
    if rnd.anonymous:
        parts.append(badge(tr("vote.anonymous"), "gray"))
    if rnd.blind:
        parts.append(badge(tr("vote.blind"), "gray"))
    if rnd.in_meeting_at is not None:
        parts.append(badge(tr("live.in_meeting", when=fmt_datetime(rnd.in_meeting_at)), "orange"))
    if rnd.status == OPEN and rnd.closes_at is not None:
        parts.append(escape_markdown(tr("vote.closes_at", when=fmt_datetime(rnd.closes_at))))
    if rnd.status != OPEN and rnd.closed_at is not None:
        parts.append(escape_markdown(tr("vote.closed_at", when=fmt_datetime(rnd.closed_at))))
    return " · ".join(parts)


def rules_text(rules: dict[str, Any]) -> str:
    """The round's rules in one sentence-like line (Markdown-safe)."""
    parts = [tr("vote.rules.quorum", share=share_text(rules.get("quorum", "1/2")))]
    if rules.get("mode") == "delphi":
        low, high = band_of(rules)
        parts.append(
            tr(
                "vote.rules.delphi",
                share=share_text(rules.get("delphi_agreement_share", "7/10")),
                low=low,
                high=high,
                iqr=number_text(float(Fraction(str(rules.get("delphi_max_iqr", 2))))),
            )
        )
        if rules.get("delphi_rejection", True):
            parts.append(tr("vote.rules.delphi_reject"))
    else:
        parts.append(tr("vote.rules.threshold", share=share_text(rules.get("threshold", "2/3"))))
    parts.append(
        tr("vote.rules.blocks_stop") if rules.get("blocks_prevent_adoption", True) else tr("vote.rules.blocks_count")
    )
    return " · ".join(escape_markdown(p) for p in parts)


def rec_title(titles: dict[str, str], fallback_number: int) -> str:
    """A title in the interface language, else any language it has (plain text, not Markdown)."""
    return localized(titles, fallback=tr("vote.rec_fallback", number=fallback_number))


def title_language(titles: dict[str, str]) -> str | None:
    """The language ``rec_title`` shows the title in (the same order of preference)."""
    for code in (lang(), *reversed(LANGS)):  # as ui.context.localized: English, then Russian, then Kazakh
        if (titles.get(code) or "").strip():
            return code
    return next((code for code, value in titles.items() if value), None)


def rec_heading(number: int, title: str) -> str:
    return f"**{number}\\. {plain_markdown(title)}**"


def vote_words(choice: str | None, rating: int | None) -> str:
    """A vote in words: "Agree", "Rating 7", "Rating 2 · Block"."""
    if rating is None:
        return choice_label(choice) if choice else ""
    what = tr("vote.rating_value", rating=rating)
    return f"{what} · {choice_label('block')}" if choice == "block" else what
