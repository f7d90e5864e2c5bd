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
from nmt.errors import BadInputError
from nmt.linkage.model import DEFAULT_THRESHOLDS
from nmt.linkage.standardise import PURPOSES

#: Registry channels -> the list (source) they belong to; other channels form "other_actors".
CHANNEL_SOURCE = {
    "regional_coordinator": "coordinators",
    "support_line": "support_line",
    "migrationsverket": "migrationsverket",
    "police": "police",
}
OTHER_SOURCE = "other_actors"
#: The linkage source of the registry's persons: one linkage record per registry person.
REGISTRY = "registry"
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
    # The linkage library's decision threshold (a link where it is likelier than not) and its
    # sensitivity thresholds: a higher threshold misses true links, which inflates both the
    # count and the dark figure (persons seen by one list only).
    threshold: float = DEFAULT_THRESHOLDS[1]
    thresholds: tuple[float, ...] = DEFAULT_THRESHOLDS
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
    trained: bool = False

    def column(self, threshold: float | None = None) -> str:
        return f"t{(self.threshold if threshold is None else threshold):g}"


# ----------------------------------------------------------------------------------- linkage


def bits_to_codes(bits: pd.Series | np.ndarray, codes: tuple[str, ...]) -> np.ndarray:
    """Bit masks (bit i = ``codes[i]``) as tuples of codes, in the order of ``codes``."""
    values = np.asarray(bits, dtype=np.int64)
    distinct, inverse = np.unique(values, return_inverse=True)
    tuples = np.empty(len(distinct), dtype=object)
    for n, v in enumerate(distinct):
        tuples[n] = tuple(c for i, c in enumerate(codes) if int(v) >> i & 1)
    return tuples[inverse.reshape(-1)]


def codes_to_bits(values: pd.Series, codes: tuple[str, ...]) -> np.ndarray:
    """Tuples (or lists) of codes as bit masks (bit i = ``codes[i]``); unknown codes ignored."""
    bit = {c: 1 << i for i, c in enumerate(codes)}
    keys = pd.Series([tuple(v) for v in values], dtype=object, index=values.index)
    index, distinct = pd.factorize(keys)
    masks = np.array([sum(bit.get(c, 0) for c in set(t)) for t in distinct], dtype=np.int64)
    return masks[index] if len(masks) else np.zeros(len(values), dtype=np.int64)


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
    identities: pd.DataFrame,
    facts: pd.DataFrame,
    settings: LinkSettings,
    *,
    on_phase: Callable[[str], None] | None = None,
) -> Linked:
    """Link the linkage records into persons (``nmt.linkage``) and give every fact record its
    person at each threshold.

    ``identities`` holds one record per registry person (source :data:`REGISTRY`, with
    ``registry_person``) and the imported lists' records: the registry's records of one person
    are one human being already and are not compared with each other. ``facts`` holds the
    records of the lists (one per list and registry person, and the imported ones); the
    membership returned is in their order."""
    from nmt.linkage import feature_table, link_features

    started = time.perf_counter()
    present = list(dict.fromkeys(identities["source"]))
    features = {
        s: _typed_empty_columns(
            feature_table(identities[identities["source"] == s].reset_index(drop=True))
        )
        for s in present
    }
    thresholds = tuple(sorted({settings.threshold, *settings.thresholds}))
    timings = {"features": time.perf_counter() - started}
    model: dict[str, Any] = {}
    trained = False
    if present:
        try:
            result = link_features(
                features,
                threshold=settings.threshold,
                thresholds=thresholds,
                model=settings.model,
                seed=settings.seed,
                on_phase=on_phase,
            )
        except ValueError as exc:
            if settings.model is not None:
                raise
            # Splink's EM fails (a probability underflows) when a training block holds almost
            # only matches or only non-matches, as in a small year without duplicates.
            raise BadInputError(
                "the linkage model could not be trained on this year's lists "
                f"({len(identities):,} records; {exc}); reuse the model of a kept run"
            ) from exc
        clusters = result.clusters
        model = result.model
        trained = result.trained
        timings.update(result.timings)
    else:
        clusters = pd.DataFrame(
            {c: pd.Series(dtype=object) for c in ["source", "record_id", *_columns(thresholds)]}
        )
    started = time.perf_counter()
    columns = _columns(thresholds)
    at = pd.Index(_keys(clusters)).get_indexer(_keys(identities))
    if (at < 0).any():
        raise ValueError("a linkage record without its person")
    linked = pd.DataFrame(
        {
            "source": identities["source"].to_numpy(dtype=object),
            "record_id": identities["record_id"].to_numpy(dtype=object),
            "registry_person": identities["registry_person"].to_numpy(dtype=object),
            **{c: clusters[c].to_numpy(dtype=object)[at] for c in columns},
        }
    )
    # Each fact record's linkage record: its registry person's, or the imported record itself.
    registry = facts["registry_person"].notna().to_numpy()
    where = np.full(len(facts), -1, dtype=np.int64)
    is_person = (linked["source"] == REGISTRY).to_numpy()
    person_rows = np.flatnonzero(is_person)
    by_person = pd.Index(linked["registry_person"].to_numpy()[person_rows].astype(np.int64))
    found = by_person.get_indexer(facts["registry_person"].to_numpy()[registry].astype(np.int64))
    where[registry] = np.where(found >= 0, person_rows[found], -1)
    record_rows = np.flatnonzero(~is_person)
    by_record = pd.Index(_keys(linked.iloc[record_rows]))
    found = by_record.get_indexer(_keys(facts[~registry]))
    where[~registry] = np.where(found >= 0, record_rows[found], -1)
    if (where < 0).any():
        raise ValueError("a fact record without its linkage record")
    membership = pd.DataFrame(
        {"source": facts["source"].to_numpy(), "record_id": facts["record_id"].to_numpy()}
    )
    for c in columns:
        membership[c] = _tokens(linked, c)[where]
    timings["tokens"] = time.perf_counter() - started
    return Linked(
        membership=membership,
        model=model,
        thresholds=thresholds,
        threshold=settings.threshold,
        timings=timings,
        trained=trained,
    )


def _keys(frame: pd.DataFrame) -> np.ndarray:
    """(source, record id) as one string, for hashing."""
    return (frame["source"].astype(str) + "\x1f" + frame["record_id"].astype(str)).to_numpy(
        dtype=object
    )


def _columns(thresholds: Sequence[float]) -> list[str]:
    return [f"t{t:g}" for t in thresholds]


def _tokens(linked: pd.DataFrame, column: str) -> np.ndarray:
    """Stable person tokens of the linkage records: a cluster is named by its smallest
    registry person id (``R123``), else by its smallest record (``Lsource:id``)."""
    cluster, _clusters = pd.factorize(linked[column])
    n = int(cluster.max()) + 1 if len(cluster) else 0
    person = pd.to_numeric(linked["registry_person"]).to_numpy(dtype=float)
    smallest = np.full(n, np.inf)
    np.fmin.at(smallest, cluster, np.where(np.isnan(person), np.inf, person))
    names = np.empty(n, dtype=object)
    registry = np.isfinite(smallest)
    names[registry] = "R" + smallest[registry].astype(np.int64).astype(str).astype(object)
    # Clusters of imported records only: named by their smallest record.
    rows = np.flatnonzero(~registry[cluster])
    if len(rows):
        label = "L" + _keys(linked.iloc[rows]).astype(str)
        label = np.char.replace(label, "\x1f", ":").astype(object)
        rank, labels = pd.factorize(label, sort=True)
        first = np.full(n, len(labels), dtype=np.int64)
        np.minimum.at(first, cluster[rows], rank)
        names[~registry] = np.asarray(labels, dtype=object)[first[~registry]]
    return names[cluster]


def capture_table(membership: pd.DataFrame, column: str, sources: Sequence[str]) -> pd.DataFrame:
    """Persons per pattern of lists, in the form of ``nmt estimate``."""
    from nmt.linkage import capture_table as linkage_capture_table

    frame = membership[["source", column]].rename(columns={column: "person_id"})
    return linkage_capture_table(frame, list(sources))


# ----------------------------------------------------------------------------------- persons


def _known_mask(values: pd.Series) -> np.ndarray:
    """Values that say something: strings other than empty and ``unknown``."""
    array = values.to_numpy(dtype=object)
    return np.fromiter(
        (isinstance(v, str) and v not in ("", UNKNOWN) for v in array), bool, len(array)
    )


def person_facts(records: pd.DataFrame, tokens: np.ndarray, sources: Sequence[str]) -> pd.DataFrame:
    """One row per person (see the module's rules); ``person`` is the stable token. Sorted by
    token. Vectorised: each "first known" rule is the first row of the person where the value
    is known, in the order (person, first date, order); sets of codes are bit masks OR-ed per
    person."""
    frame = records.assign(person=tokens).sort_values(
        ["person", "first_date", "order"], kind="stable"
    )
    frame = frame.reset_index(drop=True)
    index, people = pd.factorize(frame["person"], sort=True)
    n = len(people)

    def first_where(column: str, mask: np.ndarray, default: Any) -> np.ndarray:
        out = np.full(n, default, dtype=object)
        rows = np.flatnonzero(mask)
        if len(rows):
            owners, at = np.unique(index[rows], return_index=True)
            out[owners] = frame[column].to_numpy(dtype=object)[rows[at]]
        return out

    def union(values: pd.Series, codes: tuple[str, ...]) -> np.ndarray:
        out = np.zeros(n, dtype=np.int64)
        np.bitwise_or.at(out, index, codes_to_bits(values, codes))
        return out

    source_bits = np.zeros(n, dtype=np.int64)
    source_code = {s: 1 << i for i, s in enumerate(sources)}
    np.bitwise_or.at(
        source_bits, index, frame["source"].map(source_code).fillna(0).to_numpy(dtype=np.int64)
    )
    purposes = union(frame["purposes"], PURPOSES) & ~(1 << PURPOSES.index(UNKNOWN))
    measures = union(frame["measures"], MEASURES)
    labour = (
        codes_to_bits(frame["purposes"], PURPOSES) & (1 << PURPOSES.index("forced_labour"))
    ) > 0
    industry = labour & np.fromiter(
        (isinstance(v, str) and v != "" for v in frame["industry"].to_numpy(dtype=object)),
        bool,
        len(frame),
    )
    ages = first_where("age", frame["age"].notna().to_numpy(), None)
    first_row = np.unique(index, return_index=True)[1]
    return pd.DataFrame(
        {
            "person": np.asarray(people, dtype=object),
            "sources": bits_to_codes(source_bits, tuple(sources)),
            "first_date": frame["first_date"].to_numpy(dtype=object)[first_row],
            "sex": first_where("sex", _known_mask(frame["sex"]), UNKNOWN),
            "citizenship": first_where("citizenship", _known_mask(frame["citizenship"]), UNKNOWN),
            "region": first_where("region", _known_mask(frame["region"]), UNKNOWN),
            "age_group": first_where("age_group", _known_mask(frame["age_group"]), UNKNOWN),
            "age": [None if a is None or pd.isna(a) else int(a) for a in ages],
            "purposes": _or_else(bits_to_codes(purposes, PURPOSES), (UNKNOWN,)),
            "industry": first_where("industry", industry, UNKNOWN),
            "measures": _or_else(bits_to_codes(measures, MEASURES), ("none",)),
        },
        columns=[
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
        ],
    )


def _or_else(values: np.ndarray, empty: tuple[str, ...]) -> np.ndarray:
    out = values.copy()
    for i in np.flatnonzero(np.fromiter((not v for v in values), bool, len(values))):
        out[i] = empty
    return out


# ------------------------------------------------------------------------------------ tables


def top_countries(persons: pd.DataFrame, n: int = TOP_COUNTRIES) -> tuple[str, ...]:
    counts = persons.loc[persons["citizenship"] != UNKNOWN, "citizenship"].value_counts()
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(code for code, _count in ordered[:n])


def _per_value(values: pd.Series, function: Callable[[Any], Any]) -> np.ndarray:
    """``function`` of each value, computed once per distinct value (tuples included)."""
    index, distinct = pd.factorize(values, use_na_sentinel=False)
    results = np.empty(len(distinct), dtype=object)
    for i, value in enumerate(distinct):
        results[i] = function(value)
    return results[index]


def table_records(
    persons: pd.DataFrame, sources: Sequence[str], countries: Sequence[str]
) -> pd.DataFrame:
    """The grouping variables of every table, one row per person."""
    out = pd.DataFrame({"person": persons["person"]})
    sources_of = persons["sources"].map(tuple)
    for s in sources:
        out[f"in_{s}"] = _per_value(sources_of, lambda ss, s=s: "yes" if s in ss else "no")
    out["sex"] = persons["sex"]
    out["age_group"] = persons["age_group"]
    out["purpose"] = persons["purposes"]
    wanted = set(countries)
    out["citizenship"] = _per_value(
        persons["citizenship"],
        lambda c: c if c in wanted else (UNKNOWN if c == UNKNOWN else OTHER_COUNTRY),
    )
    out["region"] = persons["region"]
    labour = _per_value(persons["purposes"].map(tuple), lambda ps: "forced_labour" in ps)
    out["industry"] = np.where(labour.astype(bool), persons["industry"], NOT_APPLICABLE)
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
