"""Writes to the registry: rules, timeline, audit, concurrency, encryption at rest."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from nmt.audit.models import AuditEvent
from nmt.cases import services
from nmt.cases.concurrency import ConflictError
from nmt.cases.models import Identification, Measure, Person, Referral, TimelineEntry
from nmt.cases.services import DocumentInput, PersonInput


def register(actor, region, **kwargs):
    kwargs.setdefault("channel", "regional_coordinator")
    kwargs.setdefault("identified_on", dt.date(2025, 6, 1))
    return services.case_register(actor=actor, region=region, **kwargs)


# ---------------------------------------------------------------- registration


def test_registration_writes_timeline_and_audit(personas, region):
    actor = personas.coordinator_stockholm
    case = register(actor, region["stockholm"], note="Första kontakt via skolan.")
    kinds = list(case.timeline.order_by("id").values_list("kind", flat=True))
    assert kinds == ["status", "note"]
    assert case.timeline.get(kind="note").text == "Första kontakt via skolan."
    event = AuditEvent.objects.get(action="create", object_type="identification")
    assert event.object_id == str(case.pk)
    assert case.agency == actor.agency


def test_case_numbers_count_per_year(personas, region):
    actor = personas.coordinator_stockholm
    numbers = [
        register(actor, region["stockholm"], identified_on=dt.date(year, 1, 1)).case_number
        for year in (2024, 2024, 2025)
    ]
    assert numbers == ["NMT-2024-00001", "NMT-2024-00002", "NMT-2025-00001"]


@pytest.mark.parametrize(
    ("birth_date", "estimated_age", "expected"),
    [
        ("2010-01-01", None, "child"),
        ("2000-01-01", None, "adult"),
        ("2007-06-02", None, "child"),  # turns 18 the day after identification
        ("2007-06-01", None, "adult"),  # 18 on the day
        ("2007", None, "unknown"),  # 17 or 18, cannot tell
        ("2007-07", None, "child"),
        ("", 16, "child"),
        ("", 30, "adult"),
        ("", None, "unknown"),
    ],
)
def test_adult_or_child_at_identification(personas, region, birth_date, estimated_age, expected):
    case = register(
        personas.coordinator_stockholm,
        region["stockholm"],
        identified_on=dt.date(2025, 6, 1),
        estimated_age=estimated_age,
        person=PersonInput(birth_date=birth_date),
    )
    assert case.age_group == expected


def test_second_identification_of_the_same_person(personas, region, stockholm_case):
    later = register(
        personas.coordinator_stockholm,
        region["stockholm"],
        existing_person=stockholm_case.person,
        identified_on=dt.date(2026, 2, 1),
        channel="migrationsverket",
    )
    assert later.person_id == stockholm_case.person_id
    assert Person.objects.count() == 1
    assert later.age_group == "adult"


@pytest.mark.parametrize(
    ("person", "field"),
    [
        (PersonInput(birth_date="1999-02-30"), "birth_date"),
        (PersonInput(birth_date="2999"), "birth_date"),
        (PersonInput(citizenships=["Atlantis"]), "citizenships"),
        (
            PersonInput(documents=[DocumentInput("samordningsnummer", "19990402-2382")]),
            "documents.0.number",
        ),
        (PersonInput(documents=[DocumentInput("passport", "  ")]), "documents.0.number"),
    ],
)
def test_bad_person_data_names_the_field_and_saves_nothing(personas, region, person, field):
    with pytest.raises(ValidationError) as info:
        register(personas.coordinator_stockholm, region["stockholm"], person=person)
    assert field in info.value.message_dict
    assert not Person.objects.exists()
    assert not Identification.objects.exists()
    assert not AuditEvent.objects.exists()


def test_bad_case_data(personas, region):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    malmo = region["syd"].counties.get(code="12").municipalities.get(name="Malmö")
    cases = [
        ({"identified_on": tomorrow}, "identified_on"),
        ({"purposes": ["sexual", "astrology"]}, "purposes"),
        ({"municipality": malmo}, "municipality"),
        ({"channel": "carrier_pigeon"}, "channel"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as info:
            register(personas.coordinator_stockholm, region["stockholm"], **kwargs)
        assert field in info.value.message_dict, field
    assert not Identification.objects.exists()


def test_citizenship_accepts_codes_and_names(personas, region):
    case = register(
        personas.coordinator_stockholm,
        region["stockholm"],
        person=PersonInput(citizenships=["ROU", "Nigeria", "Rumänien", "th"]),
    )
    codes = sorted(case.person.citizenships.values_list("country", flat=True))
    assert codes == ["NG", "RO", "TH"]


# ---------------------------------------------------------------- encryption at rest


def test_identifying_fields_are_sealed_in_the_database(stockholm_case):
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name, birth_date, address FROM cases_person")
        row = cursor.fetchone()
        cursor.execute("SELECT number FROM cases_identitydocument")
        number = cursor.fetchone()[0]
    raw = " ".join([*row, number])
    for secret in ("Ioana", "Popescu", "1999-04-02", "Hemliga", "2382"):
        assert secret not in raw
    assert all(value.startswith("v1:") for value in row)
    assert Person.objects.get().given_name == "Ioana Maria"


# ---------------------------------------------------------------- updates and concurrency


def test_person_update_and_conflict(personas, stockholm_case):
    owner, colleague = personas.coordinator_stockholm, personas.coordinator_stockholm_2
    person = services.person_update(
        actor=owner,
        case=stockholm_case,
        expected_version=1,
        data=PersonInput(given_name="Ioana", family_name="Popescu", sex="female"),
    )
    assert person.version == 2
    with pytest.raises(ConflictError) as info:
        services.person_update(
            actor=colleague,
            case=stockholm_case,
            expected_version=1,
            data=PersonInput(given_name="Joana"),
        )
    conflict = info.value
    assert conflict.current_version == 2
    assert [c.by for c in conflict.changes] == [owner.username]
    assert {"given_name", "birth_date", "citizenships", "documents"} <= set(conflict.changed_fields)
    assert Person.objects.get().given_name == "Ioana"


def test_case_update_changes_purposes_and_age_group(personas, stockholm_case):
    case = services.case_update(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        expected_version=1,
        purposes=["forced_labour", "begging"],
        industry="cleaning",
        identified_on=dt.date(2015, 1, 1),
    )
    assert case.version == 2
    assert sorted(case.purpose_rows.values_list("purpose", flat=True)) == [
        "begging",
        "forced_labour",
    ]
    assert case.age_group == "child"  # born 1999, identified 2015
    change = case.timeline.filter(kind="change").get()
    assert set(change.data["fields"]) == {"purposes", "industry", "identified_on"}
    with pytest.raises(ConflictError):
        services.case_update(
            actor=personas.coordinator_stockholm_2, case=case, expected_version=1, industry=""
        )


def test_unchanged_save_keeps_the_version(personas, stockholm_case):
    case = services.case_update(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        expected_version=1,
        purposes=["sexual"],
    )
    assert case.version == 1
    assert not case.timeline.filter(kind="change").exists()


def test_status_flow_requires_reason_to_close(personas, stockholm_case):
    owner = personas.coordinator_stockholm
    case = services.case_set_status(
        actor=owner, case=stockholm_case, expected_version=1, status="support"
    )
    with pytest.raises(ValidationError) as info:
        services.case_set_status(actor=owner, case=case, expected_version=2, status="closed")
    assert "closed_reason" in info.value.message_dict
    case = services.case_set_status(
        actor=owner,
        case=case,
        expected_version=2,
        status="closed",
        closed_reason="returned_home",
        note="Återvände med IOM:s program.",
    )
    assert case.closed_on == timezone.localdate()
    entry = case.timeline.filter(kind="status").first()
    assert entry.data == {"status": "closed", "previous": "support", "reason": "returned_home"}
    assert entry.text == "Återvände med IOM:s program."


def test_only_owners_edit(personas, stockholm_case):
    for name in ("coordinator_syd", "liaison_migrationsverket", "analyst", "supportline"):
        with pytest.raises(PermissionDenied):
            services.case_set_status(
                actor=getattr(personas, name),
                case=stockholm_case,
                expected_version=1,
                status="support",
            )


# ---------------------------------------------------------------- measures


def test_reflection_period_defaults_to_thirty_days(personas, stockholm_case):
    measure = services.measure_add(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        kind="reflection_period",
        status="granted",
        applied_by="Socialtjänsten Solna",
        starts_on=dt.date(2025, 3, 20),
    )
    assert measure.ends_on == dt.date(2025, 4, 19)
    entry = stockholm_case.timeline.filter(kind="measure").get()
    assert entry.data["measure_kind"] == "reflection_period"


def test_residence_permit_is_at_least_six_months(personas, stockholm_case):
    owner = personas.coordinator_stockholm
    with pytest.raises(ValidationError) as info:
        services.measure_add(
            actor=owner,
            case=stockholm_case,
            kind="temporary_residence_permit",
            starts_on=dt.date(2025, 8, 31),
            ends_on=dt.date(2026, 2, 27),
        )
    assert "ends_on" in info.value.message_dict
    measure = services.measure_add(
        actor=owner,
        case=stockholm_case,
        kind="temporary_residence_permit",
        status="granted",
        applied_by="Förundersökningsledare",
        starts_on=dt.date(2025, 8, 31),
        ends_on=dt.date(2026, 2, 28),
    )
    assert measure.pk


def test_measure_dates_must_be_in_order(personas, stockholm_case):
    with pytest.raises(ValidationError) as info:
        services.measure_add(
            actor=personas.coordinator_stockholm,
            case=stockholm_case,
            kind="safe_housing",
            applied_on=dt.date(2025, 5, 2),
            decided_on=dt.date(2025, 5, 1),
            starts_on=dt.date(2025, 5, 10),
            ends_on=dt.date(2025, 5, 9),
        )
    assert set(info.value.message_dict) == {"decided_on", "ends_on"}
    assert not Measure.objects.exists()


def test_measure_update_conflict(personas, stockholm_case):
    measure = services.measure_add(
        actor=personas.coordinator_stockholm, case=stockholm_case, kind="interpreter"
    )
    services.measure_update(
        actor=personas.coordinator_stockholm, measure=measure, expected_version=1, status="active"
    )
    with pytest.raises(ConflictError) as info:
        services.measure_update(
            actor=personas.coordinator_stockholm_2,
            measure=measure,
            expected_version=1,
            status="cancelled",
        )
    assert info.value.changed_fields == ["status"]


# ---------------------------------------------------------------- referrals


def test_referral_flow_on_the_timeline(personas, stockholm_case, agency):
    owner, liaison = personas.coordinator_stockholm, personas.liaison_migrationsverket
    referral = services.referral_create(
        actor=owner,
        case=stockholm_case,
        to_agency=agency["migrationsverket"],
        legal_ground="secrecy_provision",
        legal_ground_detail="OSL 10 kap. 2 §",
        consent="not_obtained",
        message="Underlag för ansökan om tillfälligt uppehållstillstånd.",
    )
    referral = services.referral_accept(actor=liaison, referral=referral, expected_version=1)
    assert (referral.status, referral.responded_by) == ("accepted", liaison)
    referral = services.referral_close(actor=liaison, referral=referral, expected_version=2)
    events = list(
        TimelineEntry.objects.filter(kind="referral").order_by("id").values_list("data", flat=True)
    )
    assert [e["event"] for e in events] == ["created", "accepted", "closed"]


def test_referral_rules(personas, stockholm_case, agency):
    owner = personas.coordinator_stockholm
    bad = [
        ({"legal_ground": "consent", "consent": "refused"}, "consent"),
        ({"legal_ground": "other_statute", "consent": "not_applicable"}, "legal_ground_detail"),
        ({"legal_ground": "nonsense", "consent": "given"}, "legal_ground"),
    ]
    for kwargs, field in bad:
        with pytest.raises(ValidationError) as info:
            services.referral_create(
                actor=owner, case=stockholm_case, to_agency=agency["polismyndigheten"], **kwargs
            )
        assert field in info.value.message_dict
    args = {"legal_ground": "consent", "consent": "given", "to_agency": agency["polismyndigheten"]}
    services.referral_create(actor=owner, case=stockholm_case, **args)
    with pytest.raises(ValidationError) as info:
        services.referral_create(actor=owner, case=stockholm_case, **args)
    assert "to_agency" in info.value.message_dict
    assert Referral.objects.count() == 1


def test_decline_needs_a_reason_and_ends_access(personas, stockholm_case, agency):
    from nmt.access.policies import case_policy

    liaison = personas.liaison_migrationsverket
    referral = services.referral_create(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        to_agency=agency["migrationsverket"],
        legal_ground="consent",
        consent="given",
    )
    with pytest.raises(ValidationError):
        services.referral_decline(actor=liaison, referral=referral, expected_version=1, reason=" ")
    services.referral_decline(
        actor=liaison, referral=referral, expected_version=1, reason="Ingen ansökan pågår."
    )
    assert not case_policy.visible(liaison).exists()
    referral.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=liaison, referral=referral, expected_version=2)


def test_note_needs_text_and_right(personas, stockholm_case):
    with pytest.raises(ValidationError):
        services.note_add(actor=personas.coordinator_stockholm, case=stockholm_case, text="  ")
    with pytest.raises(PermissionDenied):
        services.note_add(actor=personas.coordinator_syd, case=stockholm_case, text="Hej")
    entry = services.note_add(
        actor=personas.coordinator_stockholm, case=stockholm_case, text="Samtal med ombud."
    )
    assert entry.text == "Samtal med ombud."
