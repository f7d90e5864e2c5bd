"""Retention, erasure and subject access.

Anonymising a person removes everything that identifies them — names, aliases, date and year of
birth, documents, address, whereabouts, the search index, and the free text of notes, measures and
referrals — and keeps what the statistics need: sex, citizenship, and per identification the date,
channel, region, adult/child, purposes, offence, industry and status. The periods are set by the
controller's retention decision (gallringsbeslut) in the settings (``NMT_RETENTION_*``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nmt.access.policies import case_policy
from nmt.accounts.models import User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.cases import codes
from nmt.cases.models import (
    ErasureRequest,
    Identification,
    IdentityDocument,
    Measure,
    Person,
    Referral,
    SearchToken,
    TimelineEntry,
)
from nmt.supportline.models import Contact


def _years_before(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _anonymise(person: Person, *, actor: User | None, reason: str) -> None:
    person = Person.objects.select_for_update().get(pk=person.pk)
    for name in ("given_name", "family_name", "aliases", "birth_date", "address", "whereabouts"):
        setattr(person, name, "")
    person.birth_year = None
    person.languages = []
    person.anonymised_at = timezone.now()
    person.version += 1
    person.save()
    IdentityDocument.objects.filter(person=person).delete()
    SearchToken.objects.filter(person=person).delete()
    cases = Identification.objects.filter(person=person)
    TimelineEntry.objects.filter(identification__in=cases).exclude(text="").update(text="")
    Measure.objects.filter(identification__in=cases).exclude(notes="").update(notes="")
    Referral.objects.filter(identification__in=cases).update(message="", decline_reason="")
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="person",
        object_id=person.pk,
        purpose=reason,
        details={"anonymised": True, "version": person.version, "fields": ["identity"]},
    )


@dataclass
class RetentionReport:
    today: str
    persons_anonymised: list[int] = field(default_factory=list)
    calls_cleared: int = 0
    list_records_cleared: int = 0
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today,
            "dry_run": self.dry_run,
            "persons_anonymised": len(self.persons_anonymised),
            "calls_cleared": self.calls_cleared,
            "agency_list_records_cleared": self.list_records_cleared,
        }


def persons_past_retention(today: dt.date) -> list[int]:
    """Persons all of whose cases closed before the retention period began."""
    cutoff = _years_before(today, settings.NMT_RETENTION_CLOSED_CASE_YEARS)
    recent_or_open = Identification.objects.filter(person=OuterRef("pk")).filter(
        ~Q(status=codes.CaseStatus.CLOSED) | Q(closed_on__isnull=True) | Q(closed_on__gte=cutoff)
    )
    return list(
        Person.objects.filter(anonymised_at__isnull=True, identifications__isnull=False)
        .exclude(Exists(recent_or_open))
        .distinct()
        .values_list("pk", flat=True)
    )


def retention_run(*, today: dt.date | None = None, dry_run: bool = False) -> RetentionReport:
    """Apply the retention periods. Each person is anonymised in a transaction of its own, so an
    interrupted run leaves every person either done or untouched, and a re-run continues."""
    today = today or timezone.localdate()
    report = RetentionReport(today=today.isoformat(), dry_run=dry_run)
    report.persons_anonymised = persons_past_retention(today)
    call_cutoff = _years_before(today, settings.NMT_RETENTION_CALL_YEARS)
    calls = Contact.objects.filter(occurred_at__date__lt=call_cutoff).exclude(
        summary="", advice="", follow_up=""
    )
    report.calls_cleared = calls.count()
    lists = _old_agency_list_records(today)
    report.list_records_cleared = lists.count() if lists is not None else 0
    if dry_run:
        return report
    for pk in report.persons_anonymised:
        with transaction.atomic():
            _anonymise(Person(pk=pk), actor=None, reason="retention")
    with transaction.atomic():
        ids = list(calls.values_list("pk", flat=True))
        Contact.objects.filter(pk__in=ids).update(summary="", advice="", follow_up="")
        if lists is not None:
            lists.update(identity="")
        audit_record(
            actor=None,
            action=Action.UPDATE,
            object_type="retention",
            purpose="retention",
            details=report.to_dict(),
            accessed=[("contact", pk) for pk in ids],
        )
    return report


def _old_agency_list_records(today: dt.date):  # type: ignore[no-untyped-def]
    from django.apps import apps

    if not apps.is_installed("nmt.reports"):
        return None
    record = apps.get_model("reports", "AgencyListRecord")
    cutoff = _years_before(today, settings.NMT_RETENTION_AGENCY_LIST_YEARS)
    return record.objects.filter(agency_list__period_end__lt=cutoff).exclude(identity="")


# ---------------------------------------------------------------- erasure on request


@transaction.atomic
def erasure_decide(
    *,
    actor: User,
    case: Identification,
    received_on: dt.date,
    requested_by: str,
    ongoing_investigation: bool,
    legal_obligation: bool,
    archive_rules: bool,
    reason: str,
) -> ErasureRequest:
    """Record a request to erase the person of ``case``, the checks, and the decision.

    The person is erased (anonymised) only when none of the grounds for keeping the data applies
    (GDPR art. 17(3)(b) and (e); for authorities also the archive rules); otherwise the request is
    refused with the reasoning recorded. Either way the person can be told what was decided.
    """
    if not case_policy.can_edit(actor, case):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": [_("Give the reasoning of the decision.")]})
    if not requested_by.strip():
        raise ValidationError({"requested_by": [_("Say who made the request.")]})
    keep = ongoing_investigation or legal_obligation or archive_rules
    request = ErasureRequest.objects.create(
        person_id=case.person_id,
        received_on=received_on,
        requested_by=requested_by.strip(),
        ongoing_investigation=ongoing_investigation,
        legal_obligation=legal_obligation,
        archive_rules=archive_rules,
        decision=ErasureRequest.Decision.REFUSED if keep else ErasureRequest.Decision.ERASED,
        reason=reason.strip(),
        decided_by=actor,
    )
    if not keep:
        _anonymise(case.person, actor=actor, reason="erasure request")
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="erasurerequest",
        object_id=request.pk,
        details={"person": case.person_id, "decision": request.decision},
    )
    return request


# ---------------------------------------------------------------- subject access


@transaction.atomic
def subject_access_export(*, actor: User, case: Identification) -> dict[str, Any]:
    """Everything the platform holds on the person of ``case`` (GDPR art. 15), for an owner of the
    case to hand over. It covers all the person's identifications, also those of other regions:
    the right of access is to everything held. The export is audited object by object."""
    if not case_policy.can_edit(actor, case):
        raise PermissionDenied
    person = Person.objects.prefetch_related("citizenships", "documents").get(pk=case.person_id)
    identifications = list(
        Identification.objects.filter(person=person)
        .select_related("region", "municipality", "agency")
        .prefetch_related("purpose_rows", "measures", "referrals__to_agency", "timeline")
        .order_by("identified_on")
    )
    data = {
        "generated_at": timezone.now().isoformat(),
        "person": {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "aliases": person.aliases.splitlines(),
            "birth_date": person.birth_date,
            "sex": person.sex,
            "citizenships": [c.country for c in person.citizenships.all()],
            "languages": person.languages,
            "protected_identity": person.protected_identity,
            # A protected address never travels in a file, not even to the person it concerns.
            "address": None if person.protected_identity else person.address,
            "whereabouts": None if person.protected_identity else person.whereabouts,
            "documents": [
                {"kind": d.kind, "number": d.number, "issuing_country": d.issuing_country}
                for d in person.documents.all()
            ],
        },
        "identifications": [_case_dict(case_) for case_ in identifications],
        "erasure_requests": [
            {
                "received_on": r.received_on.isoformat(),
                "decision": r.decision,
                "reason": r.reason,
            }
            for r in person.erasure_requests.all()
        ],
    }
    accessed = [("person", person.pk)] + [("identification", c.pk) for c in identifications]
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="person",
        object_id=person.pk,
        purpose="subject access request",
        accessed=accessed,
    )
    return data


def _case_dict(case: Identification) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "identified_on": case.identified_on.isoformat(),
        "channel": case.channel,
        "agency": case.agency.name,
        "region": case.region.name,
        "municipality": case.municipality.name if case.municipality else "",
        "age_group": case.age_group,
        "purposes": [p.purpose for p in case.purpose_rows.all()],
        "offence": case.offence,
        "exploitation_place": case.exploitation_place,
        "industry": case.industry,
        "indicators": case.indicators,
        "status": case.status,
        "closed_reason": case.closed_reason,
        "measures": [
            {
                "kind": m.kind,
                "status": m.status,
                "applied_on": m.applied_on.isoformat() if m.applied_on else None,
                "decided_on": m.decided_on.isoformat() if m.decided_on else None,
                "starts_on": m.starts_on.isoformat() if m.starts_on else None,
                "ends_on": m.ends_on.isoformat() if m.ends_on else None,
                "notes": m.notes,
            }
            for m in case.measures.all()
        ],
        "referrals": [
            {
                "to": r.to_agency.name,
                "legal_ground": r.legal_ground,
                "legal_ground_detail": r.legal_ground_detail,
                "consent": r.consent,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
            }
            for r in case.referrals.all()
        ],
        "timeline": [
            {"at": e.created_at.isoformat(), "kind": e.kind, "text": e.text, "data": e.data}
            for e in sorted(case.timeline.all(), key=lambda e: e.created_at)
        ],
    }
