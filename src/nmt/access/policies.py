"""The access policy: who may see and do what with cases, persons and support-line calls.

One policy object per protected model answers "may this actor do X" and "which rows may this actor
see" as a queryset (deny by default: an actor matching no rule sees nothing). Lists are filtered
through the queryset; single objects are obtained only through the access helpers, which answer a
missing object and a forbidden one alike (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from nmt.accounts.models import Role, User
from nmt.cases import codes
from nmt.cases.models import Identification, Person, Referral
from nmt.supportline.models import Contact

CASE_ROLES = frozenset({Role.COORDINATOR, Role.SUPPORTLINE, Role.AGENCY_LIAISON})


def is_active_user(actor: Any) -> bool:
    return bool(actor is not None and actor.is_authenticated and actor.is_active)


# Beyond this many referred cases the ids stay a subquery (no huge parameter lists).
MAX_LISTED_REFERRALS = 2000


def _referred_cases(actor: User) -> Q:
    """Cases with an open referral to the actor's agency (and region, when one is named).

    The ids are fetched first: "own region OR id IN (a few ids)" lets the database use two index
    scans, where a correlated EXISTS makes it test every case of the region."""
    referrals = Referral.objects.filter(
        to_agency_id=actor.agency_id, status__in=codes.OPEN_REFERRAL_STATUSES
    ).filter(Q(to_region__isnull=True) | Q(to_region_id=actor.region_id))
    ids = list(referrals.values_list("identification_id", flat=True)[: MAX_LISTED_REFERRALS + 1])
    if len(ids) > MAX_LISTED_REFERRALS:
        return Q(pk__in=referrals.values("identification_id"))
    return Q(pk__in=ids)


class CasePolicy:
    """Identifications (cases) and, through them, the persons they concern."""

    def visible(self, actor: Any) -> QuerySet[Identification]:
        none = Identification.objects.none()
        if not is_active_user(actor):
            return none
        if actor.agency_id is None:
            return none
        if actor.role == Role.COORDINATOR:
            if actor.region_id is None:
                return none
            return Identification.objects.filter(
                Q(region_id=actor.region_id) | _referred_cases(actor)
            )
        if actor.role == Role.SUPPORTLINE:
            return Identification.objects.filter(registered_by=actor)
        if actor.role == Role.AGENCY_LIAISON:
            return Identification.objects.filter(_referred_cases(actor))
        return none

    def owns(self, actor: Any, case: Identification) -> bool:
        """Owners edit the case: the coordinators of its region, or the support-line registrar."""
        if not is_active_user(actor):
            return False
        if actor.role == Role.COORDINATOR:
            return actor.region_id is not None and case.region_id == actor.region_id
        if actor.role == Role.SUPPORTLINE:
            return case.registered_by_id == actor.pk
        return False

    def can_register(self, actor: Any) -> bool:
        if not is_active_user(actor):
            return False
        if actor.agency_id is None:
            return False
        if actor.role == Role.COORDINATOR:
            return actor.region_id is not None
        return actor.role == Role.SUPPORTLINE

    def can_edit(self, actor: Any, case: Identification) -> bool:
        return self.owns(actor, case)

    def can_contribute(self, actor: Any, case: Identification) -> bool:
        """Add notes and measures: owners, and receivers of an accepted referral."""
        if self.owns(actor, case):
            return True
        return self._receives(actor, case, statuses=(codes.ReferralStatus.ACCEPTED,))

    def can_refer(self, actor: Any, case: Identification) -> bool:
        return self.owns(actor, case)

    def can_respond(self, actor: Any, referral: Referral) -> bool:
        """Accept or decline: staff of the receiving agency (and region, when one is named)."""
        if not is_active_user(actor):
            return False
        if actor.role not in CASE_ROLES:
            return False
        if referral.to_agency_id != actor.agency_id:
            return False
        if referral.to_region_id is not None and referral.to_region_id != actor.region_id:
            return False
        return referral.status == codes.ReferralStatus.PENDING

    def can_close_referral(self, actor: Any, referral: Referral) -> bool:
        if referral.status not in codes.OPEN_REFERRAL_STATUSES:
            return False
        if self.owns(actor, referral.identification):
            return True
        return self.can_respond(actor, referral) or (
            referral.status == codes.ReferralStatus.ACCEPTED
            and referral.to_agency_id == getattr(actor, "agency_id", None)
            and actor.role in CASE_ROLES
        )

    def can_see_protected(self, actor: Any, person: Person) -> bool:
        """Address and whereabouts of a protected person: owners only, and only on request."""
        return any(self.owns(actor, case) for case in person.identifications.all())

    def can_use_case_index(self, actor: Any) -> bool:
        """The national case index (no identities) helps avoid registering a case twice."""
        return is_active_user(actor) and actor.role in {Role.COORDINATOR, Role.SUPPORTLINE}

    def _receives(self, actor: Any, case: Identification, *, statuses: tuple[str, ...]) -> bool:
        if not is_active_user(actor):
            return False
        if actor.role not in CASE_ROLES:
            return False
        referrals = case.referrals.filter(to_agency_id=actor.agency_id, status__in=statuses)
        return referrals.filter(
            Q(to_region__isnull=True) | Q(to_region_id=actor.region_id)
        ).exists()


class ContactPolicy:
    """Support-line calls: the support line's staff see them all; nobody else sees any."""

    def visible(self, actor: Any) -> QuerySet[Contact]:
        if not is_active_user(actor):
            return Contact.objects.none()
        if actor.role != Role.SUPPORTLINE:
            return Contact.objects.none()
        return Contact.objects.all()

    def can_create(self, actor: Any) -> bool:
        return is_active_user(actor) and actor.role == Role.SUPPORTLINE

    def can_edit(self, actor: Any, contact: Contact) -> bool:
        return self.can_create(actor)


case_policy = CasePolicy()
contact_policy = ContactPolicy()
