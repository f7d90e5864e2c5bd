"""Writing synthetic records into the registry in bulk (the demo and the benchmarks).

``case_register`` and the other services are the correct way to write one case: they check the
policy, lock the case counter and write a timeline entry and an audit event per step. Seeding
thousands of cases that way takes minutes, and even ``bulk_create`` spends most of its time building
model instances. This writer builds the same rows as plain values (sealed fields, blind-index
tokens, case numbers continuing ``CaseCounter``, age groups, purposes, the timeline the services
would have written) and inserts them with ``executemany`` on SQLite and ``COPY`` on PostgreSQL.
Values are prepared by each model field's own ``get_db_prep_save``, so sealing and date handling are
exactly those of the ORM. The whole seed is recorded as one audit event, which also marks the
database as holding demo data.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connection, models, transaction

from nmt.access.crypto import blind_index
from nmt.accounts.models import Agency, Municipality, Region, User
from nmt.audit.models import Action, AuditEvent
from nmt.audit.services import audit_record
from nmt.cases.models import (
    CaseCounter,
    Citizenship,
    Identification,
    IdentificationPurpose,
    IdentityDocument,
    Measure,
    Person,
    Referral,
    SearchToken,
    TimelineEntry,
)
from nmt.cases.services import identity_number_forms
from nmt.cases.validators import age_group_at
from nmt.demo.generator import TZ, ContactRecord, DemoData, IdentificationRecord, PersonRecord
from nmt.supportline.models import Contact

MARKER_TYPE = "demo_seed"
BATCH_SIZE = 2000

Progress = Callable[[str, int], None]
Row = dict[str, Any]


@dataclass
class SeedCounts:
    persons: int = 0
    identifications: int = 0
    measures: int = 0
    referrals: int = 0
    timeline: int = 0
    contacts: int = 0
    search_tokens: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def search_tokens_for(
    *, names: Sequence[str], aliases: Sequence[str], numbers: Sequence[str]
) -> list[str]:
    """The blind-index tokens a person is found under: the same as ``services._search_tokens``
    computes from saved rows (a test keeps the two in step)."""
    tokens: set[str] = set()
    for name in [*names, *aliases]:
        for word in name.replace("-", " ").split():
            tokens.add(blind_index(word, kind="name"))
    for number in numbers:
        for form in identity_number_forms(number):
            tokens.add(blind_index(form, kind="number"))
    return sorted(tokens)


class RowInserter:
    """Inserts rows given as ``{field name or attname: Python value}``, bypassing model instances.

    Fields left out get their model default. Rows that others refer to get their primary keys in
    advance (``reserve_ids``), so dependent rows can be built before anything is inserted.
    """

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"

    def reserve_ids(self, model: type[models.Model], count: int) -> list[int]:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite: writers are serialised (the seed holds the write lock), and ids inserted
            # explicitly move the AUTOINCREMENT sequence on.
            cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
            start = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            start = max(start, found[0] if found else 0)
        return list(range(start + 1, start + 1 + count))

    def insert(self, model: type[models.Model], rows: Sequence[Row]) -> None:
        if not rows:
            return
        given = set(rows[0])
        fields = [
            f
            for f in model._meta.concrete_fields
            if not (f.primary_key and f.name not in given and f.attname not in given)
        ]
        values = [tuple(self._value(f, row) for f in fields) for row in rows]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for value in values:
                        copy.write_row(value)
            else:
                marks = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, values)

    @staticmethod
    def _value(model_field: models.Field, row: Row) -> Any:
        if model_field.attname in row:
            value = row[model_field.attname]
        elif model_field.name in row:
            value = row[model_field.name]
        else:
            value = model_field.get_default()
        if isinstance(model_field, models.JSONField):
            return json.dumps(value)
        return model_field.get_db_prep_save(value, connection)


def _at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class BulkWriter:
    """Writes ``DemoData`` batches. Registrar keys of the records map to users in ``users``."""

    def __init__(
        self,
        *,
        users: Mapping[str, User],
        batch_size: int = BATCH_SIZE,
        progress: Progress | None = None,
    ):
        self.users = {key: user.pk for key, user in users.items()}
        self.user_agency = {key: user.agency_id for key, user in users.items()}
        self.batch_size = batch_size
        self.progress = progress or (lambda _stage, _n: None)
        self.rows = RowInserter()
        self.agencies = dict(Agency.objects.values_list("code", "pk"))
        self.agency_names = dict(Agency.objects.values_list("code", "name"))
        self.regions = dict(Region.objects.values_list("code", "pk"))
        self.municipalities = dict(Municipality.objects.values_list("code", "pk"))
        self.counters: dict[int, int] = dict(CaseCounter.objects.values_list("year", "last"))
        self.counts = SeedCounts()

    def write(self, data: DemoData) -> None:
        """Insert ``data``, batch by batch (each batch with all its dependent rows)."""
        contact_ids: dict[str, int] = {}
        for batch in _batches(data.contacts, self.batch_size):
            contact_ids.update(self._contacts(batch))
            self.progress("calls", len(batch))
        first_seen: dict[str, dt.date] = {}
        for case in data.identifications:
            seen = first_seen.get(case.person)
            if seen is None or case.identified_on < seen:
                first_seen[case.person] = case.identified_on
        person_ids: dict[str, int] = {}
        for batch in _batches(data.persons, self.batch_size):
            person_ids.update(self._persons(batch, first_seen))
            self.progress("persons", len(batch))
        persons = {person.key: person for person in data.persons}
        for batch in _batches(data.identifications, self.batch_size):
            self._identifications(batch, persons, person_ids, contact_ids)
            self.progress("cases", len(batch))

    def finish(self) -> None:
        """Leave the case counters where the seeded numbers end, so new cases continue them."""
        for year, last in sorted(self.counters.items()):
            CaseCounter.objects.update_or_create(year=year, defaults={"last": last})

    # ---------------------------------------------------------------- rows

    def _contacts(self, records: Sequence[ContactRecord]) -> dict[str, int]:
        ids = self.rows.reserve_ids(Contact, len(records))
        self.rows.insert(
            Contact,
            [
                {
                    "id": pk,
                    "occurred_at": record.occurred_at,
                    "duration_minutes": record.duration_minutes,
                    "caller_type": record.caller_type,
                    "region_id": self.regions.get(record.region),
                    "topic": record.topic,
                    "purposes": list(record.purposes),
                    "summary": record.summary,
                    "advice": record.advice,
                    "follow_up": record.follow_up,
                    "follow_up_due": record.follow_up_due,
                    "follow_up_done": record.follow_up_done,
                    "created_by_id": self.users["supportline"],
                    "created_at": record.occurred_at,
                }
                for pk, record in zip(ids, records, strict=True)
            ],
        )
        self.counts.contacts += len(records)
        return {record.key: pk for record, pk in zip(records, ids, strict=True)}

    def _persons(
        self, records: Sequence[PersonRecord], first_seen: Mapping[str, dt.date]
    ) -> dict[str, int]:
        ids = self.rows.reserve_ids(Person, len(records))
        persons, citizenships, documents, tokens = [], [], [], []
        for pk, record in zip(ids, records, strict=True):
            created = _at(first_seen.get(record.key, dt.date.today()))
            persons.append(
                {
                    "id": pk,
                    "given_name": record.given_name,
                    "family_name": record.family_name,
                    "aliases": "\n".join(record.aliases),
                    "birth_date": record.birth_date,
                    "birth_year": int(record.birth_date[:4]) if record.birth_date else None,
                    "sex": record.sex,
                    "languages": list(record.languages),
                    "protected_identity": record.protected_identity,
                    "address": record.address,
                    "whereabouts": record.whereabouts,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            for country in dict.fromkeys(record.citizenships):
                citizenships.append({"person_id": pk, "country": country})
            for document in record.documents:
                documents.append(
                    {
                        "person_id": pk,
                        "kind": document.kind,
                        "number": document.number,
                        "issuing_country": document.issuing_country,
                    }
                )
            for token in search_tokens_for(
                names=[record.given_name, record.family_name],
                aliases=record.aliases,
                numbers=[d.number for d in record.documents],
            ):
                tokens.append({"person_id": pk, "token": token})
        self.rows.insert(Person, persons)
        self.rows.insert(Citizenship, citizenships)
        self.rows.insert(IdentityDocument, documents)
        self.rows.insert(SearchToken, tokens)
        self.counts.persons += len(records)
        self.counts.search_tokens += len(tokens)
        return {record.key: pk for record, pk in zip(records, ids, strict=True)}

    def _case_number(self, day: dt.date) -> str:
        last = self.counters.get(day.year, 0) + 1
        self.counters[day.year] = last
        return f"NMT-{day.year}-{last:05d}"

    def _identifications(
        self,
        records: Sequence[IdentificationRecord],
        persons: Mapping[str, PersonRecord],
        person_ids: Mapping[str, int],
        contact_ids: Mapping[str, int],
    ) -> None:
        ids = self.rows.reserve_ids(Identification, len(records))
        cases, purposes = [], []
        for pk, record in zip(ids, records, strict=True):
            person = persons[record.person]
            created = _at(record.identified_on)
            cases.append(
                {
                    "id": pk,
                    "case_number": self._case_number(record.identified_on),
                    "person_id": person_ids[record.person],
                    "identified_on": record.identified_on,
                    "channel": record.channel,
                    "agency_id": self.agencies[record.agency],
                    "region_id": self.regions[record.region],
                    "municipality_id": self.municipalities.get(record.municipality),
                    "estimated_age": record.estimated_age,
                    "age_group": age_group_at(
                        record.identified_on,
                        birth_date=person.birth_date,
                        estimated_age=record.estimated_age,
                    ),
                    "offence": record.offence,
                    "exploitation_place": record.exploitation_place,
                    "industry": record.industry,
                    "indicators": list(record.indicators),
                    "status": record.status,
                    "closed_reason": record.closed_reason,
                    "closed_on": record.closed_on,
                    "registered_by_id": self.users[record.registrar],
                    "source_contact_id": contact_ids.get(record.contact),
                    "created_at": created,
                    "updated_at": _at(record.closed_on) if record.closed_on else created,
                }
            )
            for purpose in dict.fromkeys(record.purposes or ("unknown",)):
                purposes.append({"identification_id": pk, "purpose": purpose})
        self.rows.insert(Identification, cases)
        self.rows.insert(IdentificationPurpose, purposes)
        self.counts.identifications += len(records)
        self._measures_referrals_timeline(records, ids)

    def _measures_referrals_timeline(
        self, records: Sequence[IdentificationRecord], case_ids: list[int]
    ) -> None:
        measure_ids = iter(self.rows.reserve_ids(Measure, sum(len(r.measures) for r in records)))
        referral_ids = iter(self.rows.reserve_ids(Referral, sum(len(r.referrals) for r in records)))
        measures, referrals, timeline = [], [], []
        for record, case_id in zip(records, case_ids, strict=True):
            author = self.users[record.registrar]
            case_measures, case_referrals = [], []
            for m in record.measures:
                case_measures.append(
                    {
                        "id": next(measure_ids),
                        "identification_id": case_id,
                        "kind": m.kind,
                        "status": m.status,
                        "applied_on": m.applied_on,
                        "applied_by": m.applied_by,
                        "decided_on": m.decided_on,
                        "starts_on": m.starts_on,
                        "ends_on": m.ends_on,
                        "notes": m.notes,
                        "created_by_id": author,
                        "created_at": _at(m.created_on, 10),
                        "updated_at": _at(m.created_on, 10),
                    }
                )
            for r in record.referrals:
                case_referrals.append(
                    {
                        "id": next(referral_ids),
                        "identification_id": case_id,
                        "from_agency_id": self.user_agency[record.registrar],
                        "to_agency_id": self.agencies[r.to_agency],
                        "to_region_id": self.regions.get(r.to_region),
                        "legal_ground": r.legal_ground,
                        "legal_ground_detail": r.legal_ground_detail,
                        "consent": r.consent,
                        "message": r.message,
                        "status": r.status,
                        "decline_reason": r.decline_reason,
                        "created_by_id": author,
                        "created_at": _at(r.created_on, 11),
                        "responded_by_id": self.users.get(r.responder),
                        "responded_at": _at(r.responded_on, 13) if r.responded_on else None,
                        "closed_at": _at(r.closed_on, 15) if r.closed_on else None,
                    }
                )
            timeline += self._timeline(record, case_id, case_measures, case_referrals)
            measures += case_measures
            referrals += case_referrals
        self.rows.insert(Measure, measures)
        self.rows.insert(Referral, referrals)
        self.rows.insert(TimelineEntry, timeline)
        self.counts.measures += len(measures)
        self.counts.referrals += len(referrals)
        self.counts.timeline += len(timeline)

    def _timeline(
        self, record: IdentificationRecord, case_id: int, measures: list[Row], referrals: list[Row]
    ) -> list[Row]:
        """The entries the services would have written along the case's life."""
        author = self.users[record.registrar]

        def entry(at: dt.datetime, what: str, text: str = "", /, *, by: int = author, **data: Any):
            return {
                "identification_id": case_id,
                "kind": what,
                "text": text,
                "data": data,
                "created_by_id": by,
                "created_at": at,
            }

        day = record.identified_on
        entries = [entry(_at(day, 9), "status", status="open")]
        previous = "open"
        if record.status in {"support", "closed"} and record.closed_on != day:
            support_on = min(day + dt.timedelta(days=3), record.closed_on or dt.date.max)
            entries.append(
                entry(
                    _at(support_on, 9, 30), "status", status="support", previous="open", reason=""
                )
            )
            previous = "support"
        if record.status == "closed" and record.closed_on:
            entries.append(
                entry(
                    _at(record.closed_on, 16),
                    "status",
                    status="closed",
                    previous=previous,
                    reason=record.closed_reason,
                )
            )
        for note in record.notes:
            entries.append(entry(note.at, "note", note.text))
        for measure in measures:
            entries.append(
                entry(
                    measure["created_at"],
                    "measure",
                    measure=measure["id"],
                    measure_kind=measure["kind"],
                    status=measure["status"],
                    event="added",
                )
            )
        for source, referral in zip(record.referrals, referrals, strict=True):
            agency = self.agency_names[source.to_agency]
            steps = [(referral["created_at"], "created", "pending", author, "")]
            responder = self.users.get(source.responder, author)
            if source.responded_on:
                event = "declined" if source.status == "declined" else "accepted"
                text = source.decline_reason if event == "declined" else ""
                steps.append((_at(source.responded_on, 13), event, event, responder, text))
            if source.closed_on:
                steps.append((_at(source.closed_on, 15), "closed", "closed", responder, ""))
            for at, event, status, by, text in steps:
                entries.append(
                    entry(
                        at,
                        "referral",
                        text,
                        by=by,
                        referral=referral["id"],
                        event=event,
                        agency=agency,
                        status=status,
                    )
                )
        return entries


def demo_marker() -> AuditEvent | None:
    """The audit event of the last demo seed, if this database holds one."""
    return AuditEvent.objects.filter(object_type=MARKER_TYPE).order_by("-id").first()


def seed_demo_data(
    *,
    data: DemoData,
    users: Mapping[str, User],
    seed: int,
    today: dt.date,
    progress: Progress | None = None,
) -> SeedCounts:
    """Write the demo registry and its marker in one transaction: all of it or nothing."""
    with transaction.atomic():
        writer = BulkWriter(users=users, progress=progress)
        writer.write(data)
        writer.finish()
        audit_record(
            actor=None,
            action=Action.CREATE,
            object_type=MARKER_TYPE,
            object_id=seed,
            purpose="demo",
            details={"seed": seed, "today": today.isoformat(), **writer.counts.to_dict()},
        )
    return writer.counts
