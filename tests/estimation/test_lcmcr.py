"""LCMCR: the Kosovo reference, reproducibility, and the convergence diagnostics."""

from __future__ import annotations

import numpy as np
import pytest

from nmt.estimation import lcmcr, table_from_patterns
from nmt.estimation.lcmcr import effective_sample_size, split_rhat


def test_kosovo_posterior_matches_the_reference(load):
    # Reference (README): K = 10, long chain: median about 10,420-10,445, 95% interval about
    # (8,900-9,100, 13,700-13,900). This shorter run (4 x 100,000 sweeps) has a Monte Carlo
    # standard error of about 60 on the median, so the tolerances are about 4 standard errors
    # around the stated ranges. The benchmark runs the long chain.
    result = lcmcr(load("Kosovo"), chains=4, burnin=5_000, samples=4_750, thinning=20, seed=2026)
    assert 10_420 - 250 <= result.median <= 10_445 + 250
    assert 8_900 - 400 <= result.interval.lower <= 9_100 + 400
    assert 13_700 - 700 <= result.interval.upper <= 13_900 + 700
    assert result.rhat < 1.05
    assert result.ess > 300
    # Independence (main effects, 7,395) is far outside: the classes capture the dependence.
    assert result.interval.lower > 7_394.59


def test_seeded_chains_are_reproducible(load):
    table = load("Korea")
    kwargs = {"chains": 2, "burnin": 200, "samples": 300, "thinning": 2, "seed": 5}
    one = lcmcr(table, workers=1, **kwargs)
    two = lcmcr(table, workers=2, **kwargs)
    assert np.array_equal(one.draws, two.draws)
    assert one.median == two.median
    other = lcmcr(table, workers=1, **{**kwargs, "seed": 6})
    assert not np.array_equal(one.draws, other.draws)


def test_draws_never_fall_below_the_observed_count(load):
    table = load("Western")
    result = lcmcr(table, chains=1, burnin=100, samples=200, thinning=1, seed=1, workers=1)
    assert result.draws.shape == (1, 200)
    assert np.all(result.draws >= table.observed)
    assert np.all(result.alpha_draws > 0)


def test_rhat_and_ess_on_known_chains():
    rng = np.random.default_rng(0)
    iid = rng.normal(size=(4, 2000))
    assert split_rhat(iid) == pytest.approx(1.0, abs=0.01)
    assert effective_sample_size(iid) == pytest.approx(8000, rel=0.15)
    # AR(1) with phi = 0.9: ESS is about n (1 - phi) / (1 + phi).
    phi = 0.9
    ar = np.zeros((4, 20000))
    noise = rng.normal(size=ar.shape)
    for i in range(1, ar.shape[1]):
        ar[:, i] = phi * ar[:, i - 1] + noise[:, i]
    assert effective_sample_size(ar) == pytest.approx(80000 * (1 - phi) / (1 + phi), rel=0.25)
    shifted = iid + np.array([[0.0], [0.0], [0.0], [3.0]])
    assert split_rhat(shifted) > 1.3


def test_short_chains_warn(load):
    result = lcmcr(load("Kosovo"), chains=2, burnin=0, samples=30, thinning=1, seed=3, workers=1)
    assert any("effective sample size" in w for w in result.warnings)


def test_recovers_population_of_independent_lists():
    # Known N = 3000, four lists capturing independently: the posterior covers N.
    rng = np.random.default_rng(11)
    probs = np.array([0.25, 0.2, 0.3, 0.15])
    caught = rng.random((3000, 4)) < probs
    seen = caught[caught.any(axis=1)]
    table = table_from_patterns(list("ABCD"), seen.astype(int), np.ones(len(seen), dtype=int))
    result = lcmcr(table, chains=2, burnin=2_000, samples=1_000, thinning=5, seed=4)
    assert result.interval.lower < 3000 < result.interval.upper
    assert result.median == pytest.approx(3000, rel=0.1)


def test_bad_arguments():
    table = table_from_patterns(["A", "B"], [(1, 0), (0, 1), (1, 1)], [5, 5, 5])
    with pytest.raises(ValueError, match="positive"):
        lcmcr(table, k_classes=0)
