"""Soak test: 50 users for 10 minutes with a realistic mix, on PostgreSQL; 0 errors; p95 per
endpoint.

Seeds PostgreSQL with the synthetic registry (as ``benchmarks/web.py`` does), starts ``nmt serve``
as its own process, and runs locust headless as a third process on loopback. Every user logs in
through the login page and the second factor (a one-time recovery code), then, with think time
between actions, works as a regional coordinator does: dashboard, case list, searches, case pages,
registering a case, adding notes and measures, and a program's API list. A write counts as an
error unless the platform answers it as a success (the redirect after saving).

Run from the repository root (needs the ``load`` extra: ``pip install -e '.[load]'``)::

    .venv/bin/python benchmarks/soak.py              # 50 users, 10 minutes, 20,000 persons
    .venv/bin/python benchmarks/soak.py --quick      # 10 users, 30 seconds, 1,000 persons
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/soak.py   # use that server

Exit status 1 if any request failed. ``--json`` prints the figures as JSON on stdout.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# The mix: (task, weight). Reading dominates; about one action in eight writes.
MIX = {
    "dashboard": 3,
    "case list": 3,
    "search": 2,
    "case detail": 5,
    "register case": 1,
    "add note": 1,
    "add measure": 1,
    "API case list": 2,
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# ----------------------------------------------------------------------------- the locust users
# This file is also the locustfile: locust imports it and finds the user class below.

# Only the load process imports locust (which patches sockets for gevent); the orchestrator
# and the seed run without it.
if os.environ.get("NMT_SOAK_CONFIG"):
    from locust import HttpUser, between, task

    _config = json.loads(Path(os.environ["NMT_SOAK_CONFIG"]).read_text())
    _codes = iter(_config["codes"])
    _numbers = itertools.count()

    class Coordinator(HttpUser):
        wait_time = between(1, 4)  # reading and typing between actions

        def on_start(self) -> None:
            self.rng = random.Random(next(_numbers))  # which case to open, not a secret
            self.mine: list[str] = []
            page = self.client.get("/login/", name="login").text
            self._post_form(
                "/login/",
                page,
                {"username": _config["username"], "password": _config["password"]},
                name="login",
            )
            page = self.client.get("/two-factor/", name="login").text
            if 'name="code"' in page:
                self._post_form("/two-factor/", page, {"code": next(_codes)}, name="login")

        def _post_form(self, path: str, page: str, data: dict, *, name: str) -> Any:
            match = CSRF.search(page)
            token = match.group(1) if match else self.client.cookies.get("csrftoken", "")
            with self.client.post(
                path,
                data={"csrfmiddlewaretoken": token, **data},
                headers={"Referer": self.host + path},
                allow_redirects=False,
                name=name,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(
                        f"expected a redirect after saving, got {response.status_code}"
                    )
                return response

        def _case(self) -> str:
            pool = self.mine if self.mine and self.rng.random() < 0.3 else _config["cases"]
            return self.rng.choice(pool)

        @task(MIX["dashboard"])
        def dashboard(self) -> None:
            self.client.get("/", name="dashboard")

        @task(MIX["case list"])
        def case_list(self) -> None:
            self.client.get("/cases/", name="case list")

        @task(MIX["search"])
        def search(self) -> None:
            self.client.get(self.rng.choice(_config["searches"]), name="search")

        @task(MIX["case detail"])
        def case_detail(self) -> None:
            self.client.get(f"/cases/{self._case()}/", name="case detail")

        @task(MIX["register case"])
        def register(self) -> None:
            page = self.client.get("/cases/new/", name="register case (form)").text
            n = self.rng.randrange(10**6)
            response = self._post_form(
                "/cases/new/",
                page,
                {
                    "case-identified_on": "2025-05-01",
                    "case-channel": "regional_coordinator",
                    "case-region": str(_config["region_id"]),
                    "case-purposes": "sexual",
                    "case-offence": "unknown",
                    "case-exploitation_place": "unknown",
                    "person-given_name": f"Soak{n}",
                    "person-family_name": "Testsson",
                    "person-sex": "unknown",
                },
                name="register case",
            )
            number = response.headers.get("Location", "").rstrip("/").rsplit("/", 1)[-1]
            if number.startswith("NMT-"):
                self.mine.append(number)

        @task(MIX["add note"])
        def add_note(self) -> None:
            number = self._case()
            page = self.client.get(f"/cases/{number}/", name="case detail").text
            self._post_form(
                f"/cases/{number}/notes/",
                page,
                {"text": "Samtal med handläggare; uppföljning nästa vecka."},
                name="add note",
            )

        @task(MIX["add measure"])
        def add_measure(self) -> None:
            number = self._case()
            page = self.client.get(f"/cases/{number}/measures/", name="add measure (form)").text
            self._post_form(
                f"/cases/{number}/measures/",
                page,
                {"kind": "health_care", "status": "planned"},
                name="add measure",
            )

        @task(MIX["API case list"])
        def api_list(self) -> None:
            self.client.get(
                "/api/v1/cases/?page_size=50",
                headers={"Authorization": f"Token {_config['token']}"},
                name="API case list",
            )


# ----------------------------------------------------------------------------- the orchestrator


def run_locust(config_path: Path, port: int, users: int, seconds: int, out: Path) -> Path:
    prefix = out / "soak"
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(Path(__file__).resolve()),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 10)),
        "--run-time",
        f"{seconds}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "30",
        "--exit-code-on-error",
        "0",
    ]
    env = {**os.environ, "NMT_SOAK_CONFIG": str(config_path)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"locust failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return Path(f"{prefix}_stats.csv")


def read_stats(path: Path) -> list[dict[str, Any]]:
    rows = []
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"] if row["Name"] != "Aggregated" else "all requests",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                    "max_ms": float(row["Max Response Time"] or 0),
                }
            )
    return rows


def report(result: dict[str, Any], console: Any) -> None:
    from rich.table import Table

    setup = result["setup"]
    table = Table(
        title=(
            f"Soak: {setup['users']} users for {setup['seconds']} s; {setup['persons']:,} persons, "
            f"{setup['identifications']:,} cases; {setup['workers']} gunicorn workers, "
            f"{setup['cpus']} CPUs"
        ),
        title_justify="left",
    )
    for column in ("endpoint", "requests", "failures", "req/s", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for row in result["endpoints"]:
        table.add_row(
            row["name"] if row["name"] == "all requests" else f"{row['method']} {row['name']}",
            f"{row['requests']:,}",
            str(row["failures"]),
            f"{row['rps']:.1f}",
            f"{row['p50_ms']:.0f}",
            f"{row['p95_ms']:.0f}",
            f"{row['p99_ms']:.0f}",
        )
    console.print(table)
    failures = result["failures"]
    console.print("0 errors." if not failures else f"[red]{failures} failed requests[/]")


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console

    from _pg import benchmark_database, free_port
    from web import api_token, seed_database, start_server, stop_server

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (nmt serve's default)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="10 users, 30 s, 1,000 persons")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout")
    args = parser.parse_args(argv)
    if args.quick:
        args.users, args.minutes, args.persons = min(args.users, 10), 0.5, min(args.persons, 1_000)
    seconds = round(args.minutes * 60)
    from nmt.commands.serve import default_workers

    workers = args.workers or default_workers()
    console = Console(stderr=True, soft_wrap=True)
    workdir = Path(tempfile.mkdtemp(prefix="nmt-soak."))
    try:
        with benchmark_database(os.environ.get("DATABASE_URL")) as url:
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "NMT_DATA_DIR": str(workdir),  # keys shared by the seed and the server
                "NMT_SECURE_COOKIES": "0",  # plain HTTP on loopback
                "DJANGO_SETTINGS_MODULE": "nmt.config.settings",
            }
            os.environ.update(env)
            console.print(f"Seeding {args.persons:,} persons ...")
            target = seed_database(
                persons=args.persons,
                identifications=args.persons * 3 // 2,
                seed=args.seed,
                login_count=args.users + 1,
            )
            from nmt.accounts.models import User

            region_id = User.objects.get(username=target["username"]).region_id
            port = free_port()
            server = start_server(env, port, workers, workdir / "server.log")
            try:
                codes = target["codes"]
                token = api_token(
                    port, target["username"], target["password"], codes[-1] if codes else ""
                )
                config = {**target, "codes": codes[:-1], "token": token, "region_id": region_id}
                config_path = workdir / "soak.json"
                config_path.write_text(json.dumps(config))
                with console.status(f"Soak: {args.users} users for {seconds} s ..."):
                    stats = run_locust(config_path, port, args.users, seconds, workdir)
                endpoints = read_stats(stats)
            finally:
                stop_server(server)
            errors_log = (workdir / "server.log").read_text(errors="replace")
            result = {
                "setup": {
                    "users": args.users,
                    "seconds": seconds,
                    "persons": target["counts"]["persons"],
                    "identifications": target["counts"]["identifications"],
                    "workers": workers,
                    "cpus": len(os.sched_getaffinity(0)),
                },
                "endpoints": endpoints,
                "failures": sum(r["failures"] for r in endpoints if r["name"] != "all requests"),
                "server_errors_logged": errors_log.count("Internal Server Error"),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report(result, Console(stderr=args.json))
    if args.json:
        print(json.dumps(result, indent=2))
    return 1 if result["failures"] or result["server_errors_logged"] else 0


if __name__ == "__main__":
    sys.exit(main())
