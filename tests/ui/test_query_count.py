"""The recommendations list issues a bounded number of SQL statements, however big the roundtable.

The data is built fast with bulk Core inserts (not through argon2 and the services row by row), but
it is valid data: every row satisfies the schema's constraints, every recommendation has a current
revision, votes belong to an open round that holds the recommendation. Statements are counted with
SQLAlchemy's ``before_cursor_execute`` event on the engine the app itself uses, during one AppTest
render of the list page (router, sign-in check and page together).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, insert, inspect, select, update
from streamlit.testing.v1 import AppTest

from recdraft.db.engine import Database
from recdraft.db.models import Base, Comment, Membership, Recommendation, Revision, User
from recdraft.services import accounts, roundtables
from recdraft.services._base import SYSTEM
from recdraft.services.recommendations import languages_of, search_text_of
from recdraft.ui.screens.recommendations.list import PAGE_SIZE

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "streamlit_app.py"
LIST_PAGE = "recdraft/ui/pages/recommendations.py"
PASSWORD = "correct horse battery"
MAX_STATEMENTS = 15
TOPICS = [
    "Recognition and auxiliary status",
    "Emblem",
    "Facilities",
    "Dissemination of IHL",
    "Volunteers",
    "Disaster management",
    "Restoring family links",
    "First aid",
]


@dataclass
class Dataset:
    url: str
    roundtable_id: int
    expert_id: int
    moderator_id: int
    recommendations: int
    comments: int
    votes: int


def _has_voting_tables() -> bool:
    try:
        from recdraft.db import voting_models  # noqa: F401
    except ImportError:
        return False
    return "votes" in Base.metadata.tables


def _content(i: int) -> dict[str, dict[str, str]]:
    en = {
        "title": f"Recommendation {i}: strengthen the legal basis of the National Society",
        "text": f"Parliament should adopt provision {i} so that the **National Society** can act as an auxiliary "
        "to the public authorities.\n- first point\n- second point",
        "rationale": "Statutes of the Movement, Art. 4.",
        "legal_basis": "GC I Art. 26",
        "responsible_body": "Mazhilis",
    }
    out = {"en": en}
    if i % 2 == 0:
        out["ru"] = {
            "title": f"Рекомендация {i}",
            "text": "Парламенту следует принять закон.",
            "rationale": "",
            "legal_basis": "",
            "responsible_body": "",
        }
    if i % 3 == 0:
        out["kk"] = {
            "title": f"{i}-ұсыным",
            "text": "Парламент заң қабылдауға тиіс.",
            "rationale": "",
            "legal_basis": "",
            "responsible_body": "",
        }
    return out


def build_dataset(path: Path, *, recommendations: int, comments: int, votes: int, seed: int = 7) -> Dataset:
    """A roundtable with ``recommendations`` recommendations, ``comments`` comments and ``votes`` votes."""
    url = f"sqlite:///{path}"
    db = Database(url)
    Base.metadata.create_all(db.engine)
    rng = random.Random(seed)
    now = datetime(2025, 2, 6, 9, 0, tzinfo=UTC)
    rt = roundtables.create_roundtable(
        db, actor_id=SYSTEM, title={"en": "Query-count roundtable"}, held_on=date(2025, 2, 6), moderation_mode="pre"
    )
    people: dict[str, int] = {}
    for name, role in (("moderator", "moderator"), ("expert", "expert")):
        uid = accounts.create_user(db, actor_id=SYSTEM, username=name, display_name=name.title(), password=PASSWORD).id
        roundtables.set_membership(
            db,
            actor_id=SYSTEM,
            roundtable_id=rt.id,
            user_id=uid,
            role=role,
            organisation="Narxoz University",
            consent_named=True,
        )
        people[name] = uid
    voters_needed = max(1, -(-votes // max(1, recommendations))) if votes else 0
    with db.write() as s:
        # Extra experts without a password (they cannot sign in; they author, comment and vote).
        s.execute(
            insert(User),
            [
                {
                    "id": 1000 + i,
                    "username": f"bulk{i}",
                    "display_name": f"Expert {i}",
                    "email": None,
                    "password_hash": None,
                    "is_active": True,
                    "is_system_admin": False,
                    "failed_sign_ins": 0,
                    "created_at": now,
                }
                for i in range(max(10, voters_needed))
            ],
        )
        s.execute(
            insert(Membership),
            [
                {
                    "roundtable_id": rt.id,
                    "user_id": 1000 + i,
                    "role": "expert",
                    "organisation": "ICRC",
                    "group": "ICRC",
                    "consent_named": True,
                    "created_at": now,
                }
                for i in range(max(10, voters_needed))
            ],
        )
        authors = [people["expert"], *[1000 + i for i in range(10)]]
        recs, revs = [], []
        for i in range(1, recommendations + 1):
            content = _content(i)
            topic = TOPICS[i % len(TOPICS)]
            recs.append(
                {
                    "id": i,
                    "roundtable_id": rt.id,
                    "number": i,
                    "position": i,
                    "topic": topic,
                    "priority": ("high", "medium", "low")[i % 3],
                    "status": "discussion",
                    "current_revision_id": None,
                    "merged_into_id": None,
                    "created_by": authors[i % len(authors)],
                    "created_at": now,
                    "updated_at": now + timedelta(minutes=i),
                    "search_text": search_text_of(content, topic),
                    "languages": languages_of(content),
                    "version": 1,
                }
            )
            revs.append(
                {
                    "id": i,
                    "recommendation_id": i,
                    "number": 1,
                    "content": content,
                    "author_id": authors[i % len(authors)],
                    "created_at": now,
                    "base_revision_id": None,
                    "note": "",
                    "kind": "create",
                    "submission_key": None,
                }
            )
        if recs:
            s.execute(insert(Recommendation), recs)
            s.execute(insert(Revision), revs)
            s.execute(
                update(Recommendation)
                .where(Recommendation.roundtable_id == rt.id)
                .values(current_revision_id=Recommendation.id)
            )
        rows = []
        statuses = ["published"] * 7 + ["pending", "hidden", "rejected"]
        for j in range(comments):
            rid = j % recommendations + 1
            rows.append(
                {
                    "id": j + 1,
                    "recommendation_id": rid,
                    "parent_id": None,
                    "author_id": authors[rng.randrange(len(authors))],
                    "body": f"Comment {j} on {rid}.",
                    "quote": "",
                    "status": statuses[j % len(statuses)],
                    "created_at": now + timedelta(seconds=j),
                    "updated_at": now + timedelta(seconds=j),
                    "resolution": None,
                    "addressed_revision_id": None,
                    "resolution_reason": "",
                    "resolved_by": None,
                    "open_flags": 0,
                    "submission_key": None,
                    "version": 1,
                }
            )
        for start in range(0, len(rows), 5000):
            s.execute(insert(Comment), rows[start : start + 5000])
    made_votes = 0
    if votes and recommendations and _has_voting_tables():
        made_votes = _bulk_votes(db, rt.id, people["moderator"], recommendations, votes, now)
    db.dispose()
    return Dataset(
        url=url,
        roundtable_id=rt.id,
        expert_id=people["expert"],
        moderator_id=people["moderator"],
        recommendations=recommendations,
        comments=comments,
        votes=made_votes,
    )


def _bulk_votes(
    db: Database, roundtable_id: int, moderator_id: int, recommendations: int, votes: int, now: datetime
) -> int:
    from recdraft.db.voting_models import Vote, VoteHistory
    from recdraft.services import voting

    rnd = voting.open_round(
        db,
        actor_id=moderator_id,
        roundtable_id=roundtable_id,
        recommendation_ids=list(range(1, recommendations + 1)),
        name="Bulk round",
    )
    choices = ("agree", "disagree", "abstain")
    rows, history = [], []
    for k in range(votes):
        rid = k % recommendations + 1
        voter = 1000 + k // recommendations
        rows.append(
            {
                "id": k + 1,
                "round_id": rnd.id,
                "recommendation_id": rid,
                "voter_id": voter,
                "revision_id": rid,
                "choice": choices[k % 3],
                "rating": None,
                "reason": None,
                "reason_named": False,
                "cast_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        history.append(
            {
                "vote_id": k + 1,
                "action": "cast",
                "revision_id": rid,
                "choice": choices[k % 3],
                "rating": None,
                "reason": None,
                "reason_named": False,
                "at": now,
            }
        )
    with db.write() as s:
        for start in range(0, len(rows), 5000):
            s.execute(insert(Vote), rows[start : start + 5000])
            s.execute(insert(VoteHistory), history[start : start + 5000])
    return len(rows)


# ----------------------------------------------------------------------------- counting


class StatementCounter:
    """Counts the SQL statements sent through one engine while ``active``."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []
        self.active = False
        event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if self.active:
            self.statements.append(" ".join(statement.split())[:160])

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_execute)


def app_engine():
    """The engine of the Database the app caches (recdraft.ui.state.database)."""
    from recdraft.ui.state import database

    return database().engine


def render_list_page(url: str, token: str, monkeypatch: pytest.MonkeyPatch) -> tuple[AppTest, list[str]]:
    """Open the list page in AppTest, then count the statements of one more render of it."""
    import streamlit as st

    monkeypatch.setenv("RECDRAFT_DATABASE_URL", url)
    st.cache_resource.clear()
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["recdraft_lang"] = "en"
    at.session_state["recdraft_token"] = token
    at.run()
    at.switch_page(LIST_PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    engine = app_engine()
    assert str(engine.url) == url
    counter = StatementCounter(engine)
    try:
        counter.active = True
        at.run()
        counter.active = False
    finally:
        counter.close()
    assert not at.exception, [e.value for e in at.exception]
    return at, counter.statements


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Dataset]:
    base = tmp_path_factory.mktemp("query-count")
    return {
        50: build_dataset(base / "r50.sqlite3", recommendations=50, comments=2_000, votes=500),
        500: build_dataset(base / "r500.sqlite3", recommendations=500, comments=20_000, votes=5_000),
    }


@pytest.fixture
def clean_caches() -> Iterator[None]:
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _token(url: str) -> str:
    db = Database(url)
    try:
        return accounts.sign_in(db, username="expert", password=PASSWORD).token
    finally:
        db.dispose()


def test_the_big_dataset_is_what_it_claims(datasets):
    big = datasets[500]
    db = Database(big.url)
    try:
        with db.read() as s:
            assert s.query(Recommendation).count() == 500
            assert s.query(Comment).count() == 20_000
            assert s.scalar(select(Recommendation.current_revision_id).where(Recommendation.id == 500)) == 500
            if _has_voting_tables():
                from recdraft.db.voting_models import Vote

                assert s.query(Vote).count() == 5_000
        assert "votes" not in Base.metadata.tables or big.votes == 5_000
        assert inspect(db.engine).has_table("recommendations")
    finally:
        db.dispose()


def test_the_list_page_issues_a_bounded_number_of_statements(datasets, monkeypatch, clean_caches):
    counts = {}
    for size, data in datasets.items():
        at, statements = render_list_page(data.url, _token(data.url), monkeypatch)
        counts[size] = len(statements)
        shown = [b for b in at.button if str(b.key or "").startswith("recs_open_")]
        assert len(shown) == PAGE_SIZE, "one page of rows, however many recommendations exist"
        assert any(f"of {size}" in c.value for c in at.caption)
        assert len(statements) <= MAX_STATEMENTS, "\n".join(statements)
    assert counts[50] == counts[500], counts
    print(f"statements per render of the list page: {counts}")


def test_a_later_page_and_a_filter_cost_the_same(datasets, monkeypatch, clean_caches):
    data = datasets[500]
    at, baseline = render_list_page(data.url, _token(data.url), monkeypatch)
    at.session_state["recs_page"] = 20
    at.selectbox(key="recs_page_size").set_value(50)
    at.selectbox(key="recs_f_lang").set_value("kk")
    engine = app_engine()
    counter = StatementCounter(engine)
    try:
        counter.active = True
        at.run()
    finally:
        counter.close()
    assert not at.exception
    assert len(counter.statements) <= MAX_STATEMENTS, "\n".join(counter.statements)
    assert any("of 166" in c.value for c in at.caption), [c.value for c in at.caption]
