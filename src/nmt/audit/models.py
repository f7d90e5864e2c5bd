"""Append-only, hash-chained audit events.

Every event holds the hash of the one before it in its chain, so editing, deleting or reordering
events breaks the chain (``nmt audit verify``). Events never hold sealed personal data in plain
text: they name the objects read or changed and the fields touched, not their values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    SEARCH = "search", _("Searched")
    EXPORT = "export", _("Exported")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    REVEAL = "reveal", _("Revealed protected data")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGIN_LOCKED = "login_locked", _("Login locked after failures")
    SECOND_FACTOR = "second_factor", _("Second factor verified")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("Second factor failed")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("Second factor set up")
    LOGOUT = "logout", _("Logged out")
    DENIED = "denied", _("Access denied")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    chain = models.PositiveSmallIntegerField(default=0)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"


class AuditAccess(models.Model):
    """One personal-data object read within an event: a list row, a search hit, an exported row."""

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="accesses")
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id"])]


class ChainHead(models.Model):
    """The last hash of one chain (pk = chain + 1); locked to serialise appends to that chain.

    Events are spread over a few chains so that server processes do not all queue on one row
    lock; each chain on its own is a complete, ordered hash chain."""

    last_hash = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
