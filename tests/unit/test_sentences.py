"""Quoting a passage: sentences of legal text are not cut at abbreviations (issue 18, item 3)."""

from recdraft.domain.sentences import split_sentences


def test_english_article_and_paragraph_references_stay_in_their_sentence():
    text = "States shall act under Art. 4(3) and para. 2 of No. 17. The Committee, e.g. in p. 5, agrees."
    assert split_sentences(text) == [
        "States shall act under Art. 4(3) and para. 2 of No. 17.",
        "The Committee, e.g. in p. 5, agrees.",
    ]


def test_russian_article_part_and_subparagraph_abbreviations():
    text = "Согласно ст. 5, ч. 2 и пп. 3 п. 1 закона, орган обязан ответить. Срок — 10 дней!"
    assert split_sentences(text) == [
        "Согласно ст. 5, ч. 2 и пп. 3 п. 1 закона, орган обязан ответить.",
        "Срок — 10 дней!",
    ]


def test_kazakh_article_abbreviation_and_initials():
    text = "Кодекстің 12-бап. 3-тармағына сәйкес А. Б. Иванов өтініш берді. Комиссия келісті."
    # "12-бап." is the article ("бап"), not the end of a sentence; initials do not end one either.
    assert split_sentences(text) == [
        "Кодекстің 12-бап. 3-тармағына сәйкес А. Б. Иванов өтініш берді.",
        "Комиссия келісті.",
    ]


def test_initials_i_e_and_decimal_numbers():
    text = "As J. R. Smith notes, i.e. in section 4.2, the rule holds. Next sentence?"
    assert split_sentences(text) == [
        "As J. R. Smith notes, i.e. in section 4.2, the rule holds.",
        "Next sentence?",
    ]


def test_semicolons_line_breaks_and_whitespace():
    assert split_sentences("First clause;  second\n\nthird  part") == ["First clause;", "second", "third part"]
    assert split_sentences("  ") == []


def test_a_closing_quote_after_the_full_stop_belongs_to_the_sentence():
    assert split_sentences("Он сказал «нет.» Потом ушёл.") == ["Он сказал «нет.»", "Потом ушёл."]
