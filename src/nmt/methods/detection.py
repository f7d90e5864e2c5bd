"""Early signals: is this month's count higher than the history of the series explains?

Framework-free (NumPy and SciPy only). The method is the improved quasi-Poisson algorithm of
Noufaily et al. (2013), itself a revision of Farrington et al. (1996), the outbreak-detection
method of the public-health agencies of England and Wales, adapted here to monthly counts:

1. **Baseline.** The months ``t - 12·years_back .. t - guard - 1`` (the most recent ``guard``
   months are left out so that a rise that has already begun does not raise its own baseline).
2. **Model.** A quasi-Poisson log-linear model of the baseline counts with a linear trend and an
   annual harmonic: ``log E[y] = a + b·t + c·sin(2πm/12) + d·cos(2πm/12)``; the dispersion
   ``φ = max(1, Pearson χ² / (n - p))``.
3. **Down-weighting.** Months whose Anscombe residual exceeds 2.58 (earlier outbreaks) get the
   weight ``s⁻²`` and the model is fitted again, so that past rises do not widen today's band.
4. **Trend.** Kept only if significant (Wald test, 5 %) and if it does not extrapolate beyond the
   largest count in the baseline; otherwise the model is fitted without it.
5. **Band.** The expected count ``μ₀`` for month ``t`` and the upper limit ``U``: the ``1 - alpha``
   quantile of a negative binomial with mean ``μ₀`` and variance ``φ·μ₀`` (Poisson when ``φ = 1``).
6. **Signal** when the observed count exceeds ``U`` and reaches ``min_count`` (a signal about two
   persons is neither useful nor safe to show).

Under the model, a month is flagged with probability at most ``alpha`` (the count is discrete, so
the real rate is below it); ``tests/methods/test_detection.py`` measures the rate on simulated
stable series and the power against planted rises (see docs/adr/0007-method-support.md).

References
----------
Farrington, C.P., Andrews, N.J., Beale, A.D. and Catchpole, M.A. (1996). A statistical algorithm
for the early detection of outbreaks of infectious disease. JRSS A 159(3), 547-563.
Noufaily, A., Enki, D.G., Farrington, P., Garthwaite, P., Andrews, N. and Charlett, A. (2013).
An improved algorithm for outbreak detection in multiple surveillance systems. Statistics in
Medicine 32(7), 1206-1222.
McCullagh, P. and Nelder, J.A. (1989). Generalized Linear Models, 2nd ed., ch. 9 (quasi-likelihood).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import stats

REWEIGHTING_ROUNDS = 2
SPARSE_MONTHS = 6
"""Fewer non-zero baseline months than this: the model is the mean only (no trend, no season)."""

__all__ = ["DetectionSettings", "MonthResult", "SeriesResult", "detect", "evaluate_month"]


@dataclass(frozen=True)
class DetectionSettings:
    """Parameters of the algorithm (defaults as in docs/adr/0007-method-support.md).

    Attributes
    ----------
    alpha : float
        One-sided level of the upper limit: the nominal false-alarm probability per month.
    years_back : int
        Years of history in the baseline.
    guard : int
        Most recent months left out of the baseline.
    min_baseline : int
        Fewest baseline months needed to judge a month at all.
    min_count : int
        Smallest count that can raise a signal.
    reweight_threshold : float
        Anscombe residuals above this are down-weighted (Noufaily et al.: 2.58).
    trend_level : float
        Significance level for keeping the trend.
    """

    alpha: float = 0.01
    years_back: int = 4
    guard: int = 2
    min_baseline: int = 24
    min_count: int = 5
    reweight_threshold: float = 2.58
    trend_level: float = 0.05

    def __post_init__(self) -> None:
        if not 0 < self.alpha < 0.5:
            raise ValueError("alpha must lie between 0 and 0.5")
        if self.years_back < 1 or self.guard < 0 or self.min_baseline < 6:
            raise ValueError("years_back >= 1, guard >= 0 and min_baseline >= 6 are required")


@dataclass(frozen=True)
class MonthResult:
    """The judgement of one month.

    ``expected`` and ``upper`` are None when the history is too short to judge (``judged`` is
    False); ``score`` is ``(observed - expected) / (upper - expected)``: above 1 is beyond the band.
    """

    index: int
    observed: int
    judged: bool
    expected: float | None = None
    upper: float | None = None
    alarm: bool = False
    score: float | None = None
    dispersion: float | None = None
    trend: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SeriesResult:
    """Every judged month of one series, in order."""

    months: tuple[MonthResult, ...]
    settings: DetectionSettings = field(default_factory=DetectionSettings)

    @property
    def alarms(self) -> tuple[MonthResult, ...]:
        return tuple(m for m in self.months if m.alarm)

    def to_dict(self) -> dict[str, Any]:
        return {
            "settings": asdict(self.settings),
            "months": [m.to_dict() for m in self.months],
        }


def _design(
    times: np.ndarray, month_of_year: np.ndarray, *, trend: bool, season: bool = True
) -> np.ndarray:
    angle = 2 * np.pi * month_of_year / 12.0
    columns = [np.ones_like(times, dtype=float)]
    if trend:
        columns.append(times.astype(float))
    if season:
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


@dataclass(frozen=True)
class _Fit:
    beta: np.ndarray
    mu: np.ndarray
    covariance: np.ndarray  # unscaled: multiply by the dispersion
    leverage: np.ndarray
    dispersion: float


def _fit_poisson(x: np.ndarray, y: np.ndarray, weights: np.ndarray) -> _Fit:
    """Weighted Poisson regression by iteratively reweighted least squares (log link)."""
    n, p = x.shape
    mu = np.maximum(y, 0.5)  # a start that is positive everywhere
    eta = np.log(mu)
    beta = np.zeros(p)
    for _ in range(50):
        z = eta + (y - mu) / mu
        w = weights * mu
        xw = x * w[:, None]
        gram = x.T @ xw + 1e-8 * np.eye(p)
        try:
            new_beta = np.linalg.solve(gram, xw.T @ z)
        except np.linalg.LinAlgError:
            new_beta = np.linalg.lstsq(gram, xw.T @ z, rcond=None)[0]
        new_eta = np.clip(x @ new_beta, -30.0, 30.0)
        converged = np.max(np.abs(new_beta - beta)) < 1e-8
        beta, eta = new_beta, new_eta
        mu = np.exp(eta)
        if converged:
            break
    w = weights * mu
    xw = x * w[:, None]
    try:
        covariance = np.linalg.inv(x.T @ xw + 1e-8 * np.eye(p))
    except np.linalg.LinAlgError:
        covariance = np.linalg.pinv(x.T @ xw + 1e-8 * np.eye(p))
    leverage = np.einsum("ij,jk,ik->i", xw, covariance, x)
    pearson = np.sum(weights * (y - mu) ** 2 / mu)
    dispersion = max(1.0, pearson / max(n - p, 1))
    return _Fit(beta=beta, mu=mu, covariance=covariance, leverage=leverage, dispersion=dispersion)


def _anscombe(y: np.ndarray, fit: _Fit, n_parameters: int) -> np.ndarray:
    mu = fit.mu
    # The dispersion that scales the residuals leaves out the largest Pearson contribution: one
    # large earlier outbreak would otherwise inflate it enough to hide itself.
    contributions = (y - mu) ** 2 / mu
    dof = max(len(y) - n_parameters - 1, 1)
    dispersion = max(1.0, (contributions.sum() - contributions.max()) / dof)
    scale = np.sqrt(dispersion * np.clip(1.0 - fit.leverage, 1e-6, None))
    return 1.5 * (np.cbrt(y) ** 2 * mu ** (-1.0 / 3.0) - np.cbrt(mu) ** 2) / scale


def _fit_with_reweighting(
    x: np.ndarray, y: np.ndarray, settings: DetectionSettings
) -> tuple[_Fit, np.ndarray]:
    """Fit, down-weight months with large Anscombe residuals, fit again; twice, because one large
    earlier outbreak inflates the first dispersion estimate enough to hide itself."""
    weights = np.ones_like(y)
    fit = _fit_poisson(x, y, weights)
    for _ in range(REWEIGHTING_ROUNDS):
        residuals = _anscombe(y, fit, x.shape[1])
        new_weights = np.where(residuals > settings.reweight_threshold, residuals ** (-2.0), 1.0)
        if np.all(new_weights == 1.0):
            break
        weights = new_weights * len(y) / new_weights.sum()
        fit = _fit_poisson(x, y, weights)
    return fit, weights


def _upper_limit(mu0: float, dispersion: float, alpha: float) -> float:
    if mu0 <= 0:
        return 0.0
    if dispersion <= 1.0 + 1e-9:
        return float(stats.poisson.ppf(1.0 - alpha, mu0))
    size = mu0 / (dispersion - 1.0)
    return float(stats.nbinom.ppf(1.0 - alpha, size, size / (size + mu0)))


def evaluate_month(
    counts: Sequence[int] | np.ndarray,
    month_of_year: Sequence[int] | np.ndarray,
    index: int,
    settings: DetectionSettings | None = None,
) -> MonthResult:
    """Judge month ``index`` of a series against its own history.

    Parameters
    ----------
    counts : sequence of int
        Monthly counts, oldest first, no gaps (months without events are 0).
    month_of_year : sequence of int
        The calendar month (1-12) of each count.
    index : int
        The month to judge; only earlier months are used.
    settings : DetectionSettings, optional

    Returns
    -------
    MonthResult
    """
    settings = settings or DetectionSettings()
    y_all = np.asarray(counts, dtype=float)
    m_all = np.asarray(month_of_year, dtype=float)
    if y_all.shape != m_all.shape or y_all.ndim != 1:
        raise ValueError("counts and month_of_year must be 1-d and of the same length")
    if np.any(y_all < 0):
        raise ValueError("counts cannot be negative")
    observed = int(y_all[index])
    start = max(0, index - 12 * settings.years_back)
    stop = index - settings.guard
    if stop - start < settings.min_baseline:
        return MonthResult(index=index, observed=observed, judged=False)
    y = y_all[start:stop]
    times = np.arange(start, stop, dtype=float) - index  # the judged month is at time 0
    months = m_all[start:stop]
    if y.sum() == 0:
        alarm = observed >= settings.min_count
        return MonthResult(
            index=index,
            observed=observed,
            judged=True,
            expected=0.0,
            upper=0.0,
            alarm=alarm,
            score=float("inf") if observed > 0 else 0.0,
            dispersion=1.0,
        )
    # A handful of non-zero months cannot carry a trend and a season: the mean only, then.
    rich = np.count_nonzero(y) >= SPARSE_MONTHS
    now = (np.array([0.0]), np.array([m_all[index]]))
    trend = False
    if rich:
        fit, _weights = _fit_with_reweighting(_design(times, months, trend=True), y, settings)
        mu0 = float(np.exp(np.clip(_design(*now, trend=True) @ fit.beta, -30.0, 30.0))[0])
        se_trend = np.sqrt(fit.dispersion * fit.covariance[1, 1])
        p_trend = 2 * stats.norm.sf(abs(fit.beta[1]) / se_trend) if se_trend > 0 else 1.0
        trend = bool(p_trend < settings.trend_level and mu0 <= y.max())
    if not trend:
        design = _design(times, months, trend=False, season=rich)
        fit, _weights = _fit_with_reweighting(design, y, settings)
        x_now = _design(*now, trend=False, season=rich)
        mu0 = float(np.exp(np.clip(x_now @ fit.beta, -30.0, 30.0))[0])
    upper = _upper_limit(mu0, fit.dispersion, settings.alpha)
    alarm = observed > upper and observed >= settings.min_count
    score = (observed - mu0) / (upper - mu0) if upper > mu0 else float(observed > mu0)
    return MonthResult(
        index=index,
        observed=observed,
        judged=True,
        expected=mu0,
        upper=upper,
        alarm=bool(alarm),
        score=float(score),
        dispersion=float(fit.dispersion),
        trend=trend,
    )


def detect(
    counts: Sequence[int] | np.ndarray,
    month_of_year: Sequence[int] | np.ndarray,
    *,
    last: int | None = None,
    settings: DetectionSettings | None = None,
) -> SeriesResult:
    """Judge the last ``last`` months of a series (all months when None), each against its past.

    Every month is judged as it would have been when it closed, so the result also gives the
    expected band over the whole window for the chart.
    """
    settings = settings or DetectionSettings()
    n = len(counts)
    first = 0 if last is None else max(0, n - last)
    return SeriesResult(
        months=tuple(evaluate_month(counts, month_of_year, i, settings) for i in range(first, n)),
        settings=settings,
    )
