"""``nmt restore FILE --yes``: replace the database with an encrypted backup, then verify it."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.console import Console

from nmt.errors import BadInputError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("archive", type=Path, help="archive written by nmt backup")
    parser.add_argument(
        "--yes", action="store_true", help="confirm that the current database is to be replaced"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    import django

    django.setup()
    from nmt.audit.verify import verify_chain
    from nmt.backup import read_manifest, restore

    err = Console(stderr=True)
    if not args.archive.is_file():
        raise BadInputError(f"{args.archive}: no such file")
    manifest = read_manifest(args.archive)
    if not args.yes:
        err.print(
            f"This replaces the database with the backup of {manifest.created_at}. "
            "Stop the servers and run again with --yes."
        )
        return 1
    with err.status("Restoring ..."):
        restore(args.archive)
        verification = verify_chain()
    result = {"manifest": manifest.to_dict(), "audit": verification.to_dict()}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        err.print(f"Restored the backup of {manifest.created_at}.")
        state = "intact" if verification.intact else "BROKEN"
        err.print(f"Audit log: {verification.events:,} events, chain {state}.")
    return 0 if verification.intact else 1
