"""Capture tables: how many persons were seen on each combination of lists.

A table with ``t`` lists has ``2**t - 1`` observable cells (capture patterns); the all-zero pattern,
the persons no list has found, is what multiple systems estimation estimates. Cells are indexed by
the bit code of their pattern: list ``j`` (0-based, in column order) is bit ``j``, and cell ``c``
(``1 <= c < 2**t``) is stored at position ``c - 1`` of :attr:`CaptureTable.counts`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nmt.errors import BadInputError, Problem

MIN_LISTS = 2
MAX_LISTS = 15
COUNT_COLUMN = "count"
# One run reports every problem, but a file of garbage should not produce a million lines.
MAX_PROBLEMS = 50
# Far above any population; keeps every sum of cells within 64 bits.
MAX_COUNT = 10**12

_INTEGER = re.compile(r"^[+-]?\d+(\.0*)?$")


@dataclass(frozen=True, eq=False)
class CaptureTable:
    """Counts of persons by capture pattern.

    Parameters
    ----------
    lists : tuple of str
        List names in column order; list ``j`` is bit ``j`` of a cell code.
    counts : numpy.ndarray
        Integer counts of length ``2**t - 1``; ``counts[c - 1]`` is the number of persons whose
        pattern has code ``c``. Patterns absent from the input count 0.
    source : str, optional
        Where the table came from (a file name), for messages.
    """

    lists: tuple[str, ...]
    counts: np.ndarray
    source: str | None = field(default=None)

    def __post_init__(self) -> None:
        counts = np.asarray(self.counts, dtype=np.int64)
        t = len(self.lists)
        if counts.shape != (2**t - 1,):
            raise ValueError(f"{t} lists need {2**t - 1} cell counts, got shape {counts.shape}")
        if (counts < 0).any():
            raise ValueError("cell counts must be non-negative")
        counts.setflags(write=False)
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "lists", tuple(self.lists))

    @property
    def t(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """Number of persons on at least one list (``n``)."""
        return int(self.counts.sum())

    def patterns(self) -> np.ndarray:
        """The 0/1 pattern of every cell, shape ``(2**t - 1, t)``, in cell-code order."""
        return cell_patterns(self.t)

    def list_totals(self) -> dict[str, int]:
        """How many persons each list holds."""
        pats = self.patterns()
        return {name: int(self.counts[pats[:, j] == 1].sum()) for j, name in enumerate(self.lists)}

    def with_counts(self, counts: np.ndarray) -> CaptureTable:
        """The same lists with other counts (a bootstrap or jackknife replicate)."""
        return CaptureTable(self.lists, counts, self.source)

    def to_dict(self) -> dict[str, Any]:
        """The observed (non-zero) patterns, for JSON."""
        pats = self.patterns()
        rows = [
            {"pattern": "".join(str(v) for v in pats[i]), "count": int(c)}
            for i, c in enumerate(self.counts)
            if c > 0
        ]
        return {"lists": list(self.lists), "observed": self.observed, "cells": rows}


def cell_patterns(t: int) -> np.ndarray:
    """0/1 matrix of the ``2**t - 1`` observable patterns in cell-code order."""
    codes = np.arange(1, 2**t, dtype=np.int64)
    return ((codes[:, None] >> np.arange(t)) & 1).astype(np.int8)


def table_from_patterns(
    lists: Sequence[str], patterns: Iterable[Sequence[int]], counts: Iterable[int]
) -> CaptureTable:
    """Build a table from 0/1 patterns and their counts (repeated patterns are added up)."""
    t = len(lists)
    cells = np.zeros(2**t - 1, dtype=np.int64)
    weights = 1 << np.arange(t)
    for pattern, count in zip(patterns, counts, strict=True):
        code = int(np.dot(np.asarray(pattern, dtype=np.int64), weights))
        if code == 0:
            raise ValueError("the all-zero pattern cannot be observed")
        cells[code - 1] += int(count)
    return CaptureTable(tuple(lists), cells)


def read_capture_table(path: str | Path) -> CaptureTable:
    """Read a capture table from a CSV file.

    Two forms are accepted. The aggregated form of DESIGN.md has one 0/1 column per list and a
    ``count`` column, one row per observed pattern (absent patterns count 0; zero-count rows are
    allowed). The per-person form has only the 0/1 list columns, one row per person.

    Raises
    ------
    nmt.errors.BadInputError
        With every problem found, each naming the file, line and column.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInputError("no such file", path=path) from None
    except UnicodeDecodeError:
        raise BadInputError("not a UTF-8 text file", path=path) from None
    except OSError as exc:
        raise BadInputError(f"cannot read: {exc.strerror}", path=path) from None
    return parse_capture_table(text, source=str(path))


def parse_capture_table(text: str, source: str | None = None) -> CaptureTable:
    """Parse the CSV text of a capture table; see :func:`read_capture_table`."""
    problems: list[Problem] = []

    def problem(message: str, line: int | None = None, column: str | None = None) -> None:
        problems.append(Problem(message, path=source, line=line, field=column))

    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise BadInputError(
            [Problem(f"not valid CSV: {exc}", path=source, line=reader.line_num)]
        ) from None
    # csv gives one row per physical line here (no quoted newlines in a capture table).
    numbered = [(i + 1, row) for i, row in enumerate(rows) if any(cell.strip() for cell in row)]
    if not numbered:
        raise BadInputError([Problem("empty file: no header and no rows", path=source)])
    header_line, header = numbered[0]
    names = [name.strip() for name in header]
    has_count = any(name.lower() == COUNT_COLUMN for name in names)
    for j, name in enumerate(names):
        if not name:
            problem(f"column {j + 1} has no name", header_line)
    seen: set[str] = set()
    for name in names:
        if name and name.lower() in seen:
            problem("column name appears more than once", header_line, name)
        seen.add(name.lower())
    if has_count and names[-1].lower() != COUNT_COLUMN:
        problem("the count column must be the last column", header_line, COUNT_COLUMN)
    list_names = names[:-1] if has_count else names
    if len(list_names) < MIN_LISTS:
        problem(f"a capture table needs at least {MIN_LISTS} lists, found {len(list_names)}")
    if len(list_names) > MAX_LISTS:
        problem(f"at most {MAX_LISTS} lists are supported, found {len(list_names)}")
    if problems:
        raise BadInputError(problems)

    t = len(list_names)
    weights = 1 << np.arange(t)
    cells = np.zeros(2**t - 1, dtype=np.int64)
    first_line_of: dict[int, int] = {}
    for line, row in numbered[1:]:
        if len(problems) >= MAX_PROBLEMS:
            problem("too many problems; stopped checking")
            break
        values = [cell.strip() for cell in row]
        if len(values) != len(names):
            problem(f"expected {len(names)} fields, found {len(values)}", line)
            continue
        pattern = []
        row_ok = True
        for name, value in zip(list_names, values, strict=False):
            if value not in ("0", "1"):
                problem(f"expected 0 or 1, found {value!r}", line, name)
                row_ok = False
            else:
                pattern.append(int(value))
        count = 1
        if has_count:
            raw = values[-1]
            if not _INTEGER.match(raw):
                problem(f"expected a whole number of persons, found {raw!r}", line, COUNT_COLUMN)
                row_ok = False
            else:
                digits = raw.split(".", 1)[0]
                # int() refuses strings of over 4,300 digits; anything over 13 is too many.
                count = int(digits) if len(digits.lstrip("+-")) <= 13 else MAX_COUNT + 1
                if count < 0:
                    problem(f"a count cannot be negative, found {raw!r}", line, COUNT_COLUMN)
                    row_ok = False
                elif count > MAX_COUNT:
                    problem(f"a count above {MAX_COUNT:,} is not plausible", line, COUNT_COLUMN)
                    row_ok = False
        if not row_ok:
            continue
        code = int(np.dot(pattern, weights))
        if code == 0:
            problem("the all-zero pattern (on no list) cannot be observed", line)
            continue
        if has_count and code in first_line_of:
            problem(f"pattern repeated (first given on line {first_line_of[code]})", line)
            continue
        first_line_of.setdefault(code, line)
        cells[code - 1] += count
    if not problems and len(numbered) == 1:
        problem("the table has no rows")
    elif not problems and cells.sum() == 0:
        problem("the table has no observed persons (every count is 0)")
    if problems:
        raise BadInputError(problems)
    return CaptureTable(tuple(list_names), cells, source)
