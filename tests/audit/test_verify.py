"""`nmt audit verify` finds every edited, deleted, inserted or reordered event, and says where."""

import json

import pytest
from django.db import connection, transaction

from nmt.audit.models import AuditAccess, AuditEvent
from nmt.audit.services import audit_record
from nmt.audit.verify import verify_chain
from nmt.cli import main


@pytest.fixture
def events(personas):
    with transaction.atomic():
        for number in range(6):
            audit_record(
                actor=personas.coordinator_stockholm,
                action="view",
                object_type="identification",
                object_id=number,
                accessed=[("identification", number), ("person", 100 + number)],
            )
    return list(AuditEvent.objects.order_by("id"))


def tamper(sql: str, params: list) -> None:
    """What an intruder with the database owner's rights could do, triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers off
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def kinds(result):
    return [(b.kind, b.event_id) for b in result.breaks]


def test_intact_chain(events):
    result = verify_chain()
    assert result.intact
    assert result.events == len(events)


def test_edited_event(events):
    target = events[2]
    tamper("UPDATE audit_auditevent SET action = 'list' WHERE id = %s", [target.pk])
    assert kinds(verify_chain()) == [("edited", target.pk)]


def test_edited_list_of_objects_read(events):
    target = events[3]
    tamper(
        "UPDATE audit_auditaccess SET object_id = '999' WHERE event_id = %s AND object_type = %s",
        [target.pk, "person"],
    )
    assert kinds(verify_chain()) == [("edited", target.pk)]


def test_deleted_event(events):
    target = events[2]
    tamper("DELETE FROM audit_auditaccess WHERE event_id = %s", [target.pk])
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
    result = verify_chain()
    assert kinds(result) == [("broken_link", events[3].pk)]
    assert f"after event {events[1].pk}" in result.breaks[0].message


def test_reordered_events(events):
    a, b = events[1], events[2]
    # Swap the content of two events, keeping their ids: the order of history changes.
    fields = "occurred_at, action, object_id, previous_hash, hash"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fields} FROM audit_auditevent WHERE id = %s", [a.pk])  # noqa: S608
        row_a = cursor.fetchone()
        cursor.execute(f"SELECT {fields} FROM audit_auditevent WHERE id = %s", [b.pk])  # noqa: S608
        row_b = cursor.fetchone()
    assign = "occurred_at=%s, action=%s, object_id=%s, previous_hash=%s, hash=%s"
    tamper("UPDATE audit_auditevent SET hash = %s WHERE id = %s", [f"tmp{a.pk}", a.pk])
    update = f"UPDATE audit_auditevent SET {assign} WHERE id = %s"  # noqa: S608
    tamper(update, [*row_a, b.pk])
    tamper(update, [*row_b, a.pk])
    result = verify_chain()
    assert not result.intact
    assert {event_id for _kind, event_id in kinds(result)} >= {a.pk, b.pk}


def test_deleted_newest_events(events):
    last = events[-1]
    tamper("DELETE FROM audit_auditaccess WHERE event_id = %s", [last.pk])
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    result = verify_chain()
    assert kinds(result) == [("truncated", last.pk)]


def test_command_reports_and_exits_nonzero(events, capsys):
    assert main(["audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intact"] is True
    tamper("UPDATE audit_auditevent SET purpose = 'nothing to see' WHERE id = %s", [events[0].pk])
    assert main(["audit", "verify", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["breaks"] == [
        {
            "event_id": events[0].pk,
            "kind": "edited",
            "message": f"event {events[0].pk} was changed after it was written",
        }
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_refuses_to_rewrite_history(events):
    from django.db import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=events[0].pk).update(purpose="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditAccess.objects.filter(event_id=events[0].pk).delete()


def test_heads_can_be_anchored_elsewhere(events, capsys):
    assert main(["audit", "heads"]) == 0
    heads = json.loads(capsys.readouterr().out)["heads"]
    assert len(heads) == 8
    last = events[-1]
    assert {"chain": last.chain, "last_event_id": last.pk, "hash": last.hash} in heads
