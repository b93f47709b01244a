"""Processes of a deployment on loopback: ``recdraft serve`` replicas and Caddy with the shipped Caddyfile.

Used by tests/deploy/test_proxy_replicas.py and bench/deploy.py. Every process is started inside an
``ExitStack`` the caller owns, so each one is stopped (terminate, then kill) however the caller ends.
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "deploy" / "Caddyfile"
RECDRAFT = Path(sys.executable).with_name("recdraft")
STREAMLIT = Path(sys.executable).with_name("streamlit")
SECRET = "deploy-test-secret-shared-by-every-replica-0123456789"
START_SECONDS = 60


def free_port() -> int:
    """A TCP port nobody listens on now (loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Process:
    """A started server: its process, its output file and the address it answers on."""

    name: str
    popen: subprocess.Popen
    log_path: Path
    url: str

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=15)


def _start(
    stack: ExitStack, name: str, argv: list[str], env: dict[str, str], log_dir: Path, url: str, cwd: Path = ROOT
) -> Process:
    log_path = log_dir / f"{name}.log"
    log = stack.enter_context(log_path.open("wb"))
    popen = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
    process = Process(name, popen, log_path, url)
    stack.callback(process.stop)
    return process


def wait_until(process: Process, check, what: str, seconds: float = START_SECONDS) -> None:
    """Poll ``check()`` until true; fail with the process's log if it exits or the time is up."""
    deadline = time.monotonic() + seconds
    while not check():
        if process.popen.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{process.name} did not become {what}:\n{process.log()[-4000:]}")
        time.sleep(0.25)


def _get(url: str, context: ssl.SSLContext | None = None) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=2, context=context) as response:
            return response.read() if response.status == 200 else None
    except OSError:
        return None


def replica_env(db_url: str, public_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production replica behind a proxy on this machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECDRAFT_")}
    return {
        **env,
        "RECDRAFT_DATABASE_URL": db_url,
        "RECDRAFT_SECRET": SECRET,
        "RECDRAFT_PUBLIC_URL": public_url,
        "RECDRAFT_TRUSTED_PROXIES": "127.0.0.1",
        "RECDRAFT_DEMO": "1",  # serve must switch demo mode off
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def start_replica(
    stack: ExitStack, name: str, port: int, env: dict[str, str], log_dir: Path, health_path: str = "/_stcore/health"
) -> Process:
    """``recdraft serve --port PORT``; returns once it answers its health check."""
    process = _start(
        stack, name, [str(RECDRAFT), "serve", "--port", str(port)], env, log_dir, f"http://127.0.0.1:{port}"
    )
    wait_until(process, lambda: _get(f"{process.url}{health_path}") == b"ok", "healthy")
    return process


def start_bare_streamlit(stack: ExitStack, name: str, port: int, script: Path, log_dir: Path) -> Process:
    """A plain ``streamlit run SCRIPT`` (the baseline of bench/deploy.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECDRAFT_")}
    argv = [
        str(STREAMLIT),
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--browser.serverAddress",
        "localhost",
    ]
    process = _start(stack, name, argv, env, log_dir, f"http://127.0.0.1:{port}", cwd=script.parent)
    wait_until(process, lambda: _get(f"{process.url}/_stcore/health") == b"ok", "healthy")
    return process


def start_caddy(stack: ExitStack, port: int, upstreams: list[int], work: Path) -> Process:
    """Caddy with deploy/Caddyfile on https://localhost:PORT (its internal CA), over ``upstreams``."""
    home = work / "caddy-home"
    home.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RECDRAFT_")},
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "RECDRAFT_SITE": f"https://localhost:{port}",
        "RECDRAFT_TLS": "tls internal",
        "RECDRAFT_UPSTREAMS": " ".join(f"127.0.0.1:{p}" for p in upstreams),
        # No port-80 redirect listener, no root certificate installed into the machine's trust store.
        "CADDY_GLOBAL_OPTIONS": "auto_https disable_redirects\nskip_install_trust",
    }
    process = _start(
        stack,
        "caddy",
        ["caddy", "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env,
        work,
        f"https://localhost:{port}",
        cwd=work,
    )
    insecure = ssl.create_default_context()
    insecure.check_hostname = False
    insecure.verify_mode = ssl.CERT_NONE
    wait_until(process, lambda: _get(f"{process.url}/_stcore/health", insecure) == b"ok", "serving https")
    return process


def run_recdraft(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run one ``recdraft`` command (raises with its output when it fails)."""
    done = subprocess.run([str(RECDRAFT), *args], env=env, input=stdin, text=True, capture_output=True, timeout=180)
    if done.returncode != 0:
        raise AssertionError(f"recdraft {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done
