"""The command line is a good citizen: every failure a person meets is one clear line, never a traceback.

Each message listed in issue 14 has its test here: a missing database in another folder, an
uninitialised or unreachable database, bad settings, ``postgres://`` URLs, a closed pipe, ``user add``
without a terminal and with a short password, ``serve`` without a secret or on an old schema, and
backups readable only by their owner.
"""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from recdraft.cli import main
from tests.conftest import IN_CI, _pg_available, fresh_pg_database


def _run(args: list[str], cwd: Path, env: dict[str, str], stdin: str | None = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recdraft", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=120,
    )


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECDRAFT_")}
    return {**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), **extra}


def _error(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


@pytest.fixture
def pg_admin():
    problem = _pg_available()
    if problem:
        (pytest.fail if IN_CI else pytest.skip)(f"PostgreSQL is not reachable ({problem})")


def test_a_command_run_from_another_folder_explains_where_the_database_is_and_creates_nothing(tmp_path):
    done = _run(["user", "list"], tmp_path, _clean_env())
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"There is no database at {tmp_path / 'data' / 'recdraft.sqlite3'}" in done.stderr
    assert "current folder" in done.stderr and "recdraft init-db" in done.stderr
    assert not (tmp_path / "data").exists()


def test_a_missing_sqlite_file_named_in_the_url_is_refused_too(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'nowhere' / 'x.sqlite3'}")
    assert main(["snapshots"]) == 2
    assert "There is no database at" in _error(capsys) and not (tmp_path / "nowhere").exists()


def test_an_uninitialised_sqlite_database_says_run_init_db(capsys, monkeypatch, tmp_path):
    (tmp_path / "empty.sqlite3").touch()
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    assert main(["user", "list"]) == 2
    err = _error(capsys)
    assert "has no recdraft tables yet (no such table: users): run `recdraft init-db` first" in err


def test_an_uninitialised_postgresql_database_says_run_init_db(capsys, monkeypatch, pg_admin):
    with fresh_pg_database("_cli", schema=False) as url:
        monkeypatch.setenv("RECDRAFT_DATABASE_URL", url)
        assert main(["user", "list"]) == 2
        assert 'relation "users" does not exist' in (err := _error(capsys)) and "run `recdraft init-db`" in err


def test_an_unreachable_database_server_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", "postgresql://recdraft:secret@127.0.0.1:1/recdraft")
    assert main(["user", "list"]) == 2
    err = _error(capsys)
    assert "Cannot use the database postgresql+psycopg://recdraft:***@127.0.0.1:1/recdraft" in err
    assert "Check RECDRAFT_DATABASE_URL" in err and "secret" not in err


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_postgresql_and_postgres_urls_work_through_psycopg_3(capsys, monkeypatch, pg_admin, scheme):
    with fresh_pg_database("_url", schema=False) as url:
        plain = url.replace("postgresql+psycopg://", f"{scheme}://")
        monkeypatch.setenv("RECDRAFT_DATABASE_URL", plain)
        assert main(["init-db"]) == 0
        assert "postgresql+psycopg://" in capsys.readouterr().out
        engine = create_engine(url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 0
        engine.dispose()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("RECDRAFT_SESSION_HOURS", "abc", "RECDRAFT_SESSION_HOURS must be a whole number, not 'abc'."),
        ("RECDRAFT_SESSION_MAX_DAYS", "0", "RECDRAFT_SESSION_MAX_DAYS must be between 1 and 90, not 0."),
        ("RECDRAFT_DB_POOL_SIZE", "lots", "RECDRAFT_DB_POOL_SIZE must be a whole number, not 'lots'."),
        ("RECDRAFT_DATABASE_URL", "mysql://x@y/z", "RECDRAFT_DATABASE_URL must be a PostgreSQL or SQLite URL"),
        ("RECDRAFT_DATABASE_URL", "recdraft.sqlite3", "RECDRAFT_DATABASE_URL must look like"),
        ("RECDRAFT_PUBLIC_URL", "school.kz", "RECDRAFT_PUBLIC_URL must look like https://host[:port]"),
        ("RECDRAFT_TRUSTED_PROXIES", "caddy", "RECDRAFT_TRUSTED_PROXIES must list IP addresses or networks"),
        ("RECDRAFT_BASE_PATH", "/my app", "RECDRAFT_BASE_PATH must be a path like /recdraft"),
        ("RECDRAFT_SECRET", "short", "RECDRAFT_SECRET must be at least 32 characters long, not 5"),
    ],
)
def test_a_bad_setting_is_named_at_start_up_by_every_command(capsys, monkeypatch, tmp_path, name, value, message):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'ok.sqlite3'}")
    monkeypatch.setenv(name, value)
    assert main(["init-db"]) == 2
    assert message in _error(capsys)
    assert not (tmp_path / "ok.sqlite3").exists(), "nothing is done with a bad setting"


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    env = _clean_env(RECDRAFT_DATABASE_URL=f"sqlite:///{tmp_path / 'pipe.sqlite3'}")
    assert _run(["init-db"], tmp_path, env).returncode == 0
    for n in range(3):
        assert _run(["user", "add", f"user{n}", "--password-stdin"], tmp_path, env, "long password\n").returncode == 0
    reader = subprocess.Popen(
        [sys.executable, "-m", "recdraft", "user", "list"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader.stdout.close()  # like `| head` that has read enough before recdraft writes
    err = reader.stderr.read().decode()
    assert reader.wait(timeout=60) == 141
    assert "BrokenPipeError" not in err and "Traceback" not in err


def test_user_add_without_a_terminal_reads_the_password_from_standard_input(tmp_path):
    env = _clean_env(RECDRAFT_DATABASE_URL=f"sqlite:///{tmp_path / 'stdin.sqlite3'}")
    assert _run(["init-db"], tmp_path, env).returncode == 0
    created = _run(["user", "add", "aidana"], tmp_path, env, stdin="a long password\n")
    assert created.returncode == 0 and "aidana" in created.stdout, created.stderr
    nothing = _run(["user", "add", "bolat"], tmp_path, env, stdin="")
    assert nothing.returncode == 2 and "Traceback" not in nothing.stderr and "EOFError" not in nothing.stderr
    assert "standard input is not a terminal" in nothing.stderr and "--password-stdin" in nothing.stderr
    assert "bolat" not in _run(["user", "list"], tmp_path, env).stdout


def test_user_add_applies_the_same_password_rule_as_the_ui(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'rule.sqlite3'}")
    assert main(["init-db"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("x\n"))
    assert main(["user", "add", "cezar", "--password-stdin"]) == 2
    assert "The password is too short: at least 8 characters." in _error(capsys)
    assert main(["user", "add", "cezar", "--password", "short"]) == 2
    assert "too short" in _error(capsys)
    assert main(["user", "list"]) == 0 and "cezar" not in capsys.readouterr().out


def test_serve_refuses_to_start_without_a_persistent_secret(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 's.sqlite3'}")
    monkeypatch.delenv("RECDRAFT_SECRET", raising=False)
    assert main(["init-db"]) == 0
    assert main(["serve", "--port", "1"]) == 2
    err = _error(capsys)
    assert "RECDRAFT_SECRET is not set" in err and "at least 32 characters" in err and "secrets.token_urlsafe" in err


def test_serve_refuses_an_uninitialised_or_old_database_and_says_run_init_db(capsys, monkeypatch, tmp_path):
    path = tmp_path / "old.sqlite3"
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("RECDRAFT_SECRET", "s" * 40)
    path.touch()
    assert main(["serve"]) == 2
    assert "has no recdraft tables yet: run `recdraft init-db` first" in _error(capsys)
    assert main(["init-db"]) == 0
    capsys.readouterr()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    engine.dispose()
    assert main(["serve"]) == 2
    err = _error(capsys)
    assert "is at schema revision 0001, this recdraft needs" in err and "run `recdraft init-db` to upgrade" in err


def test_a_backup_file_is_readable_only_by_its_owner(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'b.sqlite3'}")
    assert main(["init-db"]) == 0
    old = os.umask(0o022)
    try:
        out = tmp_path / "backup.json"
        out.write_text("an older file that was world-readable")
        out.chmod(0o644)
        assert main(["backup", "--out", str(out)]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("{")
