"""Reading a year's lists for the run: the registry's identifications as the coordinators', the
support line's and the other identifying actors' lists, and the imported agency lists.

The linkage records carry names and birth dates: sealed fields are opened by the ORM in memory,
handed to ``nmt.linkage`` and never written anywhere. What the run keeps is pseudonymous: the
registry's person id or the agency's record id, and the statistical facts of each record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Q

from nmt.cases.models import (
    Citizenship,
    Identification,
    IdentificationPurpose,
    IdentityDocument,
    Measure,
    Person,
)
from nmt.cases.validators import age_group_at
from nmt.linkage.lists import RECORD_COLUMNS
from nmt.linkage.standardise import parse_id_number
from nmt.reports.models import AgencyList, AgencyListRecord
from nmt.reports.yearly import CHANNEL_SOURCE, FACT_COLUMNS, OTHER_SOURCE
from nmt.supportline.models import CallerType, Contact, Topic

SEX_CODE = {"female": "f", "male": "m", "other": "x"}
SEX_FROM_CODE = {"f": "female", "m": "male", "x": "other"}
APPLIED = {"applied", "granted", "refused", "active", "ended"}
GRANTED = {"granted", "active", "ended"}
MEASURE_NAME = {"reflection_period": "reflection", "temporary_residence_permit": "permit"}


@dataclass
class YearLists:
    """Linkage records (``nmt.linkage`` list format) and facts, one row per record."""

    linkage: pd.DataFrame
    facts: pd.DataFrame
    inputs: list[dict[str, Any]]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def measure_categories(kind: str, status: str, applied_on: dt.date | None) -> set[str]:
    name = MEASURE_NAME.get(kind)
    if name is None:
        return set()
    out = set()
    if status in APPLIED or applied_on is not None:
        out.add(f"{name}_applied")
    if status in GRANTED:
        out.add(f"{name}_granted")
    return out


def registry_records(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One record per (list, registry person) for identifications in ``year``."""
    start, end = year_bounds(year)
    cases = list(
        Identification.objects.filter(identified_on__range=(start, end))
        .order_by("identified_on", "id")
        .values_list(
            "id",
            "person_id",
            "channel",
            "identified_on",
            "age_group",
            "estimated_age",
            "industry",
            "region__code",
            "region__name",
        )
    )
    case_ids = Q(identification__identified_on__range=(start, end))
    purposes: dict[int, list[str]] = defaultdict(list)
    for case_id, purpose in IdentificationPurpose.objects.filter(case_ids).values_list(
        "identification_id", "purpose"
    ):
        purposes[case_id].append(purpose)
    measures: dict[int, set[str]] = defaultdict(set)
    for case_id, kind, status, applied_on in Measure.objects.filter(
        case_ids, kind__in=list(MEASURE_NAME)
    ).values_list("identification_id", "kind", "status", "applied_on"):
        measures[case_id] |= measure_categories(kind, status, applied_on)
    in_year = Q(identifications__identified_on__range=(start, end))
    people = {
        row[0]: row
        for row in Person.objects.filter(in_year)
        .distinct()
        .values_list(
            "id", "given_name", "family_name", "aliases", "birth_date", "birth_year", "sex"
        )
    }
    person_filter = Q(person__identifications__identified_on__range=(start, end))
    citizenship: dict[int, str] = {}
    for person_id, country in (
        Citizenship.objects.filter(person_filter).order_by("id").values_list("person_id", "country")
    ):
        citizenship.setdefault(person_id, country)
    documents: dict[int, str] = {}
    for person_id, number in (
        IdentityDocument.objects.filter(person_filter)
        .order_by("id")
        .values_list("person_id", "number")
    ):
        documents.setdefault(person_id, number)

    linkage: dict[tuple[str, int], dict[str, Any]] = {}
    facts: dict[tuple[str, int], dict[str, Any]] = {}
    for order, (
        case_id,
        person_id,
        channel,
        on,
        age_group,
        est_age,
        industry,
        rcode,
        rname,
    ) in enumerate(cases):
        source = CHANNEL_SOURCE.get(channel, OTHER_SOURCE)
        key = (source, person_id)
        case_purposes = tuple(purposes.get(case_id, ()))
        if key in facts:
            fact = facts[key]
            fact["purposes"] = tuple(dict.fromkeys((*fact["purposes"], *case_purposes)))
            fact["measures"] = tuple(sorted({*fact["measures"], *measures.get(case_id, ())}))
            if fact["age_group"] == "unknown":
                fact["age_group"] = age_group
            if not fact["industry"] and "forced_labour" in case_purposes:
                fact["industry"] = industry
            continue
        _pid, given, family, aliases, birth_date, birth_year, sex = people[person_id]
        age = est_age
        if age is None and birth_year:
            age = on.year - birth_year
        facts[key] = {
            "source": source,
            "record_id": f"R{person_id}",
            "registry_person": person_id,
            "first_date": on.isoformat(),
            "order": order,
            "sex": sex,
            "age_group": age_group,
            "age": age,
            "purposes": case_purposes,
            "citizenship": citizenship.get(person_id, ""),
            "region": rcode,
            "industry": industry if "forced_labour" in case_purposes else "",
            "measures": tuple(sorted(measures.get(case_id, ()))),
        }
        id_number, id_type = None, None
        if person_id in documents:
            try:
                parsed = parse_id_number(documents[person_id], today=dt.date.today())
                id_number, id_type = parsed.value, parsed.kind
            except ValueError:
                pass
        linkage[key] = {
            "source": source,
            "record_id": f"R{person_id}",
            "line": order + 1,
            "given_name": given or None,
            "family_name": family or None,
            "aliases": ";".join(a for a in aliases.splitlines() if a.strip()) or None,
            "birth_date": birth_date or None,
            "age": est_age,
            "sex": SEX_CODE.get(sex),
            "citizenship": citizenship.get(person_id) or None,
            "identification_date": on.isoformat(),
            "purposes": ";".join(p for p in case_purposes if p != "unknown") or None,
            "region": rname,
            "id_number": id_number,
            "id_type": id_type,
        }
    return _linkage_frame(list(linkage.values())), pd.DataFrame(
        list(facts.values()), columns=list(FACT_COLUMNS)
    )


def _linkage_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    frame["age"] = pd.array(
        [None if v is None or pd.isna(v) else int(v) for v in frame["age"]], dtype="Int64"
    )
    return frame.astype({c: "object" for c in RECORD_COLUMNS if c not in {"line", "age"}})


def lists_for_year(year: int) -> list[AgencyList]:
    start, end = year_bounds(year)
    return list(
        AgencyList.objects.filter(period_start__lte=end, period_end__gte=start).order_by(
            "source", "id"
        )
    )


def region_codes_by_name() -> dict[str, str]:
    from nmt.accounts.models import Region

    out = {}
    for code, name in Region.objects.values_list("code", "name"):
        out[code.casefold()] = code
        out[name.casefold()] = code
    return out


def imported_records(
    agency_lists: list[AgencyList], year: int, order_from: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Records of the imported lists identified in ``year`` (records without a date count for
    the list's period)."""
    regions = region_codes_by_name()
    linkage, facts = [], []
    order = order_from
    for agency_list in agency_lists:
        rows = AgencyListRecord.objects.filter(agency_list=agency_list).order_by("id")
        for row in rows.iterator(chunk_size=2000):
            date = row.identification_date
            if date and int(date[:4]) != year:
                continue
            identity = json.loads(row.identity) if row.identity else {}
            purposes = tuple(p for p in row.purposes.split(";") if p)
            on = date or agency_list.period_start.isoformat()
            age_group = "unknown"
            if row.age is not None:
                age_group = "adult" if row.age >= 18 else "child"
            elif identity.get("birth_date") and date and len(date) == 10:
                age_group = age_group_at(
                    dt.date.fromisoformat(date), birth_date=identity["birth_date"]
                )
            order += 1
            facts.append(
                {
                    "source": agency_list.source,
                    "record_id": row.record_id,
                    "registry_person": None,
                    "first_date": on if len(on) == 10 else f"{on[:4]}-12-31",
                    "order": order,
                    "sex": SEX_FROM_CODE.get(row.sex, "unknown"),
                    "age_group": age_group,
                    "age": row.age,
                    "purposes": purposes,
                    "citizenship": row.citizenship,
                    "region": regions.get(row.region.casefold(), "") if row.region else "",
                    "industry": "",
                    "measures": (),
                }
            )
            linkage.append(
                {
                    "source": agency_list.source,
                    "record_id": row.record_id,
                    "line": order,
                    "given_name": identity.get("given_name"),
                    "family_name": identity.get("family_name"),
                    "aliases": identity.get("aliases"),
                    "birth_date": identity.get("birth_date"),
                    "age": row.age,
                    "sex": row.sex or None,
                    "citizenship": row.citizenship or None,
                    "identification_date": date or None,
                    "purposes": row.purposes or None,
                    "region": row.region or None,
                    "id_number": identity.get("id_number"),
                    "id_type": identity.get("id_type"),
                }
            )
    return _linkage_frame(linkage), pd.DataFrame(facts, columns=list(FACT_COLUMNS))


def contacts_for_year(year: int) -> pd.DataFrame:
    """Support-line calls of the year: one row per call (the unit of the calls table)."""
    start, end = year_bounds(year)
    rows = Contact.objects.filter(occurred_at__date__range=(start, end)).values_list(
        "id", "caller_type", "topic"
    )
    return pd.DataFrame(list(rows), columns=["call", "caller_type", "topic"]).assign(
        call=lambda f: "C" + f["call"].astype(str)
    )


CALLER_TYPES = tuple(CallerType.values)
TOPICS = tuple(Topic.values)
