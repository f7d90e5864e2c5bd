"""The ``nmt`` command.

Library commands (``estimate``, ``link``, ``tokenize``) are framework-free and start without Django.
Platform commands set up Django first. Any other word is handed to Django's management commands,
so ``nmt migrate`` or ``nmt createsuperuser`` work as ``manage.py`` would.

Exit codes: 0 success, 2 bad input (message names file, line and field), 1 other errors.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from nmt.errors import BadInputError

# command -> (module, help). Each module defines ``configure(parser)`` and ``run(args) -> int``.
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("nmt.commands.demo", "create a local demo database with synthetic data and serve it"),
    "serve": ("nmt.commands.serve", "run the web application (database from DATABASE_URL)"),
    "estimate": ("nmt.estimation.command", "multiple systems estimation on a capture table"),
    "link": ("nmt.linkage.command", "link agency lists into unique persons and a capture table"),
    "tokenize": ("nmt.linkage.tokenize_command", "replace identifying values by keyed tokens"),
    "report": ("nmt.commands.report", "the national situation report"),
    "audit": ("nmt.commands.audit", "verify the tamper-evident audit log"),
    "retention": ("nmt.commands.retention", "anonymise what has passed its retention period"),
    "backup": ("nmt.commands.backup", "write an encrypted backup of the database"),
    "restore": ("nmt.commands.restore", "restore the database from an encrypted backup"),
    "keys": ("nmt.commands.keys", "rotate the keys of sealed fields and of the search index"),
}

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nmt",
        description="NMT platform. Other commands are passed to Django (e.g. `nmt migrate`).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, help_text) in COMMANDS.items():
        sub.add_parser(name, help=help_text, add_help=False)
    sub.add_parser("manage", help="run a Django management command", add_help=False)
    return parser


def run_django_command(argv: Sequence[str]) -> int:
    """Run a Django management command with the platform's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["nmt", *argv])
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        _parser().print_help()
        return EXIT_OK
    name, rest = argv[0], argv[1:]
    if name == "manage":
        return run_django_command(rest)
    if name not in COMMANDS:
        return run_django_command(argv)
    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(prog=f"nmt {name}", description=help_text)
    module.configure(parser)
    args = parser.parse_args(rest)
    try:
        return int(module.run(args) or EXIT_OK)
    except BadInputError as exc:
        print(f"nmt {name}: bad input:\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"nmt {name}: interrupted", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
