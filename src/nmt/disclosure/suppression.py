"""Threshold suppression with secondary suppression across linked tables and their margins.

**Primary suppression.** A cell counting ``1 .. threshold - 1`` persons (and, with
``suppress_zeros``, an empty cell) is withheld. Dominance rules ((n, k), p%) are for magnitude
tables, where one contributor can dominate a sum; in a count of persons every contributor adds 1,
so the threshold rule is the relevant one.

**The attacker.** Whoever reads the publication knows every published figure of all linked tables,
how cells add up to their margins (for a multi-valued variable: each part is at most its total, and
the total at most the sum of the parts), and that counts are whole numbers, at least 1 for a
withheld cell when empty cells are always published (else at least 0). For each primary cell
``a`` the attacker's best bounds are the minimum and maximum of that cell over all integer tables
consistent with this knowledge (an integer programme; its linear relaxation gives wider bounds, so
protection against it implies protection against the LP attacker).

**The requirement.** With protection level ``p``, the attacker's interval must contain
``[max(a - p, f), a + p]``: the cell cannot be narrowed to better than ``±p``. The floor ``f``
is what the attacker would know even if every non-empty cell were withheld (at least ``lb``; a
margin of three withheld cells is at least ``3·lb``); no suppression pattern can hide more, so
lower protection stops there. This is the upper/lower protection-level formulation of Fischetti
and Salazar-González (1999, 2001).

**Secondary suppression.** The requirement "some consistent table has cell ``p`` at ``a + p``" holds
exactly when there is an integer adjustment ``y`` of the table with ``y_p = +p`` that satisfies all
relations, leaves published cells unchanged and keeps withheld cells at or above ``lb``. With a 0/1
variable ``x_i`` for "cell ``i`` withheld" this gives the mixed-integer programme

    minimise  Σ w_i x_i
    such that for every requirement r:  A y^r = 0,  B y^r ≤ -B a,
              -min(a_i - lb, M_r) x_i ≤ y^r_i ≤ M_r x_i,  y^r_p = ±level_r,  y^r integer,

whose optimum is a suppression pattern of least information loss (``w``: persons, cells, or
``1 + log`` of the count). ``M_r = 2·level_r`` caps each adjustment to keep the programme tight;
a cap only ever asks for more suppression, never gives less protection, and is lifted if it makes a
requirement infeasible. Two algorithms solve it (HiGHS via :func:`scipy.optimize.milp`):

``optimal``
    All requirements jointly, as above (Fischetti and Salazar-González 2001, in its compact form
    without Benders decomposition, feasible for the small tables of a national report).
``sequential``
    One requirement at a time, each optimally given the cells already withheld (which then cost
    nothing), followed by a pass that publishes again every secondary cell not needed, costliest
    first (a sequential heuristic in the spirit of those described by Hundepool et al. 2012,
    chapter 4; each requirement keeps a sparse "witness" adjustment so that the pass only re-checks
    requirements that relied on the cell).
``auto``
    ``optimal`` when the joint programme is small, else ``sequential``; ``optimal`` also falls back
    to ``sequential`` if HiGHS finds no solution in the time limit.

Whatever the algorithm, the final pattern is audited by attacking it (:func:`feasible_intervals`),
and an unprotected result is never returned.

References
----------
Fischetti, M. and Salazar-González, J.J. (1999). Models and algorithms for the 2-dimensional cell
suppression problem in statistical disclosure control. Mathematical Programming 84, 283-312.
Fischetti, M. and Salazar-González, J.J. (2001). Solving the cell suppression problem on tabular
data with linear constraints. Management Science 47(7), 1008-1027.
Hundepool, A. et al. (2012). Statistical Disclosure Control, Wiley, chapters 4 and 5 (secondary
suppression, protection levels, linked tables; frequency tables).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from nmt.errors import BadInputError

from .policy import DisclosurePolicy
from .results import Flag, ProtectedCell, ProtectedTable
from .tables import TOTAL, CellId, TableSpec, Tabulation, _plain, cell_id, prepare_records, tabulate

# The joint programme has (requirements + 1) × cells variables; beyond this "auto" goes sequential.
_OPTIMAL_SIZE_LIMIT = 15_000
_TOL = 1e-6
_CEILING = 1e9


@dataclass(frozen=True)
class _Structure:
    """Linear relations between the cells of linked tables: ``eq @ x == 0``, ``ub @ x <= 0``."""

    cell_ids: tuple[CellId, ...]
    index: Mapping[CellId, int]
    eq: sparse.csr_array
    ub: sparse.csr_array


def _structure(
    tables: Sequence[tuple[TableSpec, tuple[tuple[str, tuple[Any, ...]], ...]]],
) -> _Structure:
    index: dict[CellId, int] = {}
    eq_rows: set[tuple[tuple[int, int], ...]] = set()
    ub_rows: set[tuple[tuple[int, int], ...]] = set()

    def idx(coords: Sequence[tuple[str, Any]]) -> int:
        return index.setdefault(cell_id(coords), len(index))

    for spec, categories in tables:
        cats = dict(categories)
        variables = spec.variables
        for coords in product(*[(*cats[v], TOTAL) for v in variables]):
            named = list(zip(variables, coords, strict=True))
            total = idx(named)
            for position, v in enumerate(variables):
                if coords[position] != TOTAL:
                    continue
                parts = [idx([*named[:position], (v, c), *named[position + 1 :]]) for c in cats[v]]
                if v in spec.multi_valued:
                    for part in parts:
                        ub_rows.add(tuple(sorted({part: 1, total: -1}.items())))
                    row: dict[int, int] = {total: 1}
                    for part in parts:
                        row[part] = row.get(part, 0) - 1
                    ub_rows.add(tuple(sorted(row.items())))
                else:
                    row = {total: 1}
                    for part in parts:
                        row[part] = row.get(part, 0) - 1
                    eq_rows.add(tuple(sorted(row.items())))

    def matrix(rows: set[tuple[tuple[int, int], ...]]) -> sparse.csr_array:
        ordered = sorted(rows)
        r = [i for i, row in enumerate(ordered) for _ in row]
        c = [j for row in ordered for j, _ in row]
        v = [coef for row in ordered for _, coef in row]
        return sparse.csr_array((v, (r, c)), shape=(len(ordered), len(index)), dtype=float)

    return _Structure(
        cell_ids=tuple(index),
        index=index,
        eq=matrix(eq_rows),
        ub=matrix(ub_rows),
    )


@dataclass(frozen=True)
class CellInterval:
    """What an attacker can work out about one withheld cell from the published tables."""

    tables: tuple[str, ...]
    coordinates: tuple[tuple[str, Any], ...]
    lower: float
    upper: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "tables": list(self.tables),
            "coordinates": {v: _plain(c) for v, c in self.coordinates},
            "lower": self.lower,
            "upper": None if math.isinf(self.upper) else self.upper,
        }


def _bounds_for(
    structure: _Structure,
    known: np.ndarray,
    published: np.ndarray,
    lower_bound: int,
    targets: Sequence[int],
    integer: bool,
    upper: bool = True,
) -> list[tuple[float, float]]:
    """Min and max of each target cell over all tables consistent with the published cells.

    With ``upper=False`` only the minimum is computed (the maximum is reported as infinite).
    """
    hidden = np.flatnonzero(~published)
    position = {cell: k for k, cell in enumerate(hidden)}
    eq_h = structure.eq[:, hidden]
    ub_h = structure.ub[:, hidden]
    known_values = np.where(published, known, 0.0)
    eq_rhs = -(structure.eq @ known_values)
    ub_rhs = -(structure.ub @ known_values)
    constraints = []
    if eq_h.shape[0]:
        constraints.append(LinearConstraint(eq_h, eq_rhs, eq_rhs))
    if ub_h.shape[0]:
        constraints.append(LinearConstraint(ub_h, -np.inf, ub_rhs))
    # A finite ceiling keeps HiGHS away from unbounded integer programmes; reaching it means
    # "no upper bound" for the attacker.
    bounds = Bounds(np.full(len(hidden), float(lower_bound)), np.full(len(hidden), _CEILING))
    results = []
    for target in targets:
        k = position[target]
        interval = []
        for sign in (1.0, -1.0) if upper else (1.0,):
            c = np.zeros(len(hidden))
            c[k] = sign
            res = linprog(
                c,
                A_ub=ub_h if ub_h.shape[0] else None,
                b_ub=ub_rhs if ub_h.shape[0] else None,
                A_eq=eq_h if eq_h.shape[0] else None,
                b_eq=eq_rhs if eq_h.shape[0] else None,
                bounds=(lower_bound, _CEILING),
                method="highs-ds",
            )
            # An integral optimal vertex of the relaxation is also optimal for the integer attacker.
            if integer and (res.x is None or np.abs(res.x - np.round(res.x)).max() > _TOL):
                res = milp(
                    c,
                    constraints=constraints,
                    bounds=bounds,
                    integrality=np.ones(len(hidden)),
                )
            if res.x is None:
                raise BadInputError(
                    "the published tables are inconsistent: no table fits them "
                    f"(solver said: {res.message})"
                )
            value = sign * float(res.fun)
            interval.append(math.inf if value >= _CEILING - 0.5 else value)
        if not upper:
            interval.append(math.inf)
        results.append((interval[0], interval[1] if upper else math.inf))
    return results


def feasible_intervals(
    tables: Sequence[ProtectedTable], *, integer: bool = True, lower_bound: int | None = None
) -> tuple[CellInterval, ...]:
    """Attack published tables: the tightest bounds on every withheld cell.

    Uses only what is published: the values, which cells are withheld, and how the tables' cells
    add up (including shared margins between linked tables).

    Parameters
    ----------
    tables : sequence of ProtectedTable
        Tables published from the same persons (the linked set).
    integer : bool
        Use integer programming (the strongest attacker); ``False`` gives the LP relaxation.
    lower_bound : int, optional
        What the attacker knows a withheld cell is at least: by default 1 if the policies never
        withhold empty cells, else 0.

    Returns
    -------
    tuple of CellInterval
        One per distinct withheld cell (a cell shared by tables is listed once).
    """
    if lower_bound is None:
        lower_bound = 0 if any(t.policy.suppress_zeros for t in tables) else 1
    structure = _structure([(t.spec, t.categories) for t in tables])
    n = len(structure.cell_ids)
    known = np.zeros(n)
    published = np.zeros(n, dtype=bool)
    names: dict[int, list[str]] = {}
    coords: dict[int, tuple[tuple[str, Any], ...]] = {}
    seen = np.zeros(n, dtype=bool)
    for table in tables:
        for cell in table.cells:
            i = structure.index[cell_id(cell.coordinates)]
            if cell.value is not None:
                if seen[i] and not published[i]:
                    raise BadInputError(f"cell {dict(cell.coordinates)} is both shown and withheld")
                published[i] = True
                known[i] = cell.value
            else:
                if published[i]:
                    raise BadInputError(f"cell {dict(cell.coordinates)} is both shown and withheld")
                names.setdefault(i, []).append(table.name)
                coords.setdefault(i, cell.coordinates)
            seen[i] = True
    targets = sorted(names)
    if not targets:
        return ()
    bounds = _bounds_for(structure, known, published, lower_bound, targets, integer)
    return tuple(
        CellInterval(
            tables=tuple(dict.fromkeys(names[i])),
            coordinates=coords[i],
            lower=lo,
            upper=hi,
        )
        for i, (lo, hi) in zip(targets, bounds, strict=True)
    )


@dataclass(frozen=True)
class AuditEntry:
    """Confidential: one primary cell, the attacker's interval and the required one."""

    tables: tuple[str, ...]
    coordinates: tuple[tuple[str, Any], ...]
    original: int
    lower: float
    upper: float
    required_lower: int
    required_upper: int

    @property
    def protected(self) -> bool:
        return self.lower <= self.required_lower + _TOL and self.upper >= self.required_upper - _TOL

    def to_dict(self) -> dict[str, Any]:
        return {
            "tables": list(self.tables),
            "coordinates": {v: _plain(c) for v, c in self.coordinates},
            "original": self.original,
            "lower": self.lower,
            "upper": None if math.isinf(self.upper) else self.upper,
            "required_lower": self.required_lower,
            "required_upper": self.required_upper,
            "protected": self.protected,
        }


@dataclass(frozen=True)
class SuppressionAudit:
    """Confidential: the result of attacking the final pattern with integer programming."""

    entries: tuple[AuditEntry, ...]

    @property
    def protected(self) -> bool:
        return all(e.protected for e in self.entries)

    def to_dict(self) -> dict[str, Any]:
        return {"protected": self.protected, "entries": [e.to_dict() for e in self.entries]}


@dataclass(frozen=True)
class SuppressionResult:
    """The protected tables of one linked set, with the audit and the information lost.

    ``algorithm`` is ``"optimal"`` (proven least loss), ``"optimal (time limit)"`` (best found),
    ``"sequential"``, or ``"none needed"``.
    """

    tables: Mapping[str, ProtectedTable]
    audit: SuppressionAudit
    algorithm: str
    primary_cells: int
    secondary_cells: int
    suppressed_persons: int

    def to_dict(self, *, confidential: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tables": {
                name: t.to_dict(confidential=confidential) for name, t in self.tables.items()
            },
            "algorithm": self.algorithm,
            "suppressed_cells": self.primary_cells + self.secondary_cells,
        }
        if confidential:
            out["primary_cells"] = self.primary_cells
            out["secondary_cells"] = self.secondary_cells
            out["suppressed_persons"] = self.suppressed_persons
            out["audit"] = self.audit.to_dict()
        return out


@dataclass(frozen=True)
class _Requirement:
    cell: int
    direction: int  # +1 upper protection, -1 lower protection
    level: int


class _Problem:
    """The secondary-suppression problem of one linked set of tables."""

    def __init__(
        self,
        structure: _Structure,
        values: np.ndarray,
        primary: np.ndarray,
        protection: np.ndarray,
        lower_bound: int,
        cost: str,
    ) -> None:
        self.structure = structure
        self.values = values
        self.lower_bound = lower_bound
        n = len(values)
        # Cells that may be withheld: any cell an attacker could believe is >= lower_bound.
        self.candidate = values >= lower_bound
        self.slack = -(structure.ub @ values)  # B a <= 0, so slack >= 0
        if cost == "value":
            self.weights = np.maximum(values, 1).astype(float)
        elif cost == "cells":
            self.weights = np.ones(n)
        else:
            self.weights = 1.0 + np.log(np.maximum(values, 1))
        self.requirements: list[_Requirement] = []
        primaries = [int(i) for i in np.flatnonzero(primary)]
        # The attacker's lower bound if every non-empty cell were withheld: knowing that withheld
        # cells are >= lower_bound can pin a margin down (three withheld 1s add up to at least 3)
        # whatever is suppressed, so lower protection is capped there.
        lows = _bounds_for(
            structure,
            values.astype(float),
            ~self.candidate,
            lower_bound,
            primaries,
            integer=True,
            upper=False,
        )
        floor = {i: low for i, (low, _) in zip(primaries, lows, strict=True)}
        for i in primaries:
            level = int(protection[i])
            self.requirements.append(_Requirement(i, +1, level))
            down = min(level, int(values[i]) - math.ceil(floor[i] - _TOL))
            if down > 0:
                self.requirements.append(_Requirement(i, -1, down))

    def _y_bounds(
        self, r: _Requirement, allowed: np.ndarray, capped: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        cap = 2 * r.level if capped else int(self.values.max()) + r.level
        lo = -np.minimum(self.values - self.lower_bound, cap).astype(float)
        hi = np.full(len(self.values), float(cap))
        lo[~allowed] = 0.0
        hi[~allowed] = 0.0
        lo[r.cell] = hi[r.cell] = float(r.direction * r.level)
        return lo, hi

    def _constraints(self) -> list[tuple[sparse.csr_array, np.ndarray, np.ndarray]]:
        """The relations an adjustment ``y`` must keep: ``A y = 0`` and ``B y <= -B a``."""
        s = self.structure
        out = []
        if s.eq.shape[0]:
            out.append((s.eq, np.zeros(s.eq.shape[0]), np.zeros(s.eq.shape[0])))
        if s.ub.shape[0]:
            out.append((s.ub, np.full(s.ub.shape[0], -np.inf), self.slack.astype(float)))
        return out

    def witness(
        self, r: _Requirement, suppressed: np.ndarray, avoid: np.ndarray | None = None
    ) -> np.ndarray | None:
        """An integer adjustment proving that ``r`` holds under ``suppressed``, or None.

        The adjustment moves as few persons as possible, and as few as possible in the cells
        ``avoid`` (secondary cells that pruning may publish again), so that later pruning has to
        re-check few requirements.
        """
        lo, hi = self._y_bounds(r, suppressed)
        n = len(lo)
        s = self.structure
        # y = up - down with up, down >= 0; minimising their sum gives a sparse adjustment.
        cost = np.ones(n) + (self.weights * avoid if avoid is not None else 0.0)
        both = np.concatenate([cost, cost])
        bounds = np.column_stack(
            [
                np.concatenate([np.maximum(lo, 0), np.maximum(-hi, 0)]),
                np.concatenate([np.maximum(hi, 0), np.maximum(-lo, 0)]),
            ]
        )
        # The dual simplex ends on a vertex, which is integral whenever the relations are totally
        # unimodular (two-way tables and most hierarchies); only otherwise is an IP solved.
        relaxed = linprog(
            both,
            A_eq=sparse.hstack([s.eq, -s.eq]) if s.eq.shape[0] else None,
            b_eq=np.zeros(s.eq.shape[0]) if s.eq.shape[0] else None,
            A_ub=sparse.hstack([s.ub, -s.ub]) if s.ub.shape[0] else None,
            b_ub=self.slack if s.ub.shape[0] else None,
            bounds=bounds,
            method="highs-ds",
        )
        if relaxed.x is None:
            return None
        y = relaxed.x[:n] - relaxed.x[n:]
        if np.abs(y - np.round(y)).max() < _TOL:
            return np.round(y)
        res = milp(
            np.zeros(n),
            constraints=[LinearConstraint(m, a, b) for m, a, b in self._constraints()],
            bounds=Bounds(lo, hi),
            integrality=np.ones(n),
        )
        return None if res.x is None else np.round(res.x)

    def solve(
        self,
        requirements: Sequence[_Requirement],
        suppressed: np.ndarray,
        time_limit: float,
        capped: bool = True,
    ) -> tuple[np.ndarray, bool] | None:
        """Least-cost cells to add to ``suppressed`` so that all ``requirements`` hold.

        Returns the new pattern and whether it is proven optimal; None if HiGHS found no
        solution within the time limit.
        """
        n = len(self.values)
        k = len(requirements)
        free = self.candidate & ~suppressed
        free_idx = np.flatnonzero(free)
        m_free = len(free_idx)
        select = sparse.csr_array(
            (np.ones(m_free), (np.arange(m_free), free_idx)), shape=(m_free, n)
        )
        relations = self._constraints()
        block_rows: list[list[sparse.csr_array | None]] = []
        row_lo, row_hi, y_lo, y_hi = [], [], [], []
        for j, r in enumerate(requirements):
            lo, hi = self._y_bounds(r, suppressed | free, capped)
            y_lo.append(lo)
            y_hi.append(hi)
            pieces: list[tuple[sparse.csr_array | None, sparse.csr_array]] = [
                (None, m) for m, _, _ in relations
            ]
            # Linking: a cell still published cannot move: y_i <= hi_i x_i and y_i >= lo_i x_i.
            pieces.append((sparse.diags_array(-hi[free_idx]) @ select, select))
            pieces.append((sparse.diags_array(lo[free_idx]) @ select, -select))
            for _, a, b in relations:
                row_lo.append(a)
                row_hi.append(b)
            row_lo += [np.full(m_free, -np.inf)] * 2
            row_hi += [np.zeros(m_free)] * 2
            for x_part, y_part in pieces:
                row: list[sparse.csr_array | None] = [None] * (k + 1)
                row[0] = x_part if x_part is not None else sparse.csr_array((y_part.shape[0], n))
                row[j + 1] = y_part
                block_rows.append(row)
        matrix = sparse.block_array(block_rows, format="csr")
        lower = np.concatenate([np.where(suppressed, 1.0, 0.0), *y_lo])
        upper = np.concatenate([np.where(suppressed | free, 1.0, 0.0), *y_hi])
        cost = np.concatenate([np.where(free, self.weights, 0.0), np.zeros(k * n)])
        res = milp(
            cost,
            constraints=[LinearConstraint(matrix, np.concatenate(row_lo), np.concatenate(row_hi))],
            bounds=Bounds(lower, upper),
            integrality=np.ones(len(cost)),
            options={"time_limit": time_limit, "mip_rel_gap": 1e-6},
        )
        if res.x is None:
            return None
        pattern = suppressed | (res.x[:n] > 0.5)
        return pattern, res.status == 0

    def sequential(self, suppressed: np.ndarray, time_limit: float) -> np.ndarray:
        """One requirement at a time, each optimally, then prune unneeded secondary cells."""
        pattern = suppressed.copy()
        # Large cells first: their protection usually needs margins, which then help the small.
        order = sorted(self.requirements, key=lambda r: (-self.values[r.cell], r.direction))
        for r in order:
            # Withholding more only helps, so a requirement met now stays met.
            if self.witness(r, pattern) is not None:
                continue
            found = self.solve([r], pattern, time_limit) or self.solve(
                [r], pattern, time_limit, capped=False
            )
            # Withholding every non-empty cell always meets the (capped) requirements.
            pattern = pattern | self.candidate if found is None else found[0]
        return self.prune(pattern, suppressed)

    def prune(self, pattern: np.ndarray, fixed: np.ndarray) -> np.ndarray:
        """Publish again every secondary cell not needed, costliest first.

        Each requirement keeps a witness; only those whose witness moves a cell need a new one
        when the cell is published again, the others still hold.
        """
        witnesses = {}
        for r in self.requirements:
            y = self.witness(r, pattern, avoid=pattern & ~fixed)
            if y is not None:
                witnesses[r] = y
        for i in sorted(np.flatnonzero(pattern & ~fixed), key=lambda i: -self.weights[i]):
            trial = pattern.copy()
            trial[i] = False
            replaced = {}
            for r in self.requirements:
                if r in witnesses and witnesses[r][i] == 0:
                    continue
                y = self.witness(r, trial, avoid=trial & ~fixed)
                if y is None:
                    break
                replaced[r] = y
            else:
                pattern = trial
                witnesses.update(replaced)
        return pattern


def _policies_for(
    specs: Sequence[TableSpec], policies: DisclosurePolicy | Mapping[str, DisclosurePolicy] | None
) -> dict[str, DisclosurePolicy]:
    if policies is None:
        policies = DisclosurePolicy(method="suppression")
    if isinstance(policies, DisclosurePolicy):
        chosen = {s.name: policies for s in specs}
    else:
        missing = [s.name for s in specs if s.name not in policies]
        if missing:
            raise BadInputError(f"no disclosure policy for table(s): {', '.join(missing)}")
        chosen = {s.name: policies[s.name] for s in specs}
    wrong = [name for name, p in chosen.items() if p.method != "suppression"]
    if wrong:
        raise BadInputError(f"not a suppression policy for table(s): {', '.join(wrong)}")
    for attribute in ("suppress_zeros", "cost", "secondary"):
        if len({getattr(p, attribute) for p in chosen.values()}) > 1:
            raise BadInputError(
                f"linked tables must share the policy's {attribute!r} (they are protected together)"
            )
    return chosen


def suppress_tabulations(
    tabulations: Sequence[Tabulation],
    *,
    policies: DisclosurePolicy | Mapping[str, DisclosurePolicy] | None = None,
    time_limit: float = 10.0,
) -> SuppressionResult:
    """Primary and secondary suppression of already tabulated linked tables."""
    specs = [t.spec for t in tabulations]
    chosen = _policies_for(specs, policies)
    any_policy = next(iter(chosen.values()))
    lower_bound = 0 if any_policy.suppress_zeros else 1
    structure = _structure([(t.spec, t.categories) for t in tabulations])
    n = len(structure.cell_ids)
    values = np.full(n, -1, dtype=np.int64)
    primary = np.zeros(n, dtype=bool)
    protection = np.zeros(n, dtype=np.int64)
    for tab in tabulations:
        policy = chosen[tab.spec.name]
        variables = list(tab.spec.variables)
        for coords, count in zip(
            tab.cells[variables].itertuples(index=False, name=None), tab.cells["count"], strict=True
        ):
            i = structure.index[cell_id(list(zip(variables, coords, strict=True)))]
            if values[i] >= 0 and values[i] != count:
                where = dict(zip(variables, coords, strict=True))
                raise BadInputError(f"linked tables disagree on the cell {where}")
            values[i] = count
            sensitive = (0 < count < policy.threshold) or (
                count == 0 and policy.suppress_zeros and policy.threshold > 0
            )
            if sensitive:
                primary[i] = True
                protection[i] = max(protection[i], policy.protection_level)

    problem = _Problem(structure, values, primary, protection, lower_bound, any_policy.cost)
    if not problem.requirements:
        pattern, algorithm = primary.copy(), "none needed"
    else:
        size = (len(problem.requirements) + 1) * n
        mode = any_policy.secondary
        if mode == "auto":
            mode = "optimal" if size <= _OPTIMAL_SIZE_LIMIT else "sequential"
        solved = None
        if mode == "optimal":
            solved = problem.solve(problem.requirements, primary, time_limit)
        if solved is not None:
            pattern, proven = solved
            algorithm = "optimal" if proven else "optimal (time limit)"
            if not proven:
                pattern = problem.prune(pattern, primary)
        else:
            pattern = problem.sequential(primary, time_limit)
            algorithm = "sequential"

    audit = _audit(structure, values, pattern, problem, tabulations)
    if not audit.protected:
        # Cannot happen if the solver is right; refuse rather than publish an unsafe table.
        raise RuntimeError("secondary suppression failed its own audit; nothing is published")

    tables = {}
    for tab in tabulations:
        policy = chosen[tab.spec.name]
        variables = list(tab.spec.variables)
        cells = []
        for coords, count in zip(
            tab.cells[variables].itertuples(index=False, name=None), tab.cells["count"], strict=True
        ):
            named = tuple(zip(variables, coords, strict=True))
            i = structure.index[cell_id(named)]
            withheld = bool(pattern[i])
            cells.append(
                ProtectedCell(
                    coordinates=named,
                    value=None if withheld else int(count),
                    flags=frozenset({Flag.SUPPRESSED}) if withheld else frozenset(),
                    original=int(count),
                    suppression=(("primary" if primary[i] else "secondary") if withheld else None),
                )
            )
        tables[tab.spec.name] = ProtectedTable(
            spec=tab.spec, categories=tab.categories, policy=policy, cells=tuple(cells)
        )
    return SuppressionResult(
        tables=tables,
        audit=audit,
        algorithm=algorithm,
        primary_cells=int(primary.sum()),
        secondary_cells=int((pattern & ~primary).sum()),
        suppressed_persons=int(values[pattern & ~primary].sum()),
    )


def _audit(
    structure: _Structure,
    values: np.ndarray,
    pattern: np.ndarray,
    problem: _Problem,
    tabulations: Sequence[Tabulation],
) -> SuppressionAudit:
    targets = sorted({r.cell for r in problem.requirements})
    if not targets:
        return SuppressionAudit(entries=())
    bounds = _bounds_for(
        structure, values.astype(float), ~pattern, problem.lower_bound, targets, integer=True
    )
    needed: dict[int, list[int]] = {}
    for r in problem.requirements:
        lo_hi = needed.setdefault(r.cell, [int(values[r.cell]), int(values[r.cell])])
        if r.direction > 0:
            lo_hi[1] = int(values[r.cell]) + r.level
        else:
            lo_hi[0] = int(values[r.cell]) - r.level
    names: dict[int, list[str]] = {}
    coords: dict[int, tuple[tuple[str, Any], ...]] = {}
    for tab in tabulations:
        variables = list(tab.spec.variables)
        for row in tab.cells[variables].itertuples(index=False, name=None):
            named = tuple(zip(variables, row, strict=True))
            i = structure.index[cell_id(named)]
            names.setdefault(i, []).append(tab.spec.name)
            coords.setdefault(i, named)
    return SuppressionAudit(
        entries=tuple(
            AuditEntry(
                tables=tuple(dict.fromkeys(names[i])),
                coordinates=coords[i],
                original=int(values[i]),
                lower=lo,
                upper=hi,
                required_lower=needed[i][0],
                required_upper=needed[i][1],
            )
            for i, (lo, hi) in zip(targets, bounds, strict=True)
        )
    )


def suppress_tables(
    records: pd.DataFrame,
    specs: Sequence[TableSpec],
    *,
    policies: DisclosurePolicy | Mapping[str, DisclosurePolicy] | None = None,
    time_limit: float = 10.0,
) -> SuppressionResult:
    """Tabulate linked tables from the same person records and protect them by suppression.

    Parameters
    ----------
    records : pandas.DataFrame
        One row per person with the tables' grouping variables.
    specs : sequence of TableSpec
        The linked tables: cells with the same categories (e.g. the sex margin of ``sex × age`` and
        of ``sex × purpose``) are one cell, protected consistently in all tables.
    policies : DisclosurePolicy or mapping of table name to policy, optional
        ``method="suppression"`` policies; thresholds and protection levels may differ per table
        (a shared cell gets the strictest), the rest must agree. Default: threshold 5, level 3.
    time_limit : float
        Seconds allowed to HiGHS per optimisation before falling back.

    Returns
    -------
    SuppressionResult
        The protected tables and the (confidential) audit, which has been checked to hold.
    """
    if not specs:
        raise BadInputError("no tables to protect")
    prepared = prepare_records(records, specs)
    tabulations = [tabulate(prepared, spec, prepared=True) for spec in specs]
    return suppress_tabulations(tabulations, policies=policies, time_limit=time_limit)
