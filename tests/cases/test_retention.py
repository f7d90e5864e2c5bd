"""Retention, erasure on request and subject access."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from nmt.audit.models import AuditEvent
from nmt.cases import services
from nmt.cases.models import ErasureRequest, Identification, Person, SearchToken
from nmt.cases.retention import erasure_decide, retention_run, subject_access_export
from nmt.cases.selectors import CaseFilters, case_list
from nmt.cli import main
from nmt.supportline.models import Contact


def close(case, actor, on: dt.date):
    services.case_set_status(
        actor=actor,
        case=case,
        expected_version=case.version,
        status="closed",
        closed_reason="support_completed",
    )
    Identification.objects.filter(pk=case.pk).update(closed_on=on)


def test_retention_anonymises_only_persons_whose_cases_all_closed_long_ago(
    personas, region, stockholm_case, settings
):
    owner = personas.coordinator_stockholm
    services.note_add(actor=owner, case=stockholm_case, text="Bor hos sin moster i Solna.")
    close(stockholm_case, owner, dt.date(2019, 1, 10))
    recent = services.case_register(
        actor=owner,
        channel="regional_coordinator",
        identified_on=dt.date(2024, 1, 1),
        region=region["stockholm"],
        person=services.PersonInput(given_name="Olena", family_name="Kovalenko", sex="female"),
        purposes=["forced_labour"],
    )
    close(recent, owner, dt.date(2024, 6, 1))
    report = retention_run(today=dt.date(2026, 1, 1))
    assert report.persons_anonymised == [stockholm_case.person_id]
    person = Person.objects.get(pk=stockholm_case.person_id)
    assert (person.given_name, person.family_name, person.birth_date, person.address) == ("",) * 4
    assert person.birth_year is None
    assert person.anonymised_at is not None
    assert not person.documents.exists()
    assert not SearchToken.objects.filter(person=person).exists()
    assert not stockholm_case.timeline.exclude(text="").exists()
    # What the statistics need is kept.
    case = Identification.objects.get(pk=stockholm_case.pk)
    assert (case.age_group, case.region_id, person.sex) == (
        "adult",
        region["stockholm"].pk,
        "female",
    )
    assert list(person.citizenships.values_list("country", flat=True)) == ["RO"]
    assert list(case.purpose_rows.values_list("purpose", flat=True)) == ["sexual"]
    # Not findable by name any more; the other person untouched.
    assert not case_list(actor=owner, filters=CaseFilters(q="Popescu")).object_list
    assert Person.objects.get(pk=recent.person_id).given_name == "Olena"
    event = AuditEvent.objects.get(object_type="person", purpose="retention")
    assert event.details["anonymised"] is True
    # A second run has nothing left to do.
    assert retention_run(today=dt.date(2026, 1, 1)).persons_anonymised == []


def test_open_case_keeps_the_person(personas, stockholm_case):
    assert retention_run(today=dt.date(2040, 1, 1)).persons_anonymised == []


def test_calls_lose_their_free_text(personas):
    from nmt.supportline.services import contact_create

    old = contact_create(
        actor=personas.supportline,
        occurred_at=timezone.now() - dt.timedelta(days=365 * 3),
        topic="method",
        summary="Fråga om en elev",
        follow_up="Ring tillbaka",
    )
    new = contact_create(
        actor=personas.supportline, occurred_at=timezone.now(), topic="method", summary="Ny fråga"
    )
    assert retention_run().calls_cleared == 1
    old, new = Contact.objects.get(pk=old.pk), Contact.objects.get(pk=new.pk)
    assert (old.summary, old.follow_up, old.topic) == ("", "", "method")
    assert new.summary == "Ny fråga"


def test_dry_run_changes_nothing(personas, stockholm_case, capsys):
    close(stockholm_case, personas.coordinator_stockholm, dt.date(2015, 1, 1))
    assert main(["retention", "run", "--dry-run", "--json", "--today", "2026-01-01"]) == 0
    assert json.loads(capsys.readouterr().out)["persons_anonymised"] == 1
    assert Person.objects.get().given_name == "Ioana Maria"


def test_erasure_refused_when_a_ground_to_keep_applies(personas, stockholm_case):
    request = erasure_decide(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        received_on=dt.date(2026, 11, 1),
        requested_by="Personen själv via ombud",
        ongoing_investigation=True,
        legal_obligation=False,
        archive_rules=False,
        reason="Förundersökning pågår (Polisen, dnr 1234).",
    )
    assert request.decision == "refused"
    assert Person.objects.get().given_name == "Ioana Maria"


def test_erasure_granted_anonymises_and_is_recorded(personas, stockholm_case):
    erasure_decide(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        received_on=dt.date(2026, 11, 1),
        requested_by="Personen själv",
        ongoing_investigation=False,
        legal_obligation=False,
        archive_rules=False,
        reason="Inga skäl att behålla uppgifterna.",
    )
    assert ErasureRequest.objects.get().decision == "erased"
    assert Person.objects.get().given_name == ""
    assert AuditEvent.objects.filter(object_type="erasurerequest").exists()
    with pytest.raises(PermissionDenied):
        erasure_decide(
            actor=personas.coordinator_syd,
            case=stockholm_case,
            received_on=dt.date(2026, 11, 1),
            requested_by="x",
            ongoing_investigation=False,
            legal_obligation=False,
            archive_rules=False,
            reason="x",
        )


def test_subject_access_export_holds_everything_and_is_audited(personas, stockholm_case, region):
    owner = personas.coordinator_stockholm
    services.measure_add(actor=owner, case=stockholm_case, kind="interpreter", notes="Rumänska")
    data = subject_access_export(actor=owner, case=stockholm_case)
    assert data["person"]["family_name"] == "Popescu"
    assert data["person"]["documents"][0]["number"] == "19990402-2382"
    assert data["identifications"][0]["measures"][0]["notes"] == "Rumänska"
    event = AuditEvent.objects.get(action="export", object_type="person")
    assert event.purpose == "subject access request"
    with pytest.raises(PermissionDenied):
        subject_access_export(actor=personas.liaison_migrationsverket, case=stockholm_case)


def test_subject_access_pdf_and_protected_address(client, personas, region):
    case = services.case_register(
        actor=personas.coordinator_stockholm,
        channel="regional_coordinator",
        identified_on=dt.date(2025, 1, 1),
        region=region["stockholm"],
        person=services.PersonInput(
            given_name="Amina", protected_identity=True, address="Skyddsvägen 9, Uppsala"
        ),
    )
    client.force_login(personas.coordinator_stockholm)
    raw = client.get(reverse("subject-access", args=[case.case_number, "json"]))
    assert json.loads(raw.content)["person"]["address"] is None
    pdf = client.get(reverse("subject-access", args=[case.case_number, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.content)).pages)
    assert "Amina" in text
    assert "Skyddsvägen" not in text
    client.force_login(personas.coordinator_syd)
    assert client.get(reverse("subject-access", args=[case.case_number, "pdf"])).status_code == 404


def test_nothing_identifying_is_left_in_the_database_after_erasure(personas, stockholm_case):
    erasure_decide(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        received_on=dt.date(2026, 11, 1),
        requested_by="Personen själv",
        ongoing_investigation=False,
        legal_obligation=False,
        archive_rules=False,
        reason="Begäran beviljad.",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name, birth_date, address FROM cases_person")
        assert cursor.fetchone() == ("", "", "", "")
        cursor.execute("SELECT COUNT(*) FROM cases_identitydocument")
        assert cursor.fetchone() == (0,)
