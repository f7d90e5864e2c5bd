"""Key rotation for sealed fields and the blind index, in small batches while the system runs.

Rotating the field key: put the new key first in ``NMT_FIELD_KEYS`` and keep the old ones after
it; restart the servers (new writes use the new key, old values still open); run
``nmt keys rotate``, which re-seals every value under the new key; then remove the old keys.

Rotating the blind-index key: set the new ``NMT_BLIND_INDEX_KEY`` and run
``nmt keys reindex``; name and number search finds only re-indexed persons until it finishes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from nmt.access.crypto import key_ring, sealed_key_id
from nmt.access.fields import EncryptedTextField

BATCH = 500


@dataclass
class RotationReport:
    current_key: str
    examined: int = 0
    resealed: int = 0
    by_key: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "current_key": self.current_key,
            "examined": self.examined,
            "resealed": self.resealed,
            "values_by_key_before": self.by_key,
        }


def sealed_fields() -> list[tuple[type, list[str]]]:
    """Every model with sealed fields, and those fields' names."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def _raw_rows(model: type, names: list[str], after: int) -> list[tuple]:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {columns} FROM {table} WHERE {pk} > %s ORDER BY {pk} LIMIT %s",  # noqa: S608
            [after, BATCH],
        )
        return cursor.fetchall()


def rotate_field_keys(*, dry_run: bool = False, progress: Callable[[int], None] | None = None):
    """Re-seal every value that is not under the current key. Safe to interrupt and re-run."""
    current = key_ring().current[0]
    report = RotationReport(current_key=current)
    for model, names in sealed_fields():
        after = 0
        while rows := _raw_rows(model, names, after):
            stale_pks = []
            for pk, *values in rows:
                report.examined += 1
                ids = [sealed_key_id(v) for v in values if v]
                for key_id in ids:
                    report.by_key[key_id] = report.by_key.get(key_id, 0) + 1
                if any(key_id != current for key_id in ids):
                    stale_pks.append(pk)
            if stale_pks and not dry_run:
                with transaction.atomic():
                    # Reading opens with any key in the ring; saving seals with the current one.
                    for obj in model.objects.select_for_update().filter(pk__in=stale_pks):
                        model.objects.filter(pk=obj.pk).update(
                            **{name: getattr(obj, name) for name in names}
                        )
            report.resealed += len(stale_pks)
            after = rows[-1][0]
            if progress is not None:
                progress(report.examined)
    return report


def rebuild_search_index(*, progress: Callable[[int], None] | None = None) -> int:
    """Recompute every person's blind-index tokens under the current blind-index key."""
    from nmt.cases.models import Person
    from nmt.cases.services import reindex_person

    done = 0
    pks = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        with transaction.atomic():
            for person in Person.objects.filter(pk__in=pks[start : start + BATCH]).prefetch_related(
                "documents"
            ):
                reindex_person(person)
                done += 1
        if progress is not None:
            progress(done)
    return done
