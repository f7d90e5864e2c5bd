"""Writes to the registry. Each service checks the policy, validates, writes, adds the case timeline
entry and the audit event, all in one transaction: nothing is ever half-saved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nmt.access.crypto import blind_index
from nmt.access.policies import case_policy
from nmt.accounts.models import Agency, Municipality, Region, Role, User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.cases import codes
from nmt.cases.concurrency import audit_object_type, lock_at_version
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
from nmt.cases.validators import age_group_at, normalise_swedish_number, parse_partial_date
from nmt.countries import normalise_country

REFLECTION_PERIOD_DAYS = 30  # Aliens Act (utlänningslagen) 5 kap. 15 § second paragraph
RESIDENCE_PERMIT_MIN_MONTHS = 6  # Aliens Act 5 kap. 15 § first paragraph

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "aliases",
    "birth_date",
    "sex",
    "languages",
    "protected_identity",
    "address",
    "whereabouts",
)
CASE_FIELDS = (
    "identified_on",
    "channel",
    "region",
    "municipality",
    "estimated_age",
    "offence",
    "exploitation_place",
    "industry",
    "indicators",
)


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    number: str
    issuing_country: str = ""


@dataclass
class PersonInput:
    given_name: str = ""
    family_name: str = ""
    aliases: str = ""
    birth_date: str = ""
    sex: str = codes.Sex.UNKNOWN
    citizenships: Sequence[str] = ()
    languages: Sequence[str] = ()
    protected_identity: bool = False
    address: str = ""
    whereabouts: str = ""
    documents: Sequence[DocumentInput] = field(default_factory=tuple)


# ---------------------------------------------------------------- validation


def _validate_person(data: PersonInput) -> tuple[PersonInput, list[DocumentInput]]:
    errors: dict[str, list[str]] = {}
    if data.birth_date:
        try:
            parse_partial_date(data.birth_date)
        except ValidationError as exc:
            errors["birth_date"] = exc.messages
    if data.sex not in codes.Sex.values:
        errors["sex"] = [_("Unknown value.")]
    citizenships = []
    for value in data.citizenships:
        code = normalise_country(value)
        if code is None:
            errors.setdefault("citizenships", []).append(
                _("%(value)s is not a country code (ISO 3166).") % {"value": value}
            )
        elif code not in citizenships:
            citizenships.append(code)
    documents = []
    for index, document in enumerate(data.documents):
        try:
            documents.append(_validate_document(document))
        except ValidationError as exc:
            errors[f"documents.{index}.number"] = exc.messages
    if errors:
        raise ValidationError(errors)
    data.citizenships = citizenships
    return data, documents


def _validate_document(document: DocumentInput) -> DocumentInput:
    if document.kind not in codes.DocumentKind.values:
        raise ValidationError(_("Unknown kind of document."))
    number = document.number.strip()
    if not number:
        raise ValidationError(_("Give the number of the document."))
    if document.kind == codes.DocumentKind.PERSONAL_IDENTITY_NUMBER:
        number = normalise_swedish_number(number, coordination=False)
    elif document.kind == codes.DocumentKind.COORDINATION_NUMBER:
        number = normalise_swedish_number(number, coordination=True)
    country = ""
    if document.issuing_country:
        country = normalise_country(document.issuing_country) or ""
        if not country:
            raise ValidationError(_("The issuing country is not an ISO 3166 country."))
    return DocumentInput(kind=document.kind, number=number, issuing_country=country)


EARLIEST_DATE = dt.date(1980, 1, 1)
LATEST_MEASURE_DATE = dt.date(2100, 12, 31)


def _validate_case(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    identified_on = values.get("identified_on")
    if identified_on is not None and identified_on > timezone.localdate():
        errors["identified_on"] = [_("The date is in the future.")]
    elif identified_on is not None and identified_on < EARLIEST_DATE:
        errors["identified_on"] = [_("The date is implausibly early.")]
    purposes = values.get("purposes")
    if purposes is not None:
        unknown = [p for p in purposes if p not in codes.Purpose.values]
        if unknown:
            errors["purposes"] = [_("Unknown purpose: %(p)s") % {"p": ", ".join(unknown)}]
    indicators = values.get("indicators")
    if indicators is not None and any(i not in codes.Indicator.values for i in indicators):
        errors["indicators"] = [_("Unknown indicator.")]
    municipality = values.get("municipality")
    region = values.get("region")
    if (
        municipality is not None
        and region is not None
        and municipality.county.region_id != region.pk
    ):
        errors["municipality"] = [_("The municipality is not in the chosen region.")]
    industry = values.get("industry")
    if industry and industry not in codes.Industry.values:
        errors["industry"] = [_("Unknown value.")]
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- persons


def _search_tokens(person: Person) -> set[str]:
    tokens = set()
    names = [person.given_name, person.family_name, *person.aliases.splitlines()]
    for name in names:
        for word in name.replace("-", " ").split():
            tokens.add(blind_index(word, kind="name"))
    for document in person.documents.all():
        for form in identity_number_forms(document.number):
            tokens.add(blind_index(form, kind="number"))
    return tokens


def identity_number_forms(number: str) -> list[str]:
    """The forms a number is found under: compact, and also 10 digits for Swedish numbers."""
    compact = "".join(c for c in number.upper() if c.isalnum())
    forms = [compact]
    if len(compact) == 12 and compact.isdigit():
        forms.append(compact[2:])
    return forms


def reindex_person(person: Person) -> None:
    """Rebuild the person's blind-index tokens (after a change, or a blind-index key rotation)."""
    SearchToken.objects.filter(person=person).delete()
    SearchToken.objects.bulk_create(
        [SearchToken(person=person, token=token) for token in sorted(_search_tokens(person))]
    )


def _write_person(person: Person, data: PersonInput, documents: list[DocumentInput]) -> None:
    for name in PERSON_FIELDS:
        setattr(person, name, getattr(data, name))
    person.languages = list(data.languages)
    person.birth_year = parse_partial_date(data.birth_date)[0] if data.birth_date else None
    person.save()
    Citizenship.objects.filter(person=person).delete()
    Citizenship.objects.bulk_create(
        [Citizenship(person=person, country=code) for code in data.citizenships]
    )
    IdentityDocument.objects.filter(person=person).delete()
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                person=person, kind=d.kind, number=d.number, issuing_country=d.issuing_country
            )
            for d in documents
        ]
    )
    reindex_person(person)


def _next_case_number(year: int) -> str:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"NMT-{year}-{counter.last:05d}"


def _timeline(
    case: Identification, actor: User, kind: str, text: str = "", **data: Any
) -> TimelineEntry:
    return TimelineEntry.objects.create(
        identification=case, kind=kind, text=text, data=data, created_by=actor
    )


def _set_purposes(case: Identification, purposes: Iterable[str]) -> None:
    wanted = list(dict.fromkeys(purposes)) or [codes.Purpose.UNKNOWN]
    IdentificationPurpose.objects.filter(identification=case).delete()
    IdentificationPurpose.objects.bulk_create(
        [IdentificationPurpose(identification=case, purpose=p) for p in wanted]
    )


def _age_group(case: Identification, person: Person) -> str:
    return age_group_at(
        case.identified_on, birth_date=person.birth_date, estimated_age=case.estimated_age
    )


@transaction.atomic
def case_register(
    *,
    actor: User,
    channel: str,
    identified_on: dt.date,
    region: Region,
    person: PersonInput | None = None,
    existing_person: Person | None = None,
    municipality: Municipality | None = None,
    estimated_age: int | None = None,
    purposes: Sequence[str] = (),
    offence: str = codes.Offence.UNKNOWN,
    exploitation_place: str = codes.ExploitationPlace.UNKNOWN,
    industry: str = "",
    indicators: Sequence[str] = (),
    note: str = "",
    source_contact: Any = None,
) -> Identification:
    """Register a suspected victim: a new person (or one already known) and an identification.

    Only the channel, the date and the region are required; everything else may be unknown.
    ``existing_person`` adds a further identification to a person the actor can already see.
    """
    if not case_policy.can_register(actor):
        raise PermissionDenied
    if channel not in codes.Channel.values:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    if actor.role == Role.COORDINATOR and region.pk != actor.region_id:
        raise ValidationError(
            {"region": [_("Register cases of your own region; refer others to their region.")]}
        )
    values = {
        "identified_on": identified_on,
        "purposes": purposes,
        "indicators": indicators,
        "municipality": municipality,
        "region": region,
        "industry": industry,
    }
    _validate_case(values)
    if existing_person is None:
        person_data, documents = _validate_person(person or PersonInput())
        target = Person()
        _write_person(target, person_data, documents)
    else:
        target = existing_person
    case = Identification(
        case_number=_next_case_number(identified_on.year),
        person=target,
        identified_on=identified_on,
        channel=channel,
        agency_id=actor.agency_id,
        region=region,
        municipality=municipality,
        estimated_age=estimated_age,
        offence=offence,
        exploitation_place=exploitation_place,
        industry=industry,
        indicators=list(indicators),
        registered_by=actor,
        source_contact=source_contact,
    )
    case.age_group = _age_group(case, target)
    case.save()
    _set_purposes(case, purposes)
    _timeline(case, actor, codes.TimelineKind.STATUS, status=codes.CaseStatus.OPEN)
    if note:
        _timeline(case, actor, codes.TimelineKind.NOTE, note)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="identification",
        object_id=case.pk,
        details={"case_number": case.case_number, "person": target.pk},
    )
    return case


def _changed(obj: Any, values: dict[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        current = getattr(obj, name)
        if isinstance(value, (list, tuple)):
            if list(current) != list(value):
                changed.append(name)
        elif current != value:
            changed.append(name)
    return changed


@transaction.atomic
def person_update(
    *, actor: User, case: Identification, expected_version: int, data: PersonInput
) -> Person:
    """Change the identity of the person of ``case`` (an owner of the case only)."""
    if not case_policy.can_edit(actor, case):
        raise PermissionDenied
    person = lock_at_version(Person, case.person_id, expected_version)
    data, documents = _validate_person(data)
    before = {name: getattr(person, name) for name in PERSON_FIELDS}
    before["citizenships"] = sorted(person.citizenships.values_list("country", flat=True))
    before["documents"] = sorted(
        (d.kind, d.number, d.issuing_country) for d in person.documents.all()
    )
    after = {name: getattr(data, name) for name in PERSON_FIELDS}
    after["languages"] = list(data.languages)
    after["citizenships"] = sorted(data.citizenships)
    after["documents"] = sorted((d.kind, d.number, d.issuing_country) for d in documents)
    changed = [name for name in after if before[name] != after[name]]
    if not changed:
        return person
    person.version += 1
    _write_person(person, data, documents)
    for other in person.identifications.all():
        group = _age_group(other, person)
        if group != other.age_group:
            Identification.objects.filter(pk=other.pk).update(age_group=group)
    _timeline(case, actor, codes.TimelineKind.CHANGE, fields=changed, object="person")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type=audit_object_type(Person),
        object_id=person.pk,
        details={"version": person.version, "fields": changed},
    )
    return person


@transaction.atomic
def case_update(
    *, actor: User, case: Identification, expected_version: int, **values: Any
) -> Identification:
    """Change the identification's details (not its status: see ``case_set_status``)."""
    if not case_policy.can_edit(actor, case):
        raise PermissionDenied
    unknown = set(values) - set(CASE_FIELDS) - {"purposes"}
    if unknown:
        raise TypeError(f"case_update got unknown fields: {sorted(unknown)}")
    case = lock_at_version(Identification, case.pk, expected_version)
    _validate_case({"region": case.region, "municipality": case.municipality, **values})
    purposes = values.pop("purposes", None)
    changed = _changed(case, values)
    current_purposes = sorted(case.purpose_rows.values_list("purpose", flat=True))
    if purposes is not None and sorted(set(purposes) or {"unknown"}) != current_purposes:
        changed.append("purposes")
    if not changed:
        return case
    for name, value in values.items():
        setattr(case, name, value)
    case.age_group = _age_group(case, case.person)
    case.version += 1
    case.save()
    if purposes is not None:
        _set_purposes(case, purposes)
    _timeline(case, actor, codes.TimelineKind.CHANGE, fields=changed, object="identification")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="identification",
        object_id=case.pk,
        details={"version": case.version, "fields": changed},
    )
    return case


@transaction.atomic
def case_set_status(
    *,
    actor: User,
    case: Identification,
    expected_version: int,
    status: str,
    closed_reason: str = "",
    note: str = "",
) -> Identification:
    """Move a case between open, support and closed; closing needs a reason."""
    if not case_policy.can_edit(actor, case):
        raise PermissionDenied
    case = lock_at_version(Identification, case.pk, expected_version)
    if status not in codes.CaseStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    if status == codes.CaseStatus.CLOSED and closed_reason not in codes.ClosedReason.values:
        raise ValidationError({"closed_reason": [_("Give the reason for closing the case.")]})
    if status == case.status:
        return case
    previous = case.status
    case.status = status
    case.closed_reason = closed_reason if status == codes.CaseStatus.CLOSED else ""
    case.closed_on = timezone.localdate() if status == codes.CaseStatus.CLOSED else None
    case.version += 1
    case.save()
    _timeline(
        case,
        actor,
        codes.TimelineKind.STATUS,
        note,
        status=status,
        previous=previous,
        reason=case.closed_reason,
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="identification",
        object_id=case.pk,
        details={"version": case.version, "fields": ["status", "closed_reason"]},
    )
    return case


@transaction.atomic
def note_add(*, actor: User, case: Identification, text: str) -> TimelineEntry:
    if not case_policy.can_contribute(actor, case):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": [_("Write the note.")]})
    entry = _timeline(case, actor, codes.TimelineKind.NOTE, text.strip())
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="timelineentry",
        object_id=entry.pk,
        details={"identification": case.pk},
    )
    return entry


# ---------------------------------------------------------------- measures


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def _validate_measure(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    kind = values["kind"]
    if kind not in codes.MeasureKind.values:
        raise ValidationError({"kind": [_("Unknown measure.")]})
    if values.get("status") not in codes.MeasureStatus.values:
        errors["status"] = [_("Unknown status.")]
    for name in ("applied_on", "decided_on", "starts_on", "ends_on"):
        day = values.get(name)
        if day is not None and not EARLIEST_DATE <= day <= LATEST_MEASURE_DATE:
            errors[name] = [_("The date is outside the plausible range.")]
    if errors:
        raise ValidationError(errors)
    starts, ends = values.get("starts_on"), values.get("ends_on")
    if kind == codes.MeasureKind.REFLECTION_PERIOD and starts and not ends:
        values["ends_on"] = ends = starts + dt.timedelta(days=REFLECTION_PERIOD_DAYS)
    if starts and ends and ends < starts:
        errors["ends_on"] = [_("The end date is before the start date.")]
    if (
        kind == codes.MeasureKind.TEMPORARY_RESIDENCE_PERMIT
        and starts
        and ends
        and ends < _add_months(starts, RESIDENCE_PERMIT_MIN_MONTHS)
    ):
        errors["ends_on"] = [_("A temporary residence permit is granted for at least six months.")]
    applied, decided = values.get("applied_on"), values.get("decided_on")
    if applied and decided and decided < applied:
        errors["decided_on"] = [_("The decision date is before the application date.")]
    if errors:
        raise ValidationError(errors)
    return values


MEASURE_FIELDS = (
    "status",
    "applied_on",
    "applied_by",
    "decided_on",
    "starts_on",
    "ends_on",
    "notes",
)


@transaction.atomic
def measure_add(*, actor: User, case: Identification, kind: str, **values: Any) -> Measure:
    """Add a measure. A reflection period without an end date gets the statutory 30 days."""
    if not case_policy.can_contribute(actor, case):
        raise PermissionDenied
    values.setdefault("status", codes.MeasureStatus.PLANNED)
    values = _validate_measure({"kind": kind, **values})
    measure = Measure.objects.create(identification=case, created_by=actor, **values)
    _timeline(
        case,
        actor,
        codes.TimelineKind.MEASURE,
        measure=measure.pk,
        measure_kind=kind,
        status=measure.status,
        event="added",
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="measure",
        object_id=measure.pk,
        details={"identification": case.pk, "kind": kind},
    )
    return measure


@transaction.atomic
def measure_update(
    *, actor: User, measure: Measure, expected_version: int, **values: Any
) -> Measure:
    case = measure.identification
    if not case_policy.can_contribute(actor, case):
        raise PermissionDenied
    measure = lock_at_version(Measure, measure.pk, expected_version)
    merged = {name: getattr(measure, name) for name in MEASURE_FIELDS}
    merged.update(values)
    merged = _validate_measure({"kind": measure.kind, **merged})
    merged.pop("kind")
    changed = _changed(measure, merged)
    if not changed:
        return measure
    for name, value in merged.items():
        setattr(measure, name, value)
    measure.version += 1
    measure.save()
    _timeline(
        case,
        actor,
        codes.TimelineKind.MEASURE,
        measure=measure.pk,
        measure_kind=measure.kind,
        status=measure.status,
        event="changed",
        fields=changed,
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="measure",
        object_id=measure.pk,
        details={"version": measure.version, "fields": changed},
    )
    return measure


# ---------------------------------------------------------------- referrals


@transaction.atomic
def referral_create(
    *,
    actor: User,
    case: Identification,
    to_agency: Agency,
    legal_ground: str,
    consent: str,
    legal_ground_detail: str = "",
    to_region: Region | None = None,
    message: str = "",
) -> Referral:
    """Share a case with another agency on a recorded legal ground."""
    if not case_policy.can_refer(actor, case):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if legal_ground not in codes.LegalGround.values:
        errors["legal_ground"] = [_("Choose the legal ground.")]
    if consent not in codes.Consent.values:
        errors["consent"] = [_("Record whether the person consented.")]
    if legal_ground == codes.LegalGround.CONSENT and consent != codes.Consent.GIVEN:
        errors["consent"] = [_("Sharing on consent needs the person's consent.")]
    if legal_ground != codes.LegalGround.CONSENT and not legal_ground_detail.strip():
        errors["legal_ground_detail"] = [_("Name the provision or statute.")]
    if not to_agency.receives_referrals:
        errors["to_agency"] = [_("This organisation does not receive referrals.")]
    if to_agency.pk == actor.agency_id and to_region in (None, actor.region):
        errors["to_agency"] = [_("The case is already with this agency.")]
    open_exists = case.referrals.filter(
        to_agency=to_agency, to_region=to_region, status__in=codes.OPEN_REFERRAL_STATUSES
    ).exists()
    if open_exists:
        errors["to_agency"] = [_("There is already an open referral to this agency.")]
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        identification=case,
        from_agency_id=actor.agency_id,
        to_agency=to_agency,
        to_region=to_region,
        legal_ground=legal_ground,
        legal_ground_detail=legal_ground_detail.strip(),
        consent=consent,
        message=message,
        created_by=actor,
    )
    _referral_event(actor, referral, "created", Action.CREATE)
    return referral


def _referral_event(actor: User, referral: Referral, event: str, action: str) -> None:
    _timeline(
        referral.identification,
        actor,
        codes.TimelineKind.REFERRAL,
        referral.decline_reason if event == "declined" else "",
        referral=referral.pk,
        event=event,
        agency=referral.to_agency.name,
        status=referral.status,
    )
    audit_record(
        actor=actor,
        action=action,
        object_type="referral",
        object_id=referral.pk,
        details={
            "identification": referral.identification_id,
            "event": event,
            "version": referral.version,
            "fields": ["status"],
        },
    )


def _respond(actor: User, referral: Referral, expected_version: int) -> Referral:
    if not case_policy.can_respond(actor, referral):
        raise PermissionDenied
    referral = lock_at_version(Referral, referral.pk, expected_version)
    if referral.status != codes.ReferralStatus.PENDING:
        raise ValidationError({"status": [_("The referral has already been answered.")]})
    return referral


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, expected_version: int) -> Referral:
    referral = _respond(actor, referral, expected_version)
    referral.status = codes.ReferralStatus.ACCEPTED
    referral.responded_by = actor
    referral.responded_at = timezone.now()
    referral.version += 1
    referral.save()
    _referral_event(actor, referral, "accepted", Action.UPDATE)
    return referral


@transaction.atomic
def referral_decline(
    *, actor: User, referral: Referral, expected_version: int, reason: str
) -> Referral:
    if not reason.strip():
        raise ValidationError({"decline_reason": [_("Give the reason for declining.")]})
    referral = _respond(actor, referral, expected_version)
    referral.status = codes.ReferralStatus.DECLINED
    referral.decline_reason = reason.strip()
    referral.responded_by = actor
    referral.responded_at = timezone.now()
    referral.version += 1
    referral.save()
    _referral_event(actor, referral, "declined", Action.UPDATE)
    return referral


@transaction.atomic
def referral_close(*, actor: User, referral: Referral, expected_version: int) -> Referral:
    """End the sharing: the receiving agency loses access to the case."""
    if not case_policy.can_close_referral(actor, referral):
        raise PermissionDenied
    referral = lock_at_version(Referral, referral.pk, expected_version)
    referral.status = codes.ReferralStatus.CLOSED
    referral.closed_at = timezone.now()
    referral.version += 1
    referral.save()
    _referral_event(actor, referral, "closed", Action.UPDATE)
    return referral
