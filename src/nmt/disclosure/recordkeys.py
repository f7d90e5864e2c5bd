"""Permanent record keys and cell keys for the cell key method.

Every person gets one record key, a uniform integer in ``0 .. key_range - 1``, for good: it is
derived from a keyed hash (HMAC-SHA-256) of a stable, pseudonymous person id, so the same person has
the same key in every table, every run and every year, without a key register to keep. A cell's key
is the sum of the record keys of the persons counted in it, modulo ``key_range``; it is therefore
uniform as soon as the cell holds one person, and two cells holding the same persons (a margin in
two tables, the same table made twice) have the same key and thus the same perturbation.

The secret must be kept like any other key: whoever holds it and knows which persons are in a cell
can compute its cell key and undo the perturbation.

References
----------
Fraser, B. and Wooton, J. (2005). A proposed method for confidentialising tabular output to protect
against differencing. UNECE/Eurostat Work Session on Statistical Data Confidentiality.
Office for National Statistics (2021). Census 2021 statistical disclosure control: the cell key
method ("record keys" assigned once per person).
Krawczyk, H., Bellare, M. and Canetti, R. (1997). HMAC: Keyed-hashing for message authentication,
RFC 2104.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable

import numpy as np
import pandas as pd

from nmt.errors import BadInputError

DEFAULT_KEY_RANGE = 2**32
"""Record and cell keys lie in ``0 .. 2**32 - 1``: fine enough that the ptable's probabilities
are reproduced to within 2**-32, rather than the 1/256 steps of an 8-bit key."""

MIN_SECRET_BYTES = 16


def _check_key_range(key_range: int) -> None:
    # A power of two makes the hash-to-key reduction unbiased and lets unsigned 64-bit sums wrap
    # around without changing the sum modulo the range.
    if (
        not isinstance(key_range, int)
        or key_range < 2**8
        or key_range > 2**32
        or key_range & (key_range - 1)
    ):
        raise BadInputError("key_range must be a power of two between 2**8 and 2**32")


def record_keys(
    person_ids: Iterable[object], *, secret: bytes, key_range: int = DEFAULT_KEY_RANGE
) -> np.ndarray:
    """Permanent record keys for the given stable person ids.

    Parameters
    ----------
    person_ids : iterable
        Stable pseudonymous ids (e.g. the linkage's person token); converted with ``str``.
    secret : bytes
        The HMAC key, at least 16 bytes, kept secret and unchanged across years.
    key_range : int
        A power of two from 2**8 to 2**32; the keys are uniform on ``0 .. key_range - 1``.

    Returns
    -------
    numpy.ndarray
        ``uint64`` keys, one per id, in the same order.
    """
    _check_key_range(key_range)
    if not isinstance(secret, bytes | bytearray) or len(secret) < MIN_SECRET_BYTES:
        raise BadInputError(f"the record-key secret must be at least {MIN_SECRET_BYTES} bytes")
    ids = list(person_ids)
    if any(pid is None or _is_nan(pid) or str(pid) == "" for pid in ids):
        raise BadInputError("every person needs a non-empty id to get a record key")
    key = bytes(secret)
    digests = np.fromiter(
        (
            int.from_bytes(hmac.digest(key, str(pid).encode("utf-8"), "sha256")[:8], "big")
            for pid in ids
        ),
        dtype=np.uint64,
        count=len(ids),
    )
    return digests % np.uint64(key_range)


def _is_nan(value: object) -> bool:
    return value is pd.NA or (isinstance(value, float) and value != value)


def with_record_keys(
    records: pd.DataFrame,
    *,
    id_column: str,
    secret: bytes,
    key_column: str = "record_key",
    key_range: int = DEFAULT_KEY_RANGE,
) -> pd.DataFrame:
    """A copy of ``records`` with a record-key column derived from ``id_column``."""
    if id_column not in records.columns:
        raise BadInputError(f"no column {id_column!r} with person ids", path=None)
    out = records.copy()
    out[key_column] = record_keys(records[id_column], secret=secret, key_range=key_range)
    return out


def cell_key(keys: Iterable[int] | np.ndarray, key_range: int = DEFAULT_KEY_RANGE) -> int:
    """The cell key of a cell holding the persons with these record keys."""
    _check_key_range(key_range)
    total = np.asarray(list(keys) if not isinstance(keys, np.ndarray) else keys, dtype=np.uint64)
    # uint64 sums wrap modulo 2**64, a multiple of key_range, so the result is exact.
    return int(total.sum(dtype=np.uint64) % np.uint64(key_range))
