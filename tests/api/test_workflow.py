"""Measures, referrals and support-line calls through the API."""

from __future__ import annotations

import datetime as dt

from tests.api.support import API

from nmt.cases.models import Measure, Referral


def case_url(case, suffix: str = "") -> str:
    return f"{API}/cases/{case.case_number}/{suffix}"


def test_measures_add_list_change(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = case_url(world.stockholm, "measures/")
    permit = {
        "kind": "temporary_residence_permit",
        "status": "applied",
        "applied_on": "2025-04-01",
        "applied_by": "Förundersökningsledare",
        "starts_on": "2025-05-01",
        "ends_on": "2025-07-01",
    }
    too_short = client.post(url, permit)
    assert too_short.status_code == 400
    assert set(too_short.json()["errors"]) == {"ends_on"}
    created = client.post(url, {**permit, "ends_on": "2025-11-01"})
    assert created.status_code == 201
    measure = created.json()
    assert measure["case_number"] == world.stockholm.case_number
    listed = client.get(url).json()
    assert {m["id"] for m in listed} == {world.measure.pk, measure["id"]}
    changed = client.patch(
        f"{url}{measure['id']}/", {"version": 1, "status": "granted", "decided_on": "2025-04-20"}
    )
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["version"]) == ("granted", 2)
    assert changed.json()["applied_by"] == "Förundersökningsledare"


def test_reflection_period_gets_thirty_days(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    body = {"kind": "reflection_period", "starts_on": "2025-03-01"}
    measure = client.post(case_url(world.protected, "measures/"), body).json()
    assert measure["ends_on"] == "2025-03-31"


def test_measure_change_rejects_bad_dates_and_saves_nothing(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    url = case_url(world.stockholm, f"measures/{world.measure.pk}/")
    response = client.patch(url, {"version": 1, "ends_on": "2000-01-01"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"ends_on"}
    assert Measure.objects.get(pk=world.measure.pk).version == 1


def test_referral_accepted_then_the_receiver_contributes(personas, world, client_for):
    liaison = client_for(personas.liaison_migrationsverket)
    url = case_url(world.stockholm, f"referrals/{world.referral.pk}/")
    accepted = liaison.post(url + "accept/", {"version": 1})
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["version"]) == ("accepted", 2)
    # Only a pending referral can be answered (the policy says so before any version check).
    again = liaison.post(url + "accept/", {"version": 2})
    assert again.status_code == 403
    note = liaison.post(case_url(world.stockholm, "timeline/"), {"text": "Interview booked."})
    assert note.status_code == 201
    measure = liaison.post(
        case_url(world.stockholm, "measures/"), {"kind": "interpreter", "status": "active"}
    )
    assert measure.status_code == 201
    # The receiver may close; access ends and there is nothing more to show them.
    closed = liaison.post(url + "close/", {"version": 2})
    assert closed.status_code == 204
    assert Referral.objects.get(pk=world.referral.pk).status == "closed"
    assert liaison.get(case_url(world.stockholm)).status_code == 404


def test_referral_declined_with_a_reason(personas, world, client_for):
    liaison = client_for(personas.liaison_migrationsverket)
    url = case_url(world.stockholm, f"referrals/{world.referral.pk}/decline/")
    no_reason = liaison.post(url, {"version": 1, "decline_reason": " "})
    assert no_reason.status_code == 400
    assert set(no_reason.json()["errors"]) == {"decline_reason"}
    declined = liaison.post(url, {"version": 1, "decline_reason": "Not our matter."})
    assert declined.status_code == 204
    owner = client_for(personas.coordinator_stockholm)
    referral = owner.get(case_url(world.stockholm, f"referrals/{world.referral.pk}/")).json()
    assert (referral["status"], referral["decline_reason"]) == ("declined", "Not our matter.")
    timeline = owner.get(case_url(world.stockholm, "timeline/")).json()["results"]
    assert timeline[0]["data"]["event"] == "declined"


def test_only_the_receiver_answers_a_referral(personas, world, client_for):
    owner = client_for(personas.coordinator_stockholm)
    url = case_url(world.stockholm, f"referrals/{world.referral.pk}/accept/")
    assert owner.post(url, {"version": 1}).status_code == 403


def test_refer_a_case(personas, world, client_for, agency):
    client = client_for(personas.coordinator_stockholm)
    url = case_url(world.protected, "referrals/")
    missing_ground = client.post(
        url, {"to_agency": "polismyndigheten", "legal_ground": "other_statute", "consent": "given"}
    )
    assert missing_ground.status_code == 400
    assert set(missing_ground.json()["errors"]) == {"legal_ground_detail"}
    created = client.post(
        url,
        {
            "to_agency": "polismyndigheten",
            "legal_ground": "consent",
            "consent": "given",
            "message": "Please contact me.",
        },
    )
    assert created.status_code == 201
    assert created.json()["to_agency"] == "polismyndigheten"
    police = client_for(personas.liaison_polisen)
    assert [r["case_number"] for r in police.get(f"{API}/referrals/inbox/").json()] == [
        world.protected.case_number
    ]
    # A protected person's location stays hidden from the receiver, as from everyone.
    person = police.get(case_url(world.protected, "person/")).json()
    assert (person["protected"], person["address"]) == (True, None)
    # The sender closes it: the receiver's access ends.
    referral = created.json()
    assert (
        client.post(f"{url}{referral['id']}/close/", {"version": referral["version"]}).status_code
        == 200
    )
    assert police.get(case_url(world.protected)).status_code == 404


def test_support_line_calls(personas, world, client_for, region):
    client = client_for(personas.supportline)
    created = client.post(
        f"{API}/contacts/",
        {
            "occurred_at": "2025-03-03T09:30:00+01:00",
            "duration_minutes": 25,
            "caller_type": "police",
            "topic": "legal",
            "region": "stockholm",
            "advice": "Contact the prosecutor.",
        },
    )
    assert created.status_code == 201
    contact = created.json()
    assert contact["created_by"] == "lina_stod"
    listing = client.get(f"{API}/contacts/", {"topic": "legal"}).json()
    assert [c["id"] for c in listing["results"]] == [contact["id"]]
    follow = client.get(f"{API}/contacts/", {"follow_up_open": "true"}).json()
    assert [c["id"] for c in follow["results"]] == [world.contact.pk]
    bad = client.patch(f"{API}/contacts/{contact['id']}/", {"version": 1, "duration_minutes": 900})
    assert set(bad.json()["errors"]) == {"duration_minutes"}
    done = client.patch(
        f"{API}/contacts/{contact['id']}/", {"version": 1, "follow_up_done": True}
    ).json()
    assert (done["follow_up_done"], done["version"]) == (True, 2)
    # Another support-line colleague opens a case from it, with no identifying data.
    opened = client_for(personas.supportline_2).post(
        f"{API}/contacts/{contact['id']}/open-case/", {}
    )
    assert opened.status_code == 201
    case = opened.json()
    assert (case["channel"], case["region"], case["identified_on"]) == (
        "support_line",
        "stockholm",
        "2025-03-03",
    )
    assert case["person"]["given_name"] == ""


def test_opening_a_case_from_a_call_without_region_needs_one(personas, client_for):
    client = client_for(personas.supportline)
    now = dt.datetime.now(dt.UTC).isoformat()
    contact = client.post(f"{API}/contacts/", {"occurred_at": now, "topic": "method"}).json()
    response = client.post(f"{API}/contacts/{contact['id']}/open-case/", {})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"region"}
    response = client.post(f"{API}/contacts/{contact['id']}/open-case/", {"region": "nord"})
    assert response.status_code == 201


def test_reference_lists(personas, client_for):
    client = client_for(personas.outsider)
    regions = {r["code"]: r for r in client.get(f"{API}/regions/").json()}
    assert len(regions) == 7
    assert {"code": "0180", "name": "Stockholm"} in regions["stockholm"]["municipalities"]
    agencies = {a["code"] for a in client.get(f"{API}/agencies/").json()}
    assert {"migrationsverket", "polismyndigheten", "socialtjansten"} <= agencies
