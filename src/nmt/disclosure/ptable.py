"""Perturbation tables (ptables) for the cell key method on frequency tables.

A ptable gives, for every original count ``i``, the probabilities ``p_i(j)`` of publishing ``j``
instead. The cell key of a cell (uniform on ``0 .. key_range - 1``, see :mod:`.recordkeys`) picks
one target from that distribution, so the same cell always gets the same answer.

Construction (maximum entropy, Giessing 2016): for each original count ``i`` the targets are
``j = max(0, i - D) .. i + D`` minus the blocked values ``1 .. js``. Among all distributions on
those targets with

* mean deviation 0 (the noise is unbiased),
* variance at most ``V`` (the noise is no larger than stated),

the one with the largest entropy is chosen. Because the mean is 0 the variance ``Σ p(v)·v²`` is
linear in ``p``, so this is a convex problem. By Lagrange duality its solution has the form
``p(v) ∝ exp(a·v + b·v²)`` for the deviation ``v = j - i`` (a discretised, possibly skewed normal;
``b = 0`` when the variance bound is slack), so only the multipliers ``a, b`` are solved for, by
Newton's method on the dual. As in the ``ptable`` R package's default, the variance is an
inequality: it equals ``V`` for every count from ``D + js + 1`` on (where the uniform distribution
on ``-D .. D`` would exceed it), and may be smaller for counts just above the blocked range, where
the targets are truncated.

Rows that cannot carry both constraints are treated as follows, and reported by
:meth:`PTable.check`:

* ``i = 0`` is never perturbed: an empty cell has no persons and thus no cell key.
* ``i`` in ``1 .. js`` (blocked: never published as is): only unbiasedness is imposed; their
  variance is whatever the maximum-entropy unbiased distribution on the allowed targets gives.
* from ``i = D + js + 1`` on, every row is the same distribution shifted, so the table stores rows
  ``0 .. D + js + 1`` and uses the last one for all larger counts.

References
----------
Giessing, S. (2016). Computational issues in the design of transition probabilities and disclosure
risk estimation for additive noise. In Privacy in Statistical Databases, LNCS 9867, 237-251.
Fraser, B. and Wooton, J. (2005). A proposed method for confidentialising tabular output to protect
against differencing. UNECE/Eurostat Work Session on Statistical Data Confidentiality.
Hundepool, A. et al. (2012). Statistical Disclosure Control, Wiley, chapter 5 (frequency tables,
post-tabular perturbation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from nmt.errors import BadInputError

# Probabilities this small are treated as zero, as they would never be hit by a 32-bit cell key.
_NEGLIGIBLE = 1e-12


@dataclass(frozen=True)
class PTableParameters:
    """Parameters of a maximum-entropy count ptable.

    Parameters
    ----------
    max_deviation : int
        ``D``: no published value differs from the true count by more than ``D``.
    variance : float
        ``V``: variance of the perturbation: exactly ``V`` for counts from ``D + js + 1`` on, at
        most ``V`` for the counts ``js + 1 .. D + js`` whose targets are truncated.
    blocked_up_to : int
        ``js``: the counts ``1 .. js`` are never published; they become 0 or at least ``js + 1``.
        Must be below ``D`` so that every row can stay unbiased.
    """

    max_deviation: int = 3
    variance: float = 2.0
    blocked_up_to: int = 2

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.max_deviation, int) or self.max_deviation < 1:
            problems.append("ptable max_deviation (D) must be an integer of at least 1")
        if not isinstance(self.blocked_up_to, int) or self.blocked_up_to < 0:
            problems.append("ptable blocked_up_to (js) must be a non-negative integer")
        if not problems and self.blocked_up_to >= self.max_deviation:
            # Row i = js + 1 needs a target below it (0) within reach, and row 1 needs a target
            # above js within reach; both hold exactly when js < D.
            problems.append(
                "ptable blocked_up_to (js) must be smaller than max_deviation (D), "
                "otherwise small counts cannot be perturbed without bias"
            )
        if not np.isfinite(self.variance) or self.variance <= 0:
            problems.append("ptable variance (V) must be a positive number")
        elif not problems and self.variance >= self.max_deviation * (self.max_deviation + 1) / 3:
            # D(D+1)/3 is the variance of the uniform distribution on -D..D, the entropy maximum;
            # a larger V would make the variance bound slack and V a false statement.
            problems.append(
                "ptable variance (V) must be smaller than D(D+1)/3, the variance of the uniform "
                "distribution on -D..D"
            )
        if problems:
            raise BadInputError(problems)

    @property
    def symmetric_from(self) -> int:
        """The smallest count from which every row is the same, shifted distribution."""
        return self.max_deviation + self.blocked_up_to + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "max_deviation": self.max_deviation,
            "variance": self.variance,
            "blocked_up_to": self.blocked_up_to,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PTableParameters:
        unknown = set(data) - {"max_deviation", "variance", "blocked_up_to"}
        if unknown:
            raise BadInputError(f"unknown ptable parameters: {', '.join(sorted(unknown))}")
        return cls(**data)


@dataclass(frozen=True)
class PTableRow:
    """The perturbation distribution for one original count."""

    original: int
    deviations: tuple[int, ...]
    probabilities: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.dot(self.deviations, self.probabilities))

    @property
    def variance(self) -> float:
        v = np.asarray(self.deviations, dtype=float)
        p = np.asarray(self.probabilities)
        return float(np.dot(p, (v - self.mean) ** 2))

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "deviations": list(self.deviations),
            "probabilities": list(self.probabilities),
        }


@dataclass(frozen=True)
class PTableRowCheck:
    """The properties of one row, as verified."""

    original: int
    probability_sum: float
    mean: float
    variance: float
    max_abs_deviation: int
    min_target: int
    variance_imposed: bool

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PTableCheck:
    """Validation of a ptable against its parameters; ``ok`` is the conjunction of all checks."""

    rows: tuple[PTableRowCheck, ...]
    sums_to_one: bool
    unbiased: bool
    variance_as_stated: bool
    within_max_deviation: bool
    no_negative_targets: bool
    no_blocked_targets: bool

    @property
    def ok(self) -> bool:
        return (
            self.sums_to_one
            and self.unbiased
            and self.variance_as_stated
            and self.within_max_deviation
            and self.no_negative_targets
            and self.no_blocked_targets
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "sums_to_one": self.sums_to_one,
            "unbiased": self.unbiased,
            "variance_as_stated": self.variance_as_stated,
            "within_max_deviation": self.within_max_deviation,
            "no_negative_targets": self.no_negative_targets,
            "no_blocked_targets": self.no_blocked_targets,
            "rows": [r.to_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class PTable:
    """A count ptable: rows for counts ``0 .. parameters.symmetric_from``.

    Use :func:`build_ptable` (or :func:`default_ptable`) to make one.
    """

    parameters: PTableParameters
    rows: tuple[PTableRow, ...]
    _cumulative: tuple[np.ndarray, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Upper ends of each deviation's interval of the unit interval, for the inverse-CDF lookup.
        cumulative = tuple(np.cumsum(r.probabilities)[:-1] for r in self.rows)
        object.__setattr__(self, "_cumulative", cumulative)

    def row(self, count: int) -> PTableRow:
        """The distribution used for a cell with true ``count``."""
        if count < 0:
            raise BadInputError(f"counts cannot be negative (got {count})")
        return self.rows[min(count, len(self.rows) - 1)]

    def perturbation(
        self, counts: np.ndarray | int, cell_keys: np.ndarray | int, key_range: int
    ) -> np.ndarray:
        """Look up the perturbation for each (count, cell key) pair.

        The cell key, a uniform integer in ``0 .. key_range - 1``, is read as the fraction
        ``u = key / key_range`` and the deviation whose cumulative-probability interval contains
        ``u`` is returned (inverse-CDF lookup). Deviations are ordered from most negative to most
        positive, so neighbouring keys give neighbouring deviations.
        """
        counts = np.atleast_1d(np.asarray(counts, dtype=np.int64))
        keys = np.atleast_1d(np.asarray(cell_keys, dtype=np.uint64))
        if counts.shape != keys.shape:
            raise BadInputError("counts and cell keys must have the same length")
        if (counts < 0).any():
            raise BadInputError("counts cannot be negative")
        if (keys >= np.uint64(key_range)).any():
            raise BadInputError(f"cell keys must be below the key range {key_range}")
        u = keys.astype(np.float64) / float(key_range)
        out = np.zeros(counts.shape, dtype=np.int64)
        row_index = np.minimum(counts, len(self.rows) - 1)
        for r, row in enumerate(self.rows):
            mask = row_index == r
            if not mask.any():
                continue
            cumulative = self._cumulative[r]
            position = np.searchsorted(cumulative, u[mask], side="right")
            position = np.minimum(position, len(row.deviations) - 1)
            out[mask] = np.asarray(row.deviations, dtype=np.int64)[position]
        return out

    def check(self, tolerance: float = 1e-9) -> PTableCheck:
        """Verify the stated properties of every row.

        Checks that each row's probabilities sum to 1, that its mean deviation is 0, that rows
        above the blocked range have variance at most ``V`` and the symmetric rows exactly ``V``,
        that no deviation exceeds ``D``, that no target is negative and that no target falls in the
        blocked range ``1 .. js``.
        """
        params = self.parameters
        checks = []
        for row in self.rows:
            targets = [
                row.original + d
                for d, p in zip(row.deviations, row.probabilities, strict=True)
                if p > 0
            ]
            imposed = row.original > params.blocked_up_to
            checks.append(
                PTableRowCheck(
                    original=row.original,
                    probability_sum=float(sum(row.probabilities)),
                    mean=row.mean,
                    variance=row.variance,
                    max_abs_deviation=max(abs(d) for d in row.deviations),
                    min_target=min(targets),
                    variance_imposed=imposed,
                )
            )
        blocked = set(range(1, params.blocked_up_to + 1))
        return PTableCheck(
            rows=tuple(checks),
            sums_to_one=all(abs(c.probability_sum - 1) <= tolerance for c in checks),
            unbiased=all(abs(c.mean) <= tolerance for c in checks),
            variance_as_stated=all(
                c.variance <= params.variance + 1e3 * tolerance
                and (
                    c.original < params.symmetric_from
                    or abs(c.variance - params.variance) <= 1e3 * tolerance
                )
                for c in checks
                if c.variance_imposed
            ),
            within_max_deviation=all(c.max_abs_deviation <= params.max_deviation for c in checks),
            no_negative_targets=all(c.min_target >= 0 for c in checks),
            no_blocked_targets=all(
                row.original + d not in blocked
                for row in self.rows
                for d, p in zip(row.deviations, row.probabilities, strict=True)
                if p > 0
            ),
        )

    def to_frame(self) -> pd.DataFrame:
        """The ptable as a wide frame: one row per original count, one column per target count.

        The last row stands for its count *and all larger counts* (shifted).
        """
        records = []
        for row in self.rows:
            record: dict[str, Any] = {"original": row.original}
            for d, p in zip(row.deviations, row.probabilities, strict=True):
                record[d] = p
            records.append(record)
        frame = pd.DataFrame.from_records(records).set_index("original").fillna(0.0)
        deviation_columns = sorted(c for c in frame.columns)
        return frame[deviation_columns]

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "maximum entropy (Giessing 2016)",
            "parameters": self.parameters.to_dict(),
            "symmetric_from": self.parameters.symmetric_from,
            "rows": [r.to_dict() for r in self.rows],
        }


def _maxent(deviations: np.ndarray, variance: float | None) -> np.ndarray:
    """Maximum-entropy distribution on ``deviations`` with mean 0 (and variance, if given).

    Solves the convex dual ``min_λ log Σ exp(λ·(f(v) - t))`` by damped Newton steps, where ``f`` are
    the constraint functions (``v`` and optionally ``v²``) and ``t`` their targets (0 and V).
    """
    v = deviations.astype(float)
    features = np.vstack([v, v**2 - variance]) if variance is not None else v[np.newaxis, :]
    lam = np.zeros(features.shape[0])

    def dual(lam: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
        z = lam @ features
        shift = z.max()
        w = np.exp(z - shift)
        p = w / w.sum()
        value = shift + np.log(w.sum())
        grad = features @ p
        centred = features - grad[:, np.newaxis]
        hess = (centred * p) @ centred.T
        return value, grad, hess, p

    scale = 1.0 + np.abs(features).max()
    value, grad, hess, p = dual(lam)
    for _ in range(200):
        if np.max(np.abs(grad)) < 1e-14 * scale:
            break
        step = np.linalg.solve(hess + 1e-14 * np.eye(len(lam)), grad)
        t = 1.0
        # Backtracking keeps the (convex) dual from increasing beyond rounding, so Newton's method
        # converges globally and quadratically near the optimum.
        while True:
            new = dual(lam - t * step)
            if new[0] <= value + 1e-13 * (1.0 + abs(value)) or t < 1e-10:
                break
            t /= 2
        lam = lam - t * step
        value, grad, hess, p = new
    if np.max(np.abs(grad)) > 1e-10 * scale:
        raise BadInputError(
            "could not construct a ptable row with the requested variance; "
            "choose a smaller variance or a larger maximum deviation"
        )
    return p


def _row(original: int, params: PTableParameters) -> PTableRow:
    if original == 0:
        return PTableRow(original=0, deviations=(0,), probabilities=(1.0,))
    d = params.max_deviation
    targets = [
        j
        for j in range(max(0, original - d), original + d + 1)
        if not 1 <= j <= params.blocked_up_to
    ]
    deviations = np.asarray(targets) - original
    p = _maxent(deviations, None)
    blocked = original <= params.blocked_up_to
    if not blocked and float(p @ deviations**2) > params.variance:
        # The bound binds: the solution lies on Σ p·v² = V. It exists because 0 < V and every
        # non-blocked row contains the deviation 0, so V lies strictly inside the attainable range.
        p = _maxent(deviations, params.variance)
    # Re-normalise after dropping negligible mass so that rows sum to exactly 1 in floating point.
    keep = p > _NEGLIGIBLE
    p = p[keep] / p[keep].sum()
    return PTableRow(
        original=original,
        deviations=tuple(int(x) for x in deviations[keep]),
        probabilities=tuple(float(x) for x in p),
    )


def build_ptable(parameters: PTableParameters | None = None) -> PTable:
    """Construct the maximum-entropy ptable for the given parameters.

    Parameters
    ----------
    parameters : PTableParameters, optional
        ``D``, ``V`` and ``js``; the defaults (D=3, V=2, js=2) are NMT's default ptable.

    Returns
    -------
    PTable
        Rows for counts ``0 .. D + js + 1``; the last row applies to all larger counts.

    Raises
    ------
    BadInputError
        If ``V`` cannot be attained for some count with the given ``D`` and ``js``.
    """
    params = parameters or PTableParameters()
    rows = tuple(_row(i, params) for i in range(params.symmetric_from + 1))
    table = PTable(parameters=params, rows=rows)
    check = table.check(tolerance=1e-8)
    if not check.ok:
        raise BadInputError(f"the constructed ptable fails its own checks: {check.to_dict()}")
    return table


_DEFAULT: list[PTable] = []


def default_ptable() -> PTable:
    """NMT's default ptable: D = 3, V = 2, js = 2 (counts 1 and 2 are never published)."""
    if not _DEFAULT:
        _DEFAULT.append(build_ptable(PTableParameters()))
    return _DEFAULT[0]
