"""Calls to the support line for professionals (stödtelefonen)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nmt.access.fields import EncryptedTextField
from nmt.accounts.models import Region


class CallerType(models.TextChoices):
    SOCIAL_SERVICES = "social_services", _("Social services")
    POLICE = "police", _("Police")
    MIGRATION_AGENCY = "migration_agency", _("Swedish Migration Agency")
    HEALTH_CARE = "health_care", _("Health care")
    SCHOOL = "school", _("School")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    OTHER_AUTHORITY = "other_authority", _("Other authority")
    EMPLOYER = "employer", _("Employer or trade union")
    PRIVATE_PERSON = "private_person", _("Private person")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class Topic(models.TextChoices):
    SUSPECTED_CASE = "suspected_case", _("A suspected case")
    METHOD = "method", _("Methods and procedures")
    MEASURES = "measures", _("Measures and support for a victim")
    LEGAL = "legal", _("Legal questions")
    REFERRAL = "referral", _("Where to refer")
    TRAINING = "training", _("Training and information")
    OTHER = "other", _("Other")


class Contact(models.Model):
    """One call. Holds no identifying data of victims; the advice text is sealed nonetheless."""

    occurred_at = models.DateTimeField(_("time of call"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    caller_type = models.CharField(
        _("caller's organisation"), max_length=20, choices=CallerType, default=CallerType.UNKNOWN
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic)
    purposes = models.JSONField(_("purposes discussed"), default=list, blank=True)
    summary = EncryptedTextField(_("summary"), blank=True)
    advice = EncryptedTextField(_("advice given"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=300, blank=True)
    follow_up_due = models.DateField(_("follow up by"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("support-line call")
        verbose_name_plural = _("support-line calls")
        indexes = [models.Index(fields=["occurred_at"])]
