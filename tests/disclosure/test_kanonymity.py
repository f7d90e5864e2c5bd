"""k-anonymity: checking, hierarchies, and enforcement checked on its output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nmt.disclosure import (
    ANY,
    age_hierarchy,
    category_hierarchy,
    check_k_anonymity,
    citizenship_hierarchy,
    enforce_k_anonymity,
)
from nmt.errors import BadInputError

SEX = category_hierarchy(
    "sex",
    [("adult/child", {"kvinna": "adult", "man": "adult", "flicka": "child", "pojke": "child"})],
)


def exchange_records(n: int = 400, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "sex": rng.choice(["kvinna", "man", "flicka", "pojke"], n, p=[0.5, 0.3, 0.12, 0.08]),
            "age": rng.integers(12, 60, n),
            "citizenship": rng.choice(
                ["RO", "BG", "NG", "VN", "TH", "SE", "UA", "CHN", "XX", None], n
            ),
            "purpose": rng.choice(["sexual", "forced_labour", "begging"], n),
        }
    )


def independent_min_class_size(frame, columns):
    return int(frame.fillna("unknown").groupby(columns).size().min())


def test_check_counts_classes_and_records_below_k():
    frame = pd.DataFrame({"a": ["x"] * 11 + ["y"] * 3, "b": ["p"] * 14})
    check = check_k_anonymity(frame, ["a", "b"], k=11)
    assert check.achieved_k == 3
    assert not check.satisfied
    assert check.equivalence_classes == 2
    assert check.records_below_k == 3
    assert check_k_anonymity(frame, ["b"], k=11).satisfied
    empty = check_k_anonymity(frame.iloc[:0], ["a"], k=11)
    assert empty.satisfied
    assert empty.achieved_k is None


def test_check_treats_missing_as_one_value():
    frame = pd.DataFrame({"a": [None] * 6 + ["unknown"] * 5})
    assert check_k_anonymity(frame, ["a"], k=11).achieved_k == 11


def test_age_hierarchy_levels():
    age = age_hierarchy()
    values = pd.Series([0, 17, 18, 34, None, "unknown"])
    assert age.level_names == ("exact", "5-year", "10-year", "child/adult", ANY)
    assert age.generalise(values, 1).tolist() == [
        "0-4",
        "15-19",
        "15-19",
        "30-34",
        "unknown",
        "unknown",
    ]
    assert age.generalise(values, 2).tolist()[:4] == ["0-9", "10-19", "10-19", "30-39"]
    assert age.generalise(values, 3).tolist()[:4] == ["child", "child", "adult", "adult"]
    assert set(age.generalise(values, 4)) == {ANY}
    with pytest.raises(BadInputError):
        age.generalise(pd.Series([-1]), 1)
    with pytest.raises(BadInputError):
        age.generalise(pd.Series(["twelve"]), 1)


def test_citizenship_hierarchy_maps_alpha2_and_alpha3_to_world_regions():
    citizenship = citizenship_hierarchy()
    values = pd.Series(["RO", "ng", "CHN", "XK", "XX", None, "BR", "AU"])
    assert citizenship.generalise(values, 1).tolist() == [
        "Europe",
        "Africa",
        "Asia",
        "Europe",
        "unknown",
        "unknown",
        "Americas",
        "Oceania",
    ]
    with pytest.raises(BadInputError):
        citizenship.generalise(pd.Series(["Narnia"]), 1)


def test_every_country_has_a_region():
    import pycountry

    from nmt.disclosure.regions import REGION_OF

    missing = {c.alpha_2 for c in pycountry.countries} - set(REGION_OF) - {"AQ"}
    assert missing == set()


def test_category_hierarchy_must_cover_every_value():
    with pytest.raises(BadInputError, match="does not cover"):
        SEX.generalise(pd.Series(["kvinna", "annat"]), 1)


def test_enforcement_output_is_k_anonymous_and_reports_its_cost():
    records = exchange_records()
    hierarchies = [SEX, age_hierarchy(), citizenship_hierarchy()]
    result = enforce_k_anonymity(records, hierarchies, k=11, max_removed=0.05)
    columns = ["sex", "age", "citizenship"]
    assert result.achieved_k >= 11
    assert independent_min_class_size(result.data, columns) >= 11
    assert check_k_anonymity(result.data, columns, k=11).satisfied
    assert result.records_removed <= 0.05 * len(records)
    assert len(result.data) == len(records) - result.records_removed
    assert 0 < result.information_loss < 1
    assert result.data["purpose"].isin(["sexual", "forced_labour", "begging"]).all()
    summary = result.to_dict()
    assert summary["levels"] == dict(result.levels)
    assert summary["records_out"] == len(result.data)


def test_already_anonymous_data_is_left_exact():
    records = pd.DataFrame({"sex": ["kvinna"] * 12 + ["man"] * 11, "age": [30] * 23})
    result = enforce_k_anonymity(records, [SEX, age_hierarchy()], k=11)
    assert dict(result.levels) == {"sex": "exact", "age": "exact"}
    assert result.information_loss == 0
    assert result.records_removed == 0


def test_removal_is_preferred_to_generalisation_when_cheaper():
    records = pd.DataFrame({"sex": ["kvinna"] * 40 + ["man"] * 40 + ["flicka"] * 12 + ["pojke"]})
    result = enforce_k_anonymity(records, [SEX], k=11, max_removed=0.05)
    assert dict(result.levels) == {"sex": "exact"}
    assert result.records_removed == 1
    strict = enforce_k_anonymity(records, [SEX], k=11, max_removed=0)
    assert dict(strict.levels) == {"sex": "adult/child"}


def test_impossible_requests_are_rejected():
    records = exchange_records(n=10)
    with pytest.raises(BadInputError, match="fewer than k"):
        enforce_k_anonymity(records, [SEX], k=11)
    with pytest.raises(BadInputError):
        enforce_k_anonymity(exchange_records(), [SEX], k=1)
    with pytest.raises(BadInputError):
        enforce_k_anonymity(exchange_records(), [SEX, SEX])
    with pytest.raises(BadInputError):
        enforce_k_anonymity(exchange_records(), [category_hierarchy("missing")])
    with pytest.raises(BadInputError):
        check_k_anonymity(exchange_records(), ["missing"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31),
    n=st.integers(11, 300),
    k=st.integers(2, 15),
    removed=st.sampled_from([0.0, 0.02, 0.1]),
)
def test_enforcement_always_satisfies_k_or_refuses(seed, n, k, removed):
    records = exchange_records(n=n, seed=seed)
    hierarchies = [SEX, age_hierarchy(), citizenship_hierarchy()]
    if n < k:
        with pytest.raises(BadInputError):
            enforce_k_anonymity(records, hierarchies, k=k, max_removed=removed)
        return
    result = enforce_k_anonymity(records, hierarchies, k=k, max_removed=removed)
    assert independent_min_class_size(result.data, ["sex", "age", "citizenship"]) >= k
    assert result.records_removed <= removed * n
