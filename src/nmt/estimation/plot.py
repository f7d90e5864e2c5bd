"""A figure of the bootstrap or posterior distribution of the population size."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nmt.estimation.results import Interval

FORMATS = (".png", ".svg", ".pdf")


def distribution_figure(
    values: np.ndarray,
    *,
    estimate: float,
    interval: Interval,
    observed: int,
    title: str,
    path: str | Path,
) -> Path:
    """Write a histogram of ``values`` (bootstrap replicates or posterior draws) to ``path``.

    The estimate, the interval and the observed count are marked. The format follows the file
    suffix: PNG, SVG or PDF.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"figure must end in one of {', '.join(FORMATS)}")
    values = np.asarray(values, dtype=float).ravel()
    values = values[np.isfinite(values)]
    fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    hi = np.quantile(values, 0.995)
    ax.hist(values[values <= hi], bins=60, color="#7a9cc6", edgecolor="white")
    ax.axvline(estimate, color="#1b3b6f", lw=2, label=f"estimate {estimate:,.0f}")
    ax.axvline(
        interval.lower, color="#c0504d", ls="--", label=f"{interval.level:.0%} {interval.kind}"
    )
    if np.isfinite(interval.upper):
        ax.axvline(interval.upper, color="#c0504d", ls="--")
    ax.axvline(observed, color="grey", ls=":", label=f"observed {observed:,}")
    ax.set_xlabel("population size N")
    ax.set_ylabel("count")
    ax.set_title(title)
    ax.legend(frameon=False)
    fig.savefig(path)
    plt.close(fig)
    return path
