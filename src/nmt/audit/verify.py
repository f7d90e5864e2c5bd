"""Checking the audit chain: finds edited, deleted, inserted and reordered events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from nmt.audit.models import AuditAccess, AuditEvent, ChainHead
from nmt.audit.services import GENESIS, event_digest

BATCH = 2000


@dataclass(frozen=True)
class Break:
    """One place where the chain does not hold."""

    event_id: int | None
    kind: str  # edited | broken_link | truncated | head_missing
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "kind": self.kind, "message": self.message}


@dataclass(frozen=True)
class Verification:
    events: int
    breaks: tuple[Break, ...] = field(default_factory=tuple)

    @property
    def intact(self) -> bool:
        return not self.breaks

    def to_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "events": self.events,
            "breaks": [b.to_dict() for b in self.breaks],
        }


def _accesses(event_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    refs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = AuditAccess.objects.filter(event_id__in=event_ids).values_list(
        "event_id", "object_type", "object_id"
    )
    for event_id, kind, pk in rows:
        refs[event_id].append((kind, pk))
    return refs


def verify_chain(*, progress: Any = None) -> Verification:
    """Walk the events in order and recompute every hash, chain by chain.

    * An event whose content (or list of objects read) changed no longer matches its own hash.
    * A deleted, inserted or moved event breaks the link: the next event's ``previous_hash`` is not
      the hash of the event before it in its chain.
    * Deleting the newest events leaves the chain head pointing past the last one.
    """
    breaks: list[Break] = []
    previous: dict[int, tuple[str, int | None]] = {}
    count, last_id = 0, 0
    while True:
        batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
        if not batch:
            break
        refs = _accesses([event.pk for event in batch])
        for event in batch:
            count += 1
            if event_digest(event, refs.get(event.pk, [])) != event.hash:
                breaks.append(
                    Break(event.pk, "edited", f"event {event.pk} was changed after it was written")
                )
            previous_hash, previous_id = previous.get(event.chain, (GENESIS, None))
            if event.previous_hash != previous_hash:
                where = f"after event {previous_id}" if previous_id else "at the start"
                breaks.append(
                    Break(
                        event.pk,
                        "broken_link",
                        f"the chain breaks before event {event.pk}: events {where} were "
                        "deleted, inserted or reordered",
                    )
                )
            previous[event.chain] = (event.hash, event.pk)
        last_id = batch[-1].pk
        if progress is not None:
            progress(count)
    heads = {head.pk - 1: head for head in ChainHead.objects.all()}
    for chain in sorted(set(previous) | set(heads)):
        last_hash, last_event = previous.get(chain, (GENESIS, None))
        head = heads.get(chain)
        if head is None:
            breaks.append(Break(None, "head_missing", f"the head of chain {chain} is missing"))
        elif head.last_hash != last_hash:
            breaks.append(
                Break(
                    head.last_event_id or None,
                    "truncated",
                    f"the newest events were deleted: chain {chain} ends at event {last_event} "
                    f"but its head records event {head.last_event_id}",
                )
            )
    return Verification(events=count, breaks=tuple(breaks))
