"""Kazakh, Russian and English editions, and Kazakh and Russian side by side."""

from __future__ import annotations

import datetime as dt

import pytest

from recdraft.export.wording import MONTHS, WORDING, format_date
from recdraft.schemas.memo import Roundtable
from tests.unit.export.factories import draft_data, memo_data, roundtable
from tests.unit.export.helpers import NS, q, render, text_of

KAZAKH_MONTHS = [
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
]


def test_every_language_has_the_same_fixed_wording_keys():
    assert WORDING["ru"].keys() == WORDING["en"].keys() == WORDING["kk"].keys()


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", "6 February 2025"), ("ru", "6 февраля 2025 г."), ("kk", "2025 жылғы 6 ақпан")]
)
def test_dates_are_written_the_way_each_language_writes_them(lang, expected):
    assert format_date(dt.date(2025, 2, 6), lang) == expected


def test_kazakh_months_are_the_kazakh_names():
    assert list(MONTHS["kk"]) == KAZAKH_MONTHS
    assert format_date(dt.date(2024, 9, 27), "kk") == "2024 жылғы 27 қыркүйек"


@pytest.mark.parametrize(
    ("lang", "date", "words"),
    [
        (
            "en",
            "6 February 2025",
            [
                "Executive summary",
                "Background",
                "Recommendations",
                "Addressee",
                "Contents",
                "Recommendations of the roundtable",
            ],
        ),
        (
            "ru",
            "6 февраля 2025 г.",
            ["Резюме", "Предыстория вопроса", "Рекомендации", "Адресат", "Содержание", "Рекомендации круглого стола"],
        ),
        (
            "kk",
            "2025 жылғы 6 ақпан",
            ["Түйіндеме", "Мәселенің алғышарттары", "Ұсынымдар", "Адресат", "Мазмұны", "Дөңгелек үстелдің ұсынымдары"],
        ),
    ],
)
def test_each_edition_prints_its_date_and_fixed_wording_in_its_language(lang, date, words):
    rendered = render(memo_data(), lang)
    assert rendered.texts("Memo Title Meta") == [date.replace(" ", "\u00a0")]  # a date never breaks
    everything = [text_of(p) for p in rendered.body.iter(q("p"))]
    for word in words:
        assert word in everything, word


@pytest.mark.parametrize(
    ("lang", "page_words", "annex", "recommendation"),
    [
        ("en", ("Page ", " of "), "Annex 1. Voting results", "Recommendation 1. "),
        ("ru", ("Стр. ", " из "), "Приложение 1. Результаты голосования", "Рекомендация 1. "),
        ("kk", ("Бет ", " / "), "1-қосымша. Дауыс беру нәтижелері", "1-ұсыным. "),
    ],
)
def test_page_numbers_annexes_and_recommendations_are_labelled_in_the_memo_language(
    lang, page_words, annex, recommendation
):
    rendered = render(memo_data(), lang)
    footer = text_of(rendered.part_xml("word/footer1.xml"))
    assert all(word in footer for word in page_words)
    assert rendered.texts("Memo Annex Heading")[0] == annex
    assert rendered.texts("Recommendation Heading")[0].startswith(recommendation)


def test_the_addressee_defaults_to_the_mazhilis_and_is_configurable():
    assert render(memo_data(), "ru").texts("Memo Addressee") == ["Мажилис Парламента Республики Казахстан"]
    assert render(memo_data(), "kk").texts("Memo Addressee") == ["Қазақстан Республикасы Парламентінің Мәжілісі"]
    other = roundtable().model_copy(update={"addressee": {"en": "Parliament of the Republic of Kazakhstan"}})
    assert render(memo_data(roundtable=other)).texts("Memo Addressee") == ["Parliament of the Republic of Kazakhstan"]


def test_a_recommendation_missing_in_the_memo_language_is_rendered_from_another_with_a_note_and_a_warning():
    rendered = render(memo_data(), "kk")
    assert rendered.result.warnings == [
        "Recommendation 4 has no text in 'kk'; rendered from 'ru'.",
        "Recommendation 5 has no text in 'kk'; rendered from 'en'.",
    ]
    headings = rendered.texts("Recommendation Heading")
    assert headings[3] == "4-ұсыным. Установить ответственность за злоупотребление эмблемой"
    assert headings[4] == "5-ұсыным. Teach international humanitarian law"
    assert rendered.texts("Memo Note") == [
        "Қазақ тіліндегі мәтін жоқ; орыс тіліндегі нұсқасы беріледі.",
        "Қазақ тіліндегі мәтін жоқ; ағылшын тіліндегі нұсқасы беріледі.",
    ]


def test_side_by_side_edition_puts_kazakh_left_and_russian_right_for_every_recommendation():
    rendered = render(memo_data(), "kk+ru")
    headings = rendered.texts("Recommendation Heading")
    assert headings[0] == "1-ұсыным / Рекомендация 1"
    tables = [
        t
        for t in rendered.body.iter(q("tbl"))
        if rendered.style_name(t.find("w:tblPr/w:tblStyle", NS).get(q("val"))) == "Parallel Table"
    ]
    # summary, background, five recommendations, closing
    assert len(tables) == 8
    rec_tables = tables[2:7]
    for table in rec_tables:
        assert len(table.findall("w:tblGrid/w:gridCol", NS)) == 2
    first_row = rec_tables[0].findall("w:tr", NS)[0]
    left, right = (text_of(tc) for tc in first_row.findall("w:tc", NS))
    assert left.startswith("Қоғамды заңмен тану") and right.startswith("Признать Общество законом")
    # The Russian column is proofed as Russian.
    right_langs = {lang.get(q("val")) for lang in first_row.findall("w:tc", NS)[1].iter(q("lang"))}
    assert right_langs == {"ru-RU"}


def test_side_by_side_edition_labels_and_dates_in_both_languages():
    rendered = render(draft_data(), "kk+ru")
    assert rendered.texts("Memo Title Meta") == ["2025\u00a0жылғы\u00a06\u00a0ақпан / 6\u00a0февраля\u00a02025\u00a0г."]
    assert rendered.texts("Memo Heading 1")[0] == "Түйіндеме / Резюме"
    assert rendered.texts("Memo Annex Heading")[0] == (
        "1-қосымша. Дауыс беру нәтижелері / Приложение 1. Результаты голосования"
    )
    assert len(rendered.texts("Memo Title")) == 2  # Kazakh and Russian titles
    assert len(rendered.texts("Memo Addressee")) == 2


def test_side_by_side_warns_for_each_missing_language_version():
    warnings = render(memo_data(), "kk+ru").result.warnings
    # Side by side, a column never borrows another language's text (issue 10, item 7): it says it is missing.
    assert "Recommendation 4 has no text in 'kk'; its column says so." in warnings
    assert "Recommendation 5 has no text in 'ru'; its column says so." in warnings


def test_the_document_proofing_language_follows_the_memo_language():
    for lang, tag in (("en", "en-GB"), ("ru", "ru-RU"), ("kk", "kk-KZ")):
        rendered = render(memo_data(), lang)
        default = rendered.document.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
        assert default.get(q("val")) == tag
        assert rendered.document.core_properties.language == tag


def test_localized_roundtable_fields_fall_back_to_another_language():
    rt = Roundtable(title={"ru": "Только по-русски"}, held_on=dt.date(2025, 2, 6))
    rendered = render(memo_data(roundtable=rt), "kk")
    assert rendered.texts("Memo Title") == ["Только по-русски"]
