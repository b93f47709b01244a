"""The demo roundtable: idempotent, complete, and loaded through the services."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from recdraft.db.models import Amendment, Comment, Membership, Recommendation, Revision
from recdraft.services import accounts
from recdraft.services.demo import load_demo
from tests.rowcounts import row_counts


def test_demo_loads_once_with_every_account_and_state(db):
    first = load_demo(db)
    assert first.created
    counts = row_counts(db)
    again = load_demo(db)
    assert not again.created and again.roundtable_id == first.roundtable_id
    assert row_counts(db) == counts

    for name in ["admin", "moderator", *[f"expert{i}" for i in range(1, 7)], "observer"]:
        assert accounts.sign_in(db, username=name, password="demo").user.username == name
    with db.read() as s:
        roles = Counter(s.scalars(select(Membership.role)))
        assert roles == {"admin": 1, "moderator": 1, "expert": 6, "observer": 1}
        assert s.query(Recommendation).count() >= 12
        langs = Counter(lang for content in s.scalars(select(Revision.content)) for lang in content)
        assert langs["kk"] and langs["ru"] and langs["en"]
        assert s.query(Revision).count() > s.query(Recommendation).count()
        assert {a.status for a in s.scalars(select(Amendment))} == {"open", "accepted", "rejected"}
        assert {c.status for c in s.scalars(select(Comment))} == {"pending", "published", "hidden", "rejected"}
        assert any(c.open_flags for c in s.scalars(select(Comment)))


def test_every_demo_topic_reads_in_kazakh_russian_and_english(db):
    """A Kazakh reader sees Kazakh topic names: each recommendation's topic is a key the roundtable labels."""
    from recdraft.db.models import Roundtable

    load_demo(db)
    with db.read() as s:
        rt = s.scalars(select(Roundtable)).one()
        labels = {t["key"]: t["labels"] for t in rt.settings["topics"]}
        used = set(s.scalars(select(Recommendation.topic)))
    assert used and used <= set(labels)
    for key in used:
        kk, ru, en = labels[key]["kk"], labels[key]["ru"], labels[key]["en"]
        assert len({kk, ru, en}) == 3, key
        assert any(ch in "әғқңөұүһі" for ch in kk.lower()) or any("а" <= ch <= "я" for ch in kk.lower()), key
        assert any("а" <= ch <= "я" for ch in ru.lower()) and en.isascii(), key


def test_the_database_holds_every_text_the_data_rebuilds(db):
    """Each revision recorded is the text rebuilt from the data's changes; each amendment its proposed text."""
    from recdraft.db.models import User
    from recdraft.demo import content

    demo = content()
    load_demo(db)
    with db.read() as s:
        names = {u.id: u.username for u in s.scalars(select(User))}
        recs = list(s.scalars(select(Recommendation).order_by(Recommendation.number)))
        assert [r.topic for r in recs] == [item.topic for item in demo.recommendations]
        for rec, item in zip(recs, demo.recommendations, strict=True):
            stored = list(
                s.scalars(select(Revision).where(Revision.recommendation_id == rec.id).order_by(Revision.number))
            )
            accepted = [a for a in demo.amendments if a.rec == item.key and a.outcome == "accepted"]
            assert len(stored) == len(item.versions) + len(accepted), item.key
            for revision, version in zip(stored[: len(item.versions)], item.versions, strict=True):
                assert revision.content == version.content, (item.key, revision.number)
                assert (names[revision.author_id], revision.note) == (version.author, version.note)
            for revision, amendment in zip(stored[len(item.versions) :], accepted, strict=True):
                assert revision.content == amendment.content and names[revision.author_id] == amendment.proposer
        amendments = list(s.scalars(select(Amendment).order_by(Amendment.id)))
        assert [(a.content, a.status, a.justification) for a in amendments] == [
            (a.content, a.outcome, a.justification) for a in demo.amendments
        ]
