"""``nmt report --year YYYY``: the national situation report.

Makes and keeps a yearly run (link the year's lists, estimate the dark figure, tabulate and
protect) and writes the report: HTML, PDF, XLSX or CSV (one file per table) in Swedish or
English, or the k-anonymised HTCDS exchange file. ``--run ID`` writes a kept run again instead of
making a new one (the published figures of a kept run never change). Progress goes to stderr;
``--json`` prints the run's published summary on stdout.

Every run and every export is in the audit log (as the user named with ``--user``, an analyst,
or as the system).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from nmt.commands.serve import check_database, setup_django
from nmt.errors import BadInputError, Problem

FORMATS = ("html", "pdf", "xlsx", "csv", "htcds")


def _year(text: str) -> int:
    value = int(text)
    if not 2000 <= value <= 2100:
        raise argparse.ArgumentTypeError("must be a year such as 2025")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=_year, required=True, help="the year to report")
    parser.add_argument("--format", choices=FORMATS, default="html", help="output (html)")
    parser.add_argument("--lang", choices=("sv", "en"), default="sv", help="language (sv)")
    parser.add_argument(
        "--out", metavar="PATH", help="file to write (a directory for csv); default in ."
    )
    parser.add_argument("--run", type=int, metavar="ID", help="write a kept run instead")
    parser.add_argument(
        "--method",
        default="stepwise",
        choices=("stepwise", "bic", "aic", "main"),
        help="estimation method (stepwise)",
    )
    parser.add_argument(
        "--disclosure",
        default="ckm",
        choices=("ckm", "suppression"),
        help="disclosure control of every table: cell key method (default) or suppression",
    )
    parser.add_argument("--bootstrap", type=int, default=0, metavar="N", help="BCa replicates")
    parser.add_argument(
        "--reuse-model",
        action="store_true",
        help="link with the linkage model of the latest kept run instead of training anew",
    )
    parser.add_argument("--user", help="the analyst the run and export are recorded for")
    parser.add_argument("--json", action="store_true", help="print the run's summary as JSON")


def _actor(username: str | None):
    if not username:
        return None
    from nmt.accounts.models import User
    from nmt.reports.policies import report_policy

    user = User.objects.filter(username=username).first()
    if user is None or not report_policy.can_use(user):
        raise BadInputError([Problem(f"{username!r} is not an active analyst", field="--user")])
    return user


def run(args: argparse.Namespace) -> int:
    setup_django()
    from rich.console import Console

    from nmt.reports import render
    from nmt.reports.htcds import htcds_export
    from nmt.reports.models import ReportRun
    from nmt.reports.services import RunSettings, report_export_audit, report_run_create

    console = Console(stderr=True, soft_wrap=True)
    if not check_database(migrate=False, console=console):
        return 1
    actor = _actor(args.user)
    if args.run is not None:
        kept = ReportRun.objects.filter(pk=args.run, year=args.year).first()
        if kept is None:
            raise BadInputError([Problem(f"no kept run {args.run} of {args.year}", field="--run")])
    else:
        with console.status("Making the yearly run ...") as status:
            kept = report_run_create(
                actor=actor,
                year=args.year,
                run_settings=RunSettings(
                    method=args.method,
                    disclosure=args.disclosure,
                    bootstrap=args.bootstrap,
                    reuse_model=args.reuse_model,
                ),
                progress=lambda stage: status.update(f"Yearly run: {stage} ..."),
            )
        console.print(f"Run {kept.pk} kept ({kept.timings.get('total', 0):.1f} s).")
    out = _write(kept, args, render, htcds_export)
    report_export_audit(actor=actor, run=kept, fmt=args.format, lang=args.lang)
    console.print(f"Wrote {out}", highlight=False)
    if args.json:
        json.dump(
            {"run": kept.pk, "fingerprint": kept.fingerprint, "summary": kept.summary},
            sys.stdout,
            indent=2,
            ensure_ascii=False,
        )
        sys.stdout.write("\n")
    return 0


def _write(kept, args: argparse.Namespace, render, htcds_export) -> Path:
    if args.format == "csv":
        directory = Path(args.out or f"nmt-report-{kept.year}-{args.lang}-csv")
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in render.csv_files(kept, args.lang).items():
            (directory / name).write_bytes(data)
        return directory
    if args.format == "htcds":
        path = Path(args.out or f"nmt-htcds-{kept.year}.csv")
        path.write_bytes(htcds_export(kept).to_csv())
        return path
    path = Path(args.out or render.filename(kept, args.format, args.lang))
    path.write_bytes(render.render(kept, args.format, args.lang))
    return path
