"""Encrypted backups of the database, and their restore.

The archive holds a consistent snapshot of the database (SQLite's online backup, or ``pg_dump``'s
custom format for PostgreSQL) sealed with AES-256-GCM in 1 MiB chunks. Each chunk's associated data
names the archive, the chunk's position and whether it is the last, so a reordered, truncated or
altered archive fails to open; a SHA-256 of the snapshot is checked after decryption.

The backup key (``NMT_BACKUP_KEY`` / ``NMT_BACKUP_KEY_FILE``) is separate from the field keys: the
snapshot still holds identifying fields sealed under the field keys, so restoring needs both, and
they must be kept apart from the archives (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection
from django.utils import timezone

from nmt import __version__
from nmt.errors import BadInputError

MAGIC = b"NMTBACKUP1\n"
CHUNK = 1 << 20
NONCE = 12


def _key() -> bytes:
    return hmac.new(settings.BACKUP_KEY.encode("utf-8"), b"nmt-backup", hashlib.sha256).digest()


def _aad(archive_id: str, index: int, last: bool) -> bytes:
    return f"{archive_id}:{index}:{int(last)}".encode()


@dataclass(frozen=True)
class Manifest:
    archive_id: str
    engine: str
    created_at: str
    nmt_version: str
    sha256: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# ---------------------------------------------------------------- snapshots


def _database() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", str(db.get("HOST") or "localhost"), "-p", str(db.get("PORT") or 5432)]
    args += ["-U", str(db.get("USER") or "postgres")]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed (PostgreSQL's client tools are needed)")
    return found


def _snapshot(path: Path) -> None:
    db = _database()
    if _engine() == "sqlite":
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(path)
        with target:
            source.backup(target)
        source.close()
        target.close()
        return
    args, env = _pg_env(db)
    # The arguments come from the settings, not from users.
    subprocess.run(  # noqa: S603
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(path), *args, db["NAME"]],
        check=True,
        env=env,
    )


def _load(path: Path) -> None:
    db = _database()
    connection.close()
    if _engine() == "sqlite":
        target = Path(db["NAME"])
        scratch = target.with_suffix(".restoring")
        shutil.copyfile(path, scratch)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(scratch, target)
        return
    args, env = _pg_env(db)
    subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            db["NAME"],
            *args,
            str(path),
        ],
        check=True,
        env=env,
    )


# ---------------------------------------------------------------- sealing


def _chunks(handle: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    current = handle.read(CHUNK)
    while True:
        following = handle.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def backup(out: Path) -> Manifest:
    """Write an encrypted snapshot of the database to ``out`` (atomically)."""
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="nmt-backup-") as scratch:
        snapshot = Path(scratch) / "snapshot"
        _snapshot(snapshot)
        digest = hashlib.sha256()
        with snapshot.open("rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)
        manifest = Manifest(
            archive_id=os.urandom(8).hex(),
            engine=_engine(),
            created_at=timezone.now().isoformat(),
            nmt_version=__version__,
            sha256=digest.hexdigest(),
            size=snapshot.stat().st_size,
        )
        aead = AESGCM(_key())
        partial = out.with_name(out.name + ".partial")
        header = json.dumps(manifest.to_dict()).encode("utf-8")
        with snapshot.open("rb") as source, partial.open("wb") as target:
            target.write(MAGIC + struct.pack(">I", len(header)) + header)
            for index, (block, last) in enumerate(_chunks(source)):
                nonce = os.urandom(NONCE)
                sealed = aead.encrypt(nonce, block, _aad(manifest.archive_id, index, last))
                target.write(struct.pack(">I", NONCE + len(sealed)) + nonce + sealed)
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    return manifest


def read_manifest(path: Path) -> Manifest:
    with Path(path).open("rb") as handle:
        return _read_header(handle, path)


def _read_header(handle: BinaryIO, path: Path) -> Manifest:
    if handle.read(len(MAGIC)) != MAGIC:
        raise BadInputError(f"{path}: not an NMT backup archive")
    (length,) = struct.unpack(">I", handle.read(4))
    try:
        return Manifest(**json.loads(handle.read(length)))
    except (ValueError, TypeError) as exc:
        raise BadInputError(f"{path}: the archive's header is damaged") from exc


def _decrypt(path: Path, target: Path) -> Manifest:
    aead = AESGCM(_key())
    with Path(path).open("rb") as handle, target.open("wb") as out:
        manifest = _read_header(handle, path)
        digest, index, finished = hashlib.sha256(), 0, False
        while prefix := handle.read(4):
            if finished:
                raise BadInputError(f"{path}: data after the last chunk")
            (length,) = struct.unpack(">I", prefix)
            nonce, sealed = handle.read(NONCE), handle.read(length - NONCE)
            block = None
            for last in (False, True):
                try:
                    block = aead.decrypt(nonce, sealed, _aad(manifest.archive_id, index, last))
                except Exception:  # noqa: S112 - InvalidTag says nothing more, by design
                    continue
                finished = last
                break
            if block is None:
                raise BadInputError(
                    f"{path}: chunk {index} fails authentication (wrong NMT_BACKUP_KEY, or the "
                    "archive was altered)"
                )
            digest.update(block)
            out.write(block)
            index += 1
        if not finished:
            raise BadInputError(f"{path}: the archive is truncated")
        if digest.hexdigest() != manifest.sha256:
            raise BadInputError(f"{path}: the snapshot does not match its checksum")
    return manifest


def restore(path: Path) -> Manifest:
    """Replace the database with the archive's snapshot, after checking it opens completely."""
    with tempfile.TemporaryDirectory(prefix="nmt-restore-") as scratch:
        snapshot = Path(scratch) / "snapshot"
        manifest = _decrypt(Path(path), snapshot)
        if manifest.engine != _engine():
            raise BadInputError(
                f"{path}: a {manifest.engine} backup cannot be restored into {_engine()}"
            )
        _load(snapshot)
    return manifest
