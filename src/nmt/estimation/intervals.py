"""Profile-likelihood interval for the population size (Rcapture's ``closedpCI.t``).

For a candidate ``N`` the unobserved cell is given the count ``n0 = N - n`` and the Poisson model
is refitted over all ``2**t`` cells, the all-zero cell having only the intercept. The deviance of
that fit, with Cormack's (1992) correction turning the Poisson likelihood into the multinomial one,
is the profile log-likelihood of ``N``:

``l(N) = -(D(N) - 2 c(N)) / 2``, where ``c(N) = n0 - N - log(n0 / N) / 2`` for ``N > 100``
(``-N + log(2 pi N) / 2`` when ``n0`` is 1), and ``log(n0^n0 N! / (N^N n0!))`` otherwise
(Rcapture uses Stirling's form also for ``0 < n0 < 1``, where it diverges; we do not).

The interval is ``{N : l(N) >= max l - chi2_1(level) / 2}``: the maximum is sought in
``(n, 3 N_hat)`` and the upper limit up to ``3 N_hat`` (``inf`` if the likelihood has not fallen
far enough there); the lower limit is ``n`` when the likelihood at ``n`` is still high enough.

The log-normal interval (SparseMSE) and the delta-method standard error (Rcapture) come with every
fit: see :class:`nmt.estimation.loglinear.LoglinearFit`.

References
----------
Cormack, R. M. (1992). Interval estimation for mark-recapture studies of closed populations.
Biometrics 48, 567-576.
Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for capture-recapture in R.
J. Statist. Software 19(5).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import brentq, minimize_scalar
from scipy.special import gammaln
from scipy.stats import chi2

from nmt.estimation._kernels import irls_poisson
from nmt.estimation.loglinear import (
    FIT_TOLERANCE,
    MAX_ITERATIONS,
    Existence,
    ExistenceCheck,
    NotEstimableError,
    Prepared,
)
from nmt.estimation.models import Model, term_label
from nmt.estimation.results import Interval
from nmt.estimation.table import CaptureTable

# Rcapture searches for the maximum and the upper limit up to this multiple of the estimate.
SEARCH_FACTOR = 3.0
ROOT_TOLERANCE = 1e-6


def cormack_correction(n0: float, total: float) -> float:
    """Cormack's (1992) term turning the Poisson profile into the multinomial one.

    Rcapture's Stirling form is used for ``N > 100`` and ``n0 >= 1``; below one missing person
    that form diverges (``-log(n0) / 2``), so the exact factorial form is used there.
    """
    if total > 100 and n0 >= 1:
        if n0 == 1.0:
            return -total + 0.5 * math.log(2 * math.pi * total)
        return n0 - total - 0.5 * math.log(n0 / total)
    n0_log_n0 = n0 * math.log(n0) if n0 > 0 else 0.0
    return n0_log_n0 + gammaln(total + 1) - total * math.log(total) - gammaln(n0 + 1)


def profile_loglik(table: CaptureTable, model: Model | str, population: float) -> float:
    """Multinomial profile log-likelihood of ``N = population`` under ``model``."""
    return _profile(table, model)[0](population)


def _profile(table: CaptureTable, model: Model | str):
    if isinstance(model, str):
        model = Model.parse(model, table.lists)
    prep = Prepared(table.t, model.terms, np.asarray(table.counts))
    code, rank_def, lp_value = prep.existence()
    if code != Existence.FINE:
        infinite = tuple(term_label(m, table.t) for m in prep.infinite)
        raise NotEstimableError(
            model.name(), ExistenceCheck(code, infinite, int(rank_def), lp_value)
        )
    p = prep.x.shape[1]
    x = np.vstack([prep.x, np.eye(1, p)])
    y = np.concatenate([prep.y, [0.0]])
    n = prep.n

    def loglik(population: float) -> float:
        n0 = max(population - n, 0.0)
        y[-1] = n0
        dev = irls_poisson(x, y, FIT_TOLERANCE, MAX_ITERATIONS)[2]
        return -(dev - 2.0 * cormack_correction(n0, n + n0)) / 2.0

    return loglik, prep


def profile_interval(
    table: CaptureTable, model: Model | str, *, level: float = 0.95
) -> tuple[float, Interval]:
    """Profile-likelihood interval of ``N`` (Rcapture's multinomial profile, Cormack-corrected).

    Returns
    -------
    (float, Interval)
        The ``N`` that maximises the multinomial profile likelihood, and the interval.

    Raises
    ------
    NotEstimableError
        If the model's estimate does not exist or is not identifiable.
    """
    loglik, prep = _profile(table, model)
    n = prep.n
    beta = irls_poisson(prep.x, prep.y, FIT_TOLERANCE, MAX_ITERATIONS)[0]
    n_hat = n + math.exp(beta[0])
    hi = SEARCH_FACTOR * n_hat
    best = minimize_scalar(
        lambda v: -loglik(v), bounds=(n, hi), method="bounded", options={"xatol": 1e-8 * n_hat}
    )
    n_max, l_max = float(best.x), -float(best.fun)
    # The bounded search never evaluates the ends; the maximum may sit at N = n.
    if loglik(n) > l_max:
        n_max, l_max = n, loglik(n)
    cut = l_max - chi2.ppf(level, 1) / 2.0

    def gap(v: float) -> float:
        return loglik(v) - cut

    lower = n if gap(n) >= 0 else brentq(gap, n, n_max, xtol=ROOT_TOLERANCE)
    upper = math.inf if gap(hi) >= 0 else brentq(gap, n_max, hi, xtol=ROOT_TOLERANCE)
    return n_max, Interval(float(lower), float(upper), level, "profile likelihood")
