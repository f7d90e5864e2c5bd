"""``nmt keys``: rotate the keys that protect identifying data (see nmt.access.rotation)."""

from __future__ import annotations

import argparse
import json
import os

from rich.console import Console


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    status = sub.add_parser("status", help="count sealed values per key, change nothing")
    status.add_argument("--json", action="store_true")
    rotate = sub.add_parser("rotate", help="re-seal every value under the first NMT_FIELD_KEYS key")
    rotate.add_argument("--json", action="store_true")
    reindex = sub.add_parser("reindex", help="rebuild the search index under the current key")
    reindex.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    import django

    django.setup()
    from django.db import transaction

    from nmt.access.rotation import rebuild_search_index, rotate_field_keys
    from nmt.audit.models import Action
    from nmt.audit.services import audit_record

    err = Console(stderr=True)
    with err.status("Working ...") as status:

        def progress(n: int) -> None:
            status.update(f"{n:,} rows ...")

        if args.action == "reindex":
            result = {"persons_reindexed": rebuild_search_index(progress=progress)}
        else:
            report = rotate_field_keys(dry_run=args.action == "status", progress=progress)
            result = report.to_dict()
    if args.action != "status":
        with transaction.atomic():
            audit_record(
                actor=None, action=Action.UPDATE, object_type="keys", details={args.action: result}
            )
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            err.print(f"{key}: {value}")
    return 0
