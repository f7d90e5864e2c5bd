"""Users, agencies and the regional organisation of the network."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Regional coordinator")
    SUPPORTLINE = "supportline", _("Support line")
    AGENCY_LIAISON = "agency_liaison", _("Agency liaison")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Data protection officer")
    ADMIN = "admin", _("System administrator")


class AgencyKind(models.TextChoices):
    NATIONAL_AUTHORITY = "national_authority", _("Government agency")
    MUNICIPAL = "municipal", _("Municipal social services")
    HEALTH_CARE = "health_care", _("Regional health care")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")


class Region(models.Model):
    """One of the seven regions of the regional coordinators (they follow the police regions)."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class County(models.Model):
    """A county (län), by its two-digit official code."""

    code = models.CharField(max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=60)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="counties")

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A municipality (kommun), by its four-digit official code."""

    code = models.CharField(max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An organisation whose staff use the platform or receive referrals."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    receives_referrals = models.BooleanField(_("receives referrals"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Role, agency and region decide what they may see (see nmt.access)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
