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
