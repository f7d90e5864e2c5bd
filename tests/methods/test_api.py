"""The method-support API: same policies as the pages, every response checked against the
OpenAPI schema."""

from __future__ import annotations

import json

import pytest
from tests.api.support import ConformingClient, OpenApi

API = "/api/v1"


@pytest.fixture(scope="module")
def openapi() -> OpenApi:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return OpenApi(json.loads(OpenApiJsonRenderer().render(schema)))


@pytest.fixture
def api(openapi):
    def make(user) -> ConformingClient:
        client = ConformingClient()
        client.openapi = openapi
        client.force_authenticate(user)
        return client

    return make


def test_guidance_and_workflow(personas, guidance, stockholm_case, api):
    anna = api(personas.coordinator_stockholm)
    body = anna.get(f"{API}/guidance/").json()
    assert body["number"] == 1
    assert any(i["key"] == "reflection-period" for i in body["items"])
    url = f"{API}/cases/{stockholm_case.case_number}/workflow/"
    response = anna.post(url, {"tick": ["contact-coordinator"]}, format="json")
    assert response.status_code == 200
    assert response.json()["next_steps"][0] == "assess-safety"
    assert anna.post(url, {"tick": ["nope"]}, format="json").status_code == 400
    assert anna.post(url, {"tock": []}, format="json").status_code == 400
    assert api(personas.coordinator_syd).get(url).status_code == 404
    assert api(personas.auditor).get(f"{API}/guidance/").status_code == 404


def test_library_reports_meetings_and_signals(personas, national, region, api):
    from nmt.methods import services

    services.library_item_create(
        actor=national,
        kind="page",
        category="guidance",
        title="Tolk i första samtalet",
        body="Boka tolk via telefon.",
    )
    hits = api(personas.supportline).get(f"{API}/library/", {"q": "tolk"}).json()
    assert hits[0]["item"]["title"] == "Tolk i första samtalet"
    assert "[" in hits[0]["snippet"]
    item_id = hits[0]["item"]["id"]
    assert api(personas.supportline).get(f"{API}/library/{item_id}/").status_code == 200
    assert api(personas.auditor).get(f"{API}/library/{item_id}/").status_code == 404

    report = services.report_create(
        actor=personas.coordinator_stockholm, region=region["stockholm"], year=2025, term=1
    )
    assert (
        api(personas.coordinator_stockholm).get(f"{API}/situation-reports/{report.pk}/").status_code
        == 200
    )
    assert (
        api(personas.coordinator_syd).get(f"{API}/situation-reports/{report.pk}/").status_code
        == 404
    )
    assert api(personas.coordinator_syd).get(f"{API}/situation-reports/").json() == []

    assert api(personas.coordinator_stockholm).get(f"{API}/meetings/").json() == []
    assert (
        api(personas.coordinator_stockholm)
        .get(f"{API}/meeting-actions/", {"overdue": "true"})
        .json()
        == []
    )

    assert api(personas.analyst).get(f"{API}/signals/").status_code == 404
    board = api(national).get(f"{API}/signals/").json()
    assert board["alpha"] == 0.01
