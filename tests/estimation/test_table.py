"""Reading and validating capture tables."""

from __future__ import annotations

import numpy as np
import pytest

from nmt.errors import BadInputError
from nmt.estimation import parse_capture_table, read_capture_table, table_from_patterns
from nmt.estimation.table import cell_patterns

# Observed totals from the README of ../shared/mse-data.
OBSERVED = {
    "UKdat": 2744,
    "UKdat_5": 2744,
    "Ned": 8234,
    "Ned_5": 8234,
    "NewOrl_SparseMSE": 185,
    "NewOrl_MSE": 186,
    "NewOrl_5_SparseMSE": 185,
    "NewOrl_5_MSE": 186,
    "Western": 345,
    "Kosovo": 4400,
    "Korea": 123,
    "Australia": 414,
    "Rcapture_HIV": 1896,
    "Rcapture_lesbian": 2185,
    "Artificial_3": 96,
}


@pytest.mark.parametrize(("name", "observed"), sorted(OBSERVED.items()))
def test_published_tables_load_with_their_observed_totals(load, name, observed):
    table = load(name)
    assert table.observed == observed
    assert table.counts.shape == (2**table.t - 1,)


def test_lists_and_cells_follow_column_order(load):
    table = load("Korea")
    assert table.lists == ("b", "c", "d")
    # Cell code: list j is bit j; pattern b=1,c=1,d=0 has code 1 + 2 = 3.
    assert table.counts[3 - 1] == 54
    assert table.counts[7 - 1] == 12
    assert table.counts[6 - 1] == 0  # c=1,d=1 explicitly 0 in the file
    assert table.list_totals() == {"b": 5 + 54 + 6 + 12, "c": 5 + 54 + 12, "d": 41 + 6 + 12}


def test_per_person_form_is_aggregated():
    table = parse_capture_table("A,B,C\n1,0,0\n1,1,0\n1,0,0\n0,0,1\n")
    assert table.observed == 4
    assert table.counts[0] == 2  # A only
    assert table.counts[2] == 1  # A and B
    assert table.counts[3] == 1  # C only


def test_zero_count_rows_and_count_header_case_are_accepted():
    table = parse_capture_table("A,B,Count\n1,0,5\n0,1,3\n1,1,0\n")
    assert table.observed == 8
    assert table.counts.tolist() == [5, 3, 0]


def test_table_from_patterns_matches_reader():
    table = table_from_patterns(["A", "B"], [(1, 0), (0, 1), (1, 1)], [4, 5, 6])
    assert table.counts.tolist() == [4, 5, 6]
    assert cell_patterns(2).tolist() == [[1, 0], [0, 1], [1, 1]]


def _problems(text: str) -> list[str]:
    with pytest.raises(BadInputError) as info:
        parse_capture_table(text, source="t.csv")
    return [str(p) for p in info.value.problems]


def test_non_binary_value_names_line_and_column():
    assert _problems("A,B,count\n1,0,3\n2,1,4\n") == [
        "t.csv, line 3, column 'A': expected 0 or 1, found '2'"
    ]


def test_negative_and_non_integer_counts_name_line_and_column():
    problems = _problems("A,B,count\n1,0,-3\n0,1,2.5\n1,1,x\n")
    assert problems == [
        "t.csv, line 2, column 'count': a count cannot be negative, found '-3'",
        "t.csv, line 3, column 'count': expected a whole number of persons, found '2.5'",
        "t.csv, line 4, column 'count': expected a whole number of persons, found 'x'",
    ]


def test_all_zero_row_is_rejected():
    assert _problems("A,B,count\n1,0,3\n0,0,7\n") == [
        "t.csv, line 3: the all-zero pattern (on no list) cannot be observed"
    ]


def test_repeated_pattern_is_rejected_with_first_line():
    assert _problems("A,B,count\n1,0,3\n0,1,1\n1,0,4\n") == [
        "t.csv, line 4: pattern repeated (first given on line 2)"
    ]


def test_too_few_and_too_many_lists():
    assert _problems("A,count\n1,3\n") == ["t.csv: a capture table needs at least 2 lists, found 1"]
    header = ",".join(f"L{i}" for i in range(16)) + ",count\n"
    assert _problems(header + ",".join(["1"] * 16) + ",1\n") == [
        "t.csv: at most 15 lists are supported, found 16"
    ]


def test_empty_tables():
    assert _problems("") == ["t.csv: empty file: no header and no rows"]
    assert _problems("A,B,count\n") == ["t.csv: the table has no rows"]
    assert _problems("A,B,count\n1,0,0\n") == [
        "t.csv: the table has no observed persons (every count is 0)"
    ]


def test_wrong_field_count_and_header_problems():
    assert _problems("A,B,count\n1,0\n") == ["t.csv, line 2: expected 3 fields, found 2"]
    assert _problems("A,A,count\n1,0,1\n") == [
        "t.csv, line 1, column 'A': column name appears more than once"
    ]
    assert _problems("count,A,B\n1,0,1\n") == [
        "t.csv, line 1, column 'count': the count column must be the last column"
    ]


def test_every_problem_is_reported_in_one_run():
    problems = _problems("A,B,count\n1,7,3\n0,0,1\n1,0,-1\n")
    assert len(problems) == 3
    lines = [p.split(",")[1].split(":")[0].strip() for p in problems]
    assert lines == ["line 2", "line 3", "line 4"]


def test_missing_file(tmp_path):
    with pytest.raises(BadInputError, match="no such file"):
        read_capture_table(tmp_path / "absent.csv")


def test_table_is_immutable(load):
    table = load("Korea")
    with pytest.raises(ValueError, match="read-only"):
        table.counts[0] = 1
    assert np.array_equal(table.with_counts(table.counts).counts, table.counts)
