"""``nmt retention run``: anonymise persons, calls and list records past their retention period."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os

from rich.console import Console


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = sub.add_parser("run", help="apply the retention periods (NMT_RETENTION_* settings)")
    run.add_argument(
        "--dry-run", action="store_true", help="count what would change, change nothing"
    )
    run.add_argument("--today", type=_date, help="run as of this date (default today)")
    run.add_argument("--json", action="store_true", help="print the result as JSON on stdout")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    import django

    django.setup()
    from nmt.cases.retention import retention_run

    err = Console(stderr=True)
    with err.status("Applying the retention periods ..."):
        report = retention_run(today=args.today, dry_run=args.dry_run)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        verb = "would be" if args.dry_run else "were"
        result = report.to_dict()
        err.print(f"{result['persons_anonymised']} persons {verb} anonymised.")
        err.print(f"{result['calls_cleared']} support-line calls {verb} cleared of free text.")
        err.print(
            f"{result['agency_list_records_cleared']} agency-list records {verb} cleared "
            "of identity."
        )
    return 0
