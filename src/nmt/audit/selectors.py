"""The auditor's reads of the audit log: who read case X, what user Y read, exports, searches,
failed logins. Only the data-protection officer (auditor role) may read the log, and those reads
are themselves logged."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from nmt.accounts.models import Role, User
from nmt.audit.models import Action, AuditAccess, AuditEvent
from nmt.audit.services import audit_record


class AuditPolicy:
    def may_read(self, actor: Any) -> bool:
        if actor is None or not actor.is_authenticated or not actor.is_active:
            return False
        return actor.role == Role.AUDITOR


audit_policy = AuditPolicy()


@dataclass(frozen=True)
class AuditFilters:
    case_number: str = ""
    username: str = ""
    actions: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        values = {k: v for k, v in self.__dict__.items() if v not in ("", None, ())}
        for key in ("date_from", "date_to"):
            if key in values:
                values[key] = values[key].isoformat()
        if "actions" in values:
            values["actions"] = list(values["actions"])
        return values


def _require(actor: Any) -> None:
    if not audit_policy.may_read(actor):
        raise Http404


def _identification_id(case_number: str) -> str | None:
    from nmt.cases.models import Identification

    pk = (
        Identification.objects.filter(case_number=case_number.strip().upper())
        .values_list("pk", flat=True)
        .first()
    )
    return str(pk) if pk is not None else None


def filtered_events(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    queryset = AuditEvent.objects.select_related("actor").annotate(objects=Count("accesses"))
    if filters.case_number:
        pk = _identification_id(filters.case_number)
        if pk is None:
            return queryset.none()
        touched = AuditAccess.objects.filter(
            event=OuterRef("pk"), object_type="identification", object_id=pk
        )
        queryset = queryset.filter(Exists(touched) | Q(object_type="identification", object_id=pk))
    if filters.username:
        queryset = queryset.filter(actor_username=filters.username.strip())
    if filters.actions:
        queryset = queryset.filter(action__in=filters.actions)
    if filters.date_from:
        queryset = queryset.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(occurred_at__date__lte=filters.date_to)
    return queryset.order_by("-id")


@transaction.atomic
def audit_event_list(
    *, actor: User, filters: AuditFilters, page: int = 1, page_size: int = 50
) -> Page:
    _require(actor)
    result = Paginator(filtered_events(filters=filters), page_size).get_page(page)
    audit_record(
        actor=actor,
        action=Action.SEARCH if filters.to_dict() else Action.LIST,
        object_type="audit",
        details={"filters": filters.to_dict(), "page": result.number},
    )
    return result


@dataclass(frozen=True)
class AccessedObject:
    object_type: str
    object_id: str
    label: str


@transaction.atomic
def audit_event_get(*, actor: User, event_id: int) -> tuple[AuditEvent, list[AccessedObject]]:
    _require(actor)
    try:
        event = AuditEvent.objects.select_related("actor").get(pk=event_id)
    except AuditEvent.DoesNotExist:
        raise Http404 from None
    accesses = list(event.accesses.order_by("object_type", "id"))
    audit_record(actor=actor, action=Action.VIEW, object_type="audit", object_id=event.pk)
    return event, _labelled(accesses)


def _labelled(accesses: list[AuditAccess]) -> list[AccessedObject]:
    from nmt.cases.models import Identification

    case_ids = [a.object_id for a in accesses if a.object_type == "identification"]
    numbers = dict(Identification.objects.filter(pk__in=case_ids).values_list("pk", "case_number"))
    labelled = []
    for access in accesses:
        label = f"{access.object_type} {access.object_id}"
        if access.object_type == "identification":
            label = numbers.get(int(access.object_id), label)
        elif access.object_type == "person":
            label = f"P{access.object_id}"
        labelled.append(AccessedObject(access.object_type, access.object_id, label))
    return labelled


@transaction.atomic
def audit_event_export(*, actor: User, filters: AuditFilters, limit: int = 100_000) -> list[dict]:
    """Rows for a CSV export of the filtered log (the export itself is logged)."""
    _require(actor)
    rows = [
        {
            "id": event.pk,
            "time": event.occurred_at.isoformat(),
            "user": event.actor_username,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "objects_read": event.objects,
            "purpose": event.purpose,
            "ip": event.ip_address or "",
        }
        for event in filtered_events(filters=filters)[:limit]
    ]
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="audit",
        details={"filters": filters.to_dict(), "rows": len(rows)},
    )
    return rows
