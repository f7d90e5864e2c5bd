"""Reading several agency lists into feature tables, in parallel when they are large.

Reading and standardising is Python work on each list's distinct values; with one process per
core, lists are read side by side. Small inputs are read in this process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pandas as pd

from nmt.errors import BadInputError, Problem
from nmt.linkage.features import feature_table
from nmt.linkage.lists import ColumnMapping, read_list

__all__ = ["PARALLEL_BYTES", "read_features"]

#: Total size of the input files from which they are read in parallel processes.
PARALLEL_BYTES = 40_000_000


def _read_one(
    path: str, source: str, mapping: ColumnMapping | None
) -> tuple[pd.DataFrame | None, int, list[Problem]]:
    try:
        agency_list = read_list(path, source=source, mapping=mapping)
    except BadInputError as exc:
        return None, 0, list(exc.problems)
    return feature_table(agency_list.records), len(agency_list), []


def read_features(
    paths: Sequence[str | Path],
    sources: Sequence[str],
    mappings: Mapping[str, ColumnMapping] | None = None,
    *,
    workers: int | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, int]]:
    """Read each list and derive its features.

    Parameters
    ----------
    paths, sources : sequence
        The lists and their source names, in order.
    mappings : mapping of str to ColumnMapping, optional
        Column mappings by source name.
    workers : int, optional
        Processes to read in; default one per core (at most one per list) when the files
        together exceed :data:`PARALLEL_BYTES`, else none.

    Returns
    -------
    (dict, dict)
        Feature tables and numbers of records, by source, in the order given.

    Raises
    ------
    BadInputError
        With the problems of every list, after all were read.
    """
    mappings = mappings or {}
    jobs = [(str(p), s, mappings.get(s)) for p, s in zip(paths, sources, strict=True)]
    if workers is None:
        size = sum(Path(p).stat().st_size for p, _, _ in jobs if Path(p).is_file())
        workers = min(os.cpu_count() or 1, len(jobs)) if size > PARALLEL_BYTES else 1
    if workers > 1:
        # Largest lists first, so that the processes finish together.
        order = sorted(range(len(jobs)), key=lambda i: -_size(jobs[i][0]))
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            futures = {i: pool.submit(_read_one, *jobs[i]) for i in order}
            results = [futures[i].result() for i in range(len(jobs))]
    else:
        results = [_read_one(*job) for job in jobs]
    problems = [problem for _, _, found in results for problem in found]
    if problems:
        raise BadInputError(problems)
    features = {s: table for (_, s, _), (table, _, _) in zip(jobs, results, strict=True)}
    counts = {s: n for (_, s, _), (_, n, _) in zip(jobs, results, strict=True)}
    return features, counts  # type: ignore[return-value]


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0
