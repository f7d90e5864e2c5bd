"""Threshold suppression with secondary suppression across linked tables, attacked for real."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmt.disclosure import (
    TOTAL,
    DisclosurePolicy,
    Flag,
    TableSpec,
    feasible_intervals,
    protect_tables,
    suppress_tables,
)
from nmt.errors import BadInputError

from .attacks import key, lp_intervals, published, subtraction_attack

POLICY = DisclosurePolicy(method="suppression", threshold=5, protection_level=3)
SEX_AGE = TableSpec("sex_by_age", ["sex", "age_group"])
SEX_PURPOSE = TableSpec("sex_by_purpose", ["sex", "purpose"], multi_valued=["purpose"])
SEX_REGION = TableSpec("sex_by_region", ["sex", "region"])
REGION_AGE = TableSpec("region_by_age", ["region", "age_group"])


def assert_protected(tables, *, threshold, level, lower_bound=1):
    """Primary cells withheld; no subtraction recovers anything; LP intervals wide enough."""
    for table in tables:
        for cell in table.cells:
            if 0 < cell.original < threshold:
                assert cell.value is None, cell
                assert Flag.SUPPRESSED in cell.flags
            if cell.value is not None:
                assert cell.value == cell.original
                assert not cell.flags
    assert subtraction_attack(tables) == {}
    intervals, truth = lp_intervals(tables, lower_bound=lower_bound)
    _values, _ = published(tables)
    # What the attacker would know even if every cell that could be withheld were withheld.
    everything = {k for k, v in truth.items() if v >= lower_bound}
    primaries = {k for k, v in truth.items() if 0 < v < threshold or (v == 0 and lower_bound == 0)}
    floors, _ = lp_intervals(tables, lower_bound=lower_bound, hide=everything, only=primaries)
    for cell, (low, high) in intervals.items():
        a = truth[cell]
        if not 0 < a < threshold:
            continue  # secondary: no requirement of its own
        assert high >= a + level - 1e-6, (cell, a, low, high)
        required_low = max(a - level, floors[cell][0])
        assert low <= required_low + 1e-6, (cell, a, low, high)
    return intervals


def test_linked_tables_sharing_the_sex_margin_resist_differencing(persons):
    result = suppress_tables(persons, [SEX_AGE, SEX_PURPOSE, SEX_REGION], policies=POLICY)
    tables = list(result.tables.values())
    assert result.audit.protected
    assert result.primary_cells > 0
    assert result.secondary_cells > 0
    assert_protected(tables, threshold=5, level=3)
    # A shared cell has one fate in every table.
    for sex in ["kvinna", "man", "annat", "okänt", TOTAL]:
        assert len({t.cell(sex=sex).value for t in tables}) == 1


def test_three_tables_linked_in_a_cycle_resist_differencing(persons):
    result = suppress_tables(persons, [SEX_AGE, SEX_REGION, REGION_AGE], policies=POLICY)
    assert_protected(list(result.tables.values()), threshold=5, level=3)


def test_without_secondary_suppression_the_attacks_succeed(persons):
    """The attacks in this file are real: on primary suppression alone they recover cells."""
    result = suppress_tables(persons, [SEX_AGE, SEX_REGION], policies=POLICY)
    naive = [
        dataclasses.replace(
            t,
            cells=tuple(
                dataclasses.replace(c, value=c.original, flags=frozenset())
                if c.suppression == "secondary"
                else c
                for c in t.cells
            ),
        )
        for t in result.tables.values()
    ]
    recovered = subtraction_attack(naive)
    _, truth = published(naive)
    assert recovered, "primary suppression alone is recoverable by subtraction"
    assert all(truth[c] == v for c, v in recovered.items())


def test_library_attack_agrees_with_the_independent_one(persons):
    result = suppress_tables(persons, [SEX_AGE, SEX_PURPOSE], policies=POLICY)
    tables = list(result.tables.values())
    ours = {key(c.coordinates): c for c in feasible_intervals(tables, integer=False)}
    theirs, _ = lp_intervals(tables)
    assert set(ours) == set(theirs)
    for cell, (low, high) in theirs.items():
        assert ours[cell].lower == pytest.approx(low)
        assert ours[cell].upper == pytest.approx(high)
    # The integer attacker knows at least as much as the LP one.
    for interval in feasible_intervals(tables, integer=True):
        relaxed = ours[key(interval.coordinates)]
        assert relaxed.lower - 1e-9 <= interval.lower <= interval.upper <= relaxed.upper + 1e-9


def test_a_single_small_cell_needs_the_cheapest_rectangle():
    # rows a,b,c x columns x,y,z; only a/x (2 persons) is small. Cost "cells": the optimum
    # withholds a rectangle: 3 secondaries. Cost "value": the rectangle with fewest persons.
    counts = {
        ("a", "x"): 2,
        ("a", "y"): 30,
        ("a", "z"): 12,
        ("b", "x"): 40,
        ("b", "y"): 50,
        ("b", "z"): 60,
        ("c", "x"): 11,
        ("c", "y"): 70,
        ("c", "z"): 80,
    }
    records = pd.DataFrame([{"row": r, "col": c} for (r, c), n in counts.items() for _ in range(n)])
    spec = TableSpec("t", ["row", "col"])
    result = suppress_tables(
        records, [spec], policies=DisclosurePolicy(method="suppression", cost="value")
    )
    withheld = {
        (c.category("row"), c.category("col")) for c in result.tables["t"].cells if c.value is None
    }
    assert withheld == {("a", "x"), ("a", "z"), ("c", "x"), ("c", "z")}
    assert result.algorithm == "optimal"
    assert result.secondary_cells == 3
    assert result.suppressed_persons == 12 + 11 + 80
    assert_protected(list(result.tables.values()), threshold=5, level=3)


def test_optimal_is_no_worse_than_sequential(persons):
    specs = [SEX_AGE, SEX_REGION]
    costs = {}
    for mode in ("optimal", "sequential"):
        policy = dataclasses.replace(POLICY, secondary=mode)
        result = suppress_tables(persons, specs, policies=policy)
        assert_protected(list(result.tables.values()), threshold=5, level=3)
        costs[mode] = result.suppressed_persons
    assert costs["optimal"] <= costs["sequential"]


def test_per_table_thresholds_and_the_strictest_wins_on_shared_cells(persons):
    strict = DisclosurePolicy(method="suppression", threshold=10, protection_level=3)
    result = suppress_tables(
        persons, [SEX_AGE, SEX_REGION], policies={"sex_by_age": strict, "sex_by_region": POLICY}
    )
    age = result.tables["sex_by_age"]
    assert all(c.value is None for c in age.cells if 0 < c.original < 10)
    assert_protected([result.tables["sex_by_region"]], threshold=5, level=3)


def test_suppressing_zeros_protects_empty_cells_too():
    records = pd.DataFrame({"a": ["p"] * 20 + ["q"] * 20, "b": ["x"] * 20 + ["x"] * 12 + ["y"] * 8})
    policy = DisclosurePolicy(method="suppression", suppress_zeros=True)
    result = suppress_tables(records, [TableSpec("t", ["a", "b"])], policies=policy)
    table = result.tables["t"]
    assert table.cell(a="p", b="y").original == 0
    assert table.cell(a="p", b="y").value is None
    assert_protected([table], threshold=5, level=3, lower_bound=0)


def test_lower_protection_is_capped_by_what_published_zeros_reveal():
    # Margin "m" consists of three cells of 1 each; as empty cells are always published, withheld
    # cells are known to be >= 1, so the margin is known to be >= 3 whatever is withheld.
    rows = [("m", "x"), ("m", "y"), ("m", "z")] + [("n", c) for c in "xyz" for _ in range(20)]
    records = pd.DataFrame(rows, columns=["a", "b"])
    result = suppress_tables(records, [TableSpec("t", ["a", "b"])], policies=POLICY)
    assert result.audit.protected
    margin = next(e for e in result.audit.entries if dict(e.coordinates) == {"a": "m", "b": TOTAL})
    assert margin.required_lower == 3
    assert margin.required_upper == 6
    assert_protected(list(result.tables.values()), threshold=5, level=3)


def test_nothing_to_suppress():
    records = pd.DataFrame({"a": ["p"] * 20 + ["q"] * 30})
    result = suppress_tables(records, [TableSpec("t", ["a"])], policies=POLICY)
    assert result.algorithm == "none needed"
    assert result.primary_cells == 0
    assert all(c.value == c.original for c in result.tables["t"].cells)


def test_audit_and_counts_are_confidential(persons):
    result = suppress_tables(persons, [SEX_AGE], policies=POLICY)
    public = result.to_dict()
    assert "audit" not in public
    assert "primary_cells" not in public
    assert all("suppression" not in c for c in public["tables"]["sex_by_age"]["cells"])
    assert result.to_dict(confidential=True)["audit"]["protected"] is True


def test_mixing_methods_on_the_same_cells_is_refused(persons):
    again = TableSpec("sex_by_age_again", ["sex", "age_group"])
    policies = {"sex_by_age": POLICY, "sex_by_age_again": DisclosurePolicy(method="ckm")}
    with pytest.raises(BadInputError, match="withheld by suppression"):
        protect_tables(persons, [SEX_AGE, again], policies)


def test_mixing_methods_on_unrelated_cells_is_allowed(persons):
    policies = {"sex_by_age": POLICY, "region": DisclosurePolicy(method="ckm")}
    result = protect_tables(persons, [SEX_AGE, TableSpec("region", ["region"])], policies)
    assert result.suppression is not None
    assert result["region"].method == "ckm"


def test_policies_must_fit(persons):
    with pytest.raises(BadInputError):
        suppress_tables(persons, [SEX_AGE], policies=DisclosurePolicy(method="ckm"))
    with pytest.raises(BadInputError):
        suppress_tables(persons, [SEX_AGE, SEX_REGION], policies={"sex_by_age": POLICY})
    with pytest.raises(BadInputError):
        suppress_tables(
            persons,
            [SEX_AGE, SEX_REGION],
            policies={
                "sex_by_age": POLICY,
                "sex_by_region": dataclasses.replace(POLICY, cost="cells"),
            },
        )
    with pytest.raises(BadInputError):
        suppress_tables(persons, [])


def test_feasible_intervals_reject_contradictory_publications(persons):
    result = suppress_tables(persons, [SEX_AGE], policies=POLICY)
    table = result.tables["sex_by_age"]
    shown = dataclasses.replace(
        table,
        spec=TableSpec("copy", table.spec.variables),
        cells=tuple(dataclasses.replace(c, value=c.original) for c in table.cells),
    )
    with pytest.raises(BadInputError):
        feasible_intervals([table, shown])


@st.composite
def small_populations(draw):
    n_a, n_b, n_c = (draw(st.integers(2, 3)) for _ in range(3))
    n = draw(st.integers(15, 60))
    seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(seed)
    weights = rng.dirichlet(np.ones(n_a * n_b * n_c) * 0.7)
    cell = rng.choice(n_a * n_b * n_c, size=n, p=weights)
    return pd.DataFrame(
        {
            "a": [f"a{i}" for i in cell // (n_b * n_c)],
            "b": [f"b{i}" for i in cell // n_c % n_b],
            "c": [f"c{i}" for i in cell % n_c],
        }
    )


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=small_populations(),
    threshold=st.integers(2, 5),
    level=st.integers(1, 3),
    mode=st.sampled_from(["optimal", "sequential"]),
)
def test_random_linked_tables_are_always_protected(records, threshold, level, mode):
    policy = DisclosurePolicy(
        method="suppression", threshold=threshold, protection_level=level, secondary=mode
    )
    specs = [TableSpec("ab", ["a", "b"]), TableSpec("ac", ["a", "c"]), TableSpec("bc", ["b", "c"])]
    result = suppress_tables(records, specs, policies=policy)
    assert result.audit.protected
    assert_protected(list(result.tables.values()), threshold=threshold, level=level)
