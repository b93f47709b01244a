"""A real package: the wheel, installed in a fresh virtual environment outside the checkout, runs recdraft.

The wheel is built with ``pip wheel --no-deps`` and installed with ``--no-deps`` into a venv made by the
project's interpreter with ``--system-site-packages``; the project venv's third-party packages are made
visible through a ``.pth`` line (a plain path: the checkout's editable finder is not loaded), so nothing is
downloaded but the build backend and the test proves the *wheel's* files are enough: the app script,
the shipped Streamlit settings, the memo template, the catalogues, the demo's data and the migrations.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "wheel-test-secret-0123456789-abcdefghijklmnop"
SOURCES = ["pyproject.toml", "setup.py", "README.md", "streamlit_app.py", "recdraft", "templates", ".streamlit"]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv holding recdraft installed from its wheel."""
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the sources: setuptools builds in the source tree, and the checkout keeps no build/.
    source = work / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((work / "dist").glob("recdraft-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--ignore-installed",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return venv / "bin"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECDRAFT_", "PYTHON"))}
    return {**env, "RECDRAFT_DATABASE_URL": f"sqlite:///{tmp_path / 'school.sqlite3'}"}


def _run(bin_dir: Path, args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir / "recdraft"), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240
    )


def test_the_wheel_carries_the_app_its_settings_the_template_catalogues_and_migrations(installed: Path):
    python = installed / "python"
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import recdraft, recdraft.serve as s, recdraft.export as e; "
            "print(recdraft.__file__); print(s.resource('streamlit_app.py')); "
            "print(s.resource('.streamlit/config.toml')); print(e.DEFAULT_TEMPLATE)",
        ],
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert where.returncode == 0, where.stderr
    package, app, settings, template = (Path(line) for line in where.stdout.split())
    assert installed.parent in package.parents, "recdraft was imported from the checkout, not the wheel"
    for path in (app, settings, template):
        assert installed.parent in path.parents and path.is_file()
    assert settings.read_text() == (ROOT / ".streamlit" / "config.toml").read_text()
    assert template.read_bytes() == (ROOT / "templates" / "memo.docx").read_bytes()
    assert list((package.parent / "i18n" / "catalog").glob("*.json"))
    assert sorted(p.name for p in (package.parent / "demo").glob("*.json")) == sorted(
        p.name for p in (ROOT / "recdraft" / "demo").glob("*.json")
    )
    assert (package.parent / "db" / "migrations" / "versions").is_dir()


def test_init_db_and_export_memo_work_from_the_installed_wheel_in_another_folder(installed: Path, tmp_path: Path):
    env = _env(tmp_path)
    helped = _run(installed, ["serve", "--help"], tmp_path, env)
    assert helped.returncode == 0 and "RECDRAFT_SECRET" in helped.stdout
    ready = _run(installed, ["init-db"], tmp_path, env)
    assert ready.returncode == 0 and "schema revision" in ready.stdout, ready.stderr
    assert _run(installed, ["demo"], tmp_path, env).returncode == 0
    exported = _run(installed, ["export-memo", "--out", "memo.docx"], tmp_path, env)
    assert exported.returncode == 0, exported.stderr
    with zipfile.ZipFile(tmp_path / "memo.docx") as docx:
        body = docx.read("word/document.xml").decode("utf-8")
    assert "Red Crescent" in body
    assert not (tmp_path / "data").exists(), "a ./data folder was created beside the explicit database"


def test_serve_from_the_installed_wheel_answers_without_the_checkout(installed: Path, tmp_path: Path):
    env = {**_env(tmp_path), "RECDRAFT_SECRET": SECRET}
    assert _run(installed, ["init-db"], tmp_path, env).returncode == 0
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [str(installed / "recdraft"), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        page = b""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read()
                break
            except OSError:
                time.sleep(0.3)
        assert b"<html" in page.lower(), (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    logged = (tmp_path / "serve.log").read_text(errors="replace")
    assert '"GET / HTTP/1.1" 200' in logged, "one line per request is logged"
