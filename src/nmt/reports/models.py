"""Imported agency lists and the kept yearly runs.

Identifying values of imported records are sealed at rest like the registry's. A run keeps what
is needed to trace and reproduce a published figure: the inputs' fingerprints, the settings, the
library versions, the trained linkage model, each record's person and the person-level facts the
tables are made from (pseudonymous tokens only), and the published (protected) tables.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nmt.access.fields import EncryptedTextField


class AgencyList(models.Model):
    """One source's list of identified persons for a period, imported for counting."""

    source = models.CharField(_("source"), max_length=40)
    origin = models.CharField(_("origin"), max_length=120)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    filename = models.CharField(_("file"), max_length=200)
    fingerprint = models.CharField(max_length=64)
    record_count = models.PositiveIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "source"]
        verbose_name = _("agency list")
        verbose_name_plural = _("agency lists")

    def __str__(self) -> str:
        return f"{self.source} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class AgencyListRecord(models.Model):
    """One record of an imported list: statistical fields in the clear, identity sealed."""

    agency_list = models.ForeignKey(AgencyList, on_delete=models.CASCADE, related_name="records")
    record_id = models.CharField(max_length=100)
    identity = EncryptedTextField(blank=True)
    age = models.PositiveSmallIntegerField(null=True)
    sex = models.CharField(max_length=1, blank=True)
    citizenship = models.CharField(max_length=2, blank=True)
    identification_date = models.CharField(max_length=10, blank=True)
    purposes = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_list", "record_id"], name="unique_list_record")
        ]


def _native(value: Any) -> Any:
    """NumPy scalars (as pandas leaves them in object columns) as Python numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def pack(value: Any) -> bytes:
    """JSON, gzipped at level 1 (a million rows compress in a fraction of a second; level 5
    took seconds for a few per cent less)."""
    text = json.dumps(value, separators=(",", ":"), default=_native)
    return gzip.compress(text.encode("utf-8"), 1)


def unpack(blob: bytes | memoryview | None) -> Any:
    if not blob:
        return None
    return json.loads(gzip.decompress(bytes(blob)).decode("utf-8"))


class ReportRun(models.Model):
    """A kept yearly run: what went in, how, with which versions, and what came out."""

    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fingerprint = models.CharField(max_length=64)
    settings = models.JSONField(default=dict)
    inputs = models.JSONField(default=list)
    versions = models.JSONField(default=dict)
    summary = models.JSONField(default=dict)
    published = models.JSONField(default=dict)
    timings = models.JSONField(default=dict)
    # Confidential (analyst role only): unprotected results, record -> person, person facts.
    results_blob = models.BinaryField()
    persons_blob = models.BinaryField()
    membership_blob = models.BinaryField()
    model_blob = models.BinaryField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["year", "created_at"])]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")

    def __str__(self) -> str:
        return f"R{self.pk} {self.year}"
