"""MemoData: everything the Word memo shows, as plain data (no database objects).

Services assemble it from the database; ``recdraft.export.render_memo`` turns it into a .docx.
Localized texts are ``dict`` keyed by language code ("en", "ru", "kk"); a missing key means
"not written in that language" and the renderer falls back to another language with a note.

Strings are not re-validated here (they were validated when they were typed); the renderer cleans
every string again before it reaches the XML, so odd text can never break the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from recdraft.errors import InvalidValue

MemoLang = Literal["en", "ru", "kk"]
Localized = dict[MemoLang, str]
Priority = Literal["high", "medium", "low"]
RoundMode = Literal["simple", "delphi"]
# Mirrors recdraft.domain.voting.Outcome; "no_consensus" = carried forward to another round.
RoundOutcome = Literal["adopted", "rejected", "no_consensus"]

DEFAULT_ADDRESSEE: dict[MemoLang, str] = {
    "en": "Mazhilis of the Parliament of the Republic of Kazakhstan",
    "ru": "Мажилис Парламента Республики Казахстан",
    "kk": "Қазақстан Республикасы Парламентінің Мәжілісі",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Roundtable(_Model):
    """The event: what it was, where and when, who organised it and whom the memo addresses."""

    title: Localized
    venue: Localized = Field(default_factory=dict)
    organisers: Localized = Field(default_factory=dict)
    held_on: dt.date
    # Configurable because a single-chamber parliament has been proposed.
    addressee: Localized = Field(default_factory=lambda: dict(DEFAULT_ADDRESSEE))
    executive_summary: Localized = Field(default_factory=dict)
    background: Localized = Field(default_factory=dict)
    # Optional replacement for the standard closing formula of the export wording.
    closing: Localized = Field(default_factory=dict)


class RecommendationContent(_Model):
    """One language version of a recommendation. ``text`` and ``rationale`` may use the Markdown subset."""

    title: str
    text: str
    rationale: str = ""
    legal_basis: str = ""
    responsible_body: str = ""


class Recommendation(_Model):
    """A numbered recommendation; ``previous`` is the earlier version (None when it is new)."""

    number: int = Field(ge=1)
    topic: str = ""  # a short subject label (e.g. "emblem"); not printed in the memo
    priority: Priority = "medium"
    content: dict[MemoLang, RecommendationContent] = Field(min_length=1)
    previous: dict[MemoLang, RecommendationContent] | None = None
    justification: Localized = Field(default_factory=dict)  # why it changed (comparison table)
    consensus: Localized = Field(default_factory=dict)  # how agreement was reached (comparison table)
    # Who made the revisions since ``previous`` and when the latest was saved (tracked changes' author/date);
    # a person who withheld their name appears under a neutral label. Not part of the seal.
    revised_by: str = ""
    revised_at: dt.datetime | None = None


class DelphiStats(_Model):
    """Spread of 1–9 ratings in a Delphi round."""

    median: float | None = None
    iqr: float | None = None
    distribution: dict[int, int] = Field(default_factory=dict)


class VoteResult(_Model):
    """The result of one round for one recommendation. Counts are None where they do not apply."""

    recommendation_number: int
    round_number: int = Field(ge=1)
    round_name: Localized = Field(default_factory=dict)  # empty: "Round N" in the memo language
    # Set for a vote taken in the room (live mode): when the presenter opened it there (UTC).
    in_meeting_at: dt.datetime | None = None
    mode: RoundMode = "simple"
    votes_for: int | None = None
    votes_against: int | None = None
    abstain: int | None = None
    block: int | None = None
    eligible: int
    voted: int
    quorum_met: bool
    rule_met: bool
    outcome: RoundOutcome
    delphi: DelphiStats | None = None
    # The round's rule as it was opened (fractions as text, e.g. "2/3"); None where it does not apply.
    quorum: str | None = None
    threshold: str | None = None
    blocks_prevent_adoption: bool | None = None
    delphi_agreement_share: str | None = None
    delphi_band: tuple[int, int] | None = None
    delphi_max_iqr: str | None = None
    # A block that did not stop adoption: the reason the facilitator recorded.
    block_override_reason: str | None = None


class DissentingOpinion(_Model):
    """A dissent recorded with the final vote; ``name`` is None when the voter chose anonymity."""

    recommendation_number: int
    name: str | None = None
    organisation: str | None = None
    reason: str


class Participant(_Model):
    """Someone who took part; without consent they are counted but never named."""

    name: str
    organisation: str = ""
    role: str = ""
    consent_to_be_named: bool = False


class LegalReference(_Model):
    """A source cited in the memo, e.g. "Geneva Convention I, Art. 44"."""

    text: Localized
    url: str | None = None


class PublishedComment(_Model):
    """A moderated comment shown in the review variant; ``quote`` is the passage it refers to.

    ``author`` is already the printable label: a neutral "Participant N" for someone who withheld
    their name. ``parent`` is the index (in ``MemoData.comments``) of the comment this one replies to.
    """

    recommendation_number: int
    author: str
    published_at: dt.datetime
    text: str
    quote: str | None = None
    parent: int | None = None
    resolved: bool = False


class Signatory(_Model):
    """Who signs the memo: name and position per language (both optional)."""

    name: Localized = Field(default_factory=dict)
    position: Localized = Field(default_factory=dict)


class MemoData(_Model):
    """Everything the memo shows. Build it in a service; render it with ``recdraft.export.render_memo``."""

    roundtable: Roundtable
    recommendations: list[Recommendation] = Field(default_factory=list)
    votes: list[VoteResult] = Field(default_factory=list)
    dissents: list[DissentingOpinion] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    legal_references: list[LegalReference] = Field(default_factory=list)
    comments: list[PublishedComment] = Field(default_factory=list)
    is_final: bool = False
    blockers: list[str] = Field(default_factory=list)
    snapshot_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    signatory: Signatory = Field(default_factory=Signatory)
    outgoing_number: str = ""
    # What the redline and comparison compare against, as printed on their first page.
    baseline: Localized = Field(default_factory=dict)
    # Who and when for the document record (the export moment); None means "now". Not sealed:
    # the seal covers the content, so the same content exported twice has the same SHA-256.
    prepared_by: str = ""
    prepared_at: dt.datetime | None = None

    @model_validator(mode="after")
    def _numbers_are_unique(self) -> MemoData:
        seen: set[int] = set()
        for rec in self.recommendations:
            if rec.number in seen:
                raise InvalidValue("svc.memo.number_twice", number=rec.number)
            seen.add(rec.number)
        return self
