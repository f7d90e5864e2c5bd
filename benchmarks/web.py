"""Web benchmark: the case pages and the API under 20 concurrent clients, against a trivial view.

Seeds PostgreSQL with synthetic persons and identifications in bulk (COPY), starts ``nmt serve``
as its own process, and drives it from another process with concurrent clients logged in as a
regional coordinator (a session cookie for the pages, a token for the API). Reports p50/p95/p99
latency for the case list, a filtered search, the case page and the API list beside the trivial
view ``/healthz/`` served by the same server, as a ratio to that floor. Target: p95 ≤ 3× the floor.
See docs/benchmarks.md for what is measured and how to read it.

Run from the repository root::

    .venv/bin/python benchmarks/web.py              # 100,000 persons, 150,000 identifications
    .venv/bin/python benchmarks/web.py --quick      # 2,000 persons, about a second a page
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/web.py   # use that server

Without ``DATABASE_URL`` a throw-away PostgreSQL server is started (as ``.ci/run`` does); with it,
a scratch database is created in that server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _pg import benchmark_database, free_port  # noqa: E402

COORDINATOR = "koordinator.stockholm"
TARGET_RATIO = 3.0
FLOOR = "floor /healthz/"
FLOOR_AGAIN = "floor /healthz/, again"
SESSION_FLOOR = "/healthz/ + session"
# (name, kind of requests, authentication)
PHASES = [
    (FLOOR, "healthz", "none"),
    (SESSION_FLOOR, "healthz", "session"),
    ("case list", "list", "session"),
    ("filtered search", "search", "session"),
    ("case detail", "detail", "session"),
    ("API list", "api", "token"),
    # Again at the end: the floor is taken from both runs, and a difference between them shows
    # that the machine's load changed during the run.
    (FLOOR_AGAIN, "healthz", "none"),
]


def _console(stderr: bool = True) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, soft_wrap=True)


# ------------------------------------------------------------------------------------------- seed


def second_factor_codes(user: Any, count: int) -> list[str]:
    """One-time recovery codes of the second factor, one a login, when the server requires a
    second factor (NMT_REQUIRE_TWO_FACTOR): the load clients have no authenticator app."""
    import secrets

    from django.conf import settings

    if not getattr(settings, "NMT_REQUIRE_TWO_FACTOR", False):
        return []
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="benchmark", defaults={"confirmed": True}
    )
    codes = [secrets.token_hex(4) for _i in range(count)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def seed_database(
    *, persons: int, identifications: int, seed: int, login_count: int
) -> dict[str, Any]:
    """Migrate, create the demo users, write the synthetic registry, pick the pages to request.
    Runs in this process with the environment already pointing at the benchmark database."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.utils import timezone
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from nmt.accounts.models import User
    from nmt.cases.models import Identification
    from nmt.demo.generator import generate_bulk
    from nmt.demo.seed import BulkWriter
    from nmt.demo.users import ensure_demo_users, registrars

    console = _console()
    with console.status("Applying migrations ..."):
        call_command("migrate", interactive=False, verbosity=0)
    with console.status("Creating users (Argon2 hashes) ..."):
        logins = ensure_demo_users()
    started = time.monotonic()
    progress = Progress(
        TextColumn("{task.description:<8}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    with progress:
        tasks = {
            "persons": progress.add_task("persons", total=persons),
            "cases": progress.add_task("cases", total=identifications),
        }
        writer = BulkWriter(
            users=registrars(logins),
            progress=lambda stage, n: progress.advance(tasks[stage], n),
        )
        today = timezone.localdate()
        for chunk in generate_bulk(seed, today, persons=persons, identifications=identifications):
            with transaction.atomic():
                writer.write(chunk)
        writer.finish()
    seeded = time.monotonic() - started
    with console.status("ANALYZE ..."), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = User.objects.get(username=COORDINATOR)
    password = next(login.password for login in logins if login.user == user)
    codes = second_factor_codes(user, login_count)
    rng = random.Random(seed)  # choosing pages, not secrets
    visible = Identification.objects.filter(region=user.region)
    numbers = list(visible.values_list("case_number", flat=True))
    cases = rng.sample(numbers, min(500, len(numbers)))
    searches = []
    sample = rng.sample(numbers, min(400, len(numbers)))
    for case in visible.filter(case_number__in=sample).select_related("person"):
        if not case.person.family_name or len(searches) >= 100:
            continue
        purposes = list(case.purpose_rows.values_list("purpose", flat=True))
        query = {"q": case.person.family_name, "year": case.identified_on.year}
        query["purpose"] = purposes[0]
        searches.append("/cases/?" + urlencode(query))
    counts = {
        "persons": writer.counts.persons,
        "identifications": writer.counts.identifications,
        "visible to the coordinator": len(numbers),
    }
    connections.close_all()
    return {
        "username": COORDINATOR,
        "password": password,
        "codes": codes,
        "cases": cases,
        "searches": searches,
        "counts": counts,
        "seconds": round(seeded, 1),
    }


# ------------------------------------------------------------------------------------------- load


class HttpClient:
    """One client: its own connection and cookies. Gunicorn's sync workers close the connection
    after each response, so most requests open a new one (as the floor's do)."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.location = ""  # of the last response

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        cookies: bool = True,
    ) -> tuple[int, bytes, float]:
        sent = {**self.headers, **(headers or {})}
        if cookies and self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        elapsed = time.perf_counter() - start
        self.location = response.getheader("Location") or ""
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _eq, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        if response.will_close:
            self.connection.close()
        return response.status, data, elapsed

    def _form(self, path: str, page: bytes, fields: dict[str, str]) -> int:
        """Post a form of ``page`` (at ``path``) with its CSRF token and ``fields``."""
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        form = urlencode({"csrfmiddlewaretoken": match.group(1).decode(), **fields})
        status, _body, _t = self.request(
            "POST",
            path,
            body=form.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            },
        )
        return status

    def login(self, username: str, password: str, code: str = "") -> None:
        """The browser's way in: the login form, then the second factor's form if the server
        asks for it (with a one-time recovery code), then a check that the case list opens."""
        status, page, _t = self.request("GET", "/login/")
        if status != 200:
            raise RuntimeError(f"/login/ answers HTTP {status}: {page[:300]!r}")
        status = self._form("/login/", page, {"username": username, "password": password})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed (HTTP {status})")
        path = "/"
        for _hop in range(4):
            target = urlsplit(self.location)
            path = target.path + (f"?{target.query}" if target.query else "")
            status, page, _t = self.request("GET", path)
            if status != 302:
                break
        if b'name="code"' in page:
            if not code:
                raise RuntimeError("the server asks for a second factor and no code was given")
            status = self._form(path, page, {"code": code})
            if status != 302:
                raise RuntimeError(f"second factor for {username} refused (HTTP {status})")
        status, _body, _t = self.request("GET", "/cases/")
        if status != 200:
            raise RuntimeError(f"logged in as {username}, but /cases/ answers HTTP {status}")


def api_token(port: int, username: str, password: str, code: str = "") -> str:
    client = HttpClient(port)
    credentials = {"username": username, "password": password}
    if code:
        credentials["otp"] = code
    body = json.dumps(credentials).encode()
    status, data, _t = client.request(
        "POST", "/api/v1/auth/token/", body=body, headers={"Content-Type": "application/json"}
    )
    if status != 200:
        raise RuntimeError(f"no API token (HTTP {status}): {data[:200]!r}")
    return json.loads(data)["token"]


def _percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted samples."""
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_phase(
    clients: list[HttpClient],
    paths: list[str],
    *,
    auth: str,
    token: str,
    warmup: float,
    duration: float,
) -> dict[str, Any]:
    """Every client requests ``paths`` back to back (closed loop) for warm-up plus duration;
    latencies of the requests sent in the measured part are kept. A client whose requests take
    longer than the measured part goes on until one of them counts, so every phase has samples."""
    samples: list[float] = []
    statuses: dict[str, int] = {}
    spans: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients))
    headers = {"Authorization": f"Token {token}"} if auth == "token" else {}

    def work(index: int, client: HttpClient) -> None:
        rng = random.Random(index)  # which page to ask for
        mine: list[float] = []
        counts: dict[str, int] = {}
        barrier.wait()
        begin = time.perf_counter()
        measure_from, stop = begin + warmup, begin + warmup + duration
        give_up = stop + 120
        while (now := time.perf_counter()) < stop or (not counts and now < give_up):
            path = paths[rng.randrange(len(paths))]
            try:
                status, _body, elapsed = client.request(
                    "GET", path, headers=headers, cookies=auth == "session"
                )
                code = str(status)
            except (OSError, http.client.HTTPException) as exc:
                code, elapsed = type(exc).__name__, 0.0
            if now < measure_from:
                continue
            counts[code] = counts.get(code, 0) + 1
            if code == "200":
                mine.append(elapsed)
        with lock:
            spans.append(time.perf_counter() - measure_from)
            samples.extend(mine)
            for code, n in counts.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=work, args=(i, client)) for i, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    samples.sort()
    return {"samples": samples, "statuses": statuses, "duration": max(spans)}


def summarise(name: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    samples = sorted(s for result in results for s in result["samples"])
    statuses: dict[str, int] = {}
    for result in results:
        for code, n in result["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    seconds = sum(result["duration"] for result in results)
    if not samples:
        return {"name": name, "requests": 0, "statuses": statuses}
    return {
        "name": name,
        "requests": len(samples),
        "errors": sum(n for code, n in statuses.items() if code != "200"),
        "statuses": statuses,
        "rps": round(len(samples) / seconds, 1),
        "p50_ms": round(_percentile(samples, 0.50) * 1000, 2),
        "p95_ms": round(_percentile(samples, 0.95) * 1000, 2),
        "p99_ms": round(_percentile(samples, 0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(samples) * 1000, 2),
    }


def load(config: dict[str, Any]) -> dict[str, Any]:
    """The load process: log the clients in, then run the phases one after another."""
    port = config["port"]
    clients = [HttpClient(port) for _i in range(config["clients"])]
    errors: list[BaseException] = []

    codes = config["codes"] or [""] * (len(clients) + 1)

    def login(client: HttpClient, code: str) -> None:
        try:
            client.login(config["username"], config["password"], code)
        except (RuntimeError, OSError) as exc:
            errors.append(exc)

    # Logging in verifies an Argon2 hash each time: do it concurrently, before measuring.
    threads = [
        threading.Thread(target=login, args=(client, code))
        for client, code in zip(clients, codes, strict=False)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} clients could not log in: {errors[0]}")
    token = api_token(port, config["username"], config["password"], codes[len(clients)])
    paths = {
        "healthz": ["/healthz/"],
        "list": ["/cases/"],
        "search": config["searches"],
        "detail": [f"/cases/{number}/" for number in config["cases"]],
        "api": ["/api/v1/cases/"],
    }
    runs = {
        name: run_phase(
            clients,
            paths[kind],
            auth=auth,
            token=token,
            warmup=config["warmup"],
            duration=config["duration"],
        )
        for name, kind, auth in PHASES
    }
    return {
        "phases": [summarise(name, [run]) for name, run in runs.items()],
        "floor": summarise("floor, both runs", [runs[FLOOR], runs[FLOOR_AGAIN]]),
    }


# ------------------------------------------------------------------------------------------ serve


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "nmt.cli",
        "serve",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
    ]
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"nmt serve exited:\n{log.read_text()[-2000:]}")
        try:
            status, _body, _t = HttpClient(port).request("GET", "/healthz/")
            if status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("nmt serve did not answer within two minutes")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ---------------------------------------------------------------------------------------- profile


def profile_pages(target: dict[str, Any], repeat: int = 5) -> list[dict[str, Any]]:
    """Each page once more, in this process through Django's test client: time, number of SQL
    queries and the time they took, and the slowest query."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.authtoken.models import Token

    from nmt.accounts.models import User

    user = User.objects.get(username=target["username"])
    client = Client()
    client.force_login(user)
    if target["codes"]:
        # The session passed the second factor, as the load clients' sessions did.
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_static.models import StaticDevice

        session = client.session
        session[DEVICE_ID_SESSION_KEY] = StaticDevice.objects.get(user=user).persistent_id
        session.save()
    token = Token.objects.get_or_create(user=user)[0].key
    pages = [
        (SESSION_FLOOR, "/healthz/", {}),
        ("case list", "/cases/", {}),
        ("filtered search", target["searches"][0], {}),
        ("case detail", f"/cases/{target['cases'][0]}/", {}),
        ("API list", "/api/v1/cases/", {"HTTP_AUTHORIZATION": f"Token {token}"}),
    ]
    rows = []
    for name, path, headers in pages:
        timings, sql_times, counts, slowest = [], [], [], ("", 0.0)
        for _i in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(path, **headers)
                timings.append(time.perf_counter() - start)
            assert response.status_code == 200, (path, response.status_code)
            queries = [(q["sql"], float(q["time"])) for q in captured.captured_queries]
            counts.append(len(queries))
            sql_times.append(sum(t for _sql, t in queries))
            slowest = max([slowest, *queries], key=lambda item: item[1])
        rows.append(
            {
                "name": name,
                "ms": round(statistics.median(timings) * 1000, 1),
                "queries": statistics.median(counts),
                "sql_ms": round(statistics.median(sql_times) * 1000, 1),
                "slowest_sql_ms": round(slowest[1] * 1000, 1),
                "slowest_sql": slowest[0][:400],
            }
        )
    connections.close_all()
    return rows


# ------------------------------------------------------------------------------------------ report


def report(result: dict[str, Any], console: Any) -> bool:
    """Print the table; True if every page met the target."""
    from rich.table import Table

    phases = {phase["name"]: phase for phase in result["load"]["phases"]}
    floor = result["load"]["floor"]["p95_ms"]
    setup = result["setup"]
    table = Table(
        title=(
            f"{setup['persons']:,} persons, {setup['identifications']:,} identifications "
            f"({setup['visible']:,} visible to {COORDINATOR}); {setup['workers']} gunicorn "
            f"workers, {setup['clients']} clients, {setup['duration']} s a page, "
            f"{setup['cpus']} CPUs"
        ),
        title_justify="left",
    )
    for column in ("page", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "p95 / floor"):
        table.add_column(column, justify="left" if column == "page" else "right")
    table.add_column("errors", justify="right")
    met = True
    for name, phase in phases.items():
        if not phase["requests"]:
            table.add_row(name, "0", "", "", "", "", "", json.dumps(phase["statuses"]))
            met = False
            continue
        ratio = phase["p95_ms"] / floor
        page = name not in {FLOOR, FLOOR_AGAIN, SESSION_FLOOR}
        style = "" if not page else "green" if ratio <= TARGET_RATIO else "red"
        if page and ratio > TARGET_RATIO:
            met = False
        errors = {k: v for k, v in phase["statuses"].items() if k != "200"}
        table.add_row(
            name,
            f"{phase['requests']:,}",
            f"{phase['rps']:,.0f}",
            f"{phase['p50_ms']:.1f}",
            f"{phase['p95_ms']:.1f}",
            f"{phase['p99_ms']:.1f}",
            f"[{style}]{ratio:.1f}×[/]" if style else f"{ratio:.1f}×",
            json.dumps(errors) if errors else "0",
        )
    console.print(table)
    verdict = "met" if met else "missed"
    console.print(
        f"Target p95 ≤ {TARGET_RATIO:.0f}× the floor (p95 {floor:.1f} ms over both floor runs): "
        f"{verdict}."
    )
    if result.get("profile"):
        detail = Table(title="In-process profile (one request, median of 5)", title_justify="left")
        for column in ("page", "ms", "SQL queries", "SQL ms", "slowest query ms"):
            detail.add_column(column, justify="left" if column == "page" else "right")
        for row in result["profile"]:
            detail.add_row(
                row["name"],
                f"{row['ms']:.1f}",
                f"{row['queries']:.0f}",
                f"{row['sql_ms']:.1f}",
                f"{row['slowest_sql_ms']:.1f}",
            )
        console.print(detail)
        for row in result["profile"]:
            console.print(f"[dim]{row['name']}: slowest query: {row['slowest_sql']}[/]")
    return met


# -------------------------------------------------------------------------------------------- main


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    from nmt.commands.serve import default_workers

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--identifications", type=int, default=None, help="default 1.5 × persons")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds a page (20)")
    parser.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds a page (2)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help=f"gunicorn workers (default 2 × CPUs + 1 = {default_workers()})",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="2,000 persons, 1.5 s a page")
    parser.add_argument("--profile", action="store_true", help="also profile each page in-process")
    parser.add_argument("--strict", action="store_true", help="exit 1 if the target is missed")
    parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch database (with DATABASE_URL)"
    )
    parser.add_argument(
        "--pg-setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="setting of the throw-away PostgreSQL server, e.g. fsync=off (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.persons = min(args.persons, 2_000)
        args.duration, args.warmup = min(args.duration, 1.5), min(args.warmup, 0.5)
    args.identifications = args.identifications or args.persons * 3 // 2
    return args


def _exit_on_sigterm(signum: int, _frame: Any) -> None:
    # SIGTERM would end the process without unwinding: the server, the throw-away PostgreSQL
    # and the temporary directories would be left behind. Exiting runs their clean-up.
    sys.exit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    console = _console()
    workdir = Path(tempfile.mkdtemp(prefix="nmt-bench-web."))
    try:
        with benchmark_database(
            os.environ.get("DATABASE_URL"), keep=args.keep, settings=args.pg_setting
        ) as url:
            env = {
                **os.environ,
                "DATABASE_URL": url,
                # Secrets (field keys) are generated here and shared by the seeding process
                # and the server, which must open what the seed sealed.
                "NMT_DATA_DIR": str(workdir),
                "NMT_SECURE_COOKIES": "0",  # plain HTTP on loopback
                "DJANGO_SETTINGS_MODULE": "nmt.config.settings",
            }
            os.environ.update(env)
            console.print(f"Seeding {args.persons:,} persons, {args.identifications:,} cases")
            target = seed_database(
                persons=args.persons,
                identifications=args.identifications,
                seed=args.seed,
                login_count=args.clients + 1,  # the clients and the API token
            )
            console.print(f"Seeded in {target['seconds']} s")
            port = free_port()
            server = start_server(env, port, args.workers, workdir / "server.log")
            try:
                config = {
                    **target,
                    "port": port,
                    "clients": args.clients,
                    "duration": args.duration,
                    "warmup": args.warmup,
                }
                (workdir / "load.json").write_text(json.dumps(config))
                with console.status(f"Load: {args.clients} clients, {len(PHASES)} phases ..."):
                    done = subprocess.run(
                        [sys.executable, __file__, "_load", str(workdir / "load.json")],
                        capture_output=True,
                        text=True,
                        check=False,
                    )
                if done.returncode != 0:
                    console.print(done.stderr[-3000:], highlight=False)
                    console.print("Server log (end):", highlight=False)
                    console.print((workdir / "server.log").read_text()[-5000:], highlight=False)
                    raise RuntimeError("the load process failed")
                load_result = json.loads(done.stdout)
            finally:
                stop_server(server)
            result = {
                "setup": {
                    "persons": target["counts"]["persons"],
                    "identifications": target["counts"]["identifications"],
                    "visible": target["counts"]["visible to the coordinator"],
                    "workers": args.workers,
                    "clients": args.clients,
                    "duration": args.duration,
                    "cpus": len(os.sched_getaffinity(0)),
                    "seed_seconds": target["seconds"],
                },
                "load": load_result,
                "profile": profile_pages(target) if args.profile else [],
            }
            if args.keep and os.environ.get("DATABASE_URL"):
                console.print(f"Kept the database: {url}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    met = report(result, _console(stderr=args.json))
    if args.json:
        print(json.dumps(result, indent=2))
    errors = sum(phase.get("errors", 1) for phase in result["load"]["phases"])
    if errors or any(not phase["requests"] for phase in result["load"]["phases"]):
        return 1
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["_load"]:
        print(json.dumps(load(json.loads(Path(sys.argv[2]).read_text()))))
        sys.exit(0)
    sys.exit(main())
