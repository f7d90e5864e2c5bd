"""Model notation and the enumeration of hierarchical models."""

from __future__ import annotations

import itertools

import pytest

from nmt.estimation import Model, ModelError, hierarchical_models


def test_parse_and_name_round_trip():
    lists = ("A", "B", "C", "D")
    assert Model.parse("[123,14,34]", lists).name() == "[123,14,34]"
    assert Model.parse("[34, 14, 123]", lists).name() == "[123,14,34]"
    assert Model.parse("[1,2,3,4]", lists).name() == "[1,2,3,4]"
    assert Model.parse("[]", lists).name() == "[1,2,3,4]"
    # Missing main effects are added; terms below a larger one are absorbed.
    assert Model.parse("[12]", lists).name() == "[12,3,4]"
    assert Model.parse("[12,1,2,23]", lists).name() == "[12,23,4]"
    # List names joined by colons.
    assert Model.parse("[A:B,C]", lists).name() == "[12,3,4]"


def test_terms_are_the_hierarchical_closure():
    model = Model.parse("[123,14]", ("A", "B", "C", "D"))
    labels = [bin(m) for m in model.terms]
    assert len(model.terms) == 4 + 4 + 1  # main effects, 12 13 23 14, 123
    assert model.n_parameters == 10
    assert model.order == 3
    assert len(labels) == len(set(labels))


def test_more_than_nine_lists_use_colons():
    lists = tuple(f"L{i}" for i in range(11))
    model = Model.parse("[1:10,3]", lists)
    assert model.name().startswith("[1:10,")
    with pytest.raises(ModelError, match=r"join a term.s lists with"):
        Model.parse("[110]", lists)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[15]", "no list '5'"),
        ("[1234]", "all lists"),
        ("[11]", "twice"),
        ("[12,,3]", "empty term"),
        ("[x]", "cannot read term"),
    ],
)
def test_bad_models(text, message):
    with pytest.raises(ModelError, match=message):
        Model.parse(text, ("A", "B", "C", "D"))


def _brute_force(t: int, max_order: int) -> set[str]:
    """Downward-closed sets of terms, found by checking every subset of candidate terms."""
    candidates = [
        frozenset(c) for k in range(2, max_order + 1) for c in itertools.combinations(range(t), k)
    ]
    found = set()
    for r in range(len(candidates) + 1):
        for chosen in itertools.combinations(candidates, r):
            chosen_set = set(chosen)
            closed = all(
                frozenset(sub) in chosen_set
                for term in chosen
                if len(term) > 2
                for sub in itertools.combinations(term, len(term) - 1)
            )
            if closed:
                found.add(Model.from_terms(t, [tuple(c) for c in chosen]).name())
    return found


@pytest.mark.parametrize(("t", "max_order"), [(3, 2), (4, 2), (4, 3)])
def test_enumeration_matches_brute_force(t, max_order):
    names = [m.name() for m in hierarchical_models(t, max_order)]
    assert len(names) == len(set(names))
    assert set(names) == _brute_force(t, max_order)


def test_enumeration_counts_and_limits():
    assert sum(1 for _ in hierarchical_models(5, 2)) == 2**10
    with pytest.raises(ModelError, match="more than 100 models"):
        list(hierarchical_models(5, 2, limit=100))
    with pytest.raises(ModelError, match="between 1 and 3"):
        list(hierarchical_models(4, 4))
