"""Roundtables and memberships: create (with every setting), copy, settings, phases, roles.

Decisions:
- Organisers (``users.is_organiser``) and system administrators create roundtables; the creator becomes
  the roundtable's admin. Everything a form sends is validated before anything is written, in one
  transaction: a refused field names itself and nothing is half-created.
- A roundtable admin changes roles of people already in the roundtable; adding an account by its id is for
  system administrators (and the command line) only. Others join by e-mail or invitation
  (``services.participants``): a roundtable admin must not be able to pull in any account they can guess.
- "At least one administrator" holds under concurrency: every change that can remove an admin first locks
  the roundtable's admin memberships (``SELECT … FOR UPDATE``), so two admins demoting each other at the
  same moment take turns and the second is refused.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from pydantic import field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from recdraft.db.engine import Database
from recdraft.db.models import Coauthor, Membership, Recommendation, Revision, Roundtable, User, utcnow
from recdraft.domain import policy
from recdraft.domain.phases import is_read_only
from recdraft.domain.policy import PHASE_REFUSALS, ROLE_REFUSALS, ROLE_RULES, Action
from recdraft.domain.roles import ModerationMode, Phase, Role
from recdraft.domain.statuses import RecStatus
from recdraft.domain.text import clean_text, is_blank
from recdraft.domain.voting import RoundRules
from recdraft.errors import InvalidInput, InvalidValue, NotFound, PermissionDenied, Word
from recdraft.schemas.common import LANGS, LIMITS, Input, Lang, parse
from recdraft.schemas.views import MembershipView, RoundtableView, StandingView
from recdraft.services._base import (
    Actor,
    Granted,
    _System,
    actor,
    actor_ref,
    audit,
    deny_unless,
    get,
    member_role,
    require,
    require_system_admin,
    role_of,
)

# Settings every roundtable had before issue 9; merged under stored settings so old rows read complete.
DEFAULT_SETTINGS: dict[str, Any] = {
    "moderators_vote": False,
    "closing_formula": {},
    "legal_references": [],
}
# Settings added for set-up; their defaults depend on the roundtable's languages (``default_settings``).
SETUP_SETTINGS = ("record_language", "memo_languages", "topics", "voting_defaults", "signatory", "outgoing_number")
# Organisations' names per language (issue 10, item 7): [{"en": ..., "ru": ..., "kk": ...}, ...]; the memo prints
# a participant's organisation in the memo language when one of an item's names is the stored organisation.
SETTING_KEYS = frozenset(DEFAULT_SETTINGS) | frozenset(SETUP_SETTINGS) | {"organisation_names"}
MEMO_LANGUAGES = ("kk", "ru", "en", "kk+ru")
# The voting defaults the open-round form starts from (fractions as text, as RoundRules reads them).
VOTING_DEFAULT_KEYS = ("quorum", "threshold", "delphi_agreement_share", "delphi_max_iqr", "blocks_prevent_adoption")
VOTING_LABELS = {
    "quorum": "quorum",
    "threshold": "threshold",
    "delphi_agreement_share": "Delphi agreement share",
    "delphi_max_iqr": "Delphi largest spread (IQR)",
}
MAX_TOPICS = 200
MAX_LEGAL_REFERENCES = 200
OUTGOING_NUMBER_LIMIT = 100
TOPIC_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
STARTING_PHASES = (Phase.SETUP, Phase.DRAFTING)


def default_record_language(languages: list[str]) -> str:
    """English when the roundtable uses it, else its first language."""
    return "en" if "en" in languages else (languages[0] if languages else "en")


def default_settings(languages: list[str]) -> dict[str, Any]:
    """Every setting with its default for a roundtable in ``languages``."""
    defaults = RoundRules().model_dump(mode="json")
    return {
        **DEFAULT_SETTINGS,
        "record_language": default_record_language(languages),
        "memo_languages": list(languages),
        "topics": [],
        "voting_defaults": {key: defaults[key] for key in VOTING_DEFAULT_KEYS},
        "signatory": {},
        "outgoing_number": "",
    }


def _localized(label: str, limit: int, *, single_line: bool):
    def check(value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            raise InvalidValue("svc.roundtables.text_per_language", label=Word(label))
        out: dict[str, str] = {}
        for lang in LANGS:
            raw = value.get(lang)
            if raw is None:
                continue
            if not isinstance(raw, str):
                raise InvalidValue("svc.roundtables.text_per_language", label=Word(label))
            text = clean_text(raw, single_line=single_line, strip_bidi=single_line).strip()
            if is_blank(text):
                continue
            if len(text) > limit:
                raise InvalidValue(
                    "svc.roundtables.localized_too_long", label=Word(label), limit=limit, length=len(text)
                )
            out[lang] = text
        unknown = set(value) - set(LANGS)
        if unknown:
            raise InvalidValue("svc.roundtables.unknown_language", label=Word(label), unknown=repr(sorted(unknown)[0]))
        return out

    return check


# The years a roundtable's date may fall in; a restore holds every stored date to the same range.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def parse_held_on(value: Any) -> date:
    """A roundtable's date (a date or YYYY-MM-DD) within the years recdraft accepts; ValueError otherwise."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValue("svc.setup.date_invalid") from None
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise InvalidValue("svc.setup.date_invalid")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise InvalidValue("svc.setup.date_range")  # EARLIEST_YEAR, LATEST_YEAR
    return value


def _moderation_mode(value: Any) -> ModerationMode:
    try:
        return ModerationMode(value)
    except ValueError:
        raise InvalidValue("svc.setup.moderation_mode") from None


class RoundtableInput(Input):
    title: dict[str, str]
    held_on: date
    venue: dict[str, str] = {}
    organisers: dict[str, str] = {}
    addressee: dict[str, str] = {}
    background: dict[str, str] = {}
    summary: dict[str, str] = {}
    languages: list[str] = ["en", "ru", "kk"]
    moderation_mode: ModerationMode = ModerationMode.PRE

    _title = field_validator("title", mode="before")(_localized("Title", LIMITS["title"], single_line=True))
    _venue = field_validator("venue", mode="before")(_localized("Venue", LIMITS["title"], single_line=True))
    _org = field_validator("organisers", mode="before")(
        _localized("Organisers", LIMITS["responsible_body"], single_line=False)
    )
    _addr = field_validator("addressee", mode="before")(
        _localized("Addressee", LIMITS["responsible_body"], single_line=False)
    )
    _bg = field_validator("background", mode="before")(_localized("Background", LIMITS["rationale"], single_line=False))
    _sum = field_validator("summary", mode="before")(
        _localized("Executive summary", LIMITS["rationale"], single_line=False)
    )
    _date = field_validator("held_on", mode="before")(parse_held_on)
    _mode = field_validator("moderation_mode", mode="before")(_moderation_mode)

    @field_validator("title")
    @classmethod
    def _title_required(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise InvalidValue("svc.roundtables.title_empty")
        return value

    @field_validator("languages", mode="before")
    @classmethod
    def _langs(cls, value: Any) -> list[Lang]:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise InvalidValue("svc.roundtables.languages")
        chosen = [lang for lang in LANGS if lang in value]
        if not chosen or set(value) - set(LANGS):
            raise InvalidValue("svc.roundtables.languages")
        return chosen


def _view(rt: Roundtable) -> RoundtableView:
    """The roundtable as pages read it: settings a row lacks (an older roundtable, a backup) get their defaults."""
    view = RoundtableView.model_validate(rt)
    return view.model_copy(update={"settings": _complete(dict(rt.settings or {}), list(rt.languages or []))})


# --------------------------------------------------------------------------- settings, field by field

_closing_formula = _localized("Closing formula", LIMITS["reason"], single_line=False)
_reference_text = _localized("Legal reference", LIMITS["title"], single_line=True)
_topic_label = _localized("Topic", LIMITS["topic"], single_line=True)
_signatory_name = _localized("Signatory's name", LIMITS["name"], single_line=True)
_signatory_position = _localized("Signatory's position", LIMITS["responsible_body"], single_line=True)


def _legal_references(value: Any, languages: list[str]) -> list[str | dict[str, str]]:
    """One reference per item: a single-line text, or the same reference per language {lang: text}."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)):
        raise InvalidValue("svc.roundtables.legal_references_list")
    out: list[str | dict[str, str]] = []
    for item in value:
        if isinstance(item, dict):
            per_language = _reference_text(item)
            if per_language:
                out.append(per_language)
            continue
        if not isinstance(item, str):
            raise InvalidValue("svc.roundtables.legal_reference_text")
        text = clean_text(item, single_line=True, strip_bidi=True).strip()
        if is_blank(text):
            continue
        if len(text) > LIMITS["title"]:
            raise InvalidValue("svc.roundtables.legal_reference_too_long", title=LIMITS["title"], length=len(text))
        out.append(text)
    if len(out) > MAX_LEGAL_REFERENCES:
        raise InvalidValue(
            "svc.roundtables.legal_references_count", max_legal_references=MAX_LEGAL_REFERENCES, out=len(out)
        )
    return out


def _record_language(value: Any, languages: list[str]) -> str:
    if value not in languages:
        raise InvalidValue("svc.setup.record_language", languages=", ".join(languages))
    return value


def _memo_languages(value: Any, languages: list[str]) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise InvalidValue("svc.setup.memo_language_none")
    out: list[str] = []
    for item in value:
        if item not in MEMO_LANGUAGES:
            raise InvalidValue("svc.setup.memo_language_unknown", lang=item)
        if item == "kk+ru":
            if not {"kk", "ru"} <= set(languages):
                raise InvalidValue("svc.setup.memo_bilingual")
        elif item not in languages:
            raise InvalidValue("svc.setup.memo_language_outside", lang=item, languages=", ".join(languages))
        if item not in out:
            out.append(item)
    return [code for code in MEMO_LANGUAGES if code in out]


_LATIN = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "yu",
        "я": "ya",
        "ә": "a",
        "ғ": "g",
        "қ": "q",
        "ң": "n",
        "ө": "o",
        "ұ": "u",
        "ү": "u",
        "һ": "h",
        "і": "i",
    }
)


def topic_key_from(label: str) -> str:
    """A stable Latin key for a topic label: 'Legal status' → 'legal-status', 'Правовой статус' → 'pravovoi-status'."""
    text = unicodedata.normalize("NFKD", label.casefold().translate(_LATIN))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "-".join(re.findall(r"[a-z0-9]+", text))[:64].strip("-")


def _topics(value: Any, languages: list[str]) -> list[dict[str, Any]]:
    """Topics with labels per language and unique keys (made from the English or Russian label when missing)."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise InvalidValue("svc.setup.topics_list")
    if len(value) > MAX_TOPICS:
        raise InvalidValue("svc.setup.topics_many", limit=MAX_TOPICS, count=len(value))
    out: list[dict[str, Any]] = []
    given: set[str] = set()
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) - {"key", "labels"}:
            raise InvalidValue("svc.setup.topic_shape", number=number)
        labels = _topic_label(item.get("labels"))
        if not labels:
            raise InvalidValue("svc.setup.topic_label", number=number)
        raw_key = item.get("key")
        if raw_key is not None and not isinstance(raw_key, str):
            raise InvalidValue("svc.setup.topic_key_text", number=number)
        key = (raw_key or "").strip().lower()
        if key:
            if not TOPIC_KEY.fullmatch(key) or len(key) > 64:
                raise InvalidValue("svc.setup.topic_key_chars", key=key)
            if key in given:
                raise InvalidValue("svc.setup.topic_key_twice", key=key)
            given.add(key)
        out.append({"key": key, "labels": labels})
    taken = set(given)
    for number, topic in enumerate(out, start=1):
        if topic["key"]:
            continue
        labels = topic["labels"]
        base = topic_key_from(labels.get("en") or labels.get("ru") or labels.get("kk") or "") or f"topic-{number}"
        key, n = base, 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        taken.add(key)
        topic["key"] = key
    return out


def _voting_defaults(value: Any, languages: list[str]) -> dict[str, Any]:
    """The rules a new round starts from, checked the way a round's rules are."""
    if not isinstance(value, dict):
        raise InvalidValue("svc.setup.voting_defaults_shape")
    unknown = set(value) - set(RoundRules.model_fields)
    if unknown:
        raise InvalidValue("svc.setup.voting_default_unknown", key=sorted(unknown)[0])
    for key, label in VOTING_LABELS.items():
        if key not in value:
            continue
        try:
            RoundRules.model_validate({key: value[key]})
        except ValueError:
            if key == "delphi_max_iqr":
                raise InvalidValue("svc.setup.voting_iqr", label=Word(label)) from None
            raise InvalidValue("svc.setup.voting_share", label=Word(label)) from None
    if "blocks_prevent_adoption" in value and not isinstance(value["blocks_prevent_adoption"], bool):
        raise InvalidValue("svc.setup.voting_blocks")
    try:
        rules = RoundRules.model_validate(value)
    except ValueError as exc:
        errors: list[Any] = getattr(exc, "errors", lambda: [])()
        first = errors[0] if errors else {}
        detail = str(first.get("ctx", {}).get("error") or first.get("msg") or exc)
        raise InvalidValue("svc.setup.voting_together", detail=detail) from None
    dumped = rules.model_dump(mode="json")
    return {
        key: dumped[key]
        for key in (
            *VOTING_DEFAULT_KEYS,
            *[k for k in RoundRules.model_fields if k in value and k not in VOTING_DEFAULT_KEYS],
        )
    }


def _signatory(value: Any, languages: list[str]) -> dict[str, dict[str, str]]:
    if value is None:
        return {}
    if not isinstance(value, dict) or set(value) - {"name", "position"}:
        raise InvalidValue("svc.setup.signatory_shape")
    out = {"name": _signatory_name(value.get("name")), "position": _signatory_position(value.get("position"))}
    return {k: v for k, v in out.items() if v}


def _organisation_names(value: Any, languages: list[str]) -> list[dict[str, str]]:
    """One organisation per item, its name per language {lang: name}."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)) or any(not isinstance(item, dict) for item in value):
        raise InvalidValue("svc.translations.org_list")
    out = [names for names in (_organisation_name(item) for item in value) if names]
    if len(out) > MAX_LEGAL_REFERENCES:
        raise InvalidValue("svc.translations.org_many", most=MAX_LEGAL_REFERENCES, count=len(out))
    return out


_organisation_name = _localized("Organisation", LIMITS["name"], single_line=True)


def _outgoing_number(value: Any, languages: list[str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidValue("svc.setup.outgoing_text")
    text = clean_text(value, single_line=True, strip_bidi=True).strip()
    if is_blank(text):
        return ""
    if len(text) > OUTGOING_NUMBER_LIMIT:
        raise InvalidValue("svc.setup.outgoing_long", limit=OUTGOING_NUMBER_LIMIT)
    return text


def _moderators_vote(value: Any, languages: list[str]) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("svc.roundtables.moderators_vote_bool")
    return value


_CHECKS = {
    "moderators_vote": _moderators_vote,
    "closing_formula": lambda value, languages: _closing_formula(value),
    "legal_references": _legal_references,
    "record_language": _record_language,
    "memo_languages": _memo_languages,
    "topics": _topics,
    "voting_defaults": _voting_defaults,
    "signatory": _signatory,
    "outgoing_number": _outgoing_number,
    "organisation_names": _organisation_names,
}


def checked_settings(settings: Any, languages: list[str]) -> dict[str, Any]:
    """``settings`` cleaned for a roundtable in ``languages``. Raises InvalidInput naming the setting."""
    if settings is None:
        return {}
    if not isinstance(settings, dict):
        raise InvalidInput("svc.setup.settings_by_name", field="settings")
    out: dict[str, Any] = {}
    for key in sorted(settings, key=str):
        if key not in SETTING_KEYS:
            raise InvalidInput("svc.roundtables.unknown_setting", key=key, field=str(key))
        try:
            out[key] = _CHECKS[key](settings[key], languages)
        except ValueError as exc:
            raise InvalidInput(str(exc), field=key) from None
    return out


def _complete(stored: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    return {**default_settings(languages), **(stored or {})}


def _check_fits_languages(settings: dict[str, Any], languages: list[str]) -> None:
    """The language settings still fit the roundtable's languages (after a change of either)."""
    for key in ("record_language", "memo_languages"):
        if key in settings:
            try:
                _CHECKS[key](settings[key], languages)
            except ValueError as exc:
                raise InvalidInput(str(exc), field=key) from None


# --------------------------------------------------------------------------- creating and copying


def may_create_roundtables(user: User) -> bool:
    """Organisers and system administrators create roundtables."""
    return bool(user.is_system_admin or user.is_organiser)


def _require_creator(s: Session, actor_id: Actor) -> User | None:
    if isinstance(actor_id, _System):
        return None
    user = actor(s, actor_id)
    deny_unless(may_create_roundtables(user), "svc.setup.only_creators")
    return user


def _starting_phase(phase: Any) -> str:
    if phase not in {p.value for p in STARTING_PHASES}:
        raise InvalidInput("svc.setup.starting_phase", phase=phase, field="phase")
    return str(phase)


def create_roundtable(
    db: Database,
    *,
    actor_id: Actor,
    title: Any,
    held_on: Any,
    venue: Any = None,
    organisers: Any = None,
    addressee: Any = None,
    background: Any = None,
    summary: Any = None,
    languages: Any = ("en", "ru", "kk"),
    moderation_mode: Any = "pre",
    phase: str = Phase.DRAFTING.value,
    settings: dict[str, Any] | None = None,
) -> RoundtableView:
    """Create a roundtable with its settings (organisers, system administrators); the creator becomes its admin.

    Every field is checked first, then everything is written in one transaction.
    Raises InvalidInput (naming the field or setting), PermissionDenied.
    """
    data = parse(
        RoundtableInput,
        title=title,
        held_on=held_on,
        venue=venue or {},
        organisers=organisers or {},
        addressee=addressee or {},
        background=background or {},
        summary=summary or {},
        languages=list(languages) if isinstance(languages, (list, tuple)) else languages,
        moderation_mode=moderation_mode,
    )
    start = _starting_phase(phase)
    checked = checked_settings(settings, data.languages)
    with db.write() as s:
        creator = _require_creator(s, actor_id)
        rt = Roundtable(
            title=data.title,
            held_on=data.held_on,
            venue=data.venue,
            organisers=data.organisers,
            addressee=data.addressee,
            background=data.background,
            summary=data.summary,
            languages=data.languages,
            phase=start,
            moderation_mode=data.moderation_mode.value,
            settings={**default_settings(data.languages), **checked},
            created_by=creator.id if creator else None,
        )
        s.add(rt)
        s.flush()
        if creator is not None:
            s.add(Membership(roundtable_id=rt.id, user_id=creator.id, role=Role.ADMIN.value, consent_named=True))
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=rt.id,
            action="roundtable.create",
            object_type="roundtable",
            object_id=rt.id,
            details={"phase": start, "settings": sorted(checked)},
        )
        return _view(rt)


# Recommendations in these statuses are not carried into the next roundtable.
_NOT_COPIED = frozenset({RecStatus.WITHDRAWN.value, RecStatus.MERGED.value})


def copy_roundtable(
    db: Database,
    *,
    actor_id: Actor,
    source_id: int,
    title: Any,
    held_on: Any,
    participants: bool = True,
    recommendations: bool = False,
) -> RoundtableView:
    """Start the next roundtable from ``source_id``: its description, languages, settings and topics.

    ``participants`` copies the memberships (roles, organisations, consent); ``recommendations`` copies every
    recommendation not withdrawn or merged as a first draft whose revision 1 is the source's current text,
    authors and co-authors kept. The new roundtable starts in set-up; the audit row records where each
    copied recommendation came from. Organisers and system administrators who administer the source.
    Raises InvalidInput, PermissionDenied, NotFound.
    """
    from recdraft.services.recommendations import languages_of, search_text_of

    with db.read() as s:
        src = get(s, Roundtable, source_id, "Roundtable")
        base = _view(src)
    data = parse(
        RoundtableInput,
        title=title,
        held_on=held_on,
        venue=base.venue,
        organisers=base.organisers,
        addressee=base.addressee,
        background=base.background,
        summary={},
        languages=base.languages,
        moderation_mode=base.moderation_mode,
    )
    with db.write() as s:
        creator = _require_creator(s, actor_id)
        if creator is not None:
            deny_unless(role_of(s, creator, source_id) == Role.ADMIN, "svc.setup.copy_admins")
        src = get(s, Roundtable, source_id, "Roundtable")
        rt = Roundtable(
            title=data.title,
            held_on=data.held_on,
            venue=data.venue,
            organisers=data.organisers,
            addressee=data.addressee,
            background=data.background,
            summary={},
            languages=data.languages,
            phase=Phase.SETUP.value,
            moderation_mode=data.moderation_mode.value,
            settings=_complete(dict(src.settings or {}), data.languages),
            created_by=creator.id if creator else None,
        )
        s.add(rt)
        s.flush()
        members: dict[int, Membership] = {}
        if participants:
            rows = s.execute(
                select(Membership)
                .join(User, User.id == Membership.user_id)
                .where(Membership.roundtable_id == source_id, User.is_active.is_(True))
                .order_by(Membership.id)
            ).scalars()
            for m in rows:
                members[m.user_id] = Membership(
                    roundtable_id=rt.id,
                    user_id=m.user_id,
                    role=m.role,
                    organisation=m.organisation,
                    group=m.group,
                    consent_named=m.consent_named,
                )
        if creator is not None:
            mine = members.get(creator.id)
            if mine is None:
                members[creator.id] = Membership(
                    roundtable_id=rt.id, user_id=creator.id, role=Role.ADMIN.value, consent_named=True
                )
            else:
                mine.role = Role.ADMIN.value
        s.add_all(members.values())
        copied: dict[str, list[int]] = {}
        if recommendations:
            sources = s.execute(
                select(Recommendation, Revision)
                .join(Revision, Revision.id == Recommendation.current_revision_id)
                .where(Recommendation.roundtable_id == source_id, Recommendation.status.not_in(_NOT_COPIED))
                .order_by(Recommendation.position, Recommendation.id)
            ).all()
            now = utcnow()
            for position, (old, rev) in enumerate(sources, start=1):
                rec = Recommendation(
                    roundtable_id=rt.id,
                    number=position,
                    position=position,
                    topic=old.topic,
                    priority=old.priority,
                    status=RecStatus.DRAFT.value,
                    created_by=old.created_by,
                    created_at=now,
                    updated_at=now,
                    search_text=search_text_of(rev.content, old.topic),
                    languages=languages_of(rev.content),
                )
                rec.coauthors = [Coauthor(user_id=c.user_id, added_at=now) for c in old.coauthors]
                s.add(rec)
                s.flush()
                first = Revision(
                    recommendation_id=rec.id,
                    number=1,
                    content=dict(rev.content),
                    author_id=rev.author_id,
                    kind="create",
                    created_at=now,
                    base_revision_id=None,
                    note=f"Copied from roundtable {source_id}, recommendation {old.number} (revision {rev.number})",
                )
                s.add(first)
                s.flush()
                rec.current_revision_id = first.id
                copied[str(rec.id)] = [old.id, rev.id]
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=rt.id,
            action="roundtable.copy",
            object_type="roundtable",
            object_id=rt.id,
            details={"source_id": source_id, "participants": len(members), "recommendations": copied},
        )
        return _view(rt)


# --------------------------------------------------------------------------- reading


def require_to_read(
    s: Session, actor_id: Actor, action: Action, roundtable_id: int, *, refusal: str | None = None
) -> Granted:
    """``require`` for reading what the people of ``action`` see in every phase (the participants' e-mails, the
    audit log, the data for researchers): the policy's role rule for ``action``, whatever the phase, since an
    archived roundtable is still read. ``refusal`` names what is refused more exactly than the policy's sentence.
    """
    rt = get(s, Roundtable, roundtable_id, "Roundtable")
    if isinstance(actor_id, _System):
        return Granted(user=None, role=Role.ADMIN, roundtable=rt)
    user = actor(s, actor_id)
    role = member_role(s, user, roundtable_id)
    deny_unless(role in ROLE_RULES[action], refusal if refusal is not None else ROLE_REFUSALS[action])
    return Granted(user=user, role=role, roundtable=rt)


def get_roundtable(db: Database, *, actor_id: Actor, roundtable_id: int) -> RoundtableView:
    """A roundtable the actor takes part in. Raises NotFound, PermissionDenied."""
    with db.read() as s:
        if not isinstance(actor_id, _System):
            member_role(s, actor(s, actor_id), roundtable_id)
        return _view(get(s, Roundtable, roundtable_id, "Roundtable"))


_NEWEST_FIRST = (Roundtable.held_on.desc(), Roundtable.id.desc())


def list_roundtables(db: Database, *, actor_id: Actor) -> list[RoundtableView]:
    """The roundtables the actor takes part in (all of them for system administrators)."""
    if not isinstance(actor_id, _System):
        return [rt for rt, _role in list_my_roundtables(db, actor_id=actor_id)]
    with db.read() as s:
        return [_view(rt) for rt in s.scalars(select(Roundtable).order_by(*_NEWEST_FIRST))]


def _standing(view: RoundtableView, role: Role) -> StandingView:
    """What ``role`` may do in the roundtable now, and what its phase leaves open to anyone."""
    moderators_vote = bool((view.settings or {}).get("moderators_vote"))
    mine = policy.actions(role=role, phase=view.phase, moderators_vote=moderators_vote)
    anyone = frozenset().union(*(policy.actions(role=r, phase=view.phase, moderators_vote=True) for r in Role))
    voter = role in policy.voting_roles(moderators_vote=moderators_vote)
    return StandingView(role=role, actions=mine, open_actions=anyone, voter=voter)


def list_my_roundtables(db: Database, *, actor_id: int) -> list[tuple[RoundtableView, StandingView]]:
    """The roundtables the actor takes part in, each with the actor's standing there, newest first.

    The standing is the actor's role and the actions open to them now (``policy.actions``), with what the
    phase leaves open to anyone: the pages show exactly those controls and decide nothing by themselves.
    One read, two statements: the pages' router calls it on every run (system administrators get every
    roundtable, as admins). Archived roundtables are included (``phase`` says so).
    """
    with db.read() as s:
        user = actor(s, actor_id)
        if user.is_system_admin:
            views = [_view(rt) for rt in s.scalars(select(Roundtable).order_by(*_NEWEST_FIRST))]
            return [(view, _standing(view, Role.ADMIN)) for view in views]
        rows = s.execute(
            select(Roundtable, Membership.role)
            .join(Membership, Membership.roundtable_id == Roundtable.id)
            .where(Membership.user_id == user.id)
            .order_by(*_NEWEST_FIRST)
        ).all()
        return [(view, _standing(view, Role(role))) for view, role in ((_view(rt), role) for rt, role in rows)]


# --------------------------------------------------------------------------- changing


def update_roundtable(db: Database, *, actor_id: Actor, roundtable_id: int, **changes: Any) -> RoundtableView:
    """Change the roundtable's descriptive fields, languages and moderation mode (roundtable admins).

    Raises InvalidInput (also when the new languages no longer hold the memo languages or the language of
    record: change those settings first), PermissionDenied.
    """
    with db.write() as s:
        rt = require(s, actor_id, Action.CONFIGURE, roundtable_id, lock=True).roundtable
        current = _view(rt).model_dump(include=set(RoundtableInput.model_fields))
        unknown = set(changes) - set(RoundtableInput.model_fields)
        if unknown:
            raise InvalidInput("svc.roundtables.unknown_field", unknown=sorted(unknown)[0])
        data = parse(RoundtableInput, **{**current, **changes})
        if "languages" in changes:
            _check_fits_languages(_complete(rt.settings, list(rt.languages)), data.languages)
        changed = {}
        for name in changes:
            value = getattr(data, name)
            value = value.value if hasattr(value, "value") else value
            if getattr(rt, name) != value:
                setattr(rt, name, value)
                changed[name] = True
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=rt.id,
            action="roundtable.update",
            object_type="roundtable",
            object_id=rt.id,
            details={"fields": sorted(changed)},
        )
        return _view(rt)


def update_settings(db: Database, *, actor_id: Actor, roundtable_id: int, settings: dict[str, Any]) -> RoundtableView:
    """Change roundtable settings (roundtable admins). Raises InvalidInput for an unknown key or a bad value.

    Texts are cleaned like every other text: the closing formula is text per language (kk, ru, en), the
    legal references a list of single-line texts (or texts per language); the other keys are checked as in
    ``create_roundtable``.
    """
    with db.write() as s:
        rt = require(s, actor_id, Action.CONFIGURE, roundtable_id, lock=True).roundtable
        checked = checked_settings(settings, list(rt.languages))
        rt.settings = {**_complete(rt.settings, list(rt.languages)), **checked}
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=rt.id,
            action="roundtable.settings",
            object_type="roundtable",
            object_id=rt.id,
            details={"keys": sorted(settings)},
        )
        return _view(rt)


def set_phase(db: Database, *, actor_id: Actor, roundtable_id: int, phase: str) -> RoundtableView:
    """Move the roundtable to another phase, "archived" included (roundtable admins); audited with from/to."""
    try:
        target = Phase(phase)
    except ValueError:
        raise InvalidInput(
            "svc.roundtables.unknown_phase", phase=phase, phase2=", ".join(p.value for p in Phase), field="phase"
        ) from None
    with db.write() as s:
        rt = require(s, actor_id, Action.CHANGE_PHASE, roundtable_id, lock=True).roundtable
        before = rt.phase
        rt.phase = target.value
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=rt.id,
            action="roundtable.phase",
            object_type="roundtable",
            object_id=rt.id,
            details={"from": before, "to": target.value},
        )
        return _view(rt)


def _membership_view(m: Membership, u: User) -> MembershipView:
    return MembershipView(
        id=m.id,
        roundtable_id=m.roundtable_id,
        user_id=u.id,
        username=u.username,
        display_name=u.display_name,
        role=m.role,
        organisation=m.organisation,
        group=m.group,
        consent_named=m.consent_named,
        is_active=u.is_active,
    )


def lock_admins(s: Session, roundtable_id: int) -> list[int]:
    """Lock the roundtable's admin memberships (PostgreSQL ``FOR UPDATE``) and return their user ids.

    Whoever changes or removes an admin holds these locks until commit, so a second change waits and then
    sees the first one's result (READ COMMITTED re-checks the role of a row it waited for).
    """
    return list(
        s.scalars(
            select(Membership.user_id)
            .where(Membership.roundtable_id == roundtable_id, Membership.role == Role.ADMIN.value)
            .order_by(Membership.id)
            .with_for_update()
        )
    )


def _still_admin(s: Session, actor_id: Actor, admins: list[int]) -> None:
    """After waiting for the admin locks: the actor may have been demoted by the change that went first."""
    if isinstance(actor_id, _System) or actor(s, actor_id).is_system_admin:
        return
    deny_unless(actor_id in admins, "svc.only_rt_admin")


def set_membership(
    db: Database,
    *,
    actor_id: Actor,
    roundtable_id: int,
    user_id: int,
    role: str,
    organisation: str | None = None,
    group: str | None = None,
    consent_named: bool | None = None,
) -> MembershipView:
    """Change a participant's role (roundtable admins), or add an account to a roundtable (system admins).

    It takes effect on the person's next action. Roundtable admins add people by e-mail or invitation
    (``services.participants``). Raises InvalidInput (also for removing the last admin), PermissionDenied.
    """
    try:
        role_value = Role(role)
    except ValueError:
        raise InvalidInput("svc.roundtables.unknown_role", role=role, field="role") from None
    org = (
        clean_text(organisation or "", single_line=True, strip_bidi=True).strip() if organisation is not None else None
    )
    grp = clean_text(group or "", single_line=True, strip_bidi=True).strip() if group is not None else None
    for label, value in (("Organisation", org), ("Group", grp)):
        if value is not None and len(value) > LIMITS["name"]:
            raise InvalidInput("svc.roundtables.member_field_too_long", label=Word(label), name=LIMITS["name"])
    with db.write() as s:
        require(s, actor_id, Action.CONFIGURE, roundtable_id)
        user = get(s, User, user_id, "User")
        admins = lock_admins(s, roundtable_id)
        _still_admin(s, actor_id, admins)
        m = s.scalar(
            select(Membership)
            .where(Membership.roundtable_id == roundtable_id, Membership.user_id == user_id)
            .execution_options(populate_existing=True)
        )
        before = m.role if m else None
        if m is None:
            if not isinstance(actor_id, _System) and not actor(s, actor_id).is_system_admin:
                raise PermissionDenied("svc.setup.add_by_id")
            m = Membership(
                roundtable_id=roundtable_id,
                user_id=user_id,
                role=role_value.value,
                organisation=org or "",
                group=grp if grp is not None else (org or ""),
                consent_named=bool(consent_named),
            )
            s.add(m)
        else:
            if before == Role.ADMIN and role_value != Role.ADMIN and not isinstance(actor_id, _System):
                if [uid for uid in admins if uid != user_id] == []:
                    raise InvalidInput("svc.one_admin", field="role")
            m.role = role_value.value
            if org is not None:
                m.organisation = org
            if grp is not None:
                m.group = grp
            if consent_named is not None:
                m.consent_named = consent_named
        s.flush()
        audit(
            s,
            actor_id=actor_ref(actor_id),
            roundtable_id=roundtable_id,
            action="membership.set",
            object_type="membership",
            object_id=m.id,
            details={"user_id": user_id, "from": before, "to": role_value.value},
        )
        return _membership_view(m, user)


def set_my_consent(db: Database, *, actor_id: Actor, roundtable_id: int, consent_named: bool) -> MembershipView:
    """A participant chooses whether the memo may name them.

    In every phase but archived, including final (``closed``): consent to be named is the person's own, so
    withdrawing it must always be possible (the memo exported next leaves them unnamed), and giving it after
    the memo is final only adds a name to the list of participants, never changes a text or a vote. An
    archived roundtable is the settled record: nothing changes in it (an administrator can un-archive it).
    """
    with db.write() as s:
        user = actor(s, actor_ref(actor_id))  # a person's own choice: the command line has none
        m = s.scalar(select(Membership).where(Membership.roundtable_id == roundtable_id, Membership.user_id == user.id))
        if m is None:
            raise NotFound("svc.not_participant")
        rt = get(s, Roundtable, roundtable_id, "Roundtable")
        if is_read_only(rt.phase) or rt.phase not in {p.value for p in Phase}:
            raise PermissionDenied(PHASE_REFUSALS[Phase.ARCHIVED])
        m.consent_named = consent_named
        audit(
            s,
            actor_id=user.id,
            roundtable_id=roundtable_id,
            action="membership.consent",
            object_type="membership",
            object_id=m.id,
            details={"consent_named": consent_named},
        )
        return _membership_view(m, user)


def list_members(db: Database, *, actor_id: Actor, roundtable_id: int) -> list[MembershipView]:
    """Participants of a roundtable, by organisation then name (any participant may see them)."""
    with db.read() as s:
        if not isinstance(actor_id, _System):
            member_role(s, actor(s, actor_id), roundtable_id)
        rows = s.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.roundtable_id == roundtable_id)
            .order_by(Membership.organisation, User.display_name)
        ).all()
        return [_membership_view(m, u) for m, u in rows]


def my_role(db: Database, *, actor_id: Actor, roundtable_id: int) -> str | None:
    """The actor's role in the roundtable now, or None (the command line acts as an administrator)."""
    if isinstance(actor_id, _System):
        return Role.ADMIN.value
    with db.read() as s:
        role = role_of(s, actor(s, actor_id), roundtable_id)
        return role.value if role else None


def touch_last_seen(db: Database, *, actor_id: Actor, roundtable_id: int, when=None) -> None:
    """Remember when the person last looked at the activity feed (an active account; nothing for a non-member)."""
    if isinstance(actor_id, _System):
        return  # the command line has no feed
    with db.write() as s:
        actor(s, actor_id)  # a deactivated account changes nothing, not even this
        m = s.scalar(
            select(Membership).where(Membership.roundtable_id == roundtable_id, Membership.user_id == actor_id)
        )
        if m is not None:
            m.last_seen_at = when or utcnow()


__all__ = [
    "DEFAULT_SETTINGS",
    "MEMO_LANGUAGES",
    "SETTING_KEYS",
    "checked_settings",
    "copy_roundtable",
    "create_roundtable",
    "default_settings",
    "get_roundtable",
    "list_members",
    "list_my_roundtables",
    "list_roundtables",
    "lock_admins",
    "may_create_roundtables",
    "my_role",
    "set_membership",
    "set_my_consent",
    "set_phase",
    "topic_key_from",
    "touch_last_seen",
    "update_roundtable",
    "update_settings",
    "require_system_admin",
    "require_to_read",
]
