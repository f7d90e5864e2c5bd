"""``nmt serve``: a real server process answering on loopback, and its refusal to serve a database
whose migrations are pending. Runs on SQLite in a temporary data directory whatever the suite's
database, so it never touches the suite's PostgreSQL database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

NMT = [sys.executable, "-m", "nmt.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(data_dir) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["NMT_DATA_DIR"] = str(data_dir)
    return env


def test_refuses_to_start_with_pending_migrations(tmp_path):
    result = subprocess.run(
        [*NMT, "serve", "--bind", f"127.0.0.1:{_free_port()}"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "migrations are not applied" in result.stderr
    assert "nmt serve --migrate" in result.stderr


def test_serves_healthz_on_loopback_and_stops_gracefully_on_sigterm(tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        [*NMT, "serve", "--migrate", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.communicate()[1]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=5) as r:
                    status, body = r.status, r.read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer in time"
                time.sleep(0.2)
        assert status == 200
        assert body == b"ok"
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=60) == 0
        log = server.stderr.read()
        assert "NMT serving on" in log
        assert "with 1 workers" in log
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
