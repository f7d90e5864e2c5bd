"""Reads of support-line calls, through the policy and audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from nmt.access.crypto import seal
from nmt.access.policies import contact_policy
from nmt.accounts.models import User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.supportline.models import Contact


@dataclass(frozen=True)
class ContactFilters:
    q: str = ""
    topic: str = ""
    caller_type: str = ""
    region: int | None = None
    year: int | None = None
    follow_up_open: bool = False


def filtered_contacts(*, actor: User, filters: ContactFilters):
    queryset = contact_policy.visible(actor).select_related("region", "created_by")
    if filters.topic:
        queryset = queryset.filter(topic=filters.topic)
    if filters.caller_type:
        queryset = queryset.filter(caller_type=filters.caller_type)
    if filters.region:
        queryset = queryset.filter(region_id=filters.region)
    if filters.year:
        queryset = queryset.filter(
            occurred_at__date__gte=dt.date(filters.year, 1, 1),
            occurred_at__date__lte=dt.date(filters.year, 12, 31),
        )
    if filters.follow_up_open:
        queryset = queryset.filter(follow_up_done=False).exclude(
            Q(follow_up="") & Q(follow_up_due__isnull=True)
        )
    if filters.q:
        # Summaries and advice are sealed; the follow-up line is the searchable text.
        queryset = queryset.filter(follow_up__icontains=filters.q)
    return queryset


@transaction.atomic
def contact_list(
    *, actor: User, filters: ContactFilters, page: int = 1, page_size: int = 25
) -> Page:
    result = Paginator(filtered_contacts(actor=actor, filters=filters), page_size).get_page(page)
    rows = list(result.object_list)
    details = {"count": len(rows), "page": page}
    if filters.q:
        details["q_sealed"] = seal(filters.q, context="audit.search")
    audit_record(
        actor=actor,
        action=Action.SEARCH if filters.q else Action.LIST,
        object_type="contact",
        details=details,
        accessed=[("contact", row.pk) for row in rows],
    )
    return result


def access_contact(actor: User, contact_id: int) -> Contact:
    try:
        return contact_policy.visible(actor).get(pk=contact_id)
    except Contact.DoesNotExist:
        raise Http404 from None


@transaction.atomic
def contact_get(*, actor: User, contact_id: int) -> Contact:
    contact = access_contact(actor, contact_id)
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="contact",
        object_id=contact.pk,
        accessed=[("contact", contact.pk)],
    )
    return contact
