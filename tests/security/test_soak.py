"""benchmarks/soak.py in its --quick form (10 users, 30 seconds), so the soak test keeps working:
every endpoint of the mix is requested and none fails. The figures of a loaded CI machine are not
checked. Needs PostgreSQL via DATABASE_URL (the soak creates and drops its own scratch database
in that server) and locust (the ``load`` extra)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.postgres import needs_postgres

ROOT = Path(__file__).resolve().parents[2]


pytestmark = [
    *needs_postgres,
    pytest.mark.skipif(
        importlib.util.find_spec("locust") is None,
        reason="needs locust: pip install -e '.[load]'",
    ),
]


def test_quick_soak_runs_every_endpoint_without_errors():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "soak.py"), "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    data = json.loads(result.stdout)
    names = {row["name"] for row in data["endpoints"]}
    for endpoint in ("dashboard", "case list", "search", "case detail", "API case list", "login"):
        assert endpoint in names, endpoint
    assert data["failures"] == 0
    assert data["server_errors_logged"] == 0
    assert data["setup"]["users"] == 10
