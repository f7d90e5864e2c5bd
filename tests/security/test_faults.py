"""Concurrency and faults: what happens when many people save at once, when an import is killed
half-way, and when the server is killed under load.

- Concurrent edits: threads save the same case (and the same measure) at once, each from the
  version it read. Every save either goes through or is refused as a conflict; nothing is
  overwritten silently: the final version counts the successful saves, the final value is the
  last successful one, and each successful save was made from a distinct version.
- An import killed half-way: an analyst's agency-list import (all or nothing, one transaction) is
  SIGKILLed while its rows are being inserted; nothing of it is left, and the same import then
  runs to the end.
- The server killed under load: ``nmt serve`` takes case registrations through the API from a
  load thread; its master process is SIGKILLed and the server started again; every registration
  that was answered 201 exists afterwards.

The killed import and the killed server need a database that another process can open: they run
on PostgreSQL (``.ci/run``'s second pass) and skip on SQLite's in-memory test database.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections
from tests.conftest import make_user

ROOT = Path(__file__).resolve().parents[2]
THREADS = 6
ATTEMPTS = 8


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def require_postgres() -> None:
    if not _postgres():
        pytest.skip(
            "needs a database that a second process can open: runs on PostgreSQL "
            "(DATABASE_URL, as .ci/run's second pass); SQLite's test database is in memory"
        )


def database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def child_env() -> dict[str, str]:
    """The environment of a second process on the test database (same keys: same data dir)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "nmt.config.settings",
        "NMT_SECURE_COOKIES": "0",
        "PYTHONPATH": str(ROOT / "src"),
    }


# ------------------------------------------------------------------------ concurrent edits


def _hammer(save, read_version) -> tuple[list[tuple[int, object]], int, list[str]]:
    """Threads save concurrently, each from the version it has just read. Returns the successful
    saves as (version saved from, value), the number of refused saves and unexpected errors."""
    from nmt.cases.concurrency import ConflictError

    saved: list[tuple[int, object]] = []
    refused = 0
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def work(thread: int) -> None:
        nonlocal refused
        try:
            start.wait()
            for attempt in range(ATTEMPTS):
                version = read_version()
                value = 20 + thread * ATTEMPTS + attempt  # unique per save
                time.sleep(0.001 * (thread % 3))  # widen the window between read and save
                try:
                    save(version, value)
                except ConflictError:
                    with lock:
                        refused += 1
                else:
                    with lock:
                        saved.append((version, value))
        except Exception as error:
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return saved, refused, errors


@pytest.fixture
def shared_case(transactional_db):
    from nmt.accounts.models import Region
    from nmt.cases.services import PersonInput, case_register, measure_add

    anna = make_user("anna_sthlm", "coordinator", "socialtjansten", "stockholm")
    erik = make_user("erik_sthlm", "coordinator", "socialtjansten", "stockholm")
    case = case_register(
        actor=anna,
        channel="regional_coordinator",
        identified_on=dt.date(2025, 3, 14),
        region=Region.objects.get(code="stockholm"),
        person=PersonInput(given_name="Ioana", family_name="Popescu"),
        purposes=["sexual"],
    )
    measure = measure_add(
        actor=anna, case=case, kind="safe_housing", status="active", starts_on=dt.date(2025, 3, 15)
    )
    return case, measure, [anna, erik]


def test_concurrent_case_edits_never_lose_an_update(shared_case):
    require_postgres()
    from nmt.cases.models import Identification
    from nmt.cases.services import case_update

    case, _measure, users = shared_case

    def read_version() -> int:
        return Identification.objects.values_list("version", flat=True).get(pk=case.pk)

    def save(version: int, value: int) -> None:
        actor = users[threading.get_ident() % 2]
        case_update(actor=actor, case=case, expected_version=version, estimated_age=value)

    saved, refused, errors = _hammer(save, read_version)
    assert not errors
    final = Identification.objects.get(pk=case.pk)
    assert saved, "no save went through"
    assert len(saved) + refused == THREADS * ATTEMPTS
    # Each successful save was made from a distinct version, one after another.
    assert sorted(v for v, _ in saved) == list(range(1, len(saved) + 1))
    assert final.version == 1 + len(saved)
    assert final.estimated_age == max(saved)[1], "the last successful save is what is stored"
    print(f"\ncase: {len(saved)} saves, {refused} conflicts refused")


def test_concurrent_measure_edits_never_lose_an_update(shared_case):
    require_postgres()
    from nmt.audit.models import AuditEvent
    from nmt.cases.models import Measure
    from nmt.cases.services import measure_update

    _case, measure, users = shared_case
    before = AuditEvent.objects.filter(object_type="measure", action="update").count()

    def read_version() -> int:
        return Measure.objects.values_list("version", flat=True).get(pk=measure.pk)

    def save(version: int, value: int) -> None:
        current = Measure.objects.select_related("identification").get(pk=measure.pk)
        measure_update(
            actor=users[threading.get_ident() % 2],
            measure=current,
            expected_version=version,
            notes=f"Anteckning {value}",
        )

    saved, refused, errors = _hammer(save, read_version)
    assert not errors
    final = Measure.objects.get(pk=measure.pk)
    assert len(saved) + refused == THREADS * ATTEMPTS
    assert sorted(v for v, _ in saved) == list(range(1, len(saved) + 1))
    assert final.version == 1 + len(saved)
    assert final.notes == f"Anteckning {max(saved)[1]}"
    # Every successful save carries its audit event; refused ones leave none.
    after = AuditEvent.objects.filter(object_type="measure", action="update").count()
    assert after - before == len(saved)


# ------------------------------------------------------------------------ a killed import

IMPORT_ROWS = 120_000

IMPORT_SCRIPT = """
import datetime as dt, sys
import django
django.setup()
from nmt.accounts.models import User
from nmt.reports.services import agency_list_import
data = open(sys.argv[1], "rb").read()
agency_list_import(
    actor=User.objects.get(username="ali_analys"), data=data, filename="ngo.csv",
    source="ngo_list", origin="Frivilligorganisation",
    period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
)
print("imported")
"""


def _big_list(path: Path, rows: int) -> Path:
    lines = ["record_id,given_name,family_name,birth_date,sex,identification_date"]
    for i in range(rows):
        lines.append(
            f"R{i},Namn{i % 997},Efternamn{i % 991},19{70 + i % 30}-0{1 + i % 9}-1{i % 9},"
            f"{'kvinna' if i % 2 else 'man'},2024-0{1 + i % 9}-0{1 + i % 9}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _inserting() -> bool:
    """Whether another backend is inserting the list's rows right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
            "AND state = 'active' AND query ILIKE 'INSERT INTO \"reports_agencylistrecord\"%%'"
        )
        return cursor.fetchone()[0] > 0


def test_an_import_killed_half_way_leaves_nothing_and_can_be_run_again(transactional_db, tmp_path):
    require_postgres()
    from nmt.audit.models import AuditEvent
    from nmt.audit.verify import verify_chain
    from nmt.reports.models import AgencyList, AgencyListRecord

    make_user("ali_analys", "analyst", "jamstalldhetsmyndigheten")
    data = _big_list(tmp_path / "ngo.csv", IMPORT_ROWS)
    events = AuditEvent.objects.count()
    command = [sys.executable, "-c", IMPORT_SCRIPT, str(data)]
    child = subprocess.Popen(
        command, env=child_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 240
    try:
        while not _inserting():
            assert child.poll() is None, (
                "the import ended before it was killed: " + child.stderr.read().decode()[-2000:]
            )
            assert time.monotonic() < deadline, "the import never started inserting"
            time.sleep(0.02)
        time.sleep(0.3)  # some batches in
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL
    # PostgreSQL ends the dead client's transaction: nothing of it stays.
    time.sleep(0.5)
    assert AgencyList.objects.count() == 0
    assert AgencyListRecord.objects.count() == 0
    assert AuditEvent.objects.count() == events

    again = subprocess.run(
        command, env=child_env(), cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )
    assert again.returncode == 0, again.stderr[-3000:]
    [imported] = AgencyList.objects.all()
    assert imported.record_count == IMPORT_ROWS
    assert AgencyListRecord.objects.count() == IMPORT_ROWS
    assert AuditEvent.objects.count() == events + 1
    assert verify_chain().intact


# ------------------------------------------------------------------------ a killed server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "nmt.cli",
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
    ]
    with log.open("ab") as out:
        server = subprocess.Popen(
            command,
            env=child_env(),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.1)
    raise AssertionError("nmt serve did not start:\n" + log.read_text()[-3000:])


def _register(port: int, token: str, n: int) -> tuple[int, str | None]:
    body = json.dumps(
        {
            "channel": "regional_coordinator",
            "identified_on": "2025-05-01",
            "region": "stockholm",
            "purposes": ["sexual"],
            "person": {"given_name": f"Last{n}", "family_name": "Test"},
        }
    )
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(
            "POST",
            "/api/v1/cases/",
            body=body,
            headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        data = response.read()
    finally:
        conn.close()
    number = json.loads(data)["case_number"] if response.status == 201 else None
    return response.status, number


def _wait_for(condition, failed: list[str], log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, (
            f"no progress; failures {failed[-5:]}:\n" + (log.read_text(errors="replace")[-3000:])
        )
        time.sleep(0.05)


def test_the_server_killed_under_load_loses_no_committed_write(transactional_db, tmp_path):
    require_postgres()
    from rest_framework.authtoken.models import Token

    from nmt.cases.models import Identification

    anna = make_user("anna_sthlm", "coordinator", "socialtjansten", "stockholm")
    token = Token.objects.create(user=anna).key
    port = _free_port()
    log = tmp_path / "server.log"
    committed: list[str] = []
    failed: list[str] = []
    stop = threading.Event()

    def load() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                status, number = _register(port, token, n)
            except (OSError, http.client.HTTPException, ValueError) as error:
                failed.append(type(error).__name__)  # the server is down: try again
                time.sleep(0.05)
                continue
            if status == 201:
                committed.append(number)
            else:
                failed.append(str(status))

    server = _start_server(port, log)
    thread = threading.Thread(target=load)
    thread.start()
    try:
        _wait_for(lambda: len(committed) >= 40, failed, log)
        os.kill(server.pid, signal.SIGKILL)  # the master, mid-stream
        server.wait(timeout=30)
        # Its workers notice the master is gone and exit; whatever is left goes the same way.
        time.sleep(2)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        at_kill = len(committed)
        server = _start_server(port, log)
        _wait_for(lambda: len(committed) >= at_kill + 20, failed, log)
    finally:
        stop.set()
        thread.join(timeout=60)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    stored = set(Identification.objects.values_list("case_number", flat=True))
    lost = [number for number in committed if number not in stored]
    assert not lost, f"answered 201 but not stored: {lost}"
    assert len(set(committed)) == len(committed), "a case number was given twice"
    assert all(code not in {"500", "502", "503"} for code in failed), failed
    print(
        f"\nserver kill: {len(committed)} answered 201, all stored; {len(failed)} failed meanwhile"
    )
