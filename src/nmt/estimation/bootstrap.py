"""BCa bootstrap intervals that re-run the whole model selection on every replicate.

Each replicate draws ``n`` persons from the observed cells (multinomial with the observed
proportions), runs the same estimator as the original data (stepwise selection, a search, or a
fixed model) and records ``N``. The bias-corrected and accelerated (BCa) interval takes the
percentiles ``Phi(z0 + (z0 + z_a) / (1 - a (z0 + z_a)))`` of the replicates, with ``z0`` the
normal quantile of the share of replicates below the estimate and the acceleration ``a`` from the
jackknife that removes one person at a time (Chan, Silverman & Vincent 2021, section 3.3;
SparseMSE's ``estimatepopulation``; DiCiccio & Efron 1996). Percentiles are R's type 8.

Replicates are drawn up front from one seeded generator, so the result does not depend on how
many processes compute them.

References
----------
DiCiccio, T. J. and Efron, B. (1996). Bootstrap confidence intervals. Statist. Sci. 11, 189-228.
Chan, L., Silverman, B. W. and Vincent, K. (2021). JASA 116, 1297-1306.
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import norm

from nmt.estimation.loglinear import Existence, Prepared
from nmt.estimation.models import Model
from nmt.estimation.results import Interval
from nmt.estimation.selection import DEFAULT_THRESHOLD, best_model_terms, stepwise_terms
from nmt.estimation.table import CaptureTable

# Below this many replicates the cost of starting processes outweighs the gain.
MIN_PARALLEL = 64


@dataclass(frozen=True)
class Estimator:
    """How ``N`` is estimated from counts: the recipe a bootstrap replicate re-runs.

    Parameters
    ----------
    method : str
        ``"stepwise"``, ``"bic"``, ``"aic"``, ``"main"`` or ``"model"``.
    threshold : float
        Stepwise p-value threshold.
    model : tuple of int, optional
        Term masks of the fixed model (``method="model"``).
    max_order : int, optional
        Largest interaction order of a search.
    """

    method: str = "stepwise"
    threshold: float = DEFAULT_THRESHOLD
    model: tuple[int, ...] | None = None
    max_order: int | None = None

    @classmethod
    def fixed(cls, model: Model) -> Estimator:
        return cls(method="model", model=model.terms)

    def __call__(self, t: int, counts: np.ndarray) -> float:
        """``N`` for one table of counts; ``nan`` where the estimate does not exist."""
        n = float(counts.sum())
        if self.method == "stepwise":
            fit = stepwise_terms(t, counts, self.threshold)[3]
        elif self.method in ("bic", "aic"):
            found = best_model_terms(t, counts, self.method, self.max_order or t - 1)
            if found is None:
                return math.nan
            fit = found[1]
        else:
            terms = tuple(1 << j for j in range(t)) if self.method == "main" else self.model
            prep = Prepared(t, terms, counts)
            if self.method == "model" and prep.existence()[0] != Existence.FINE:
                return math.nan
            fit = prep.fit()
        return n + math.exp(fit[0][0])


@dataclass(frozen=True, eq=False)
class BootstrapResult:
    """A BCa bootstrap interval.

    Attributes
    ----------
    estimate : float
        ``N`` from the original table.
    interval : Interval
    z0 : float
        Bias correction.
    acceleration : float
        Jackknife acceleration ``a``.
    n_boot : int
        Replicates drawn.
    n_failed : int
        Replicates on which the estimate did not exist (left out).
    seed : int or None
    replicates : numpy.ndarray
        ``N`` of each replicate (``nan`` where it failed).
    """

    estimate: float
    interval: Interval
    z0: float
    acceleration: float
    n_boot: int
    n_failed: int
    seed: int | None
    replicates: np.ndarray = field(repr=False)

    def to_dict(self) -> dict[str, Any]:
        ok = self.replicates[np.isfinite(self.replicates)]
        return {
            "estimate": self.estimate,
            "interval": self.interval.to_dict(),
            "z0": self.z0,
            "acceleration": self.acceleration,
            "n_boot": self.n_boot,
            "n_failed": self.n_failed,
            "seed": self.seed,
            "replicates_summary": {
                "mean": float(ok.mean()) if ok.size else None,
                "median": float(np.median(ok)) if ok.size else None,
                "sd": float(ok.std(ddof=1)) if ok.size > 1 else None,
            },
        }


def _run_chunk(estimator: Estimator, t: int, tables: np.ndarray) -> np.ndarray:
    return np.array([estimator(t, row) for row in tables])


def _pool(workers: int) -> ProcessPoolExecutor:
    # fork starts a worker in milliseconds with the compiled kernels already loaded; elsewhere
    # the platform default is used.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def evaluate_many(
    estimator: Estimator,
    t: int,
    tables: np.ndarray,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Run ``estimator`` on each row of ``tables`` (cell counts), in parallel processes.

    ``progress`` is called with the number of rows just finished.
    """
    workers = (os.cpu_count() or 1) if workers is None else workers
    rows = tables.shape[0]
    if workers <= 1 or rows < MIN_PARALLEL:
        out = np.empty(rows)
        for i in range(rows):
            out[i] = estimator(t, tables[i])
            if progress is not None:
                progress(1)
        return out
    n_chunks = min(rows, workers * 8)
    bounds = np.linspace(0, rows, n_chunks + 1).astype(int)
    out = np.empty(rows)
    with _pool(workers) as pool:
        futures = {
            pool.submit(_run_chunk, estimator, t, tables[lo:hi]): (lo, hi)
            for lo, hi in itertools.pairwise(bounds)
            if hi > lo
        }
        for future in as_completed(futures):
            lo, hi = futures[future]
            out[lo:hi] = future.result()
            if progress is not None:
                progress(hi - lo)
    return out


def bca_interval(
    replicates: np.ndarray, estimate: float, acceleration: float, level: float = 0.95
) -> tuple[float, float, float]:
    """BCa limits from bootstrap replicates: ``(lower, upper, z0)``.

    The share of replicates below the estimate is kept within ``[1/(2B), 1 - 1/(2B)]`` so that
    ``z0`` stays finite when every replicate falls on one side.
    """
    ok = replicates[np.isfinite(replicates)]
    b = ok.size
    share = np.mean(ok < estimate)
    share = min(max(share, 0.5 / b), 1 - 0.5 / b)
    z0 = float(norm.ppf(share))
    alpha = (1 - level) / 2
    za = norm.ppf([alpha, 1 - alpha])
    shifted = z0 + za
    probs = norm.cdf(z0 + shifted / (1 - acceleration * shifted))
    lower, upper = np.quantile(ok, probs, method="median_unbiased")
    return float(lower), float(upper), z0


def jackknife_acceleration(
    estimator: Estimator, t: int, counts: np.ndarray, *, workers: int | None = None
) -> float:
    """Acceleration from the delete-one-person jackknife, weighting each cell by its count."""
    cells = np.flatnonzero(counts > 0)
    tables = np.repeat(counts[None, :], cells.size, axis=0)
    tables[np.arange(cells.size), cells] -= 1
    jack = evaluate_many(estimator, t, tables, workers=workers)
    weights = counts[cells].astype(np.float64)
    ok = np.isfinite(jack)
    weights, jack = weights[ok], jack[ok]
    resid = np.sum(weights * jack) / np.sum(weights) - jack
    denom = 6.0 * np.sum(weights * resid**2) ** 1.5
    return float(np.sum(weights * resid**3) / denom) if denom > 0 else 0.0


def bootstrap(
    table: CaptureTable,
    estimator: Estimator | None = None,
    *,
    n_boot: int = 1000,
    seed: int | None = None,
    level: float = 0.95,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BootstrapResult:
    """BCa bootstrap interval for ``N``, re-running ``estimator`` on each replicate.

    Parameters
    ----------
    table : CaptureTable
    estimator : Estimator
        Defaults to the stepwise method with threshold 0.02.
    n_boot : int
        Number of replicates.
    seed : int, optional
        Seed of the generator that draws the replicates; the result is reproducible for a seed.
    level : float
        Coverage of the interval.
    workers : int, optional
        Processes to use; all cores by default.
    progress : callable, optional
        Called with the number of replicates finished, for a progress bar.
    """
    estimator = estimator or Estimator()
    counts = np.asarray(table.counts, dtype=np.int64)
    t = table.t
    estimate = estimator(t, counts)
    if not math.isfinite(estimate):
        raise ValueError("the estimate does not exist for the original table")
    rng = np.random.default_rng(seed)
    n = int(counts.sum())
    tables = rng.multinomial(n, counts / n, size=n_boot)
    replicates = evaluate_many(estimator, t, tables, workers=workers, progress=progress)
    acceleration = jackknife_acceleration(estimator, t, counts, workers=workers)
    failed = int(np.sum(~np.isfinite(replicates)))
    if n_boot - failed < 2:
        raise ValueError("too few bootstrap replicates gave an estimate")
    lower, upper, z0 = bca_interval(replicates, estimate, acceleration, level)
    return BootstrapResult(
        estimate=estimate,
        interval=Interval(lower, upper, level, "BCa bootstrap"),
        z0=z0,
        acceleration=acceleration,
        n_boot=n_boot,
        n_failed=failed,
        seed=seed,
        replicates=replicates,
    )
