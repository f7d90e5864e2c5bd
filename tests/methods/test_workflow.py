"""The guided workflow: guidance as versioned data, ticks by the case owners, the version a case
followed, deadlines from the measures; the case's own policy and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from nmt.audit.models import AuditEvent
from nmt.cases.services import measure_add
from nmt.methods import selectors, services
from nmt.methods.models import CaseGuidance, GuidanceItem, GuidanceStatus


def test_the_seeded_guidance_is_published_bilingual_data(guidance):
    items = list(guidance.items.all())
    assert guidance.status == GuidanceStatus.PUBLISHED
    assert {i.kind for i in items} == {"indicator", "step"}
    assert all(i.title_sv and i.title_en and i.text_sv and i.text_en for i in items)
    purposes = {i.purpose for i in items if i.kind == "indicator"}
    assert {"sexual", "forced_labour", "begging", "crime", "forced_marriage"} <= purposes
    assert guidance.items.get(key="reflection-period").measure_kind == "reflection_period"


def test_owner_ticks_and_the_case_keeps_its_version(personas, national, stockholm_case):
    anna = personas.coordinator_stockholm
    services.workflow_update(
        actor=anna, case=stockholm_case, tick={"contact-coordinator", "sexual-advertised"}
    )
    workflow = selectors.workflow_get(actor=anna, case_number=stockholm_case.case_number)
    assert workflow.started
    assert workflow.version.number == 1
    assert workflow.steps_done == 1
    assert workflow.indicators_seen == 1
    assert workflow.next_steps[0].item.key == "assess-safety"
    # Indicators of the case's purpose (sexual) and general ones; not those of other purposes.
    keys = {e.item.key for e in workflow.indicators}
    assert {"sexual-advertised", "general-debt"} <= keys
    assert "labour-pay" not in keys

    # The national team publishes version 2: the case still follows version 1.
    draft = services.guidance_draft_create(actor=national, change_note="Ny text")
    step = draft.items.get(key="assess-safety")
    services.guidance_item_save(
        actor=national, version=draft, item=step, title_sv="Bedöm säkerheten", title_en="Safety"
    )
    services.guidance_publish(actor=national, version=draft)
    workflow = selectors.workflow_get(actor=anna, case_number=stockholm_case.case_number)
    assert workflow.version.number == 1
    assert workflow.newer_version.number == 2
    assert CaseGuidance.objects.get(identification=stockholm_case).version.number == 1

    services.workflow_update(actor=anna, case=stockholm_case, untick={"contact-coordinator"})
    workflow = selectors.workflow_get(actor=anna, case_number=stockholm_case.case_number)
    assert workflow.steps_done == 0


def test_ticks_are_audited_with_the_case(personas, guidance, stockholm_case):
    anna = personas.coordinator_stockholm
    services.workflow_update(actor=anna, case=stockholm_case, tick={"assess-safety"})
    event = AuditEvent.objects.filter(object_type="case_guidance").latest("id")
    assert event.action == "update"
    assert event.details["ticked"] == ["assess-safety"]
    assert ("identification", str(stockholm_case.pk)) in {
        (a.object_type, a.object_id) for a in event.accesses.all()
    }
    selectors.workflow_get(actor=anna, case_number=stockholm_case.case_number)
    assert AuditEvent.objects.filter(object_type="case_guidance", action="view").exists()


def test_only_owners_tick(personas, guidance, stockholm_case):
    with pytest.raises(PermissionDenied):
        services.workflow_update(
            actor=personas.liaison_migrationsverket, case=stockholm_case, tick={"assess-safety"}
        )
    with pytest.raises(ValidationError):
        services.workflow_update(
            actor=personas.coordinator_stockholm, case=stockholm_case, tick={"no-such-step"}
        )


@pytest.mark.parametrize(
    "persona", ["coordinator_syd", "supportline", "analyst", "auditor", "admin", "outsider"]
)
def test_who_may_not_see_the_case_gets_404(personas, guidance, stockholm_case, persona):
    with pytest.raises(Http404):
        selectors.workflow_get(
            actor=getattr(personas, persona), case_number=stockholm_case.case_number
        )


def test_deadlines_come_from_the_measures(personas, guidance, stockholm_case):
    anna = personas.coordinator_stockholm
    today = timezone.localdate()
    measure_add(
        actor=anna,
        case=stockholm_case,
        kind="reflection_period",
        status="active",
        starts_on=today - dt.timedelta(days=27),
    )
    workflow = selectors.workflow_get(actor=anna, case_number=stockholm_case.case_number)
    step = next(e for e in workflow.steps if e.item.key == "reflection-period")
    assert step.deadline.days_left == 3
    assert step.deadline.urgency == "soon"
    assert [d.measure.kind for d in workflow.deadlines] == ["reflection_period"]


def test_a_published_version_cannot_be_changed(national, guidance):
    item = guidance.items.first()
    with pytest.raises(ValidationError):
        services.guidance_item_save(actor=national, version=guidance, item=item, title_sv="x")


def test_only_the_national_team_manages_guidance(personas, guidance):
    for persona in ("analyst", "admin", "coordinator_stockholm", "auditor"):
        with pytest.raises(PermissionDenied):
            services.guidance_draft_create(actor=getattr(personas, persona))


def test_the_case_page_shows_the_panel_and_saves_ticks(
    personas, guidance, stockholm_case, client_of
):
    client = client_of(personas.coordinator_stockholm)
    url = f"/cases/{stockholm_case.case_number}/"
    page = client.get(url).content.decode()
    assert 'id="workflow-h"' in page
    assert 'name="done" value="assess-safety"' in page
    response = client.post(url + "workflow/", {"done": ["assess-safety", "general-threats"]})
    assert response.status_code == 302
    guidance_row = CaseGuidance.objects.get(identification=stockholm_case)
    assert set(guidance_row.ticks.values_list("item__key", flat=True)) == {
        "assess-safety",
        "general-threats",
    }
    # Unticking one: the page had shown both as ticked.
    client.post(
        url + "workflow/",
        {"shown": ["assess-safety", "general-threats"], "done": ["general-threats"]},
    )
    assert list(guidance_row.ticks.values_list("item__key", flat=True)) == ["general-threats"]
    # htmx gets the panel back.
    panel = client.post(url + "workflow/", {"done": ["assess-safety"]}, HTTP_HX_REQUEST="true")
    assert panel.content.decode().lstrip().startswith("<section")


def test_a_liaison_sees_the_workflow_but_cannot_tick(
    personas, agency, guidance, stockholm_case, client_of
):
    from nmt.cases.services import referral_create

    referral_create(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        to_agency=agency["migrationsverket"],
        legal_ground="consent",
        consent="given",
    )
    client = client_of(personas.liaison_migrationsverket)
    page = client.get(f"/cases/{stockholm_case.case_number}/").content.decode()
    assert 'id="workflow-h"' in page
    assert 'name="done"' not in page
    response = client.post(
        f"/cases/{stockholm_case.case_number}/workflow/", {"done": ["assess-safety"]}
    )
    assert response.status_code == 403
    outsider = client_of(personas.coordinator_syd)
    response = outsider.post(f"/cases/{stockholm_case.case_number}/workflow/", {"done": ["x"]})
    assert response.status_code == 404


def test_national_team_edits_and_publishes_in_the_web(national, client_of, guidance):
    client = client_of(national)
    assert client.post("/guidance/new/").status_code == 302
    page = client.get("/guidance/2/").content.decode()
    assert "Publish" in page or "Publicera" in page
    item = guidance.items.get(key="interpreter")
    draft_item = GuidanceItem.objects.get(version__number=2, key="interpreter")
    data = {
        f: getattr(draft_item, f)
        for f in (
            "kind",
            "key",
            "purpose",
            "phase",
            "order",
            "measure_kind",
            "title_sv",
            "title_en",
            "text_sv",
            "text_en",
        )
    }
    data["title_en"] = "Book a professional interpreter"
    assert client.post(f"/guidance/2/items/{draft_item.pk}/", data).status_code == 302
    assert client.post("/guidance/2/publish/").status_code == 302
    assert item.title_en != "Book a professional interpreter"
    assert services.published_guidance().items.get(key="interpreter").title_en == (
        "Book a professional interpreter"
    )
