"""Writing audit events. Callers run inside the transaction of the read or write they record."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from nmt.audit.models import Action, AuditAccess, AuditEvent, ChainHead

GENESIS = "0" * 64
CHAINS = 8  # ChainHead rows 1..CHAINS exist from migration 0005


def _chain() -> int:
    # One chain per process and thread, mostly: concurrent requests append without waiting for
    # each other's commits.
    return hash((os.getpid(), threading.get_ident())) % CHAINS


def event_digest(event: AuditEvent, object_refs: Iterable[tuple[str, str]]) -> str:
    """The hash of one event: its content, the objects it names and the previous hash."""
    payload = {
        "previous": event.previous_hash,
        "chain": event.chain,
        "at": event.occurred_at.isoformat(),
        "actor": event.actor_id,
        "username": event.actor_username,
        "action": event.action,
        "object": [event.object_type, event.object_id],
        "purpose": event.purpose,
        "details": event.details,
        "ip": event.ip_address,
        "accesses": sorted([list(ref) for ref in object_refs]),
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def audit_record(
    *,
    actor: Any,
    action: Action | str,
    object_type: str = "",
    object_id: Any = "",
    purpose: str = "",
    details: dict[str, Any] | None = None,
    accessed: Iterable[tuple[str, Any]] = (),
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction.

    ``accessed`` lists the personal-data objects read (type, id): list rows, search hits, export
    rows. It must be called inside ``transaction.atomic`` together with the read it records, so
    that a read without its audit row cannot happen.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of what it records")
    refs = [(str(kind), str(pk)) for kind, pk in accessed]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    chain = _chain()
    head, _created = ChainHead.objects.select_for_update().get_or_create(
        pk=chain + 1, defaults={"last_hash": GENESIS}
    )
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if authenticated else None,
        actor_username=actor.get_username() if authenticated else "",
        action=str(action),
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        purpose=purpose,
        details=details or {},
        ip_address=ip_address,
        chain=chain,
        previous_hash=head.last_hash,
    )
    event.hash = event_digest(event, refs)
    event.save(force_insert=True)
    if refs:
        AuditAccess.objects.bulk_create(
            [AuditAccess(event=event, object_type=kind, object_id=pk) for kind, pk in refs]
        )
    ChainHead.objects.filter(pk=head.pk).update(last_hash=event.hash, last_event_id=event.pk)
    return event
