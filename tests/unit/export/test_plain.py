"""The command line's pydantic-free loader (``recdraft.export._plain``) against the schema it mirrors."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from pydantic import BaseModel

from recdraft.export import render_memo
from recdraft.export._plain import (
    _REQUIRED,
    CLASSES,
    DEFAULT_ADDRESSEE,
    SPEC,
    Record,
    load_memo,
)
from recdraft.schemas import memo as schema
from tests.unit.export.factories import comments, draft_data, large_memo, memo_data


def _dump(value):
    if isinstance(value, Record):
        return {name: _dump(getattr(value, name)) for name in type(value).__slots__}
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value


def _memos():
    return [memo_data(), draft_data(), large_memo(12, rounds=2, people=9), memo_data(comments=comments())]


@pytest.mark.parametrize("model", sorted(SPEC))
def test_the_spec_has_the_models_fields_requiredness_and_defaults(model):
    fields = getattr(schema, model).model_fields
    assert list(SPEC[model]) == list(fields)
    for name, (_, default) in SPEC[model].items():
        info = fields[name]
        assert (default is _REQUIRED) == info.is_required(), name
        if default is _REQUIRED:
            continue
        ours = default() if callable(default) else default
        theirs = info.get_default(call_default_factory=True)
        assert _dump(ours) == (theirs.model_dump() if isinstance(theirs, BaseModel) else theirs), name


def test_the_default_addressee_is_the_schemas():
    assert DEFAULT_ADDRESSEE == schema.DEFAULT_ADDRESSEE


@pytest.mark.parametrize("data", _memos(), ids=["memo", "draft", "large", "comments"])
def test_valid_json_loads_to_the_same_values_as_pydantic(data):
    plain = load_memo(data.model_dump_json())
    assert plain is not None
    assert _dump(plain) == data.model_dump()
    assert type(plain) is CLASSES["MemoData"]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.update(extra=1),
        lambda d: d["roundtable"].pop("title"),
        lambda d: d["roundtable"].update(held_on="2026-02-30"),
        lambda d: d["roundtable"].update(held_on="20260201"),
        lambda d: d["recommendations"][0].update(number="1"),
        lambda d: d["recommendations"][0].update(number=0),
        lambda d: d["recommendations"][0].update(priority="urgent"),
        lambda d: d["recommendations"][0].update(content={}),
        lambda d: d["recommendations"][1].update(number=d["recommendations"][0]["number"]),
        lambda d: d["roundtable"]["title"].update(de="Titel"),
        lambda d: d.update(snapshot_sha256="ABC"),
        lambda d: d["votes"][0].update(quorum_met=1),
    ],
    ids=lambda f: "",
)
def test_anything_not_certainly_valid_is_left_to_pydantic(change):
    raw = json.loads(memo_data(snapshot_sha256="a" * 64).model_dump_json())
    change(raw)
    assert load_memo(json.dumps(raw)) is None


def test_broken_json_is_left_to_pydantic():
    assert load_memo(b"{not json") is None
    assert load_memo(b"[]") is None


@pytest.mark.parametrize("lang", ["en", "kk+ru"])
@pytest.mark.parametrize("variant", ["final", "review", "redline", "comparison"])
def test_the_memo_from_plain_records_is_the_memo_from_pydantic(lang, variant):
    data = memo_data(comments=comments())
    ours = render_memo(load_memo(data.model_dump_json()), lang=lang, variant=variant)
    theirs = render_memo(data, lang=lang, variant=variant)
    assert ours.warnings == theirs.warnings
    with zipfile.ZipFile(io.BytesIO(ours.content)) as a, zipfile.ZipFile(io.BytesIO(theirs.content)) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":
                assert a.read(name) == b.read(name), name
