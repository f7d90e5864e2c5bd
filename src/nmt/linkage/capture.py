"""Capture tables: how many persons each combination of sources identified."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["capture_table"]


def capture_table(
    persons: pd.DataFrame, sources: Sequence[str], *, person_column: str = "person_id"
) -> pd.DataFrame:
    """Count persons by the set of sources that hold at least one of their records.

    Parameters
    ----------
    persons : pandas.DataFrame
        One row per record, with a ``source`` column and ``person_column``.
    sources : sequence of str
        Source names; they become the 0/1 columns, in this order.
    person_column : str
        The column holding the person (cluster) id.

    Returns
    -------
    pandas.DataFrame
        One 0/1 column per source and ``count``: one row per observed pattern, sorted from the
        pattern with the most sources down (and by columns within), never the all-zero row.
        The form ``nmt estimate`` reads.
    """
    sources = list(sources)
    unknown = set(persons["source"].unique()) - set(sources)
    if unknown:
        raise ValueError(f"records from sources not listed: {sorted(unknown)}")
    if len(persons) == 0:
        return pd.DataFrame(columns=[*sources, "count"], dtype=int)
    # Each person's pattern as bits (source i is bit i), counted with numpy: a million records
    # take a fraction of a second.
    person, _ = pd.factorize(persons[person_column])
    source = persons["source"].map({s: i for i, s in enumerate(sources)}).to_numpy(np.int64)
    patterns = np.zeros(person.max() + 1, dtype=np.int64)
    np.bitwise_or.at(patterns, person, np.left_shift(1, source))
    values, counts = np.unique(patterns, return_counts=True)
    table = pd.DataFrame(
        {s: (values >> i) & 1 for i, s in enumerate(sources)} | {"count": counts}
    ).astype(int)
    table["_n"] = table[sources].sum(axis=1)
    table = table.sort_values(["_n", *sources], ascending=False).drop(columns="_n")
    return table[[*sources, "count"]].reset_index(drop=True)
