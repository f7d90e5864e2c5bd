"""The maximum-entropy ptable: stated properties, lookup, and that it is the entropy maximum."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from nmt.disclosure import PTableParameters, build_ptable, default_ptable
from nmt.errors import BadInputError


def test_default_ptable_has_the_documented_parameters_and_passes_its_checks():
    table = default_ptable()
    assert table.parameters == PTableParameters(max_deviation=3, variance=2.0, blocked_up_to=2)
    check = table.check()
    assert check.ok, check.to_dict()
    assert [r.original for r in table.rows] == list(range(7))  # 0 .. D + js + 1


def test_default_ptable_rows_one_by_one():
    table = default_ptable()
    for row in table.rows:
        p = np.asarray(row.probabilities)
        v = np.asarray(row.deviations)
        targets = row.original + v
        assert p.sum() == pytest.approx(1.0, abs=1e-12)
        assert (p > 0).all()
        assert float(p @ v) == pytest.approx(0.0, abs=1e-12), "unbiased"
        assert np.abs(v).max() <= 3, "maximum deviation D"
        assert targets.min() >= 0, "no negative published counts"
        assert not np.isin(targets, [1, 2]).any(), "1 and 2 are never published"
        if row.original >= 3:
            assert float(p @ v**2) <= 2.0 + 1e-9, "variance at most V"
    assert table.row(0).deviations == (0,), "empty cells are not perturbed"
    symmetric = table.row(6)
    assert float(np.dot(symmetric.probabilities, np.square(symmetric.deviations))) == (
        pytest.approx(2.0, abs=1e-12)
    )
    assert symmetric.probabilities == pytest.approx(symmetric.probabilities[::-1], abs=1e-12)
    assert table.row(1000) is symmetric, "large counts use the last row"


def test_rows_are_the_entropy_maximum_found_by_a_general_optimiser():
    """Reference check: SLSQP on the primal problem finds no distribution of higher entropy."""
    table = default_ptable()
    for row in table.rows[1:]:
        v = np.asarray(row.deviations, dtype=float)
        ours = np.asarray(row.probabilities)
        constraints = [
            {"type": "eq", "fun": lambda p: p.sum() - 1},
            {"type": "eq", "fun": lambda p, v=v: p @ v},
        ]
        if row.original > 2:
            constraints.append({"type": "ineq", "fun": lambda p, v=v: 2.0 - p @ v**2})
        result = minimize(
            lambda p: float(np.sum(p * np.log(np.maximum(p, 1e-300)))),
            np.full(len(v), 1 / len(v)),
            constraints=constraints,
            bounds=[(0, 1)] * len(v),
            method="SLSQP",
            options={"ftol": 1e-14, "maxiter": 500},
        )
        assert result.success

        def entropy(p):
            return float(-np.sum(p * np.log(p)))

        assert entropy(ours) >= entropy(result.x) - 1e-7
        np.testing.assert_allclose(ours, result.x, atol=1e-4)


@settings(max_examples=40, deadline=None)
@given(
    d=st.integers(min_value=1, max_value=8),
    js_share=st.floats(min_value=0, max_value=0.999),
    v_share=st.floats(min_value=0.01, max_value=0.99),
)
def test_any_valid_parameters_give_a_valid_ptable(d, js_share, v_share):
    js = int(js_share * d)  # 0 .. D - 1
    variance = v_share * d * (d + 1) / 3
    table = build_ptable(PTableParameters(max_deviation=d, variance=variance, blocked_up_to=js))
    check = table.check()
    assert check.ok, check.to_dict()
    assert len(table.rows) == d + js + 2


@pytest.mark.parametrize(
    ("d", "v", "js"),
    [(0, 1.0, 0), (2, 1.0, 2), (3, 4.0, 0), (3, 0.0, 0), (3, -1.0, 0), (2, float("nan"), 0)],
)
def test_invalid_parameters_are_rejected(d, v, js):
    with pytest.raises(BadInputError):
        PTableParameters(max_deviation=d, variance=v, blocked_up_to=js)


def test_lookup_reproduces_the_probabilities_over_all_cell_keys():
    table = default_ptable()
    key_range = 2**16
    keys = np.arange(key_range, dtype=np.uint64)
    for row in table.rows:
        deviations = table.perturbation(np.full(key_range, row.original), keys, key_range)
        for d, p in zip(row.deviations, row.probabilities, strict=True):
            share = float(np.mean(deviations == d))
            # Interval boundaries fall between keys: at most one key off at each end.
            assert share == pytest.approx(p, abs=2 / key_range)
        assert set(np.unique(deviations)) <= set(row.deviations)


def test_lookup_is_monotone_in_the_cell_key():
    table = default_ptable()
    keys = np.arange(0, 2**32, 2**20, dtype=np.uint64)
    deviations = table.perturbation(np.full(len(keys), 50), keys, 2**32)
    assert (np.diff(deviations) >= 0).all()
    assert deviations[0] == -3
    assert deviations[-1] == 3


def test_lookup_rejects_bad_input():
    table = default_ptable()
    with pytest.raises(BadInputError):
        table.perturbation([1, 2], [0], 256)
    with pytest.raises(BadInputError):
        table.perturbation([-1], [0], 256)
    with pytest.raises(BadInputError):
        table.perturbation([1], [256], 256)


def test_parameters_round_trip_and_frame():
    params = PTableParameters(max_deviation=2, variance=1.0, blocked_up_to=1)
    assert PTableParameters.from_dict(params.to_dict()) == params
    with pytest.raises(BadInputError):
        PTableParameters.from_dict({"D": 3})
    frame = build_ptable(params).to_frame()
    assert list(frame.columns) == [-2, -1, 0, 1, 2]
    np.testing.assert_allclose(frame.sum(axis=1), 1.0)
    assert build_ptable(params).to_dict()["symmetric_from"] == 4


def test_default_ptable_matches_the_documented_table():
    """docs/disclosure.md prints these probabilities; a change must update the docs."""
    documented = {
        1: {-1: 0.7049, 2: 0.1805, 3: 0.1146},
        2: {-2: 0.4778, 1: 0.2204, 2: 0.1703, 3: 0.1316},
        3: {-3: 0.1479, 0: 0.5083, 1: 0.2564, 2: 0.0748, 3: 0.0126},
        4: {-1: 0.4594, 0: 0.2608, 1: 0.1481, 2: 0.0841, 3: 0.0477},
        5: {-2: 0.1676, -1: 0.2333, 0: 0.2440, 1: 0.1917, 2: 0.1132, 3: 0.0502},
        6: {-3: 0.0374, -2: 0.1119, -1: 0.2161, 0: 0.2692, 1: 0.2161, 2: 0.1119, 3: 0.0374},
    }
    table = default_ptable()
    for count, probabilities in documented.items():
        row = table.row(count)
        assert dict(zip(row.deviations, row.probabilities, strict=True)) == pytest.approx(
            probabilities, abs=5e-5
        )
