"""Method support: guidance (as data), the library, situation reports and meetings.

Nothing here is read directly by views: go through ``nmt.methods.selectors`` (policy + audit) and
write through ``nmt.methods.services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nmt.accounts.models import Agency, Region
from nmt.cases import codes
from nmt.cases.models import Identification


def _in_language(obj: models.Model, name: str) -> str:
    """The English text when English is the active language and it exists, else the Swedish."""
    if (get_language() or "sv").startswith("en"):
        return getattr(obj, f"{name}_en") or getattr(obj, f"{name}_sv")
    return getattr(obj, f"{name}_sv") or getattr(obj, f"{name}_en")


# ---------------------------------------------------------------- guided workflow


class GuidanceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Replaced")


class GuidanceKind(models.TextChoices):
    INDICATOR = "indicator", _("Indicator")
    STEP = "step", _("Step")


class GuidancePhase(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    SAFETY = "safety", _("Safety and protection")
    RIGHTS = "rights", _("Rights and legal process")
    SUPPORT = "support", _("Support and recovery")
    FUTURE = "future", _("The way forward")


class GuidanceVersion(models.Model):
    """One edition of the guidance. Published editions never change; a case keeps the one it
    followed."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=GuidanceStatus, default=GuidanceStatus.DRAFT
    )
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("guidance version")
        verbose_name_plural = _("guidance versions")
        permissions = [("national_team", "Member of the national team (method support)")]

    def __str__(self) -> str:
        return f"v{self.number}"

    @property
    def title(self) -> str:
        return _in_language(self, "title")


class GuidanceItem(models.Model):
    """An indicator to look for, or a step to take; ``key`` is stable across versions."""

    version = models.ForeignKey(GuidanceVersion, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=GuidanceKind)
    key = models.SlugField(_("key"), max_length=60)
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=codes.Purpose,
        blank=True,
        help_text=_("Empty: applies whatever the purpose."),
    )
    phase = models.CharField(_("phase"), max_length=20, choices=GuidancePhase, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title_sv = models.CharField(_("title (Swedish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    text_sv = models.TextField(_("guidance (Swedish)"), blank=True)
    text_en = models.TextField(_("guidance (English)"), blank=True)
    measure_kind = models.CharField(
        _("related measure"),
        max_length=30,
        choices=codes.MeasureKind,
        blank=True,
        help_text=_("The measure whose dates give this step its deadline."),
    )

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_guidance_key")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def title(self) -> str:
        return _in_language(self, "title")

    @property
    def text(self) -> str:
        return _in_language(self, "text")


class CaseGuidance(models.Model):
    """The guidance a case follows: the version is fixed when work on the case starts."""

    identification = models.OneToOneField(
        Identification, on_delete=models.CASCADE, related_name="guidance"
    )
    version = models.ForeignKey(GuidanceVersion, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)


class CaseGuidanceTick(models.Model):
    case_guidance = models.ForeignKey(CaseGuidance, on_delete=models.CASCADE, related_name="ticks")
    item = models.ForeignKey(GuidanceItem, on_delete=models.PROTECT, related_name="+")
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ticked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_guidance", "item"], name="unique_guidance_tick")
        ]


# ---------------------------------------------------------------- methods library


class LibraryKind(models.TextChoices):
    DOCUMENT = "document", _("Document (PDF, DOCX)")
    PAGE = "page", _("Page")


class LibraryCategory(models.TextChoices):
    GUIDANCE = "guidance", _("Guidance")
    HANDBOOK = "handbook", _("Handbook")
    TEMPLATE = "template", _("Template")
    TRAINING = "training", _("Training material")
    OTHER = "other", _("Other")


class TagKind(models.TextChoices):
    PURPOSE = "purpose", _("Purpose")
    ROLE = "role", _("Role")
    REGION = "region", _("Region")


def library_upload_to(instance: LibraryVersion, filename: str) -> str:
    # Stored names are random: the original name is kept in the row, never in the path.
    return f"library/{uuid.uuid4().hex}"


class LibraryItem(models.Model):
    """A document or page of the methods library; its content lives in its versions."""

    kind = models.CharField(_("kind"), max_length=10, choices=LibraryKind)
    category = models.CharField(_("category"), max_length=10, choices=LibraryCategory)
    current = models.ForeignKey(
        "LibraryVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    archived = models.BooleanField(_("archived"), default=False)
    search_text = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("library item")
        verbose_name_plural = _("library items")

    def __str__(self) -> str:
        return self.current.title if self.current_id else f"#{self.pk}"


class LibraryTag(models.Model):
    """Who and what an item is for. No role tag: every role of the network; no region tag: the
    whole country."""

    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=10, choices=TagKind)
    value = models.CharField(max_length=30)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "kind", "value"], name="unique_library_tag")
        ]
        indexes = [models.Index(fields=["kind", "value"])]


class LibraryVersion(models.Model):
    item = models.ForeignKey(LibraryItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text"), blank=True)
    file = models.FileField(upload_to=library_upload_to, blank=True, max_length=200)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    extracted_text = models.TextField(blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="unique_library_version")
        ]


# ---------------------------------------------------------------- situation reports


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")


class Term(models.IntegerChoices):
    FIRST = 1, _("January–June")
    SECOND = 2, _("July–December")


REPORT_SECTIONS = ("new_developments", "trends", "methods_worked", "needs")


class SituationReport(models.Model):
    """A region's situation report (lägesbeskrivning) for a half-year."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    term = models.PositiveSmallIntegerField(_("period"), choices=Term)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    new_developments = models.TextField(_("What is new"), blank=True)
    trends = models.TextField(_("Trends"), blank=True)
    methods_worked = models.TextField(_("Methods that worked"), blank=True)
    needs = models.TextField(_("Needs"), blank=True)
    figures = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "-term", "region__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "term"], name="unique_situation_report"
            )
        ]


class SituationReportRevision(models.Model):
    """The report's history: its text after every save, submission and return."""

    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    event = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=ReportStatus)
    sections = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]


class SituationComment(models.Model):
    report = models.ForeignKey(SituationReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]


class NationalPicture(models.Model):
    """The national situation picture of a half-year, compiled from the regions' reports."""

    year = models.PositiveSmallIntegerField(_("year"))
    term = models.PositiveSmallIntegerField(_("period"), choices=Term)
    summary = models.TextField(_("national summary"), blank=True)
    figures = models.JSONField(default=dict, blank=True)
    reports = models.ManyToManyField(SituationReport, related_name="+")
    compiled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    compiled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-term", "-id"]


# ---------------------------------------------------------------- meetings


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("Network meeting")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")


class Meeting(models.Model):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for a national meeting."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("job title"), max_length=120, blank=True)

    class Meta:
        ordering = ["agency__name", "name"]


class MeetingDecision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class MeetingAction(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owning organisation"),
    )
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["done_on", "due_on"])]
