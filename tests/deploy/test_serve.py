"""``recdraft serve`` and the shipped deployment files, without a browser."""

from __future__ import annotations

import os
import stat
import subprocess
import time
import tomllib
import urllib.error
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from recdraft import serve
from tests.deploy.harness import RECDRAFT, ROOT, free_port, replica_env, run_recdraft, start_replica


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_runs_with_exactly_the_shipped_streamlit_settings_and_never_watches_files():
    shipped = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    flags = serve.streamlit_flags(address="127.0.0.1", port=8501, base_path="")
    given = dict(zip(flags[::2], flags[1::2], strict=True))
    for section, values in shipped.items():
        for key, value in values.items():
            expected = str(value).lower() if isinstance(value, bool) else str(value)
            assert given[f"--{section}.{key}"] == expected
    assert given["--server.address"] == "127.0.0.1" and given["--server.fileWatcherType"] == "none"
    assert given["--server.headless"] == "true" and "--server.cookieSecret" not in given


def test_under_a_base_path_the_app_and_its_sign_in_routes_move_together(tmp_path):
    url = f"sqlite:///{tmp_path / 'base.sqlite3'}"
    port = free_port()
    env = replica_env(url, f"http://127.0.0.1:{port}", RECDRAFT_BASE_PATH="/recdraft")
    run_recdraft(["init-db"], env)
    with ExitStack() as stack:
        replica = start_replica(stack, "base", port, env, tmp_path, health_path="/recdraft/_stcore/health")
        assert _status(f"{replica.url}/recdraft/") == 200
        # A code nobody issued: the route answers (410 Gone) under the base path, not 404.
        assert _status(f"{replica.url}/recdraft/auth/claim?code=nobody") == 410
        assert _status(f"{replica.url}/auth/claim?code=nobody") == 404
        replica.stop()
    logged = replica.log()
    assert '"GET /recdraft/auth/claim HTTP/1.1" 410' in logged, "one line per request, without the code"
    assert "nobody" not in logged


def _age(path: Path, days: int) -> None:
    when = time.time() - days * 86400
    os.utime(path, (when, when))


def test_the_nightly_backup_writes_an_owner_only_file_and_keeps_the_last_days(tmp_path):
    url = f"sqlite:///{tmp_path / 'night.sqlite3'}"
    env = {
        **replica_env(url, "https://x.example"),
        "RECDRAFT_BACKUP_DIR": str(tmp_path / "backups"),
        "RECDRAFT_BACKUP_KEEP_DAYS": "14",
        "RECDRAFT_BIN": str(RECDRAFT),
    }
    run_recdraft(["init-db"], env)
    backups = tmp_path / "backups"
    backups.mkdir()
    old, recent, other = (
        backups / "recdraft-2020-01-01T000000Z.json",
        backups / "recdraft-recent.json",
        backups / "notes.txt",
    )
    for path, days in ((old, 30), (recent, 3), (other, 30)):
        path.write_text("{}")
        _age(path, days)
    done = subprocess.run(
        [str(ROOT / "deploy" / "recdraft-backup")], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    made = [p for p in backups.glob("recdraft-*.json") if p not in (old, recent)]
    assert len(made) == 1 and stat.S_IMODE(made[0].stat().st_mode) == 0o600
    assert made[0].read_text().startswith("{")
    assert not old.exists() and recent.exists() and other.exists()
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700


def test_a_failed_backup_deletes_no_old_backup(tmp_path):
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "recdraft-old.json"
    old.write_text("{}")
    _age(old, 30)
    env = {
        **replica_env(f"sqlite:///{tmp_path / 'missing.sqlite3'}", "https://x.example"),
        "RECDRAFT_BACKUP_DIR": str(backups),
        "RECDRAFT_BIN": str(RECDRAFT),
    }
    done = subprocess.run(
        [str(ROOT / "deploy" / "recdraft-backup")], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0 and "There is no database" in done.stderr
    assert old.exists()
