"""Capture tables: how many persons each combination of sources identified."""

from __future__ import annotations

from collections.abc import Sequence

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
    membership = (
        pd.crosstab(persons[person_column], persons["source"])
        .reindex(columns=sources, fill_value=0)
        .gt(0)
        .astype(int)
    )
    table = membership.value_counts().rename("count").reset_index()
    if table.empty:
        return pd.DataFrame(columns=[*sources, "count"], dtype=int)
    table["_n"] = table[sources].sum(axis=1)
    table = table.sort_values(["_n", *sources], ascending=False).drop(columns="_n")
    return table[[*sources, "count"]].reset_index(drop=True)
