"""Charts of the report, drawn with matplotlib as SVG: readable on screen and in print.

Dark ink on white, one accent colour, values written on the bars (a printed chart without colour
still reads), text at least 9 points, no chart-only information (each chart repeats a table).
Embedded as ``data:`` URIs, which the platform's Content-Security-Policy allows for images.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils.formats import number_format
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

INK = "#1d2733"
ACCENT = "#17365c"
LIGHT = "#8fb3d9"
GRID = "#d5dbe1"

plt.rcParams.update(
    {
        "font.size": 10,
        "font.family": "DejaVu Sans",
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "svg.fonttype": "path",
        "svg.hashsalt": "nmt-report",
    }
)


def _data_uri(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _style(ax: Any) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)


def trend_chart(rows: list[dict[str, Any]], *, persons: str, estimate: str) -> str:
    """Persons identified per year (bars) and the estimated total with its interval."""
    figure, ax = plt.subplots(figsize=(7.0, 3.2))
    years = [r["year"] for r in rows]
    values = [r["persons"] or 0 for r in rows]
    bars = ax.bar(years, values, color=ACCENT, width=0.6, label=persons)
    ax.bar_label(bars, labels=[f"{v:,}".replace(",", " ") for v in values], fontsize=9, padding=2)
    with_estimate = [r for r in rows if r.get("estimate") is not None]
    if with_estimate:
        xs = [r["year"] for r in with_estimate]
        ys = [r["estimate"] for r in with_estimate]
        lower = [r["estimate"] - (r["lower"] or r["estimate"]) for r in with_estimate]
        upper = [(r["upper"] or r["estimate"]) - r["estimate"] for r in with_estimate]
        ax.errorbar(
            xs,
            ys,
            yerr=[lower, upper],
            fmt="o",
            color=INK,
            ecolor=INK,
            capsize=4,
            markerfacecolor="white",
            label=estimate,
        )
    ax.set_xticks(years)
    ax.legend(frameon=False, loc="upper left", fontsize=9)
    _style(ax)
    return _data_uri(figure)


def bar_chart(labels: list[str], values: list[int | None], *, title: str) -> str:
    """Horizontal bars with their values; withheld values are shown as '..' without a bar."""
    height = 0.45 * len(labels) + 0.8
    figure, ax = plt.subplots(figsize=(7.0, height))
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, [v or 0 for v in values], color=ACCENT, height=0.6)
    for y, v in zip(positions, values, strict=True):
        ax.text((v or 0), y, f" {'..' if v is None else v}", va="center", fontsize=9, color=INK)
    ax.set_yticks(positions, labels)
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="x", color=GRID, linewidth=0.8)
    ax.set_axisbelow(True)
    return _data_uri(figure)


def estimate_chart(rows: list[dict[str, Any]], *, observed: str, estimate: str) -> str:
    """Observed persons and the estimated total with its interval, at each linkage threshold."""
    figure, ax = plt.subplots(figsize=(7.0, 2.8))
    labels = [number_format(r["threshold"]) for r in rows]
    xs = list(range(len(rows)))
    obs = [r.get("persons") or 0 for r in rows]
    ax.bar(xs, obs, color=LIGHT, width=0.5, label=observed, edgecolor=INK, linewidth=0.5)
    est = [r for r in rows if r.get("estimable")]
    if est:
        ex = [xs[rows.index(r)] for r in est]
        ey = [r["estimate"] for r in est]
        lo = [r["estimate"] - (r["lower"] or r["estimate"]) for r in est]
        hi = [(r["upper"] or r["estimate"]) - r["estimate"] for r in est]
        ax.errorbar(ex, ey, yerr=[lo, hi], fmt="D", color=INK, capsize=5, label=estimate)
        for x, y in zip(ex, ey, strict=True):
            ax.annotate(
                number_format(round(y), force_grouping=True),
                (x, y),
                xytext=(8, 0),
                textcoords="offset points",
                fontsize=9,
                va="center",
            )
    ax.set_xticks(xs, labels)
    # Below the plot: inside it, the legend covered the first estimate's label.
    ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=9)
    _style(ax)
    return _data_uri(figure)
