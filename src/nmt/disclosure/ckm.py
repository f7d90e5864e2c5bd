"""The cell key method (CKM) for frequency tables of persons.

Each cell, margins included, is perturbed on its own: its cell key (sum of its persons' permanent
record keys modulo the key range) and its true count select a deviation from the ptable, and the
published value is ``count + deviation``. Consequences, all by construction:

* the same persons give the same published value in every table and every run (consistency), so
  asking for a cell again, or in another table, reveals nothing new;
* every deviation is at most ``D`` in size, has mean 0, and variance ``V`` (at most ``V`` for
  counts just above the blocked range); empty cells stay 0; the counts ``1 .. js`` never appear;
* parts need not add up to their totals, because each total is perturbed independently of its
  parts (see :data:`nmt.disclosure.presentation.NONADDITIVITY_STATEMENT`).

What it does not guarantee: perturbation is a risk reduction, not a proof of non-disclosure. Many
different tables over overlapping sets of persons give many noisy views whose differences an
attacker can average; keep the set of published tables fixed and reviewed.

References
----------
Fraser, B. and Wooton, J. (2005). A proposed method for confidentialising tabular output to protect
against differencing. UNECE/Eurostat Work Session on Statistical Data Confidentiality.
Office for National Statistics (2021). Protecting personal data in Census 2021 results.
Statistics Sweden (2025). Skyddsmetoder för röjandekontroll (CKM in population statistics).
Hundepool, A. et al. (2012). Statistical Disclosure Control, Wiley, chapter 5.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd

from nmt.errors import BadInputError

from .policy import DisclosurePolicy
from .ptable import PTable, PTableParameters, build_ptable
from .recordkeys import DEFAULT_KEY_RANGE, _check_key_range
from .results import Flag, ProtectedCell, ProtectedTable
from .tables import TableSpec, Tabulation, prepare_records, tabulate


@cache
def ptable_for(parameters: PTableParameters) -> PTable:
    """The ptable for these parameters (built once per process)."""
    return build_ptable(parameters)


def perturb_tabulation(
    tabulation: Tabulation, *, policy: DisclosurePolicy, key_range: int = DEFAULT_KEY_RANGE
) -> ProtectedTable:
    """Apply the cell key method to a tabulation that carries cell keys."""
    if policy.method != "ckm":
        raise BadInputError(f"policy method is {policy.method!r}, not 'ckm'")
    cells = tabulation.cells
    if "cell_key" not in cells.columns:
        raise BadInputError("the cell key method needs record keys (no cell_key column)")
    ptable = ptable_for(policy.ptable)
    counts = cells["count"].to_numpy(dtype=np.int64)
    deviations = ptable.perturbation(counts, cells["cell_key"].to_numpy(np.uint64), key_range)
    published = counts + deviations
    variables = tabulation.spec.variables
    out = []
    for row, value, original in zip(
        cells[list(variables)].itertuples(index=False, name=None), published, counts, strict=True
    ):
        flags = {Flag.PERTURBED}
        if value < policy.small_count:
            flags.add(Flag.SMALL)
        out.append(
            ProtectedCell(
                coordinates=tuple(zip(variables, row, strict=True)),
                value=int(value),
                flags=frozenset(flags),
                original=int(original),
            )
        )
    return ProtectedTable(
        spec=tabulation.spec,
        categories=tabulation.categories,
        policy=policy,
        cells=tuple(out),
    )


def ckm_table(
    records: pd.DataFrame,
    spec: TableSpec | Sequence[str],
    *,
    policy: DisclosurePolicy | None = None,
    key_column: str = "record_key",
    key_range: int = DEFAULT_KEY_RANGE,
) -> ProtectedTable:
    """Tabulate person records and protect the table with the cell key method.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per person, with the grouping variables of ``spec`` and a record-key column
        (see :func:`nmt.disclosure.recordkeys.with_record_keys`).
    spec : TableSpec or sequence of str
        The table, or just its grouping variables (all margins are included and perturbed too).
    policy : DisclosurePolicy, optional
        A ``method="ckm"`` policy; the default uses NMT's default ptable (D=3, V=2, js=2).
    key_column : str
        The record-key column.
    key_range : int
        The range of the record keys (a power of two; default 2**32).

    Returns
    -------
    ProtectedTable
        Every cell flagged ``PERTURBED``; those published below ``small_count`` also ``SMALL``.
    """
    policy = policy or DisclosurePolicy(method="ckm")
    if not isinstance(spec, TableSpec):
        spec = TableSpec("_by_".join(spec), list(spec))
    _check_key_range(key_range)
    prepared = prepare_records(records, [spec], key_column)
    if (prepared[key_column] >= np.uint64(key_range)).any():
        raise BadInputError(f"record keys must be below the key range {key_range}")
    tabulation = tabulate(prepared, spec, key_column=key_column, key_range=key_range, prepared=True)
    return perturb_tabulation(tabulation, policy=policy, key_range=key_range)
