"""Bayesian non-parametric latent-class capture-recapture (LCMCR).

The model of Manrique-Vallier (2016): each person belongs to one of ``K`` latent classes; within
class ``k`` the lists capture independently with probabilities ``lambda[j, k]``; class weights
follow a truncated stick-breaking prior, ``V_k ~ Beta(1, alpha)``, ``V_K = 1``,
``pi_k = V_k prod_{h<k} (1 - V_h)``, with ``alpha ~ Gamma(a, b)`` (shape, rate; 0.25, 0.25);
``lambda[j, k] ~ Beta(1, 1)``; and ``p(N) ∝ 1/N``. Heterogeneous capture probabilities and
dependence between lists are what the classes absorb.

The Gibbs sampler works on cell counts rather than persons: given the parameters, the class
counts within a cell are multinomial; the number of persons on no list is negative binomial,
``n0 ~ NegBin(n, 1 - pi0)`` with ``pi0 = sum_k pi_k prod_j (1 - lambda[j, k])``; then
``lambda``, ``V`` and ``alpha`` have conjugate Beta and Gamma updates. Several chains are run
from dispersed starting points; the split-chain R-hat and the effective sample size (Vehtari et
al. 2021) say whether they agree.

References
----------
Manrique-Vallier, D. (2016). Bayesian population size estimation using Dirichlet process mixtures.
Biometrics 72, 1246-1254.
Vehtari, A., Gelman, A., Simpson, D., Carpenter, B. and Bürkner, P.-C. (2021). Rank-normalization,
folding, and localization: an improved R-hat. Bayesian Analysis 16, 667-718.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit

from nmt.estimation.results import Interval, _finite_or_none
from nmt.estimation.table import CaptureTable

RHAT_WARNING = 1.05
ESS_WARNING = 400


# Below this many persons left to place, one categorical draw per person is cheaper than one
# binomial per remaining class.
_FEW = 6


@njit(cache=True)
def _multinomial_into(out, row, n, probs, k_classes):
    """Draw Multinomial(n, probs) into ``out[row, :]`` by sequential binomials.

    Once few persons are left, each is placed by its own categorical draw over the remaining
    classes; both ways draw from the same conditional distribution.
    """
    remaining = n
    rest = 1.0
    for k in range(k_classes - 1):
        if remaining == 0:
            out[row, k] = 0
            continue
        if remaining < _FEW:
            for h in range(k, k_classes):
                out[row, h] = 0
            for _ in range(remaining):
                u = np.random.random() * rest
                h = k
                acc = probs[h]
                while u >= acc and h < k_classes - 1:
                    h += 1
                    acc += probs[h]
                out[row, h] += 1
            return
        p = probs[k] / rest if rest > 0.0 else 1.0
        if p >= 1.0:
            draw = remaining
        elif p <= 0.0:
            draw = 0
        else:
            draw = np.random.binomial(remaining, p)
        out[row, k] = draw
        remaining -= draw
        rest -= probs[k]
    out[row, k_classes - 1] = remaining


@njit(cache=True)
def _chain(patterns, counts, k_classes, a_alpha, b_alpha, burnin, samples, thinning, seed):
    """One Gibbs chain; returns draws of N and alpha after burn-in, every ``thinning`` sweeps."""
    np.random.seed(seed)
    n_cells, n_lists = patterns.shape
    n_obs = 0
    for c in range(n_cells):
        n_obs += counts[c]
    # Dispersed start: parameters drawn from their priors (alpha = 1).
    alpha = 1.0
    lam = np.empty((n_lists, k_classes))
    for j in range(n_lists):
        for k in range(k_classes):
            lam[j, k] = np.random.uniform(0.02, 0.98)
    pi = np.empty(k_classes)
    v = np.empty(k_classes)
    left = 1.0
    for k in range(k_classes - 1):
        v[k] = np.random.beta(1.0, alpha)
        pi[k] = v[k] * left
        left *= 1.0 - v[k]
    v[k_classes - 1] = 1.0
    pi[k_classes - 1] = left

    z = np.zeros((n_cells + 1, k_classes), dtype=np.int64)
    probs = np.empty(k_classes)
    miss = np.empty(k_classes)
    on_list = np.empty((n_lists, k_classes))
    class_n = np.empty(k_classes)
    out_n = np.empty(samples)
    out_alpha = np.empty(samples)
    total = burnin + samples * thinning
    kept = 0
    for sweep in range(total):
        # Latent classes of the observed persons, cell by cell.
        for c in range(n_cells):
            s = 0.0
            for k in range(k_classes):
                w = pi[k]
                for j in range(n_lists):
                    w *= lam[j, k] if patterns[c, j] == 1 else 1.0 - lam[j, k]
                probs[k] = w
                s += w
            for k in range(k_classes):
                probs[k] /= s
            _multinomial_into(z, c, counts[c], probs, k_classes)
        # Persons on no list, and their classes.
        pi0 = 0.0
        for k in range(k_classes):
            w = pi[k]
            for j in range(n_lists):
                w *= 1.0 - lam[j, k]
            miss[k] = w
            pi0 += w
        for k in range(k_classes):
            miss[k] /= pi0
        pi0 = min(pi0, 1.0 - 1e-12)
        # NegBin(n, 1 - pi0) as a Poisson-Gamma mixture.
        n0 = np.random.poisson(np.random.gamma(n_obs, pi0 / (1.0 - pi0)))
        _multinomial_into(z, n_cells, n0, miss, k_classes)
        # Capture probabilities.
        for k in range(k_classes):
            class_n[k] = 0.0
            for j in range(n_lists):
                on_list[j, k] = 0.0
        for c in range(n_cells + 1):
            for k in range(k_classes):
                m = z[c, k]
                if m == 0:
                    continue
                class_n[k] += m
                if c < n_cells:
                    for j in range(n_lists):
                        if patterns[c, j] == 1:
                            on_list[j, k] += m
        for k in range(k_classes):
            for j in range(n_lists):
                if class_n[k] == 0:
                    # Beta(1, 1) is uniform: an empty class costs one draw, not two gammas.
                    lam[j, k] = np.random.random()
                else:
                    lam[j, k] = np.random.beta(
                        1.0 + on_list[j, k], 1.0 + class_n[k] - on_list[j, k]
                    )
        # Stick-breaking weights and their concentration.
        above = 0.0
        for k in range(k_classes):
            above += class_n[k]
        left = 1.0
        log_rest = 0.0
        for k in range(k_classes - 1):
            above -= class_n[k]
            if class_n[k] == 0:
                # Beta(1, b) by inversion: 1 - U^(1/b).
                vk = 1.0 - np.random.random() ** (1.0 / (alpha + above))
            else:
                vk = np.random.beta(1.0 + class_n[k], alpha + above)
            vk = min(vk, 1.0 - 1e-12)
            v[k] = vk
            pi[k] = vk * left
            left *= 1.0 - vk
            log_rest += math.log1p(-vk)
        pi[k_classes - 1] = left
        alpha = np.random.gamma(a_alpha + k_classes - 1, 1.0 / (b_alpha - log_rest))
        if sweep >= burnin and (sweep - burnin) % thinning == thinning - 1:
            out_n[kept] = n_obs + n0
            out_alpha[kept] = alpha
            kept += 1
    return out_n, out_alpha


@dataclass(frozen=True, eq=False)
class LcmcrResult:
    """Posterior of the population size under the LCMCR model.

    Attributes
    ----------
    observed : int
    median, mean : float
        Posterior median and mean of ``N``.
    interval : Interval
        Equal-tailed credible interval.
    rhat : float
        Split-chain potential scale reduction factor (1 when the chains agree).
    ess : float
        Effective sample size of the pooled draws of ``N``.
    warnings : tuple of str
        Present when the chains disagree (R-hat) or the draws are too few (ESS).
    k_classes, chains, burnin, samples, thinning : int
    seed : int or None
    sweeps_per_second : float
        Sampler speed (all chains' sweeps over wall time).
    draws : numpy.ndarray
        Draws of ``N``, shape ``(chains, samples)``.
    alpha_draws : numpy.ndarray
        Draws of the stick-breaking concentration.
    """

    observed: int
    median: float
    mean: float
    interval: Interval
    rhat: float
    ess: float
    warnings: tuple[str, ...]
    k_classes: int
    chains: int
    burnin: int
    samples: int
    thinning: int
    seed: int | None
    sweeps_per_second: float
    draws: np.ndarray = field(repr=False)
    alpha_draws: np.ndarray = field(repr=False)

    @property
    def estimate(self) -> float:
        """The posterior median, the point estimate reported."""
        return self.median

    def to_dict(self) -> dict[str, Any]:
        return {
            "observed": self.observed,
            "median": self.median,
            "mean": self.mean,
            "interval": self.interval.to_dict(),
            "rhat": _finite_or_none(self.rhat),
            "ess": _finite_or_none(self.ess),
            "warnings": list(self.warnings),
            "k_classes": self.k_classes,
            "chains": self.chains,
            "burnin": self.burnin,
            "samples": self.samples,
            "thinning": self.thinning,
            "seed": self.seed,
            "sweeps_per_second": self.sweeps_per_second,
        }


def split_rhat(draws: np.ndarray) -> float:
    """Split-chain R-hat of draws shaped ``(chains, samples)`` (Gelman et al., BDA3, 11.4)."""
    n = draws.shape[1]
    half = n // 2
    if half < 2:
        return math.nan
    split = np.concatenate([draws[:, :half], draws[:, n - half :]], axis=0)
    means = split.mean(axis=1)
    within = split.var(axis=1, ddof=1).mean()
    between = half * means.var(ddof=1)
    if within <= 0:
        return math.nan
    var_plus = (half - 1) / half * within + between / half
    return float(math.sqrt(var_plus / within))


def effective_sample_size(draws: np.ndarray) -> float:
    """Multi-chain effective sample size with Geyer's initial monotone sequence.

    As in Stan (Vehtari et al. 2021, eqs. 10-11): autocorrelations are combined across chains
    through the within- and between-chain variances, and summed in pairs while positive and
    decreasing.
    """
    chains, n = draws.shape
    if n < 4:
        return math.nan
    centred = draws - draws.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, size, axis=1)
    acov = np.fft.irfft(spectrum * np.conj(spectrum), size, axis=1)[:, :n] / n
    chain_var = acov[:, 0] * n / (n - 1)
    within = chain_var.mean()
    var_plus = within * (n - 1) / n
    if chains > 1:
        var_plus += draws.mean(axis=1).var(ddof=1)
    if var_plus <= 0:
        return math.nan
    rho = 1.0 - (within - acov.mean(axis=0)) / var_plus
    rho[0] = 1.0
    pairs = []
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        pairs.append(pair)
    pairs_arr = np.minimum.accumulate(np.array(pairs)) if pairs else np.array([1.0])
    tau = -1.0 + 2.0 * pairs_arr.sum()
    tau = max(tau, 1.0 / math.log10(chains * n))
    return float(chains * n / tau)


def _chain_seeds(seed: int | None, chains: int) -> list[int]:
    seq = np.random.SeedSequence(seed)
    return [int(child.generate_state(1)[0]) for child in seq.spawn(chains)]


def _run_chain(args: tuple) -> tuple[np.ndarray, np.ndarray]:
    return _chain(*args)


def lcmcr(
    table: CaptureTable,
    *,
    k_classes: int = 10,
    chains: int = 4,
    burnin: int = 10_000,
    samples: int = 2_000,
    thinning: int = 50,
    a_alpha: float = 0.25,
    b_alpha: float = 0.25,
    seed: int | None = None,
    level: float = 0.95,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> LcmcrResult:
    """Sample the LCMCR posterior of the population size (Manrique-Vallier 2016).

    Parameters
    ----------
    table : CaptureTable
    k_classes : int
        Truncation ``K`` of the stick-breaking prior (10, as the R package's examples use).
    chains : int
        Independent chains from dispersed starts; their agreement is checked.
    burnin, samples, thinning : int
        Sweeps discarded, draws kept per chain, and sweeps between kept draws (the R package's
        defaults: 10,000, 1,000, 10).
    a_alpha, b_alpha : float
        Gamma prior (shape, rate) of the stick-breaking concentration.
    seed : int, optional
        The chains' seeds are derived from it; a seed makes the result reproducible.
    level : float
        Coverage of the equal-tailed credible interval.
    workers : int, optional
        Processes for the chains; all cores by default.
    progress : callable, optional
        Called with the number of sweeps finished (per chain).
    """
    if k_classes < 1 or chains < 1 or samples < 1 or thinning < 1 or burnin < 0:
        raise ValueError("K, chains, samples and thinning must be positive; burn-in non-negative")
    observed = table.counts > 0
    patterns = np.ascontiguousarray(table.patterns()[observed].astype(np.int64))
    counts = np.ascontiguousarray(table.counts[observed].astype(np.int64))
    seeds = _chain_seeds(seed, chains)
    jobs = [
        (patterns, counts, k_classes, a_alpha, b_alpha, burnin, samples, thinning, s) for s in seeds
    ]
    per_chain = burnin + samples * thinning
    workers = (os.cpu_count() or 1) if workers is None else workers
    # The first call compiles (or loads the cached machine code); keep it out of the timing.
    _chain(patterns, counts, k_classes, a_alpha, b_alpha, 0, 1, 1, 0)
    started = time.perf_counter()
    results: list[tuple[np.ndarray, np.ndarray] | None] = [None] * chains
    if workers > 1 and chains > 1:
        from nmt.estimation.bootstrap import _pool

        with _pool(min(workers, chains)) as pool:
            futures = {pool.submit(_run_chain, job): i for i, job in enumerate(jobs)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if progress is not None:
                    progress(per_chain)
    else:
        for i, job in enumerate(jobs):
            results[i] = _run_chain(job)
            if progress is not None:
                progress(per_chain)
    elapsed = time.perf_counter() - started
    draws = np.vstack([r[0] for r in results])
    alphas = np.vstack([r[1] for r in results])
    pooled = draws.ravel()
    tail = (1 - level) / 2
    lower, upper = np.quantile(pooled, [tail, 1 - tail])
    rhat = split_rhat(draws) if chains > 1 else math.nan
    ess = effective_sample_size(draws)
    warnings = []
    if chains > 1 and not rhat < RHAT_WARNING:
        warnings.append(
            f"the chains disagree (R-hat {rhat:.3f} >= {RHAT_WARNING}): run longer chains "
            "(more burn-in, samples or thinning)"
        )
    if not ess >= ESS_WARNING:
        warnings.append(
            f"effective sample size {ess:.0f} < {ESS_WARNING}: the posterior summaries are "
            "imprecise; draw more samples"
        )
    return LcmcrResult(
        observed=table.observed,
        median=float(np.median(pooled)),
        mean=float(pooled.mean()),
        interval=Interval(float(lower), float(upper), level, "posterior (equal-tailed)"),
        rhat=rhat,
        ess=ess,
        warnings=tuple(warnings),
        k_classes=k_classes,
        chains=chains,
        burnin=burnin,
        samples=samples,
        thinning=thinning,
        seed=seed,
        sweeps_per_second=chains * per_chain / elapsed if elapsed > 0 else math.inf,
        draws=draws,
        alpha_draws=alphas,
    )
