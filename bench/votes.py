"""Benchmark: concurrent voters casting through the service, beside the database's own limit, on SQLite and PostgreSQL.

Not a test: it prints, per database, voters × votes, the product's throughput (votes/s), the database
limit measured in the same run and their ratio, each as the median with min–max over ``--repeat``
pairs run interleaved (limit, product, product, limit, …), and how many votes were lost, duplicated
or left uncounted (all must be 0).

The limits, the cheapest way to commit one row at a time from the same number of threads:
- SQLite: the same file settings as the app (WAL, synchronous=NORMAL, busy timeout) and the same
  writer queue (a Python lock, BEGIN IMMEDIATE); each transaction inserts one row and commits.
- PostgreSQL: ``pgbench -c <clients> -j 2`` TPC-B (``-s 1``) on the same server, its tables
  initialised in a scratch database that is created and dropped here.

    .venv/bin/python bench/votes.py [--sqlite-threads 50] [--pg-threads 50] [--items 5] [--repeat 3]

The server is ``RECDRAFT_TEST_POSTGRES_URL`` when set (any database on it; the bench connects to
its ``postgres`` database to create ``recdraft_bench_<pid>`` and ``recdraft_pgbench_<pid>``), else
``RECDRAFT_BENCH_PG_ADMIN_URL``, else postgresql+psycopg://postgres@127.0.0.1:5432/postgres.
Goal (issue 15): at least 10 % of the limit.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from recdraft.db.engine import Database  # noqa: E402
from recdraft.db.models import Base, Membership, User  # noqa: E402
from recdraft.db.voting_models import Vote  # noqa: E402
from recdraft.services import recommendations as recs  # noqa: E402
from recdraft.services import roundtables, voting  # noqa: E402
from recdraft.services._base import SYSTEM  # noqa: E402

GOAL = 0.10


def _admin_url() -> str:
    """The PostgreSQL server to use, as a URL of its ``postgres`` database."""
    given = os.environ.get("RECDRAFT_TEST_POSTGRES_URL")
    if given:
        return make_url(given).set(database="postgres").render_as_string(hide_password=False)
    return os.environ.get("RECDRAFT_BENCH_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


PG_ADMIN = _admin_url()


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
        s.add_all(
            Membership(roundtable_id=rt.id, user_id=p.id, role="expert", group=groups[i % 4])
            for i, p in enumerate(people[1:])
        )
        return rt.id, people[0].id, [p.id for p in people[1:]]


def one_round(db: Database, roundtable_id: int, moderator: int, voters: list[int], items: int) -> dict[str, float]:
    rec_ids = []
    for i in range(items):
        rec = recs.create_recommendation(
            db, actor_id=moderator, roundtable_id=roundtable_id, content={"en": {"title": f"Item {i}", "text": "Text"}}
        )
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
            voting.cast_vote(
                db,
                actor_id=uid,
                round_id=round_id,
                recommendation_id=rec_ids[0],
                choice="disagree",
                reason="Changed my mind",
            )
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
        distinct = s.execute(
            select(func.count()).select_from(
                select(Vote.recommendation_id, Vote.voter_id).where(Vote.round_id == round_id).distinct().subquery()
            )
        ).scalar()
    result = voting.close_round(db, actor_id=moderator, round_id=round_id)
    counted = sum(item.overall.voted for item in result.items)
    return {
        "seconds": elapsed,
        "calls": calls[0],
        "throughput": calls[0] / elapsed,
        "errors": len(errors),
        "lost": expected - distinct,
        "duplicated": rows - distinct,
        "counted_missing": expected - counted,
        "first_error": repr(errors[0]) if errors else "",
    }


def sqlite_limit(path: Path, threads: int, seconds: float) -> float:
    """Single-row WAL transactions per second from ``threads`` threads (the app's settings and writer queue)."""
    setup_conn = sqlite3.connect(path, isolation_level=None)
    setup_conn.execute("PRAGMA journal_mode=WAL")
    setup_conn.execute("CREATE TABLE IF NOT EXISTS limit_rows (id INTEGER PRIMARY KEY, thread INTEGER, n INTEGER)")
    setup_conn.close()
    queue = threading.Lock()
    barrier = threading.Barrier(threads + 1)
    counts = [0] * threads
    stop = threading.Event()

    def writer(k: int) -> None:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        barrier.wait()
        n = 0
        while not stop.is_set():
            with queue:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO limit_rows (thread, n) VALUES (?, ?)", (k, n))
                conn.execute("COMMIT")
            n += 1
        counts[k] = n
        conn.close()

    workers = [threading.Thread(target=writer, args=(k,)) for k in range(threads)]
    for t in workers:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for t in workers:
        t.join()
    return sum(counts) / (time.perf_counter() - start)


def _pg_env(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(url)
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]
    env = {**os.environ}
    if u.password:
        env["PGPASSWORD"] = u.password
    return args, env


def pgbench_limit(url: str, clients: int, seconds: float) -> float:
    """TPC-B transactions per second from ``pgbench -c clients -j 2`` on the scratch database ``url``."""
    conn_args, env = _pg_env(url)
    database = make_url(url).database or "postgres"
    done = subprocess.run(
        [
            "pgbench",
            *conn_args,
            "-n",
            "-c",
            str(clients),
            "-j",
            str(min(2, clients)),
            "-T",
            str(max(1, round(seconds))),
            database,
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    match = re.search(r"tps = ([0-9.]+)", done.stdout)
    if match is None:
        raise RuntimeError(f"pgbench printed no tps: {done.stdout[-500:]} {done.stderr[-500:]}")
    return float(match.group(1))


def _spread(values: list[float], fmt: str = "{:.0f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}–{fmt.format(max(values))})"


def run(
    label: str, db: Database, threads: int, items: int, repeat: int, limit: Callable[[], float], limit_name: str
) -> None:
    """Interleaved pairs (limit, product / product, limit, …); prints medians with min–max and the ratio."""
    roundtable_id, moderator, voters = setup(db, threads)
    runs: list[dict[str, float]] = []
    limits: list[float] = []
    for k in range(repeat):
        if k % 2 == 0:
            limits.append(limit())
            runs.append(one_round(db, roundtable_id, moderator, voters, items))
        else:
            runs.append(one_round(db, roundtable_id, moderator, voters, items))
            limits.append(limit())
    throughputs = [r["throughput"] for r in runs]
    ratios = [p / lim for p, lim in zip(throughputs, limits, strict=True)]
    print(
        f"{label:<11} {threads:>4} voters x {items + 1} votes = {threads * (items + 1):>5} casts/round  "
        f"throughput {_spread(throughputs)} votes/s  limit {_spread(limits)} /s ({limit_name})  "
        f"ratio {_spread([100 * r for r in ratios], '{:.1f}')} % of the limit "
        f"(median, min–max of {repeat} interleaved pairs; goal >= {100 * GOAL:.0f} %)  "
        f"lost {sum(int(r['lost']) for r in runs)}  duplicated {sum(int(r['duplicated']) for r in runs)}  "
        f"uncounted {sum(int(r['counted_missing']) for r in runs)}  errors {sum(int(r['errors']) for r in runs)}"
    )
    for r in runs:
        if r["first_error"]:
            print(f"  first error: {r['first_error']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-threads", type=int, default=50)
    parser.add_argument("--pg-threads", type=int, default=50)
    parser.add_argument("--pg-pool", type=int, default=40, help="connections shared by the PostgreSQL threads")
    parser.add_argument("--pgbench-clients", type=int, default=50, help="pgbench -c (the PostgreSQL limit)")
    parser.add_argument("--items", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit-seconds", type=float, default=5.0, help="length of each limit measurement")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="recdraft_bench_") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", pool_size=args.sqlite_threads, max_overflow=0)
        try:
            run(
                "SQLite",
                db,
                args.sqlite_threads,
                args.items,
                args.repeat,
                lambda: sqlite_limit(Path(tmp) / "limit.sqlite3", args.sqlite_threads, args.limit_seconds),
                f"single-row WAL transactions, {args.sqlite_threads} threads",
            )
        finally:
            db.dispose()

    if shutil.which("pgbench") is None:
        print("PostgreSQL  skipped: pgbench is not installed (Debian package postgresql-client)")
        return
    name = f"recdraft_bench_{os.getpid()}"
    scratch = f"recdraft_pgbench_{os.getpid()}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{scratch}"'))
    except Exception as exc:  # noqa: BLE001 - the bench still reports SQLite
        print(f"PostgreSQL  skipped: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return
    try:
        url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
        scratch_url = PG_ADMIN.rsplit("/", 1)[0] + f"/{scratch}"
        conn_args, env = _pg_env(scratch_url)
        subprocess.run(
            ["pgbench", *conn_args, "-i", "-q", "-s", "1", scratch], capture_output=True, env=env, check=True
        )
        # The server allows 100 connections: the threads share a bounded pool and queue for it.
        db = Database(url, pool_size=args.pg_pool, max_overflow=0, pool_timeout=300)
        try:
            run(
                "PostgreSQL",
                db,
                args.pg_threads,
                args.items,
                args.repeat,
                lambda: pgbench_limit(scratch_url, args.pgbench_clients, args.limit_seconds),
                f"pgbench -c {args.pgbench_clients} -j 2 TPC-B",
            )
        finally:
            db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
