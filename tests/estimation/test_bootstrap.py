"""BCa bootstrap: reproducibility, the BCa and jackknife formulas, and sane intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from nmt.estimation import Estimator, Model, bootstrap, fit_model
from nmt.estimation.bootstrap import bca_interval, jackknife_acceleration


def test_seeded_bootstrap_is_reproducible_and_independent_of_workers(load):
    table = load("UKdat_5")
    one = bootstrap(table, n_boot=120, seed=3, workers=1)
    two = bootstrap(table, n_boot=120, seed=3, workers=2)
    assert np.array_equal(one.replicates, two.replicates)
    assert one.interval == two.interval
    other = bootstrap(table, n_boot=120, seed=4, workers=1)
    assert not np.array_equal(one.replicates, other.replicates)


def test_stepwise_bootstrap_interval_brackets_the_estimate(load):
    table = load("Western")
    result = bootstrap(table, n_boot=200, seed=1)
    assert result.estimate == pytest.approx(2483.384, rel=1e-5)
    assert table.observed < result.interval.lower < result.estimate < result.interval.upper
    assert result.interval.kind == "BCa bootstrap"
    assert result.n_failed == 0
    assert abs(result.acceleration) < 0.5


def test_bca_reduces_to_percentiles_without_bias_or_acceleration():
    rng = np.random.default_rng(0)
    reps = rng.normal(100, 10, size=4001)
    estimate = float(np.median(reps))
    lower, upper, z0 = bca_interval(reps, estimate, 0.0, 0.9)
    assert z0 == pytest.approx(0.0, abs=1e-3)
    expected = np.quantile(reps, [0.05, 0.95], method="median_unbiased")
    assert lower == pytest.approx(expected[0], rel=1e-3)
    assert upper == pytest.approx(expected[1], rel=1e-3)


def test_bca_adjusted_percentiles_follow_diciccio_efron():
    reps = np.arange(1, 1001, dtype=float)
    estimate, a = 400.5, 0.05
    lower, upper, z0 = bca_interval(reps, estimate, a, 0.95)
    assert z0 == pytest.approx(norm.ppf(0.4))
    for limit, alpha in ((lower, 0.025), (upper, 0.975)):
        w = z0 + norm.ppf(alpha)
        prob = norm.cdf(z0 + w / (1 - a * w))
        assert limit == pytest.approx(np.quantile(reps, prob, method="median_unbiased"))


def test_jackknife_acceleration_matches_a_direct_computation(load):
    table = load("Korea")
    model = Model.parse("[12,23]", table.lists)
    counts = np.asarray(table.counts)
    a = jackknife_acceleration(Estimator.fixed(model), table.t, counts, workers=1)
    cells = np.flatnonzero(counts > 0)
    values = []
    for c in cells:
        reduced = counts.copy()
        reduced[c] -= 1
        values.append(fit_model(table.with_counts(reduced), model).estimate)
    values = np.array(values)
    w = counts[cells]
    resid = np.average(values, weights=w) - values
    expected = np.sum(w * resid**3) / (6 * np.sum(w * resid**2) ** 1.5)
    assert a == pytest.approx(expected, rel=1e-8)


def test_fixed_model_replicates_where_the_estimate_does_not_exist_are_counted(load):
    # [13,23] on Artificial_3 relies on lists 1-3 and 2-3 never overlapping; resampling keeps
    # that, so every replicate is estimable and none fails.
    table = load("Artificial_3")
    result = bootstrap(
        table, Estimator.fixed(Model.parse("[13,23]", table.lists)), n_boot=80, seed=2, workers=1
    )
    assert result.n_failed == 0
    assert math.isfinite(result.interval.upper)
    assert result.to_dict()["replicates_summary"]["median"] > table.observed
