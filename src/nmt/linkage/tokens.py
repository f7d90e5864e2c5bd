"""Keyed tokens: linkage without names or numbers leaving the agency that holds them.

Each agency derives the linkage features of its list (:mod:`nmt.linkage.features`) and replaces
every key by ``HMAC-SHA256(secret, domain || 0x1f || key)``, truncated to 96 bits and written
in URL-safe base64 (RFC 2104; NIST SP 800-107 allows truncation to this length). The domain
keeps, say, a given name and a birth date that happen to be equal strings apart, while features
compared with one another share a domain. Set features become sets of tokens. The linking party
receives token files only and runs the same model on them: equality and overlap of keys are
preserved exactly, so the links are the same as on plaintext.

What a holder of a token file learns, and why the linking party must not hold the key, is
written down in ``docs/linkage.md`` (section "Privacy-preserving mode").
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import os
import re
import secrets
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from nmt.errors import BadInputError, Problem
from nmt.linkage.features import FEATURES, GRAM_BITS, GRAM_DOMAIN
from nmt.linkage.lists import MAX_PROBLEMS_PER_COLUMN, read_table

__all__ = [
    "KEY_BYTES",
    "TOKEN_FORMAT",
    "create_key",
    "is_token_file",
    "key_id",
    "load_key",
    "read_tokens",
    "tokenize_features",
    "write_tokens",
]

#: Version of the token file format; part of every file's ``key_id`` column.
TOKEN_FORMAT = "nmt-tokens-4"  # noqa: S105 (a format name, not a secret)
KEY_BYTES = 32
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16}$")
_POSITION = re.compile(r"^g[0-9]{3}$")
_SET_SEPARATOR = " "


def create_key(path: str | Path) -> bytes:
    """Write a new random 256-bit key to ``path`` (hex, mode 0600) and return it.

    Raises
    ------
    BadInputError
        If the file exists: overwriting a shared key would silently break every later link.
    """
    path = Path(path)
    key = secrets.token_bytes(KEY_BYTES)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BadInputError("the key file exists already; it is not overwritten", path) from None
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


def load_key(path: str | Path) -> bytes:
    """Read a key file: at least 32 bytes, written as hexadecimal.

    Raises
    ------
    BadInputError
        If the file is missing, not hexadecimal or too short.
    """
    try:
        text = Path(path).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise BadInputError(
            "the key file does not exist (create one with --new-key)", path
        ) from None
    except (OSError, UnicodeDecodeError):
        raise BadInputError("the key file is not a readable hexadecimal key", path) from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        raise BadInputError("the key file is not hexadecimal", path) from None
    if len(key) < KEY_BYTES:
        raise BadInputError(f"the key has {len(key)} bytes; at least {KEY_BYTES} are needed", path)
    return key


def key_id(key: bytes) -> str:
    """A fingerprint that tells whether two token files used the same key, and nothing more.

    An HMAC of a fixed label, so it reveals nothing about the key and cannot be used to make
    tokens.
    """
    digest = hmac.new(key, b"nmt-linkage key check", hashlib.sha256).digest()
    return f"{TOKEN_FORMAT}:{digest[:8].hex()}"


def _tokenizer(key: bytes, domain: str):
    prefix = domain.encode("utf-8") + b"\x1f"
    cache: dict[str, str] = {}
    folded = domain == GRAM_DOMAIN

    def token(value: str) -> str:
        if value not in cache:
            digest = hmac.new(key, prefix + value.encode("utf-8"), hashlib.sha256).digest()
            if folded:
                # A bigram becomes its keyed position among GRAM_BITS bits (a keyed Bloom filter
                # with one hash function): each position stands for several bigrams, so a
                # token file holds no token per bigram to count and map back to letters.
                position = int.from_bytes(digest[:8], "big") % GRAM_BITS
                cache[value] = f"g{position:03d}"
            else:
                cache[value] = base64.urlsafe_b64encode(digest[:12]).decode("ascii")
        return cache[value]

    return token


def tokenize_features(features: pd.DataFrame, key: bytes, *, bigrams: bool = True) -> pd.DataFrame:
    """Replace every key of a feature table by its keyed token.

    Parameters
    ----------
    features : pandas.DataFrame
        From :func:`nmt.linkage.features.feature_table`.
    key : bytes
        The shared secret.
    bigrams : bool
        Whether to keep the names' bigram positions; without them the columns are empty and
        linkage compares names by their exact keys only.

    Returns
    -------
    pandas.DataFrame
        Same columns and rows; ``unique_id`` (the agency's record id) is kept, since the
        agency needs it to act on the result, and ``source_dataset`` too. Sets of keys become
        sorted lists of tokens.
    """
    out = pd.DataFrame(
        {
            "source_dataset": features["source_dataset"].astype(object),
            "unique_id": features["unique_id"].astype(object),
        }
    )
    for feature in FEATURES:
        token = _tokenizer(key, feature.domain)
        column_in = features[feature.name]
        if feature.domain == GRAM_DOMAIN and not bigrams:
            out[feature.name] = pd.Series([None] * len(out), index=out.index, dtype=object)
            continue
        values = (
            pa.array(column_in).to_pylist()
            if isinstance(column_in.dtype, pd.ArrowDtype)
            else [None if v is None or v is pd.NA else v for v in column_in.tolist()]
        )
        if feature.is_set:
            cache: dict[tuple[str, ...], list[str] | None] = {}
            column = []
            for keys in values:
                if not isinstance(keys, list | tuple) or len(keys) == 0:
                    column.append(None)
                    continue
                group = tuple(keys)
                if group not in cache:
                    cache[group] = sorted({token(k) for k in group})
                column.append(cache[group])
        else:
            column = [token(v) if isinstance(v, str) else None for v in values]
        out[feature.name] = pd.Series(column, index=out.index, dtype=object)
    return out


def write_tokens(tokens: pd.DataFrame, key: bytes, path: str | Path) -> None:
    """Write a token table as CSV: ``record_id``, ``key_id`` and one column per feature.

    Set features are written as space-separated tokens; missing values are empty.
    """
    frame = pd.DataFrame({"record_id": tokens["unique_id"], "key_id": key_id(key)})
    for feature in FEATURES:
        column = tokens[feature.name]
        if feature.is_set:
            frame[feature.name] = column.map(
                lambda v: _SET_SEPARATOR.join(v) if isinstance(v, list) else ""
            )
        else:
            frame[feature.name] = column.fillna("")
    frame.to_csv(path, index=False, lineterminator="\n")


def is_token_file(path: str | Path) -> bool:
    """Whether a file is a token file (its header has ``key_id``), judged by its first line."""
    if Path(path).suffix.lower() != ".csv":
        return False
    try:
        with open(path, "rb") as handle:
            first = handle.readline(65536)
    except OSError:
        return False
    text = first.decode("utf-8-sig", errors="replace").strip()
    return "key_id" in [cell.strip() for cell in next(csv.reader(io.StringIO(text)), [])]


def read_tokens(path: str | Path, *, source: str) -> tuple[pd.DataFrame, str]:
    """Read and check a token file written by :func:`write_tokens`.

    Returns
    -------
    (pandas.DataFrame, str)
        The token table in the form :func:`nmt.linkage.model.link_features` takes, and the
        file's key id.

    Raises
    ------
    BadInputError
        Naming every problem: missing or unknown columns, tokens of the wrong form, several
        key ids, duplicate or empty record ids.
    """
    table = read_table(path)
    where = table.path
    problems: list[Problem] = []
    expected = ["record_id", "key_id", *(f.name for f in FEATURES)]
    header = [h.strip() for h in table.header]
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    for column in missing:
        problems.append(Problem(f"the token file lacks column {column!r}", where, 1, column))
    for column in unknown:
        problems.append(Problem("unknown column in a token file", where, 1, column))
    if problems:
        raise BadInputError(problems)
    position = {name: header.index(name) for name in expected}
    per_column: dict[str, int] = {}

    def bad(message: str, line: int, column: str) -> None:
        per_column[column] = per_column.get(column, 0) + 1
        if per_column[column] <= MAX_PROBLEMS_PER_COLUMN:
            problems.append(Problem(message, where, line, column))

    lines = table.lines
    record_ids = [cell.strip() for cell in table.column(position["record_id"])]
    if len(set(record_ids)) != len(record_ids) or "" in record_ids:
        ids: dict[str, int] = {}
        for line, record_id in zip(lines, record_ids, strict=True):
            if not record_id:
                bad("record_id is empty", line, "record_id")
            elif record_id in ids:
                bad(f"record_id {record_id!r} repeats line {ids[record_id]}", line, "record_id")
            else:
                ids[record_id] = line
    key_ids: dict[str, int] = {}
    for line, kid in zip(lines, table.column(position["key_id"]), strict=True):
        key_ids.setdefault(kid.strip(), line)
    columns: dict[str, list[Any]] = {}
    for feature in FEATURES:
        cells = table.column(position[feature.name])
        parsed: dict[str, Any] = {}
        for text in set(cells):
            value = text.strip()
            parts = value.split(_SET_SEPARATOR) if (feature.is_set and value) else [value]
            form = _POSITION if feature.domain == GRAM_DOMAIN else _TOKEN
            ok = not value or all(form.match(v) for v in parts)
            if feature.is_set:
                parsed[text] = (sorted(parts) if value else None, ok)
            else:
                parsed[text] = (value or None, ok)
        if not all(ok for _, ok in parsed.values()):
            for line, text in zip(lines, cells, strict=True):
                if not parsed[text][1]:
                    bad(
                        "not a bigram position (g and three digits)"
                        if feature.domain == GRAM_DOMAIN
                        else "not a token (16 URL-safe base64 characters)",
                        line,
                        feature.name,
                    )
        columns[feature.name] = [parsed[text][0] for text in cells]
    if len(key_ids) > 1:
        lines = ", ".join(f"{k!r} from line {n}" for k, n in key_ids.items())
        problems.append(Problem(f"rows were tokenised with different keys: {lines}", where))
    kid = next(iter(key_ids), "")
    if key_ids and not kid.startswith(TOKEN_FORMAT + ":"):
        problems.append(
            Problem(f"key_id {kid!r} is not of format {TOKEN_FORMAT}", where, None, "key_id")
        )
    for column, count in per_column.items():
        if count > MAX_PROBLEMS_PER_COLUMN:
            problems.append(
                Problem(f"and {count - MAX_PROBLEMS_PER_COLUMN} more", where, None, column)
            )
    if problems:
        raise BadInputError(problems)
    frame = pd.DataFrame({"source_dataset": source, "unique_id": record_ids})
    for feature in FEATURES:
        frame[feature.name] = pd.Series(columns[feature.name], dtype=object)
    return frame, kid
