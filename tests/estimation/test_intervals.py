"""The profile-likelihood interval (Rcapture's multinomial profile with Cormack's correction)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import gammaln
from scipy.stats import chi2

from nmt.estimation import Model, fit_model, profile_interval
from nmt.estimation.intervals import cormack_correction, profile_loglik
from nmt.estimation.models import design_matrix


@pytest.mark.parametrize(
    ("name", "model"),
    [("Kosovo", "[123,14,34]"), ("UKdat_5", "[12,13,24,25,35,45]"), ("Korea", "[12,23]")],
)
def test_limits_are_where_the_profile_drops_by_half_chi_square(load, name, model):
    table = load(name)
    n_max, interval = profile_interval(table, model, level=0.95)
    top = profile_loglik(table, model, n_max)
    drop = chi2.ppf(0.95, 1) / 2
    assert interval.lower < n_max < interval.upper
    assert profile_loglik(table, model, interval.lower) == pytest.approx(top - drop, abs=1e-4)
    assert profile_loglik(table, model, interval.upper) == pytest.approx(top - drop, abs=1e-4)
    # The maximum is a maximum.
    assert top >= profile_loglik(table, model, n_max * 0.99)
    assert top >= profile_loglik(table, model, n_max * 1.01)
    # The multinomial maximum sits a little below the Poisson estimate.
    estimate = fit_model(table, model).estimate
    assert estimate * 0.95 < n_max <= estimate


def _multinomial_profile(table, model_text: str, population: float) -> float:
    """Exact multinomial log-likelihood maximised over the model for a fixed N."""
    from nmt.estimation._kernels import irls_poisson

    model = Model.parse(model_text, table.lists)
    x = np.vstack([design_matrix(table.t, model.terms), np.eye(1, 1 + len(model.terms))])
    n0 = population - table.observed
    y = np.concatenate([table.counts.astype(float), [n0]])
    mu = irls_poisson(x, y, 1e-12, 100)[1]
    return float(
        gammaln(population + 1)
        - gammaln(y + 1).sum()
        + np.sum(np.where(y > 0, y * np.log(mu / population), 0.0))
    )


def test_cormack_corrected_profile_equals_the_multinomial_up_to_a_constant(load):
    table = load("Kosovo")
    grid = [9000.0, 10000.0, 11000.0, 12500.0]
    diffs = [
        profile_loglik(table, "[123,14,34]", v) - _multinomial_profile(table, "[123,14,34]", v)
        for v in grid
    ]
    assert np.ptp(diffs) < 1e-3


def test_cormack_correction_small_populations_use_exact_factorials():
    n0, total = 7.5, 60.0
    exact = n0 * math.log(n0) + gammaln(total + 1) - total * math.log(total) - gammaln(n0 + 1)
    assert cormack_correction(n0, total) == pytest.approx(exact)
    # Above 100 the Stirling form is used, and the two agree closely there.
    big_n0, big_total = 40.0, 140.0
    stirling = cormack_correction(big_n0, big_total)
    exact_big = (
        big_n0 * math.log(big_n0)
        + gammaln(big_total + 1)
        - big_total * math.log(big_total)
        - gammaln(big_n0 + 1)
    )
    assert stirling == pytest.approx(exact_big, abs=0.01)


def test_lower_limit_stops_at_the_observed_count():
    from nmt.estimation import table_from_patterns

    # Heavy overlap: almost everyone is on both lists, so N is barely above n.
    table = table_from_patterns(["A", "B"], [(1, 0), (0, 1), (1, 1)], [10, 10, 200])
    _n_max, interval = profile_interval(table, "[1,2]")
    assert interval.lower == table.observed
    assert interval.upper > table.observed
