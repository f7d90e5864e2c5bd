"""Aggregate figures from the registry for situation reports and early signals.

Only aggregates leave this module, and only after the cell key method of ``nmt.disclosure`` (with
record keys derived from the person, so the same persons get the same published figure in every
table): the counts 1 and 2 are never shown, every figure carries its flags, and the true counts
stay here. Persons are counted once per cell however many identifications they have.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pandas as pd
from django.conf import settings

from nmt.cases import codes
from nmt.cases.models import Citizenship, Identification, IdentificationPurpose
from nmt.disclosure import TOTAL, TableSpec, ckm_table, with_record_keys

TOP_CITIZENSHIPS = 5
CATEGORIES = ("woman", "man", "girl", "boy", "other", "unknown")


def record_key_secret() -> bytes:
    """The installation's record-key secret, the same as the national report's (issue 5), so that
    the same persons get the same published figure here and in the report."""
    return settings.RECORD_KEY_SECRET.encode("utf-8")


def category_of(sex: str, age_group: str) -> str:
    """Kvinna, man, flicka, pojke: the Swedish statistical category of sex and age."""
    if sex == codes.Sex.OTHER:
        return "other"
    if sex not in (codes.Sex.FEMALE, codes.Sex.MALE) or age_group == codes.AgeGroup.UNKNOWN:
        return "unknown"
    adult = age_group == codes.AgeGroup.ADULT
    if sex == codes.Sex.FEMALE:
        return "woman" if adult else "girl"
    return "man" if adult else "boy"


def term_dates(year: int, term: int) -> tuple[dt.date, dt.date]:
    if term == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def _person_records(cases: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per person: purposes and citizenships as sets, the category of the latest case."""
    purposes: dict[int, set[str]] = defaultdict(set)
    for row in IdentificationPurpose.objects.filter(
        identification_id__in=[c["id"] for c in cases]
    ).values("identification_id", "purpose"):
        purposes[row["identification_id"]].add(row["purpose"])
    persons: dict[int, dict[str, Any]] = {}
    for case in sorted(cases, key=lambda c: c["identified_on"]):
        person = persons.setdefault(
            case["person_id"], {"person_id": case["person_id"], "purpose": set()}
        )
        person["purpose"] |= purposes.get(case["id"], {codes.Purpose.UNKNOWN})
        person["category"] = category_of(case["person__sex"], case["age_group"])
    citizenships: dict[int, set[str]] = defaultdict(set)
    for row in Citizenship.objects.filter(person_id__in=list(persons)).values(
        "person_id", "country"
    ):
        citizenships[row["person_id"]].add(row["country"])
    for pid, person in persons.items():
        person["citizenship"] = tuple(sorted(citizenships.get(pid) or {"unknown"}))
        person["purpose"] = tuple(sorted(person["purpose"]))
    frame = pd.DataFrame(
        list(persons.values()), columns=["person_id", "purpose", "category", "citizenship"]
    )
    return with_record_keys(frame, id_column="person_id", secret=record_key_secret())


def _cells(table: Any, variable: str) -> list[dict[str, Any]]:
    return [
        {
            "code": cell.category(variable),
            "value": cell.value,
            "flags": sorted(f.value for f in cell.flags),
        }
        for cell in table.cells
        if cell.category(variable) != TOTAL
    ]


def protected_figures(
    *, start: dt.date, end: dt.date, region_id: int | None = None
) -> dict[str, Any]:
    """Persons identified from ``start`` to ``end`` (in a region, or nationally), protected.

    Returns JSON-ready tables: the total, purposes (a person once per purpose), the category of
    sex and age, and the top citizenships with the rest as ``other``; with the notes a reader needs.
    """
    cases_qs = Identification.objects.filter(identified_on__gte=start, identified_on__lte=end)
    if region_id is not None:
        cases_qs = cases_qs.filter(region_id=region_id)
    cases = list(cases_qs.values("id", "person_id", "identified_on", "age_group", "person__sex"))
    out: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "method": "ckm",
        "total": None,
        "purpose": [],
        "category": [],
        "citizenship": [],
        "notes": {},
    }
    if not cases:
        out["total"] = {"value": 0, "flags": []}
        return out
    records = _person_records(cases)
    purpose = ckm_table(
        records,
        TableSpec(
            "purpose",
            ["purpose"],
            multi_valued=["purpose"],
            categories={
                "purpose": [p for p in codes.Purpose.values if p in _observed(records, "purpose")]
            },
        ),
    )
    category = ckm_table(
        records,
        TableSpec(
            "category",
            ["category"],
            categories={"category": [c for c in CATEGORIES if c in set(records["category"])]},
        ),
    )
    citizenship = ckm_table(records, TableSpec("citizenship", ["citizenship"], ["citizenship"]))
    total = purpose.cell()
    out["total"] = {"value": total.value, "flags": sorted(f.value for f in total.flags)}
    out["purpose"] = _cells(purpose, "purpose")
    out["category"] = _cells(category, "category")
    ranked = sorted(
        (c for c in _cells(citizenship, "citizenship") if c["code"] != "unknown" and c["value"]),
        key=lambda c: (-c["value"], c["code"]),
    )
    top = [c["code"] for c in ranked[:TOP_CITIZENSHIPS]]
    if top:
        recoded = records.copy()
        recoded["citizenship"] = [
            tuple(sorted({c if c in top or c == "unknown" else "other" for c in cs}))
            for cs in recoded["citizenship"]
        ]
        grouped = ckm_table(recoded, TableSpec("citizenship_top", ["citizenship"], ["citizenship"]))
        cells = {c["code"]: c for c in _cells(grouped, "citizenship")}
        out["citizenship"] = [cells[c] for c in top] + [
            cells[c] for c in ("other", "unknown") if c in cells
        ]
    out["notes"] = {lang: purpose.notes(lang=lang) for lang in ("sv", "en")}
    return out


def _observed(records: pd.DataFrame, column: str) -> set[str]:
    return {value for values in records[column] for value in values}


# ---------------------------------------------------------------- monthly series for signals

DIMENSIONS = ("purpose", "region", "industry", "citizenship")
MIN_CITIZENSHIP_PERSONS = 20


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def monthly_person_records(*, first_month: int, last_month: int) -> pd.DataFrame:
    """One row per person and month of identification, with the strata of that month's cases
    (sets) and the person's record key."""
    start = dt.date(first_month // 12, first_month % 12 + 1, 1)
    after = last_month + 1
    end = dt.date(after // 12, after % 12 + 1, 1)
    cases = list(
        Identification.objects.filter(identified_on__gte=start, identified_on__lt=end).values(
            "id", "person_id", "identified_on", "region__code", "industry"
        )
    )
    purposes: dict[int, set[str]] = defaultdict(set)
    for row in IdentificationPurpose.objects.filter(
        identification__identified_on__gte=start, identification__identified_on__lt=end
    ).values("identification_id", "purpose"):
        purposes[row["identification_id"]].add(row["purpose"])
    citizenships: dict[int, set[str]] = defaultdict(set)
    for row in Citizenship.objects.filter(person_id__in={c["person_id"] for c in cases}).values(
        "person_id", "country"
    ):
        citizenships[row["person_id"]].add(row["country"])
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for case in cases:
        key = (case["person_id"], month_index(case["identified_on"]))
        row = rows.setdefault(
            key,
            {
                "person_id": key[0],
                "month": key[1],
                "purpose": set(),
                "region": set(),
                "industry": set(),
                "citizenship": citizenships.get(key[0]) or {"unknown"},
            },
        )
        row["purpose"] |= purposes.get(case["id"], {codes.Purpose.UNKNOWN})
        row["region"].add(case["region__code"])
        row["industry"].add(case["industry"] or codes.Industry.UNKNOWN)
    frame = pd.DataFrame(
        [{**r, **{d: tuple(sorted(r[d])) for d in DIMENSIONS}} for r in rows.values()],
        columns=["person_id", "month", *DIMENSIONS],
    )
    if frame.empty:
        frame["record_key"] = pd.Series(dtype="uint64")
        return frame
    return with_record_keys(frame, id_column="person_id", secret=record_key_secret())


def monthly_series(
    records: pd.DataFrame, dimension: str, months: list[int]
) -> dict[str, tuple[list[int], list[int | None]]]:
    """Per category of ``dimension``: (true counts, published CKM counts) for every month.

    The true counts are for the detection only; the published ones are what may be shown."""
    if records.empty:
        return {}
    exploded = records[["person_id", "month", dimension]].explode(dimension)
    true_counts = exploded.groupby([dimension, "month"]).size()
    table = ckm_table(
        records,
        TableSpec(
            f"{dimension}_by_month",
            [dimension, "month"],
            multi_valued=[dimension],
            categories={"month": months},
        ),
    )
    published = {
        (cell.category(dimension), cell.category("month")): cell.value
        for cell in table.cells
        if not cell.is_margin
    }
    out = {}
    for category in sorted(exploded[dimension].unique()):
        observed = [int(true_counts.get((category, m), 0)) for m in months]
        shown = [published.get((category, m), 0) for m in months]
        out[str(category)] = (observed, shown)
    return out
