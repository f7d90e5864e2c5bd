"""Policies, flags and their rendering, and the footnotes."""

from __future__ import annotations

import json

import pytest

from nmt.disclosure import (
    CKM,
    SUPPRESSION,
    DisclosurePolicy,
    Flag,
    ProtectedCell,
    PTableParameters,
    TableSpec,
    display_value,
    protect_tables,
)
from nmt.errors import BadInputError

SEX_REGION = TableSpec("sex_by_region", ["sex", "region"])


def test_policies_round_trip_through_plain_dicts():
    for policy in (
        CKM,
        SUPPRESSION,
        DisclosurePolicy(method="ckm", ptable=PTableParameters(2, 1.0, 1), small_count=5),
        DisclosurePolicy(method="suppression", threshold=3, protection_level=2, cost="cells"),
    ):
        data = json.loads(json.dumps(policy.to_dict()))
        assert DisclosurePolicy.from_dict(data) == policy


@pytest.mark.parametrize(
    "data",
    [
        {"method": "rounding"},
        {"method": "suppression", "threshold": 0},
        {"method": "suppression", "protection_level": 0},
        {"method": "suppression", "threshold": 2.5},
        {"method": "suppression", "cost": "money"},
        {"method": "suppression", "secondary": "magic"},
        {"method": "suppression", "suppress_zeros": "yes"},
        {"method": "ckm", "ptable": {"max_deviation": 1, "variance": 1.0, "blocked_up_to": 1}},
        {"method": "ckm", "ptable": "D3V2"},
        {"method": "ckm", "small_count": -1},
        {"method": "ckm", "colour": "red"},
        "ckm",
    ],
)
def test_invalid_policies_are_rejected(data):
    with pytest.raises(BadInputError):
        DisclosurePolicy.from_dict(data)


def _cell(value, *flags):
    return ProtectedCell(
        coordinates=(("sex", "man"),), value=value, flags=frozenset(flags), original=1
    )


@pytest.mark.parametrize(
    ("cell", "style", "text"),
    [
        (_cell(None, Flag.SUPPRESSED), "scb", ".."),
        (_cell(None, Flag.SUPPRESSED), "ons", "[c]"),
        (_cell(None, Flag.SUPPRESSED), "plain", ""),
        (_cell(7, Flag.PERTURBED, Flag.SMALL), "scb", "7"),
        (_cell(7, Flag.PERTURBED, Flag.SMALL), "ons", "7 [u]"),
        (_cell(42, Flag.PERTURBED), "ons", "42"),
        (_cell(0, Flag.PERTURBED, Flag.SMALL), "scb", "0"),
    ],
)
def test_display_symbols(cell, style, text):
    assert display_value(cell, style=style) == text


def test_unknown_style_is_rejected():
    with pytest.raises(BadInputError):
        display_value(_cell(1), style="fancy")


def test_every_published_cell_below_the_threshold_is_flagged(persons):
    result = protect_tables(persons, [SEX_REGION], SUPPRESSION)
    rendered = result["sex_by_region"].render(style="scb")
    for cell, text in zip(result["sex_by_region"].cells, rendered["display"], strict=True):
        if 0 < cell.original < SUPPRESSION.threshold:
            assert text == ".."
            assert "suppressed" in rendered.loc[rendered["display"] == text, "flags"].iloc[0]


def test_notes_for_each_method_in_both_languages(persons):
    ckm = protect_tables(persons, [SEX_REGION])["sex_by_region"]
    suppressed = protect_tables(persons, [SEX_REGION], SUPPRESSION)["sex_by_region"]
    assert "cellnyckelmetoden" in ckm.notes(lang="sv")[0]
    assert "cell key method" in ckm.notes(lang="en")[0]
    assert suppressed.notes(lang="sv", style="scb")[0].startswith("..")
    assert suppressed.notes(lang="en", style="ons")[0].startswith("[c]")
    assert "fewer than 5" in suppressed.notes(lang="en")[0]
    purposes = protect_tables(persons, [TableSpec("p", ["purpose"], multi_valued=["purpose"])])[
        "p"
    ].notes(lang="sv", labels={"purpose": "ändamål"})
    assert "flera kategorier av ändamål" in purposes[-1]


def test_cell_lookup_and_json(persons):
    table = protect_tables(persons, [SEX_REGION])["sex_by_region"]
    assert table.cell().is_margin
    assert table.cell(sex="man", region="region_01").category("sex") == "man"
    with pytest.raises(BadInputError):
        table.cell(age="0-17")
    with pytest.raises(BadInputError):
        table.cell(sex="nobody")
    json.dumps(table.to_dict())
    json.dumps(table.to_dict(confidential=True))


def test_the_documented_statements_are_the_ones_printed(persons):
    """docs/disclosure.md quotes the footnotes verbatim; keep them in step with the code."""
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "disclosure.md"
    quoted = " ".join(
        line.removeprefix(">").strip()
        for line in doc.read_text().splitlines()
        if line.startswith(">")
    )
    quoted = " ".join(quoted.split())
    ckm = protect_tables(persons, [SEX_REGION])["sex_by_region"]
    suppressed = protect_tables(persons, [SEX_REGION], SUPPRESSION)["sex_by_region"]
    purposes = protect_tables(persons, [TableSpec("p", ["purpose"], multi_valued=["purpose"])])["p"]
    for lang in ("sv", "en"):
        for note in [*ckm.notes(lang=lang), *suppressed.notes(lang=lang)]:
            assert note in quoted
    assert purposes.notes(lang="sv", labels={"purpose": "ändamål"})[-1] in quoted
    assert purposes.notes(lang="en")[-1] in quoted
