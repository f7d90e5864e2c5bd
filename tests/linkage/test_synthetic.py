"""The generator: realistic name diversity, stated corruption rates, determinism."""

import pandas as pd

from nmt.linkage.synthetic import SETTINGS, generate, name_pool_summary


def test_name_pools_have_the_diversity_of_real_populations():
    pools = name_pool_summary().set_index("origin")
    assert (pools["female_given"] >= 40).all()
    assert (pools["male_given"] >= 40).all()
    # Chinese given names are one or two syllables of these pools: thousands of names.
    given = pools["female_given"] + pools["male_given"]
    assert (given.drop(index="CN") >= 100).all()
    # Some names are very common, none dominates (Nguyễn and the Chinese surnames apart).
    assert (pools["female_top_share"] < 0.08).all()
    assert (pools["female_top_share"] > 0.02).all()
    assert (pools.drop(index=["VN", "CN"])["family_top_share"] < 0.06).all()
    assert pools.loc["VN", "family_top_share"] > 0.3
    assert (pools.drop(index=["VN", "CN", "ER"])["family"] >= 150).all()


def _rates(lists):
    flags = lists.truth["corruptions"].str.get_dummies(sep=";")
    return flags.mean()


def test_settings_scale_the_corruptions():
    easy, default, hard = (_rates(generate(3000, setting=s, seed=2)) for s in SETTINGS)
    for flag in ("typo", "variant", "dob_age_only", "order_swapped", "family_missing"):
        assert easy.get(flag, 0) < default[flag] < hard[flag], flag
    # The default setting applies its stated rates (documented in docs/linkage.md).
    assert 0.08 < default["typo"] < 0.12  # 5% per name field, two fields
    assert 0.03 < default["dob_age_only"] < 0.07


def test_generator_is_deterministic_and_truth_complete():
    first = generate(400, seed=3)
    second = generate(400, seed=3)
    for source in first.sources:
        pd.testing.assert_frame_equal(first.lists[source], second.lists[source])
    assert len(first.truth) == sum(len(f) for f in first.lists.values())
    assert set(first.truth.columns) >= {"source", "record_id", "person_id", "corruptions"}
