"""A draft law read into chapters, articles, paragraphs and sub-paragraphs (recdraft.importing.law, issue 16
item 2), in kk, ru and en numbering; its language versions aligned article by article; a second version
carrying the anchors over and flagging what changed."""

from __future__ import annotations

import pytest

from recdraft.errors import InvalidInput
from recdraft.importing.law import align, carry_over, flagged, parse_law, read_law
from tests.import_documents import to_bytes
from tests.law_documents import (
    CHAPTERS,
    article_title,
    bill,
    paragraph_text,
    shape,
    sub_text,
)


def _law(lang, version=1):
    return read_law(to_bytes(bill(lang, version)), f"bill_{lang}.docx")


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_chapter_article_paragraph_and_sub_paragraph_is_found_with_its_anchor(lang):
    law, language = _law(lang)
    assert language == lang
    assert [c.number for c in law.chapters] == ["1", "2", "3"] and [c.anchor for c in law.chapters] == [
        "ch-1",
        "ch-2",
        "ch-3",
    ]
    assert len(law.articles) == 25
    for n, article in enumerate(law.articles, start=1):
        assert article.number == str(n) and article.anchor == f"art-{n}"
        assert article.title == article_title(lang, n)
        assert article.chapter == str(max(c for c, first in CHAPTERS.items() if first <= n))
        count, subs = shape(n)
        assert len(article.paragraphs) == count
        if count == 1:
            assert article.paragraphs[0].number == "" and article.paragraphs[0].text == paragraph_text(lang, n, 1)
        else:
            assert [p.number for p in article.paragraphs] == [str(k) for k in range(1, count + 1)]
            assert [p.anchor for p in article.paragraphs] == [f"art-{n}.p{k}" for k in range(1, count + 1)]
            assert article.paragraphs[1].text == paragraph_text(lang, n, 2)
        first = article.paragraphs[0]
        if subs:
            assert [s.text for s in first.subparagraphs] == [sub_text(lang, n, s) for s in range(1, 4)]
            assert first.subparagraphs[2].anchor == f"{first.anchor}.s3"
        else:
            assert first.subparagraphs == []
    assert len(set(law.anchors())) == len(law.anchors())


def test_the_three_language_versions_align_article_by_article_under_one_anchor():
    versions = {lang: _law(lang)[0] for lang in ("kk", "ru", "en")}
    rows = align(versions, base="ru")
    assert len(rows) == 25 and all(not r.missing for r in rows)
    assert rows[4].anchor == "art-5" and {a.anchor for a in rows[4].articles.values()} == {"art-5"}
    assert rows[4].articles["kk"].title == article_title("kk", 5)


def test_an_article_missing_in_one_language_is_reported():
    versions = {lang: _law(lang)[0] for lang in ("ru", "en")}
    versions["en"].articles.pop(6)
    rows = align(versions, base="ru")
    assert [r.number for r in rows if r.missing] == ["7"] and rows[6].missing == ("en",)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_a_second_version_keeps_anchors_follows_renumbered_articles_and_flags_changes(lang):
    first, _ = _law(lang)
    second, _ = _law(lang, version=2)
    anchored, changes = carry_over(first, second)
    by_anchor = {c.anchor: c for c in changes}
    assert len(anchored.articles) == 24
    # Articles 24 and 25 are now numbered 23 and 24 and keep their anchors (and so their recommendations).
    assert [(a.number, a.anchor) for a in anchored.articles[22:]] == [("23", "art-24"), ("24", "art-25")]
    assert by_anchor["art-24"].kind == "renumbered" and by_anchor["art-25"].kind == "renumbered"
    assert (by_anchor["art-24"].old_number, by_anchor["art-24"].new_number) == ("24", "23")
    assert by_anchor["art-23"].kind == "removed" and by_anchor["art-23"].new_number is None
    assert by_anchor["art-5"].kind == "changed"
    assert {c.kind for a, c in by_anchor.items() if a not in ("art-5", "art-23", "art-24", "art-25")} == {"unchanged"}
    assert set(flagged(changes)) == {"art-5", "art-23"}
    assert anchored.articles[22].paragraphs[0].anchor.startswith("art-24.")
    assert second.articles[22].anchor == "art-23"  # the version given is left as it was read


def test_a_new_article_gets_an_anchor_no_version_used():
    first = parse_law(["Article 1. One", "The Society exists.", "Article 2. Two", "The emblem is protected."])
    second = parse_law(
        [
            "Article 1. One",
            "The Society exists.",
            "Article 2. New",
            "Volunteers are insured by law.",
            "Article 3. Two",
            "The emblem is protected.",
        ]
    )
    anchored, changes = carry_over(first, second)
    assert [a.anchor for a in anchored.articles] == ["art-1", "art-2~2", "art-2"]
    assert [c.kind for c in changes] == ["unchanged", "added", "renumbered"]


def test_kazakh_inserted_articles_roman_chapters_and_titles_on_their_own_line():
    law = parse_law(
        [
            "Заң жобасы",
            "1-тарау",
            "Жалпы ережелер",
            "5-1-бап. Қоғамның эмблемасы",
            "1. Эмблема қорғалады.",
            "Глава II. Деятельность",
            "Статья 6.",
            "Помощь пострадавшим",
            "Общество оказывает помощь.",
        ]
    )
    assert law.title == "Заң жобасы"
    assert [(c.number, c.title, c.anchor) for c in law.chapters] == [
        ("1", "Жалпы ережелер", "ch-1"),
        ("2", "Деятельность", "ch-2"),
    ]
    assert [(a.number, a.title, a.chapter, a.anchor) for a in law.articles] == [
        ("5-1", "Қоғамның эмблемасы", "1", "art-5-1"),
        ("6", "Помощь пострадавшим", "2", "art-6"),
    ]
    assert law.articles[1].paragraphs[0].text == "Общество оказывает помощь."


def test_a_document_without_articles_is_refused():
    with pytest.raises(InvalidInput) as caught:
        parse_law(["Explanatory note", "The draft law is needed because ..."])
    assert caught.value.key == "import.law.no_articles"
