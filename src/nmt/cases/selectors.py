"""Reads of cases and persons. Every read of personal data goes through the policy and is audited
in the same transaction; nothing returns a row the actor may not see.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nmt.access.crypto import blind_index, seal
from nmt.access.policies import case_policy
from nmt.accounts.models import User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.cases import codes
from nmt.cases.models import (
    Identification,
    IdentificationPurpose,
    Measure,
    Person,
    Referral,
    SearchToken,
)
from nmt.cases.services import identity_number_forms

CASE_NUMBER = re.compile(r"^(NMT-)?(\d{4})-(\d{1,5})$", re.IGNORECASE)


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    year: int | None = None
    purpose: str = ""
    status: str = ""
    region: int | None = None
    channel: str = ""

    def active(self) -> dict[str, Any]:
        """The filters set, for the audit (the free-text query is sealed: it may hold a name)."""
        values: dict[str, Any] = {
            k: v for k, v in self.__dict__.items() if v not in ("", None) and k != "q"
        }
        if self.q:
            values["q_sealed"] = seal(self.q, context="audit.search")
        return values


def _with_related(queryset: QuerySet[Identification]) -> QuerySet[Identification]:
    return queryset.select_related("person", "region", "municipality", "agency").prefetch_related(
        Prefetch("purpose_rows", queryset=IdentificationPurpose.objects.order_by("purpose"))
    )


def _search(queryset: QuerySet[Identification], q: str) -> QuerySet[Identification]:
    q = q.strip()
    match = CASE_NUMBER.match(q)
    if match:
        number = f"NMT-{match.group(2)}-{int(match.group(3)):05d}"
        return queryset.filter(case_number=number)
    compact = "".join(c for c in q.upper() if c.isalnum())
    if compact and any(c.isdigit() for c in compact):
        tokens = [blind_index(form, kind="number") for form in identity_number_forms(compact)]
        persons = SearchToken.objects.filter(token__in=tokens).values("person_id")
        return queryset.filter(person_id__in=persons)
    for word in q.replace("-", " ").split():
        persons = SearchToken.objects.filter(token=blind_index(word, kind="name"))
        queryset = queryset.filter(person_id__in=persons.values("person_id"))
    return queryset


def filtered_cases(*, actor: User, filters: CaseFilters) -> QuerySet[Identification]:
    """The actor's visible cases matching ``filters``, unevaluated and unaudited (callers audit)."""
    queryset = case_policy.visible(actor)
    if filters.q:
        queryset = _search(queryset, filters.q)
    if filters.year:
        queryset = queryset.filter(
            identified_on__gte=dt.date(filters.year, 1, 1),
            identified_on__lte=dt.date(filters.year, 12, 31),
        )
    if filters.purpose:
        queryset = queryset.filter(
            pk__in=IdentificationPurpose.objects.filter(purpose=filters.purpose).values(
                "identification_id"
            )
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.region:
        queryset = queryset.filter(region_id=filters.region)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    return queryset


def audit_case_rows(
    *,
    actor: User,
    rows: list[Identification],
    action: str,
    purpose: str = "",
    also: list[tuple[str, Any]] | None = None,
    **details: Any,
) -> None:
    """Record that ``rows`` (and their persons, and the objects in ``also``) were shown."""
    accessed: list[tuple[str, Any]] = list(also or [])
    for row in rows:
        accessed.append(("identification", row.pk))
        accessed.append(("person", row.person_id))
    audit_record(
        actor=actor,
        action=action,
        object_type="identification",
        purpose=purpose,
        details={**details, "count": len(rows)},
        accessed=accessed,
    )


@transaction.atomic
def case_list(*, actor: User, filters: CaseFilters, page: int = 1, page_size: int = 25) -> Page:
    """One page of the actor's cases, newest first; the rows shown are audited."""
    queryset = _with_related(filtered_cases(actor=actor, filters=filters)).order_by(
        "-identified_on", "-id"
    )
    paginator = Paginator(queryset, page_size)
    result = paginator.get_page(page)
    rows = list(result.object_list)
    action = Action.SEARCH if filters.q else Action.LIST
    audit_case_rows(actor=actor, rows=rows, action=action, filters=filters.active(), page=page)
    return result


def access_case(actor: User, case_number: str) -> Identification:
    """The case if the actor may see it; 404 alike when it is missing or forbidden. Not audited:
    use ``case_get`` to show it."""
    try:
        return _with_related(case_policy.visible(actor)).get(case_number=case_number)
    except Identification.DoesNotExist:
        raise Http404 from None


@dataclass
class CaseDetail:
    case: Identification
    person: Person
    other_cases: list[Identification]
    measures: list[Measure]
    referrals: list[Referral]
    timeline: list[Any]
    permissions: dict[str, bool] = field(default_factory=dict)


@transaction.atomic
def case_get(*, actor: User, case_number: str, purpose: str = "") -> CaseDetail:
    """Everything the case page shows, audited as one view of the case and its person."""
    case = access_case(actor, case_number)
    person = Person.objects.prefetch_related("citizenships", "documents").get(pk=case.person_id)
    other_cases = list(
        _with_related(case_policy.visible(actor))
        .filter(person_id=person.pk)
        .exclude(pk=case.pk)
        .order_by("-identified_on")
    )
    measures = list(case.measures.order_by("ends_on", "id"))
    referrals = list(
        case.referrals.select_related("to_agency", "from_agency", "to_region").order_by("-id")
    )
    timeline = list(case.timeline.select_related("created_by")[:200])
    detail = CaseDetail(
        case=case,
        person=person,
        other_cases=other_cases,
        measures=measures,
        referrals=referrals,
        timeline=timeline,
        permissions={
            "edit": case_policy.can_edit(actor, case),
            "contribute": case_policy.can_contribute(actor, case),
            "refer": case_policy.can_refer(actor, case),
            "see_protected": case_policy.can_see_protected(actor, person),
        },
    )
    accessed = [("identification", case.pk), ("person", person.pk)]
    accessed += [("identification", other.pk) for other in other_cases]
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="identification",
        object_id=case.pk,
        purpose=purpose,
        accessed=accessed,
    )
    return detail


@transaction.atomic
def protected_details_reveal(*, actor: User, case_number: str, reason: str) -> dict[str, str]:
    """Address and whereabouts of a protected person, for an owner who states why."""
    case = access_case(actor, case_number)
    person = case.person
    if not case_policy.can_see_protected(actor, person) or not reason.strip():
        raise Http404
    audit_record(
        actor=actor,
        action=Action.REVEAL,
        object_type="person",
        object_id=person.pk,
        purpose=reason.strip()[:200],
        accessed=[("person", person.pk)],
    )
    return {"address": person.address, "whereabouts": person.whereabouts}


def access_measure(actor: User, measure_id: int) -> Measure:
    try:
        return Measure.objects.select_related("identification").get(
            pk=measure_id, identification__in=case_policy.visible(actor)
        )
    except Measure.DoesNotExist:
        raise Http404 from None


def access_referral(actor: User, referral_id: int) -> Referral:
    try:
        return Referral.objects.select_related("identification", "to_agency").get(
            pk=referral_id, identification__in=case_policy.visible(actor)
        )
    except Referral.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class Deadline:
    measure: Measure
    case: Identification
    days_left: int

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def urgency(self) -> str:
        if self.days_left < 0:
            return "overdue"
        if self.days_left <= 2:
            return "urgent"
        return "soon"


@transaction.atomic
def deadline_list(
    *, actor: User, today: dt.date | None = None, horizon_days: int = 7
) -> list[Deadline]:
    """Measures of the actor's cases that end within ``horizon_days`` (or are overdue and still
    running), most urgent first."""
    today = today or timezone.localdate()
    running = (
        codes.MeasureStatus.PLANNED,
        codes.MeasureStatus.APPLIED,
        codes.MeasureStatus.GRANTED,
        codes.MeasureStatus.ACTIVE,
    )
    measures = list(
        Measure.objects.filter(
            identification__in=case_policy.visible(actor),
            status__in=running,
            ends_on__isnull=False,
            ends_on__gte=today - dt.timedelta(days=30),
            ends_on__lte=today + dt.timedelta(days=horizon_days),
        )
        .select_related("identification__person", "identification__region")
        .order_by("ends_on", "id")[:100]
    )
    deadlines = [
        Deadline(measure=m, case=m.identification, days_left=(m.ends_on - today).days)
        for m in measures
    ]
    audit_case_rows(
        actor=actor,
        rows=list({d.case.pk: d.case for d in deadlines}.values()),
        action=Action.LIST,
        purpose="deadlines",
        also=[("measure", d.measure.pk) for d in deadlines],
    )
    return deadlines


@transaction.atomic
def referral_inbox(*, actor: User) -> list[Referral]:
    """Open referrals to the actor's agency (and region), oldest first."""
    referrals = list(
        Referral.objects.filter(
            identification__in=case_policy.visible(actor),
            to_agency_id=actor.agency_id,
            status__in=codes.OPEN_REFERRAL_STATUSES,
        )
        # A referral to another region's social services is not addressed to this one's.
        .filter(Q(to_region__isnull=True) | Q(to_region_id=actor.region_id))
        .select_related("identification__person", "from_agency", "to_region")
        .order_by("created_at")[:100]
    )
    audit_case_rows(
        actor=actor,
        rows=list({r.identification_id: r.identification for r in referrals}.values()),
        action=Action.LIST,
        purpose="referrals",
        also=[("referral", r.pk) for r in referrals],
    )
    return referrals


@dataclass(frozen=True)
class IndexEntry:
    """A case in the national index: no identity, no free text."""

    case_number: str
    year: int
    region: str
    status: str
    channel: str
    purposes: tuple[str, ...]


@transaction.atomic
def case_index_search(*, actor: User, q: str) -> list[IndexEntry]:
    """Search all cases nationally by name or number, returning no identities (to avoid
    registering a case twice). Audited as a search; no personal data is returned."""
    if not case_policy.can_use_case_index(actor) or not q.strip():
        return []
    queryset = _search(Identification.objects.all(), q)
    rows = list(_with_related(queryset).order_by("-identified_on")[:20])
    audit_record(
        actor=actor,
        action=Action.SEARCH,
        object_type="case_index",
        purpose="index",
        details={"q_sealed": seal(q, context="audit.search"), "count": len(rows)},
    )
    return [
        IndexEntry(
            case_number=row.case_number,
            year=row.identified_on.year,
            region=row.region.name,
            status=row.status,
            channel=row.channel,
            purposes=tuple(p.purpose for p in row.purpose_rows.all()),
        )
        for row in rows
    ]


@transaction.atomic
def my_open_cases(*, actor: User, limit: int = 10) -> list[Identification]:
    """Open cases the actor owns or receives, most recently changed first (dashboard)."""
    queryset = case_policy.visible(actor).exclude(status=codes.CaseStatus.CLOSED)
    if actor.role == "coordinator":
        queryset = queryset.filter(region_id=actor.region_id)
    rows = list(_with_related(queryset).order_by("-updated_at", "-id")[:limit])
    audit_case_rows(actor=actor, rows=rows, action=Action.LIST, purpose="dashboard")
    return rows
