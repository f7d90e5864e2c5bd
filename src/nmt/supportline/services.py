"""Writes for support-line calls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nmt.access.policies import contact_policy
from nmt.accounts.models import Region, User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.cases import codes
from nmt.cases.concurrency import lock_at_version
from nmt.cases.models import Identification
from nmt.cases.services import case_register
from nmt.supportline.models import CallerType, Contact, Topic

CONTACT_FIELDS = (
    "occurred_at",
    "duration_minutes",
    "caller_type",
    "region",
    "topic",
    "purposes",
    "summary",
    "advice",
    "follow_up",
    "follow_up_due",
    "follow_up_done",
)


def _validate(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    occurred_at = values.get("occurred_at")
    if occurred_at is None:
        errors["occurred_at"] = [_("Give the time of the call.")]
    elif occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = [_("The time is in the future.")]
    if values.get("caller_type", CallerType.UNKNOWN) not in CallerType.values:
        errors["caller_type"] = [_("Unknown value.")]
    if values.get("topic") not in Topic.values:
        errors["topic"] = [_("Choose the topic of the call.")]
    purposes = values.get("purposes") or []
    if any(p not in codes.Purpose.values for p in purposes):
        errors["purposes"] = [_("Unknown purpose.")]
    duration = values.get("duration_minutes")
    if duration is not None and duration > 600:
        errors["duration_minutes"] = [_("A call longer than ten hours is not plausible.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contact_create(*, actor: User, **values: Any) -> Contact:
    if not contact_policy.can_create(actor):
        raise PermissionDenied
    unknown = set(values) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"contact_create got unknown fields: {sorted(unknown)}")
    _validate(values)
    contact = Contact.objects.create(created_by=actor, **values)
    audit_record(actor=actor, action=Action.CREATE, object_type="contact", object_id=contact.pk)
    return contact


@transaction.atomic
def contact_update(
    *, actor: User, contact: Contact, expected_version: int, **values: Any
) -> Contact:
    if not contact_policy.can_edit(actor, contact):
        raise PermissionDenied
    contact = lock_at_version(Contact, contact.pk, expected_version)
    merged = {name: getattr(contact, name) for name in CONTACT_FIELDS}
    merged.update(values)
    _validate(merged)
    changed = [name for name in values if getattr(contact, name) != values[name]]
    if not changed:
        return contact
    for name, value in values.items():
        setattr(contact, name, value)
    contact.version += 1
    contact.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="contact",
        object_id=contact.pk,
        details={"version": contact.version, "fields": changed},
    )
    return contact


@transaction.atomic
def contact_open_case(
    *, actor: User, contact: Contact, region: Region | None = None
) -> Identification:
    """Open a case from a call, without identifying data: the person is registered as unknown."""
    if not contact_policy.can_edit(actor, contact):
        raise PermissionDenied
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    opened = contact.cases.first()
    if opened is not None:
        raise ValidationError(
            _("A case was already opened from this call: %(number)s.") % {"number": opened}
        )
    region = region or contact.region
    if region is None:
        raise ValidationError({"region": [_("Choose the region of the case.")]})
    return case_register(
        actor=actor,
        channel=codes.Channel.SUPPORT_LINE,
        identified_on=timezone.localtime(contact.occurred_at).date(),
        region=region,
        purposes=contact.purposes,
        source_contact=contact,
    )
