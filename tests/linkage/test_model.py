"""Clustering, the prior and error attribution: the parts of the model that are ours."""

import math

import numpy as np
import pandas as pd

from nmt.linkage.evaluate import error_sources
from nmt.linkage.model import _estimate_prior, cluster


def _edges(*pairs):
    left = np.array([a for a, _, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b, _ in pairs], dtype=np.int64)
    weight = np.array([w for _, _, w in pairs], dtype=float)
    return left, right, weight


def test_clusters_are_connected_components_when_nothing_speaks_against():
    left, right, weight = _edges((0, 1, 8.0), (1, 2, 6.0), (3, 4, 1.0), (4, 5, -3.0))
    labels = cluster(6, left, right, weight, threshold=0.5)
    assert labels[0] == labels[1] == labels[2]
    assert labels[3] == labels[4] != labels[5]
    assert len({labels[0], labels[3]}) == 2


def test_a_bridge_record_does_not_chain_two_persons():
    # A record with only a birth year (1) links to two persons of the same name born on
    # different days (0 and 2); the pair 0-2 is scored and speaks strongly against.
    left, right, weight = _edges((0, 1, 6.0), (1, 2, 5.0), (0, 2, -20.0))
    labels = cluster(3, left, right, weight, threshold=0.5)
    assert labels[0] != labels[2]
    assert labels[1] == labels[0]  # the stronger link wins
    # Without the scored pair 0-2, nothing tells the persons apart: one cluster.
    left, right, weight = _edges((0, 1, 6.0), (1, 2, 5.0))
    labels = cluster(3, left, right, weight, threshold=0.5)
    assert labels[0] == labels[1] == labels[2]


def test_a_weak_disagreement_inside_a_person_is_outweighed():
    # Three records of one person: two strong links and one pair that disagrees a little.
    left, right, weight = _edges((0, 1, 12.0), (1, 2, 9.0), (0, 2, -2.0))
    labels = cluster(3, left, right, weight, threshold=0.5)
    assert labels[0] == labels[1] == labels[2]


def test_threshold_shifts_the_costs():
    left, right, weight = _edges((0, 1, 3.0))
    assert cluster(2, left, right, weight, threshold=0.5)[0] == 0
    high = cluster(2, left, right, weight, threshold=0.95)
    assert high[0] != high[1]  # 3 bits < logit2(0.95) = 4.25


def test_prior_is_the_expected_share_of_matches():
    # 100 pairs that are certainly matches among a million possible pairs, and many scored
    # pairs that are certainly not: the prior is 100 in a million whatever it started from.
    bayes = np.concatenate([np.full(100, 60.0), np.full(5000, -60.0)])
    for start in (1e-3, 1e-6):
        prior = _estimate_prior(bayes, 1e6, start)
        assert math.isclose(prior, 1e-4, rel_tol=1e-3)


def test_error_sources_attribute_missed_and_false_pairs():
    truth = pd.DataFrame(
        {
            "source": ["a"] * 5,
            "record_id": ["1", "2", "3", "4", "5"],
            "person_id": ["p", "p", "q", "r", "r"],
            "corruptions": ["typo", "", "dob_age_only", "", "variant"],
            "relation": ["", "", "twin", "twin", "twin"],
        }
    )
    predicted = truth[["source", "record_id"]].assign(person_id=["x", "y", "z", "z", "w"])
    sources = error_sources(predicted, truth)
    assert sources.missed_total == 2  # 1-2 (typo) and 4-5 (variant)
    assert sources.missed == {"typo": 1, "variant": 1}
    assert sources.false_total == 1  # 3-4, twins, one of them with only an age
    assert sources.false == {"twin, vague birth date": 1}
