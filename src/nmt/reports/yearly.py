"""The yearly run's computation, on data frames: link -> persons -> capture table -> estimate ->
tables -> disclosure control. Nothing here reads the database (see ``nmt.reports.registry``) or
writes it (``nmt.reports.services``), so the benchmark and the tests can time and check each step.

Person facts (one row per unique person, the unit of every table) are combined from the person's
records by fixed rules, stated in ``docs/report.md`` and repeated independently by the tests:

* ``sources``: the lists holding at least one of the person's records;
* ``sex``, ``citizenship``, ``region``: the first known value, records taken in order of their
  first identification in the year (registry records before imported ones on the same day);
* ``age_group``: adult or child at the first identification whose age group is known;
* ``purposes``: every known purpose of any record (``unknown`` only when none is known);
* ``industry``: the first industry recorded on a record with forced labour among its purposes;
* ``measures``: reflection periods and temporary residence permits applied for / granted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from nmt.disclosure import (
    DisclosurePolicy,
    Protection,
    TableSpec,
    protect_tables,
    with_record_keys,
)
from nmt.linkage.standardise import PURPOSES

#: Registry channels -> the list (source) they belong to; other channels form "other_actors".
CHANNEL_SOURCE = {
    "regional_coordinator": "coordinators",
    "support_line": "support_line",
    "migrationsverket": "migrationsverket",
    "police": "police",
}
OTHER_SOURCE = "other_actors"
REGISTRY_SOURCES = ("coordinators", "support_line", "migrationsverket", "police", OTHER_SOURCE)

SEXES = ("female", "male", "other", "unknown")
AGE_GROUPS = ("adult", "child", "unknown")
INDUSTRIES = (
    "agriculture",
    "berry_picking",
    "construction",
    "cleaning",
    "restaurant",
    "beauty",
    "transport",
    "manufacturing",
    "domestic_work",
    "car_wash",
    "other",
    "unknown",
)
NOT_APPLICABLE = "not_applicable"
MEASURES = (
    "reflection_applied",
    "reflection_granted",
    "permit_applied",
    "permit_granted",
    "none",
)
YES_NO = ("yes", "no")
TOP_COUNTRIES = 10
OTHER_COUNTRY = "other"
UNKNOWN = "unknown"

#: Record columns the registry reader and the list import both provide.
FACT_COLUMNS = (
    "source",
    "record_id",
    "registry_person",
    "first_date",
    "order",
    "sex",
    "age_group",
    "age",
    "purposes",
    "citizenship",
    "region",
    "industry",
    "measures",
)


@dataclass
class LinkSettings:
    threshold: float = 0.95
    thresholds: tuple[float, ...] = (0.8, 0.95, 0.99)
    model: dict[str, Any] | None = None
    seed: int = 42


@dataclass
class Linked:
    """Each record's person (a stable token) at each threshold, and the trained model."""

    membership: pd.DataFrame  # source, record_id, and one token column per threshold
    model: dict[str, Any]
    thresholds: tuple[float, ...]
    threshold: float
    timings: dict[str, float] = field(default_factory=dict)

    def column(self, threshold: float | None = None) -> str:
        return f"t{(self.threshold if threshold is None else threshold):g}"


# ----------------------------------------------------------------------------------- linkage


def _typed_empty_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Give columns without any value a type DuckDB understands (strings, or lists of strings);
    a column of only ``None`` otherwise arrives in SQL typed NULL, and list functions fail."""
    import pyarrow as pa

    from nmt.linkage import FEATURES

    sets = {f.name for f in FEATURES if f.is_set}
    frame = frame.copy()
    for column in frame.columns:
        if column in {"source_dataset", "unique_id"} or frame[column].notna().any():
            continue
        kind = pa.list_(pa.string()) if column in sets else pa.string()
        frame[column] = pd.Series([None] * len(frame), dtype=pd.ArrowDtype(kind))
    return frame


def link(
    records: pd.DataFrame,
    sources: Sequence[str],
    settings: LinkSettings,
    *,
    on_phase: Callable[[str], None] | None = None,
) -> Linked:
    """Link the records of all sources into persons (``nmt.linkage``), then join records of the
    same registry person: the registry already knows they are one human being, even when their
    records carry too little to be linked (an anonymous support-line call)."""
    from nmt.linkage import feature_table, link_features

    started = time.perf_counter()
    present = [s for s in sources if (records["source"] == s).any()]
    features = {
        s: _typed_empty_columns(
            feature_table(records[records["source"] == s].reset_index(drop=True))
        )
        for s in present
    }
    thresholds = tuple(sorted({settings.threshold, *settings.thresholds}))
    timings = {"features": time.perf_counter() - started}
    if len(present) == 0:
        membership = pd.DataFrame(columns=["source", "record_id"])
        model: dict[str, Any] = {}
        clusters = membership.copy()
        for t in thresholds:
            clusters[f"t{t:g}"] = pd.Series(dtype=object)
    else:
        result = link_features(
            features,
            threshold=settings.threshold,
            thresholds=thresholds,
            model=settings.model,
            seed=settings.seed,
            on_phase=on_phase,
        )
        clusters = result.clusters
        model = result.model
        timings.update(result.timings)
    joined = records[["source", "record_id", "registry_person"]].merge(
        clusters, on=["source", "record_id"], how="left"
    )
    membership = joined[["source", "record_id"]].copy()
    for t in thresholds:
        membership[f"t{t:g}"] = _tokens(joined, f"t{t:g}")
    return Linked(
        membership=membership,
        model=model,
        thresholds=thresholds,
        threshold=settings.threshold,
        timings=timings,
    )


def _tokens(joined: pd.DataFrame, column: str) -> np.ndarray:
    """Stable person tokens: clusters joined through shared registry persons (union-find), named
    by their smallest registry person id (``R123``), else their smallest record (``Lsource:id``)."""
    n = len(joined)
    parent = np.arange(n)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for key in (column, "registry_person"):
        values = joined[key]
        first: dict[Any, int] = {}
        for i, value in enumerate(values):
            if value is None or (isinstance(value, float) and np.isnan(value)):
                continue
            if value in first:
                union(first[value], i)
            else:
                first[value] = i
    roots = np.array([find(i) for i in range(n)])
    names = []
    for person, source, record in zip(
        joined["registry_person"], joined["source"], joined["record_id"], strict=True
    ):
        if person is not None and not (isinstance(person, float) and np.isnan(person)):
            names.append((0, int(person), ""))
        else:
            names.append((1, 0, f"{source}:{record}"))
    best: dict[int, tuple[int, int, str]] = {}
    for root, name in zip(roots, names, strict=True):
        if root not in best or name < best[root]:
            best[root] = name
    return np.array(
        [f"R{best[r][1]}" if best[r][0] == 0 else f"L{best[r][2]}" for r in roots],
        dtype=object,
    )


def capture_table(membership: pd.DataFrame, column: str, sources: Sequence[str]) -> pd.DataFrame:
    """Persons per pattern of lists, in the form of ``nmt estimate``."""
    from nmt.linkage import capture_table as linkage_capture_table

    frame = membership[["source", column]].rename(columns={column: "person_id"})
    return linkage_capture_table(frame, list(sources))


# ----------------------------------------------------------------------------------- persons


def _known(value: Any) -> bool:
    return isinstance(value, str) and value not in ("", UNKNOWN)


def person_facts(records: pd.DataFrame, tokens: np.ndarray, sources: Sequence[str]) -> pd.DataFrame:
    """One row per person (see the module's rules); ``person`` is the stable token."""
    frame = records.assign(person=tokens).sort_values(
        ["person", "first_date", "order"], kind="stable"
    )
    rows = []
    for person, group in frame.groupby("person", sort=True):
        row: dict[str, Any] = {"person": person}
        row["sources"] = tuple(s for s in sources if s in set(group["source"]))
        row["first_date"] = group["first_date"].iloc[0]
        for column in ("sex", "citizenship", "region"):
            known = [v for v in group[column] if _known(v)]
            row[column] = known[0] if known else UNKNOWN
        groups = [v for v in group["age_group"] if _known(v)]
        row["age_group"] = groups[0] if groups else UNKNOWN
        ages = [int(v) for v in group["age"] if v is not None and not pd.isna(v)]
        row["age"] = ages[0] if ages else None
        purposes = {p for ps in group["purposes"] for p in ps if _known(p)}
        row["purposes"] = tuple(p for p in PURPOSES if p in purposes) or (UNKNOWN,)
        industries = [
            i
            for i, ps in zip(group["industry"], group["purposes"], strict=True)
            if "forced_labour" in ps and isinstance(i, str) and i
        ]
        row["industry"] = industries[0] if industries else UNKNOWN
        measures = {m for ms in group["measures"] for m in ms}
        row["measures"] = tuple(m for m in MEASURES if m in measures) or ("none",)
        rows.append(row)
    columns = [
        "person",
        "sources",
        "first_date",
        "sex",
        "citizenship",
        "region",
        "age_group",
        "age",
        "purposes",
        "industry",
        "measures",
    ]
    return pd.DataFrame(rows, columns=columns)


# ------------------------------------------------------------------------------------ tables


def top_countries(persons: pd.DataFrame, n: int = TOP_COUNTRIES) -> tuple[str, ...]:
    counts = persons.loc[persons["citizenship"] != UNKNOWN, "citizenship"].value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(code for code, _count in ordered[:n])


def table_records(
    persons: pd.DataFrame, sources: Sequence[str], countries: Sequence[str]
) -> pd.DataFrame:
    """The grouping variables of every table, one row per person."""
    out = pd.DataFrame({"person": persons["person"]})
    for s in sources:
        out[f"in_{s}"] = ["yes" if s in ss else "no" for ss in persons["sources"]]
    out["sex"] = persons["sex"]
    out["age_group"] = persons["age_group"]
    out["purpose"] = persons["purposes"]
    wanted = set(countries)
    out["citizenship"] = [
        c if c in wanted else (UNKNOWN if c == UNKNOWN else OTHER_COUNTRY)
        for c in persons["citizenship"]
    ]
    out["region"] = persons["region"]
    out["industry"] = [
        i if "forced_labour" in ps else NOT_APPLICABLE
        for i, ps in zip(persons["industry"], persons["purposes"], strict=True)
    ]
    out["measure"] = persons["measures"]
    return out


def table_specs(
    sources: Sequence[str], countries: Sequence[str], regions: Sequence[str]
) -> list[TableSpec]:
    """The published tables about persons. Sources and their overlap are one table of yes/no
    variables, so that every relation between the per-list counts and the overlap cells is a
    margin of one table (which secondary suppression protects); industry is a purpose x industry
    table for the same reason (its forced-labour margin is the purpose table's cell)."""
    in_vars = [f"in_{s}" for s in sources]
    return [
        TableSpec("overlap", in_vars, categories=dict.fromkeys(in_vars, YES_NO)),
        TableSpec(
            "sex_age", ["sex", "age_group"], categories={"sex": SEXES, "age_group": AGE_GROUPS}
        ),
        TableSpec(
            "purpose_age",
            ["purpose", "age_group"],
            multi_valued=["purpose"],
            categories={"purpose": PURPOSES, "age_group": AGE_GROUPS},
        ),
        TableSpec(
            "citizenship",
            ["citizenship"],
            categories={"citizenship": (*countries, OTHER_COUNTRY, UNKNOWN)},
        ),
        TableSpec("region", ["region"], categories={"region": (*regions, UNKNOWN)}),
        TableSpec(
            "industry",
            ["purpose", "industry"],
            multi_valued=["purpose"],
            categories={"purpose": PURPOSES, "industry": (*INDUSTRIES, NOT_APPLICABLE)},
        ),
        TableSpec(
            "measures", ["measure"], multi_valued=["measure"], categories={"measure": MEASURES}
        ),
    ]


def policies_for(method: str, names: Sequence[str], **options: Any) -> dict[str, DisclosurePolicy]:
    policy = DisclosurePolicy.from_dict({"method": method, **options})
    return dict.fromkeys(names, policy)


def protect(
    frame: pd.DataFrame,
    specs: Sequence[TableSpec],
    method: str,
    secret: bytes,
    *,
    id_column: str = "person",
) -> Protection:
    """Protect the tables under one method (CKM with permanent record keys by default)."""
    keyed = with_record_keys(frame, id_column=id_column, secret=secret)
    return protect_tables(keyed, specs, policies_for(method, [s.name for s in specs]))


def all_patterns(t: int) -> list[tuple[int, ...]]:
    return [p for p in product((1, 0), repeat=t) if any(p)]


# -------------------------------------------------------------------------------- estimation

ESTIMATION_METHODS = ("stepwise", "bic", "aic", "main")
RANKING_LIMIT = 5_000


def estimate(
    capture: pd.DataFrame,
    *,
    method: str = "stepwise",
    top: int = 10,
    bootstrap: int = 0,
    seed: int | None = None,
    level: float = 0.95,
    with_ranking: bool = True,
) -> dict[str, Any]:
    """Multiple systems estimation on a capture table; the result as plain JSON values.

    Lists without any person are left out (a list the year did not have says nothing about the
    others). ``estimable`` is False, with the reason, when fewer than two lists remain or no model
    has an estimate.
    """
    from nmt.estimation import (
        Model,
        ModelError,
        NotEstimableError,
        fit_model,
        profile_interval,
        search_models,
        stepwise,
        table_from_patterns,
    )
    from nmt.estimation import (
        bootstrap as run_bootstrap,
    )
    from nmt.estimation.bootstrap import Estimator
    from nmt.estimation.models import count_hierarchical_models
    from nmt.estimation.selection import default_max_order

    lists = [
        c
        for c in capture.columns
        if c != "count" and capture.loc[capture[c] == 1, "count"].sum() > 0
    ]
    observed = int(capture["count"].sum())
    out: dict[str, Any] = {"method": method, "lists": lists, "observed": observed}
    if len(lists) < 2:
        return {**out, "estimable": False, "reason": "fewer than two lists with persons"}
    grouped = capture.groupby(lists, as_index=False)["count"].sum()
    grouped = grouped[grouped[lists].sum(axis=1) > 0]
    patterns = grouped[lists].to_numpy(dtype=np.int64)
    table = table_from_patterns(lists, patterns, grouped["count"].to_numpy(dtype=np.int64))
    try:
        if method == "stepwise":
            selection = stepwise(table, level=level)
            fit = selection.fit
            out["steps"] = [s.to_dict() for s in selection.steps]
        elif method in ("bic", "aic"):
            selection = search_models(table, criterion=method, top=top, level=level)
            fit = selection.fit
        else:
            fit = fit_model(table, Model.main_effects(table.t), level=level)
    except (NotEstimableError, ValueError) as exc:
        return {**out, "estimable": False, "reason": str(exc)}
    _n, profile = profile_interval(table, Model.parse(fit.model, table.lists), level=level)
    out.update(
        estimable=True,
        model=fit.model,
        estimate=float(fit.estimate),
        dark_figure=float(fit.dark_figure),
        interval=fit.interval.to_dict(),
        profile_interval=profile.to_dict(),
        standard_error=float(fit.standard_error),
        fit=fit.to_dict(),
    )
    if with_ranking:
        order = default_max_order(table.t)
        try:
            count_hierarchical_models(table.t, order, limit=RANKING_LIMIT)
            ranked = search_models(table, criterion="bic", max_order=order, top=top, level=level)
            out["ranking"] = [r.to_dict() for r in ranked.ranking]
            out["models_considered"] = ranked.models_considered
        except (ModelError, ValueError):
            out["ranking"] = []
    if bootstrap:
        estimator = (
            Estimator("stepwise")
            if method == "stepwise"
            else Estimator(method, max_order=default_max_order(table.t))
            if method in ("bic", "aic")
            else Estimator("main")
        )
        boot = run_bootstrap(table, estimator, n_boot=bootstrap, seed=seed, level=level, workers=1)
        out["bootstrap_interval"] = boot.interval.to_dict()
        out["interval"] = boot.interval.to_dict()
    return out
