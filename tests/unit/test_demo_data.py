"""The demo's data files (recdraft/demo/*.json): what the loader gives is what the files say, every revision is
stored as changes and rebuilt from them, and every name, topic and language the demo uses exists."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pydantic import ValidationError

from recdraft.demo import FILES, Demo, apply, content, read
from recdraft.i18n import LANGS


def _raw() -> dict[str, Any]:
    return {name: read(name) for name in FILES}


def _same(loaded: Any, raw: Any, where: str) -> list[str]:
    """Where the loaded value differs from the file's (a text written as a list of lines is those lines joined)."""
    if isinstance(loaded, str) and isinstance(raw, list):
        return [] if "\n".join(raw) == loaded else [where]
    if isinstance(loaded, dict) and isinstance(raw, dict):
        if set(loaded) != set(raw):
            return [f"{where}: {sorted(set(loaded) ^ set(raw))}"]
        return [p for k in raw for p in _same(loaded[k], raw[k], f"{where}.{k}")]
    if isinstance(loaded, list) and isinstance(raw, list):
        if len(loaded) != len(raw):
            return [f"{where}: {len(loaded)} items, the file has {len(raw)}"]
        return [p for i, (a, b) in enumerate(zip(loaded, raw, strict=True)) for p in _same(a, b, f"{where}[{i}]")]
    return [] if loaded == raw and type(loaded) is type(raw) else [where]


def test_the_loader_gives_exactly_what_the_files_say():
    raw = _raw()
    loaded = content().model_dump(mode="json", exclude_unset=True)
    assert set(loaded) == set(FILES)
    for name in FILES:
        assert _same(loaded[name], raw[name], name) == []


def test_a_text_written_as_lines_is_one_text_with_line_breaks():
    raw = read("recommendations")
    demo = content()
    found = 0
    for item, rec in zip(raw, demo.recommendations, strict=True):
        for lang, fields in item["content"].items():
            for name, value in fields.items():
                if isinstance(value, list):
                    found += 1
                    assert rec.content[lang][name] == "\n".join(value)
    assert found, "the demo has list-shaped texts (bullets) written line by line"


def test_every_revision_is_stored_as_changes_and_rebuilt_from_them():
    demo = content()
    revised = [rec for rec in demo.recommendations if rec.revisions]
    assert len(revised) >= 3 and sum(len(rec.revisions) for rec in revised) >= 5
    for rec in demo.recommendations:
        versions = rec.versions
        assert len(versions) == 1 + len(rec.revisions)
        assert versions[0].content == rec.content and versions[0].author == rec.author
        for n, (revision, version) in enumerate(zip(rec.revisions, versions[1:], strict=True), start=1):
            before = versions[n - 1].content
            assert (version.author, version.note) == (revision.author, revision.note)
            # Only what changes is written: no field repeats the version before it, and nothing is dropped.
            for lang, fields in revision.changes.items():
                assert fields, (rec.key, n, lang)
                for name, value in fields.items():
                    assert before.get(lang, {}).get(name) != value, f"{rec.key} revision {n} repeats {lang}.{name}"
            assert set(version.content) == set(before) | set(revision.changes)
            for lang, fields in version.content.items():
                for name, value in fields.items():
                    # Each field is the latest value written for it, counting back from this revision.
                    written = [rec.content, *(r.changes for r in rec.revisions[:n])]
                    latest = next(c[lang][name] for c in reversed(written) if name in c.get(lang, {}))
                    assert value == latest, (rec.key, n, lang, name)


def test_amendments_are_changes_against_the_text_they_were_proposed_on():
    demo = content()
    final = {rec.key: rec.versions[-1].content for rec in demo.recommendations}
    assert {a.outcome for a in demo.amendments} == {"open", "accepted", "rejected"}
    for amendment in demo.amendments:
        assert amendment.content == apply(final[amendment.rec], amendment.changes, amendment.languages)
        assert set(amendment.content) == set(amendment.languages or final[amendment.rec])
        for lang, fields in amendment.changes.items():
            assert all(final[amendment.rec].get(lang, {}).get(k) != v for k, v in fields.items()), amendment.rec
        if amendment.outcome == "accepted":
            final[amendment.rec] = amendment.content


def test_every_topic_used_reads_in_kazakh_russian_and_english():
    demo = content()
    labels = {t.key: t.labels for t in demo.roundtable.topics}
    used = {rec.topic for rec in demo.recommendations}
    assert used and used <= set(labels)
    for key in used:
        assert all(labels[key].get(lang, "").strip() for lang in LANGS), key
        assert len({labels[key][lang] for lang in LANGS}) == len(LANGS), key


def test_no_value_lacks_a_language_the_demo_claims():
    demo = content()
    claimed = demo.roundtable.languages
    assert sorted(claimed) == sorted(LANGS)
    for what, value in demo.roundtable.localised():
        assert all(value.get(lang, "").strip() for lang in claimed), what
    organisations = {o["en"] for o in demo.roundtable.organisation_names}
    assert {p.organisation for p in demo.people} <= organisations
    # The memo is whole in every language: each adopted text has each language, its own or a translation.
    rounds = demo.rounds
    left_out = {rounds.rejected, rounds.carried_forward.key, *rounds.still_open}
    for rec in demo.recommendations:
        langs = set(rec.versions[-1].content)
        accepted = [a for a in demo.amendments if a.rec == rec.key and a.outcome == "accepted"]
        if accepted:
            langs = set(accepted[-1].content)
        langs |= {t.lang for t in demo.translations if t.rec == rec.key}
        if rec.key not in left_out:
            assert langs == set(claimed), rec.key
    for translation in demo.translations:
        assert {"title", "text"} <= set(translation.content), translation.rec


def test_every_name_and_key_the_data_uses_exists():
    demo = content()
    users = {p.username for p in demo.people}
    keys = {r.key for r in demo.recommendations}
    assert {v.author for r in demo.recommendations for v in r.versions} <= users
    assert {a.proposer for a in demo.amendments} | {c.author for c in demo.comments} <= users
    named = {a.rec for a in demo.amendments} | {c.rec for c in demo.comments} | {t.rec for t in demo.translations}
    assert named <= keys
    for index, comment in enumerate(demo.comments):
        if comment.reply_to is not None:
            parent = demo.comment_index(comment.reply_to)
            assert parent < index and demo.comments[parent].rec == comment.rec


def _broken(change) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    change(data)
    return data


BROKEN = {  # what is broken: (the change, what the refusal says)
    "unknown revision author": (
        lambda d: d["recommendations"][0]["revisions"][0].update(author="nobody"),
        "unknown author nobody",
    ),
    "revision that changes nothing": (
        lambda d: d["recommendations"][0]["revisions"][0].update(changes={}),
        "a revision changes nothing",
    ),
    "unknown topic": (lambda d: d["recommendations"][0].update(topic="no-such-topic"), "unknown topic"),
    "topic label missing Kazakh": (
        lambda d: d["roundtable"]["topics"][0]["labels"].pop("kk"),
        "topic recognition lacks a language",
    ),
    "organisation without names": (
        lambda d: d["people"][0].update(organisation="Some Other Body"),
        "an organisation has no kk/ru/en names",
    ),
    "reply to no comment": (
        lambda d: next(c for c in d["comments"] if "reply_to" in c).update(reply_to="nope"),
        "replies to no earlier comment",
    ),
    "quote not in the text": (
        lambda d: next(c for c in d["comments"] if c.get("quote")).update(quote="not there"),
        "the quote is not in the final text",
    ),
    "hidden without a reason": (
        lambda d: next(c for c in d["comments"] if c["state"] == "hidden").pop("moderation_reason"),
        "moderation reason",
    ),
    "unknown field": (
        lambda d: d["recommendations"][0]["content"]["en"].update(summary="x"),
        "'summary' is not one of",
    ),
    "voter who is not an expert": (
        lambda d: d["rounds"]["carried_forward"]["ratings"].update(observer=5),
        "voters who are not experts",
    ),
    "pending comment on an adopted text": (
        lambda d: d["comments"][0].update(state="pending", resolution=None),
        "unfinished business on",
    ),
}


@pytest.mark.parametrize("problem", sorted(BROKEN))
def test_broken_data_is_refused_when_loaded(problem):
    change, says = BROKEN[problem]
    with pytest.raises(ValidationError, match=says):
        Demo.model_validate(_broken(change))


def test_the_files_are_plain_json_in_utf8():
    from importlib import resources

    folder = resources.files("recdraft.demo")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))
    assert names == sorted(f"{n}.json" for n in FILES)
    for name in names:
        text = folder.joinpath(name).read_text(encoding="utf-8")
        assert json.loads(text) is not None and "\\u04" not in text, name  # Kazakh letters are written as is
