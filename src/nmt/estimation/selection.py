"""Model selection: the stepwise method of Chan, Silverman & Vincent, and search by AIC or BIC.

Stepwise (Chan, Silverman & Vincent 2021; SparseMSE's ``stepwisefit``): start from main effects;
for every two-list term not yet in the model, the number of persons on both lists, ``n*``, is
Poisson under the current model with mean ``mu*`` (the sum of the fitted counts of the cells with
both lists); its two-sided tail p-value is ``min(P(X <= n*), P(X >= n*))``. The term with the
smallest p-value is added if that p-value is below the threshold (0.02) and the larger model's
estimate exists and is identifiable; a candidate that fails that check counts as ``p = 1``.

Search (Rcapture's ``closedpMS.t``): every hierarchical model with all main effects and terms of
at most ``max_order`` lists is fitted and ranked by AIC or BIC; the ranking shows how flat the
choice is.

References
----------
Chan, L., Silverman, B. W. and Vincent, K. (2021). Multiple systems estimation for sparse capture
data: inferential challenges when there are nonoverlapping lists. JASA 116, 1297-1306.
Baillargeon, S. and Rivest, L.-P. (2007). Rcapture: loglinear models for capture-recapture in R.
J. Statist. Software 19(5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import pdtr, pdtrc

from nmt.estimation.loglinear import (
    Existence,
    LoglinearFit,
    Prepared,
    _design,
    _summarise,
)
from nmt.estimation.models import (
    Model,
    all_pairs,
    count_hierarchical_models,
    hierarchical_models,
    term_label,
)
from nmt.estimation.table import CaptureTable

DEFAULT_THRESHOLD = 0.02
CRITERIA = ("bic", "aic")


@dataclass(frozen=True)
class StepRecord:
    """One term added by the stepwise method."""

    term: str
    p_value: float
    model: str
    estimate: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "p_value": self.p_value,
            "model": self.model,
            "estimate": self.estimate,
        }


@dataclass(frozen=True)
class RankedModel:
    """One row of the ranking of models by an information criterion."""

    rank: int
    model: str
    estimate: float
    criterion: float
    delta: float
    aic: float
    bic: float
    deviance: float
    df: int
    n_parameters: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "model": self.model,
            "estimate": self.estimate,
            "criterion": self.criterion,
            "delta": self.delta,
            "aic": self.aic,
            "bic": self.bic,
            "deviance": self.deviance,
            "df": self.df,
            "n_parameters": self.n_parameters,
        }


@dataclass(frozen=True)
class SelectionResult:
    """The chosen model, how it was chosen, and the competing models.

    Attributes
    ----------
    method : str
        ``"stepwise"``, ``"bic"`` or ``"aic"``.
    fit : LoglinearFit
        The chosen model's fit.
    steps : tuple of StepRecord
        Terms added by the stepwise method, in order (empty for a search).
    ranking : tuple of RankedModel
        Best models by the criterion (for a search; empty when not computed).
    criterion : str or None
        ``"bic"`` or ``"aic"`` for the ranking.
    models_considered, models_not_estimable : int
        Size of the search, and how many models were left out because their estimate does not
        exist or is not identifiable.
    """

    method: str
    fit: LoglinearFit
    steps: tuple[StepRecord, ...] = ()
    ranking: tuple[RankedModel, ...] = ()
    criterion: str | None = None
    threshold: float | None = None
    max_order: int | None = None
    models_considered: int = 0
    models_not_estimable: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "model": self.fit.model,
            "threshold": self.threshold,
            "criterion": self.criterion,
            "max_order": self.max_order,
            "steps": [s.to_dict() for s in self.steps],
            "ranking": [r.to_dict() for r in self.ranking],
            "models_considered": self.models_considered,
            "models_not_estimable": self.models_not_estimable,
            "fit": self.fit.to_dict(),
        }


def poisson_two_sided(n_star: np.ndarray, mu_star: np.ndarray) -> np.ndarray:
    """``min(P(X <= n*), P(X >= n*))`` for ``X ~ Poisson(mu*)`` (SparseMSE's pair p-value)."""
    n_star = np.asarray(n_star, dtype=np.float64)
    lower = pdtr(n_star, mu_star)
    upper = np.where(n_star > 0, pdtrc(np.maximum(n_star - 1, 0), mu_star), 1.0)
    return np.minimum(lower, upper)


def _main_terms(t: int) -> tuple[int, ...]:
    return tuple(1 << j for j in range(t))


def stepwise_terms(
    t: int, counts: np.ndarray, threshold: float = DEFAULT_THRESHOLD
) -> tuple[tuple[int, ...], list[tuple[int, float]], Prepared, tuple]:
    """The stepwise method on raw cell counts.

    Returns the chosen model's terms, the ``(pair, p-value)`` steps, and the prepared model with
    its fit, so callers that only need ``N`` (the bootstrap) skip building result objects.
    """
    pairs = all_pairs(t)
    pair_x = _design(t, pairs)[:, 1:]
    n_star = counts @ pair_x
    terms = _main_terms(t)
    prep = Prepared(t, terms, counts)
    fit = prep.fit()
    steps: list[tuple[int, float]] = []
    included = np.zeros(len(pairs), dtype=bool)
    if threshold <= 0:
        return terms, steps, prep, fit
    while not included.all():
        mu = np.zeros(counts.shape[0])
        mu[prep.kept] = fit[1]
        p_values = poisson_two_sided(n_star, mu @ pair_x)
        p_values[included] = np.inf
        # The smallest p-value among candidates that pass the check wins (ties: first pair), so
        # candidates are checked in that order and only while their p-value is below threshold.
        order = np.lexsort((np.arange(len(pairs)), p_values))
        chosen = None
        for k in order:
            if not p_values[k] < threshold:
                break
            candidate = tuple(sorted((*terms, pairs[k]), key=lambda m: (bin(m).count("1"), m)))
            cand_prep = Prepared(t, candidate, counts)
            if cand_prep.existence()[0] == Existence.FINE:
                chosen = (k, candidate, cand_prep)
                break
        if chosen is None:
            break
        k, terms, prep = chosen
        included[k] = True
        fit = prep.fit()
        steps.append((pairs[k], float(p_values[k])))
    return terms, steps, prep, fit


def stepwise(
    table: CaptureTable, *, threshold: float = DEFAULT_THRESHOLD, level: float = 0.95
) -> SelectionResult:
    """Choose a model by the stepwise method of Chan, Silverman & Vincent (2021).

    Parameters
    ----------
    table : CaptureTable
    threshold : float
        A two-list term enters only with a p-value below this (SparseMSE's ``pthresh``).
    level : float
        Coverage of the log-normal interval of the chosen model.
    """
    counts = np.asarray(table.counts)
    terms, steps, prep, _ = stepwise_terms(table.t, counts, threshold)
    model = Model.from_terms(table.t, terms)
    records = []
    current = Model.main_effects(table.t)
    for pair, p in steps:
        current = current.with_term(pair)
        step_fit = _summarise(table, current, Prepared(table.t, current.terms, counts), level)
        records.append(StepRecord(term_label(pair, table.t), p, current.name(), step_fit.estimate))
    fit = _summarise(table, model, prep, level)
    return SelectionResult(method="stepwise", fit=fit, steps=tuple(records), threshold=threshold)


def default_max_order(t: int) -> int:
    """Largest interaction order searched by default: all (``t - 1``) up to 4 lists, else 2."""
    return t - 1 if t <= 4 else 2


def search_models(
    table: CaptureTable,
    *,
    criterion: str = "bic",
    max_order: int | None = None,
    top: int = 10,
    level: float = 0.95,
) -> SelectionResult:
    """Fit every hierarchical model up to ``max_order`` and choose the best by AIC or BIC.

    Models whose (extended) estimate does not exist or is not identifiable are left out and
    counted in ``models_not_estimable``.

    Raises
    ------
    nmt.estimation.models.ModelError
        If the search would be too large (see :data:`nmt.estimation.models.MAX_MODELS`).
    """
    if criterion not in CRITERIA:
        raise ValueError(f"criterion must be one of {CRITERIA}")
    max_order = default_max_order(table.t) if max_order is None else max_order
    # Refuse an oversized search before fitting anything.
    count_hierarchical_models(table.t, max_order)
    counts = np.asarray(table.counts)
    log_n = math.log(table.observed)
    scored: list[tuple[float, int, Model, Prepared, tuple]] = []
    considered = 0
    not_estimable = 0
    for model in hierarchical_models(table.t, max_order):
        considered += 1
        prep = Prepared(table.t, model.terms, counts)
        if prep.existence()[0] != Existence.FINE:
            not_estimable += 1
            continue
        fit = prep.fit()
        y, mu = prep.y, fit[1]
        loglik = float(np.sum(y * np.log(np.where(y > 0, mu, 1.0)) - mu))
        p = prep.n_parameters
        # The log-factorial term of the likelihood is the same for every model: leave it out here.
        aic = -2.0 * loglik + 2.0 * p
        score = aic + (log_n - 2.0) * p if criterion == "bic" else aic
        scored.append((score, considered, model, prep, fit))
    if not scored:
        raise ValueError("no model in the search has an estimate that exists and is identifiable")
    scored.sort(key=lambda s: (s[0], s[1]))
    best_score = scored[0][0]
    ranking = []
    for rank, (_score, _i, model, prep, _fit) in enumerate(scored[:top], start=1):
        summary = _summarise(table, model, prep, level)
        value = summary.bic if criterion == "bic" else summary.aic
        ranking.append(
            RankedModel(
                rank=rank,
                model=summary.model,
                estimate=summary.estimate,
                criterion=value,
                delta=_score - best_score,
                aic=summary.aic,
                bic=summary.bic,
                deviance=summary.deviance,
                df=summary.df,
                n_parameters=summary.n_parameters,
            )
        )
    best_model, best_prep = scored[0][2], scored[0][3]
    return SelectionResult(
        method=criterion,
        fit=_summarise(table, best_model, best_prep, level),
        ranking=tuple(ranking),
        criterion=criterion,
        max_order=max_order,
        models_considered=considered,
        models_not_estimable=not_estimable,
    )


def best_model_terms(
    t: int, counts: np.ndarray, criterion: str, max_order: int
) -> tuple[Prepared, tuple] | None:
    """The best model by AIC or BIC on raw counts (for the bootstrap); ``None`` if none fits."""
    n = counts.sum()
    log_n = math.log(n)
    best = None
    for model in hierarchical_models(t, max_order):
        prep = Prepared(t, model.terms, counts)
        if prep.existence()[0] != Existence.FINE:
            continue
        fit = prep.fit()
        y, mu = prep.y, fit[1]
        loglik = float(np.sum(y * np.log(np.where(y > 0, mu, 1.0)) - mu))
        p = prep.n_parameters
        score = -2.0 * loglik + 2.0 * p + ((log_n - 2.0) * p if criterion == "bic" else 0.0)
        if best is None or score < best[0]:
            best = (score, prep, fit)
    return None if best is None else (best[1], best[2])
