import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nmt.cases.models import Identification, Person
from nmt.cases.selectors import CaseFilters, case_get, case_list
from nmt.cases.services import PersonInput, case_register


def test_register_minimal_case(personas, region):
    case = case_register(
        actor=personas.coordinator_stockholm,
        channel="regional_coordinator",
        identified_on=dt.date(2025, 1, 2),
        region=region["stockholm"],
    )
    assert case.case_number == "NMT-2025-00001"
    assert case.age_group == "unknown"
    assert list(case.purpose_rows.values_list("purpose", flat=True)) == ["unknown"]


def test_search_by_name_and_number(personas, stockholm_case):
    actor = personas.coordinator_stockholm
    for q in [
        "popescu",
        "Ioana",
        "IOANA popescu",
        "990402-2382",
        "19990402-2382",
        stockholm_case.case_number,
    ]:
        page = case_list(actor=actor, filters=CaseFilters(q=q))
        assert [c.pk for c in page.object_list] == [stockholm_case.pk], q
    assert list(case_list(actor=actor, filters=CaseFilters(q="Andersson")).object_list) == []


def test_other_region_cannot_see(personas, stockholm_case):
    from django.http import Http404

    with pytest.raises(Http404):
        case_get(actor=personas.coordinator_syd, case_number=stockholm_case.case_number)
    detail = case_get(actor=personas.coordinator_stockholm, case_number=stockholm_case.case_number)
    assert detail.person.given_name == "Ioana Maria"


def test_bad_personnummer_rejected_nothing_saved(personas, region):
    from nmt.cases.services import DocumentInput

    with pytest.raises(ValidationError) as info:
        case_register(
            actor=personas.coordinator_stockholm,
            channel="regional_coordinator",
            identified_on=dt.date(2025, 1, 2),
            region=region["stockholm"],
            person=PersonInput(documents=[DocumentInput("personnummer", "199904022384")]),
        )
    assert "documents.0.number" in info.value.message_dict
    assert Person.objects.count() == 0
    assert Identification.objects.count() == 0


def test_analyst_cannot_register(personas, region):
    with pytest.raises(PermissionDenied):
        case_register(
            actor=personas.analyst,
            channel="regional_coordinator",
            identified_on=dt.date(2025, 1, 2),
            region=region["stockholm"],
        )
