"""Cases through the API: registration, edits, status, person, timeline; errors as field messages
in the request's language, and nothing half-saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from tests.api.support import API

from nmt.audit.models import AuditEvent
from nmt.cases.models import Identification, Person, TimelineEntry


def counts() -> tuple[int, int, int, int]:
    return (
        Person.objects.count(),
        Identification.objects.count(),
        TimelineEntry.objects.count(),
        AuditEvent.objects.count(),
    )


def test_register_with_channel_date_and_region_only(personas, client_for):
    client = client_for(personas.coordinator_stockholm)
    body = {"channel": "regional_coordinator", "identified_on": "2025-05-01", "region": "stockholm"}
    response = client.post(f"{API}/cases/", body)
    assert response.status_code == 201
    case = response.json()
    assert response["Location"] == f"{API}/cases/{case['case_number']}/"
    assert case["case_number"].startswith("NMT-2025-")
    assert case["purposes"] == ["unknown"]
    assert case["age_group"] == "unknown"
    assert case["person"]["given_name"] == ""
    assert case["permissions"] == {"edit": True, "contribute": True, "refer": True}


def test_register_a_named_person_and_a_second_identification(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    body = {
        "channel": "migrationsverket",
        "identified_on": "2024-11-02",
        "region": "stockholm",
        "municipality": "0180",
        "purposes": ["sexual", "crime"],
        "indicators": ["debt_bondage"],
        "note": "Met at the reception centre.",
        "person": {
            "given_name": "Amina",
            "family_name": "Bello",
            "aliases": ["Mina", "A. Bello"],
            "birth_date": "2008-07",
            "sex": "female",
            "citizenships": ["NG"],
            "documents": [{"kind": "passport", "number": "A1234567", "issuing_country": "NG"}],
        },
    }
    first = client.post(f"{API}/cases/", body).json()
    assert first["age_group"] == "child"
    assert first["municipality"] == "0180"
    assert first["purposes"] == ["crime", "sexual"]
    assert first["person"]["aliases"] == ["Mina", "A. Bello"]
    assert first["person"]["documents"] == [
        {"kind": "passport", "number": "A1234567", "issuing_country": "NG"}
    ]
    again = {
        "channel": "regional_coordinator",
        "identified_on": "2025-01-10",
        "region": "stockholm",
        "same_person_as": first["case_number"],
    }
    second = client.post(f"{API}/cases/", again).json()
    assert second["person"]["family_name"] == "Bello"
    assert [c["case_number"] for c in second["other_cases"]] == [first["case_number"]]
    # A case the actor cannot see names no person: same answer as a missing case.
    hidden = {**again, "same_person_as": world.syd.case_number}
    response = client.post(f"{API}/cases/", hidden)
    assert response.status_code == 400
    missing = client.post(f"{API}/cases/", {**again, "same_person_as": "NMT-2020-99999"})
    assert response.json() == missing.json()


def test_bad_identity_number_is_a_field_error_and_nothing_is_saved(personas, client_for):
    client = client_for(personas.coordinator_stockholm)
    before = counts()
    body = {
        "channel": "regional_coordinator",
        "identified_on": "2025-05-01",
        "region": "stockholm",
        "person": {
            "given_name": "Test",
            "birth_date": "1999-13-40",
            "documents": [
                {"kind": "passport", "number": "X1"},
                {"kind": "personnummer", "number": "199904022384"},
            ],
        },
    }
    response = client.post(f"{API}/cases/", body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"person.birth_date", "person.documents.1.number"}
    assert counts() == before


def test_shape_errors_are_flattened_with_dots(personas, client_for):
    client = client_for(personas.coordinator_stockholm)
    body = {
        "channel": "teleport",
        "identified_on": "2025-05-01",
        "region": "atlantis",
        "person": {"documents": [{"kind": "passport", "number": "X"}, {"kind": "scroll"}]},
        "colour": "blue",
    }
    errors = client.post(f"{API}/cases/", body).json()["errors"]
    assert set(errors) == {
        "channel",
        "region",
        "colour",
        "person.documents.1.kind",
        "person.documents.1.number",
    }


@pytest.mark.parametrize(
    ("lang", "required"),
    [("sv", "Det här fältet är obligatoriskt."), ("en", "This field is required.")],
)
def test_messages_in_the_request_language(lang, required, personas, client_for):
    client = client_for(personas.coordinator_stockholm, lang=lang)
    response = client.post(f"{API}/cases/", {"region": "stockholm"})
    assert response.status_code == 400
    assert response["Content-Language"] == lang
    assert response.json()["errors"]["channel"] == [required]
    # A service's own message comes out in the same language.
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    body = {"channel": "police", "identified_on": future, "region": "stockholm"}
    response = client.post(f"{API}/cases/", body)
    with translation.override(lang):
        expected = translation.gettext("The date is in the future.")
    assert response.json()["errors"] == {"identified_on": [expected]}


def test_swedish_is_the_default_language(personas, client_for):
    client = client_for(personas.coordinator_stockholm, lang=None)
    response = client.post(f"{API}/cases/", {})
    assert response["Content-Language"] == "sv"
    assert response.json()["errors"]["channel"] == ["Det här fältet är obligatoriskt."]


def test_edit_case_details(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.stockholm.case_number}/"
    body = {
        "version": 1,
        "offence": "trafficking",
        "purposes": ["sexual", "forced_labour"],
        "industry": "cleaning",
        "estimated_age": 17,
    }
    response = client.patch(url, body)
    assert response.status_code == 200
    case = response.json()
    assert case["version"] == 2
    assert case["purposes"] == ["forced_labour", "sexual"]
    assert case["industry"] == "cleaning"
    timeline = client.get(url + "timeline/").json()["results"]
    assert timeline[0]["kind"] == "change"
    assert set(timeline[0]["data"]["fields"]) >= {"offence", "purposes", "industry"}


def test_edit_rejects_unknown_fields_and_a_missing_version(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.stockholm.case_number}/"
    assert client.patch(url, {"version": 1, "status": "closed"}).json()["errors"] == {
        "status": ["Unknown field."]
    }
    assert set(client.patch(url, {"offence": "trafficking"}).json()["errors"]) == {"version"}
    assert Identification.objects.get(pk=world.stockholm.pk).version == 1


def test_municipality_must_be_in_the_region(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.stockholm.case_number}/"
    response = client.patch(url, {"version": 1, "municipality": "1280"})  # Malmö, region Syd
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"municipality"}


def test_moving_a_case_out_of_sight_saves_it_and_answers_204(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.protected.case_number}/"
    response = client.patch(url, {"version": 1, "region": "syd"})
    assert response.status_code == 204
    assert Identification.objects.get(pk=world.protected.pk).region.code == "syd"
    assert client.get(url).status_code == 404


def test_status_change_needs_a_reason_to_close(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.stockholm.case_number}/status/"
    response = client.post(url, {"version": 1, "status": "closed"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"closed_reason"}
    response = client.post(
        url, {"version": 1, "status": "closed", "closed_reason": "returned_home", "note": "Bye"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    assert response.json()["closed_on"] == dt.date.today().isoformat()


def test_person_identity_and_location(personas, world, client_for):
    owner = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.stockholm.case_number}/person/"
    person = owner.get(url).json()
    assert person["address"] == "Hemliga gatan 1, Solna"
    assert person["protected"] is False
    assert person["documents"][0]["number"] == "19990402-2382"
    # A receiver of a referral sees the identity but not where the person lives.
    liaison = client_for(personas.liaison_migrationsverket).get(url).json()
    assert liaison["given_name"] == "Ioana Maria"
    assert liaison["address"] is None
    assert liaison["whereabouts"] is None
    detail = client_for(personas.liaison_migrationsverket).get(
        f"{API}/cases/{world.stockholm.case_number}/"
    )
    assert detail.json()["person"]["address"] is None


def test_protected_person_location_is_never_returned(personas, world, client_for):
    owner = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.protected.case_number}/"
    for body in (owner.get(url).json()["person"], owner.get(url + "person/").json()):
        assert body["protected"] is True
        assert body["address"] is None
        assert body["whereabouts"] is None
    # The owner may still change the address; it is saved, and still not returned.
    response = owner.patch(url + "person/", {"version": 1, "address": "Ny skyddad adress 9"})
    assert response.status_code == 200
    assert response.json()["address"] is None
    assert response.json()["version"] == 2
    assert Person.objects.get(pk=world.protected.person_id).address == "Ny skyddad adress 9"
    assert b"Ny skyddad adress" not in owner.get(url).content


def test_person_patch_keeps_the_fields_not_sent(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.stockholm.case_number}/person/"
    response = client.patch(url, {"version": 1, "languages": ["ro", "en"]})
    person = response.json()
    assert person["languages"] == ["ro", "en"]
    assert person["given_name"] == "Ioana Maria"
    assert person["citizenships"] == ["RO"]
    assert person["documents"][0]["kind"] == "personnummer"
    bad = client.patch(
        url, {"version": 2, "documents": [{"kind": "samordningsnummer", "number": "990402-2382"}]}
    )
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) == {"documents.0.number"}


def test_timeline_notes(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = f"{API}/cases/{world.stockholm.case_number}/timeline/"
    blank = client.post(url, {"text": "   "})
    assert blank.status_code == 400
    assert set(blank.json()["errors"]) == {"text"}
    note = client.post(url, {"text": "Spoke with the interpreter."})
    assert note.status_code == 201
    assert note.json()["created_by"] == "anna_sthlm"
    page = client.get(url, {"page_size": 2}).json()
    assert page["results"][0]["text"] == "Spoke with the interpreter."
    assert page["count"] == len(TimelineEntry.objects.filter(identification=world.stockholm))
    assert "page=2" in page["next"]


def test_pages(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    first = client.get(f"{API}/cases/", {"page_size": 2}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (3, 2, None)
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert "page=" not in second["previous"]
    assert client.get(f"{API}/cases/", {"page": 3, "page_size": 2}).status_code == 404
    assert set(client.get(f"{API}/cases/", {"page": 0}).json()["errors"]) == {"page"}
    assert set(client.get(f"{API}/cases/", {"page_size": 500}).json()["errors"]) == {"page_size"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "popescu"}, {"stockholm"}),
        ({"q": "19990402-2382"}, {"stockholm"}),
        ({"year": 2024}, {"closed_referral_case"}),
        ({"purpose": "sexual"}, {"stockholm", "protected"}),
        ({"channel": "police"}, {"closed_referral_case"}),
        ({"region": "syd"}, set()),
        ({"status": "open"}, {"stockholm", "closed_referral_case", "protected"}),
    ],
)
def test_list_filters(params, expected, personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    rows = client.get(f"{API}/cases/", params).json()["results"]
    assert {r["case_number"] for r in rows} == {getattr(world, c).case_number for c in expected}


def test_bad_filters_are_field_errors(personas, client_for):
    client = client_for(personas.coordinator_stockholm)
    response = client.get(f"{API}/cases/", {"year": "last", "purpose": "fun", "region": "x"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year", "purpose", "region"}


def test_malformed_json_is_a_400(personas, client_for):
    client = client_for(personas.coordinator_stockholm)
    response = client.generic("POST", f"{API}/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {}


def test_dates_far_off_are_field_errors(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    body = {"channel": "police", "identified_on": "1066-10-14", "region": "stockholm"}
    assert set(client.post(f"{API}/cases/", body).json()["errors"]) == {"identified_on"}
    measure = {"kind": "reflection_period", "starts_on": "9999-12-20"}
    response = client.post(f"{API}/cases/{world.stockholm.case_number}/measures/", measure)
    assert set(response.json()["errors"]) == {"starts_on"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing/",
        "/api/v2/cases/",
        "/api/",
        "/api/v1/cases/NMT-2025-00001/measures/-1/",
        "/api/v1/cases/a%00b/",
        "/api/v1/cases/a%2Fb/",
    ],
)
def test_paths_that_name_nothing_are_json_404s(path, personas, world):
    from django.test import Client

    client = Client()
    client.force_login(personas.coordinator_stockholm)
    for method in ("get", "post", "delete"):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (method, path)
        assert response.json() == {"detail": "Hittades inte."}


def test_unknown_query_parameters_are_refused(personas, client_for):
    """A misspelt filter must not return everything it was meant to leave out."""
    client = client_for(personas.coordinator_stockholm)
    response = client.get(f"{API}/cases/", {"regon": "syd"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["regon"]
    assert client.get(f"{API}/cases/", {"region": "syd", "page": 1}).status_code == 200
