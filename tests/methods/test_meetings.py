"""Meetings and workshops: participants by agency, decisions, actions with owners and due dates,
overdue actions, and who sees which meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nmt.methods import selectors, services

TODAY = dt.date(2025, 10, 1)


@pytest.fixture
def meetings(personas, region, agency):
    anna = personas.coordinator_stockholm
    national = services.meeting_create(
        actor=anna,
        title="NMT-möte i Angered",
        kind="meeting",
        held_on=dt.date(2025, 9, 10),
        place="Angered",
        region=None,
        agenda="1. Läget\n2. Metoder",
    )
    regional = services.meeting_create(
        actor=anna,
        title="Regional samverkan Stockholm",
        kind="workshop",
        held_on=dt.date(2025, 9, 20),
        region=region["stockholm"],
    )
    services.participant_add(
        actor=anna,
        meeting=national,
        agency=agency["migrationsverket"],
        name="Maja M",
        title="Handläggare",
    )
    services.decision_add(actor=anna, meeting=national, text="Gemensam checklista tas fram.")
    overdue = services.action_add(
        actor=anna,
        meeting=national,
        text="Skicka ut checklistan",
        due_on=dt.date(2025, 9, 25),
        owner=anna,
    )
    later = services.action_add(
        actor=anna,
        meeting=national,
        text="Utvärdera",
        due_on=dt.date(2025, 12, 1),
        owner_agency=agency["migrationsverket"],
    )
    return {"national": national, "regional": regional, "overdue": overdue, "later": later}


def test_overdue_actions_are_listed(personas, meetings):
    anna = personas.coordinator_stockholm
    overdue = selectors.action_list(actor=anna, overdue=True, today=TODAY)
    assert overdue == [meetings["overdue"]]
    services.action_complete(actor=anna, action=meetings["overdue"], today=TODAY)
    assert selectors.action_list(actor=anna, overdue=True, today=TODAY) == []
    mine = selectors.action_list(actor=personas.liaison_migrationsverket, mine=True, today=TODAY)
    assert mine == [meetings["later"]]


def test_who_sees_which_meeting(personas, meetings):
    national, regional = meetings["national"], meetings["regional"]
    assert set(selectors.meeting_list(actor=personas.coordinator_stockholm_2)) == {
        national,
        regional,
    }
    assert selectors.meeting_list(actor=personas.coordinator_syd) == [national]
    assert selectors.meeting_list(actor=personas.liaison_polisen) == [national]
    for persona in ("auditor", "admin", "outsider"):
        assert selectors.meeting_list(actor=getattr(personas, persona)) == []
    with pytest.raises(Http404):
        selectors.access_meeting(personas.coordinator_syd, regional.pk)


def test_who_may_edit(personas, meetings, agency):
    with pytest.raises(PermissionDenied):
        services.decision_add(
            actor=personas.coordinator_syd, meeting=meetings["national"], text="x"
        )
    services.decision_add(
        actor=personas.coordinator_stockholm_2,
        meeting=meetings["regional"],
        text="Regionens beslut",
    )
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=personas.liaison_polisen, action=meetings["later"])
    # The owner completes their own action.
    services.action_complete(actor=personas.coordinator_stockholm, action=meetings["overdue"])


def test_meeting_pages(personas, meetings, agency, client_of):
    client = client_of(personas.coordinator_stockholm)
    page = client.get("/meetings/").content.decode()
    assert "Skicka ut checklistan" in page
    detail = client.get(f"/meetings/{meetings['national'].pk}/").content.decode()
    assert "Migrationsverket" in detail
    assert "Gemensam checklista" in detail
    response = client.post(
        f"/meetings/{meetings['national'].pk}/participant/",
        {"agency": agency["polismyndigheten"].pk, "name": "Per P"},
    )
    assert response.status_code == 302
    assert meetings["national"].participants.count() == 2
    response = client.post(
        "/meetings/new/",
        {"title": "Workshop", "kind": "workshop", "held_on": "2025-11-01", "region": ""},
    )
    assert response.status_code == 302
    assert client.post(f"/actions/{meetings['overdue'].pk}/done/").status_code == 302
    other = client_of(personas.coordinator_syd)
    assert other.get(f"/meetings/{meetings['regional'].pk}/").status_code == 404
    assert client_of(personas.auditor).get("/meetings/").status_code == 404
