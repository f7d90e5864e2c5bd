"""The access policy seen through the API, for every persona: what each lists, sees and may do.

A case one may not see answers 404 exactly as a missing one; roles that see nothing get empty lists
or 404, never a 403 that would tell that the case exists.
"""

from __future__ import annotations

import pytest
from tests.api.support import API, CASES, VISIBLE

PERSONAS = sorted(VISIBLE)


def case_url(case, suffix: str = "") -> str:
    return f"{API}/cases/{case.case_number}/{suffix}"


@pytest.mark.parametrize("name", PERSONAS)
def test_case_list_shows_exactly_the_visible_cases(name, personas, world, client_for):
    client = client_for(getattr(personas, name))
    response = client.get(f"{API}/cases/")
    assert response.status_code == 200
    expected = {getattr(world, case).case_number for case in VISIBLE[name]}
    assert response.json()["count"] == len(expected)
    assert {row["case_number"] for row in response.json()["results"]} == expected


@pytest.mark.parametrize("name", PERSONAS)
def test_every_case_is_visible_or_an_ordinary_404(name, personas, world, client_for):
    client = client_for(getattr(personas, name))
    missing = client.get(f"{API}/cases/NMT-2025-99999/")
    assert missing.status_code == 404
    for case in CASES:
        number = getattr(world, case).case_number
        for suffix in ("", "person/", "timeline/", "measures/", "referrals/"):
            response = client.get(f"{API}/cases/{number}/{suffix}")
            if case in VISIBLE[name]:
                assert response.status_code == 200, (case, suffix)
            else:
                assert response.status_code == 404, (case, suffix)
                assert response.json() == missing.json()


@pytest.mark.parametrize("name", PERSONAS)
def test_sub_objects_of_invisible_cases_are_404(name, personas, world, client_for):
    client = client_for(getattr(personas, name))
    visible = "stockholm" in VISIBLE[name]
    expected = 200 if visible else 404
    measure = client.get(case_url(world.stockholm, f"measures/{world.measure.pk}/"))
    referral = client.get(case_url(world.stockholm, f"referrals/{world.referral.pk}/"))
    assert (measure.status_code, referral.status_code) == (expected, expected)
    if not visible:
        # Writes to a case one cannot see are 404 as well, before any permission is considered.
        assert client.patch(case_url(world.stockholm), {"version": 1}).status_code == 404
        assert client.post(case_url(world.stockholm, "timeline/"), {"text": "x"}).status_code == 404
        assert (
            client.post(
                case_url(world.stockholm, f"referrals/{world.referral.pk}/accept/"),
                {"version": 1},
            ).status_code
            == 404
        )


def test_sub_objects_are_found_only_under_their_own_case(personas, world, client_for):
    client = client_for(personas.coordinator_stockholm)
    wrong_case = case_url(world.protected, f"measures/{world.measure.pk}/")
    assert client.get(wrong_case).status_code == 404
    wrong_case = case_url(world.protected, f"referrals/{world.referral.pk}/")
    assert client.get(wrong_case).status_code == 404


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("coordinator_stockholm", 201),
        ("supportline", 201),
        ("liaison_migrationsverket", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("admin", 403),
        ("outsider", 403),
    ],
)
def test_who_may_register_a_case(name, status, personas, region, client_for):
    client = client_for(getattr(personas, name))
    body = {"channel": "regional_coordinator", "identified_on": "2025-05-01", "region": "stockholm"}
    assert client.post(f"{API}/cases/", body).status_code == status


def test_liaison_with_an_open_referral_sees_but_may_not_edit(personas, world, client_for):
    client = client_for(personas.liaison_migrationsverket)
    detail = client.get(case_url(world.stockholm)).json()
    assert detail["permissions"] == {"edit": False, "contribute": False, "refer": False}
    assert client.patch(case_url(world.stockholm), {"version": 1}).status_code == 403
    person = client.patch(case_url(world.stockholm, "person/"), {"version": 1, "given_name": "X"})
    assert person.status_code == 403
    status = client.post(case_url(world.stockholm, "status/"), {"version": 1, "status": "closed"})
    assert status.status_code == 403
    # Contributing needs an accepted referral.
    assert client.post(case_url(world.stockholm, "timeline/"), {"text": "Hej"}).status_code == 403


def test_liaison_with_a_closed_referral_gets_404(personas, world, client_for):
    client = client_for(personas.liaison_polisen)
    assert client.get(case_url(world.closed_referral_case)).status_code == 404
    inbox = client.get(f"{API}/referrals/inbox/")
    assert inbox.json() == []


def test_coordinator_of_another_region_cannot_edit(personas, world, client_for):
    client = client_for(personas.coordinator_syd)
    response = client.patch(case_url(world.stockholm), {"version": 1, "offence": "trafficking"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", PERSONAS)
def test_support_line_calls_only_for_the_support_line(name, personas, world, client_for):
    client = client_for(getattr(personas, name))
    listing = client.get(f"{API}/contacts/")
    detail = client.get(f"{API}/contacts/{world.contact.pk}/")
    if name.startswith("supportline"):
        assert listing.json()["count"] == 1
        assert detail.status_code == 200
    else:
        assert listing.json()["count"] == 0
        assert detail.status_code == 404
        patch = client.patch(f"{API}/contacts/{world.contact.pk}/", {"version": 1})
        assert patch.status_code == 404
        opened = client.post(f"{API}/contacts/{world.contact.pk}/open-case/", {})
        assert opened.status_code == 404
        created = client.post(
            f"{API}/contacts/", {"occurred_at": "2025-01-01T10:00:00Z", "topic": "legal"}
        )
        assert created.status_code == 403


@pytest.mark.parametrize(
    ("name", "hits"),
    [
        ("coordinator_stockholm", 1),
        ("supportline", 1),
        ("liaison_migrationsverket", 0),
        ("analyst", 0),
        ("outsider", 0),
    ],
)
def test_national_index_without_identities(name, hits, personas, world, client_for):
    client = client_for(getattr(personas, name))
    response = client.get(f"{API}/case-index/", {"q": "Kovalenko"})
    assert response.status_code == 200
    assert len(response.json()) == hits
    if hits:
        entry = response.json()[0]
        assert entry["case_number"] == world.syd.case_number
        assert set(entry) == {"case_number", "year", "region_name", "status", "channel", "purposes"}


def test_inactive_user_and_anonymous_are_not_authenticated(personas, world, client_for, anonymous):
    inactive = client_for(personas.inactive_coordinator)
    assert inactive.get(f"{API}/cases/").status_code == 401
    response = anonymous.get(f"{API}/cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert anonymous.get(case_url(world.stockholm)).status_code == 401


def test_deadlines_and_inbox_follow_the_policy(personas, world, client_for):
    anna = client_for(personas.coordinator_stockholm).get(f"{API}/deadlines/").json()
    assert [d["measure_id"] for d in anna] == [world.measure.pk]
    assert anna[0]["days_left"] == 5
    assert client_for(personas.coordinator_syd).get(f"{API}/deadlines/").json() == []
    inbox = client_for(personas.liaison_migrationsverket).get(f"{API}/referrals/inbox/").json()
    assert [r["id"] for r in inbox] == [world.referral.pk]
    assert client_for(personas.coordinator_syd).get(f"{API}/referrals/inbox/").json() == []
