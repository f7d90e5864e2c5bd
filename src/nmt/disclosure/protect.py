"""Protect a publication: named tables, each under its own policy, from one set of records."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from nmt.errors import BadInputError

from .ckm import perturb_tabulation
from .policy import DisclosurePolicy
from .recordkeys import DEFAULT_KEY_RANGE, _check_key_range
from .results import ProtectedTable
from .suppression import SuppressionResult, suppress_tabulations
from .tables import TableSpec, cell_id, prepare_records, tabulate


@dataclass(frozen=True)
class Protection:
    """The protected tables of a publication, in the order they were asked for.

    ``suppression`` holds the linked suppression of the tables under a suppression policy
    (with its confidential audit), or None if no table uses suppression.
    """

    tables: Mapping[str, ProtectedTable]
    suppression: SuppressionResult | None

    def __getitem__(self, name: str) -> ProtectedTable:
        return self.tables[name]

    def to_dict(self, *, confidential: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tables": {n: t.to_dict(confidential=confidential) for n, t in self.tables.items()}
        }
        if self.suppression is not None:
            out["suppression"] = {
                "algorithm": self.suppression.algorithm,
                "suppressed_cells": self.suppression.primary_cells
                + self.suppression.secondary_cells,
            }
            if confidential:
                out["suppression"]["audit"] = self.suppression.audit.to_dict()
        return out


def protect_tables(
    records: pd.DataFrame,
    specs: Sequence[TableSpec],
    policies: DisclosurePolicy | Mapping[str, DisclosurePolicy] | None = None,
    *,
    key_column: str = "record_key",
    key_range: int = DEFAULT_KEY_RANGE,
    time_limit: float = 10.0,
) -> Protection:
    """Tabulate and protect every table of a publication under its policy.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per person: the grouping variables and, for CKM, the record-key column.
    specs : sequence of TableSpec
        The tables, with unique names.
    policies : DisclosurePolicy or mapping of table name to policy, optional
        One policy for all tables, or one per table name. Default: the cell key method.
    key_column, key_range
        The record keys (CKM only).
    time_limit : float
        Seconds per optimisation in secondary suppression.

    Returns
    -------
    Protection
        All tables under suppression policies are protected *together*, as linked tables, so that
        a cell withheld in one cannot be recovered from another.

    Raises
    ------
    BadInputError
        Invalid records or policies, or a cell that is withheld under suppression but published
        (perturbed) by a CKM table: the perturbed value would reveal it to within ±D.
    """
    if not specs:
        raise BadInputError("no tables to protect")
    if policies is None:
        policies = DisclosurePolicy(method="ckm")
    if isinstance(policies, DisclosurePolicy):
        chosen = {s.name: policies for s in specs}
    else:
        missing = [s.name for s in specs if s.name not in policies]
        if missing:
            raise BadInputError(f"no disclosure policy for table(s): {', '.join(missing)}")
        chosen = {s.name: policies[s.name] for s in specs}
    uses_ckm = any(p.method == "ckm" for p in chosen.values())
    if uses_ckm:
        _check_key_range(key_range)
    prepared = prepare_records(records, specs, key_column if uses_ckm else None)
    if uses_ckm and (prepared[key_column] >= np.uint64(key_range)).any():
        raise BadInputError(f"record keys must be below the key range {key_range}")

    tabulations = {
        s.name: tabulate(
            prepared,
            s,
            key_column=key_column if chosen[s.name].method == "ckm" else None,
            key_range=key_range,
            prepared=True,
        )
        for s in specs
    }
    suppressed_specs = [s for s in specs if chosen[s.name].method == "suppression"]
    suppression = None
    suppressed_tables: Mapping[str, ProtectedTable] = {}
    withheld: set = set()
    out: dict[str, ProtectedTable] = {}
    if suppressed_specs:
        suppression = suppress_tabulations(
            [tabulations[s.name] for s in suppressed_specs],
            policies={s.name: chosen[s.name] for s in suppressed_specs},
            time_limit=time_limit,
        )
        suppressed_tables = suppression.tables
        withheld = {
            cell_id(c.coordinates)
            for t in suppression.tables.values()
            for c in t.cells
            if c.value is None
        }
    for s in specs:
        if chosen[s.name].method == "ckm":
            table = perturb_tabulation(
                tabulations[s.name], policy=chosen[s.name], key_range=key_range
            )
            clash = [c for c in table.cells if cell_id(c.coordinates) in withheld]
            if clash:
                raise BadInputError(
                    f"table {s.name!r} (cell key method) would publish "
                    f"{len(clash)} cell(s) withheld by suppression in another table, e.g. "
                    f"{dict(clash[0].coordinates)}; use one method for linked tables"
                )
            out[s.name] = table
        else:
            out[s.name] = suppressed_tables[s.name]
    return Protection(tables=out, suppression=suppression)
