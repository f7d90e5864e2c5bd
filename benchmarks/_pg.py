"""PostgreSQL for benchmarks: a fresh database in the server of ``DATABASE_URL``, or a throw-away
server started the way ``.ci/run`` starts one (initdb in a temporary directory, run as an
unprivileged user when we are root, listening on loopback only), removed afterwards.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# The same unprivileged account .ci/run uses: PostgreSQL refuses to run as root.
SERVER_USER = "nmtci"
NMT_DB = ("-U", "nmt", "nmt")  # as user nmt, the database nmt


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path:
    """PostgreSQL's own bin directory (newest version first); PATH may hold only symlinks to a
    few of its programs."""
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "createdb").exists()]
    if versions:
        return max(versions, key=lambda p: int(p.parent.name.split(".")[0]))
    found = shutil.which("createdb") or shutil.which("initdb")
    if not found:
        raise RuntimeError("PostgreSQL is not installed (no initdb); set DATABASE_URL instead")
    return Path(found).resolve().parent


def _run_as() -> tuple[list[str], int | None, int | None]:
    if os.geteuid() != 0:
        return [], None, None
    try:
        account = pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVER_USER,
            ],
            check=True,
        )
        account = pwd.getpwnam(SERVER_USER)
    command = [
        "setpriv",
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--clear-groups",
    ]
    return command, account.pw_uid, account.pw_gid


@contextmanager
def throwaway_server(settings: Sequence[str] = ()) -> Iterator[str]:
    """Start a PostgreSQL server; yield the URL of its database ``nmt``; stop and delete it.
    ``settings`` are extra server settings as NAME=VALUE (e.g. ``fsync=off``)."""
    bin_dir = _pg_bin()
    run_as, uid, gid = _run_as()
    workdir = Path(tempfile.mkdtemp(prefix="nmt-bench-pg."))
    if uid is not None:
        os.chown(workdir, uid, gid)
    data = workdir / "data"
    port = free_port()
    quiet = {"stdout": subprocess.DEVNULL, "check": True}
    try:
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "nmt",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            **quiet,
        )
        options = " ".join(
            f"-c {setting}"
            for setting in (
                "listen_addresses=127.0.0.1",
                f"port={port}",
                f"unix_socket_directories={workdir}",
                *settings,
            )
        )
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(workdir / "log"),
                "-w",
                "-o",
                options,
                "start",
            ],
            **quiet,
        )
        subprocess.run(
            [*run_as, str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), *NMT_DB],
            **quiet,
        )
        yield f"postgres://nmt@127.0.0.1:{port}/nmt"
    finally:
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextmanager
def scratch_database(url: str, *, keep: bool = False) -> Iterator[str]:
    """A new, empty database in the server of ``url`` (the database named in ``url`` is never
    touched); dropped afterwards unless ``keep``."""
    import psycopg
    from psycopg import sql

    name = f"nmt_bench_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(url, name)
    finally:
        if not keep:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


@contextmanager
def benchmark_database(
    url: str | None, *, keep: bool = False, settings: Sequence[str] = ()
) -> Iterator[str]:
    """The database to benchmark: a scratch database in ``url``'s server, or a throw-away
    server's database (with ``settings``) when no URL is given."""
    if url:
        with scratch_database(url, keep=keep) as scratch:
            yield scratch
    else:
        with throwaway_server(settings) as server_url:
            yield server_url
