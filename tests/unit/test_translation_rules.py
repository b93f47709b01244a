"""The per-language status of a recommendation's texts, derived from its revisions and translations."""

from __future__ import annotations

from recdraft.domain.translations import RevisionRecord as Rev
from recdraft.domain.translations import TextStatus as S
from recdraft.domain.translations import TranslationRecord as Tr
from recdraft.domain.translations import derive, guess_language, may_translate


def _en(title: str, text: str, **extra: str) -> dict[str, str]:
    return {"title": title, "text": text, **extra}


def test_the_language_it_was_written_in_is_original_and_the_others_are_needed():
    state = derive([Rev(1, {"en": _en("Adopt a law", "Parliament should adopt a law.", rationale="Why.")})], [])
    assert state.get("en", "text").status == S.ORIGINAL
    assert state.get("kk", "text").status == S.NEEDED and state.get("ru", "rationale").status == S.NEEDED
    # An empty field in every language needs no translation.
    assert state.get("kk", "legal_basis") is None
    assert [(g.lang, g.field) for g in state.gaps(["kk"])] == [("kk", "title"), ("kk", "text"), ("kk", "rationale")]


def test_a_translation_from_the_current_source_is_translated_and_fills_the_memo_text():
    revs = [Rev(1, {"en": _en("Adopt a law", "Parliament should adopt a law.")})]
    tr = Tr(
        1,
        "kk",
        "en",
        1,
        {"title": "Заң қабылдау", "text": "Парламент заң қабылдауы тиіс."},
        {"title": "Adopt a law", "text": "Parliament should adopt a law."},
    )
    state = derive(revs, [tr])
    assert state.get("kk", "text").status == S.TRANSLATED and state.status("kk") == S.TRANSLATED
    assert state.current_content("kk")["text"] == "Парламент заң қабылдауы тиіс."
    assert state.current_content("ru") is None


def test_an_edit_of_the_source_makes_the_translation_outdated_and_a_new_one_current_again():
    revs = [
        Rev(1, {"en": _en("Adopt a law", "Parliament should adopt a law.")}),
        Rev(2, {"en": _en("Adopt a law", "Parliament should adopt a law this year.")}),
    ]
    old = Tr(
        1,
        "ru",
        "en",
        1,
        {"title": "Принять закон", "text": "Парламенту следует принять закон."},
        {"title": "Adopt a law", "text": "Parliament should adopt a law."},
    )
    state = derive(revs, [old])
    assert state.get("ru", "text").status == S.OUTDATED
    assert state.get("ru", "title").status == S.TRANSLATED  # the title did not change
    assert state.current_content("ru") is None  # the text is outdated: not for a final memo
    new = Tr(
        2,
        "ru",
        "en",
        2,
        {"text": "Парламенту следует принять закон в этом году."},
        {"text": "Parliament should adopt a law this year."},
    )
    assert derive(revs, [old, new]).get("ru", "text").status == S.TRANSLATED


def test_an_edit_that_keeps_another_languages_old_wording_leaves_it_outdated():
    first = {"en": _en("Law", "Adopt a law."), "ru": _en("Закон", "Принять закон.")}
    second = {"en": _en("Law", "Adopt a law by 2027."), "ru": _en("Закон", "Принять закон.")}
    state = derive([Rev(1, first), Rev(2, second)], [])
    assert state.get("en", "text").status == S.ORIGINAL
    assert state.get("ru", "text").status == S.OUTDATED and state.get("ru", "title").status == S.ORIGINAL
    assert may_translate(state, "ru", "text") and not may_translate(state, "en", "text")


def test_the_authors_rewriting_a_translated_language_makes_their_text_the_original_again():
    revs = [Rev(1, {"en": _en("Law", "Adopt a law.")})]
    tr = Tr(1, "ru", "en", 1, {"title": "Закон", "text": "Принять закон."}, {"title": "Law", "text": "Adopt a law."})
    revs.append(Rev(2, {"en": _en("Law", "Adopt a law."), "ru": _en("Закон", "Принять закон незамедлительно.")}))
    state = derive(revs, [tr])
    assert state.get("ru", "text").status == S.ORIGINAL and state.get("ru", "text").text.endswith("незамедлительно.")
    assert state.get("en", "text").status == S.OUTDATED  # its authors changed the Russian after the English


def test_a_translation_of_a_translation_follows_its_source():
    revs = [Rev(1, {"en": _en("Law", "Adopt a law.")})]
    ru = Tr(1, "ru", "en", 1, {"title": "Закон", "text": "Принять закон."}, {"title": "Law", "text": "Adopt a law."})
    kk = Tr(2, "kk", "ru", 1, {"title": "Заң", "text": "Заң қабылдау."}, {"title": "Закон", "text": "Принять закон."})
    assert derive(revs, [ru, kk]).get("kk", "text").status == S.TRANSLATED
    revs.append(Rev(2, {"en": _en("Law", "Adopt a law now.")}))
    state = derive(revs, [ru, kk])
    assert state.get("ru", "text").status == S.OUTDATED and state.get("kk", "text").status == S.OUTDATED


def test_borrowed_text_is_recognised_by_its_letters():
    assert guess_language("Қызыл Жарты Ай") == "kk"
    assert guess_language("Красный Полумесяц") == "ru"
    assert guess_language("ICRC") == "en"
    assert guess_language("2025 — 19") is None


def test_words_in_another_script_are_found_for_their_own_language_tag():
    from recdraft.domain.translations import foreign_segments

    text = "Заң жобасы ICRC Model Law үлгісіне сүйенеді (III хаттама)."
    assert [(text[a:b], lang) for a, b, lang in foreign_segments(text, "kk")] == [("ICRC Model Law", "en")]
    english = "The Mazhilis («Қазақстан Республикасы Парламентінің Мәжілісі») and the «Мажилис»."
    assert [(english[a:b], lang) for a, b, lang in foreign_segments(english, "en")] == [
        ("Қазақстан Республикасы Парламентінің Мәжілісі", "kk"),
        ("Мажилис", "ru"),
    ]


def test_a_borrowed_quotation_in_a_kazakh_memo_is_tagged_as_english_and_the_rest_as_kazakh():
    from recdraft.schemas.memo import Recommendation, RecommendationContent
    from tests.unit.export.factories import memo_data
    from tests.unit.export.helpers import NS, q, render, text_of

    rec = Recommendation(
        number=1,
        content={
            "kk": RecommendationContent(title="Эмблема туралы заң", text="Заң ICRC Model Law үлгісіне сүйенуге тиіс.")
        },
    )
    rendered = render(memo_data(recommendations=[rec], votes=[], dissents=[], comments=[]), "kk")
    tags = {}
    for r in rendered.body.iter(q("r")):
        lang = r.find("w:rPr/w:lang", NS)
        tags[text_of(r)] = lang.get(q("val")) if lang is not None else None
    assert tags["ICRC Model Law"] == "en-GB"
    assert tags["Заң "] is None and tags[" үлгісіне сүйенуге тиіс."] is None  # the memo's own language (kk-KZ)
