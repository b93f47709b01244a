"""Issue 10 in the renderer: readable tracked changes, Word threads, the signature block, non-breaking
spaces, the contents' page numbers, each round's rule, and borrowed text tagged with its language."""

from __future__ import annotations

import datetime as dt

from recdraft.export._redline import _changes, _tokens
from recdraft.schemas.memo import PublishedComment, RecommendationContent
from tests.unit.export.factories import PREPARED_AT, comments, memo_data
from tests.unit.export.helpers import NS, q, render, text_of

W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"


def _shown(old: str, new: str) -> str:
    """The change as a reader sees it: [-deleted-]{+inserted+}."""
    out = []
    for kind, olds, news in _changes(_tokens([(old, 0)]), _tokens([(new, 0)])):
        text_old, text_new = "".join(t for t, _ in olds), "".join(t for t, _ in news)
        if kind == "equal":
            out.append(text_new)
        else:
            out.append((f"[-{text_old}-]" if text_old else "") + (f"{{+{text_new}+}}" if text_new else ""))
    return "".join(out)


def test_a_rewritten_sentence_is_one_deletion_and_one_insertion():
    assert _shown(
        "The Society's status is defined by law. It has an emblem.",
        "GC status is set by a decree of the government. It has an emblem.",
    ) == (
        "[-The Society's status is defined by law. -]{+GC status is set by a decree of the government. +}"
        "It has an emblem."
    )


def test_a_light_edit_changes_whole_words_with_their_punctuation():
    assert _shown(
        "Parliament should adopt a law on the National Society.",
        "Parliament should adopt a new law on the Red Crescent Society.",
    ) == ("Parliament should adopt a {+new +}law on the [-National-]{+Red Crescent+} Society.")
    assert _shown("It is the Society's task.", "It is the State's task.") == "It is the [-Society's-]{+State's+} task."


def test_tracked_changes_carry_the_reviser_and_the_revision_date_of_each_recommendation():
    recs = memo_data().recommendations
    revised = dt.datetime(2025, 2, 25, 14, 5, tzinfo=dt.UTC)
    recs[0] = recs[0].model_copy(update={"revised_by": "Aliya Bekova, Participant 2", "revised_at": revised})
    rendered = render(memo_data(recommendations=recs), "en", "redline")
    stamps = {(c.get(q("author")), c.get(q("date"))) for c in rendered.body.iter(q("ins"), q("del"))}
    assert ("Aliya Bekova, Participant 2", "2025-02-25T14:05:00Z") in stamps
    # A recommendation with no recorded reviser falls back to the memo's preparer and date.
    assert ("Editorial group", PREPARED_AT.strftime("%Y-%m-%dT%H:%M:%SZ")) in stamps


def test_the_redline_and_the_comparison_say_on_their_first_page_what_they_compare_against():
    baseline = {
        "en": "the version sent to parliament on 1 March 2025 (snapshot 3)",
        "ru": "редакция, направленная в Парламент 1 марта 2025 г. (снимок 3)",
        "kk": "Парламентке 2025 жылғы 1 наурыз жіберілген редакция (3-көшірме)",
    }
    for variant in ("redline", "comparison"):
        notes = render(memo_data(baseline=baseline), "kk+ru", variant).texts("Memo Title Note")
        assert any("Салыстыру негізі" not in n and "(3-көшірме)" in n and "(снимок 3)" in n for n in notes), notes


def _threaded() -> list[PublishedComment]:
    question, *others = comments()
    reply = PublishedComment(
        recommendation_number=1,
        author="Participant 1",
        text="The Statutes leave it open.",
        published_at=dt.datetime(2025, 2, 20, 11, 0, tzinfo=dt.UTC),
        parent=0,
    )
    return [question.model_copy(update={"resolved": True}), reply, *others]


def test_a_reply_is_threaded_under_its_comment_on_the_same_passage_and_resolved_comments_are_done():
    rendered = render(memo_data(comments=_threaded()), "en", "review")
    extended = rendered.part_xml("word/commentsExtended.xml")
    entries = [(e.get(f"{W15}paraId"), e.get(f"{W15}paraIdParent"), e.get(f"{W15}done")) for e in extended]
    ids = [c.findall(q("p"))[-1].get(f"{W14}paraId") for c in rendered.part_xml("word/comments.xml")]
    assert [e[0] for e in entries] == ids and len(set(ids)) == 4
    assert entries[0][1:] == (None, "1") and entries[1][1:] == (ids[0], "0")
    # The reply is anchored where its parent is: Word draws them as one thread.
    starts = {s.get(q("id")): s for s in rendered.body.iter(q("commentRangeStart"))}
    assert starts["0"].getnext() is starts["1"] or starts["1"].getprevious() is starts["0"]
    assert [c.author for c in rendered.document.comments][:2] == ["Aliya Bekova", "Participant 1"]


def test_the_signature_block_keeps_with_the_closing_and_names_the_signatory_and_the_memo_date():
    rendered = render(memo_data(), "ru")
    signature = rendered.paragraphs("Memo Signature")
    assert [text_of(p) for p in signature] == [
        "От имени организаторов:",
        "Школа права и государственного управления Университета Нархоз",
        "Декан Школы права",
        "Айгерим Нурланова",
        "3\u00a0марта\u00a02025\u00a0г.",
    ]
    keeps = [p.find("w:pPr/w:keepNext", NS) is not None for p in signature]
    assert keeps == [True, True, True, True, False]  # never split, never alone on a page
    closing = signature[0].getprevious()
    assert closing.find("w:pPr/w:keepNext", NS) is not None
    assert "Исх. №\u00a001-12/345 от 3\u00a0марта\u00a02025\u00a0г." in rendered.texts("Memo Meta")


def test_body_styles_have_widow_and_orphan_control():
    styles = render(memo_data()).document.styles.element
    for style_id in ("Normal", "MemoBody", "MemoParallelText", "MemoClosing", "MemoSignature"):
        style = styles.get_by_id(style_id)
        assert style.find("w:pPr/w:widowControl", NS) is not None, style_id


def test_a_number_keeps_its_unit_and_the_year_keeps_its_abbreviation():
    recs = memo_data().recommendations
    content = recs[0].content["ru"].model_copy(update={"text": "С 1 января 2026 г. сбор снижается на 15 % по ст. 26."})
    recs[0] = recs[0].model_copy(update={"content": {**recs[0].content, "ru": content}})
    body = " ".join(text_of(p) for p in render(memo_data(recommendations=recs), "ru").paragraphs("Memo Body"))
    assert "2026\u00a0г." in body and "15\u00a0%" in body and "ст.\u00a026" in body


def test_contents_carry_page_numbers_when_the_layout_gave_them_and_then_word_is_not_prompted():
    pages = list(range(3, 16))
    rendered = render(memo_data(), "en", toc_pages=pages)
    sdt = next(rendered.body.iter(q("sdt")))
    entries = [text_of(p) for p in sdt.iter(q("p"))]
    assert entries[0].endswith(" 3") and entries[-1].endswith(" 15")
    assert rendered.document.settings.element.find(q("updateFields")) is None
    mismatched = render(memo_data(), "en", toc_pages=[1, 2])
    assert any("page numbers" in w for w in mismatched.result.warnings)


def test_the_record_annex_prints_the_meeting_date_the_outgoing_number_and_the_export_time_beside_the_seal():
    table = render(memo_data()).document.tables[-1]
    rows = {r.cells[0].text: r.cells[1].text for r in table.rows}
    assert rows["Roundtable held"] == "6\u00a0February\u00a02025" and rows["Reference"] == "№\u00a001-12/345"
    assert rows["Exported"] == "3\u00a0March\u00a02025, 09:30 UTC" and len(rows["Snapshot SHA-256"]) == 64


def test_text_borrowed_from_another_language_is_tagged_with_its_own_language():
    recs = memo_data().recommendations
    recs[1] = recs[1].model_copy(
        update={
            "content": {
                "ru": RecommendationContent(title="Защитить эмблему", text="Урегулировать использование эмблемы.")
            }
        }
    )
    rendered = render(memo_data(recommendations=recs), "en")
    tagged = {
        text_of(r): r.find("w:rPr/w:lang", NS).get(q("val"))
        for r in rendered.body.iter(q("r"))
        if r.find("w:rPr/w:lang", NS) is not None
    }
    assert tagged.get("Защитить эмблему") == "ru-RU" and tagged.get("Урегулировать использование эмблемы.") == "ru-RU"
    # English text in the English memo carries no tag of its own (the document default says en-GB).
    assert "Recognise the Society by law" not in tagged


def test_the_vote_annex_states_each_rounds_rule_once_and_the_reason_for_an_overridden_block():
    rendered = render(memo_data())
    notes = rendered.texts("Memo Table Note")
    assert notes[:2] == [
        "Round 1. Rule (Delphi): quorum 1/2 of eligible voters; consensus when at least 70\u00a0% of the ratings lie "
        "in 7–9 and the interquartile range is at most 2; a block prevents adoption.",
        "Round 2. Rule: quorum 1/2 of eligible voters; adopted when at least 2/3 of those who took a side agree; "
        "a block prevents adoption.",
    ]
    table = rendered.document.tables[0]
    texts = [row.cells[0].text for row in table.rows]
    at = texts.index("Recommendation 3. Grant tax and customs facilities")
    assert texts[at + 3] == (
        "A block did not prevent adoption. Recorded reason: The objection concerns customs practice, not the law."
    )
    kk = render(memo_data(), "kk").texts("Memo Table Note")
    assert kk[1].startswith("2-тур. Шарт: кворум — дауыс беру құқығы барлардың 1/2")
