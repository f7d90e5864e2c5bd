"""Writes of method support. Each service checks the policy, validates, writes and records its
audit event in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nmt.access.policies import case_policy
from nmt.accounts.models import Agency, Region, Role, User
from nmt.audit.models import Action
from nmt.audit.services import audit_record
from nmt.cases import codes
from nmt.cases.concurrency import lock_at_version
from nmt.cases.models import Identification
from nmt.methods.figures import protected_figures, term_dates
from nmt.methods.library_files import check_upload
from nmt.methods.models import (
    REPORT_SECTIONS,
    CaseGuidance,
    CaseGuidanceTick,
    GuidanceItem,
    GuidanceStatus,
    GuidanceVersion,
    LibraryCategory,
    LibraryItem,
    LibraryKind,
    LibraryTag,
    LibraryVersion,
    Meeting,
    MeetingAction,
    MeetingDecision,
    MeetingKind,
    MeetingParticipant,
    NationalPicture,
    ReportStatus,
    SituationComment,
    SituationReport,
    SituationReportRevision,
    TagKind,
)
from nmt.methods.policies import (
    guidance_policy,
    library_policy,
    meeting_policy,
    report_policy,
)

FTS_TABLE = "methods_library_fts"

# ---------------------------------------------------------------- guided workflow


def published_guidance() -> GuidanceVersion | None:
    return GuidanceVersion.objects.filter(status=GuidanceStatus.PUBLISHED).first()


@transaction.atomic
def workflow_update(
    *,
    actor: User,
    case: Identification,
    tick: Iterable[str] = (),
    untick: Iterable[str] = (),
) -> CaseGuidance:
    """Tick and untick indicators and steps of a case (its owners only).

    Only the changes the user made are applied (not the whole form), so two owners working on the
    same case at once do not undo each other's ticks. The first tick fixes the guidance version
    the case follows.
    """
    if not case_policy.owns(actor, case):
        raise PermissionDenied
    tick, untick = set(tick), set(untick)
    if tick & untick:
        raise ValidationError(_("An item cannot be ticked and unticked at once."))
    guidance = CaseGuidance.objects.select_for_update().filter(identification=case).first()
    if guidance is None:
        version = published_guidance()
        if version is None:
            raise ValidationError(_("No guidance has been published yet."))
        guidance = CaseGuidance.objects.create(
            identification=case, version=version, started_by=actor
        )
    items = {item.key: item for item in guidance.version.items.all()}
    unknown = (tick | untick) - set(items)
    if unknown:
        raise ValidationError(
            _("Not in this version of the guidance: %(keys)s")
            % {"keys": ", ".join(sorted(unknown))}
        )
    done = set(guidance.ticks.values_list("item__key", flat=True))
    added = sorted(tick - done)
    removed = sorted(untick & done)
    CaseGuidanceTick.objects.bulk_create(
        [CaseGuidanceTick(case_guidance=guidance, item=items[k], ticked_by=actor) for k in added]
    )
    guidance.ticks.filter(item__key__in=removed).delete()
    if added or removed:
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="case_guidance",
            object_id=case.pk,
            details={"version": guidance.version.number, "ticked": added, "unticked": removed},
            accessed=[("identification", case.pk)],
        )
    return guidance


GUIDANCE_ITEM_FIELDS = (
    "kind",
    "key",
    "purpose",
    "phase",
    "order",
    "title_sv",
    "title_en",
    "text_sv",
    "text_en",
    "measure_kind",
)


@transaction.atomic
def guidance_draft_create(*, actor: User, change_note: str = "") -> GuidanceVersion:
    """A new draft version, starting as a copy of the newest version."""
    if not guidance_policy.can_manage(actor):
        raise PermissionDenied
    if GuidanceVersion.objects.filter(status=GuidanceStatus.DRAFT).exists():
        raise ValidationError(_("There is already a draft; finish or publish it first."))
    latest = GuidanceVersion.objects.select_for_update().order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    draft = GuidanceVersion.objects.create(
        number=number,
        title_sv=latest.title_sv if latest else "Vägledning",
        title_en=latest.title_en if latest else "Guidance",
        change_note=change_note,
        created_by=actor,
    )
    if latest:
        GuidanceItem.objects.bulk_create(
            [
                GuidanceItem(version=draft, **{f: getattr(item, f) for f in GUIDANCE_ITEM_FIELDS})
                for item in latest.items.all()
            ]
        )
    audit_record(
        actor=actor, action=Action.CREATE, object_type="guidance_version", object_id=draft.pk
    )
    return draft


def _editable_draft(actor: User, version: GuidanceVersion) -> None:
    if not guidance_policy.can_manage(actor):
        raise PermissionDenied
    if version.status != GuidanceStatus.DRAFT:
        raise ValidationError(_("A published version cannot be changed; make a new draft."))


@transaction.atomic
def guidance_item_save(
    *, actor: User, version: GuidanceVersion, item: GuidanceItem | None = None, **values: Any
) -> GuidanceItem:
    """Add an item to a draft, or change one of its items."""
    _editable_draft(actor, version)
    unknown = set(values) - set(GUIDANCE_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"guidance_item_save got unknown fields: {sorted(unknown)}")
    if item is None:
        item = GuidanceItem(version=version)
    elif item.version_id != version.pk:
        raise PermissionDenied
    for name, value in values.items():
        setattr(item, name, value)
    clash = version.items.filter(key=item.key).exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"key": [_("Another item of this version has that key.")]})
    item.full_clean(exclude=["version"])
    item.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="guidance_version",
        object_id=version.pk,
        details={"item": item.key},
    )
    return item


@transaction.atomic
def guidance_item_delete(*, actor: User, version: GuidanceVersion, item: GuidanceItem) -> None:
    _editable_draft(actor, version)
    if item.version_id != version.pk:
        raise PermissionDenied
    key = item.key
    item.delete()
    audit_record(
        actor=actor,
        action=Action.DELETE,
        object_type="guidance_version",
        object_id=version.pk,
        details={"item": key},
    )


@transaction.atomic
def guidance_publish(*, actor: User, version: GuidanceVersion) -> GuidanceVersion:
    """Publish a draft: new cases follow it; cases already started keep their version."""
    _editable_draft(actor, version)
    if not version.items.filter(kind="step").exists():
        raise ValidationError(_("The guidance needs at least one step."))
    GuidanceVersion.objects.filter(status=GuidanceStatus.PUBLISHED).update(
        status=GuidanceStatus.RETIRED
    )
    version.status = GuidanceStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="guidance_version",
        object_id=version.pk,
        details={"published": version.number},
    )
    return version


# ---------------------------------------------------------------- methods library


def _set_tags(item: LibraryItem, *, purposes: Iterable[str], roles: Iterable[str], regions: Any):
    errors: dict[str, list[str]] = {}
    purposes = sorted(set(purposes))
    roles = sorted(set(roles))
    region_codes = sorted({r.code if isinstance(r, Region) else str(r) for r in regions})
    if any(p not in codes.Purpose.values for p in purposes):
        errors["purposes"] = [_("Unknown purpose.")]
    if any(r not in Role.values for r in roles):
        errors["roles"] = [_("Unknown role.")]
    if Region.objects.filter(code__in=region_codes).count() != len(region_codes):
        errors["regions"] = [_("Unknown region.")]
    if errors:
        raise ValidationError(errors)
    LibraryTag.objects.filter(item=item).delete()
    LibraryTag.objects.bulk_create(
        [LibraryTag(item=item, kind=TagKind.PURPOSE, value=v) for v in purposes]
        + [LibraryTag(item=item, kind=TagKind.ROLE, value=v) for v in roles]
        + [LibraryTag(item=item, kind=TagKind.REGION, value=v) for v in region_codes]
    )


def _reindex(item: LibraryItem) -> None:
    """Keep the full-text index of the item in step with its current version."""
    version = item.current
    title = version.title if version else ""
    body = (
        "\n".join(part for part in (version.summary, version.body, version.extracted_text) if part)
        if version
        else ""
    )
    item.search_text = f"{title}\n{body}"
    item.save(update_fields=["search_text", "updated_at"])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [item.pk])  # noqa: S608
            if version and not item.archived:
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                    [item.pk, title, body],
                )


def _new_version(
    *,
    actor: User,
    item: LibraryItem,
    title: str,
    summary: str,
    body: str,
    upload: IO[bytes] | None,
    filename: str,
    change_note: str,
    action: str,
) -> LibraryVersion:
    """Validate and save a new current version of ``item``; audited as ``action``."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the title.")]
    if item.kind == LibraryKind.PAGE and not body.strip():
        errors["body"] = [_("Write the text of the page.")]
    if item.kind == LibraryKind.DOCUMENT and upload is None and item.current is None:
        errors["file"] = [_("Choose a PDF or Word file.")]
    if errors:
        raise ValidationError(errors)
    number = (item.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = LibraryVersion(
        item=item,
        number=number,
        title=title.strip(),
        summary=summary.strip(),
        body=body.strip() if item.kind == LibraryKind.PAGE else "",
        change_note=change_note.strip()[:300],
        created_by=actor,
    )
    if item.kind == LibraryKind.DOCUMENT:
        if upload is not None:
            checked = check_upload(upload, filename)
            version.file.save(checked.filename, ContentFile(checked.content), save=False)
            version.filename = checked.filename
            version.content_type = checked.content_type
            version.size = checked.size
            version.sha256 = checked.sha256
            version.extracted_text = checked.text
        else:
            # A new title or summary for the same file.
            previous = item.current
            for name in ("file", "filename", "content_type", "size", "sha256", "extracted_text"):
                setattr(version, name, getattr(previous, name))
    version.save()
    item.current = version
    item.save(update_fields=["current", "updated_at"])
    _reindex(item)
    audit_record(
        actor=actor,
        action=action,
        object_type="library_item",
        object_id=item.pk,
        details={"version": version.number, "sha256": version.sha256},
    )
    return version


@transaction.atomic
def library_item_create(
    *,
    actor: User,
    kind: str,
    category: str,
    title: str,
    summary: str = "",
    body: str = "",
    upload: IO[bytes] | None = None,
    filename: str = "",
    purposes: Iterable[str] = (),
    roles: Iterable[str] = (),
    regions: Iterable[Any] = (),
    change_note: str = "",
) -> LibraryItem:
    if not library_policy.can_manage(actor):
        raise PermissionDenied
    if kind not in LibraryKind.values:
        raise ValidationError({"kind": [_("Unknown value.")]})
    if category not in LibraryCategory.values:
        raise ValidationError({"category": [_("Unknown value.")]})
    item = LibraryItem.objects.create(kind=kind, category=category, created_by=actor)
    _set_tags(item, purposes=purposes, roles=roles, regions=regions)
    _new_version(
        actor=actor,
        item=item,
        title=title,
        summary=summary,
        body=body,
        upload=upload,
        filename=filename,
        change_note=change_note,
        action=Action.CREATE,
    )
    return item


@transaction.atomic
def library_version_add(
    *,
    actor: User,
    item: LibraryItem,
    title: str,
    summary: str = "",
    body: str = "",
    upload: IO[bytes] | None = None,
    filename: str = "",
    change_note: str = "",
    category: str | None = None,
    purposes: Iterable[str] | None = None,
    roles: Iterable[str] | None = None,
    regions: Iterable[Any] | None = None,
) -> LibraryVersion:
    """A new version of an item (earlier versions stay in its history), and its tags."""
    if not library_policy.can_manage(actor):
        raise PermissionDenied
    item = LibraryItem.objects.select_for_update().get(pk=item.pk)
    if category is not None:
        if category not in LibraryCategory.values:
            raise ValidationError({"category": [_("Unknown value.")]})
        item.category = category
        item.save(update_fields=["category"])
    if purposes is not None or roles is not None or regions is not None:
        current = {
            kind: [t.value for t in item.tags.all() if t.kind == kind] for kind in TagKind.values
        }
        _set_tags(
            item,
            purposes=current[TagKind.PURPOSE] if purposes is None else purposes,
            roles=current[TagKind.ROLE] if roles is None else roles,
            regions=current[TagKind.REGION] if regions is None else regions,
        )
    version = _new_version(
        actor=actor,
        item=item,
        title=title,
        summary=summary,
        body=body,
        upload=upload,
        filename=filename,
        change_note=change_note,
        action=Action.UPDATE,
    )
    return version


@transaction.atomic
def library_item_archive(*, actor: User, item: LibraryItem, archived: bool = True) -> LibraryItem:
    if not library_policy.can_manage(actor):
        raise PermissionDenied
    item.archived = archived
    item.save(update_fields=["archived", "updated_at"])
    _reindex(item)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="library_item",
        object_id=item.pk,
        details={"archived": archived},
    )
    return item


# ---------------------------------------------------------------- situation reports


def _sections(report: SituationReport) -> dict[str, str]:
    return {name: getattr(report, name) for name in REPORT_SECTIONS}


def _revision(report: SituationReport, actor: User, event: str) -> None:
    SituationReportRevision.objects.create(
        report=report,
        version=report.version,
        event=event,
        status=report.status,
        sections=_sections(report),
        created_by=actor,
    )


def _audit_report(actor: User, report: SituationReport, action: str, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="situationreport",
        object_id=report.pk,
        details={"version": report.version, **details},
    )


@transaction.atomic
def report_create(*, actor: User, region: Region, year: int, term: int) -> SituationReport:
    if not report_policy.can_create(actor, region.pk):
        raise PermissionDenied
    errors = {}
    if term not in (1, 2):
        errors["term"] = [_("Unknown value.")]
    if not 2000 <= year <= timezone.localdate().year + 1:
        errors["year"] = [_("The year is not plausible.")]
    if errors:
        raise ValidationError(errors)
    if SituationReport.objects.filter(region=region, year=year, term=term).exists():
        raise ValidationError(_("The region already has a report for this period."))
    report = SituationReport.objects.create(region=region, year=year, term=term, created_by=actor)
    _revision(report, actor, "created")
    _audit_report(actor, report, Action.CREATE)
    return report


@transaction.atomic
def report_update(
    *, actor: User, report: SituationReport, expected_version: int, **sections: str
) -> SituationReport:
    """Save the text of a draft (or returned) report; an edit based on an old version is refused."""
    if not report_policy.can_edit(actor, report):
        raise PermissionDenied
    unknown = set(sections) - set(REPORT_SECTIONS)
    if unknown:
        raise TypeError(f"report_update got unknown sections: {sorted(unknown)}")
    report = lock_at_version(SituationReport, report.pk, expected_version)
    changed = [name for name, text in sections.items() if getattr(report, name) != text]
    if not changed:
        return report
    for name in changed:
        setattr(report, name, sections[name])
    report.version += 1
    report.save()
    _revision(report, actor, "saved")
    _audit_report(actor, report, Action.UPDATE, fields=changed)
    return report


@transaction.atomic
def report_submit(
    *, actor: User, report: SituationReport, expected_version: int
) -> SituationReport:
    """Submit to the national team, with the region's protected figures as of now."""
    if not report_policy.can_edit(actor, report):
        raise PermissionDenied
    report = lock_at_version(SituationReport, report.pk, expected_version)
    if not any(getattr(report, name).strip() for name in REPORT_SECTIONS):
        raise ValidationError(_("Write at least one section before submitting."))
    start, end = term_dates(report.year, report.term)
    report.figures = protected_figures(start=start, end=end, region_id=report.region_id)
    report.status = ReportStatus.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.version += 1
    report.save()
    _revision(report, actor, "submitted")
    _audit_report(actor, report, Action.UPDATE, status=report.status)
    return report


@transaction.atomic
def report_comment(*, actor: User, report: SituationReport, text: str) -> SituationComment:
    if not report_policy.can_comment(actor, report):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": [_("Write the comment.")]})
    comment = SituationComment.objects.create(report=report, author=actor, text=text.strip())
    _audit_report(actor, report, Action.CREATE, comment=comment.pk)
    return comment


@transaction.atomic
def report_return(*, actor: User, report: SituationReport, text: str) -> SituationReport:
    """The national team sends a submitted report back to the region, saying why."""
    if not report_policy.can_return(actor, report):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": [_("Say what should be changed.")]})
    report = SituationReport.objects.select_for_update().get(pk=report.pk)
    SituationComment.objects.create(report=report, author=actor, text=text.strip())
    report.status = ReportStatus.RETURNED
    report.version += 1
    report.save()
    _revision(report, actor, "returned")
    _audit_report(actor, report, Action.UPDATE, status=report.status)
    return report


@transaction.atomic
def national_picture_compile(
    *, actor: User, year: int, term: int, summary: str = ""
) -> NationalPicture:
    """The national situation picture: the submitted regional reports of the period and the
    national protected figures, kept as compiled (compiling again makes a new edition)."""
    if not report_policy.can_compile(actor):
        raise PermissionDenied
    if term not in (1, 2):
        raise ValidationError({"term": [_("Unknown value.")]})
    start, end = term_dates(year, term)
    picture = NationalPicture.objects.create(
        year=year,
        term=term,
        summary=summary.strip(),
        figures=protected_figures(start=start, end=end),
        compiled_by=actor,
    )
    reports = SituationReport.objects.filter(year=year, term=term, status=ReportStatus.SUBMITTED)
    picture.reports.set(reports)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="national_picture",
        object_id=picture.pk,
        details={"reports": sorted(r.pk for r in reports)},
    )
    return picture


# ---------------------------------------------------------------- meetings


def _audit_meeting(actor: User, meeting: Meeting, event: str, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=event,
        object_type="meeting",
        object_id=meeting.pk,
        details=details,
    )


MEETING_FIELDS = ("title", "kind", "held_on", "place", "region", "agenda", "notes")


def _validate_meeting(values: dict[str, Any]) -> None:
    errors = {}
    if "title" in values and not str(values["title"]).strip():
        errors["title"] = [_("Give the title.")]
    if "kind" in values and values["kind"] not in MeetingKind.values:
        errors["kind"] = [_("Unknown value.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(*, actor: User, **values: Any) -> Meeting:
    if not meeting_policy.can_create(actor):
        raise PermissionDenied
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_create got unknown fields: {sorted(unknown)}")
    _validate_meeting(values)
    meeting = Meeting.objects.create(organiser=actor, **values)
    _audit_meeting(actor, meeting, Action.CREATE)
    return meeting


@transaction.atomic
def meeting_update(*, actor: User, meeting: Meeting, **values: Any) -> Meeting:
    if not meeting_policy.can_edit(actor, meeting):
        raise PermissionDenied
    unknown = set(values) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update got unknown fields: {sorted(unknown)}")
    _validate_meeting(values)
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    for name in changed:
        setattr(meeting, name, values[name])
    meeting.save()
    _audit_meeting(actor, meeting, Action.UPDATE, fields=changed)
    return meeting


@transaction.atomic
def participant_add(
    *, actor: User, meeting: Meeting, agency: Agency, name: str, title: str = ""
) -> MeetingParticipant:
    if not meeting_policy.can_edit(actor, meeting):
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": [_("Give the name.")]})
    participant = MeetingParticipant.objects.create(
        meeting=meeting, agency=agency, name=name.strip(), title=title.strip()
    )
    _audit_meeting(actor, meeting, Action.UPDATE, participant=participant.pk)
    return participant


@transaction.atomic
def decision_add(*, actor: User, meeting: Meeting, text: str) -> MeetingDecision:
    if not meeting_policy.can_edit(actor, meeting):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": [_("Write the decision.")]})
    decision = MeetingDecision.objects.create(meeting=meeting, text=text.strip())
    _audit_meeting(actor, meeting, Action.UPDATE, decision=decision.pk)
    return decision


@transaction.atomic
def action_add(
    *,
    actor: User,
    meeting: Meeting,
    text: str,
    due_on: dt.date,
    owner: User | None = None,
    owner_agency: Agency | None = None,
) -> MeetingAction:
    if not meeting_policy.can_edit(actor, meeting):
        raise PermissionDenied
    errors = {}
    if not text.strip():
        errors["text"] = [_("Write the action.")]
    if owner is None and owner_agency is None:
        errors["owner"] = [_("Name an owner: a person or an organisation.")]
    if errors:
        raise ValidationError(errors)
    action = MeetingAction.objects.create(
        meeting=meeting, text=text.strip(), due_on=due_on, owner=owner, owner_agency=owner_agency
    )
    _audit_meeting(actor, meeting, Action.UPDATE, meeting_action=action.pk)
    return action


@transaction.atomic
def action_complete(
    *, actor: User, action: MeetingAction, done: bool = True, today: dt.date | None = None
) -> MeetingAction:
    if not meeting_policy.can_complete(actor, action):
        raise PermissionDenied
    action.done_on = (today or timezone.localdate()) if done else None
    action.save(update_fields=["done_on"])
    _audit_meeting(actor, action.meeting, Action.UPDATE, meeting_action=action.pk, done=done)
    return action
