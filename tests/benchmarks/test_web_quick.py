"""benchmarks/web.py in its --quick form, so the benchmark keeps working (its figures are not
checked here: a loaded CI machine says nothing about them). Needs PostgreSQL via DATABASE_URL;
the benchmark creates and drops its own scratch database in that server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.postgres import needs_postgres

ROOT = Path(__file__).resolve().parents[2]

pytestmark = needs_postgres


def test_quick_benchmark_measures_every_page_without_errors():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "web.py"),
            "--quick",
            "--json",
            "--clients",
            "4",
            "--workers",
            "2",
            "--duration",
            "0.7",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    data = json.loads(result.stdout)
    phases = data["load"]["phases"]
    assert [phase["name"] for phase in phases] == [
        "floor /healthz/",
        "/healthz/ + session",
        "case list",
        "filtered search",
        "case detail",
        "API list",
        "floor /healthz/, again",
    ]
    for phase in phases:
        assert phase["requests"] > 0, phase
        assert phase["errors"] == 0, phase
        assert 0 < phase["p50_ms"] <= phase["p95_ms"] <= phase["p99_ms"]
    assert data["load"]["floor"]["requests"] == phases[0]["requests"] + phases[-1]["requests"]
    assert data["setup"]["persons"] == 2000
    assert data["setup"]["identifications"] == 3000
    assert "Target p95" in result.stderr
