"""Benchmark: concurrent voters casting through the service, on SQLite and PostgreSQL.

Not a test: it prints, per database, voters × votes, throughput (votes/s, median of the repetitions)
and how many votes were lost or duplicated (both must be 0).

    .venv/bin/python bench/votes.py [--sqlite-threads 50] [--pg-threads 200] [--items 5] [--repeat 3]

It makes its own temporary SQLite file and its own PostgreSQL database (``recdraft_bench_<pid>``,
dropped at the end) via postgresql+psycopg://postgres@127.0.0.1:5432/postgres.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from recdraft.db.engine import Database  # noqa: E402
from recdraft.db.models import Base, Membership, User  # noqa: E402
from recdraft.db.voting_models import Vote  # noqa: E402
from recdraft.services import recommendations as recs  # noqa: E402
from recdraft.services import roundtables, voting  # noqa: E402
from recdraft.services._base import SYSTEM  # noqa: E402

PG_ADMIN = os.environ.get("RECDRAFT_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def setup(db: Database, voters: int) -> tuple[int, int, list[int]]:
    """A roundtable, a moderator and ``voters`` experts; returns (roundtable, moderator, voter ids)."""
    Base.metadata.create_all(db.engine)
    rt = roundtables.create_roundtable(db, actor_id=SYSTEM, title={"en": "Benchmark"}, held_on=date(2025, 2, 6))
    with db.write() as s:
        people = [User(username=f"b{rt.id}_{i}", display_name=f"Voter {i}", is_active=True) for i in range(voters + 1)]
        s.add_all(people)
        s.flush()
        s.add(Membership(roundtable_id=rt.id, user_id=people[0].id, role="moderator"))
        groups = ("ICRC", "Red Crescent Society", "Faculty", "Parliament")
        s.add_all(Membership(roundtable_id=rt.id, user_id=p.id, role="expert", group=groups[i % 4])
                  for i, p in enumerate(people[1:]))
        return rt.id, people[0].id, [p.id for p in people[1:]]


def one_round(db: Database, roundtable_id: int, moderator: int, voters: list[int], items: int) -> dict[str, float]:
    rec_ids = []
    for i in range(items):
        rec = recs.create_recommendation(db, actor_id=moderator, roundtable_id=roundtable_id,
                                         content={"en": {"title": f"Item {i}", "text": "Text"}})
        recs.set_status(db, actor_id=moderator, recommendation_id=rec.id, status="discussion")
        rec_ids.append(rec.id)
    round_id = voting.open_round(db, actor_id=moderator, roundtable_id=roundtable_id, recommendation_ids=rec_ids).id
    barrier = threading.Barrier(len(voters))
    errors: list[BaseException] = []
    calls = [0]
    lock = threading.Lock()

    def voter(uid: int) -> None:
        barrier.wait()
        done = 0
        try:
            for rec_id in rec_ids:
                voting.cast_vote(db, actor_id=uid, round_id=round_id, recommendation_id=rec_id, choice="agree")
                done += 1
            # And one change of mind each: a second write to an existing vote.
            voting.cast_vote(db, actor_id=uid, round_id=round_id, recommendation_id=rec_ids[0],
                             choice="disagree", reason="Changed my mind")
            done += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)
        with lock:
            calls[0] += done

    threads = [threading.Thread(target=voter, args=(uid,)) for uid in voters]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    expected = len(voters) * items
    with db.read() as s:
        rows = s.scalar(select(func.count()).select_from(Vote).where(Vote.round_id == round_id))
        distinct = s.execute(select(func.count()).select_from(
            select(Vote.recommendation_id, Vote.voter_id).where(Vote.round_id == round_id).distinct().subquery()
        )).scalar()
    result = voting.close_round(db, actor_id=moderator, round_id=round_id)
    counted = sum(item.overall.voted for item in result.items)
    return {
        "seconds": elapsed, "calls": calls[0], "throughput": calls[0] / elapsed, "errors": len(errors),
        "lost": expected - distinct, "duplicated": rows - distinct, "counted_missing": expected - counted,
        "first_error": repr(errors[0]) if errors else "",
    }


def run(label: str, db: Database, threads: int, items: int, repeat: int) -> None:
    roundtable_id, moderator, voters = setup(db, threads)
    runs = [one_round(db, roundtable_id, moderator, voters, items) for _ in range(repeat)]
    throughput = statistics.median(r["throughput"] for r in runs)
    each = ", ".join(f"{r['throughput']:.0f}" for r in runs)
    print(f"{label:<11} {threads:>4} voters x {items + 1} votes = {threads * (items + 1):>5} casts/round  "
          f"throughput {throughput:8.0f} votes/s (median of {repeat}; "
          f"{each})  "
          f"lost {sum(int(r['lost']) for r in runs)}  duplicated {sum(int(r['duplicated']) for r in runs)}  "
          f"uncounted {sum(int(r['counted_missing']) for r in runs)}  errors {sum(int(r['errors']) for r in runs)}")
    for r in runs:
        if r["first_error"]:
            print(f"  first error: {r['first_error']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-threads", type=int, default=50)
    parser.add_argument("--pg-threads", type=int, default=200)
    parser.add_argument("--pg-pool", type=int, default=40, help="connections shared by the PostgreSQL threads")
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="recdraft_bench_") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", pool_size=args.sqlite_threads, max_overflow=0)
        try:
            run("SQLite", db, args.sqlite_threads, args.items, args.repeat)
        finally:
            db.dispose()

    name = f"recdraft_bench_{os.getpid()}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - the bench still reports SQLite
        print(f"PostgreSQL  skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return
    try:
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        # The server allows 100 connections: the threads share a bounded pool and queue for it.
        db = Database(url, pool_size=args.pg_pool, max_overflow=0, pool_timeout=300)
        try:
            run("PostgreSQL", db, args.pg_threads, args.items, args.repeat)
        finally:
            db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
