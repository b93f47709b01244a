"""Draft, review (Word comments), redline (tracked changes) and comparison variants."""

from __future__ import annotations

import datetime as dt

from recdraft.export._markup import plain_text
from recdraft.schemas.memo import PublishedComment
from tests.unit.export.factories import PREPARED_AT, _rec1, draft_data, memo_data
from tests.unit.export.helpers import NS, accept_all, q, reject_all, render, text_of

# --------------------------------------------------------------------------- draft


def test_a_draft_carries_the_mark_in_every_page_header_and_lists_its_blockers():
    rendered = render(draft_data())
    for name in ("word/header1.xml", "word/header2.xml"):  # other pages and the title page
        assert "DRAFT" in text_of(rendered.part_xml(name))
    notice = rendered.texts("Memo Notice")
    assert notice[0] == "Draft — not yet final. Outstanding items:"
    assert notice[1:] == ["–\u00a0Recommendation 4 has no Kazakh text", "–\u00a0Vote on recommendation 5 is still open"]


def test_the_draft_mark_is_in_the_memo_language():
    assert "ПРОЕКТ" in render(draft_data(), "ru").header_footer_text()
    assert "ЖОБА" in render(draft_data(), "kk").header_footer_text()
    assert "ЖОБА / ПРОЕКТ" in render(draft_data(), "kk+ru").header_footer_text()


def test_a_draft_without_blockers_still_says_it_is_not_final_and_prints_no_checksum():
    rendered = render(draft_data(blockers=[], snapshot_sha256="ab" * 32))
    assert rendered.texts("Memo Notice") == ["Draft — not yet approved as final."]
    assert "ab" * 32 not in "".join(text_of(p) for p in rendered.body.iter(q("p")))


def test_every_variant_of_a_draft_is_marked_as_draft():
    for variant in ("review", "redline", "comparison"):
        assert "DRAFT" in render(draft_data(), "en", variant).header_footer_text()


# --------------------------------------------------------------------------- review


def _comment_ranges(rendered) -> dict[str, str]:
    """Comment id -> text of the runs between its range start and end."""
    out: dict[str, str] = {}
    for start in rendered.body.iter(q("commentRangeStart")):
        cid = start.get(q("id"))
        collected = []
        for node in start.itersiblings():
            if node.tag == q("commentRangeEnd") and node.get(q("id")) == cid:
                break
            collected.append(text_of(node))
        out[cid] = "".join(collected)
    return out


def test_review_turns_each_published_comment_into_a_word_comment_with_author_and_date():
    rendered = render(memo_data(), "en", "review")
    comments = list(rendered.document.comments)
    assert [c.author for c in comments] == ["Aliya Bekova", "Timur Akhmetov", "Aliya Bekova"]
    assert [c.initials for c in comments] == ["AB", "TA", "AB"]
    assert comments[0].timestamp == dt.datetime(2025, 2, 20, 10, 15, tzinfo=dt.UTC)
    assert comments[0].text == "Should the law also name the Society's patron?"
    assert "word/comments.xml" in rendered.part_names()


def test_a_comment_is_anchored_on_the_quoted_passage_when_it_is_found():
    rendered = render(memo_data(), "en", "review")
    ranges = _comment_ranges(rendered)
    first = str(next(iter(rendered.document.comments)).comment_id)
    assert ranges[first] == "single"


def test_a_comment_whose_passage_is_gone_sits_on_the_heading_and_quotes_the_passage():
    rendered = render(memo_data(), "en", "review")
    comments = list(rendered.document.comments)
    ranges = _comment_ranges(rendered)
    assert ranges[str(comments[1].comment_id)] == "Recommendation 2. Protect the red crescent emblem"
    assert comments[1].text.startswith("«a passage that is no longer in the text»")
    assert ranges[str(comments[2].comment_id)] == "Recommendation 3. Grant tax and customs facilities"


def test_a_comment_on_a_recommendation_not_in_the_memo_is_reported_not_lost_silently():
    stray = PublishedComment(
        recommendation_number=99, author="X", text="?", published_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC)
    )
    rendered = render(memo_data(comments=[stray]), "en", "review")
    assert len(list(rendered.document.comments)) == 0
    assert any("99" in w for w in rendered.result.warnings)


def test_review_in_the_side_by_side_edition_anchors_in_either_column():
    rendered = render(
        memo_data(
            comments=[
                PublishedComment(
                    recommendation_number=1,
                    author="A",
                    text="kk",
                    quote="жалғыз",
                    published_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC),
                )
            ]
        ),
        "kk+ru",
        "review",
    )
    assert list(_comment_ranges(rendered).values()) == ["жалғыз"]


def test_the_final_variant_has_no_comments():
    assert "word/comments.xml" not in render(memo_data(), "en", "final").part_names()


# --------------------------------------------------------------------------- redline


def test_redline_writes_tracked_insertions_and_deletions_with_author_date_and_unique_ids():
    rendered = render(memo_data(), "en", "redline")
    changes = list(rendered.body.iter(q("ins"), q("del")))
    assert {c.tag for c in changes} == {q("ins"), q("del")}
    expected_date = PREPARED_AT.strftime("%Y-%m-%dT%H:%M:%SZ")
    for change in changes:
        assert change.get(q("author")) == "Editorial group"
        assert change.get(q("date")) == expected_date
    ids = [c.get(q("id")) for c in changes]
    assert len(ids) == len(set(ids))
    for deletion in rendered.body.iter(q("del")):
        assert not list(deletion.iter(q("t")))  # deleted text lives in w:delText
    deleted = {text_of(d, deleted=True) for d in rendered.body.iter(q("del")) if d.getparent().tag != q("rPr")}
    inserted = {text_of(i) for i in rendered.body.iter(q("ins")) if i.getparent().tag != q("rPr")}
    # Whole words with their punctuation (issue 10, item 9), not single letters.
    assert "a National Society" in deleted and "the single National Society," in inserted


def _section(root, start: str, stop: str) -> list[str]:
    """Texts of the body's own paragraphs (not the TOC, not tables) from ``start`` to ``stop``."""
    texts = [text_of(p) for p in root.iterchildren(q("p"))]
    first = next(k for k, t in enumerate(texts) if t.startswith(start))
    last = next(k for k in range(first + 1, len(texts)) if texts[k].startswith(stop))
    return texts[first:last]


def test_accepting_all_changes_gives_the_new_text_and_rejecting_gives_the_earlier_one():
    rendered = render(memo_data(), "en", "redline")
    rec = _rec1()
    new, old = rec.content["en"], rec.previous["en"]
    accepted = _section(accept_all(rendered.body), "Recommendation 1.", "Recommendation 2.")
    rejected = _section(reject_all(rendered.body), "Recommendation 1.", "Recommendation 3.")
    assert accepted[0] == f"Recommendation 1. {new.title}"
    assert accepted[1:7] == plain_text(new.text).split("\n")
    assert accepted[7] == f"Rationale. {new.rationale}"
    assert rejected[0] == f"Recommendation 1. {old.title}"
    assert rejected[1:5] == plain_text(old.text).split("\n")
    assert rejected[5] == f"Rationale. {old.rationale}"
    assert rejected[6] == f"Legal basis: {old.legal_basis}"


def test_a_new_recommendation_is_one_insertion_that_rejecting_removes_entirely():
    rendered = render(memo_data(), "en", "redline")
    heading = [p for p in rendered.paragraphs("Recommendation Heading") if "emblem" in text_of(p)][0]
    assert heading.find("w:pPr/w:rPr/w:ins", NS) is not None and heading.find("w:ins", NS) is not None
    rejected = [text_of(p) for p in reject_all(rendered.body).iterchildren(q("p"))]
    assert not [t for t in rejected if "emblem" in t and t.startswith("Recommendation 2")]
    assert not [t for t in rejected if "Regulate the protective" in t]
    assert "Recommendation 3. Grant tax and customs facilities" in rejected


def test_an_unchanged_recommendation_has_no_tracked_changes():
    rendered = render(memo_data(), "en", "redline")
    paragraphs = _section(rendered.body, "Recommendation 3.", "Recommendation 4.")
    assert paragraphs[0] == "Recommendation 3. Grant tax and customs facilities"
    heading = [p for p in rendered.paragraphs("Recommendation Heading") if "customs" in text_of(p)][0]
    assert heading.find(".//w:ins", NS) is None and heading.find(".//w:del", NS) is None


# --------------------------------------------------------------------------- comparison


def test_comparison_is_a_table_of_earlier_and_proposed_text_with_justification_and_consensus():
    rendered = render(memo_data(), "en", "comparison")
    table = rendered.document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "No.",
        "Earlier text",
        "Proposed text",
        "Justification",
        "Consensus",
    ]
    first = [c.text for c in table.rows[1].cells]
    assert first[0] == "1"
    assert first[1].startswith("Recognise the Society\nAdopt a law recognising")
    assert first[2].startswith("Recognise the Society by law\nAdopt a law recognising")
    assert first[3] == "Adds the single-society rule and the duty to respect the Principles."
    assert first[4] == "Adopted in round 2 (14 for, 1 against)."
    assert table.rows[2].cells[1].text == "(new recommendation)"
    assert len(table.rows) == 1 + 5


def test_comparison_table_is_on_landscape_pages_after_a_portrait_title_page():
    rendered = render(memo_data(), "en", "comparison")
    sections = rendered.document.sections
    assert len(sections) == 2
    assert sections[0].page_width < sections[0].page_height
    assert sections[1].page_width > sections[1].page_height
    assert sections[1].orientation == 1  # WD_ORIENT.LANDSCAPE


def test_comparison_side_by_side_has_a_kazakh_and_a_russian_row_per_recommendation():
    rendered = render(memo_data(), "kk+ru", "comparison")
    table = rendered.document.tables[0]
    assert len(table.rows) == 1 + 2 * 5
    kk_row, ru_row = ([c.text for c in row.cells] for row in table.rows[1:3])
    assert kk_row[2].startswith("Қоғамды заңмен тану") and ru_row[2].startswith("Признать Общество законом")
    assert kk_row[0] == ru_row[0] == "1"  # one merged number cell
