"""Reads of method support, through the policies. Reads of case data (the workflow of a case) are
audited in the same transaction; single objects come from the ``access_*`` helpers, which answer a
missing object and a forbidden one alike (404)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nmt.access.policies import case_policy
from nmt.accounts.models import User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.cases import codes
from nmt.cases.models import Identification, Measure
from nmt.cases.selectors import access_case
from nmt.methods.models import (
    CaseGuidance,
    GuidanceItem,
    GuidanceKind,
    GuidanceStatus,
    GuidanceVersion,
    LibraryItem,
    LibraryTag,
    LibraryVersion,
    Meeting,
    MeetingAction,
    NationalPicture,
    ReportStatus,
    SituationReport,
    TagKind,
)
from nmt.methods.policies import (
    guidance_policy,
    library_policy,
    meeting_policy,
    report_policy,
)
from nmt.methods.services import FTS_TABLE, published_guidance

RUNNING_MEASURES = (
    codes.MeasureStatus.PLANNED,
    codes.MeasureStatus.APPLIED,
    codes.MeasureStatus.GRANTED,
    codes.MeasureStatus.ACTIVE,
)

# ---------------------------------------------------------------- guided workflow


@dataclass(frozen=True)
class MeasureDeadline:
    measure: Measure
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


@dataclass
class WorkflowEntry:
    item: GuidanceItem
    done: bool
    ticked_by: str = ""
    ticked_at: dt.datetime | None = None
    measure: Measure | None = None
    deadline: MeasureDeadline | None = None


@dataclass
class Workflow:
    case: Identification
    version: GuidanceVersion | None
    started: bool
    newer_version: GuidanceVersion | None
    indicators: list[WorkflowEntry] = field(default_factory=list)
    steps: list[WorkflowEntry] = field(default_factory=list)
    deadlines: list[MeasureDeadline] = field(default_factory=list)
    can_tick: bool = False

    @property
    def next_steps(self) -> list[WorkflowEntry]:
        return [s for s in self.steps if not s.done][:3]

    @property
    def steps_done(self) -> int:
        return sum(s.done for s in self.steps)

    @property
    def indicators_seen(self) -> int:
        return sum(i.done for i in self.indicators)

    @property
    def done_keys(self) -> list[str]:
        return [e.item.key for e in (*self.indicators, *self.steps) if e.done]


def _relevant(item: GuidanceItem, purposes: set[str]) -> bool:
    if item.kind == GuidanceKind.STEP or not item.purpose:
        return True
    return not purposes or item.purpose in purposes


def build_workflow(*, actor: User, case: Identification, today: dt.date | None = None) -> Workflow:
    """The workflow of a case the actor can see (unaudited: ``workflow_get`` audits)."""
    today = today or timezone.localdate()
    guidance = CaseGuidance.objects.filter(identification=case).select_related("version").first()
    latest = published_guidance()
    version = guidance.version if guidance else latest
    workflow = Workflow(
        case=case,
        version=version,
        started=guidance is not None,
        newer_version=latest if guidance and latest and latest.pk != version.pk else None,
        can_tick=case_policy.owns(actor, case),
    )
    if version is None:
        return workflow
    ticks = {}
    if guidance:
        ticks = {
            t.item_id: t
            for t in guidance.ticks.select_related("ticked_by")  # type: ignore[attr-defined]
        }
    measures: dict[str, Measure] = {}
    for measure in case.measures.order_by("-created_at", "-id"):
        measures.setdefault(measure.kind, measure)
    purposes = {p.purpose for p in case.purpose_rows.all()} - {codes.Purpose.UNKNOWN}
    for item in version.items.all():
        if not _relevant(item, purposes):
            continue
        tick = ticks.get(item.pk)
        entry = WorkflowEntry(
            item=item,
            done=tick is not None,
            ticked_by=(tick.ticked_by.get_full_name() or tick.ticked_by.username) if tick else "",
            ticked_at=tick.ticked_at if tick else None,
        )
        if item.measure_kind:
            entry.measure = measures.get(item.measure_kind)
            if entry.measure and entry.measure.ends_on and entry.measure.status in RUNNING_MEASURES:
                entry.deadline = MeasureDeadline(
                    entry.measure, (entry.measure.ends_on - today).days
                )
        if item.kind == GuidanceKind.INDICATOR:
            workflow.indicators.append(entry)
        else:
            workflow.steps.append(entry)
    workflow.deadlines = [
        MeasureDeadline(m, (m.ends_on - today).days)
        for m in case.measures.filter(status__in=RUNNING_MEASURES, ends_on__isnull=False).order_by(
            "ends_on"
        )
    ]
    return workflow


@transaction.atomic
def workflow_get(*, actor: User, case_number: str, today: dt.date | None = None) -> Workflow:
    """The guided workflow of a case, under the case's own policy, audited as a read of it."""
    case = access_case(actor, case_number)
    workflow = build_workflow(actor=actor, case=case, today=today)
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="case_guidance",
        object_id=case.pk,
        accessed=[("identification", case.pk)],
    )
    return workflow


def guidance_versions(*, actor: User) -> QuerySet[GuidanceVersion]:
    if guidance_policy.can_manage(actor):
        return GuidanceVersion.objects.all()
    if guidance_policy.can_read(actor):
        return GuidanceVersion.objects.exclude(status=GuidanceStatus.DRAFT)
    return GuidanceVersion.objects.none()


def access_guidance_version(actor: User, number: int) -> GuidanceVersion:
    try:
        return guidance_versions(actor=actor).get(number=number)
    except GuidanceVersion.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- methods library


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    purpose: str = ""
    role: str = ""
    region: str = ""
    category: str = ""


@dataclass
class LibraryHit:
    item: LibraryItem
    snippet: list[tuple[str, bool]]
    rank: float = 0.0


MARK_START, MARK_END = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


def _segments(text: str) -> list[tuple[str, bool]]:
    """Snippet text with markers, as (text, highlighted) pieces for the template to escape."""
    out: list[tuple[str, bool]] = []
    for piece in re.split(f"({MARK_START}.*?{MARK_END})", text):
        if piece.startswith(MARK_START):
            out.append((piece.strip(MARK_START + MARK_END), True))
        elif piece:
            out.append((piece, False))
    return out


def _fts5_query(q: str) -> str:
    """Words as quoted prefix terms, all required: no FTS5 syntax gets through from the user."""
    words = _WORD.findall(q)[:12]
    return " ".join(f'"{w}"*' for w in words)


def _tag_filter(items: QuerySet[LibraryItem], kind: str, value: str) -> QuerySet[LibraryItem]:
    if not value:
        return items
    return items.filter(
        Exists(LibraryTag.objects.filter(item=OuterRef("pk"), kind=kind, value=value))
    )


def _filtered_items(actor: User, filters: LibraryFilters) -> QuerySet[LibraryItem]:
    items = library_policy.visible(actor).select_related("current")
    items = _tag_filter(items, TagKind.PURPOSE, filters.purpose)
    items = _tag_filter(items, TagKind.ROLE, filters.role)
    items = _tag_filter(items, TagKind.REGION, filters.region)
    if filters.category:
        items = items.filter(category=filters.category)
    return items.prefetch_related("tags")


def search_backend() -> str:
    """The full-text engine of the database in use."""
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite":
        return "sqlite-fts5"
    raise ImproperlyConfigured(f"library search does not support {connection.vendor}")


def _search_sqlite(items: QuerySet[LibraryItem], q: str, limit: int) -> list[LibraryHit]:
    match = _fts5_query(q)
    if not match:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}, 5.0, 1.0), "  # noqa: S608
            f"snippet({FTS_TABLE}, 1, %s, %s, ' … ', 16) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY 2 LIMIT 500",
            [MARK_START, MARK_END, match],
        )
        found = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    visible = {item.pk: item for item in items.filter(pk__in=list(found))}
    hits = [
        LibraryHit(item=visible[pk], snippet=_segments(snippet), rank=-score)
        for pk, (score, snippet) in found.items()
        if pk in visible
    ]
    hits.sort(key=lambda h: -h.rank)
    return hits[:limit]


def _search_postgresql(items: QuerySet[LibraryItem], q: str, limit: int) -> list[LibraryHit]:
    # Each word stemmed by the Swedish configuration and matched as a prefix, all required (the
    # same semantics as the FTS5 query); only word characters reach the tsquery.
    words = _WORD.findall(q)[:12]
    if not words:
        return []
    query = SearchQuery(" & ".join(f"{w}:*" for w in words), config="swedish", search_type="raw")
    vector = SearchVector("search_text", config="swedish")
    rows = (
        items.annotate(document=vector)
        .filter(document=query)
        .annotate(
            rank=SearchRank(vector, query),
            snippet=SearchHeadline(
                "search_text",
                query,
                config="swedish",
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=30,
                min_words=12,
            ),
        )
        .order_by("-rank", "-id")[:limit]
    )
    return [LibraryHit(item=row, snippet=_segments(row.snippet), rank=row.rank) for row in rows]


def library_search(*, actor: User, filters: LibraryFilters, limit: int = 50) -> list[LibraryHit]:
    """The library items the actor may see, matching the filters; with ``q``, by relevance from
    the database's full-text engine (SQLite FTS5 or PostgreSQL's Swedish configuration)."""
    items = _filtered_items(actor, filters)
    q = filters.q.strip()[:200]
    if not q:
        return [LibraryHit(item=item, snippet=[]) for item in items[:limit]]
    if search_backend() == "postgresql":
        return _search_postgresql(items, q, limit)
    return _search_sqlite(items, q, limit)


def access_library_item(actor: User, item_id: int) -> LibraryItem:
    try:
        return (
            library_policy.visible(actor)
            .select_related("current", "created_by")
            .prefetch_related(
                "tags",
                Prefetch("versions", queryset=LibraryVersion.objects.select_related("created_by")),
            )
            .get(pk=item_id)
        )
    except LibraryItem.DoesNotExist:
        raise Http404 from None


@transaction.atomic
def library_file_open(*, actor: User, item_id: int, number: int) -> LibraryVersion:
    """A version's file for download, if the actor may see the item; the download is audited."""
    item = access_library_item(actor, item_id)
    try:
        version = item.versions.get(number=number)
    except LibraryVersion.DoesNotExist:
        raise Http404 from None
    if not version.file:
        raise Http404
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="library_item",
        object_id=item.pk,
        details={"version": number, "sha256": version.sha256},
    )
    return version


# ---------------------------------------------------------------- situation reports


def report_list(*, actor: User) -> list[SituationReport]:
    return list(report_policy.visible(actor).select_related("region", "submitted_by", "created_by"))


def access_report(actor: User, report_id: int) -> SituationReport:
    try:
        return report_policy.visible(actor).select_related("region").get(pk=report_id)
    except SituationReport.DoesNotExist:
        raise Http404 from None


@dataclass
class ReportDetail:
    report: SituationReport
    figures: dict[str, Any]
    live: bool
    comments: list[Any]
    revisions: list[Any]
    permissions: dict[str, bool]


def report_get(*, actor: User, report_id: int) -> ReportDetail:
    """A report with its figures: the snapshot taken at submission, or live ones for a draft."""
    report = access_report(actor, report_id)
    live = report.status != ReportStatus.SUBMITTED or not report.figures
    figures = report.figures
    if live:
        # Imported here: the figures need pandas, which the other pages of a worker do not.
        from nmt.methods.figures import protected_figures, term_dates

        start, end = term_dates(report.year, report.term)
        figures = protected_figures(start=start, end=end, region_id=report.region_id)
    return ReportDetail(
        report=report,
        figures=figures,
        live=live,
        comments=list(report.comments.select_related("author")),
        revisions=list(report.revisions.select_related("created_by")),
        permissions={
            "edit": report_policy.can_edit(actor, report),
            "comment": report_policy.can_comment(actor, report),
            "return": report_policy.can_return(actor, report),
        },
    )


def national_pictures(*, actor: User) -> list[NationalPicture]:
    if not report_policy.can_compile(actor):
        return []
    return list(NationalPicture.objects.select_related("compiled_by"))


def access_national_picture(actor: User, picture_id: int) -> NationalPicture:
    if not report_policy.can_compile(actor):
        raise Http404
    try:
        return NationalPicture.objects.get(pk=picture_id)
    except NationalPicture.DoesNotExist:
        raise Http404 from None


# ---------------------------------------------------------------- meetings


def meeting_list(*, actor: User) -> list[Meeting]:
    return list(meeting_policy.visible(actor).select_related("region", "organiser"))


def access_meeting(actor: User, meeting_id: int) -> Meeting:
    try:
        return (
            meeting_policy.visible(actor)
            .select_related("region", "organiser")
            .prefetch_related(
                "participants__agency",
                "decisions",
                "actions__owner",
                "actions__owner_agency",
            )
            .get(pk=meeting_id)
        )
    except Meeting.DoesNotExist:
        raise Http404 from None


def access_action(actor: User, action_id: int) -> MeetingAction:
    try:
        return MeetingAction.objects.select_related("meeting").get(
            pk=action_id, meeting__in=meeting_policy.visible(actor)
        )
    except MeetingAction.DoesNotExist:
        raise Http404 from None


def action_list(
    *, actor: User, overdue: bool = False, mine: bool = False, today: dt.date | None = None
) -> list[MeetingAction]:
    """Open actions of the meetings the actor sees, by due date; ``overdue`` only those past due,
    ``mine`` only those the actor or the actor's organisation owns."""
    today = today or timezone.localdate()
    actions = MeetingAction.objects.filter(
        meeting__in=meeting_policy.visible(actor), done_on__isnull=True
    )
    if overdue:
        actions = actions.filter(due_on__lt=today)
    if mine:
        owned = Q(owner=actor)
        if actor.agency_id is not None:
            owned |= Q(owner_agency_id=actor.agency_id)
        actions = actions.filter(owned)
    return list(actions.select_related("meeting", "owner", "owner_agency").order_by("due_on"))
