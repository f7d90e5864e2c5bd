"""The Splink model: comparisons, blocking, unsupervised training, prediction and clustering.

Model (Fellegi and Sunter 1969, as implemented by Splink 5): each candidate pair of records gets
a comparison vector, one level per comparison below; m and u probabilities per level are
estimated without labels (u by random sampling of pairs, m by expectation maximisation on
blocked pairs, Winkler 1988), and the pair's match probability is the posterior given the
prior probability that two random records match. Records are clustered into persons by the
connected components of the pairs at or above a threshold.

All comparisons test equality of keys or overlap of sets of keys (see
:mod:`nmt.linkage.features`), so the same settings work on plaintext features and on keyed
tokens, and in DuckDB and Spark SQL alike.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nmt.linkage.capture import capture_table

__all__ = [
    "DEFAULT_THRESHOLDS",
    "LinkageResult",
    "blocking_rules",
    "comparisons",
    "link_features",
    "settings",
]

logger = logging.getLogger(__name__)

#: The clustering threshold and two around it, for the report's sensitivity table.
DEFAULT_THRESHOLDS: tuple[float, float, float] = (0.8, 0.95, 0.99)

_PHASES = ("blocking", "training", "prediction", "clustering")


def _overlap(dialect: str, left: str, right: str) -> str:
    if dialect == "spark":
        return f"arrays_overlap({left}, {right})"
    return f"list_has_any({left}, {right})"


def _subset(dialect: str, part: str, whole: str) -> str:
    if dialect == "spark":
        return f"size(array_except({part}, {whole})) = 0"
    return f"list_has_all({whole}, {part})"


def _level(sql: str, label: str, **options: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **options}


def _name_comparison(dialect: str) -> dict[str, Any]:
    """Given and family name compared as one, so that the u probabilities are those of whole
    names: given and family names are far from independent (both follow the country of
    origin), and comparing them separately would count a common name pair twice."""
    given_fuzzy = f"given_ph_l = given_ph_r OR {_overlap(dialect, 'given_del_l', 'given_del_r')}"
    family_fuzzy = (
        f"family_ph_l = family_ph_r OR {_overlap(dialect, 'family_del_l', 'family_del_r')}"
    )
    both_fuzzy = f"({given_fuzzy}) AND ({family_fuzzy})"
    one_given_missing = "given_l IS NULL OR given_r IS NULL"
    one_family_missing = "family_l IS NULL OR family_r IS NULL"
    within = (
        f"({_subset(dialect, 'given_tokens_l', 'name_bag_r')} OR "
        f"{_subset(dialect, 'given_tokens_r', 'name_bag_l')}) AND "
        f"({_subset(dialect, 'family_tokens_l', 'name_bag_r')} OR "
        f"{_subset(dialect, 'family_tokens_r', 'name_bag_l')})"
    )
    return {
        "output_column_name": "name",
        "comparison_description": "given and family name",
        "comparison_levels": [
            _level(
                "(given_l IS NULL AND family_l IS NULL) OR (given_r IS NULL AND family_r IS NULL)",
                "missing",
                is_null_level=True,
            ),
            _level("name_full_l = name_full_r", "exact", tf_adjustment_column="name_full"),
            _level(
                "(given_canon_l = given_canon_r AND family_canon_l = family_canon_r) OR "
                "(given_canon_l = family_canon_r AND family_canon_l = given_canon_r)",
                "same skeletons, in either order",
            ),
            _level(within, "each name among the other record's names"),
            _level(both_fuzzy, "both names one edit apart or alike in sound"),
            _level(
                f"({one_given_missing}) AND family_canon_l = family_canon_r",
                "same family name, a given name missing",
            ),
            _level(
                f"({one_family_missing}) AND given_canon_l = given_canon_r",
                "same given name, a family name missing",
            ),
            _level(
                f"({one_given_missing}) AND ({family_fuzzy})",
                "family names alike, a given name missing",
            ),
            _level(
                f"({one_family_missing}) AND ({given_fuzzy})",
                "given names alike, a family name missing",
            ),
            _level("family_canon_l = family_canon_r", "same family name, given names differ"),
            _level("given_canon_l = given_canon_r", "same given name, family names differ"),
            _level(_overlap(dialect, "name_bag_l", "name_bag_r"), "a name in common"),
            _level("ELSE", "different"),
        ],
    }


def comparisons(dialect: str = "duckdb") -> list[dict[str, Any]]:
    """The model's comparisons as Splink comparison dictionaries for ``dialect``.

    Parameters
    ----------
    dialect : {"duckdb", "spark"}

    Returns
    -------
    list of dict
    """
    overlap = _overlap
    # Two firm full dates that disagree are evidence against a match, not "same year"; 1 January
    # is not firm, as agencies write it for an unknown day.
    vague = "(birth_date_firm_l IS NULL OR birth_date_firm_r IS NULL)"
    return [
        _name_comparison(dialect),
        {
            "output_column_name": "birth",
            "comparison_description": "birth date, partial date or year from age",
            "comparison_levels": [
                _level(
                    "birth_years_l IS NULL OR birth_years_r IS NULL", "missing", is_null_level=True
                ),
                _level(
                    "birth_date_l = birth_date_r", "same date", tf_adjustment_column="birth_date"
                ),
                _level(
                    "birth_date_l = birth_date_swapped_r OR birth_date_swapped_l = birth_date_r",
                    "day and month swapped",
                ),
                _level(
                    overlap(dialect, "birth_date_parts_l", "birth_date_parts_r"),
                    "two of year, month, day agree",
                ),
                _level(
                    f"{vague} AND {overlap(dialect, 'birth_years_l', 'birth_years_r')}",
                    "same year, one date partial",
                ),
                _level(
                    f"{vague} AND {overlap(dialect, 'birth_year_runs_l', 'birth_year_runs_r')}",
                    "years one apart, one date partial",
                ),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_description": "sex",
            "comparison_levels": [
                _level("sex_l IS NULL OR sex_r IS NULL", "missing", is_null_level=True),
                _level("sex_l = sex_r", "same"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "citizenship",
            "comparison_description": "citizenship",
            "comparison_levels": [
                _level(
                    "citizenship_l IS NULL OR citizenship_r IS NULL", "missing", is_null_level=True
                ),
                _level("citizenship_l = citizenship_r", "same", tf_adjustment_column="citizenship"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "region",
            "comparison_description": "region of identification",
            "comparison_levels": [
                _level("region_l IS NULL OR region_r IS NULL", "missing", is_null_level=True),
                _level("region_l = region_r", "same", tf_adjustment_column="region"),
                _level("ELSE", "different"),
            ],
        },
        {
            "output_column_name": "id_number",
            "comparison_description": "identity number",
            "comparison_levels": [
                _level("id_number_l IS NULL OR id_number_r IS NULL", "missing", is_null_level=True),
                _level("id_number_l = id_number_r", "same"),
                _level(overlap(dialect, "id_del_l", "id_del_r"), "one edit apart"),
                _level("ELSE", "different"),
            ],
        },
    ]


def blocking_rules() -> list[dict[str, Any]]:
    """Rules that choose the candidate pairs (a pair is scored if any rule holds).

    Sound-alike names in either order; the same full birth date with either name sounding
    alike; one name sounding alike within a year of birth (when the other is misspelt and a
    date is partial or only an age); the same identity number. Each is an equi-join, so none
    compares all pairs.
    """
    return [
        {"blocking_rule": "l.name_pair_ph = r.name_pair_ph"},
        {"blocking_rule": "l.birth_date = r.birth_date AND l.family_ph = r.family_ph"},
        {"blocking_rule": "l.birth_date = r.birth_date AND l.given_ph = r.given_ph"},
        {
            "blocking_rule": "l.family_ph = r.family_ph AND l.birth_years = r.birth_years",
            "arrays_to_explode": ["birth_years"],
        },
        {
            "blocking_rule": "l.given_ph = r.given_ph AND l.birth_years = r.birth_years",
            "arrays_to_explode": ["birth_years"],
        },
        {
            "blocking_rule": "l.name_bag = r.name_bag AND l.birth_date = r.birth_date",
            "arrays_to_explode": ["name_bag"],
        },
        {"blocking_rule": "l.id_number = r.id_number"},
    ]


def _training_rules(features: Mapping[str, pd.DataFrame]) -> list[str]:
    """Blocking rules for EM, adapted to the columns the lists fill.

    EM needs pairs of which a fair share match; each rule leaves the comparisons it uses out of
    training, so two rules with disjoint columns together train every comparison. The second
    holds sex and citizenship fixed too, where the lists have them: among persons with the same
    name those almost always agree whether or not the pair matches, and EM left free to use
    them finds that split instead of the one between matches and non-matches.
    """
    filled = {
        column
        for column in ("sex", "citizenship")
        if any(frame[column].notna().any() for frame in features.values())
    }
    second = ["l.given_ph = r.given_ph", "l.family_ph = r.family_ph"]
    second += [f"l.{c} = r.{c}" for c in ("sex", "citizenship") if c in filled]
    return ["l.birth_date = r.birth_date", " AND ".join(second)]


# Pairs that agree on all of these are almost surely the same person; with the assumed share
# of all matches they find, they fix the prior match probability.
_DETERMINISTIC_RULES = (
    "l.given = r.given AND l.family = r.family AND l.birth_date = r.birth_date",
    "l.id_number = r.id_number",
)
_DETERMINISTIC_RECALL = 0.35


def settings(dialect: str = "duckdb") -> dict[str, Any]:
    """The untrained Splink settings dictionary for ``dialect``."""
    return {
        "link_type": "link_and_dedupe",
        "unique_id_column_name": "unique_id",
        "source_dataset_column_name": "source_dataset",
        "comparisons": comparisons(dialect),
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.001,
    }


@dataclass(frozen=True)
class LinkageResult:
    """Records linked into persons.

    Attributes
    ----------
    sources : tuple of str
        Source names, in the order given.
    persons : pandas.DataFrame
        ``source``, ``record_id``, ``person_id``, ``match_probability``: one row per record, in
        source order. ``match_probability`` is the highest probability of the record's links
        into its person; empty for a person of one record.
    pairs : pandas.DataFrame
        Scored pairs at or above the lowest threshold: ``source_l``, ``record_id_l``,
        ``source_r``, ``record_id_r``, ``match_probability``, ``match_weight``.
    clusters : pandas.DataFrame
        ``source``, ``record_id`` and one person id column per threshold (``t0.95``).
    threshold : float
        The threshold of ``persons``.
    thresholds : tuple of float
        All thresholds clustered at.
    model : dict
        The trained Splink model (settings with m and u), as saved to ``model.json``.
    timings : dict of str to float
        Seconds per phase.
    trained : bool
        False when a saved model was reused.
    """

    sources: tuple[str, ...]
    persons: pd.DataFrame
    pairs: pd.DataFrame
    clusters: pd.DataFrame
    threshold: float
    thresholds: tuple[float, ...]
    model: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    trained: bool = True

    @property
    def n_persons(self) -> int:
        return int(self.persons["person_id"].nunique())

    def capture_table(self, threshold: float | None = None) -> pd.DataFrame:
        """The capture table at ``threshold`` (default: the clustering threshold)."""
        column = _threshold_column(self.threshold if threshold is None else threshold)
        frame = self.clusters[["source", column]].rename(columns={column: "person_id"})
        return capture_table(frame, self.sources)

    def persons_at(self, threshold: float) -> int:
        """Number of persons when clustering at ``threshold`` (one of :attr:`thresholds`)."""
        return int(self.clusters[_threshold_column(threshold)].nunique())

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": list(self.sources),
            "records": len(self.persons),
            "persons": self.n_persons,
            "threshold": self.threshold,
            "thresholds": list(self.thresholds),
            "pairs_scored_above_lowest_threshold": len(self.pairs),
            "trained": self.trained,
            "timings": dict(self.timings),
        }


def _threshold_column(threshold: float) -> str:
    return f"t{threshold:g}"


def _db_api(backend: str, spark: Any = None):
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect()
        # The machines this runs on are shared; leave room for the rest.
        connection.execute("SET preserve_insertion_order = false")
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        if spark is None:
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.getOrCreate()
        return SparkAPI(spark_session=spark)
    raise ValueError(f"unknown backend {backend!r} (duckdb or spark)")


def link_features(
    features: Mapping[str, pd.DataFrame],
    *,
    threshold: float = DEFAULT_THRESHOLDS[1],
    thresholds: Sequence[float] = DEFAULT_THRESHOLDS,
    model: Mapping[str, Any] | str | Path | None = None,
    backend: str = "duckdb",
    spark: Any = None,
    seed: int = 42,
    u_max_pairs: float = 2e6,
    em_max_pairs: float = 2e6,
    on_phase: Callable[[str], None] | None = None,
) -> LinkageResult:
    """Link the sources' feature tables into persons.

    Parameters
    ----------
    features : mapping of str to pandas.DataFrame
        Per source (in order), its :func:`nmt.linkage.features.feature_table` or token table.
    threshold : float
        Match probability at or above which two records are the same person.
    thresholds : sequence of float
        Further thresholds to cluster at, for the sensitivity of the counts.
    model : dict, str or Path, optional
        A trained model (``model.json`` of an earlier run) to reuse instead of training.
    backend : {"duckdb", "spark"}
    spark : pyspark.sql.SparkSession, optional
        The session to use with the Spark backend.
    seed : int
        Seed of the random sampling for u probabilities.
    u_max_pairs, em_max_pairs : float
        Pairs sampled to estimate u, and at most pairs used per EM session.
    on_phase : callable, optional
        Called with each phase's name (``blocking``, ``training``, ``prediction``,
        ``clustering``) when it starts.

    Returns
    -------
    LinkageResult
    """
    from splink import Linker
    from splink.clustering import cluster_pairwise_predictions_at_threshold
    from splink.internals.exceptions import EMTrainingException

    sources = tuple(features)
    all_thresholds = tuple(sorted({threshold, *thresholds}))
    clock = _PhaseClock(on_phase)
    phase = clock.start
    phase("blocking")
    db_api = _db_api(backend, spark)
    dialect = "spark" if backend == "spark" else "duckdb"
    tables = [_register(db_api, frame, source) for source, frame in features.items()]
    if model is None:
        model_settings: dict[str, Any] | str = settings(dialect)
    elif isinstance(model, Mapping):
        model_settings = dict(model)
    else:
        model_settings = json.loads(Path(model).read_text(encoding="utf-8"))
    # Splink warns about sampling sizes and unobserved levels on stderr; the report says what
    # matters, and the progress bar owns stderr.
    linker = Linker(tables, model_settings, log_level=logging.ERROR)

    trained = model is None
    if trained:
        phase("training")
        linker.training.estimate_probability_two_random_records_match(
            list(_DETERMINISTIC_RULES), recall=_DETERMINISTIC_RECALL
        )
        linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
        for rule in _training_rules(features):
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, max_pairs=em_max_pairs
                )
            except EMTrainingException:
                # Too few pairs under this rule (tiny or sparse lists): its comparisons keep
                # the values of the other session or Splink's starting values.
                logger.warning("EM training rule %r found no pairs; skipped", rule)

    phase("prediction")
    predictions = linker.inference.predict(
        threshold_match_probability=min(all_thresholds), warning_mode="never"
    )

    phase("clustering")
    separator = "-__-"
    # Only table names Splink made and a constant enter this SQL; source names are checked by
    # source_name_problem() and travel as data.
    nodes_sql = " UNION ALL ".join(
        f"SELECT source_dataset || '{separator}' || unique_id AS node_id FROM {t.physical_name}"  # noqa: S608
        for t in tables
    )
    nodes = db_api.sql_pipeline_to_splink_dataframe(_pipeline(nodes_sql, "__nmt_nodes"))
    edges_sql = (
        f"SELECT source_dataset_l || '{separator}' || unique_id_l AS node_id_l, "  # noqa: S608
        f"source_dataset_r || '{separator}' || unique_id_r AS node_id_r, match_probability "
        f"FROM {predictions.physical_name}"
    )
    edges = db_api.sql_pipeline_to_splink_dataframe(_pipeline(edges_sql, "__nmt_edges"))
    clustered = nodes.as_pandas_dataframe()
    for t in all_thresholds:
        at_t = cluster_pairwise_predictions_at_threshold(
            nodes, edges, db_api, node_id_column_name="node_id", threshold_match_probability=t
        ).as_pandas_dataframe()
        clustered = clustered.merge(
            at_t[["node_id", "cluster_id"]].rename(columns={"cluster_id": _threshold_column(t)}),
            on="node_id",
        )
    pairs = predictions.as_pandas_dataframe()
    phase("done")

    result = _assemble(sources, clustered, pairs, threshold, all_thresholds, separator)
    model_dict = linker.misc.save_model_to_json()
    return LinkageResult(
        sources=sources,
        persons=result[0],
        pairs=result[1],
        clusters=result[2],
        threshold=threshold,
        thresholds=all_thresholds,
        model=model_dict,
        timings=clock.timings,
        trained=trained,
    )


class _PhaseClock:
    """Wall time per phase; starting a phase ends the one before."""

    def __init__(self, on_phase: Callable[[str], None] | None):
        self.timings: dict[str, float] = {}
        self._on_phase = on_phase
        self._current: str | None = None
        self._since = time.perf_counter()

    def start(self, name: str) -> None:
        now = time.perf_counter()
        if self._current is not None:
            self.timings[self._current] = self.timings.get(self._current, 0.0) + now - self._since
        self._current, self._since = name, now
        if self._on_phase is not None and name in _PHASES:
            self._on_phase(name)


def _register(db_api: Any, frame: pd.DataFrame, source: str):
    return db_api.register(frame, dataset_display_name=source, table_name=f"__nmt_in_{source}")


def _pipeline(sql: str, name: str):
    from splink.internals.pipeline import CTEPipeline

    pipeline = CTEPipeline()
    pipeline.enqueue_sql(sql, name)
    return pipeline


def _assemble(
    sources: tuple[str, ...],
    clustered: pd.DataFrame,
    pairs: pd.DataFrame,
    threshold: float,
    thresholds: tuple[float, ...],
    separator: str,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    split = clustered["node_id"].str.split(separator, n=1, expand=True, regex=False)
    clusters = pd.DataFrame({"source": split[0], "record_id": split[1]})
    order = {s: i for i, s in enumerate(sources)}
    clusters["_order"] = clusters["source"].map(order)
    for t in thresholds:
        clusters[_threshold_column(t)] = clustered[_threshold_column(t)].to_numpy()
    clusters = clusters.sort_values(["_order", "record_id"], kind="stable").reset_index(drop=True)
    # Person ids numbered by first appearance, so they are stable across runs of the same input.
    for t in thresholds:
        column = _threshold_column(t)
        codes, _ = pd.factorize(clusters[column])
        clusters[column] = [f"P{c + 1:06d}" for c in codes]
    clusters = clusters.drop(columns="_order")

    pairs = pairs.rename(
        columns={
            "source_dataset_l": "source_l",
            "unique_id_l": "record_id_l",
            "source_dataset_r": "source_r",
            "unique_id_r": "record_id_r",
        }
    )[["source_l", "record_id_l", "source_r", "record_id_r", "match_probability", "match_weight"]]
    pairs = pairs.sort_values("match_probability", ascending=False, kind="stable")

    main = _threshold_column(threshold)
    persons = clusters[["source", "record_id", main]].rename(columns={main: "person_id"})
    # The record's strongest link inside its person at the main threshold.
    linked = pairs[pairs["match_probability"] >= threshold]
    best = pd.concat(
        [
            linked[["source_l", "record_id_l", "match_probability"]].set_axis(
                ["source", "record_id", "p"], axis=1
            ),
            linked[["source_r", "record_id_r", "match_probability"]].set_axis(
                ["source", "record_id", "p"], axis=1
            ),
        ]
    )
    best = best.groupby(["source", "record_id"], as_index=False)["p"].max()
    persons = persons.merge(best, on=["source", "record_id"], how="left").rename(
        columns={"p": "match_probability"}
    )
    return persons.reset_index(drop=True), pairs.reset_index(drop=True), clusters
