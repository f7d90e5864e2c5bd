"""The linkage report: what was linked, how sure, and how the counts move with the threshold."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from nmt.linkage.model import LinkageResult

__all__ = ["build_report", "render_markdown", "review_pairs"]


def review_pairs(result: LinkageResult) -> pd.DataFrame:
    """Pairs whose decision depends on the threshold: between the lowest and highest one.

    Sorted by closeness to the clustering threshold, the closest (least certain) first.
    """
    low, high = min(result.thresholds), max(result.thresholds)
    pairs = result.pairs
    band = pairs[(pairs["match_probability"] >= low) & (pairs["match_probability"] < high)].copy()
    band["distance"] = (band["match_probability"] - result.threshold).abs()
    band = band.sort_values(["distance", "match_probability"], kind="stable")
    return band.drop(columns="distance").reset_index(drop=True)


def _table_rows(table: pd.DataFrame) -> list[dict[str, int]]:
    return [{k: int(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def build_report(
    result: LinkageResult,
    *,
    inputs: Sequence[dict[str, Any]],
    mode: str,
    review_limit: int = 50,
) -> dict[str, Any]:
    """The report as a JSON-ready dictionary.

    Parameters
    ----------
    result : LinkageResult
    inputs : sequence of dict
        Per source: ``source``, ``path``, ``records`` (from :meth:`AgencyList.to_dict` or the
        token reader).
    mode : {"plaintext", "tokens"}
    review_limit : int
        Uncertain pairs listed in the report (all are in ``review.csv``).
    """
    persons = result.persons
    per_source = []
    for source in result.sources:
        mine = persons[persons["source"] == source]
        unique = int(mine["person_id"].nunique())
        per_source.append(
            {
                "source": source,
                "records": len(mine),
                "persons": unique,
                "records_of_persons_listed_more_than_once": len(mine) - unique,
            }
        )
    review = review_pairs(result)
    sensitivity = []
    for threshold in result.thresholds:
        sensitivity.append(
            {
                "threshold": threshold,
                "persons": result.persons_at(threshold),
                "capture_table": _table_rows(result.capture_table(threshold)),
            }
        )
    return {
        "mode": mode,
        "inputs": list(inputs),
        "records": len(persons),
        "persons": result.n_persons,
        "threshold": result.threshold,
        "per_source": per_source,
        "capture_table": _table_rows(result.capture_table()),
        "sensitivity": sensitivity,
        "review": {
            "band": [min(result.thresholds), max(result.thresholds)],
            "pairs": len(review),
            "listed": [
                {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
                for row in review.head(review_limit).to_dict(orient="records")
            ],
        },
        "model": {
            "trained": result.trained,
            "probability_two_random_records_match": result.model.get(
                "probability_two_random_records_match"
            ),
        },
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
    }


def _markdown_table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["(none)"]
    header = list(rows[0])
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(row[h]) for h in header) + " |" for row in rows]
    return lines


def render_markdown(report: dict[str, Any]) -> str:
    """The report for people: Markdown, readable as plain text."""
    lines = [
        "# Linkage report",
        "",
        f"Mode: {report['mode']}. Records: {report['records']}. "
        f"Unique persons at threshold {report['threshold']:g}: **{report['persons']}**.",
        "",
        "## Records and persons per source",
        "",
        *_markdown_table(report["per_source"]),
        "",
        "## Persons per overlap pattern (capture table)",
        "",
        "1 = the person is on that list. This is `capture.csv`, the input of `nmt estimate`.",
        "",
        *_markdown_table(report["capture_table"]),
        "",
        "## Sensitivity to the threshold",
        "",
        *_markdown_table(
            [{"threshold": s["threshold"], "persons": s["persons"]} for s in report["sensitivity"]]
        ),
        "",
    ]
    for s in report["sensitivity"]:
        lines += [f"Capture table at threshold {s['threshold']:g}:", ""]
        lines += [*_markdown_table(s["capture_table"]), ""]
    review = report["review"]
    low, high = review["band"]
    lines += [
        "## Uncertain pairs to review",
        "",
        f"{review['pairs']} pairs have a match probability between {low:g} and {high:g}; "
        "whether they are one person depends on the threshold. The least certain first "
        f"(all in `review.csv`){':' if review['listed'] else '.'}",
        "",
    ]
    if review["listed"]:
        lines += _markdown_table(review["listed"])
        lines.append("")
    return "\n".join(lines)
