"""`nmt backup` and `nmt restore`: an encrypted round trip, in separate processes on a real
database file (and on PostgreSQL when DATABASE_URL names one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

SEED = """
import datetime as dt
from nmt.accounts.models import Agency, Region
from nmt.accounts.services import user_create
from nmt.cases.services import PersonInput, case_register
agency = Agency.objects.get(code="socialtjansten")
user = user_create(username="anna", password="x", role="coordinator", agency=agency,
                   region=Region.objects.get(code="stockholm"))
for name in ("Ioana", "Olena", "Blessing"):
    case_register(actor=user, channel="regional_coordinator", identified_on=dt.date(2025, 1, 2),
                  region=user.region, person=PersonInput(given_name=name))
"""
COUNT = (
    "from nmt.cases.models import Person; print(sorted(p.given_name for p in Person.objects.all()))"
)


def nmt(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nmt.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=300,
    )


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "NMT_DATA_DIR": str(tmp_path / "data"), "NMT_LOG_LEVEL": "ERROR"}
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = f"nmt_backup_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
        yield env
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env.pop("DATABASE_URL", None)
        yield env


def test_round_trip_and_refusals(environment, tmp_path):
    env = environment
    nmt(env, "migrate", "-v", "0")
    nmt(env, "shell", "--no-imports", "-c", SEED)
    before = nmt(env, "shell", "--no-imports", "-c", COUNT).stdout.strip()
    assert before == "['Blessing', 'Ioana', 'Olena']"
    archive = tmp_path / "nmt.backup"
    manifest = json.loads(nmt(env, "backup", "--out", str(archive), "--json").stdout)
    raw = archive.read_bytes()
    assert b"Ioana" not in raw
    assert b"SQLite format" not in raw
    assert b"PGDMP" not in raw
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    # Lose data after the backup.
    nmt(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from nmt.cases.models import *; TimelineEntry.objects.all().delete(); "
        "Identification.objects.all().delete(); Person.objects.all().delete()",
    )
    assert nmt(env, "shell", "--no-imports", "-c", COUNT).stdout.strip() == "[]"
    refused = nmt(env, "restore", str(archive), check=False)
    assert refused.returncode == 1  # needs --yes
    result = json.loads(nmt(env, "restore", str(archive), "--yes", "--json").stdout)
    assert result["manifest"]["sha256"] == manifest["sha256"]
    assert result["audit"]["intact"] is True
    assert nmt(env, "shell", "--no-imports", "-c", COUNT).stdout.strip() == before

    # A tampered, truncated, foreign-key or junk archive is refused before anything is replaced.
    data = bytearray(archive.read_bytes())
    data[-40] ^= 0xFF
    tampered = tmp_path / "tampered.backup"
    tampered.write_bytes(bytes(data))
    result = nmt(env, "restore", str(tampered), "--yes", check=False)
    assert result.returncode == 2
    assert "fails authentication" in result.stderr
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(archive.read_bytes()[:-100])
    assert nmt(env, "restore", str(truncated), "--yes", check=False).returncode == 2
    other_key = {**env, "NMT_BACKUP_KEY": "not-the-key"}
    result = nmt(other_key, "restore", str(archive), "--yes", check=False)
    assert result.returncode == 2
    assert "NMT_BACKUP_KEY" in result.stderr
    junk = tmp_path / "junk.backup"
    junk.write_text("hello")
    assert "not an NMT backup" in nmt(env, "restore", str(junk), "--yes", check=False).stderr
