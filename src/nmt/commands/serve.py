"""``nmt serve``: run the web application with gunicorn, for real use.

The database comes from ``DATABASE_URL`` (SQLite under ``NMT_DATA_DIR`` when it is not set). The
server refuses to start while migrations are pending, unless ``--migrate`` applies them first:
serving a schema the code does not expect fails later and less clearly. Static files are served
by WhiteNoise straight from the packages, so nothing is collected at start. SIGTERM stops the
server gracefully (requests in progress finish, up to ``--graceful-timeout``); SIGINT stops it at
once.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console

DEFAULT_BIND = "127.0.0.1:8000"


def default_workers() -> int:
    """Gunicorn's rule of thumb, 2 × CPUs + 1, counting the CPUs this process may use."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return 2 * cpus + 1


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from exc
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--bind",
        action="append",
        metavar="ADDRESS",
        help=f"HOST:PORT or unix:PATH to listen on; repeatable (default {DEFAULT_BIND})",
    )
    parser.add_argument(
        "--workers",
        type=_positive,
        default=None,
        help=f"worker processes (default 2 × CPUs + 1, here {default_workers()})",
    )
    parser.add_argument(
        "--threads",
        type=_positive,
        default=1,
        help="threads per worker; more than 1 uses gunicorn's threaded worker (default 1)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive,
        default=30,
        help="seconds a request may take before its worker is restarted (default 30)",
    )
    parser.add_argument(
        "--graceful-timeout",
        type=_positive,
        default=30,
        help="seconds requests in progress get to finish on SIGTERM (default 30)",
    )
    parser.add_argument(
        "--migrate", action="store_true", help="apply pending migrations before serving"
    )
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nmt.config.settings")
    import django

    django.setup()


def database_label() -> str:
    """Which database this process uses, without credentials."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {settings['NAME']}"
    host = settings.get("HOST") or "local socket"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"PostgreSQL {settings['NAME']} on {host}{port}"


def pending_migrations() -> list[str]:
    """Migrations not applied to the database, in the order they would run."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def check_database(*, migrate: bool, console: Console) -> bool:
    """True if the schema is current (after migrating, if asked); explains on ``console`` if not."""
    from django.core.management import call_command
    from django.db import DatabaseError

    try:
        pending = pending_migrations()
    except DatabaseError as exc:
        console.print(f"[red]nmt serve: cannot use the database ({database_label()}):[/] {exc}")
        return False
    if pending and migrate:
        console.print(f"Applying {len(pending)} migrations to {database_label()} ...")
        call_command("migrate", interactive=False, verbosity=0)
        pending = pending_migrations()
    if pending:
        shown = ", ".join(pending[:5]) + (" ..." if len(pending) > 5 else "")
        console.print(
            f"[red]nmt serve: {len(pending)} migrations are not applied to "
            f"{database_label()}[/] ({shown}).\n"
            "Run `nmt migrate` first, or start with `nmt serve --migrate`."
        )
        return False
    return True


def serve(
    *,
    bind: Sequence[str],
    workers: int,
    threads: int = 1,
    timeout: int = 30,
    graceful_timeout: int = 30,
    access_log: bool = False,
) -> None:
    """Run gunicorn in this process until it is stopped (gunicorn then exits the process)."""
    from django.core.wsgi import get_wsgi_application
    from django.db import connections
    from gunicorn.app.base import BaseApplication

    application = get_wsgi_application()
    # Workers are forked from this process: none may inherit its database connection.
    connections.close_all()
    options: dict[str, Any] = {
        "bind": list(bind),
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread" if threads > 1 else "sync",
        "timeout": timeout,
        "graceful_timeout": graceful_timeout,
        "accesslog": "-" if access_log else None,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "nmt",
        # Gunicorn ≥ 25 opens a control socket in the home directory by default; several servers
        # on one machine (tests, demo, benchmark) would contend for it, and NMT does not use it.
        "control_socket_disable": True,
    }

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                if key in self.cfg.settings and value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return application

    Server().run()


def run(args: argparse.Namespace) -> int:
    setup_django()
    console = Console(stderr=True, soft_wrap=True)
    if not check_database(migrate=args.migrate, console=console):
        return 1
    bind = args.bind or [DEFAULT_BIND]
    workers = args.workers or default_workers()
    console.print(
        f"NMT serving on {', '.join(bind)} with {workers} workers; database {database_label()}",
        highlight=False,
    )
    sys.stderr.flush()
    serve(
        bind=bind,
        workers=workers,
        threads=args.threads,
        timeout=args.timeout,
        graceful_timeout=args.graceful_timeout,
        access_log=args.access_log,
    )
    return 0
