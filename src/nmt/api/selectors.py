"""Audited reads of parts of a case, which the API serves on their own.

nmt.cases.selectors reads whole cases (``case_get``) and lists; the API also returns a case's
person, timeline, measures and referrals separately, and the object saved after each write. These
go through the same access helpers (a missing and a forbidden object are the same 404) and record
every object returned in the same transaction. They belong beside ``case_get`` and can move there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404

from nmt.access.policies import case_policy
from nmt.accounts.models import User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.cases.models import Identification, Measure, Person, Referral, TimelineEntry
from nmt.cases.selectors import access_case, access_measure, access_referral


def location_visible(actor: User, case: Identification, person: Person) -> bool:
    """Address and whereabouts: never for a protected person (the API has no reveal step with a
    stated reason, so not even owners get them), otherwise only to the case's owners."""
    if person.protected_identity:
        return False
    return case_policy.can_edit(actor, case)


def _audit_view(
    actor: User, case: Identification, part: str, objects: Iterable[tuple[str, Any]]
) -> None:
    accessed = [("identification", case.pk), *objects]
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="identification",
        object_id=case.pk,
        details={"part": part, "count": len(accessed) - 1},
        accessed=accessed,
    )


@dataclass(frozen=True)
class PersonView:
    case: Identification
    person: Person
    show_location: bool


@transaction.atomic
def person_get(*, actor: User, case_number: str) -> PersonView:
    case = access_case(actor, case_number)
    person = Person.objects.prefetch_related("citizenships", "documents").get(pk=case.person_id)
    _audit_view(actor, case, "person", [("person", person.pk)])
    return PersonView(case=case, person=person, show_location=location_visible(actor, case, person))


@transaction.atomic
def timeline_page(*, actor: User, case_number: str, page: int, page_size: int) -> Page:
    """One page of the case's timeline (notes and events), newest first."""
    case = access_case(actor, case_number)
    entries = case.timeline.select_related("created_by")
    result = Paginator(entries, page_size).get_page(page)
    rows = list(result.object_list)
    _audit_view(actor, case, "timeline", [("timelineentry", row.pk) for row in rows])
    return result


@transaction.atomic
def timeline_entry_get(*, actor: User, case_number: str, entry_id: int) -> TimelineEntry:
    case = access_case(actor, case_number)
    try:
        entry = case.timeline.select_related("created_by").get(pk=entry_id)
    except TimelineEntry.DoesNotExist:
        raise Http404 from None
    _audit_view(actor, case, "timeline", [("timelineentry", entry.pk)])
    return entry


@transaction.atomic
def measure_list(*, actor: User, case_number: str) -> list[Measure]:
    case = access_case(actor, case_number)
    measures = list(case.measures.order_by("ends_on", "id"))
    _audit_view(actor, case, "measures", [("measure", m.pk) for m in measures])
    return measures


def access_case_measure(actor: User, case_number: str, measure_id: int) -> Measure:
    """The measure, if the actor may see its case and it belongs to ``case_number``; else 404."""
    measure = access_measure(actor, measure_id)
    if measure.identification.case_number != case_number:
        raise Http404
    return measure


@transaction.atomic
def measure_get(*, actor: User, case_number: str, measure_id: int) -> Measure:
    measure = access_case_measure(actor, case_number, measure_id)
    _audit_view(actor, measure.identification, "measures", [("measure", measure.pk)])
    return measure


def _referrals(case: Identification) -> Any:
    return case.referrals.select_related("from_agency", "to_agency", "to_region")


@transaction.atomic
def referral_list(*, actor: User, case_number: str) -> list[Referral]:
    case = access_case(actor, case_number)
    referrals = list(_referrals(case).order_by("-id"))
    _audit_view(actor, case, "referrals", [("referral", r.pk) for r in referrals])
    return referrals


def access_case_referral(actor: User, case_number: str, referral_id: int) -> Referral:
    """The referral, if the actor may see its case and it belongs to ``case_number``; else 404."""
    referral = access_referral(actor, referral_id)
    if referral.identification.case_number != case_number:
        raise Http404
    return referral


@transaction.atomic
def referral_get(*, actor: User, case_number: str, referral_id: int) -> Referral:
    case = access_case(actor, case_number)
    try:
        referral = _referrals(case).get(pk=referral_id)
    except Referral.DoesNotExist:
        raise Http404 from None
    _audit_view(actor, case, "referrals", [("referral", referral.pk)])
    return referral
