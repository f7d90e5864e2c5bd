"""Agency lists: preview without storing, an all-or-nothing import, deletion with audit, and the
imported list in the yearly run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from nmt.audit.models import AuditEvent
from nmt.errors import BadInputError
from nmt.reports.models import AgencyList, AgencyListRecord
from nmt.reports.services import agency_list_delete, agency_list_import, agency_list_preview

GOOD = (
    b"record_id;given_name;family_name;birth_date;sex;citizenship;identification_date;purposes\n"
    b"A1;Ioana;Popescu;1999-04-02;kvinna;RO;2025-03-01;sexual\n"
    b"A2;Olena;Kovalenko;2008;kvinna;UA;2025-05-11;forced_labour\n"
)
BAD = (
    b"record_id;birth_date;identification_date\n"
    b"A1;1990-02-30;2025-03-01\n"
    b"A2;2000-01-01;2024-12-31\n"
)
PERIOD = {"period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 12, 31)}


@pytest.fixture
def analyst(personas):
    return personas.analyst


def test_preview_stores_nothing_and_shows_no_names(analyst):
    preview = agency_list_preview(
        actor=analyst, data=GOOD, filename="ngo.csv", source="ngo_x", **PERIOD
    )
    assert preview.records == 2
    assert "Ioana" not in str(preview.to_dict())
    assert not AgencyList.objects.exists()


def test_bad_lists_are_refused_whole_naming_line_and_column(analyst):
    with pytest.raises(BadInputError) as error:
        agency_list_import(
            actor=analyst, data=BAD, filename="ngo.csv", source="ngo_x", origin="NGO", **PERIOD
        )
    text = str(error.value)
    assert "line 2" in text
    assert "birth_date" in text
    assert not AgencyList.objects.exists()
    assert not AgencyListRecord.objects.exists()
    late = b"record_id;identification_date\nA1;2025-03-01\nA2;2024-12-31\n"
    with pytest.raises(BadInputError, match="line 3, column 'identification_date'"):
        agency_list_preview(actor=analyst, data=late, filename="n.csv", source="ngo_x", **PERIOD)
    with pytest.raises(BadInputError, match="platform makes from its own cases"):
        agency_list_preview(
            actor=analyst, data=GOOD, filename="x.csv", source="coordinators", **PERIOD
        )


def test_import_is_sealed_and_audited_and_delete_is_audited(analyst):
    agency_list = agency_list_import(
        actor=analyst, data=GOOD, filename="ngo.csv", source="ngo_x", origin="NGO X", **PERIOD
    )
    assert agency_list.records.count() == 2
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT identity FROM reports_agencylistrecord")
        assert all("Ioana" not in row[0] for row in cursor.fetchall())
    created = AuditEvent.objects.get(object_type="agency_list", action="create")
    assert created.details["records"] == 2
    agency_list_delete(actor=analyst, agency_list_id=agency_list.pk)
    assert not AgencyListRecord.objects.exists()
    deleted = AuditEvent.objects.get(object_type="agency_list", action="delete")
    assert deleted.details["fingerprint"] == agency_list.fingerprint


def test_only_analysts_import(personas):
    for user in (personas.coordinator_stockholm, personas.auditor, personas.outsider):
        with pytest.raises(Http404):
            agency_list_preview(actor=user, data=GOOD, filename="a.csv", source="ngo_x", **PERIOD)


def test_the_import_page_previews_then_commits(client, analyst):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(analyst)
    response = client.post(
        "/reports/lists/",
        {
            "file": SimpleUploadedFile("ngo.csv", GOOD),
            "source": "ngo_x",
            "origin": "NGO X",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
        },
    )
    assert response.status_code == 200
    assert not AgencyList.objects.exists()
    response = client.post("/reports/lists/", {"confirm": "1"})
    assert response.status_code == 302
    assert AgencyList.objects.get().record_count == 2
