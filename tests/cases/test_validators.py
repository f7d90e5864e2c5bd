import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nmt.cases.validators import (
    age_group_at,
    luhn_check_digit,
    normalise_swedish_number,
    parse_partial_date,
)


def test_luhn_check_digit_of_skatteverkets_example():
    # Skatteverket's example 811218-9876 (SKV 704).
    assert luhn_check_digit("811218987") == 6


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("811218-9876", "19811218-9876"),
        ("8112189876", "19811218-9876"),
        ("19811218-9876", "19811218-9876"),
        ("198112189876", "19811218-9876"),
    ],
)
def test_personal_identity_numbers(value, expected):
    assert normalise_swedish_number(value, coordination=False) == expected


def test_hundred_year_olds_use_plus():
    assert normalise_swedish_number("811218+9876", coordination=False) == "18811218-9876"


def test_coordination_number_has_day_plus_sixty():
    check = luhn_check_digit("811278987")
    number = f"811278-987{check}"
    assert normalise_swedish_number(number, coordination=True) == f"19811278-987{check}"
    with pytest.raises(ValidationError):
        normalise_swedish_number(number, coordination=False)
    with pytest.raises(ValidationError):
        normalise_swedish_number("811218-9876", coordination=True)


@pytest.mark.parametrize("value", ["811218-9875", "811318-9870", "abc", "81121-98765", ""])
def test_bad_numbers(value):
    with pytest.raises(ValidationError):
        normalise_swedish_number(value, coordination=False)


def test_partial_dates():
    assert parse_partial_date("1999") == (1999, None, None)
    assert parse_partial_date("1999-04") == (1999, 4, None)
    assert parse_partial_date("1999-04-02") == (1999, 4, 2)
    for bad in ("1999-13", "1999-02-30", "99-04-02", "1850", "3000-01-01"):
        with pytest.raises(ValidationError):
            parse_partial_date(bad)


def test_age_group_boundaries():
    on = dt.date(2025, 6, 1)
    assert age_group_at(on, birth_date="2007-06-01") == "adult"
    assert age_group_at(on, birth_date="2007-06-02") == "child"
    assert age_group_at(on, birth_date="2007-06") == "unknown"
    assert age_group_at(on, birth_date="2006") == "adult"
    assert age_group_at(on, birth_date="2008") == "child"
    assert age_group_at(on) == "unknown"
