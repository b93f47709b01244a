"""The demo roundtable (6 February 2025) as data: the JSON files beside this module, checked when loaded.

The demo reproduces, with fictional participants, the roundtable held at the School of Law and Public
Administration of Narxoz University (Almaty) on the legal foundations of National Red Cross and Red Crescent
Societies. ``recdraft demo`` (``services.demo``) records it through the services people use.

``roundtable.json``  the roundtable, its settings, its topics (a key and kk/ru/en labels), legal references
                     and organisation names in every language.
``people.json``      the demo accounts: username, display name, role, organisation (its English name),
                     group (the label of vote tallies), consent to be named in the memo, e-mail.
``recommendations.json``  ``content`` is the first draft: language -> title, text, rationale, legal_basis,
                     responsible_body. Each later revision lists only its ``changes`` against the version
                     before it (language -> the fields that change); ``Recommendation.versions`` rebuilds the
                     full texts. Texts use the memo's small formatting subset (``**bold**``, ``*italic*``,
                     ``- `` and ``1. `` lists, ``> `` quotations).
``amendments.json``  ``changes`` against the recommendation's text when it is proposed (its last revision, or
                     an amendment accepted before it); ``languages`` limits the proposal to some languages.
``comments.json``    posted in this order; ``reply_to`` names the ``id`` of an earlier comment on the same
                     recommendation; ``quote`` is a passage of the recommendation's final text.
``translations.json`` the translators' work after the votes (a language's five fields, made from ``source``).
``rounds.json``      the voting rounds: who votes what; a ballot not listed in the simple round is "agree".

Any text may be written as a list of lines (joined with a line break). Nothing here is an official text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, PrivateAttr, model_validator

from recdraft.domain.roles import Role
from recdraft.schemas.common import LANGS, Lang
from recdraft.schemas.content import FIELDS

FILES = ("roundtable", "people", "recommendations", "amendments", "comments", "translations", "rounds")


def _lines(value: Any) -> Any:
    return "\n".join(value) if isinstance(value, list) else value


def _among(choices: tuple[str, ...]) -> AfterValidator:
    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(f"demo data: {value!r} is not one of {choices}")  # a programming error
        return value

    return AfterValidator(check)


Text = Annotated[str, BeforeValidator(_lines)]
Localised = dict[Lang, Text]
LangKey = Annotated[str, _among(LANGS)]  # typed as str: the services take plain dicts
FieldKey = Annotated[str, _among(FIELDS)]
Content = dict[LangKey, dict[FieldKey, Text]]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)  # content() is shared: nobody may change it


class Topic(_Data):
    key: str
    labels: Localised


class Signatory(_Data):
    name: Localised
    position: Localised


class Roundtable(_Data):
    title: Localised
    held_on: str
    languages: list[Lang]
    moderation_mode: Literal["pre", "post"]
    venue: Localised
    organisers: Localised
    addressee: Localised
    background: Localised
    summary: Localised
    closing_formula: Localised
    signatory: Signatory
    outgoing_number: str
    topics: list[Topic]
    legal_references: list[Localised]
    organisation_names: list[Localised]

    def localised(self) -> list[tuple[str, Localised]]:
        """Every value that must read in each of the roundtable's languages."""
        fields = ("title", "venue", "organisers", "addressee", "background", "summary", "closing_formula")
        return [
            *((f, getattr(self, f)) for f in fields),
            ("signatory name", self.signatory.name),
            ("signatory position", self.signatory.position),
            *((f"topic {t.key}", t.labels) for t in self.topics),
            *((f"legal reference {i}", r) for i, r in enumerate(self.legal_references)),
            *((f"organisation {i}", o) for i, o in enumerate(self.organisation_names)),
        ]


class Person(_Data):
    username: str
    display_name: str
    role: Role
    organisation: str
    group: str | None = None
    consent_named: bool = True
    email: str | None = None


class Version(_Data):
    author: str
    note: str = ""
    content: Content


class Revision(_Data):
    author: str
    note: str = ""
    changes: Content


def apply(base: Content, changes: Content, languages: Sequence[str] | None = None) -> Content:
    """``base`` with ``changes`` laid over it, language by language (only ``languages`` if given)."""
    langs = languages or [*base, *(lang for lang in changes if lang not in base)]
    return {lang: {**base.get(lang, {}), **changes.get(lang, {})} for lang in langs}


class Recommendation(_Data):
    key: str
    topic: str
    priority: Literal["high", "medium", "low"] = "medium"
    author: str
    content: Content
    revisions: list[Revision] = []

    @property
    def versions(self) -> list[Version]:
        """The first draft and every later revision, each with its full text."""
        out = [Version(author=self.author, content=self.content)]
        for revision in self.revisions:
            out.append(
                Version(author=revision.author, note=revision.note, content=apply(out[-1].content, revision.changes))
            )
        return out


class Amendment(_Data):
    rec: str
    proposer: str
    languages: list[Lang] | None = None
    changes: Content
    justification: str = ""
    outcome: Literal["open", "accepted", "rejected"]
    reason: str | None = None
    _content: Content = PrivateAttr(default_factory=dict)

    @property
    def content(self) -> Content:
        """The full proposed text (rebuilt by ``Demo`` from the recommendation's text and the changes)."""
        return self._content


class Comment(_Data):
    id: str | None = None
    rec: str
    author: str
    reply_to: str | None = None
    body: Text
    quote: str = ""
    state: Literal["published", "pending", "hidden", "rejected", "flagged"]
    moderation_reason: str | None = None
    flag_reason: str | None = None
    resolution: Literal["addressed", "declined"] | None = None
    resolution_reason: str = ""


class Translation(_Data):
    rec: str
    lang: Lang
    source: Lang
    translator: str
    content: dict[FieldKey, Text]


class Ballot(_Data):
    choice: Literal["agree", "disagree", "abstain", "block"]
    reason: str | None = None
    named: bool = False


class SimpleRound(_Data):
    name: str
    rules: dict[str, Any]
    ballots: dict[str, dict[str, Ballot]] = {}
    block_overrides: dict[str, str] = {}


class DelphiRound(_Data):
    name: str
    rules: dict[str, Any]
    ratings: dict[str, dict[str, int]]
    comments: dict[str, dict[str, str]] = {}


class CarriedRound(_Data):
    name: str
    key: str
    ratings: dict[str, int]


class Rounds(_Data):
    rejected: str
    still_open: list[str]
    simple: SimpleRound
    delphi: DelphiRound
    carried_forward: CarriedRound
    open: SimpleRound


class Demo(_Data):
    roundtable: Roundtable
    people: list[Person]
    recommendations: list[Recommendation]
    amendments: list[Amendment]
    comments: list[Comment]
    translations: list[Translation]
    rounds: Rounds

    @property
    def experts(self) -> list[str]:
        return [p.username for p in self.people if p.role is Role.EXPERT]

    def comment_index(self, comment_id: str) -> int:
        return next(i for i, c in enumerate(self.comments) if c.id == comment_id)

    @model_validator(mode="after")
    def _rebuild_and_check(self) -> Demo:
        _check(self)
        return self


def _need(condition: bool, problem: str) -> None:
    if not condition:
        raise ValueError(f"demo data: {problem}")  # the shipped data is wrong: a programming error


def _check(demo: Demo) -> None:
    """Rebuild the amendments' texts and check that every name, key and language the data uses exists."""
    rt = demo.roundtable
    _need(set(rt.languages) <= set(LANGS), f"unknown languages {rt.languages}")
    for what, value in rt.localised():
        _need(all(value.get(lang, "").strip() for lang in rt.languages), f"{what} lacks a language of {rt.languages}")
    users = [p.username for p in demo.people]
    _need(len(set(users)) == len(users), "a username is used twice")
    organisations = {o["en"] for o in rt.organisation_names}
    _need(all(p.organisation in organisations for p in demo.people), "an organisation has no kk/ru/en names")
    topics = {t.key for t in rt.topics}
    keys = [r.key for r in demo.recommendations]
    _need(len(set(keys)) == len(keys), "a recommendation key is used twice")
    final: dict[str, Content] = {}
    for rec in demo.recommendations:
        _need(rec.topic in topics, f"{rec.key}: unknown topic {rec.topic}")
        _need(all(r.changes for r in rec.revisions), f"{rec.key}: a revision changes nothing")
        for version in rec.versions:
            _need(version.author in users, f"{rec.key}: unknown author {version.author}")
            _check_content(version.content, rec.key, rt.languages)
        final[rec.key] = rec.versions[-1].content
    for amendment in demo.amendments:
        _need(amendment.rec in final and amendment.proposer in users, f"amendment on {amendment.rec}: unknown names")
        _need(
            not amendment.languages or set(amendment.changes) <= set(amendment.languages),
            f"amendment on {amendment.rec}: changes a language it does not propose",
        )
        _need((amendment.outcome == "rejected") == bool(amendment.reason), f"amendment on {amendment.rec}: reason")
        amendment._content = apply(final[amendment.rec], amendment.changes, amendment.languages)
        _check_content(amendment.content, amendment.rec, rt.languages)
        if amendment.outcome == "accepted":
            final[amendment.rec] = amendment.content
    for index, c in enumerate(demo.comments):
        where = f"comment {index} on {c.rec}"
        _need(c.rec in final and c.author in users, f"{where}: unknown names")
        if c.reply_to is not None:
            parent = next((p for p in demo.comments[:index] if p.id == c.reply_to), None)
            _need(parent is not None and parent.rec == c.rec, f"{where}: replies to no earlier comment on it")
        _need(
            not c.quote or any(c.quote in text for fields in final[c.rec].values() for text in fields.values()),
            f"{where}: the quote is not in the final text",
        )
        _need((c.state in {"hidden", "rejected"}) == bool(c.moderation_reason), f"{where}: moderation reason")
        _need((c.state == "flagged") == bool(c.flag_reason), f"{where}: flag reason")
        _need((c.resolution == "declined") == bool(c.resolution_reason), f"{where}: resolution reason")
    ids = [c.id for c in demo.comments if c.id]
    _need(len(set(ids)) == len(ids), "a comment id is used twice")
    for t in demo.translations:
        _need(t.rec in final and t.translator in users and t.lang in rt.languages, f"translation of {t.rec}")
        _need(t.source in final[t.rec] and t.lang not in final[t.rec], f"translation of {t.rec} into {t.lang}")
    _check_rounds(demo, set(final))


def _check_content(content: Content, key: str, languages: Sequence[str]) -> None:
    _need(bool(content) and set(content) <= set(languages), f"{key}: languages {list(content)}")
    for lang, fields in content.items():
        _need(
            bool(fields.get("title", "").strip() and fields.get("text", "").strip()),
            f"{key}: {lang} lacks a title or text",
        )


def _check_rounds(demo: Demo, keys: set[str]) -> None:
    rounds, experts = demo.rounds, set(demo.experts)
    later = {*rounds.still_open, *rounds.delphi.ratings}
    used = {
        rounds.rejected,
        *later,
        *rounds.simple.ballots,
        *rounds.simple.block_overrides,
        *rounds.open.ballots,
        *rounds.delphi.comments,
        rounds.carried_forward.key,
    }
    _need(used <= keys, f"rounds name unknown recommendations {sorted(used - keys)}")
    _need(rounds.rejected not in later and not set(rounds.simple.ballots) & later, "round 1 votes on a later item")
    _need(set(rounds.open.ballots) <= set(rounds.still_open), "round 4 votes on an item it does not hold")
    _need(rounds.carried_forward.key in rounds.delphi.ratings, "round 3 carries an item round 2 did not rate")
    voters = {
        *(w for b in [*rounds.simple.ballots.values(), *rounds.open.ballots.values()] for w in b),
        *(w for r in rounds.delphi.ratings.values() for w in r),
        *rounds.carried_forward.ratings,
    }
    _need(voters <= experts, f"voters who are not experts: {sorted(voters - experts)}")
    # Pending comments, open flags and open amendments only where the discussion is still open: the memo is whole.
    unfinished = {c.rec for c in demo.comments if c.state in {"pending", "flagged"}}
    unfinished |= {a.rec for a in demo.amendments if a.outcome == "open"}
    _need(unfinished <= set(rounds.still_open), f"unfinished business on {sorted(unfinished - set(rounds.still_open))}")


def read(name: str) -> Any:
    """One data file as parsed JSON."""
    return json.loads(resources.files(__name__).joinpath(f"{name}.json").read_text(encoding="utf-8"))


@cache
def content() -> Demo:
    """The demo's data, checked, with every text rebuilt (read once)."""
    return Demo.model_validate({name: read(name) for name in FILES})
