"""Optimistic concurrency: a save based on an old version is refused, saying what changed since."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models

from nmt.audit.models import Action, AuditEvent

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Change:
    version: int
    by: str
    at: str
    fields: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"version": self.version, "by": self.by, "at": self.at, "fields": list(self.fields)}


class ConflictError(Exception):
    """Someone else saved the object after the version the user started from."""

    def __init__(self, obj: models.Model, expected_version: int, changes: list[Change]):
        self.obj = obj
        self.expected_version = expected_version
        self.current_version: int = obj.version  # type: ignore[attr-defined]
        self.changes = changes
        super().__init__(
            f"{obj._meta.verbose_name} was changed by someone else "
            f"(version {expected_version} -> {self.current_version})"
        )

    @property
    def changed_fields(self) -> list[str]:
        seen: list[str] = []
        for change in self.changes:
            seen.extend(f for f in change.fields if f not in seen)
        return seen


def audit_object_type(model: type[models.Model] | models.Model) -> str:
    return model._meta.model_name or ""


def changes_since(obj: models.Model, version: int) -> list[Change]:
    events = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type=audit_object_type(obj), object_id=str(obj.pk)
    ).order_by("id")
    changes = []
    for event in events:
        event_version = event.details.get("version", 0)
        if event_version > version:
            changes.append(
                Change(
                    version=event_version,
                    by=event.actor_username,
                    at=event.occurred_at.isoformat(),
                    fields=tuple(event.details.get("fields", [])),
                )
            )
    return changes


def lock_at_version(model: type[M], pk: Any, expected_version: int) -> M:
    """Lock the row and check that nobody saved it since ``expected_version``."""
    obj = model.objects.select_for_update().get(pk=pk)  # type: ignore[attr-defined]
    if obj.version != expected_version:
        raise ConflictError(obj, expected_version, changes_since(obj, expected_version))
    return obj
