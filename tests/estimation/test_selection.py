"""Stepwise selection and the AIC/BIC search."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import poisson

from nmt.estimation import Existence, Model, check_existence, search_models, stepwise
from nmt.estimation.selection import poisson_two_sided


def sig4(value: float, reference: float) -> bool:
    return abs(value - reference) <= 0.5e-3 * abs(reference)


def test_ukdat5_stepwise_reference(load):
    result = stepwise(load("UKdat_5"))
    assert result.fit.model == "[12,13,24,25,35,45]"
    assert sig4(result.fit.estimate, 11312.99)
    assert sig4(result.fit.interval.lower, 9884.40)
    assert sig4(result.fit.interval.upper, 13027.40)
    # Each term entered with a p-value below the threshold, in increasing order of p here.
    assert [s.term for s in result.steps] == ["12", "25", "35", "13", "45", "24"]
    assert all(s.p_value < 0.02 for s in result.steps)
    assert result.steps[-1].model == "[12,13,24,25,35,45]"


def test_stepwise_threshold_zero_is_main_effects(load):
    result = stepwise(load("UKdat_5"), threshold=0)
    assert result.fit.model == "[1,2,3,4,5]"
    assert sig4(result.fit.estimate, 13444.13)


def test_korea_best_by_bic(load):
    result = search_models(load("Korea"), criterion="bic")
    assert result.fit.model == "[12,23]"
    assert sig4(result.fit.estimate, 157.1667)
    assert sig4(result.fit.bic, 57.14081)
    assert result.ranking[0].model == "[12,23]"
    assert [r.bic for r in result.ranking] == sorted(r.bic for r in result.ranking)


def test_kosovo_best_by_bic_max_order_3(load):
    result = search_models(load("Kosovo"), criterion="bic", max_order=3)
    assert result.fit.model == "[123,14,34]"
    assert sig4(result.fit.estimate, 10356.52)
    assert sig4(result.fit.bic, 203.0296)
    assert result.models_considered == 113
    assert result.ranking[0].delta == 0
    assert result.ranking[1].delta > 0


def test_ukdat5_ranking_shows_flat_choice(load):
    result = search_models(load("UKdat_5"), criterion="bic", top=10)
    near = [r for r in result.ranking if r.delta <= 2.1]
    assert len(near) == 4
    estimates = [r.estimate for r in near]
    assert min(estimates) < 12_000
    assert max(estimates) > 25_000
    assert "[12,13,24,25,35,45]" in [r.model for r in near]


def test_aic_search_differs_in_penalty(load):
    table = load("Korea")
    by_aic = search_models(table, criterion="aic")
    assert by_aic.ranking[0].aic == min(r.aic for r in by_aic.ranking)
    with pytest.raises(ValueError, match="criterion"):
        search_models(table, criterion="dic")


def test_pair_p_value_is_the_smaller_poisson_tail():
    n_star = np.array([0, 3, 10, 25])
    mu = np.array([2.0, 3.5, 4.0, 25.0])
    expected = np.minimum(poisson.cdf(n_star, mu), poisson.sf(n_star - 1, mu))
    assert poisson_two_sided(n_star, mu) == pytest.approx(expected)
    assert poisson_two_sided(np.array([0]), np.array([2.0]))[0] == pytest.approx(np.exp(-2.0))


def test_stepwise_never_picks_a_model_that_is_not_estimable(load):
    for name in ("Artificial_3", "Western", "NewOrl_SparseMSE", "Ned"):
        table = load(name)
        result = stepwise(table)
        model = Model.parse(result.fit.model, table.lists)
        assert check_existence(table, model).code == Existence.FINE, name


def test_stepwise_can_add_a_non_overlapping_pair(load):
    # Ned: lists I and K, and K and R, share nobody; stepwise adds them at -inf (SparseMSE).
    result = stepwise(load("Ned"))
    assert set(result.fit.infinite_terms) == {"I:K", "K:R"}
    assert np.isfinite(result.fit.estimate)
