"""``nmt demo``: a local NMT with realistic synthetic data, demo logins, and the web server.

Creates the database (SQLite under ``NMT_DATA_DIR``, ``./var`` by default), applies migrations,
seeds synthetic data once, gives every demo user a new password, prints the logins and serves on
http://127.0.0.1:8000. Running it again does not add data: the seed leaves a marker (an audit
event) and later runs only renew the passwords. ``--reset`` empties the database and seeds anew.

The same ``--seed`` gives the same persons, cases and calls; dates are placed relative to today
(the current year runs up to today, some measures end this week), so they follow the calendar.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from nmt.commands.serve import (
    _positive,
    check_database,
    database_label,
    serve,
    setup_django,
)

DEFAULT_SEED = 1


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help=f"seed of the synthetic data: same seed, same data (default {DEFAULT_SEED})",
    )
    parser.add_argument(
        "--reset", action="store_true", help="empty the demo database and seed it anew"
    )
    parser.add_argument("--no-serve", action="store_true", help="set up and print, do not serve")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    parser.add_argument("--port", type=_positive, default=8000, help="port to serve on (8000)")
    parser.add_argument("--workers", type=_positive, default=2, help="server processes (2)")
    parser.add_argument(
        "--json", action="store_true", help="print the logins and counts as JSON on stdout"
    )


def _foreign_data() -> bool:
    """Whether the database holds anything ``nmt demo`` did not put there."""
    from nmt.accounts.models import User
    from nmt.cases.models import Identification
    from nmt.demo.users import DEMO_USERNAMES
    from nmt.supportline.models import Contact

    return (
        User.objects.exclude(username__in=DEMO_USERNAMES).exists()
        or Identification.objects.exists()
        or Contact.objects.exists()
    )


def _reset(console: Console) -> bool:
    """Empty the database. Refused on a server database that holds data but no demo marker."""
    from django.core.management import call_command
    from django.db import connection

    from nmt.accounts.organisation import seed_organisation
    from nmt.demo.seed import demo_marker

    if not connection.introspection.table_names():
        return True  # a new database: nothing to empty
    if connection.vendor != "sqlite" and demo_marker() is None and _foreign_data():
        console.print(
            f"[red]nmt demo: {database_label()} holds data that nmt demo did not create; "
            "refusing to empty it.[/]"
        )
        return False
    call_command("flush", interactive=False, verbosity=0)
    # The organisation (regions, municipalities, agencies) is seed data of a migration.
    seed_organisation()
    return True


def _seed(seed: int, today: dt.date, logins: list[Any], console: Console) -> dict[str, int]:
    from nmt.demo.generator import generate_demo
    from nmt.demo.seed import seed_demo_data
    from nmt.demo.users import registrars

    with console.status("Generating synthetic data ..."):
        data = generate_demo(seed, today)
    progress = Progress(
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with progress:
        tasks = {
            "calls": progress.add_task("calls", total=len(data.contacts)),
            "persons": progress.add_task("persons", total=len(data.persons)),
            "cases": progress.add_task("cases", total=len(data.identifications)),
        }
        counts = seed_demo_data(
            data=data,
            users=registrars(logins),
            seed=seed,
            today=today,
            progress=lambda stage, n: progress.advance(tasks[stage], n),
        )
    return counts.to_dict()


def _print(url: str, logins: list[Any], counts: dict[str, Any], as_json: bool) -> None:
    out = Console()
    if as_json:
        payload = {
            "url": url,
            "counts": counts,
            "logins": [
                {
                    "username": login.user.username,
                    "password": login.password,
                    "role": login.spec.role,
                    "agency": login.spec.agency,
                    "region": login.spec.region or None,
                }
                for login in logins
            ],
        }
        out.print_json(json.dumps(payload))
        return
    table = Table(title="NMT demo logins", title_justify="left")
    table.add_column("Role")
    table.add_column("Username", style="bold")
    table.add_column("Password", style="green")
    for login in logins:
        table.add_row(login.spec.label, login.user.username, login.password)
    out.print(table)
    if counts:
        summary = ", ".join(f"{value:,} {key.replace('_', ' ')}" for key, value in counts.items())
        out.print(f"Data: {summary}", highlight=False)
    out.print(
        "All persons, cases and calls are synthetic. Passwords are new on every run "
        "and stored only as Argon2 hashes."
    )
    out.print(f"Open [bold]{url}[/]")


def run(args: argparse.Namespace) -> int:
    # The demo logs in with the printed passwords alone: the second factor (an authenticator app
    # per user) stays off unless NMT_REQUIRE_TWO_FACTOR is set explicitly. Settings read it when
    # Django starts, so it is decided before.
    os.environ.setdefault("NMT_REQUIRE_TWO_FACTOR", "0")
    setup_django()
    from django.core.management import call_command
    from django.utils import timezone

    from nmt.demo.seed import demo_marker
    from nmt.demo.users import ensure_demo_users

    console = Console(stderr=True, soft_wrap=True)
    console.print(f"NMT demo database: {database_label()}", highlight=False)
    if args.reset and not _reset(console):
        return 1
    with console.status("Applying migrations ..."):
        call_command("migrate", interactive=False, verbosity=0)
    if not check_database(migrate=False, console=console):
        return 1
    marker = demo_marker()
    note = ""
    if marker is None and _foreign_data():
        console.print(
            f"[red]nmt demo: {database_label()} already holds data that nmt demo did not "
            "create.[/] Use another NMT_DATA_DIR, or --reset to empty it."
        )
        return 1
    with console.status("Setting demo passwords (Argon2) ..."):
        logins = ensure_demo_users()
    if marker is None:
        counts = _seed(args.seed, timezone.localdate(), logins, console)
    else:
        counts = {k: v for k, v in marker.details.items() if k not in {"seed", "today"}}
        seeded = marker.details.get("seed")
        note = (
            f"The demo data were already there (seed {seeded}, seeded "
            f"{timezone.localtime(marker.occurred_at):%Y-%m-%d}); only the passwords are new."
        )
        if seeded != args.seed:
            note += f" Use --reset to seed again with seed {args.seed}."
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{args.port}/"
    from django.conf import settings

    if not getattr(settings, "NMT_REQUIRE_TWO_FACTOR", True):
        note += (
            " The second factor is off in the demo (NMT_REQUIRE_TWO_FACTOR=1 turns it on: every"
            " user then sets up an authenticator app at the first login)."
        )
    if note:
        console.print(note.strip(), highlight=False)
    _print(url, logins, counts, args.json)
    if args.no_serve:
        return 0
    serve(bind=[f"{host}:{args.port}"], workers=args.workers)
    return 0
