import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nmt.audit.models import AuditEvent
from nmt.cases.concurrency import ConflictError
from nmt.cases.models import Identification
from nmt.supportline.selectors import ContactFilters, contact_list
from nmt.supportline.services import contact_create, contact_open_case, contact_update


def call(actor, **values):
    values.setdefault("occurred_at", timezone.now() - dt.timedelta(hours=1))
    values.setdefault("topic", "suspected_case")
    return contact_create(actor=actor, **values)


def test_log_a_call(personas, region):
    contact = call(
        personas.supportline,
        caller_type="school",
        region=region["vast"],
        duration_minutes=12,
        purposes=["forced_labour"],
        summary="Lärare oroad över elev som arbetar nätter.",
        advice="Kontakta regionkoordinatorn i Väst.",
        follow_up="Ring skolan på fredag",
    )
    assert contact.version == 1
    assert AuditEvent.objects.filter(action="create", object_type="contact").count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"topic": "gossip"}, "topic"),
        ({"caller_type": "alien"}, "caller_type"),
        ({"purposes": ["sexual", "x"]}, "purposes"),
        ({"duration_minutes": 601}, "duration_minutes"),
        ({"occurred_at": timezone.now() + dt.timedelta(days=1)}, "occurred_at"),
    ],
)
def test_bad_calls_are_refused(personas, values, field):
    with pytest.raises(ValidationError) as info:
        call(personas.supportline, **values)
    assert field in info.value.message_dict


def test_only_the_support_line_logs_calls(personas):
    for name in ("coordinator_stockholm", "liaison_polisen", "analyst", "outsider"):
        with pytest.raises(PermissionDenied):
            call(getattr(personas, name))


def test_open_a_case_from_a_call_once(personas, region):
    contact = call(personas.supportline, region=region["syd"], purposes=["begging"])
    case = contact_open_case(actor=personas.supportline, contact=contact)
    assert (case.channel, case.region, case.source_contact_id) == (
        "support_line",
        region["syd"],
        contact.pk,
    )
    assert case.person.given_name == ""
    assert list(case.purpose_rows.values_list("purpose", flat=True)) == ["begging"]
    with pytest.raises(ValidationError):
        contact_open_case(actor=personas.supportline, contact=contact)
    assert Identification.objects.count() == 1


def test_call_without_region_needs_one_to_open_a_case(personas):
    contact = call(personas.supportline)
    with pytest.raises(ValidationError) as info:
        contact_open_case(actor=personas.supportline, contact=contact)
    assert "region" in info.value.message_dict


def test_update_conflict(personas):
    contact = call(personas.supportline)
    contact_update(
        actor=personas.supportline, contact=contact, expected_version=1, follow_up="Ring"
    )
    with pytest.raises(ConflictError) as info:
        contact_update(
            actor=personas.supportline_2, contact=contact, expected_version=1, follow_up_done=True
        )
    assert info.value.changed_fields == ["follow_up"]


def test_list_filters_and_audits(personas, region):
    call(personas.supportline, topic="legal", follow_up="Skicka lagtext")
    call(personas.supportline, topic="method")
    page = contact_list(actor=personas.supportline, filters=ContactFilters(topic="legal"))
    assert [c.topic for c in page.object_list] == ["legal"]
    page = contact_list(actor=personas.supportline, filters=ContactFilters(q="lagtext"))
    assert len(page.object_list) == 1
    assert not contact_list(actor=personas.coordinator_syd, filters=ContactFilters()).object_list
    searched = AuditEvent.objects.filter(action="search", object_type="contact").get()
    assert "lagtext" not in str(searched.details)
    assert searched.accesses.count() == 1
