"""The command line: every command documented in --help, and the main ones work end to end."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from recdraft.cli import build_parser, main


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[tuple[str, argparse.ArgumentParser, str]]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                out.append((prefix + name, sub, helps.get(name) or ""))
                out.extend(_commands(sub, prefix + name + " "))
    return out


def test_every_command_and_option_is_documented():
    for name, sub, help_text in _commands(build_parser()):
        assert help_text.strip(), f"'recdraft {name}' has no help line"
        assert (sub.description or "").strip(), f"'recdraft {name}' has no description"
        for action in sub._actions:
            if action.dest != "help" and not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"option {action.dest} of 'recdraft {name}' is undocumented"


def test_help_lists_the_issue_commands():
    help_text = build_parser().format_help()
    for command in ["init-db", "demo", "user", "backup", "restore"]:
        assert command in help_text


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "recdraft", *args], env=env, input=stdin, text=True, capture_output=True, timeout=300
    )


def test_init_db_user_commands_backup_and_restore_work_from_the_shell(tmp_path: Path):
    env = {**os.environ, "RECDRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    assert _run(["init-db"], env).returncode == 0
    added = _run(["user", "add", "aidana", "--name", "Aidana", "--password-stdin"], env, stdin="long password\n")
    assert added.returncode == 0, added.stderr
    listed = _run(["user", "list"], env)
    assert "aidana" in listed.stdout
    assert _run(["user", "deactivate", "aidana"], env).returncode == 0
    assert " no " in _run(["user", "list"], env).stdout
    duplicate = _run(["user", "add", "aidana", "--password", "long enough"], env)
    assert duplicate.returncode == 2 and "already taken" in duplicate.stderr and "Traceback" not in duplicate.stderr
    out = tmp_path / "backup.json"
    assert _run(["backup", "--out", str(out)], env).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "recdraft-backup"
    env2 = {**env, "RECDRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}"}
    restored = _run(["restore", str(out)], env2)
    assert restored.returncode == 0, restored.stderr
    assert "aidana" in _run(["user", "list"], env2).stdout
    # A database in use: refused without --replace, replaced with it; a missing file is a message.
    assert _run(["user", "add", "bolat", "--password-stdin"], env2, stdin="long password\n").returncode == 0
    refused = _run(["restore", str(out)], env2)
    assert refused.returncode == 2 and "--replace" in refused.stderr and "Traceback" not in refused.stderr
    replaced = _run(["restore", "--replace", str(out)], env2)
    assert replaced.returncode == 0, replaced.stderr
    assert "replaced" in replaced.stdout
    users = _run(["user", "list"], env2).stdout
    assert "aidana" in users and "bolat" not in users
    missing = _run(["restore", "--replace", str(tmp_path / "nope.json")], env2)
    assert missing.returncode == 2 and "Cannot read the backup file" in missing.stderr


def test_an_error_is_a_message_not_a_traceback(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'e.sqlite3'}")
    main(["init-db"])
    assert main(["user", "deactivate", "nobody"]) == 2
    assert "There is no user 'nobody'" in capsys.readouterr().err


def test_the_first_system_administrator_and_organisers_are_made_from_the_command_line(capsys, monkeypatch, tmp_path):
    from recdraft.db.engine import Database
    from recdraft.services import accounts, roundtables

    url = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    monkeypatch.setenv("RECDRAFT_DATABASE_URL", url)
    assert main(["init-db"]) == 0
    assert main(["user", "add", "aigerim", "--system-admin", "--password", "long password"]) == 0
    assert main(["user", "add", "bolat", "--organiser", "--password", "long password"]) == 0
    out = capsys.readouterr().out
    assert "Created system administrator aigerim" in out and "Created organiser bolat" in out
    assert main(["user", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert "organiser" in listing[0]
    bolat = next(line for line in listing if " bolat " in line)
    assert bolat.split()[2:5] == ["yes", "no", "yes"]
    db = Database(url)
    try:
        organiser = accounts.find_user(db, username="bolat")
        assert organiser.is_organiser and not organiser.is_system_admin
        rt = roundtables.create_roundtable(db, actor_id=organiser.id, title={"en": "First"}, held_on="2026-05-01")
        assert roundtables.my_role(db, actor_id=organiser.id, roundtable_id=rt.id) == "admin"
    finally:
        db.dispose()


def test_export_memo_writes_a_pdf_a_and_compares_with_the_first_drafts_from_the_shell(tmp_path: Path):
    from tests.tools import require_tool

    require_tool("soffice", package="libreoffice-writer-nogui")
    env = {**os.environ, "RECDRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    assert _run(["demo"], env).returncode == 0
    pdf = tmp_path / "memo.pdf"
    done = _run(["export-memo", "--out", str(pdf), "--format", "pdf", "--lang", "ru"], env)
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF") and b"pdfaid:part>2<" in pdf.read_bytes().replace(b"\n", b"")
    redline = tmp_path / "redline.docx"
    done = _run(["export-memo", "--out", str(redline), "--variant", "redline", "--against", "first"], env)
    assert done.returncode == 0, done.stderr
    refused = _run(["export-memo", "--out", str(redline), "--variant", "redline", "--against", "yesterday"], env)
    assert refused.returncode != 0 and "'first'" in refused.stderr and "Traceback" not in refused.stderr


def test_export_research_writes_the_zip_of_the_demo_roundtable(capsys, monkeypatch, tmp_path):
    # Issue 18, item 10: the same export as the Memo page's download, from the command line.
    import zipfile

    monkeypatch.setenv("RECDRAFT_DATABASE_URL", f"sqlite:///{tmp_path / 'r.sqlite3'}")
    assert main(["init-db"]) == 0
    assert main(["demo"]) == 0
    capsys.readouterr()
    out = tmp_path / "data.zip"
    assert main(["export-research", "--out", str(out), "--lang", "ru"]) == 0
    assert "Research data written to" in capsys.readouterr().out
    with zipfile.ZipFile(out) as zf:
        assert {"votes.csv", "comments.csv", "research.xlsx", "data_dictionary.csv"} <= set(zf.namelist())
        assert zf.read("recommendations.csv").decode("utf-8-sig").count("\n") > 1
    assert main(["export-research", "--out", str(out), "--roundtable", "999"]) == 2
    assert "Roundtable 999 does not exist" in capsys.readouterr().err
