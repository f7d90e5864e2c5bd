"""Reading a year's lists for the run: the registry's identifications as the coordinators', the
support line's and the other identifying actors' lists, and the imported agency lists.

The registry is read with one query per table (on PostgreSQL as ``COPY ... TO STDOUT``, parsed by
Arrow), never row by row through the ORM, and the records are formed with pandas.

Two frames come out:

* **facts**: one row per (list, registry person) with the statistical facts of that list's
  records of the person (see ``nmt.reports.yearly`` for how they combine into person facts);
* **identities**: the linkage records (``nmt.linkage`` list format), **one per registry
  person** (source ``registry``). The registry already knows that its records of one person
  are one human being, so they are not compared with each other: linkage looks only for
  registry persons who are the same human being (a duplicate registration, a spelling
  variant) and for imported records of them. Each person's sealed fields are opened once, in
  memory, handed to ``nmt.linkage`` and never written anywhere; identity documents other than
  the person's first are not opened at all.

What the run keeps is pseudonymous: the registry's person id or the agency's record id, and the
statistical facts of each record.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.db import connection

from nmt.cases.models import IdentityDocument, Person
from nmt.cases.validators import age_group_at
from nmt.linkage.lists import RECORD_COLUMNS
from nmt.linkage.standardise import PURPOSES, parse_id_number
from nmt.reports.models import AgencyList, AgencyListRecord
from nmt.reports.yearly import (
    CHANNEL_SOURCE,
    FACT_COLUMNS,
    MEASURES,
    OTHER_SOURCE,
    REGISTRY,
    bits_to_codes,
)
from nmt.supportline.models import CallerType, Contact, Topic

SEX_CODE = {"female": "f", "male": "m", "other": "x"}
SEX_FROM_CODE = {"f": "female", "m": "male", "x": "other"}
APPLIED = {"applied", "granted", "refused", "active", "ended"}
GRANTED = {"granted", "active", "ended"}
MEASURE_NAME = {"reflection_period": "reflection", "temporary_residence_permit": "permit"}
PURPOSE_BIT = {p: 1 << i for i, p in enumerate(PURPOSES)}
MEASURE_BIT = {m: 1 << i for i, m in enumerate(MEASURES)}
FORCED_LABOUR = PURPOSE_BIT["forced_labour"]


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


# ------------------------------------------------------------------------------ reading SQL


def _frame(
    sql: str, params: list[Any], columns: list[str], ints: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The rows of one query as a frame of strings and numbers (NULL as missing).

    On PostgreSQL the rows come as ``COPY (query) TO STDOUT`` in CSV and are parsed by Arrow:
    several times faster than fetching a million tuples. Elsewhere (SQLite) ``fetchall``."""
    if connection.vendor == "postgresql":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        connection.ensure_connection()
        raw = connection.connection.cursor()
        buffer = io.BytesIO()
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            while chunk := copy.read():
                buffer.write(chunk)
        raw.close()
        if not buffer.getbuffer().nbytes:
            return pd.DataFrame(
                {c: pd.Series(dtype=np.int64 if c in ints else object) for c in columns}
            )
        buffer.seek(0)
        table = pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(column_names=columns),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.int64() if c in ints else pa.string() for c in columns},
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
        return pd.DataFrame(
            {c: table.column(c).to_numpy(zero_copy_only=False) for c in columns}, columns=columns
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame(
        {
            c: np.array(column, dtype=np.int64)
            if c in ints
            else np.array([None if v is None else str(v) for v in column], dtype=object)
            for c, column in zip(columns, values, strict=True)
        },
        columns=columns,
    )


def _opener(model: type, field_name: str):
    """Opens one sealed field's values: the values ``from_db_value`` of the field would give,
    through ``nmt.access.crypto.sealed_opener`` (each key's cipher made once). ``tests/reports``
    checks it gives what the ORM gives."""
    from nmt.access.crypto import sealed_opener

    open_one = sealed_opener(context=model._meta.get_field(field_name)._context)

    def open_values(values: pd.Series) -> np.ndarray:
        out = np.empty(len(values), dtype=object)
        for i, value in enumerate(values.to_numpy(dtype=object)):
            out[i] = (open_one(value) or None) if isinstance(value, str) and value else None
        return out

    return open_values


_CASES = """
    SELECT i.id, i.person_id, i.channel, CAST(i.identified_on AS TEXT), i.age_group,
           i.estimated_age, i.industry, r.code, r.name
    FROM cases_identification i JOIN accounts_region r ON r.id = i.region_id
    WHERE i.identified_on BETWEEN %s AND %s
"""
_IN_YEAR = "SELECT id FROM cases_identification WHERE identified_on BETWEEN %s AND %s"
_PERSONS_IN_YEAR = (
    "SELECT DISTINCT person_id FROM cases_identification WHERE identified_on BETWEEN %s AND %s"
)


@dataclass
class RegistryRows:
    """The registry's rows of a year as read (sealed fields still sealed)."""

    cases: pd.DataFrame
    people: pd.DataFrame
    citizenship: pd.Series
    documents: pd.Series


def read_registry(year: int) -> RegistryRows:
    """One query per table for the identifications of ``year``, their purposes and measures,
    and their persons' rows, citizenships and identity documents."""
    start, end = year_bounds(year)
    bounds = [start, end]
    cases = _frame(
        _CASES,
        bounds,
        ["id", "person", "channel", "on", "age_group", "est_age", "industry", "rcode", "rname"],
        ints=("id", "person"),
    )
    cases = cases.sort_values(["on", "id"], kind="stable").reset_index(drop=True)
    cases["order"] = np.arange(len(cases))
    case_index = pd.Index(cases["id"])
    purposes = _frame(
        "SELECT identification_id, purpose FROM cases_identificationpurpose "  # noqa: S608
        f"WHERE identification_id IN ({_IN_YEAR})",
        bounds,
        ["case", "purpose"],
        ints=("case",),
    )
    cases["purpose_bits"] = _or_per_case(
        case_index, purposes["case"], purposes["purpose"].map(PURPOSE_BIT).fillna(0)
    )
    measures = _frame(
        "SELECT identification_id, kind, status, CASE WHEN applied_on IS NULL THEN 0 ELSE 1 END "  # noqa: S608
        "FROM cases_measure WHERE kind IN ('reflection_period', 'temporary_residence_permit') "
        f"AND identification_id IN ({_IN_YEAR})",
        bounds,
        ["case", "kind", "status", "applied"],
        ints=("case",),
    )
    name = measures["kind"].map(MEASURE_NAME)
    applied = measures["status"].isin(APPLIED).to_numpy() | (measures["applied"] == "1").to_numpy()
    granted = measures["status"].isin(GRANTED).to_numpy()
    measure_bits = np.where(applied, (name + "_applied").map(MEASURE_BIT).fillna(0), 0)
    measure_bits = measure_bits + np.where(
        granted, (name + "_granted").map(MEASURE_BIT).fillna(0), 0
    )
    cases["measure_bits"] = _or_per_case(case_index, measures["case"], measure_bits)
    people = _frame(
        "SELECT id, given_name, family_name, aliases, birth_date, birth_year, sex "  # noqa: S608
        f"FROM cases_person WHERE id IN ({_PERSONS_IN_YEAR})",
        bounds,
        ["person", "given_name", "family_name", "aliases", "birth_date", "birth_year", "sex"],
        ints=("person",),
    )
    # Each person's first citizenship and first identity document (tables and columns are
    # constants, never input).
    citizenship, documents = (
        _first_per_person(
            _frame(
                f"SELECT id, person_id, {column} FROM {table} "  # noqa: S608
                f"WHERE person_id IN ({_PERSONS_IN_YEAR})",
                bounds,
                ["id", "person", column],
                ints=("id", "person"),
            ),
            column,
        )
        for table, column in (
            ("cases_citizenship", "country"),
            ("cases_identitydocument", "number"),
        )
    )
    return RegistryRows(cases, people.set_index("person"), citizenship, documents)


def registry_lists(rows: RegistryRows) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The registry's linkage records (one per registry person, sealed fields opened) and
    facts (one per list and registry person)."""
    if not len(rows.cases):
        empty = _linkage_frame(pd.DataFrame())
        empty["registry_person"] = pd.Series(dtype=np.int64)
        return empty, pd.DataFrame(columns=list(FACT_COLUMNS))
    facts = _registry_facts(rows.cases, rows.people, rows.citizenship)
    linkage = _registry_identities(rows.cases, rows.people, rows.citizenship, rows.documents)
    return linkage, facts


def registry_records(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The registry's year: linkage records (one per registry person) and facts (one per list
    and registry person), as described in the module."""
    return registry_lists(read_registry(year))


def _or_per_case(cases: pd.Index, case_ids: pd.Series, bits: Any) -> np.ndarray:
    out = np.zeros(len(cases), dtype=np.int64)
    if len(case_ids):
        where = cases.get_indexer(case_ids.to_numpy(dtype=np.int64))
        np.bitwise_or.at(out, where[where >= 0], np.asarray(bits, dtype=np.int64)[where >= 0])
    return out


def _first_per_person(frame: pd.DataFrame, column: str) -> pd.Series:
    """The value of the row with the smallest id, per person."""
    if not len(frame):
        return pd.Series(dtype=object)
    first = frame.sort_values("id").drop_duplicates("person")
    return pd.Series(first[column].to_numpy(dtype=object), index=first["person"].to_numpy())


def _first_known(frame: pd.DataFrame, group: str, column: str, known: np.ndarray) -> pd.Series:
    """Per group (rows in order), the first value where ``known``; groups without one absent."""
    rows = frame.loc[known, [group, column]].drop_duplicates(group)
    return pd.Series(rows[column].to_numpy(dtype=object), index=rows[group].to_numpy())


def _registry_facts(
    cases: pd.DataFrame, people: pd.DataFrame, citizenship: pd.Series
) -> pd.DataFrame:
    """One row per (list, registry person): the first case of the person on the list gives
    date, order, region and (with the person) sex, age and citizenship; the age group is the
    first known one; purposes and measures are those of all the cases; the industry is the
    first recorded on a forced-labour case."""
    cases = cases.assign(source=cases["channel"].map(CHANNEL_SOURCE).fillna(OTHER_SOURCE))
    key = cases["source"] + ":" + cases["person"].astype(str)
    cases["key"] = key
    group_index, keys = pd.factorize(key)
    n = len(keys)
    purpose_bits = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(purpose_bits, group_index, cases["purpose_bits"].to_numpy())
    measure_bits = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(measure_bits, group_index, cases["measure_bits"].to_numpy())
    first = cases.drop_duplicates("key")  # in the cases' order: the list's first case
    age_known = _first_known(cases, "key", "age_group", (cases["age_group"] != "unknown").values)
    labour = (cases["purpose_bits"].to_numpy() & FORCED_LABOUR) > 0
    industry = _first_known(
        cases, "key", "industry", labour & cases["industry"].fillna("").ne("").to_numpy()
    )
    person = first["person"].to_numpy()
    birth_year = pd.to_numeric(people["birth_year"].reindex(person)).to_numpy(dtype=float)
    on_year = first["on"].str[:4].astype(int).to_numpy()
    est_age = pd.to_numeric(first["est_age"]).to_numpy(dtype=float)
    age = np.where(np.isnan(est_age), on_year - birth_year, est_age)
    facts = pd.DataFrame(
        {
            "source": first["source"].to_numpy(dtype=object),
            "record_id": ("R" + first["person"].astype(str)).to_numpy(dtype=object),
            "registry_person": person,
            "first_date": first["on"].to_numpy(dtype=object),
            "order": first["order"].to_numpy(),
            "sex": people["sex"].reindex(person).fillna("unknown").to_numpy(dtype=object),
            "age_group": age_known.reindex(first["key"].to_numpy())
            .fillna("unknown")
            .to_numpy(dtype=object),
            "age": pd.array(age, dtype="Int64"),
            "purposes": bits_to_codes(purpose_bits, PURPOSES),
            "citizenship": citizenship.reindex(person).fillna("").to_numpy(dtype=object),
            "region": first["rcode"].to_numpy(dtype=object),
            "industry": industry.reindex(first["key"].to_numpy()).fillna("").to_numpy(dtype=object),
            "measures": bits_to_codes(measure_bits, MEASURES),
        },
        columns=list(FACT_COLUMNS),
    )
    return facts


def _registry_identities(
    cases: pd.DataFrame, people: pd.DataFrame, citizenship: pd.Series, documents: pd.Series
) -> pd.DataFrame:
    """One linkage record per registry person, from the person and the first case of the year
    (its date, age, region) with every purpose of the year's cases."""
    first = cases.drop_duplicates("person")
    person = first["person"].to_numpy()
    purpose_bits = np.zeros(len(first), dtype=np.int64)
    where = pd.Index(person).get_indexer(cases["person"].to_numpy())
    np.bitwise_or.at(purpose_bits, where, cases["purpose_bits"].to_numpy())
    known = bits_to_codes(purpose_bits & ~PURPOSE_BIT["unknown"], PURPOSES)
    sealed = people.reindex(person)
    id_number, id_type = [], []
    opened = _opener(IdentityDocument, "number")(documents.reindex(person))
    today = dt.date.today()
    for number in opened:
        value, kind = None, None
        if number:
            try:
                parsed = parse_id_number(number, today=today)
                value, kind = parsed.value, parsed.kind
            except ValueError:
                pass
        id_number.append(value)
        id_type.append(kind)
    aliases = _opener(Person, "aliases")(sealed["aliases"])
    frame = pd.DataFrame(
        {
            "source": REGISTRY,
            "record_id": ("R" + first["person"].astype(str)).to_numpy(dtype=object),
            "line": first["order"].to_numpy() + 1,
            "given_name": _opener(Person, "given_name")(sealed["given_name"]),
            "family_name": _opener(Person, "family_name")(sealed["family_name"]),
            "aliases": [
                (";".join(a for a in v.splitlines() if a.strip()) or None) if v else None
                for v in aliases
            ],
            "birth_date": _opener(Person, "birth_date")(sealed["birth_date"]),
            "age": pd.to_numeric(first["est_age"]).to_numpy(dtype=float),
            "sex": sealed["sex"].map(SEX_CODE).to_numpy(dtype=object),
            "citizenship": citizenship.reindex(person).to_numpy(dtype=object),
            "identification_date": first["on"].to_numpy(dtype=object),
            "purposes": [";".join(p) or None for p in known],
            "region": first["rname"].to_numpy(dtype=object),
            "id_number": id_number,
            "id_type": id_type,
        }
    )
    out = _linkage_frame(frame)
    out["registry_person"] = person
    return out


def _linkage_frame(rows: pd.DataFrame | list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(RECORD_COLUMNS))
    frame["age"] = pd.array(
        [None if v is None or pd.isna(v) else int(v) for v in frame["age"]], dtype="Int64"
    )
    frame = frame.astype({c: "object" for c in RECORD_COLUMNS if c not in {"line", "age"}})
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].where(frame[column].notna(), None)
    return frame


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
