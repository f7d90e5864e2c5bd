"""Persons, identifications (cases), measures, referrals and the case timeline.

Identifying fields are sealed at rest (EncryptedTextField) and searched through blind indexes
(SearchToken). Nothing here is read directly by views: go through nmt.cases.selectors, which goes
through the access policy (nmt.access.policies) and writes the audit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nmt.access.fields import EncryptedTextField
from nmt.accounts.models import Agency, Municipality, Region
from nmt.cases import codes


class Person(models.Model):
    """One human being identified as a suspected victim; every field may be unknown."""

    given_name = EncryptedTextField(_("given names"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    aliases = EncryptedTextField(_("aliases"), blank=True, help_text=_("One per line."))
    birth_date = EncryptedTextField(
        _("date of birth"), blank=True, help_text=_("YYYY-MM-DD, or YYYY-MM or YYYY if partial.")
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=codes.Sex, default=codes.Sex.UNKNOWN)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    protected_identity = models.BooleanField(
        _("protected personal data"),
        default=False,
        help_text=_("Hides address and whereabouts in every page, export and report."),
    )
    address = EncryptedTextField(_("address"), blank=True)
    whereabouts = EncryptedTextField(_("current whereabouts"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"P{self.pk}"


class Citizenship(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="citizenships")
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "country"], name="unique_citizenship")
        ]
        indexes = [models.Index(fields=["country"])]


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=codes.DocumentKind)
    number = EncryptedTextField(_("number"))
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")


class SearchToken(models.Model):
    """Blind index entries: keyed hashes of normalised names and numbers, for exact search."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_tokens")
    token = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["token"])]


class Identification(models.Model):
    """One agency's identification of a person as a suspected victim: a case (ärende)."""

    case_number = models.CharField(_("case number"), max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identifications")
    identified_on = models.DateField(_("date of identification"))
    channel = models.CharField(_("channel"), max_length=30, choices=codes.Channel)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="identifications", verbose_name=_("agency")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="identifications", verbose_name=_("region")
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="identifications",
        verbose_name=_("municipality"),
    )
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True, help_text=_("If the date of birth is unknown.")
    )
    age_group = models.CharField(
        _("adult or child"), max_length=10, choices=codes.AgeGroup, default=codes.AgeGroup.UNKNOWN
    )
    offence = models.CharField(
        _("offence"), max_length=20, choices=codes.Offence, default=codes.Offence.UNKNOWN
    )
    exploitation_place = models.CharField(
        _("place of exploitation"),
        max_length=10,
        choices=codes.ExploitationPlace,
        default=codes.ExploitationPlace.UNKNOWN,
    )
    industry = models.CharField(_("industry"), max_length=20, choices=codes.Industry, blank=True)
    indicators = models.JSONField(_("observed indicators"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=codes.CaseStatus, default=codes.CaseStatus.OPEN
    )
    closed_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=codes.ClosedReason, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="registered_cases"
    )
    source_contact = models.ForeignKey(
        "supportline.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["region", "identified_on"]),
            models.Index(fields=["status"]),
            models.Index(fields=["channel"]),
            models.Index(fields=["identified_on"]),
            models.Index(fields=["registered_by"]),
        ]

    def __str__(self) -> str:
        return self.case_number


class IdentificationPurpose(models.Model):
    identification = models.ForeignKey(
        Identification, on_delete=models.CASCADE, related_name="purpose_rows"
    )
    purpose = models.CharField(max_length=20, choices=codes.Purpose)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["identification", "purpose"], name="unique_identification_purpose"
            )
        ]
        indexes = [models.Index(fields=["purpose", "identification"])]


class CaseCounter(models.Model):
    """Next case number per year; locked when a number is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)


class Measure(models.Model):
    identification = models.ForeignKey(
        Identification, on_delete=models.CASCADE, related_name="measures"
    )
    kind = models.CharField(_("measure"), max_length=30, choices=codes.MeasureKind)
    status = models.CharField(
        _("status"), max_length=10, choices=codes.MeasureStatus, default=codes.MeasureStatus.PLANNED
    )
    applied_on = models.DateField(_("applied on"), null=True, blank=True)
    applied_by = models.CharField(_("applied for by"), max_length=120, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [models.Index(fields=["ends_on", "status"])]


class Referral(models.Model):
    """A case shared with another agency, on a recorded legal ground."""

    identification = models.ForeignKey(
        Identification, on_delete=models.CASCADE, related_name="referrals"
    )
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_in", verbose_name=_("to agency")
    )
    to_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to region"),
        help_text=_("For regional receivers such as social services."),
    )
    legal_ground = models.CharField(_("legal ground"), max_length=20, choices=codes.LegalGround)
    legal_ground_detail = models.CharField(_("provision or statute"), max_length=200, blank=True)
    consent = models.CharField(_("consent"), max_length=20, choices=codes.Consent)
    message = EncryptedTextField(_("message to the receiver"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=codes.ReferralStatus,
        default=codes.ReferralStatus.PENDING,
    )
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["to_agency", "status"])]


class TimelineEntry(models.Model):
    identification = models.ForeignKey(
        Identification, on_delete=models.CASCADE, related_name="timeline"
    )
    kind = models.CharField(max_length=10, choices=codes.TimelineKind)
    text = EncryptedTextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class ErasureRequest(models.Model):
    """A request to erase a person's data, the legal checks made, and the decision."""

    class Decision(models.TextChoices):
        ERASED = "erased", _("Erased (anonymised)")
        REFUSED = "refused", _("Refused")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="erasure_requests")
    received_on = models.DateField(_("request received"))
    requested_by = models.CharField(_("requested by"), max_length=200)
    ongoing_investigation = models.BooleanField(
        _("a preliminary investigation or trial that needs the data is ongoing")
    )
    legal_obligation = models.BooleanField(
        _("a statute obliges us to keep the data (e.g. social services documentation)")
    )
    archive_rules = models.BooleanField(
        _("the archive rules (arkivlagen, gallringsbeslut) require the data to be kept")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision)
    reason = models.TextField(_("reasoning"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
