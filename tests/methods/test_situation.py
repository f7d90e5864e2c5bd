"""Regional situation reports: drafts of the region, submission with protected figures, comments
and return by the national team, history, and the national picture."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from tests.methods.history import bulk_history

from nmt.cases.concurrency import ConflictError
from nmt.methods import selectors, services
from nmt.methods.models import ReportStatus


@pytest.fixture
def draft(personas, region, guidance):
    return services.report_create(
        actor=personas.coordinator_stockholm, region=region["stockholm"], year=2025, term=1
    )


def test_the_region_writes_and_submits(personas, draft, stockholm_case):
    anna, erik = personas.coordinator_stockholm, personas.coordinator_stockholm_2
    report = services.report_update(
        actor=anna, report=draft, expected_version=1, new_developments="Fler nagelsalonger."
    )
    with pytest.raises(ConflictError):
        services.report_update(actor=erik, report=report, expected_version=1, trends="Ökar.")
    report = services.report_submit(actor=erik, report=report, expected_version=2)
    assert report.status == ReportStatus.SUBMITTED
    assert report.figures["start"] == "2025-01-01"
    assert report.figures["method"] == "ckm"
    assert [r.event for r in report.revisions.all()] == ["submitted", "saved", "created"]
    with pytest.raises(PermissionDenied):
        services.report_update(actor=anna, report=report, expected_version=3, needs="x")


def test_an_empty_report_cannot_be_submitted(personas, draft):
    with pytest.raises(ValidationError):
        services.report_submit(
            actor=personas.coordinator_stockholm, report=draft, expected_version=1
        )


def test_another_regions_draft_is_a_404_but_its_submitted_report_is_shared(
    personas, draft, national, client_of
):
    sara = personas.coordinator_syd
    with pytest.raises(Http404):
        selectors.access_report(sara, draft.pk)
    assert client_of(sara).get(f"/situation/{draft.pk}/").status_code == 404
    assert client_of(national).get(f"/situation/{draft.pk}/").status_code == 404
    for persona in ("supportline", "liaison_migrationsverket", "analyst", "auditor", "outsider"):
        assert (
            client_of(getattr(personas, persona)).get(f"/situation/{draft.pk}/").status_code == 404
        )
    report = services.report_update(
        actor=personas.coordinator_stockholm, report=draft, expected_version=1, needs="Tolkar."
    )
    services.report_submit(actor=personas.coordinator_stockholm, report=report, expected_version=2)
    assert selectors.access_report(sara, draft.pk)
    assert client_of(sara).get(f"/situation/{draft.pk}/").status_code == 200
    with pytest.raises(PermissionDenied):
        services.report_comment(actor=sara, report=report, text="Bra!")


def test_coordinators_start_reports_only_for_their_region(personas, region):
    with pytest.raises(PermissionDenied):
        services.report_create(
            actor=personas.coordinator_syd, region=region["stockholm"], year=2025, term=1
        )
    with pytest.raises(PermissionDenied):
        services.report_create(
            actor=personas.analyst, region=region["stockholm"], year=2025, term=1
        )


def test_the_national_team_comments_returns_and_compiles(personas, national, draft):
    anna = personas.coordinator_stockholm
    report = services.report_update(
        actor=anna, report=draft, expected_version=1, methods_worked="Uppsökande arbete med tolk."
    )
    report = services.report_submit(actor=anna, report=report, expected_version=2)
    services.report_comment(actor=national, report=report, text="Tack, mycket användbart.")
    report = services.report_return(actor=national, report=report, text="Lägg till behoven.")
    assert report.status == ReportStatus.RETURNED
    report = services.report_update(
        actor=anna,
        report=report,
        expected_version=report.version,
        needs="Utbildning för skolkuratorer.",
    )
    report = services.report_submit(actor=anna, report=report, expected_version=report.version)
    assert [c.text for c in report.comments.all()] == [
        "Tack, mycket användbart.",
        "Lägg till behoven.",
    ]
    picture = services.national_picture_compile(
        actor=national, year=2025, term=1, summary="Läget i landet."
    )
    assert list(picture.reports.all()) == [report]
    assert picture.figures["method"] == "ckm"
    with pytest.raises(PermissionDenied):
        services.national_picture_compile(actor=anna, year=2025, term=1)


def test_figures_are_protected(personas, region, draft):
    bulk_history(
        actor=personas.coordinator_stockholm,
        region=region["stockholm"],
        purpose="sexual",
        counts=[12, 1, 1, 1, 0, 2],
        today=dt.date(2025, 7, 1),
    )
    detail = selectors.report_get(actor=personas.coordinator_stockholm, report_id=draft.pk)
    figures = detail.figures
    assert detail.live
    values = [c["value"] for key in ("purpose", "category", "citizenship") for c in figures[key]]
    values.append(figures["total"]["value"])
    assert not {1, 2} & set(values)
    assert all("perturbed" in c["flags"] for c in figures["purpose"])
    assert "original" not in str(figures)
    assert figures["citizenship"][0]["code"] == "RO"
    assert figures["notes"]["sv"]


def test_report_pages(personas, national, draft, client_of):
    anna = client_of(personas.coordinator_stockholm)
    assert anna.get("/situation/").status_code == 200
    page = anna.get(f"/situation/{draft.pk}/").content.decode()
    assert 'name="new_developments"' in page
    response = anna.post(
        f"/situation/{draft.pk}/save/",
        {
            "version": 1,
            "new_developments": "Nytt.",
            "trends": "",
            "needs": "",
            "methods_worked": "",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.SUBMITTED
    team = client_of(national)
    assert team.post(f"/situation/{draft.pk}/comment/", {"text": "Bra."}).status_code == 302
    assert draft.comments.count() == 1
    response = team.post("/situation/national/", {"year": 2025, "term": 1, "summary": "x"})
    assert response.status_code == 302
    assert team.get(response["Location"]).status_code == 200
    assert client_of(personas.analyst).get("/situation/national/").status_code == 404
