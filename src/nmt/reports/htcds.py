"""The exchange file: a k-anonymised person-level data set with the field names and code lists of
IOM's Human Trafficking Case Data Standard (HTCDS), as the Counter Trafficking Data Collaborative
(CTDC) publishes its global data (k = 11).

One row per unique person of a run, no direct identifiers (no names, dates of birth, numbers,
case numbers, person ids or dates; only the year). Quasi-identifiers (gender, age band,
citizenship, type of exploitation, type of labour) are generalised by ``nmt.disclosure`` until
every combination occurs for at least k persons; the few persons still in smaller classes are
left out. The result is checked with ``check_k_anonymity`` before it is returned.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pandas as pd

from nmt.disclosure import (
    DEFAULT_K,
    category_hierarchy,
    check_k_anonymity,
    citizenship_hierarchy,
    enforce_k_anonymity,
)
from nmt.reports.models import ReportRun, unpack

GENDER = {"female": "Female", "male": "Male", "other": "Transgender/NonConforming"}
MAJORITY = {"adult": "Adult", "child": "Minor"}
# HTCDS/CTDC age bands.
AGE_BANDS = (
    (0, 8, "0--8"),
    (9, 17, "9--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
    (48, 200, "48+"),
)
EXPLOITATION_FLAGS = {
    "isForcedLabour": ("forced_labour", "begging"),
    "isSexualExploit": ("sexual",),
    "isOtherExploit": ("crime", "other_distress"),
    "isForcedMarriage": ("forced_marriage",),
    "isForcedMilitary": ("war_service",),
    "isOrganRemoval": ("organ_removal",),
}
LABOUR_TYPE = {
    "agriculture": "typeOfLabourAgriculture",
    "berry_picking": "typeOfLabourAgriculture",
    "construction": "typeOfLabourConstruction",
    "domestic_work": "typeOfLabourDomesticWork",
    "restaurant": "typeOfLabourHospitality",
    "manufacturing": "typeOfLabourManufacturing",
    "transport": "typeOfLabourTransportation",
    "cleaning": "typeOfLabourOther",
    "beauty": "typeOfLabourOther",
    "car_wash": "typeOfLabourOther",
    "other": "typeOfLabourOther",
    "unknown": "typeOfLabourNotSpecified",
}
LABOUR_FIELDS = tuple(dict.fromkeys(LABOUR_TYPE.values()))
BEGGING_FIELD = "typeOfLabourBegging"
QUASI_IDENTIFIERS = (
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "typeOfExploitConcatenated",
    "typeOfLabourConcatenated",
)
COLUMNS = (
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "citizenship",
    "CountryOfExploitation",
    *EXPLOITATION_FLAGS,
    "typeOfExploitConcatenated",
    *LABOUR_FIELDS,
    BEGGING_FIELD,
    "typeOfLabourConcatenated",
)
LABEL = {
    "isForcedLabour": "Forced labour",
    "isSexualExploit": "Sexual exploitation",
    "isOtherExploit": "Other",
    "isForcedMarriage": "Forced marriage",
    "isForcedMilitary": "Forced military",
    "isOrganRemoval": "Organ removal",
}


def age_band(age: Any) -> str:
    if age is None or pd.isna(age):
        return ""
    for low, high, label in AGE_BANDS:
        if low <= int(age) <= high:
            return label
    return ""


def person_rows(persons: pd.DataFrame, year: int) -> pd.DataFrame:
    """HTCDS fields for each person (before anonymisation); empty string = not known."""
    rows = []
    for person in persons.itertuples(index=False):
        purposes = set(person.purposes)
        row: dict[str, Any] = {
            "yearOfRegistration": year,
            "Datasource": "Case Management",
            "gender": GENDER.get(person.sex, ""),
            "ageBroad": age_band(person.age),
            "majorityStatus": MAJORITY.get(person.age_group, ""),
            "citizenship": "" if person.citizenship == "unknown" else person.citizenship,
            "CountryOfExploitation": "",
        }
        known = purposes - {"unknown"}
        types = []
        for field_name, codes in EXPLOITATION_FLAGS.items():
            hit = any(code in purposes for code in codes)
            row[field_name] = "" if not known else int(hit)
            if hit:
                types.append(LABEL[field_name])
        row["typeOfExploitConcatenated"] = ";".join(types)
        labour = "forced_labour" in purposes
        labour_types = []
        for field_name in LABOUR_FIELDS:
            hit = labour and LABOUR_TYPE.get(person.industry) == field_name
            row[field_name] = int(hit) if labour else ""
            if hit:
                labour_types.append(field_name.removeprefix("typeOfLabour"))
        row[BEGGING_FIELD] = int("begging" in purposes) if known else ""
        if "begging" in purposes:
            labour_types.append("Begging")
        row["typeOfLabourConcatenated"] = ";".join(labour_types)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))


@dataclass(frozen=True)
class HtcdsExport:
    data: pd.DataFrame
    result: dict[str, Any]
    check: dict[str, Any]

    def to_csv(self) -> bytes:
        buffer = io.StringIO()
        self.data.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        return buffer.getvalue().encode("utf-8")


def _hierarchies() -> list:
    minor = {label: ("Minor" if high < 18 else "Adult") for low, high, label in AGE_BANDS}
    return [
        category_hierarchy("gender"),
        category_hierarchy("ageBroad", [("majority", minor)]),
        category_hierarchy("majorityStatus"),
        citizenship_hierarchy("citizenship"),
        category_hierarchy("typeOfExploitConcatenated"),
        category_hierarchy("typeOfLabourConcatenated"),
    ]


def htcds_export(run: ReportRun, *, k: int = DEFAULT_K, max_removed: float = 0.05) -> HtcdsExport:
    """The k-anonymised HTCDS file of a run's persons; its k-anonymity is checked."""
    persons = pd.DataFrame(unpack(run.persons_blob))
    rows = person_rows(persons, run.year)
    anonymised = enforce_k_anonymity(rows, _hierarchies(), k=k, max_removed=max_removed)
    data = anonymised.data.reset_index(drop=True)
    # A generalised flag column would contradict its concatenation: blank the flags whose
    # concatenation was generalised away.
    levels = dict(anonymised.levels)
    if levels.get("typeOfExploitConcatenated") not in (None, "exact"):
        for field_name in EXPLOITATION_FLAGS:
            data[field_name] = ""
    if levels.get("typeOfLabourConcatenated") not in (None, "exact"):
        for field_name in (*LABOUR_FIELDS, BEGGING_FIELD):
            data[field_name] = ""
    check = check_k_anonymity(data, list(QUASI_IDENTIFIERS), k=k)
    if not check.satisfied:
        raise RuntimeError("the HTCDS export is not k-anonymous; nothing is released")
    return HtcdsExport(data=data, result=anonymised.to_dict(), check=check.to_dict())
