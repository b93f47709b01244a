"""Odd text never breaks the export: it arrives intact or cleaned, and the file stays valid."""

from __future__ import annotations

import datetime as dt
import io

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recdraft.export import render_memo
from recdraft.schemas.memo import (
    DelphiStats,
    DissentingOpinion,
    LegalReference,
    MemoData,
    Participant,
    PublishedComment,
    Recommendation,
    RecommendationContent,
    Roundtable,
    VoteResult,
)
from tests.unit.export.factories import memo_data
from tests.unit.export.helpers import Rendered, q, render, structure_problems, text_of

NASTY = (
    "<w:p>&amp; & {{ title }} {% if x %} ]]> \x00\x07\x0b\x1f\ufffe\uffff \ud800 "
    "مرحبا עברית 🇰🇿👩‍⚖️ Қазақ \u202eRLO\u202c"
)


def _everything(rendered) -> str:
    return "\n".join(text_of(p) for p in rendered.body.iter(q("p")))


def test_markup_looking_text_arrives_literally():
    content = RecommendationContent(title="A <w:p> & {{ title }}", text="Text <w:r/> & {% raw %} ]]>")
    rec = Recommendation(number=1, content={"en": content})
    text = _everything(render(memo_data(recommendations=[rec], votes=[], dissents=[], comments=[])))
    assert "Recommendation 1. A <w:p> & {{ title }}" in text
    assert "Text <w:r/> & {% raw %} ]]>" in text


def test_control_characters_and_lone_surrogates_are_cleaned_and_the_rest_kept():
    content = RecommendationContent(title="Title", text=NASTY, rationale=NASTY, legal_basis=NASTY)
    rec = Recommendation(number=1, content={"en": content})
    rendered = render(memo_data(recommendations=[rec], votes=[], dissents=[], comments=[]))
    text = _everything(rendered)
    for kept in ("مرحبا", "עברית", "🇰🇿👩‍⚖️", "Қазақ", "{% if x %}", "<w:p>&amp; &"):
        assert kept in text
    for removed in ("\x00", "\x07", "\x0b", "\ufffe", "\ud800"):
        assert removed not in text


def test_a_hundred_thousand_character_text_is_exported_whole():
    long_text = ("Qazaqstan " * 10_000)[:100_000]
    rec = Recommendation(number=1, content={"en": RecommendationContent(title="Long", text=long_text)})
    rendered = render(memo_data(recommendations=[rec], votes=[], dissents=[], comments=[]))
    assert long_text.strip() in _everything(rendered)


def test_a_hundred_thousand_character_change_is_tracked_without_hanging():
    old = " ".join(f"w{i}" for i in range(20_000))
    new = " ".join(f"x{i}" for i in range(20_000))
    rec = Recommendation(
        number=1,
        content={"en": RecommendationContent(title="T", text=new)},
        previous={"en": RecommendationContent(title="T", text=old)},
    )
    rendered = render(memo_data(recommendations=[rec], votes=[], dissents=[], comments=[]), variant="redline")
    assert list(rendered.body.iter(q("del"))) and list(rendered.body.iter(q("ins")))


def test_nasty_text_in_names_comments_and_headers_keeps_the_file_valid():
    rt = Roundtable(
        title={"en": NASTY},
        venue={"en": NASTY},
        organisers={"en": NASTY},
        addressee={"en": NASTY},
        held_on=dt.date(2025, 2, 6),
        executive_summary={"en": NASTY},
        background={"en": NASTY},
        closing={"en": NASTY},
    )
    data = memo_data(
        roundtable=rt,
        participants=[Participant(name=NASTY, organisation=NASTY, role=NASTY, consent_to_be_named=True)],
        dissents=[DissentingOpinion(recommendation_number=1, name=NASTY, organisation=NASTY, reason=NASTY)],
        comments=[
            PublishedComment(
                recommendation_number=1, author=NASTY, text=NASTY, quote=NASTY, published_at=dt.datetime(2025, 2, 1)
            )
        ],
        legal_references=[LegalReference(text={"en": NASTY}, url=NASTY)],
        blockers=[NASTY],
        is_final=False,
        snapshot_sha256=None,
        prepared_by=NASTY,
    )
    for variant in ("final", "review", "redline", "comparison"):
        rendered = render(data, "en", variant)
        assert "مرحبا" in rendered.header_footer_text()
        assert structure_problems(rendered) == []


# --------------------------------------------------------------------------- property test

# Any text, including control characters and lone surrogates (hypothesis leaves those out by default).
any_text = st.text(st.one_of(st.characters(), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)), max_size=40)
localized = st.dictionaries(st.sampled_from(["en", "ru", "kk"]), any_text, max_size=3)


@st.composite
def memos(draw) -> MemoData:
    content = st.builds(
        RecommendationContent,
        title=any_text,
        text=any_text,
        rationale=any_text,
        legal_basis=any_text,
        responsible_body=any_text,
    )
    n = draw(st.integers(1, 3))
    recs = [
        Recommendation(
            number=i + 1,
            priority=draw(st.sampled_from(["high", "medium", "low"])),
            content=draw(st.dictionaries(st.sampled_from(["en", "ru", "kk"]), content, min_size=1, max_size=3)),
            previous=draw(st.none() | st.dictionaries(st.sampled_from(["en", "ru", "kk"]), content, max_size=3)),
            justification=draw(localized),
            consensus=draw(localized),
        )
        for i in range(n)
    ]
    rt = Roundtable(
        title=draw(localized),
        venue=draw(localized),
        organisers=draw(localized),
        addressee=draw(localized),
        executive_summary=draw(localized),
        background=draw(localized),
        closing=draw(localized),
        held_on=draw(st.dates()),
    )
    return MemoData(
        roundtable=rt,
        recommendations=recs,
        votes=[
            VoteResult(
                recommendation_number=1,
                round_number=1,
                round_name=draw(localized),
                mode="delphi",
                eligible=3,
                voted=2,
                quorum_met=True,
                rule_met=False,
                outcome="no_consensus",
                delphi=DelphiStats(median=draw(st.floats(1, 9)), iqr=draw(st.floats(0, 8))),
            )
        ],
        dissents=[
            DissentingOpinion(
                recommendation_number=1,
                name=draw(st.none() | any_text),
                organisation=draw(st.none() | any_text),
                reason=draw(any_text),
            )
        ],
        participants=[
            Participant(
                name=draw(any_text),
                organisation=draw(any_text),
                role=draw(any_text),
                consent_to_be_named=draw(st.booleans()),
            )
        ],
        legal_references=[LegalReference(text=draw(localized), url=draw(st.none() | any_text))],
        comments=[
            PublishedComment(
                recommendation_number=1,
                author=draw(any_text),
                text=draw(any_text),
                quote=draw(st.none() | any_text),
                published_at=draw(st.datetimes(min_value=dt.datetime(1970, 1, 2))),
            )
        ],
        is_final=draw(st.booleans()),
        blockers=draw(st.lists(any_text, max_size=2)),
        prepared_by=draw(any_text),
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=memos(),
    lang=st.sampled_from(["en", "ru", "kk", "kk+ru"]),
    variant=st.sampled_from(["final", "review", "redline", "comparison"]),
)
def test_any_text_in_any_field_gives_a_file_python_docx_reopens(data, lang, variant):
    result = render_memo(data, lang=lang, variant=variant)
    document = docx.Document(io.BytesIO(result.content))
    assert document.paragraphs
    assert structure_problems(Rendered(result, document)) == []
