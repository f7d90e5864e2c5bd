"""Attacks on published tables, written independently of the library's own audit.

Both use only what a reader of the publication has: published values, which cells are withheld,
and how cells add up to their margins. The true counts are used only to judge the outcome.
"""

from __future__ import annotations

from itertools import product

import numpy as np
from scipy.optimize import linprog

from nmt.disclosure import TOTAL


def key(coordinates):
    return frozenset((v, c) for v, c in coordinates if c != TOTAL)


def relations(tables):
    """(total, parts, additive) for every margin of every table, cells as keys."""
    out = []
    for table in tables:
        cats = dict(table.categories)
        variables = table.spec.variables
        for coords in product(*[(*cats[v], TOTAL) for v in variables]):
            for i, v in enumerate(variables):
                if coords[i] != TOTAL:
                    continue
                parts = [
                    key(zip(variables, (*coords[:i], c, *coords[i + 1 :]), strict=True))
                    for c in cats[v]
                ]
                total = key(zip(variables, coords, strict=True))
                out.append((total, parts, v not in table.spec.multi_valued))
    return out


def published(tables):
    """Known values by cell key (None for withheld), and true counts for judging."""
    values, truth = {}, {}
    for table in tables:
        for cell in table.cells:
            k = key(cell.coordinates)
            values[k] = cell.value
            truth[k] = cell.original
    return values, truth


def subtraction_attack(tables):
    """Repeatedly solve every margin with exactly one withheld cell; return what was recovered."""
    values, _ = published(tables)
    known = dict(values)
    recovered = {}
    changed = True
    while changed:
        changed = False
        for total, parts, additive in relations(tables):
            if not additive:
                continue
            cells = [total, *parts]
            missing = [c for c in cells if known[c] is None]
            if len(missing) != 1:
                continue
            (cell,) = missing
            if cell == total:
                value = sum(known[p] for p in parts)
            else:
                value = known[total] - sum(known[p] for p in parts if p != cell)
            known[cell] = recovered[cell] = value
            changed = True
    return recovered


def lp_intervals(tables, *, lower_bound=1, hide=None, only=None):
    """Min and max of each withheld cell by linear programming (scipy HiGHS).

    ``hide`` replaces the set of withheld cells (to compute what the attacker would know if those
    were withheld), using the true counts for the others; ``only`` limits the cells attacked.
    """
    values, truth = published(tables)
    if hide is not None:
        values = {k: (None if k in hide else truth[k]) for k in truth}
    unknown = sorted((k for k, v in values.items() if v is None), key=sorted)
    index = {k: i for i, k in enumerate(unknown)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []

    def row(coefficients):
        vector = np.zeros(len(unknown))
        constant = 0.0
        for cell, coef in coefficients:
            if values[cell] is None:
                vector[index[cell]] += coef
            else:
                constant += coef * values[cell]
        return vector, -constant

    for total, parts, additive in relations(tables):
        if additive:
            vector, rhs = row([(total, 1), *[(p, -1) for p in parts]])
            a_eq.append(vector)
            b_eq.append(rhs)
        else:
            for p in parts:
                vector, rhs = row([(p, 1), (total, -1)])
                a_ub.append(vector)
                b_ub.append(rhs)
            vector, rhs = row([(total, 1), *[(p, -1) for p in parts]])
            a_ub.append(vector)
            b_ub.append(rhs)
    out = {}
    for cell, i in index.items():
        if only is not None and cell not in only:
            continue
        bounds = []
        for sign in (1, -1):
            c = np.zeros(len(unknown))
            c[i] = sign
            res = linprog(
                c,
                A_eq=np.array(a_eq) if a_eq else None,
                b_eq=np.array(b_eq) if b_eq else None,
                A_ub=np.array(a_ub) if a_ub else None,
                b_ub=np.array(b_ub) if b_ub else None,
                bounds=(lower_bound, None),
                method="highs",
            )
            if res.status == 3:
                bounds.append(np.inf)
            else:
                assert res.status == 0, res.message
                bounds.append(sign * res.fun)
        out[cell] = (bounds[0], bounds[1])
    return out, truth
