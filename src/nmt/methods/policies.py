"""Who may see and do what in method support (deny by default, as ``nmt.access.policies``).

The **national team** (nationella teamet at Jämställdhetsmyndigheten) is not a role but a
permission, ``methods.national_team``, given through the group "Nationella teamet (NMT)": its
members keep the guidance and the library, comment on and compile the situation reports and watch
the early signals. They see aggregate figures only, never case content (docs/adr/0007).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from nmt.access.policies import is_active_user
from nmt.accounts.models import Role
from nmt.methods.models import (
    LibraryItem,
    LibraryTag,
    Meeting,
    MeetingAction,
    MeetingParticipant,
    ReportStatus,
    SituationReport,
    TagKind,
)

NATIONAL_TEAM_PERMISSION = "methods.national_team"
# Roles that take part in the network's method work. Auditors and administrators do not.
NETWORK_ROLES = frozenset({Role.COORDINATOR, Role.SUPPORTLINE, Role.AGENCY_LIAISON, Role.ANALYST})


def is_national_team(actor: Any) -> bool:
    if not is_active_user(actor):
        return False
    if actor.role == Role.AUDITOR:
        # The data-protection officer audits the platform and must not take part in it.
        return False
    return bool(actor.has_perm(NATIONAL_TEAM_PERMISSION))


def is_network_member(actor: Any) -> bool:
    if not is_active_user(actor):
        return False
    return actor.role in NETWORK_ROLES or is_national_team(actor)


def _is_coordinator_of(actor: Any, region_id: int | None) -> bool:
    if not is_active_user(actor):
        return False
    if actor.role != Role.COORDINATOR:
        return False
    return region_id is not None and actor.region_id == region_id


class GuidancePolicy:
    """The guidance itself is for everyone in the network; only the national team changes it.
    Ticks in a case follow the case policy (see ``nmt.methods.services.workflow_update``)."""

    def can_read(self, actor: Any) -> bool:
        return is_network_member(actor)

    def can_manage(self, actor: Any) -> bool:
        return is_national_team(actor)


class LibraryPolicy:
    def visible(self, actor: Any) -> QuerySet[LibraryItem]:
        items = LibraryItem.objects.exclude(current__isnull=True)
        if is_national_team(actor):
            return items
        if not is_network_member(actor):
            return LibraryItem.objects.none()
        tags = LibraryTag.objects.filter(item=OuterRef("pk"))
        any_role = ~Exists(tags.filter(kind=TagKind.ROLE))
        my_role = Exists(tags.filter(kind=TagKind.ROLE, value=actor.role))
        any_region = ~Exists(tags.filter(kind=TagKind.REGION))
        region_code = actor.region.code if actor.region_id else None
        my_region = Exists(tags.filter(kind=TagKind.REGION, value=region_code))
        return (
            items.filter(archived=False).filter(any_role | my_role).filter(any_region | my_region)
        )

    def can_manage(self, actor: Any) -> bool:
        return is_national_team(actor)


class SituationReportPolicy:
    """Coordinators write their region's report; the other regions' coordinators read it once it
    is submitted; the national team reads, comments on, returns and compiles submitted reports.
    Drafts are the region's own."""

    def visible(self, actor: Any) -> QuerySet[SituationReport]:
        none = SituationReport.objects.none()
        if not is_active_user(actor):
            return none
        shared = ~Q(status=ReportStatus.DRAFT)
        if is_national_team(actor):
            return SituationReport.objects.filter(shared)
        if actor.role == Role.COORDINATOR and actor.region_id is not None:
            return SituationReport.objects.filter(Q(region_id=actor.region_id) | shared)
        return none

    def can_create(self, actor: Any, region_id: int) -> bool:
        return _is_coordinator_of(actor, region_id)

    def can_edit(self, actor: Any, report: SituationReport) -> bool:
        if report.status == ReportStatus.SUBMITTED:
            return False
        return _is_coordinator_of(actor, report.region_id)

    def can_comment(self, actor: Any, report: SituationReport) -> bool:
        if report.status == ReportStatus.DRAFT:
            return False
        return is_national_team(actor) or _is_coordinator_of(actor, report.region_id)

    def can_return(self, actor: Any, report: SituationReport) -> bool:
        return report.status == ReportStatus.SUBMITTED and is_national_team(actor)

    def can_compile(self, actor: Any) -> bool:
        return is_national_team(actor)


class MeetingPolicy:
    """National meetings are open to the whole network; a regional meeting to the region's
    coordinators, its organiser and the organisations taking part; the national team sees all."""

    def visible(self, actor: Any) -> QuerySet[Meeting]:
        if is_national_team(actor):
            return Meeting.objects.all()
        if not is_network_member(actor):
            return Meeting.objects.none()
        rule = Q(region__isnull=True) | Q(organiser=actor)
        if actor.role == Role.COORDINATOR and actor.region_id is not None:
            rule |= Q(region_id=actor.region_id)
        if actor.agency_id is not None:
            taking_part = MeetingParticipant.objects.filter(
                meeting=OuterRef("pk"), agency_id=actor.agency_id
            )
            rule |= Exists(taking_part)
        return Meeting.objects.filter(rule)

    def can_create(self, actor: Any) -> bool:
        return is_network_member(actor)

    def can_edit(self, actor: Any, meeting: Meeting) -> bool:
        if not is_network_member(actor):
            return False
        if meeting.organiser_id == actor.pk or is_national_team(actor):
            return True
        return meeting.region_id is not None and _is_coordinator_of(actor, meeting.region_id)

    def can_complete(self, actor: Any, action: MeetingAction) -> bool:
        if action.owner_id is not None and action.owner_id == getattr(actor, "pk", None):
            return is_active_user(actor)
        return self.can_edit(actor, action.meeting)


class SignalPolicy:
    def can_view(self, actor: Any) -> bool:
        return is_national_team(actor)


guidance_policy = GuidancePolicy()
library_policy = LibraryPolicy()
report_policy = SituationReportPolicy()
meeting_policy = MeetingPolicy()
signal_policy = SignalPolicy()
