"""``nmt audit verify``: check that no audit event was edited, deleted or reordered."""

from __future__ import annotations

import argparse
import json
import os

from rich.console import Console


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = sub.add_parser("verify", help="recompute the hash chain of the audit log")
    verify.add_argument("--json", action="store_true", help="print the result as JSON on stdout")
    sub.add_parser(
        "heads",
        help="print the newest hash of every chain as JSON, to anchor outside the database",
    )


def run(args: argparse.Namespace) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    import django

    django.setup()
    from nmt.audit.models import ChainHead
    from nmt.audit.verify import verify_chain

    if args.action == "heads":
        heads = [
            {"chain": head.pk - 1, "last_event_id": head.last_event_id, "hash": head.last_hash}
            for head in ChainHead.objects.order_by("pk")
        ]
        print(json.dumps({"heads": heads}, indent=2))
        return 0
    err = Console(stderr=True)
    with err.status("Verifying the audit chain ...") as status:
        result = verify_chain(progress=lambda n: status.update(f"Verified {n:,} events ..."))
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    elif result.intact:
        err.print(f"[green]The audit log is intact:[/] {result.events:,} events, chain unbroken.")
    else:
        err.print(f"[red]The audit log has been tampered with[/] ({result.events:,} events):")
        for item in result.breaks:
            err.print(f"  - {item.message}")
    return 0 if result.intact else 1
