"""Compiled inner loops (numba): the Poisson log-linear fit.

Kept apart so the rest of the package stays plain NumPy, and so the compile cost (cached on disk
after the first run) is paid once per process.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    """Poisson deviance ``2 * sum(y log(y / mu) - (y - mu))``, with ``0 log 0 = 0``."""
    dev = 0.0
    for i in range(y.size):
        if y[i] > 0.0:
            dev += y[i] * np.log(y[i] / mu[i])
        dev -= y[i] - mu[i]
    return 2.0 * dev


@njit(cache=True)
def irls_poisson(x: np.ndarray, y: np.ndarray, tol: float, max_iter: int):
    """Fit ``log E[y] = x @ beta`` by iteratively reweighted least squares (Newton's method).

    Starts from ``mu = y + 0.1`` as R's ``poisson()`` family does and stops when the relative
    change of the deviance is below ``tol`` (R: ``|dev - dev_old| / (|dev| + 0.1) < epsilon``).

    Returns ``(beta, mu, deviance, covariance, converged, iterations)``; ``covariance`` is the
    inverse Fisher information at the estimate.
    """
    n, p = x.shape
    mu = y + 0.1
    eta = np.log(mu)
    beta = np.zeros(p)
    dev_old = poisson_deviance(y, mu)
    converged = False
    info = np.empty((p, p))
    score = np.empty(p)
    iterations = 0
    for it in range(max_iter):
        iterations = it + 1
        # Working response z = eta + (y - mu) / mu with weights mu: solve (X'WX) b = X'Wz.
        for a in range(p):
            s = 0.0
            for i in range(n):
                s += x[i, a] * (mu[i] * eta[i] + y[i] - mu[i])
            score[a] = s
            for b in range(a, p):
                s = 0.0
                for i in range(n):
                    s += x[i, a] * mu[i] * x[i, b]
                info[a, b] = s
                info[b, a] = s
        new_beta = np.linalg.solve(info, score)
        step = new_beta - beta
        for _half in range(30):
            eta = x @ (beta + step)
            mu = np.exp(eta)
            dev = poisson_deviance(y, mu)
            if np.isfinite(dev):
                break
            step = step * 0.5
        beta = beta + step
        if abs(dev - dev_old) / (abs(dev) + 0.1) < tol:
            converged = True
            break
        dev_old = dev
    for a in range(p):
        for b in range(a, p):
            s = 0.0
            for i in range(n):
                s += x[i, a] * mu[i] * x[i, b]
            info[a, b] = s
            info[b, a] = s
    cov = np.linalg.inv(info)
    return beta, mu, dev, cov, converged, iterations
