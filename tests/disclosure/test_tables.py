"""Tabulation: every cell and margin counted, multi-valued variables, declared categories."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nmt.disclosure import TOTAL, TableSpec, tabulate
from nmt.disclosure.tables import cell_id
from nmt.errors import BadInputError


def test_counts_and_margins_match_an_independent_count(persons):
    tab = tabulate(persons, TableSpec("t", ["sex", "region"]))
    cells = tab.cells.set_index(["sex", "region"])["count"]
    crosstab = pd.crosstab(persons["sex"], persons["region"], margins=True, margins_name=TOTAL)
    for sex in crosstab.index:
        for region in crosstab.columns:
            assert cells[(sex, region)] == crosstab.loc[sex, region]
    assert len(tab.cells) == (4 + 1) * (7 + 1)


def test_multi_valued_variable_counts_persons_once_per_category_and_once_in_total(persons):
    tab = tabulate(persons, TableSpec("t", ["sex", "purpose"], multi_valued=["purpose"]))
    cells = tab.cells.set_index(["sex", "purpose"])["count"]
    exploded = persons.explode("purpose")
    for (sex, purpose), n in exploded.groupby(["sex", "purpose"]).size().items():
        assert cells[(sex, purpose)] == n
    assert cells[(TOTAL, TOTAL)] == len(persons)
    for sex, n in persons["sex"].value_counts().items():
        assert cells[(sex, TOTAL)] == n
    parts = sum(cells[(TOTAL, p)] for p in tab.categories_of("purpose"))
    assert parts > cells[(TOTAL, TOTAL)], "some persons have two purposes"


def test_declared_categories_give_zero_cells_in_order():
    frame = pd.DataFrame({"sex": ["kvinna", "kvinna"]})
    spec = TableSpec("t", ["sex"], categories={"sex": ["kvinna", "man", "annat"]})
    tab = tabulate(frame, spec)
    assert tab.cells["sex"].tolist() == ["kvinna", "man", "annat", TOTAL]
    assert tab.cells["count"].tolist() == [2, 0, 0, 2]


def test_cell_identity_ignores_totals_and_order():
    assert cell_id([("sex", "man"), ("age", TOTAL)]) == cell_id(
        [("purpose", TOTAL), ("sex", "man")]
    )
    assert cell_id([("sex", TOTAL)]) == ()


def test_cell_keys_are_sums_of_record_keys():
    frame = pd.DataFrame({"sex": ["k", "k", "m"], "record_key": np.array([250, 10, 7], np.uint64)})
    tab = tabulate(frame, TableSpec("t", ["sex"]), key_column="record_key", key_range=256)
    assert tab.cells["cell_key"].tolist() == [4, 7, 11]


@pytest.mark.parametrize(
    ("frame", "spec"),
    [
        (pd.DataFrame({"sex": ["k", None]}), TableSpec("t", ["sex"])),
        (pd.DataFrame({"sex": ["k", TOTAL]}), TableSpec("t", ["sex"])),
        (pd.DataFrame({"sex": ["k"]}), TableSpec("t", ["age"])),
        (pd.DataFrame({"p": [["a"], []]}), TableSpec("t", ["p"], multi_valued=["p"])),
        (pd.DataFrame({"sex": ["k", "x"]}), TableSpec("t", ["sex"], categories={"sex": ["k"]})),
    ],
)
def test_bad_records_are_rejected_with_the_column_named(frame, spec):
    with pytest.raises(BadInputError) as err:
        tabulate(frame, spec)
    assert err.value.problems


@pytest.mark.parametrize(
    "kwargs",
    [
        {"name": "", "variables": ["a"]},
        {"name": "t", "variables": []},
        {"name": "t", "variables": ["a", "a"]},
        {"name": "t", "variables": ["a"], "multi_valued": ["b"]},
        {"name": "t", "variables": ["a"], "categories": {"a": ["x", TOTAL]}},
        {"name": "t", "variables": ["a"], "categories": {"b": ["x"]}},
    ],
)
def test_bad_table_specs_are_rejected(kwargs):
    with pytest.raises(BadInputError):
        TableSpec(**kwargs)


def test_record_keys_must_be_integers():
    frame = pd.DataFrame({"sex": ["k"], "record_key": [0.5]})
    with pytest.raises(BadInputError):
        tabulate(frame, TableSpec("t", ["sex"]), key_column="record_key", key_range=256)


@st.composite
def populations(draw):
    n = draw(st.integers(0, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**31)))
    return pd.DataFrame(
        {
            "a": rng.choice(["x", "y", "z"], n),
            "b": rng.integers(1, 4, n),
            "m": [list(rng.choice(["p", "q", "r", "s"], rng.integers(1, 4))) for _ in range(n)],
            "record_key": rng.integers(0, 2**32, n, dtype=np.uint64),
        }
    )


@settings(max_examples=40, deadline=None)
@given(
    records=populations(),
    variables=st.sampled_from([["a"], ["a", "b"], ["m", "a"], ["a", "m", "b"]]),
)
def test_vectorised_tabulation_equals_counting_cell_by_cell(records, variables):
    spec = TableSpec("t", variables, multi_valued=[v for v in variables if v == "m"])
    tab = tabulate(records, spec, key_column="record_key", key_range=2**32)
    for row in tab.cells.itertuples(index=False):
        cell = row._asdict()
        inside = np.ones(len(records), dtype=bool)
        for v in variables:
            if cell[v] == TOTAL:
                continue
            if v == "m":
                inside &= records["m"].map(lambda values, c=cell[v]: c in values).to_numpy()
            else:
                inside &= (records[v] == cell[v]).to_numpy()
        assert cell["count"] == inside.sum()
        assert cell["cell_key"] == int(sum(int(k) for k in records["record_key"][inside]) % 2**32)
