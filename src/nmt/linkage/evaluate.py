"""Accuracy of a linkage against known truth: pairwise and cluster precision, recall and F1.

Pairwise: a pair of records is predicted linked when both are in one predicted person, truly
linked when both belong to one true person (Christen 2012, *Data Matching*, ch. 7). Cluster:
a predicted person is correct when it holds exactly the records of one true person (Menestrina,
Whang and Garcia-Molina 2010 call this the cluster-level measure). Both count within-list
duplicates as well as links across lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any

import pandas as pd

from nmt.linkage.capture import capture_table

__all__ = ["Accuracy", "CaptureError", "ErrorSources", "accuracy", "capture_error", "error_sources"]


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of one kind, with the counts behind them."""

    true_positives: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Accuracy:
    """Pairwise and cluster scores of a linkage."""

    pairwise: Scores
    cluster: Scores
    records: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "pairwise": self.pairwise.to_dict(),
            "cluster": self.cluster.to_dict(),
        }


def _pairs(sizes: pd.Series) -> int:
    return int((sizes * (sizes - 1) // 2).sum())


def accuracy(predicted: pd.DataFrame, truth: pd.DataFrame) -> Accuracy:
    """Score predicted persons against true persons.

    Parameters
    ----------
    predicted, truth : pandas.DataFrame
        Each with ``source``, ``record_id`` and ``person_id``, one row per record; the same
        records in both.

    Returns
    -------
    Accuracy
    """
    keys = ["source", "record_id"]
    merged = predicted[[*keys, "person_id"]].merge(
        truth[[*keys, "person_id"]],
        on=keys,
        how="outer",
        suffixes=("_pred", "_true"),
        indicator=True,
    )
    if (merged["_merge"] != "both").any():
        raise ValueError("predicted and truth do not hold the same records")
    joint = merged.groupby(["person_id_pred", "person_id_true"]).size()
    pred_sizes = merged.groupby("person_id_pred").size()
    true_sizes = merged.groupby("person_id_true").size()
    pairwise = Scores(_pairs(joint), _pairs(pred_sizes), _pairs(true_sizes))

    # A predicted cluster is exact when its only true person has no records elsewhere.
    exact = joint.reset_index(name="n")
    exact = exact[exact["n"].to_numpy() == pred_sizes.loc[exact["person_id_pred"]].to_numpy()]
    exact = exact[exact["n"].to_numpy() == true_sizes.loc[exact["person_id_true"]].to_numpy()]
    cluster = Scores(len(exact), len(pred_sizes), len(true_sizes))
    return Accuracy(pairwise=pairwise, cluster=cluster, records=len(merged))


@dataclass(frozen=True)
class CaptureError:
    """Cell-by-cell difference between an estimated and the true capture table."""

    cells: pd.DataFrame  # sources..., count_true, count_linked, error
    sources: tuple[str, ...]

    @property
    def total_absolute_error(self) -> int:
        return int(self.cells["error"].abs().sum())

    @property
    def max_absolute_error(self) -> int:
        return int(self.cells["error"].abs().max()) if len(self.cells) else 0

    @property
    def persons_true(self) -> int:
        return int(self.cells["count_true"].sum())

    @property
    def persons_linked(self) -> int:
        return int(self.cells["count_linked"].sum())

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "persons_true": self.persons_true,
            "persons_linked": self.persons_linked,
            "total_absolute_error": self.total_absolute_error,
            "max_absolute_error": self.max_absolute_error,
            "relative_error": self.total_absolute_error / max(self.persons_true, 1),
            "cells": self.cells.to_dict(orient="records"),
        }


def capture_error(
    linked: pd.DataFrame, truth: pd.DataFrame, sources: Sequence[str]
) -> CaptureError:
    """Compare the capture table of ``linked`` persons with that of the true persons."""
    sources = list(sources)
    estimated = capture_table(linked, sources)
    true = capture_table(truth, sources)
    cells = true.merge(estimated, on=sources, how="outer", suffixes=("_true", "_linked"))
    cells = cells.fillna(0)
    cells[["count_true", "count_linked"]] = cells[["count_true", "count_linked"]].astype(int)
    cells["error"] = cells["count_linked"] - cells["count_true"]
    cells = cells.sort_values(sources, ascending=False).reset_index(drop=True)
    return CaptureError(cells=cells, sources=tuple(sources))


@dataclass(frozen=True)
class ErrorSources:
    """What the wrongly linked and wrongly separated pairs of records have in common.

    Attributes
    ----------
    missed : collections.Counter
        True pairs (same person) put in different persons, by the corruptions of either
        record (one pair counts once per corruption it carries; ``none`` when it carries none).
    missed_total : int
    false : collections.Counter
        Pairs of different persons put in one, by relation: ``twin``, ``sibling`` or
        ``unrelated``, and ``... vague`` when either record lacks a full birth date.
    false_total : int
    """

    missed: Counter
    missed_total: int
    false: Counter
    false_total: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "missed_total": self.missed_total,
            "missed": dict(self.missed.most_common()),
            "false_total": self.false_total,
            "false": dict(self.false.most_common()),
        }


_VAGUE = {"dob_year_month", "dob_year_only", "dob_age_only", "dob_missing", "dob_1_january"}


def error_sources(predicted: pd.DataFrame, truth: pd.DataFrame) -> ErrorSources:
    """Attribute the pairwise errors of a linkage to what the generator did to the records.

    Parameters
    ----------
    predicted : pandas.DataFrame
        ``source``, ``record_id``, ``person_id``.
    truth : pandas.DataFrame
        :attr:`nmt.linkage.synthetic.SyntheticLists.truth` (with ``corruptions`` and
        ``relation``).
    """
    keys = ["source", "record_id"]
    merged = truth.merge(
        predicted[[*keys, "person_id"]].rename(columns={"person_id": "linked"}), on=keys
    )
    flags = [set(f.split(";")) - {""} for f in merged["corruptions"].fillna("")]
    linked = merged["linked"].to_numpy()
    person = merged["person_id"].to_numpy()
    relation = merged["relation"].fillna("").to_numpy()
    missed: Counter = Counter()
    missed_total = 0
    for rows in merged.groupby("person_id", sort=False).indices.values():
        for a, b in combinations(rows, 2):
            if linked[a] != linked[b]:
                missed_total += 1
                missed.update(flags[a] | flags[b] or {"none"})
    false: Counter = Counter()
    false_total = 0
    for rows in merged.groupby("linked", sort=False).indices.values():
        for a, b in combinations(rows, 2):
            if person[a] != person[b]:
                false_total += 1
                kind = relation[a] if relation[a] and relation[a] == relation[b] else "unrelated"
                vague = (flags[a] | flags[b]) & _VAGUE
                false[f"{kind}, vague birth date" if vague else kind] += 1
    return ErrorSources(missed, missed_total, false, false_total)
