"""Poisson log-linear models for multiple systems estimation.

The expected count of each of the ``2**t - 1`` observable cells (zeros included) follows a
hierarchical log-linear model, ``log mu = X beta``; the dark figure is the expected count of the
unobservable all-zero cell, ``exp(beta_0)``, and the population estimate is
``N = n + exp(beta_0)`` (Fienberg 1972; Bishop, Fienberg & Holland 1975, ch. 6).

Extended maximum likelihood (Chan, Silverman & Vincent 2021, SparseMSE): a term whose sufficient
statistic is zero, such as a pair of lists that share no person, enters the model with parameter
``-inf``; the cells containing it have expected count 0 and are removed from the fit. Whether the
(extended) estimate exists and is identifiable is checked with the linear program of Fienberg &
Rinaldo (2012) and the rank of the design matrix.

References
----------
Chan, L., Silverman, B. W. and Vincent, K. (2021). Multiple systems estimation for sparse capture
data: inferential challenges when there are nonoverlapping lists. JASA 116, 1297-1306.
Fienberg, S. E. and Rinaldo, A. (2012). Maximum likelihood estimation in log-linear models.
Ann. Statist. 40, 996-1023.
Rivest, L.-P. and Baillargeon, S. (2014). Rcapture: loglinear models for capture-recapture
experiments. R package (the AIC and BIC conventions).
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.special import gammaln
from scipy.stats import norm

from nmt.estimation._kernels import irls_poisson
from nmt.estimation.models import Model, design_matrix, term_label, term_names
from nmt.estimation.results import Interval
from nmt.estimation.table import CaptureTable

FIT_TOLERANCE = 1e-12
MAX_ITERATIONS = 100
# The Fienberg-Rinaldo LP value below which the estimate is taken not to exist; its solution is
# a count, and HiGHS solves to about 1e-7 absolute.
LP_TOLERANCE = 1e-6


class Existence(enum.IntEnum):
    """Outcome of the existence and identifiability check (SparseMSE's ``checkident`` codes)."""

    FINE = 0
    DOES_NOT_EXIST = 1
    NOT_IDENTIFIABLE = 2
    NEITHER = 3

    @property
    def description(self) -> str:
        return {
            Existence.FINE: "the estimate exists and is identifiable",
            Existence.DOES_NOT_EXIST: "the maximum likelihood estimate does not exist",
            Existence.NOT_IDENTIFIABLE: "the estimate exists but is not identifiable",
            Existence.NEITHER: "the estimate neither exists nor is identifiable",
        }[self]


class NotEstimableError(ValueError):
    """The model cannot be estimated on this table (see :class:`ExistenceCheck`)."""

    def __init__(self, model: str, check: ExistenceCheck):
        self.model = model
        self.check = check
        super().__init__(f"model {model}: {check.code.description}")


@dataclass(frozen=True)
class ExistenceCheck:
    """Result of :func:`check_existence`.

    Attributes
    ----------
    code : Existence
        Fine, does not exist, not identifiable, or neither.
    infinite_terms : tuple of str
        Terms with a zero sufficient statistic, set to ``-inf`` (model notation).
    rank_deficiency : int
        Columns of the reduced design matrix beyond its rank.
    lp_value : float or None
        Optimum of the Fienberg-Rinaldo linear program, when it had to be solved; 0 means the
        estimate does not exist.
    """

    code: Existence
    infinite_terms: tuple[str, ...]
    rank_deficiency: int
    lp_value: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": int(self.code),
            "outcome": self.code.name.lower(),
            "description": self.code.description,
            "infinite_terms": list(self.infinite_terms),
            "rank_deficiency": self.rank_deficiency,
            "lp_value": self.lp_value,
        }


@dataclass(frozen=True, eq=False)
class LoglinearFit:
    """A fitted log-linear model and its population estimate.

    Attributes
    ----------
    model : str
        The model in ``[12,3]`` notation.
    lists : tuple of str
    observed : int
        ``n``, persons on at least one list.
    estimate : float
        ``N = n + exp(intercept)``.
    dark_figure : float
        ``exp(intercept)``, the expected number on no list.
    coefficients, standard_errors : dict
        By term (``"(Intercept)"``, ``"1"``, ``"12"``, ...); infinite terms have ``-inf`` and
        ``nan``.
    infinite_terms : tuple of str
        Terms fitted at ``-inf`` (extended maximum likelihood).
    deviance, df : float, int
        Residual deviance and degrees of freedom over the cells in the fit (R's ``glm``).
    aic, bic : float
        ``AIC = -2 loglik + 2 p`` and ``BIC = AIC + (log n - 2) p`` (Rcapture), with ``p``
        counting the intercept and every term, infinite ones included (as SparseMSE's AIC).
    n_parameters : int
    standard_error : float
        Of ``N``, by the delta method on the Poisson model (Rcapture):
        ``sqrt(exp(b0) + exp(2 b0) var(b0))``.
    interval : Interval
        The log-normal model-based interval of SparseMSE: ``n + exp(b0 +- z se(b0))``.
    converged : bool
    iterations : int
    fitted : numpy.ndarray
        Expected counts of all ``2**t - 1`` cells (0 where a term is infinite).
    """

    model: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    dark_figure: float
    coefficients: dict[str, float]
    standard_errors: dict[str, float]
    infinite_terms: tuple[str, ...]
    deviance: float
    df: int
    aic: float
    bic: float
    n_parameters: int
    standard_error: float
    interval: Interval
    converged: bool
    iterations: int
    fitted: np.ndarray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "lists": list(self.lists),
            "observed": self.observed,
            "estimate": self.estimate,
            "dark_figure": self.dark_figure,
            "coefficients": {k: _json_float(v) for k, v in self.coefficients.items()},
            "standard_errors": {k: _json_float(v) for k, v in self.standard_errors.items()},
            "infinite_terms": list(self.infinite_terms),
            "deviance": self.deviance,
            "df": self.df,
            "aic": self.aic,
            "bic": self.bic,
            "n_parameters": self.n_parameters,
            "standard_error": self.standard_error,
            "interval": self.interval.to_dict(),
            "converged": self.converged,
        }


def _json_float(value: float) -> float | str | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "-Infinity" if value < 0 else "Infinity"
    return value


@lru_cache(maxsize=4096)
def _design(t: int, terms: tuple[int, ...]) -> np.ndarray:
    x = design_matrix(t, terms)
    x.setflags(write=False)
    return x


class Prepared:
    """A model laid out on one set of counts: infinite terms found, their cells removed.

    Internal to the package; the stepwise search and the bootstrap build thousands of these.
    """

    __slots__ = ("finite", "infinite", "kept", "n", "t", "terms", "x", "y")

    def __init__(self, t: int, terms: tuple[int, ...], counts: np.ndarray):
        self.t = t
        self.terms = terms
        full = _design(t, terms)
        margins = counts @ full[:, 1:] if terms else np.zeros(0)
        zero = margins == 0
        self.infinite = tuple(m for m, z in zip(terms, zero, strict=True) if z)
        self.finite = tuple(m for m, z in zip(terms, zero, strict=True) if not z)
        if self.infinite:
            self.kept = ~full[:, 1:][:, zero].any(axis=1)
            cols = np.concatenate(([True], ~zero))
            self.x = np.ascontiguousarray(full[self.kept][:, cols])
        else:
            self.kept = np.ones(full.shape[0], dtype=bool)
            self.x = np.ascontiguousarray(full)
        self.y = counts[self.kept].astype(np.float64)
        self.n = float(counts.sum())

    def existence(self) -> tuple[Existence, int, float | None]:
        """Fienberg-Rinaldo LP and rank check, as SparseMSE's ``checkident``."""
        rank = np.linalg.matrix_rank(self.x)
        rank_def = self.x.shape[1] - rank
        positive = self.y > 0
        lp_value = None
        if positive.all():
            exists = True
        elif np.linalg.matrix_rank(self.x[positive]) == rank:
            # Every zero cell can be made positive along a direction that keeps the sufficient
            # statistics, so the LP optimum is positive; the LP is only needed otherwise.
            exists = True
        else:
            lp_value = _lp_value(self.x, self.y)
            exists = lp_value > LP_TOLERANCE
        code = Existence((0 if exists else 1) + (2 if rank_def > 0 else 0))
        return code, rank_def, lp_value

    def fit(self):
        return irls_poisson(self.x, self.y, FIT_TOLERANCE, MAX_ITERATIONS)

    @property
    def n_parameters(self) -> int:
        return 1 + len(self.terms)


def _lp_value(x: np.ndarray, y: np.ndarray) -> float:
    """Max ``s`` such that some ``u >= s`` has the observed sufficient statistics ``X'u = X'y``.

    Fienberg & Rinaldo (2012), p. 3, as corrected in SparseMSE's ``checkident``; the extended
    estimate has all cells positive exactly when the optimum is positive.
    """
    m, p = x.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    a_eq = np.hstack([x.T, np.zeros((p, 1))])
    a_ub = np.hstack([-np.eye(m), np.ones((m, 1))])
    res = linprog(
        c, A_ub=a_ub, b_ub=np.zeros(m), A_eq=a_eq, b_eq=x.T @ y, bounds=(0, None), method="highs"
    )
    if res.status != 0:
        return 0.0
    return float(-res.fun)


def check_existence(table: CaptureTable, model: Model) -> ExistenceCheck:
    """Check that the extended maximum likelihood estimate exists and is identifiable.

    Terms with a zero sufficient statistic are first set to ``-inf`` and their cells removed; the
    Fienberg-Rinaldo linear program then tells whether the estimate exists on the remaining cells,
    and the rank of the remaining design matrix whether it is identifiable.
    """
    prep = Prepared(table.t, model.terms, np.asarray(table.counts))
    code, rank_def, lp_value = prep.existence()
    return ExistenceCheck(
        code=code,
        infinite_terms=tuple(term_label(m, table.t) for m in prep.infinite),
        rank_deficiency=int(rank_def),
        lp_value=lp_value,
    )


def fit_model(
    table: CaptureTable, model: Model | str, *, level: float = 0.95, check: bool = True
) -> LoglinearFit:
    """Fit a hierarchical log-linear model and estimate the population size.

    Parameters
    ----------
    table : CaptureTable
    model : Model or str
        A model or its notation, e.g. ``"[12,3]"``.
    level : float
        Coverage of the log-normal interval.
    check : bool
        Check existence and identifiability first (see :func:`check_existence`).

    Raises
    ------
    NotEstimableError
        If ``check`` finds that the estimate does not exist or is not identifiable.
    """
    if isinstance(model, str):
        model = Model.parse(model, table.lists)
    if model.t != table.t:
        raise ValueError(f"model for {model.t} lists, table has {table.t}")
    prep = Prepared(table.t, model.terms, np.asarray(table.counts))
    if check:
        code, rank_def, lp_value = prep.existence()
        if code != Existence.FINE:
            raise NotEstimableError(
                model.name(),
                ExistenceCheck(
                    code,
                    tuple(term_label(m, table.t) for m in prep.infinite),
                    int(rank_def),
                    lp_value,
                ),
            )
    return _summarise(table, model, prep, level)


def _summarise(table: CaptureTable, model: Model, prep: Prepared, level: float) -> LoglinearFit:
    beta, mu, dev, cov, converged, iterations = prep.fit()
    t = table.t
    n = table.observed
    b0 = float(beta[0])
    var0 = float(cov[0, 0])
    dark = math.exp(b0)
    coefficients = {"(Intercept)": b0}
    standard_errors = {"(Intercept)": math.sqrt(var0)}
    finite_index = {m: i + 1 for i, m in enumerate(prep.finite)}
    for m in model.terms:
        label = term_label(m, t)
        if m in finite_index:
            coefficients[label] = float(beta[finite_index[m]])
            standard_errors[label] = math.sqrt(max(float(cov[finite_index[m], finite_index[m]]), 0))
        else:
            coefficients[label] = -math.inf
            standard_errors[label] = math.nan
    y = prep.y
    loglik = float(np.sum(y * np.log(np.where(y > 0, mu, 1.0)) - mu) - _log_factorials(y))
    p = prep.n_parameters
    aic = -2.0 * loglik + 2.0 * p
    bic = aic + (math.log(n) - 2.0) * p
    fitted = np.zeros(2**t - 1)
    fitted[prep.kept] = mu
    z = norm.ppf(0.5 + level / 2)
    sd = math.sqrt(var0)
    return LoglinearFit(
        model=model.name(),
        lists=table.lists,
        observed=n,
        estimate=n + dark,
        dark_figure=dark,
        coefficients=coefficients,
        standard_errors=standard_errors,
        infinite_terms=tuple(term_names(m, table.lists) for m in prep.infinite),
        deviance=float(dev),
        df=int(prep.x.shape[0] - prep.x.shape[1]),
        aic=float(aic),
        bic=float(bic),
        n_parameters=p,
        standard_error=math.sqrt(dark + dark * dark * var0),
        interval=Interval(
            n + math.exp(b0 - z * sd), n + math.exp(b0 + z * sd), level, "log-normal"
        ),
        converged=bool(converged),
        iterations=int(iterations),
        fitted=fitted,
    )


def _log_factorials(y: np.ndarray) -> float:
    return float(gammaln(y + 1.0).sum())
