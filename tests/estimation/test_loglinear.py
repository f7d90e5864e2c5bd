"""Log-linear fits against the published reference values (README of ../shared/mse-data)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from nmt.estimation import (
    Existence,
    Model,
    NotEstimableError,
    check_existence,
    fit_model,
    table_from_patterns,
)
from nmt.estimation.models import design_matrix


def sig4(value: float, reference: float) -> bool:
    """Equal to 4 significant digits (relative difference below half a unit in the 4th)."""
    return abs(value - reference) <= 0.5e-3 * abs(reference)


def test_korea_main_effects(load):
    fit = fit_model(load("Korea"), "[1,2,3]")
    assert sig4(fit.estimate, 141.9926)
    assert sig4(fit.bic, 184.14431)


def test_korea_12_3(load):
    fit = fit_model(load("Korea"), "[12,3]")
    assert sig4(fit.estimate, 268.7778)
    assert sig4(fit.bic, 58.96860)
    assert sig4(fit.deviance, 8.566946)
    assert fit.df == 2
    assert sig4(fit.aic, 44.90767)
    assert fit.n_parameters == 5


def test_korea_12_23(load):
    fit = fit_model(load("Korea"), "[12,23]")
    assert sig4(fit.estimate, 157.1667)
    assert sig4(fit.bic, 57.14081)


def test_kosovo_models(load):
    kosovo = load("Kosovo")
    best = fit_model(kosovo, "[123,14,34]")
    assert sig4(best.estimate, 10356.52)
    assert sig4(best.bic, 203.0296)
    assert sig4(fit_model(kosovo, "[1,2,3,4]").estimate, 7394.59)


def test_ukdat5_main_effects_with_lognormal_interval(load):
    fit = fit_model(load("UKdat_5"), "[1,2,3,4,5]")
    assert sig4(fit.estimate, 13444.13)
    assert fit.interval.kind == "log-normal"
    assert sig4(fit.interval.lower, 11985.17)
    assert sig4(fit.interval.upper, 15133.43)


def test_ukdat5_stepwise_model_with_lognormal_interval(load):
    fit = fit_model(load("UKdat_5"), "[12,13,24,25,35,45]")
    assert sig4(fit.estimate, 11312.99)
    assert sig4(fit.interval.lower, 9884.40)
    assert sig4(fit.interval.upper, 13027.40)


def test_lognormal_interval_and_standard_error_follow_their_formulas(load):
    fit = fit_model(load("Kosovo"), "[12,3,4]", level=0.9)
    b0, se0 = fit.coefficients["(Intercept)"], fit.standard_errors["(Intercept)"]
    z = 1.6448536269514722
    assert fit.interval.lower == pytest.approx(fit.observed + math.exp(b0 - z * se0))
    assert fit.interval.upper == pytest.approx(fit.observed + math.exp(b0 + z * se0))
    dark = math.exp(b0)
    assert fit.standard_error == pytest.approx(math.sqrt(dark + dark**2 * se0**2))


def _independent_fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Maximise the Poisson log-likelihood with a general-purpose optimiser (no IRLS)."""

    def negloglik(beta):
        eta = x @ beta
        return np.sum(np.exp(eta)) - y @ eta

    def grad(beta):
        return x.T @ np.exp(x @ beta) - x.T @ y

    start = np.zeros(x.shape[1])
    start[0] = math.log(y.mean() + 1)
    res = minimize(negloglik, start, jac=grad, method="BFGS", options={"gtol": 1e-9})
    return res.x


def test_fit_agrees_with_a_general_optimiser(load):
    table = load("Kosovo")
    model = Model.parse("[123,14,34]", table.lists)
    x = design_matrix(table.t, model.terms)
    beta = _independent_fit(x, table.counts.astype(float))
    fit = fit_model(table, model)
    assert fit.coefficients["(Intercept)"] == pytest.approx(beta[0], rel=1e-5)
    assert fit.fitted == pytest.approx(np.exp(x @ beta), rel=1e-5)


def test_artificial3_existence_codes(load):
    table = load("Artificial_3")
    cases = {
        "[12,13,23]": Existence.NOT_IDENTIFIABLE,
        "[12,3]": Existence.DOES_NOT_EXIST,
        "[13,23,1,2]": Existence.FINE,
    }
    for text, code in cases.items():
        assert check_existence(table, Model.parse(text, table.lists)).code == code, text
    # Lists 1-3 and 2-3 never overlap: those terms are the ones set to -inf.
    check = check_existence(table, Model.parse("[12,13,23]", table.lists))
    assert check.infinite_terms == ("13", "23")
    assert check.rank_deficiency == 1
    # The LP is what finds the non-existence of [12,3] (no term is at -inf there).
    missing = check_existence(table, Model.parse("[12,3]", table.lists))
    assert missing.infinite_terms == ()
    assert missing.lp_value == pytest.approx(0.0, abs=1e-9)


def test_not_estimable_models_raise(load):
    table = load("Artificial_3")
    with pytest.raises(NotEstimableError, match="does not exist"):
        fit_model(table, "[12,3]")
    with pytest.raises(NotEstimableError, match="not identifiable"):
        fit_model(table, "[12,13,23]")


def test_artificial3_fine_model_has_closed_form(load):
    # With 13 and 23 at -inf only the cells 100, 010, 001, 110 remain, and [1,2,3] is saturated
    # on them: exp(b0) = n100 * n010 / n110 = 40 * 30 / 6.
    fit = fit_model(load("Artificial_3"), "[13,23]")
    assert fit.dark_figure == pytest.approx(200.0)
    assert fit.estimate == pytest.approx(296.0)


def test_non_overlapping_pair_enters_at_minus_infinity(load):
    # Western: lists A and B (1 and 2) share no person.
    table = load("Western")
    fit = fit_model(table, "[12,15,3,4]")
    assert fit.infinite_terms == ("A:B",)
    assert fit.coefficients["12"] == -math.inf
    assert math.isnan(fit.standard_errors["12"])
    pats = table.patterns()
    both = (pats[:, 0] == 1) & (pats[:, 1] == 1)
    assert np.all(fit.fitted[both] == 0)
    assert np.all(fit.fitted[~both] > 0)
    # Same as fitting [15,3,4]'s design on the cells without both lists: the -inf term only
    # removes those cells.
    model = Model.parse("[15,2,3,4]", table.lists)
    x = design_matrix(table.t, model.terms)[~both]
    beta = _independent_fit(x, table.counts[~both].astype(float))
    assert fit.estimate == pytest.approx(table.observed + math.exp(beta[0]), rel=1e-5)
    # The -inf parameter still counts as a parameter (SparseMSE adds it to the AIC).
    finite = fit_model(table, "[15,2,3,4]")
    assert fit.n_parameters == finite.n_parameters + 1
    assert fit.df == finite.df - both.sum()


def test_empty_list_in_a_replicate_is_handled():
    # A list with nobody on it: its main effect is -inf and N comes from the other lists.
    table = table_from_patterns(["A", "B", "C"], [(1, 0, 0), (0, 1, 0), (1, 1, 0)], [30, 20, 10])
    fit = fit_model(table, "[1,2,3]")
    assert fit.infinite_terms == ("C",)
    assert fit.dark_figure == pytest.approx(30 * 20 / 10)
    assert fit.estimate == pytest.approx(60 + 30 * 20 / 10)


def test_to_dict_is_json_ready(load):
    import json

    fit = fit_model(load("Western"), "[12,15,3,4]")
    text = json.dumps(fit.to_dict(), allow_nan=False)
    assert '"12": "-Infinity"' in text
