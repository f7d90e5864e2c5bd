"""Frequency tables of persons, with every margin, built from person-level records.

A table is declared by a :class:`TableSpec`: a name and grouping variables. Tabulating it gives one
cell for every combination of categories *and* of the total ``TOTAL`` over each variable, so a
``sex × age`` table has its interior cells, the sex margin, the age margin and the grand total.

A cell is identified across tables by the categories it fixes, ignoring totals: the cell
``sex=kvinna, age=TOTAL`` of ``sex × age`` and the cell ``sex=kvinna, purpose=TOTAL`` of
``sex × purpose`` are the same statistic ("women"). That is what makes tables *linked* and is how
both the cell key method (same persons, same perturbation) and secondary suppression (shared
margins constrain both tables) see them.

A *multi-valued* variable (e.g. purposes of exploitation) holds a collection per person; a person is
counted once in each of their categories and once in the total, so the parts may add up to more
than the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, product
from typing import Any

import numpy as np
import pandas as pd

from nmt.errors import BadInputError, Problem

TOTAL = "_T"
"""The category of a margin: the total over a variable (SDMX's code for "total")."""

CellId = tuple[tuple[str, Any], ...]
"""A cell's identity across tables: the (variable, category) pairs it fixes, sorted by variable."""


@dataclass(frozen=True)
class TableSpec:
    """A table to publish: grouping variables over the person records.

    Parameters
    ----------
    name : str
        The table's name, unique within a publication (e.g. ``"sex_by_age"``).
    variables : sequence of str
        Grouping variables (columns of the records), in display order.
    multi_valued : collection of str
        Those variables whose values are collections (a person may have several).
    categories : mapping of variable to sequence, optional
        The full list of categories of a variable, in display order. Categories without persons
        become zero cells; values outside the list are an error. Without it, the categories are
        those observed, sorted.
    """

    name: str
    variables: tuple[str, ...]
    multi_valued: frozenset[str] = frozenset()
    categories: tuple[tuple[str, tuple[Any, ...]], ...] = field(default=())

    def __init__(
        self,
        name: str,
        variables: Sequence[str],
        multi_valued: Iterable[str] = (),
        categories: Mapping[str, Sequence[Any]] | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "variables", tuple(variables))
        object.__setattr__(self, "multi_valued", frozenset(multi_valued))
        object.__setattr__(
            self,
            "categories",
            tuple((v, tuple(c)) for v, c in (categories or {}).items()),
        )
        self._validate()

    def _validate(self) -> None:
        problems = []
        if not isinstance(self.name, str) or not self.name.strip():
            problems.append("a table needs a non-empty name")
        if not self.variables:
            problems.append(f"table {self.name!r} needs at least one grouping variable")
        if len(set(self.variables)) != len(self.variables):
            problems.append(f"table {self.name!r} repeats a grouping variable")
        for v in self.multi_valued:
            if v not in self.variables:
                problems.append(
                    f"table {self.name!r}: multi-valued {v!r} is not a grouping variable"
                )
        for v, cats in self.categories:
            if v not in self.variables:
                problems.append(f"table {self.name!r}: categories given for unknown variable {v!r}")
            if TOTAL in cats:
                problems.append(f"table {self.name!r}: {TOTAL!r} is reserved for totals")
            if len(set(cats)) != len(cats):
                problems.append(f"table {self.name!r}: categories of {v!r} repeat")
        if problems:
            raise BadInputError(problems)

    def declared_categories(self, variable: str) -> tuple[Any, ...] | None:
        for v, cats in self.categories:
            if v == variable:
                return cats
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "variables": list(self.variables),
            "multi_valued": sorted(self.multi_valued),
            "categories": {v: [_plain(c) for c in cats] for v, cats in self.categories},
        }


def _plain(value: Any) -> Any:
    """A JSON-friendly version of a category (numpy scalars become Python scalars)."""
    return value.item() if isinstance(value, np.generic) else value


def cell_id(coordinates: Sequence[tuple[str, Any]]) -> CellId:
    """The identity of a cell across tables: its non-total coordinates, sorted by variable."""
    return tuple(sorted(((v, c) for v, c in coordinates if c != TOTAL), key=lambda vc: vc[0]))


def _as_collection(value: Any) -> tuple[Any, ...] | None:
    """A person's categories as a tuple without repeats; None if there are none."""
    if type(value) is tuple or type(value) is list:  # the common case, checked first for speed
        return (tuple(dict.fromkeys(value)) if len(value) > 1 else tuple(value)) or None
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        return None if _missing(value) else (value,)
    seen = dict.fromkeys(value)
    return tuple(seen) if seen else None


def _missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _sorted_categories(values: Iterable[Any]) -> tuple[Any, ...]:
    unique = list(dict.fromkeys(values))
    try:
        return tuple(sorted(unique))
    except TypeError:
        return tuple(unique)


@dataclass(frozen=True)
class Tabulation:
    """Counts (and cell keys) for every cell of a table, margins included.

    ``cells`` has one column per variable (a category or :data:`TOTAL`), ``count`` and, when record
    keys were given, ``cell_key``.
    """

    spec: TableSpec
    categories: tuple[tuple[str, tuple[Any, ...]], ...]
    cells: pd.DataFrame = field(compare=False, repr=False)

    def categories_of(self, variable: str) -> tuple[Any, ...]:
        return dict(self.categories)[variable]


def prepare_records(
    records: pd.DataFrame, specs: Sequence[TableSpec], key_column: str | None = None
) -> pd.DataFrame:
    """Validate the records for these tables and normalise multi-valued columns to tuples."""
    if not isinstance(records, pd.DataFrame):
        raise BadInputError("records must be a pandas DataFrame")
    problems: list[Problem] = []
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        problems.append(Problem("table names must be unique"))
    multi: set[str] = set()
    single: set[str] = set()
    for spec in specs:
        for v in spec.variables:
            (multi if v in spec.multi_valued else single).add(v)
    for v in sorted(multi & single):
        problems.append(Problem("is multi-valued in one table but not in another", field=v))
    for v in sorted(multi | single):
        if v not in records.columns:
            problems.append(Problem("no such column in the records", field=v))
    if key_column is not None and key_column not in records.columns:
        problems.append(Problem("no record-key column in the records", field=key_column))
    if problems:
        raise BadInputError(problems)
    out = records.reset_index(drop=True)
    out = out[[*sorted(multi | single), *([key_column] if key_column else [])]].copy()
    for v in sorted(single):
        bad = out[v].isna()
        if bad.any():
            problems.append(
                Problem(
                    f"{int(bad.sum())} record(s) have no value; code them as 'unknown' so they "
                    "are counted in the parts as well as the totals",
                    field=v,
                )
            )
        if (out[v] == TOTAL).any():
            problems.append(Problem(f"{TOTAL!r} is reserved for totals", field=v))
    for v in sorted(multi):
        normalised = [_as_collection(x) for x in out[v]]
        empty = sum(t is None for t in normalised)
        if empty:
            problems.append(
                Problem(f"{empty} record(s) have no value; code them as 'unknown'", field=v)
            )
        elif any(TOTAL in t for t in normalised):
            problems.append(Problem(f"{TOTAL!r} is reserved for totals", field=v))
        out[v] = pd.Series(normalised, index=out.index, dtype=object)
    if key_column is not None and not problems:
        keys = out[key_column]
        if keys.isna().any() or not pd.api.types.is_integer_dtype(keys):
            problems.append(
                Problem("record keys must be integers, one per record", field=key_column)
            )
        elif (keys < 0).any():
            problems.append(Problem("record keys cannot be negative", field=key_column))
        else:
            out[key_column] = keys.astype(np.uint64)
    if problems:
        raise BadInputError(problems)
    return out


def tabulate(
    records: pd.DataFrame,
    spec: TableSpec,
    *,
    key_column: str | None = None,
    key_range: int | None = None,
    prepared: bool = False,
) -> Tabulation:
    """Count persons in every cell and margin of ``spec``; with record keys, add cell keys.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per person.
    spec : TableSpec
        The table.
    key_column : str, optional
        Column of record keys; when given, each cell's key (sum of its persons' record keys modulo
        ``key_range``) is added as ``cell_key``.
    key_range : int, optional
        The record-key range (a power of two); required with ``key_column``.
    prepared : bool
        The records were already validated by :func:`prepare_records`.
    """
    if not prepared:
        records = prepare_records(records, [spec], key_column)
    if key_column is not None and key_range is None:
        raise BadInputError("key_range is required with record keys")
    categories: list[tuple[str, tuple[Any, ...]]] = []
    codes: list[np.ndarray] = []
    problems = []
    # Multi-valued columns as (lengths, flat values): person i owns flat[offsets[i]:offsets[i+1]].
    lengths: dict[str, np.ndarray] = {}
    for v in spec.variables:
        if v in spec.multi_valued:
            lengths[v] = np.fromiter(map(len, records[v]), dtype=np.int64, count=len(records))
            values = pd.Series(list(chain.from_iterable(records[v])), dtype=object)
        else:
            values = records[v]
        observed = _sorted_categories(pd.unique(values))
        declared = spec.declared_categories(v)
        if declared is not None:
            unknown = [c for c in observed if c not in set(declared)]
            if unknown:
                problems.append(
                    Problem(
                        f"table {spec.name!r}: values not among the declared categories: "
                        f"{', '.join(map(str, unknown[:10]))}",
                        field=v,
                    )
                )
            cats = tuple(declared)
        else:
            cats = observed
        categories.append((v, cats))
        if not problems:
            codes.append(_codes(values, cats))
    if problems:
        raise BadInputError(problems)

    n = len(records)
    record_key = records[key_column].to_numpy(dtype=np.uint64) if key_column else None
    sizes = [len(cats) + 1 for _, cats in categories]  # the last position of each is TOTAL
    strides = [int(np.prod(sizes[i + 1 :], dtype=np.int64)) for i in range(len(sizes))]
    full_counts = np.zeros(int(np.prod(sizes, dtype=np.int64)), dtype=np.int64)
    full_keys = np.zeros(len(full_counts), dtype=np.uint64)
    n_vars = len(spec.variables)
    for mask in range(2**n_vars):
        subset = [i for i in range(n_vars) if mask >> i & 1]
        owner = np.arange(n)  # the person behind each counting unit
        combined = np.zeros(n, dtype=np.int64)
        for i in subset:
            v = spec.variables[i]
            radix = len(categories[i][1])
            if v in spec.multi_valued:
                # One unit per (unit, category of v): a person is counted once per category.
                reps = lengths[v][owner]
                offsets = np.concatenate([[0], np.cumsum(lengths[v])])
                starts = np.repeat(offsets[owner], reps)
                within = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
                combined = np.repeat(combined, reps)
                owner = np.repeat(owner, reps)
                combined = combined * radix + codes[i][starts + within]
            else:
                combined = combined * radix + codes[i][owner]
        size = int(np.prod([len(categories[i][1]) for i in subset], dtype=np.int64))
        counts = np.bincount(combined, minlength=size)
        # Where each combination of the subset sits among all cells (TOTAL elsewhere).
        position = np.zeros(size, dtype=np.int64)
        rest = np.arange(size)
        for i in reversed(subset):
            radix = len(categories[i][1])
            position += rest % radix * strides[i]
            rest //= radix
        position += sum(strides[i] * (sizes[i] - 1) for i in range(n_vars) if i not in subset)
        full_counts[position] = counts
        if record_key is not None:
            keys = record_key[owner]
            # Exact sums in float64: 16-bit halves of the keys sum to far below 2**53.
            low = np.bincount(combined, weights=keys & np.uint64(0xFFFF), minlength=size)
            high = np.bincount(combined, weights=keys >> np.uint64(16), minlength=size)
            total = (high.astype(np.uint64) << np.uint64(16)) + low.astype(np.uint64)
            full_keys[position] = total % np.uint64(key_range)

    cells = pd.DataFrame(
        list(product(*[(*cats, TOTAL) for _, cats in categories])), columns=list(spec.variables)
    )
    cells["count"] = full_counts
    if record_key is not None:
        cells["cell_key"] = full_keys
    return Tabulation(spec=spec, categories=tuple(categories), cells=cells)


def _codes(values: pd.Series, categories: tuple[Any, ...]) -> np.ndarray:
    """Position of each value among ``categories`` (all values are among them)."""
    lookup = {c: i for i, c in enumerate(categories)}
    inverse, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray([lookup[u] for u in uniques], dtype=np.int64)[inverse]
