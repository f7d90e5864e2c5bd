"""No lost updates: the second of two edits from the same version is refused with 409, saying
who changed what since and showing the object as it is now; nothing of the refused edit is saved.
"""

from __future__ import annotations

import pytest
from tests.api.support import API

from nmt.cases.models import Identification, Person


@pytest.fixture
def anna_and_erik(personas, client_for):
    return client_for(personas.coordinator_stockholm), client_for(personas.coordinator_stockholm_2)


def test_two_coordinators_edit_the_same_case(anna_and_erik, world):
    anna, erik = anna_and_erik
    url = f"{API}/cases/{world.stockholm.case_number}/"
    version = anna.get(url).json()["version"]
    assert erik.get(url).json()["version"] == version
    saved = erik.patch(url, {"version": version, "offence": "trafficking", "industry": "cleaning"})
    assert saved.status_code == 200
    refused = anna.patch(url, {"version": version, "exploitation_place": "abroad"})
    assert refused.status_code == 409
    body = refused.json()
    assert set(body) == {"detail", "current_version", "changes", "changed_fields", "current"}
    assert body["current_version"] == version + 1
    [change] = body["changes"]
    assert change["version"] == version + 1
    assert change["by"] == "erik_sthlm"
    assert set(change["fields"]) == {"offence", "industry"}
    assert set(body["changed_fields"]) == {"offence", "industry"}
    assert body["current"]["offence"] == "trafficking"
    assert body["current"]["version"] == version + 1
    assert str(version + 1) in body["detail"]
    case = Identification.objects.get(pk=world.stockholm.pk)
    assert (case.exploitation_place, case.version) == ("unknown", version + 1)
    # Saving again from the current version goes through.
    again = anna.patch(url, {"version": body["current_version"], "exploitation_place": "abroad"})
    assert again.status_code == 200


def test_if_match_header_instead_of_the_body(anna_and_erik, world):
    anna, erik = anna_and_erik
    url = f"{API}/cases/{world.stockholm.case_number}/"
    assert erik.patch(url, {"offence": "exploitation"}, HTTP_IF_MATCH='"1"').status_code == 200
    refused = anna.patch(url, {"offence": "trafficking"}, HTTP_IF_MATCH='W/"1"')
    assert refused.status_code == 409
    disagree = anna.patch(url, {"version": 2, "offence": "trafficking"}, HTTP_IF_MATCH='"1"')
    assert set(disagree.json()["errors"]) == {"version"}
    garbage = anna.patch(url, {"offence": "trafficking"}, HTTP_IF_MATCH="*")
    assert set(garbage.json()["errors"]) == {"version"}


def test_status_change_conflicts_with_an_edit(anna_and_erik, world):
    anna, erik = anna_and_erik
    url = f"{API}/cases/{world.stockholm.case_number}/"
    assert erik.patch(url, {"version": 1, "estimated_age": 30}).status_code == 200
    refused = anna.post(url + "status/", {"version": 1, "status": "support"})
    assert refused.status_code == 409
    assert refused.json()["changed_fields"] == ["estimated_age"]
    assert Identification.objects.get(pk=world.stockholm.pk).status == "open"


def test_two_edits_of_the_person(anna_and_erik, world):
    anna, erik = anna_and_erik
    url = f"{API}/cases/{world.stockholm.case_number}/person/"
    assert erik.patch(url, {"version": 1, "family_name": "Popescu-Ionescu"}).status_code == 200
    refused = anna.patch(url, {"version": 1, "given_name": "Ioana"})
    assert refused.status_code == 409
    body = refused.json()
    assert body["changed_fields"] == ["family_name"]
    assert body["current"]["family_name"] == "Popescu-Ionescu"
    assert body["current"]["given_name"] == "Ioana Maria"
    assert Person.objects.get(pk=world.stockholm.person_id).given_name == "Ioana Maria"


def test_protected_location_stays_out_of_the_conflict_body(anna_and_erik, world):
    anna, erik = anna_and_erik
    url = f"{API}/cases/{world.protected.case_number}/person/"
    assert erik.patch(url, {"version": 1, "whereabouts": "Annat boende"}).status_code == 200
    refused = anna.patch(url, {"version": 1, "address": "x"})
    assert refused.status_code == 409
    assert refused.json()["current"]["whereabouts"] is None
    assert b"Annat boende" not in refused.content


def test_two_edits_of_a_measure(anna_and_erik, world):
    anna, erik = anna_and_erik
    url = f"{API}/cases/{world.stockholm.case_number}/measures/{world.measure.pk}/"
    assert erik.patch(url, {"version": 1, "status": "ended"}).status_code == 200
    refused = anna.patch(url, {"version": 1, "notes": "Extended"})
    assert refused.status_code == 409
    assert refused.json()["current"]["status"] == "ended"
    assert refused.json()["changes"][0]["by"] == "erik_sthlm"


def test_two_edits_of_a_call(personas, world, client_for):
    lina, omar = client_for(personas.supportline), client_for(personas.supportline_2)
    url = f"{API}/contacts/{world.contact.pk}/"
    assert omar.patch(url, {"version": 1, "follow_up_done": True}).status_code == 200
    refused = lina.patch(url, {"version": 1, "advice": "Call the police."})
    assert refused.status_code == 409
    assert refused.json()["changed_fields"] == ["follow_up_done"]
    assert refused.json()["current"]["advice"] == ""


def test_closing_a_referral_that_was_answered_meanwhile(personas, world, client_for):
    owner = client_for(personas.coordinator_stockholm)
    liaison = client_for(personas.liaison_migrationsverket)
    url = f"{API}/cases/{world.stockholm.case_number}/referrals/{world.referral.pk}/"
    assert liaison.post(url + "accept/", {"version": 1}).status_code == 200
    refused = owner.post(url + "close/", {"version": 1})
    assert refused.status_code == 409
    assert refused.json()["current"]["status"] == "accepted"
    assert refused.json()["changes"][0]["by"] == "maja_mig"


def test_a_conflict_after_losing_sight_of_the_case_shows_nothing(anna_and_erik, world):
    anna, erik = anna_and_erik
    url = f"{API}/cases/{world.stockholm.case_number}/"
    assert erik.patch(url, {"version": 1, "region": "syd"}).status_code == 204
    # Anna can no longer see the case: 404, as for any case outside her region.
    assert anna.patch(url, {"version": 1, "offence": "trafficking"}).status_code == 404
