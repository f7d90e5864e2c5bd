"""Simulated populations with known size and known list dependence.

Each population has ``N`` persons whose capture patterns follow a log-linear model (cell
probabilities over all ``2**t`` patterns, the all-zero one included). The estimators must recover
``N`` on average where their assumptions hold, and the main-effects model must be biased where
two lists are dependent.
"""

from __future__ import annotations

import numpy as np

from nmt.estimation import CaptureTable, fit_model, stepwise
from nmt.estimation.table import cell_patterns

N = 4000
REPLICATES = 60


def _cell_probabilities(t: int, main: list[float], pairs: dict[tuple[int, int], float]):
    """Probabilities of all 2**t patterns (index 0 = never captured) under a log-linear model."""
    pats = np.vstack([np.zeros((1, t), dtype=int), cell_patterns(t)])
    eta = pats @ np.asarray(main)
    for (i, j), gamma in pairs.items():
        eta = eta + gamma * pats[:, i] * pats[:, j]
    p = np.exp(eta)
    return p / p.sum()


def _simulate(t, main, pairs, seed):
    rng = np.random.default_rng(seed)
    probs = _cell_probabilities(t, main, pairs)
    lists = [f"L{j + 1}" for j in range(t)]
    for _ in range(REPLICATES):
        counts = rng.multinomial(N, probs)
        yield CaptureTable(tuple(lists), counts[1:])


# Log-odds of capture for four lists: probabilities about 0.18, 0.27, 0.38, 0.12.
MAIN = [-1.5, -1.0, -0.5, -2.0]


def _relative_bias(estimates: list[float]) -> float:
    return float(np.mean(estimates) / N - 1)


def test_independent_lists_main_effects_unbiased():
    estimates = [fit_model(tb, "[1,2,3,4]").estimate for tb in _simulate(4, MAIN, {}, seed=1)]
    assert abs(_relative_bias(estimates)) < 0.02
    # The log-normal interval covers N in most replicates (nominal 95%).
    covered = [
        (f := fit_model(tb, "[1,2,3,4]")).interval.lower <= N <= f.interval.upper
        for tb in _simulate(4, MAIN, {}, seed=2)
    ]
    assert np.mean(covered) >= 0.85


def test_positive_dependence_biases_main_effects_and_the_right_model_fixes_it():
    pairs = {(0, 1): 1.2}  # lists 1 and 2 catch the same persons far more often than chance
    tables = list(_simulate(4, MAIN, pairs, seed=3))
    main = [fit_model(tb, "[1,2,3,4]").estimate for tb in tables]
    right = [fit_model(tb, "[12,3,4]").estimate for tb in tables]
    assert _relative_bias(main) < -0.05  # positive dependence: too few missing persons
    assert abs(_relative_bias(right)) < 0.03


def test_stepwise_finds_the_dependence_and_recovers_n():
    pairs = {(0, 1): 1.2, (2, 3): -0.8}
    results = [stepwise(tb) for tb in _simulate(4, MAIN, pairs, seed=4)]
    found = np.mean([{"12", "34"} <= {s.term for s in r.steps} for r in results])
    assert found >= 0.8
    assert abs(_relative_bias([r.fit.estimate for r in results])) < 0.05


def test_sparse_lists_with_a_non_overlapping_pair():
    # Two small lists (as in trafficking data) often share nobody; the model with their pair
    # term then puts it at -inf (extended MLE) and the estimate stays close to N.
    main = [-4.5, -4.0, -1.0, -1.5]
    estimates = []
    infinite = 0
    for tb in _simulate(4, main, {}, seed=5):
        fit = fit_model(tb, "[12,3,4]")
        infinite += fit.infinite_terms == ("L1:L2",)
        estimates.append(fit.estimate)
    assert infinite >= REPLICATES // 5
    assert abs(_relative_bias(estimates)) < 0.05
