"""The cell key method: consistency across tables and runs, bounded noise, flags, statements."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nmt.disclosure import (
    TOTAL,
    DisclosurePolicy,
    Flag,
    PTableParameters,
    TableSpec,
    ckm_table,
    default_ptable,
    nonadditivity_statement,
    protect_tables,
)
from nmt.errors import BadInputError

from .conftest import make_persons

SEX_AGE = TableSpec("sex_by_age", ["sex", "age_group"])
SEX_PURPOSE = TableSpec("sex_by_purpose", ["sex", "purpose"], multi_valued=["purpose"])
SEX_REGION = TableSpec("sex_by_region", ["sex", "region"])


def _values(table):
    return {c.coordinates: c.value for c in table.cells}


def test_same_persons_get_the_same_perturbation_in_every_table(persons):
    result = protect_tables(persons, [SEX_AGE, SEX_PURPOSE, SEX_REGION])
    tables = list(result.tables.values())
    for sex in [*persons["sex"].unique(), TOTAL]:
        published = {t.cell(sex=sex).value for t in tables}
        assert len(published) == 1, f"the margin sex={sex} differs between tables: {published}"
    # Different variables, same persons: "child" holds exactly the persons aged 0-17.
    children = ckm_table(persons, TableSpec("sex_by_child", ["sex", "child"]))
    for sex in persons["sex"].unique():
        young = result["sex_by_age"].cell(sex=sex, age_group="0-17")
        child = children.cell(sex=sex, child="child")
        assert (child.value, child.original) == (young.value, young.original)


def test_same_persons_get_the_same_perturbation_across_runs_and_row_orders(persons):
    first = ckm_table(persons, SEX_REGION)
    shuffled = persons.sample(frac=1, random_state=7).reset_index(drop=True)
    second = ckm_table(shuffled, SEX_REGION)
    assert _values(first) == _values(second)


def test_a_cell_keeps_its_value_when_persons_outside_it_are_added(persons):
    newcomers = make_persons(n=50, seed=99).assign(sex="man", age_group="adult")
    more = pd.concat([persons, newcomers], ignore_index=True)
    before = ckm_table(persons, SEX_REGION)
    after = ckm_table(more, SEX_REGION)
    for region in persons["region"].unique():
        assert before.cell(sex="kvinna", region=region) == after.cell(sex="kvinna", region=region)
    assert before.cell(sex="man").original < after.cell(sex="man").original


def test_a_list_of_grouping_variables_is_enough(persons):
    table = ckm_table(persons, ["sex", "region"])
    assert table.name == "sex_by_region"
    assert table.cells == ckm_table(persons, SEX_REGION).cells


def test_noise_is_bounded_and_small_counts_never_appear(persons):
    table = ckm_table(persons, TableSpec("fine", ["sex", "region", "purpose"], ["purpose"]))
    for cell in table.cells:
        assert abs(cell.value - cell.original) <= 3
        assert cell.value >= 0
        assert cell.value not in (1, 2), "values 1..js are never published"
        if cell.original == 0:
            assert cell.value == 0, "empty cells stay empty"
        assert Flag.PERTURBED in cell.flags, "every cell is flagged, changed or not"
        assert (Flag.SMALL in cell.flags) == (cell.value < 10)
    changed = sum(c.value != c.original for c in table.cells if c.original > 0)
    assert changed > 0


def test_perturbation_is_unbiased_with_the_stated_variance_over_many_cells():
    rng = np.random.default_rng(1)
    n = 200_000
    counts = rng.integers(6, 500, n)
    keys = rng.integers(0, 2**32, n, dtype=np.uint64)
    deviations = default_ptable().perturbation(counts, keys, 2**32)
    assert abs(deviations.mean()) < 4 * np.sqrt(2.0 / n)
    assert deviations.var() == pytest.approx(2.0, rel=0.03)


def test_public_output_leaves_out_the_true_counts(persons):
    table = ckm_table(persons, SEX_AGE)
    public = table.to_dict()
    assert all("original" not in c for c in public["cells"])
    assert "original" not in table.to_frame().columns
    assert "original" not in repr(table.cells[0])
    confidential = table.to_dict(confidential=True)
    assert all("original" in c for c in confidential["cells"])


def test_records_need_valid_keys(persons):
    with pytest.raises(BadInputError):
        ckm_table(persons.drop(columns="record_key"), SEX_AGE)
    with pytest.raises(BadInputError):
        ckm_table(persons, SEX_AGE, key_range=256)  # 32-bit keys exceed an 8-bit range


def test_ckm_policy_parameters_are_used(persons):
    policy = DisclosurePolicy(
        method="ckm", ptable=PTableParameters(max_deviation=2, variance=1.0, blocked_up_to=1)
    )
    table = ckm_table(persons, SEX_REGION, policy=policy)
    assert all(abs(c.value - c.original) <= 2 and c.value != 1 for c in table.cells)
    assert "±2" in table.notes(lang="en")[0]
    assert "Värdet 1 redovisas aldrig" in table.notes(lang="sv")[1]


def test_the_statement_that_parts_need_not_add_up():
    sv = nonadditivity_statement(lang="sv")
    en = nonadditivity_statement(lang="en")
    assert "summan av delarna inte alltid lika med den redovisade totalen" in sv
    assert "do not always add up" in en
    assert "±3" in sv
    assert "±3" in en
    with pytest.raises(BadInputError):
        nonadditivity_statement(lang="de")
