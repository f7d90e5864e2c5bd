"""The Splink model: comparisons, blocking, unsupervised training, prediction and clustering.

Model (Fellegi and Sunter 1969, as implemented by Splink 5): each candidate pair of records gets
a comparison vector, one level per comparison below; u probabilities are estimated by random
sampling of record pairs (almost all of which do not match), m probabilities by expectation
maximisation on blocked pairs (Winkler 1988), both without labels. Names, birth dates,
citizenship and region carry term-frequency adjustments: agreeing on a rare value weighs more
than agreeing on a common one (Winkler 1989). The prior probability that two records match is
first set from deterministic rules and then re-estimated from the data: with m and u fixed, the
expected number of matches is the sum of the pairs' posterior probabilities, and the prior is
iterated to that fixed point (the EM update of the mixing proportion, with pairs outside the
blocks taken as non-matches).

Records are clustered into persons by greedy additive edge contraction (Keuper et al. 2015) on
the pairs' log-odds relative to the threshold: clusters are merged while the evidence between
them, summed over their scored pairs, favours one person. Where no pair inside a connected group
speaks against the group, this is the same as connected components at the threshold; where one
does (a record with only a birth year linking two persons of the same name born on different
days), it stops the chain instead of merging the two persons through the bridge.

All comparisons test equality of keys or overlap of sets of keys (see
:mod:`nmt.linkage.features`), so the same settings work on plaintext features and on keyed
tokens, and in DuckDB and Spark SQL alike.
"""

from __future__ import annotations

import heapq
import json
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from nmt.linkage.capture import capture_table
from nmt.linkage.features import FEATURES, GRAM_BITS

__all__ = [
    "DEFAULT_THRESHOLDS",
    "LinkageResult",
    "blocking_rules",
    "cluster",
    "comparisons",
    "link_features",
    "settings",
]

logger = logging.getLogger(__name__)

#: The clustering threshold and two around it, for the report's sensitivity table. 0.5 is the
#: Bayes decision (a link where a match is likelier than not); clustering then finds the
#: partition most probable under the pairwise model.
DEFAULT_THRESHOLDS: tuple[float, float, float] = (0.2, 0.5, 0.8)

_PHASES = ("blocking", "training", "prediction", "clustering")

#: How far below the average (the u of a column's exact-match level) a value's frequency may
#: lower u, per column: a rare name is rarer than the average name, but how rare is uncertain
#: when it is counted in a few thousand persons. 1 would only ever lower weights (common
#: values); 1/64 lets a rare whole name weigh up to 6 bits more than the average one.
TF_FLOOR: dict[str, float] = {"name_key": 1 / 64, "family_canon": 1 / 8, "given_canon": 1 / 4}

#: Dice's coefficient of bigram sets from which two names are "similar": one typing error in
#: a name of six letters leaves about 0.7, a typing error and a romanisation variant 0.5-0.6.
SIMILAR = 0.6
#: The same for whole names (all given and family names together).
WHOLE_SIMILAR = 0.7
WHOLE_LOOSE = 0.5


def _overlap(dialect: str, left: str, right: str) -> str:
    if dialect == "spark":
        return f"arrays_overlap({left}, {right})"
    return f"list_has_any({left}, {right})"


def _contains(dialect: str, array: str, element: str) -> str:
    if dialect == "spark":
        return f"array_contains({array}, {element})"
    return f"list_contains({array}, {element})"


def _near(dialect: str, left: str, right: str) -> str:
    # Deletion neighbourhoods of words one edit apart differ in size by at most two (a word's
    # neighbourhood has one key per letter, less repeated deletions): a cheap test first.
    size = "size" if dialect == "spark" else "len"
    return f"abs({size}({left}) - {size}({right})) <= 2"


def _dice(left: str, right: str, at_least: float) -> str:
    """Dice's coefficient of the bigram bit sets of name part ``left`` (of the left record) and
    ``right`` (of the right record) at least ``at_least``: ``2 |A & B| >= t (|A| + |B|)``,
    false when either set is empty. The same SQL in DuckDB and Spark."""
    common = " + ".join(
        f"CAST(bit_count({left}_gw{w}_l & {right}_gw{w}_r) AS INT)" for w in range(_GRAM_WORDS)
    )
    return f"(2 * ({common}) >= {at_least} * ({left}_gn_l + {right}_gn_r) + 0.001)"


def _subset(dialect: str, part: str, whole: str) -> str:
    if dialect == "spark":
        return f"size(array_except({part}, {whole})) = 0"
    return f"list_has_all({whole}, {part})"


def _level(sql: str, label: str, **options: Any) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, **options}


def _name_comparison(dialect: str) -> dict[str, Any]:
    """Given and family name compared as one, so that the u probabilities are those of whole
    names: given and family names are far from independent (both follow the country of
    origin), and comparing them separately would count a common name pair twice. Levels that
    rest on one name agreeing are adjusted by that name's frequency (Nguyen against Ogunsinkwo);
    the exact-match levels ``family_canon_l = family_canon_r`` and ``given_canon_l =
    given_canon_r`` give the adjustments their baseline."""

    def alike(a: str, b: str) -> str:
        # Sounding alike, one edit apart, or one's names all among the other's (Petronela and
        # Petronela Vanesa).
        one_edit = (
            f"({_near(dialect, f'{a}_del_l', f'{b}_del_r')} AND "
            f"{_overlap(dialect, f'{a}_del_l', f'{b}_del_r')})"
        )
        return (
            f"({a}_ph_l = {b}_ph_r OR {one_edit} OR "
            f"{_subset(dialect, f'{a}_tokens_l', f'{b}_tokens_r')} OR "
            f"{_subset(dialect, f'{b}_tokens_r', f'{a}_tokens_l')})"
        )

    both_alike = (
        f"({alike('given', 'given')} AND {alike('family', 'family')}) OR "
        f"({alike('given', 'family')} AND {alike('family', 'given')})"
    )

    def similar(a: str, b: str, at_least: float = SIMILAR) -> str:
        return _dice(a, b, at_least)

    both_similar = (
        f"({similar('given', 'given')} AND {similar('family', 'family')}) OR "
        f"({similar('given', 'family')} AND {similar('family', 'given')})"
    )
    one_given_missing = "(given_l IS NULL OR given_r IS NULL)"
    one_family_missing = "(family_l IS NULL OR family_r IS NULL)"
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
            _level(
                "name_key_l = name_key_r",
                "same names (skeletons, in either order)",
                tf_adjustment_column="name_key",
            ),
            _level(
                within,
                "each name among the other record's names",
                tf_adjustment_column="family_canon",
            ),
            _level(
                both_alike,
                "both names one edit apart or alike in sound",
                tf_adjustment_column="family_canon",
            ),
            _level(
                both_similar, "both names similar (bigrams)", tf_adjustment_column="family_canon"
            ),
            _level(
                f"{one_given_missing} AND family_canon_l = family_canon_r",
                "same family name, a given name missing",
                tf_adjustment_column="family_canon",
            ),
            _level(
                f"{one_family_missing} AND given_canon_l = given_canon_r",
                "same given name, a family name missing",
                tf_adjustment_column="given_canon",
            ),
            _level(
                f"({one_given_missing} AND {alike('family', 'family')}) OR "
                f"({one_family_missing} AND {alike('given', 'given')})",
                "one name alike, the other missing",
            ),
            _level(
                f"({one_given_missing} AND {similar('family', 'family')}) OR "
                f"({one_family_missing} AND {similar('given', 'given')})",
                "one name similar (bigrams), the other missing",
            ),
            _level(
                "family_canon_l = family_canon_r",
                "same family name, given names differ",
                tf_adjustment_column="family_canon",
            ),
            _level(
                "given_canon_l = given_canon_r",
                "same given name, family names differ",
                tf_adjustment_column="given_canon",
            ),
            _level(
                _dice("name", "name", WHOLE_SIMILAR),
                "whole names similar (bigrams)",
            ),
            _level(_overlap(dialect, "name_bag_l", "name_bag_r"), "a name in common"),
            _level(
                _dice("name", "name", WHOLE_LOOSE),
                "whole names somewhat similar (bigrams)",
            ),
            _level("ELSE", "different"),
        ],
    }


def _birth_comparison(dialect: str) -> dict[str, Any]:
    """Birth date, partial date or year from an estimated age.

    Two firm full dates that disagree beyond a swap or a mistyped digit are evidence against a
    match, not "same year"; 1 January is not firm, as agencies write it for an unknown day.
    """
    vague = "(birth_date_firm_l IS NULL OR birth_date_firm_r IS NULL)"
    both_full = "birth_date_l IS NOT NULL AND birth_date_r IS NOT NULL"
    one_part_off = "(birth_ym_l = birth_ym_r OR birth_yd_l = birth_yd_r OR birth_md_l = birth_md_r)"

    def age_fits(window: str) -> str:
        return (
            f"(age_year_l IS NOT NULL AND "
            f"{_contains(dialect, f'{window}_l', 'coalesce(birth_year_r, age_year_r)')}) OR "
            f"(age_year_r IS NOT NULL AND "
            f"{_contains(dialect, f'{window}_r', 'coalesce(birth_year_l, age_year_l)')})"
        )

    return {
        "output_column_name": "birth",
        "comparison_description": "birth date, partial date or year from age",
        "comparison_levels": [
            _level("birth_years_l IS NULL OR birth_years_r IS NULL", "missing", is_null_level=True),
            _level("birth_date_l = birth_date_r", "same date", tf_adjustment_column="birth_date"),
            _level(
                "birth_date_l = birth_date_swapped_r OR birth_date_swapped_l = birth_date_r",
                "day and month swapped",
            ),
            _level(f"{both_full} AND {one_part_off}", "two of year, month, day agree"),
            _level("birth_ym_l = birth_ym_r", "same year and month, a date partial"),
            _level(f"{vague} AND birth_year_l = birth_year_r", "same year, a date partial"),
            _level(
                f"{vague} AND (birth_year_next_l = birth_year_r OR "
                "birth_year_l = birth_year_next_r)",
                "years one apart, a date partial",
            ),
            _level(
                age_fits("age_years"), "birth year as an estimated age says, give or take a year"
            ),
            _level(age_fits("birth_years"), "birth year within what an estimated age allows"),
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
    return [
        _name_comparison(dialect),
        _birth_comparison(dialect),
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
                _level("citizenship_l = citizenship_r", "same"),
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
                _level(
                    f"{_near(dialect, 'id_del_l', 'id_del_r')} AND "
                    f"{_overlap(dialect, 'id_del_l', 'id_del_r')}",
                    "one edit apart",
                ),
                _level(
                    "id_se_l IS NOT NULL AND id_se_r IS NOT NULL", "two different Swedish numbers"
                ),
                _level("ELSE", "different (passports, or a passport and a Swedish number)"),
            ],
        },
    ]


#: Lists of up to this many records together get two more blocking rules (see
#: :func:`blocking_rules`).
GENEROUS_UP_TO = 250_000


def blocking_rules(n_records: int | None = None) -> list[dict[str, Any]]:
    """Rules that choose the candidate pairs (a pair is scored if any rule holds).

    Each is an equi-join on keys, some on one element of a set of keys (``arrays_to_explode``),
    some restricted to records lacking a field; none compares all pairs. In words: names
    sounding alike (in either order) with a possible birth year in common, or with the same
    month and day (a mistyped year), or where a record has no birth year at all; one name the
    same and the other at most one edit apart (``name_near``, in either order) with a possible
    birth year in common or the same month and day; the same birth date (or with day and month
    swapped) with the same initials; the same birth date where a record lacks a name; a name
    of one among the other's names with the same birth date; the same identity number; the
    family name sounding alike with the same initials and a possible birth year in common; the
    one name a record has sounding alike with a possible birth year.

    Up to :data:`GENEROUS_UP_TO` records (``n_records``; None counts as few), two more: the
    given name sounding alike with the same initials and a possible birth year in common, and
    ``name_near`` where a record has no birth year. On the generator's lists of a few thousand
    records they add 0.4 (default) to 1.1 (hard) points of pairwise F1; at a million records
    they scored 4.8 of 13.3 million pairs, a third of the prediction time, for 0.0002.
    """

    def explode(rule: str, *arrays: str) -> dict[str, Any]:
        return {"blocking_rule": rule, "arrays_to_explode": list(arrays or ["birth_years"])}

    # Conditions on one side of a pair are written once per side (not as l OR r), so that the
    # engine filters each side before the join.
    sided = []
    for side in ("l", "r"):
        sided += [
            {"blocking_rule": f"l.name_pair_ph = r.name_pair_ph AND {side}.birth_years IS NULL"},
            {"blocking_rule": f"l.birth_date = r.birth_date AND {side}.given IS NULL"},
            {"blocking_rule": f"l.birth_date = r.birth_date AND {side}.family IS NULL"},
        ]
    rules = [
        explode("l.name_pair_ph = r.name_pair_ph AND l.birth_years = r.birth_years"),
        {"blocking_rule": "l.name_pair_ph = r.name_pair_ph AND l.birth_md = r.birth_md"},
        explode(
            "l.name_near = r.name_near AND l.birth_years = r.birth_years",
            "name_near",
            "birth_years",
        ),
        explode("l.name_near = r.name_near AND l.birth_md = r.birth_md", "name_near"),
        {"blocking_rule": "l.birth_date = r.birth_date AND l.initials = r.initials"},
        # Swapping is its own inverse: one direction finds every swapped pair.
        {"blocking_rule": "l.birth_date = r.birth_date_swapped AND l.initials = r.initials"},
        *sided,
        explode("l.name_bag = r.name_bag AND l.birth_date = r.birth_date", "name_bag"),
        {"blocking_rule": "l.id_number = r.id_number"},
        explode(
            "l.family_ph = r.family_ph AND l.initials = r.initials "
            "AND l.birth_years = r.birth_years"
        ),
        explode(
            "l.family_ph = r.family_ph AND l.birth_years = r.birth_years "
            "AND (l.given IS NULL OR r.given IS NULL)"
        ),
        explode(
            "l.given_ph = r.given_ph AND l.birth_years = r.birth_years "
            "AND (l.family IS NULL OR r.family IS NULL)"
        ),
    ]
    if n_records is None or n_records <= GENEROUS_UP_TO:
        rules.append(
            explode(
                "l.given_ph = r.given_ph AND l.initials = r.initials "
                "AND l.birth_years = r.birth_years"
            )
        )
        rules += [
            explode(f"l.name_near = r.name_near AND {side}.birth_years IS NULL", "name_near")
            for side in ("l", "r")
        ]
    return rules


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
    second = ["l.name_key = r.name_key"]
    second += [f"l.{c} = r.{c}" for c in ("sex", "citizenship") if c in filled]
    return ["l.birth_date = r.birth_date", " AND ".join(second)]


# Pairs that agree on all of these are almost surely the same person; with the assumed share
# of all matches they find, they give the starting prior, which the data then correct.
_DETERMINISTIC_RULES = (
    "l.name_key = r.name_key AND l.birth_date_firm = r.birth_date_firm",
    "l.id_number = r.id_number",
)
_DETERMINISTIC_RECALL = 0.5


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
        "max_iterations": 25,
        "em_convergence": 0.0001,
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
        ``source``, ``record_id`` and one person id column per threshold (``t0.5``).
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
    prior : float
        The probability that two random records match, as re-estimated from these lists.
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
    prior: float = float("nan")

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
            "prior_match_probability": self.prior,
            "trained": self.trained,
            "timings": dict(self.timings),
        }


def _threshold_column(threshold: float) -> str:
    return f"t{threshold:g}"


def _db_api(backend: str, spark: Any = None, threads: int | None = None):
    if backend == "duckdb":
        import duckdb
        from splink import DuckDBAPI

        connection = duckdb.connect()
        connection.execute("SET preserve_insertion_order = false")
        if threads is not None:
            connection.execute(f"SET threads = {int(threads)}")
        return DuckDBAPI(connection)
    if backend == "spark":
        from splink import SparkAPI

        if spark is None:
            from pyspark.sql import SparkSession

            spark = SparkSession.builder.getOrCreate()
        if spark.sparkContext.getCheckpointDir() is None:
            # Splink checkpoints intermediate tables; a session without a directory for them
            # gets a temporary one.
            import tempfile

            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="nmt-spark-"))
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
    u_max_pairs: float = 1e6,
    em_max_pairs: float = 1e6,
    threads: int | None = None,
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
        A trained model (``model.json`` of an earlier run) to reuse instead of training. The
        prior is re-estimated from the lists all the same (it depends on their size).
    backend : {"duckdb", "spark"}
    spark : pyspark.sql.SparkSession, optional
        The session to use with the Spark backend.
    seed : int
        Seed of the random sampling for u probabilities.
    u_max_pairs, em_max_pairs : float
        Pairs sampled to estimate u, and at most pairs used per EM session.
    threads : int, optional
        DuckDB threads (default: DuckDB's, one per core).
    on_phase : callable, optional
        Called with each phase's name (``blocking``, ``training``, ``prediction``,
        ``clustering``) when it starts.

    Returns
    -------
    LinkageResult
    """
    from splink import Linker
    from splink.internals.exceptions import EMTrainingException

    sources = tuple(features)
    all_thresholds = tuple(sorted({threshold, *thresholds}))
    clock = _PhaseClock(on_phase)
    phase = clock.start
    phase("blocking")
    db_api = _db_api(backend, spark, threads)
    dialect = "spark" if backend == "spark" else "duckdb"
    offsets = np.cumsum([0, *(len(frame) for frame in features.values())])
    arrow_tables: list[Any] = []
    tables = [
        _register(db_api, frame, source, number, int(offset), keep=arrow_tables)
        for number, ((source, frame), offset) in enumerate(
            zip(features.items(), offsets, strict=False)
        )
    ]
    n_records = int(offsets[-1])
    if model is None:
        model_settings: dict[str, Any] | str = settings(dialect)
    elif isinstance(model, Mapping):
        model_settings = dict(model)
    else:
        model_settings = json.loads(Path(model).read_text(encoding="utf-8"))
    if model is not None:
        model_settings = _for_dialect(model_settings, dialect)
    # The candidate pairs depend on the lists' size, not on the model (a reused model included).
    model_settings = {
        **model_settings,
        "blocking_rules_to_generate_predictions": blocking_rules(n_records),
    }
    # Splink warns about sampling sizes and unobserved levels on stderr; the report says what
    # matters, and the progress bar owns stderr.
    linker = Linker(tables, model_settings, log_level=logging.ERROR)

    _register_term_frequencies(linker, db_api, tables)

    trained = model is None
    if trained:
        phase("training")
        linker.training.estimate_probability_two_random_records_match(
            list(_DETERMINISTIC_RULES), recall=_DETERMINISTIC_RECALL
        )
        linker.training.estimate_u_using_random_sampling(
            max_pairs=u_max_pairs, seed=seed, num_chunks=1
        )
        for rule in _training_rules(features):
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, max_pairs=em_max_pairs, estimate_without_term_frequencies=True
                )
            except EMTrainingException:
                # Too few pairs under this rule (tiny or sparse lists): its comparisons keep
                # the values of the other session or Splink's starting values.
                logger.warning("EM training rule %r found no pairs; skipped", rule)
        corrected = _with_tf_floors(
            _given_the_name(
                _without_matches_in_u(
                    linker.misc.save_model_to_json(),
                    linker._settings_obj._probability_two_random_records_match,
                ),
                db_api,
                tables,
            )
        )
        linker = Linker(tables, corrected, log_level=logging.ERROR)
        _register_term_frequencies(linker, db_api, tables)
    else:
        # The prior depends on the lists' size: estimated again for these lists.
        linker.training.estimate_probability_two_random_records_match(
            list(_DETERMINISTIC_RULES), recall=_DETERMINISTIC_RECALL
        )

    phase("prediction")
    predictions = linker.inference.predict(warning_mode="never")
    edges = _fetch_edges(db_api, predictions, backend)
    prior_before = linker._settings_obj._probability_two_random_records_match
    total_pairs = n_records * (n_records - 1) / 2
    bayes = edges["match_weight"].to_numpy() - _logit2(prior_before)
    if COMPLETE_UP_TO:
        edges, bayes = _complete_groups(
            db_api,
            arrow_tables,
            sources,
            linker.misc.save_model_to_json(),
            edges,
            bayes,
            n_records,
            _logit2(COMPLETE_FROM) - _logit2(prior_before),
            backend,
        )
    prior = _estimate_prior(bayes, total_pairs, prior_before)
    linker._settings_obj._probability_two_random_records_match = prior
    weight = bayes + _logit2(prior)

    phase("clustering")
    labels = {
        t: cluster(
            n_records,
            edges["node_l"].to_numpy(),
            edges["node_r"].to_numpy(),
            weight,
            threshold=t,
        )
        for t in all_thresholds
    }
    result = _assemble(
        features, sources, labels, edges, weight, threshold, all_thresholds, min(all_thresholds)
    )
    phase("done")
    saved = linker.misc.save_model_to_json()
    return LinkageResult(
        sources=sources,
        persons=result[0],
        pairs=result[1],
        clusters=result[2],
        threshold=threshold,
        thresholds=all_thresholds,
        model=saved,
        timings=clock.timings,
        trained=trained,
        prior=prior,
    )


# Term frequencies count persons, not records: a name borne by one person with three records is
# rare, not three times as common as a name seen once. The persons holding a value are counted
# by the distinct values of a second, nearly independent field among its records (different
# birth dates among the records of one name are different persons, up to typing errors).
_TF_PERSONS: dict[str, str] = {
    "name_key": "birth_year",
    "family_canon": "given_ph",
    "given_canon": "family_ph",
    "birth_date": "family_ph",
}


def _register_term_frequencies(linker: Any, db_api: Any, tables: Sequence[Any]) -> None:
    """Register a term-frequency lookup for every adjusted column.

    The frequency of a value is the chance that a record of another person shares it: the
    number of other persons holding it over all persons counted for the column. Splink's own
    tables divide records by records, which makes every value of a person with several records
    look common, and more so the shorter the lists. A value no other person holds gets
    frequency 0, which the level's ``tf_minimum_u_value`` (set after training to the column's
    average, the u of its exact-match level) lifts: adjustments only lower the weight of
    common values, and never raise a rare value above what the data can show.
    """
    from splink.internals.pipeline import CTEPipeline

    union = " UNION ALL ".join(f"SELECT * FROM {t.physical_name}" for t in tables)  # noqa: S608
    for column in linker._settings_obj._term_frequency_columns:
        name = column.unquote().name
        persons = _TF_PERSONS.get(name, "unique_id || '|' || source_dataset")
        sql = (
            f"WITH v AS (SELECT {name} AS value, {persons} AS person FROM ({union}) AS u "  # noqa: S608
            f"WHERE {name} IS NOT NULL), "
            "g AS (SELECT value, greatest(count(DISTINCT person), 1) AS persons "
            "FROM v GROUP BY value) "
            f"SELECT value AS {name}, "
            f"cast(persons - 1 AS double) / (SELECT sum(persons) FROM g) AS tf_{name} FROM g"
        )
        if name == "name_key":
            sql = _name_frequency_sql(union)
        pipeline = CTEPipeline()
        pipeline.enqueue_sql(sql, f"__nmt_tf_{name}")
        frame = db_api.sql_pipeline_to_splink_dataframe(pipeline)
        linker.table_management.register_term_frequency_lookup(frame, name)


def _name_frequency_sql(union: str) -> str:
    """Frequency of whole names: that of other persons seen with the name, but at least what
    the frequencies of its two parts imply.

    A list shows one person named Elena Mihai, so the name looks unique; but Elena and Mihai
    are both common, and another Elena Mihai is likely to exist. The floor is the product of
    the parts' frequencies (the share of persons with each), times the concentration of
    origins, ``1 / sum(share of citizenship^2)``: given and family names are independent
    within an origin, not across origins.
    """
    return f"""
    WITH u AS (SELECT * FROM ({union}) AS x),
    parts AS (
        SELECT name, count(DISTINCT other) AS persons FROM (
            SELECT given_canon AS name, family_ph AS other FROM u WHERE given_canon IS NOT NULL
            UNION ALL
            SELECT family_canon AS name, given_ph AS other FROM u WHERE family_canon IS NOT NULL
        ) AS p GROUP BY name
    ),
    part_total AS (SELECT sum(persons) AS total FROM parts),
    origin AS (
        SELECT 1.0 / sum(share * share) AS concentration FROM (
            SELECT cast(count(*) AS double) / sum(count(*)) OVER () AS share
            FROM u WHERE citizenship IS NOT NULL GROUP BY citizenship
        ) AS o
    ),
    names AS (
        SELECT name_key, greatest(count(DISTINCT birth_year), 1) AS persons,
            any_value(given_canon) AS given, any_value(family_canon) AS family
        FROM u WHERE name_key IS NOT NULL GROUP BY name_key
    ),
    total AS (SELECT sum(persons) AS total FROM names)
    SELECT names.name_key,
        greatest(
            cast(names.persons - 1 AS double) / total.total,
            coalesce((SELECT concentration FROM origin), 1.0)
                * (2.0 * pg.persons / part_total.total) * (2.0 * pf.persons / part_total.total)
        ) AS tf_name_key
    FROM names CROSS JOIN total CROSS JOIN part_total
    LEFT JOIN parts AS pg ON pg.name = names.given
    LEFT JOIN parts AS pf ON pf.name = names.family
    """  # noqa: S608


#: Comparisons whose u is taken among pairs that agree on the name (see _given_the_name).
_NAME_DEPENDENT = ("sex", "citizenship")


def _given_the_name(model: dict[str, Any], db_api: Any, tables: Sequence[Any]) -> dict[str, Any]:
    """Set the u probabilities of sex and citizenship to those among non-matching pairs that
    share a name.

    The model scores pairs that agree on their names, and among those sex and citizenship
    agree far more often than among random pairs (a given name tells the sex, a name the
    origin); at the random pairs' rate their agreement would count the name's evidence twice.
    Pairs with the same name whose birth years are two or more apart serve as non-matches.
    """
    from splink.internals.pipeline import CTEPipeline

    union = " UNION ALL ".join(f"SELECT * FROM {t.physical_name}" for t in tables)  # noqa: S608
    apart = (
        "l.birth_year <> r.birth_year AND l.birth_year_next <> r.birth_year "
        "AND l.birth_year <> r.birth_year_next"
    )
    checks = ", ".join(
        f"count(l.{c} IS NOT NULL AND r.{c} IS NOT NULL OR NULL) AS {c}_n, "
        f"count(l.{c} = r.{c} OR NULL) AS {c}_same"
        for c in _NAME_DEPENDENT
    )
    sql = (
        f"WITH u AS (SELECT * FROM ({union}) AS x WHERE name_key IS NOT NULL "  # noqa: S608
        "AND birth_year IS NOT NULL) "
        f"SELECT {checks} FROM u AS l JOIN u AS r ON l.name_key = r.name_key "
        f"AND l.unique_id < r.unique_id AND {apart}"
    )
    pipeline = CTEPipeline()
    pipeline.enqueue_sql(sql, "__nmt_name_controls")
    frame = db_api.sql_pipeline_to_splink_dataframe(pipeline)
    counts = frame.as_record_list()[0]
    frame.drop_table_from_database_and_remove_from_cache()
    model = json.loads(json.dumps(model))
    for comparison in model["comparisons"]:
        column = comparison["output_column_name"]
        n = counts.get(f"{column}_n") or 0
        if column not in _NAME_DEPENDENT or n < 100:
            # Too few controls to say (short lists): keep the random pairs' u.
            continue
        same = min(max(counts[f"{column}_same"] / n, 0.5 / n), 1 - 0.5 / n)
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level") or level.get("u_probability") is None:
                continue
            level["u_probability"] = same if level["sql_condition"] != "ELSE" else 1 - same
    return model


def _without_matches_in_u(model: dict[str, Any], prior: float) -> dict[str, Any]:
    """Remove the matches from u probabilities estimated on random pairs.

    A random pair matches with probability ``prior``, so the sampled share of a level is
    ``prior * m + (1 - prior) * u``; for rare levels of short lists (two names alike: u of the
    order of 1e-5, prior of 1e-4) the matches are most of it, and the level's weight would
    be understated by bits. Solved for u, floored at a twentieth of the sampled value.
    """
    model = json.loads(json.dumps(model))
    for comparison in model["comparisons"]:
        levels = [
            level
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
            and level.get("u_probability") is not None
            and level.get("m_probability") is not None
        ]
        if not levels:
            continue
        for level in levels:
            sampled = level["u_probability"]
            level["u_probability"] = max(
                (sampled - prior * level["m_probability"]) / (1.0 - prior), sampled / 20.0
            )
        total = sum(level["u_probability"] for level in levels)
        for level in levels:
            level["u_probability"] /= total
    return model


def _with_tf_floors(model: dict[str, Any]) -> dict[str, Any]:
    """Set each term-frequency-adjusted level's ``tf_minimum_u_value`` to the u of its
    column's exact-match level (see :func:`_register_term_frequencies`)."""
    for comparison in model["comparisons"]:
        levels = comparison["comparison_levels"]
        exact = {
            level["sql_condition"].split("_l = ")[0].strip(): level.get("u_probability")
            for level in levels
            if level["sql_condition"].count("=") == 1 and level["sql_condition"].endswith("_r")
        }
        for level in levels:
            column = level.get("tf_adjustment_column")
            if column and exact.get(column):
                level["tf_minimum_u_value"] = exact[column] * TF_FLOOR.get(column, 1.0)
    return model


def _for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """A saved model with its comparisons' SQL written for ``dialect`` (a model trained on
    DuckDB, reused on Spark). Levels are matched by comparison and position; a comparison
    this version of the model does not know keeps its SQL."""
    model = json.loads(json.dumps(model))
    if model.get("sql_dialect", dialect) == dialect:
        return model
    ours = {c["output_column_name"]: c for c in comparisons(dialect)}
    for comparison in model["comparisons"]:
        mine = ours.get(comparison["output_column_name"])
        levels = comparison["comparison_levels"]
        if mine is None or len(mine["comparison_levels"]) != len(levels):
            continue
        for level, written in zip(levels, mine["comparison_levels"], strict=True):
            level["sql_condition"] = written["sql_condition"]
    model["sql_dialect"] = dialect
    return model


def _logit2(p: float) -> float:
    return math.log2(p / (1.0 - p))


def _estimate_prior(
    bayes_bits: np.ndarray, total_pairs: float, start: float, *, iterations: int = 100
) -> float:
    """The prior probability of a match as the fixed point of ``prior = sum of posteriors /
    all pairs``, given each scored pair's Bayes factor (in bits); unscored pairs count as
    non-matches. This is the EM update of the mixing proportion with m and u held fixed."""
    if total_pairs <= 0 or len(bayes_bits) == 0:
        return start
    prior = start
    for _ in range(iterations):
        posterior = 1.0 / (1.0 + np.exp2(-(bayes_bits + _logit2(prior))))
        updated = float(np.clip(posterior.sum() / total_pairs, 1e-12, 0.5))
        if abs(updated - prior) <= 1e-6 * prior:
            return updated
        prior = updated
    return prior


#: A pair whose match weight is below this many bits keeps its two records' clusters apart,
#: however strong the other links between them (see :func:`cluster`).
VETO_BITS = 15.0


def cluster(
    n_nodes: int,
    left: np.ndarray,
    right: np.ndarray,
    weight: np.ndarray,
    *,
    threshold: float,
) -> np.ndarray:
    """Cluster labels of ``n_nodes`` records from scored pairs.

    Parameters
    ----------
    n_nodes : int
    left, right : numpy.ndarray of int
        The records of each scored pair (0 .. n_nodes - 1).
    weight : numpy.ndarray of float
        Each pair's match weight: the log2 posterior odds that the two records match.
    threshold : float
        Match probability at or above which a pair alone joins two records.

    Returns
    -------
    numpy.ndarray of int
        A cluster label per record.

    Notes
    -----
    Greedy agglomeration on edge costs ``weight - logit2(threshold)``: repeatedly merge the two
    clusters with the highest link score, while it is positive. The score of two clusters is
    the mean of the strongest cost between them and the average cost over their scored
    pairs, and no score at all if a pair between them weighs below ``-VETO_BITS``: one strong
    link between two persons' records counts (a person's records resemble each other in
    different ways), but so does what the others say (a record that resembles both of two
    persons who disagree joins neither or the likelier one). Summing the costs instead
    (additive edge contraction, Keuper et al. 2015) counts the prior's penalty once per pair
    and kept apart a tenth of the records of persons with three or more records.

    It runs only inside connected components of the pairs at or above the threshold that hold
    a scored pair below it; elsewhere it would give the same components.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    cut = _logit2(threshold)
    cost = weight - cut
    positive = cost >= 0
    graph = coo_matrix(
        (np.ones(int(positive.sum())), (left[positive], right[positive])),
        shape=(n_nodes, n_nodes),
    )
    _, labels = connected_components(graph, directed=False)
    labels = labels.astype(np.int64)
    inside = labels[left] == labels[right]
    conflict = inside & ~positive
    if not conflict.any():
        return labels
    troubled = np.unique(labels[left[conflict]])
    in_troubled = np.isin(labels[left], troubled) & inside
    next_label = int(labels.max()) + 1
    order = np.argsort(labels[left[in_troubled]], kind="stable")
    sub_left = left[in_troubled][order]
    sub_right = right[in_troubled][order]
    sub_cost = cost[in_troubled][order]
    sub_weight = weight[in_troubled][order]
    sub_label = labels[sub_left]
    bounds = np.flatnonzero(np.diff(sub_label)) + 1
    for start, stop in zip(np.r_[0, bounds], np.r_[bounds, len(sub_label)], strict=True):
        parts = _agglomerate(
            sub_left[start:stop],
            sub_right[start:stop],
            sub_cost[start:stop],
            sub_weight[start:stop] < -VETO_BITS,
        )
        first = True
        for members in parts:
            if first:
                first = False
                continue
            labels[members] = next_label
            next_label += 1
    return labels


def _agglomerate(
    left: np.ndarray, right: np.ndarray, cost: np.ndarray, veto: np.ndarray
) -> list[list[int]]:
    """Greedy agglomeration of one component (see :func:`cluster`); returns its clusters.

    Between two clusters it keeps the sum, count and maximum of the costs, and whether a pair
    vetoes: merging adds them up in constant time."""
    # links[a][b] = [sum, count, max, vetoed]
    links: dict[int, dict[int, list]] = {}
    for a, b, c, v in zip(left.tolist(), right.tolist(), cost.tolist(), veto.tolist(), strict=True):
        if a == b:
            continue
        row = links.setdefault(a, {})
        link = row.get(b)
        if link is None:
            link = [0.0, 0, -math.inf, False]
            row[b] = link
            links.setdefault(b, {})[a] = link
        link[0] += c
        link[1] += 1
        link[2] = max(link[2], c)
        link[3] = link[3] or v

    def score(link: list) -> float:
        return -math.inf if link[3] else 0.5 * (link[2] + link[0] / link[1])

    members = {node: [node] for node in links}
    heap = [(-score(k), a, b) for a, row in links.items() for b, k in row.items() if a < b]
    heap = [item for item in heap if -item[0] >= 0]
    heapq.heapify(heap)
    while heap:
        negative, a, b = heapq.heappop(heap)
        if a not in members or b not in members or b not in links[a]:
            continue
        if score(links[a][b]) != -negative:
            continue
        # Merge the cluster with fewer neighbours into the other; links to common neighbours
        # combine.
        if len(links[a]) < len(links[b]):
            a, b = b, a
        members[a].extend(members.pop(b))
        row_b = links.pop(b)
        del links[a][b]
        for x, link in row_b.items():
            if x == a:
                continue
            del links[x][b]
            mine = links[a].get(x)
            if mine is None:
                merged = link
            else:
                merged = [
                    mine[0] + link[0],
                    mine[1] + link[1],
                    max(mine[2], link[2]),
                    mine[3] or link[3],
                ]
            links[a][x] = merged
            links[x][a] = merged
            value = score(merged)
            if value >= 0:
                heapq.heappush(heap, (-value, min(a, x), max(a, x)))
    return sorted(members.values(), key=len, reverse=True)


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


def _hash_keys(array: Any) -> Any:
    """Keys (strings, or lists of strings) as 64-bit integers (lists of them).

    Only equality of keys matters to the model, and integers are compared, hashed and copied
    several times faster than strings; a collision between two of the keys of one run has a
    probability of the order of 1e-8 at a million records, and the same keys hash the same in
    plaintext and token mode alike."""
    import pyarrow as pa
    from pandas.util import hash_array

    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_list(array.type):
        values = _hash_keys(array.values)
        return pa.ListArray.from_arrays(array.offsets, values, mask=array.is_null())
    encoded = array.dictionary_encode()
    distinct = encoded.dictionary.to_numpy(zero_copy_only=False).astype(object)
    hashed = hash_array(distinct, categorize=False).view(np.int64)
    return pa.array(hashed, pa.int64()).take(encoded.indices)


_GRAM_WORDS = GRAM_BITS // 64
_POPCOUNT = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


def _gram_bits(keys: Any) -> tuple[np.ndarray, np.ndarray]:
    """Sets of keys (hashed to integers) as bit sets of :data:`GRAM_BITS` bits, one 64-bit word
    per column, and the number of bits set.

    Dice's coefficient of two bigram sets is then ``2 popcount(a & b) / (popcount(a) +
    popcount(b))``, which SQL engines compute on integers a few dozen times faster than they
    intersect lists. Two bigrams that share a bit (1 in 256) count as one: the coefficient of
    unrelated names rises by about 0.03 on average, which the model's m and u absorb; the
    same holds for plaintext and tokens alike.
    """
    n = len(keys)
    lengths = np.asarray(keys.value_lengths().fill_null(0), dtype=np.int64)
    flat = np.asarray(keys.flatten(), dtype=np.int64).view(np.uint64)
    words = np.zeros((n, _GRAM_WORDS), dtype=np.uint64)
    if len(flat):
        # Keys are hashes: their low bits choose the bit.
        position = flat % np.uint64(GRAM_BITS)
        word, bit = position >> np.uint64(6), np.left_shift(np.uint64(1), position & np.uint64(63))
        rows = np.flatnonzero(lengths)
        starts = np.concatenate([[0], np.cumsum(lengths)])[:-1][rows]
        for w in range(_GRAM_WORDS):
            part = np.where(word == np.uint64(w), bit, np.uint64(0))
            words[rows, w] = np.bitwise_or.reduceat(part, starts)
    counts = _POPCOUNT[words.view(np.uint8)].reshape(n, -1).sum(axis=1)
    return words.view(np.int64), counts


def _folded_positions(column: Any) -> Any:
    """A token file's bigram positions (``g017``) as lists of integers, or None if the
    column holds plaintext bigrams."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not pa.types.is_string(column.type.value_type):
        return None
    values = column.values
    if len(values) == 0 or not pc.all(pc.match_substring_regex(values, r"^g[0-9]{3}$")).as_py():
        return None
    positions = pc.cast(pc.utf8_slice_codeunits(values, 1), pa.int64())
    return pa.ListArray.from_arrays(column.offsets, positions, mask=column.is_null())


def _with_gram_bits(arrays: dict[str, Any]) -> None:
    """Add the bit sets of the given name's, the family name's and the whole name's bigrams
    (``given_gw0`` ..., ``given_gn`` the bits set; ``family_...``, ``name_...``)."""
    import pyarrow as pa

    parts = {}
    for part in ("given", "family"):
        column = arrays[f"{part}_grams"]
        folded = _folded_positions(column)
        if folded is not None:
            column = folded
        elif not pa.types.is_integer(column.type.value_type):
            column = _hash_keys(column)
        parts[part] = _gram_bits(column)
    whole = parts["given"][0] | parts["family"][0]
    parts["name"] = (
        whole,
        _POPCOUNT[whole.view(np.uint64).view(np.uint8)].reshape(len(whole), -1).sum(axis=1),
    )
    for part, (words, counts) in parts.items():
        for w in range(_GRAM_WORDS):
            arrays[f"{part}_gw{w}"] = pa.array(words[:, w])
        arrays[f"{part}_gn"] = pa.array(counts.astype(np.int32))


def _arrow_table(frame: pd.DataFrame, source_number: int, offset: int, *, hashed: bool = True):
    """The feature table as Arrow for the linker: keys hashed to integers (typed, so that a
    column with no value at all does not reach SQL as typed NULL, on which list functions
    fail), the source as its number and the record as ``node``, its number across all
    sources, so that Splink's join keys are short."""
    import pyarrow as pa

    kinds = {f.name: f.is_set for f in FEATURES}
    n = len(frame)
    arrays = {
        "source_dataset": pa.array(np.full(n, str(source_number), dtype=object), pa.string()),
        "unique_id": pa.array(np.arange(offset, offset + n).astype(str).astype(object)),
    }
    for column in frame.columns:
        if column in {"source_dataset", "unique_id"}:
            continue
        kind = pa.list_(pa.string()) if kinds.get(column) else pa.string()
        series = frame[column]
        if isinstance(series.dtype, pd.ArrowDtype):
            array = pa.array(series)
            array = array if array.type == kind else array.cast(kind)
        else:
            array = pa.array(series.to_numpy(dtype=object), type=kind, from_pandas=True)
        arrays[column] = _hash_keys(array) if hashed and not column.endswith("_grams") else array
    if "given_grams" in arrays and "family_grams" in arrays:
        _with_gram_bits(arrays)
    # The model compares bigrams as the bit sets only.
    for column in ("given_grams", "family_grams"):
        arrays.pop(column, None)
    return pa.table(arrays)


def _register(
    db_api: Any, frame: pd.DataFrame, source: str, number: int, offset: int, *, keep: list
):
    spark = type(db_api).__name__ == "SparkAPI"
    # Spark receives pandas, where 64-bit integers with gaps would become floats: strings.
    table: Any = _arrow_table(frame, number, offset, hashed=not spark)
    keep.append(table)
    if spark:
        table = table.to_pandas()
    return db_api.register(table, dataset_display_name=source, table_name=f"__nmt_in_{number}")


#: Connected groups of records (pairs with a match probability of at least ``COMPLETE_FROM``)
#: of three to ``COMPLETE_UP_TO`` records have every pair inside them scored before clustering
#: (those whose pairs blocking scored all already are left as they are).
COMPLETE_FROM = 0.1
COMPLETE_UP_TO = 60


def _complete_groups(
    db_api: Any,
    arrow_tables: Sequence[Any],
    sources: Sequence[str],
    model: dict[str, Any],
    edges: pd.DataFrame,
    bayes: np.ndarray,
    n_records: int,
    lowest_bits: float,
    backend: str,
) -> tuple[pd.DataFrame, np.ndarray]:
    """Score the pairs inside each group of records that the scored pairs connect, which
    blocking did not produce.

    Clustering weighs the evidence between two groups of records summed over their scored
    pairs; a pair that blocking left out counts as neutral. Two persons of the same name are
    then joined through one record that resembles both (a birth year only, a name missing)
    although their other records, never compared, would speak against it. Scoring every pair
    inside the connected groups (a few per person) gives clustering that evidence.
    """
    import pyarrow as pa
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from splink import Linker

    left, right = edges["node_l"].to_numpy(), edges["node_r"].to_numpy()
    strong = bayes >= lowest_bits
    graph = coo_matrix(
        (np.ones(int(strong.sum())), (left[strong], right[strong])), shape=(n_records, n_records)
    )
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    # Groups whose pairs blocking scored all already gain nothing (most persons' records).
    same = labels[left] == labels[right]
    scored = np.bincount(labels[left[same]], minlength=len(sizes))
    incomplete = (sizes >= 3) & (sizes <= COMPLETE_UP_TO) & (scored < sizes * (sizes - 1) // 2)
    small = incomplete[labels]
    if not small.any():
        return edges, bayes
    group = np.where(small, labels, -1)
    tables = []
    offset = 0
    for number, (table, source) in enumerate(zip(arrow_tables, sources, strict=True)):
        part = group[offset : offset + len(table)]
        offset += len(table)
        column = pa.array(part, pa.int64(), mask=part < 0)
        extended: Any = table.append_column("nmt_group", column)
        if backend == "spark":
            extended = extended.to_pandas()
        tables.append(
            db_api.register(
                extended, dataset_display_name=source, table_name=f"__nmt_group_{number}"
            )
        )
    settings = {
        **model,
        "blocking_rules_to_generate_predictions": [{"blocking_rule": "l.nmt_group = r.nmt_group"}],
    }
    linker = Linker(tables, settings, log_level=logging.ERROR)
    _register_term_frequencies(linker, db_api, tables)
    more = _fetch_edges(db_api, linker.inference.predict(warning_mode="never"), backend)
    prior = settings["probability_two_random_records_match"]
    more_bayes = more["match_weight"].to_numpy() - _logit2(prior)

    # Keep the pairs scored before (only those inside a group can be among the new ones); add
    # the new ones. A pair is the number low * n + high of its two nodes.
    def numbered(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.minimum(a, b) * np.int64(n_records) + np.maximum(a, b)

    inside = (group[left] >= 0) & (group[left] == group[right])
    known = numbered(left[inside], right[inside])
    new = ~np.isin(numbered(more["node_l"].to_numpy(), more["node_r"].to_numpy()), known)
    edges = pd.concat([edges, more[new]], ignore_index=True)
    return edges, np.concatenate([bayes, more_bayes[new]])


def _fetch_edges(db_api: Any, predictions: Any, backend: str) -> pd.DataFrame:
    """All scored pairs as ``node_l``, ``node_r`` (int) and ``match_weight`` (float)."""
    sql = (
        "SELECT cast(unique_id_l AS BIGINT) AS node_l, cast(unique_id_r AS BIGINT) AS node_r, "  # noqa: S608
        f"match_weight FROM {predictions.physical_name}"
    )
    if backend == "duckdb":
        frame = db_api._con.execute(sql).fetch_df()
    else:
        frame = db_api.spark.sql(sql).toPandas()
    return pd.DataFrame(
        {
            "node_l": frame["node_l"].to_numpy(dtype=np.int64),
            "node_r": frame["node_r"].to_numpy(dtype=np.int64),
            "match_weight": frame["match_weight"].to_numpy(dtype=np.float64),
        }
    )


def _assemble(
    features: Mapping[str, pd.DataFrame],
    sources: tuple[str, ...],
    labels: Mapping[float, np.ndarray],
    edges: pd.DataFrame,
    weight: np.ndarray,
    threshold: float,
    thresholds: tuple[float, ...],
    lowest: float,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    source = np.concatenate([np.full(len(frame), s, dtype=object) for s, frame in features.items()])
    record = np.concatenate(
        [frame["unique_id"].astype(str).to_numpy(dtype=object) for frame in features.values()]
    )
    # Records in source order, then by record id, so that person ids numbered by first
    # appearance are stable across runs of the same input.
    order = {s: i for i, s in enumerate(sources)}
    rank = np.lexsort((record.astype(str), np.array([order[s] for s in source])))
    clusters = pd.DataFrame({"source": source[rank], "record_id": record[rank]})
    for t in thresholds:
        codes, _ = pd.factorize(labels[t][rank])
        clusters[_threshold_column(t)] = [f"P{c + 1:06d}" for c in codes]

    probability = 1.0 / (1.0 + np.exp2(-weight))
    left = edges["node_l"].to_numpy()
    right = edges["node_r"].to_numpy()
    keep = probability >= lowest
    pairs = pd.DataFrame(
        {
            "source_l": source[left[keep]],
            "record_id_l": record[left[keep]],
            "source_r": source[right[keep]],
            "record_id_r": record[right[keep]],
            "match_probability": probability[keep],
            "match_weight": weight[keep],
        }
    ).sort_values("match_probability", ascending=False, kind="stable")

    main = labels[threshold]
    # The record's strongest link inside its person at the main threshold.
    same = main[left] == main[right]
    best = np.full(len(source), np.nan)
    np.fmax.at(best, left[same], probability[same])
    np.fmax.at(best, right[same], probability[same])
    persons = clusters[["source", "record_id", _threshold_column(threshold)]].rename(
        columns={_threshold_column(threshold): "person_id"}
    )
    persons["match_probability"] = best[rank]
    return persons.reset_index(drop=True), pairs.reset_index(drop=True), clusters
