"""``nmt backup --out FILE``: an encrypted snapshot of the database (see nmt.backup)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from rich.console import Console


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, required=True, help="archive to write")
    parser.add_argument("--json", action="store_true", help="print the manifest as JSON")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    import django

    django.setup()
    from django.db import transaction

    from nmt.audit.models import Action
    from nmt.audit.services import audit_record
    from nmt.backup import backup

    err = Console(stderr=True)
    with err.status("Writing the encrypted backup ..."):
        manifest = backup(args.out)
    with transaction.atomic():
        audit_record(
            actor=None,
            action=Action.EXPORT,
            object_type="backup",
            details={"archive": manifest.archive_id, "size": manifest.size},
        )
    if args.json:
        print(json.dumps(manifest.to_dict(), indent=2))
    else:
        err.print(f"Wrote {args.out} ({manifest.size:,} bytes of {manifest.engine}, sealed).")
    return 0
