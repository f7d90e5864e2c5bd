"""Every read of personal data writes its audit rows, in the same transaction, hash-chained."""

import pytest
from django.db import transaction

from nmt.audit.models import AuditAccess, AuditEvent, ChainHead
from nmt.audit.services import GENESIS, audit_record, event_digest
from nmt.cases.selectors import (
    CaseFilters,
    case_get,
    case_index_search,
    case_list,
    deadline_list,
    my_open_cases,
    referral_inbox,
)


def _accessed(actor, object_type="identification"):
    return set(
        AuditAccess.objects.filter(event__actor=actor, object_type=object_type).values_list(
            "object_id", flat=True
        )
    )


def test_list_audits_every_row_shown(personas, stockholm_case):
    actor = personas.coordinator_stockholm
    page = case_list(actor=actor, filters=CaseFilters())
    shown = {str(row.pk) for row in page.object_list}
    assert shown == {str(stockholm_case.pk)}
    assert _accessed(actor) == shown
    assert _accessed(actor, "person") == {str(stockholm_case.person_id)}
    event = AuditEvent.objects.filter(actor=actor, action="list").get()
    assert event.details["count"] == 1


def test_search_term_is_sealed_in_the_audit(personas, stockholm_case):
    actor = personas.coordinator_stockholm
    case_list(actor=actor, filters=CaseFilters(q="Popescu"))
    event = AuditEvent.objects.get(actor=actor, action="search")
    assert "Popescu" not in str(event.details)
    assert event.details["filters"]["q_sealed"].startswith("v1:")


def test_detail_view_is_audited(personas, stockholm_case):
    actor = personas.coordinator_stockholm
    case_get(actor=actor, case_number=stockholm_case.case_number, purpose="support planning")
    event = AuditEvent.objects.get(actor=actor, action="view")
    assert event.object_id == str(stockholm_case.pk)
    assert event.purpose == "support planning"
    assert _accessed(actor, "person") == {str(stockholm_case.person_id)}


def test_denied_read_leaves_no_view_event(personas, stockholm_case):
    from django.http import Http404

    with pytest.raises(Http404):
        case_get(actor=personas.coordinator_syd, case_number=stockholm_case.case_number)
    assert not AuditEvent.objects.filter(actor=personas.coordinator_syd).exists()


def _audited_cases(event):
    return {a.object_id for a in event.accesses.all() if a.object_type == "identification"}


def test_dashboard_reads_are_audited(personas, stockholm_case, agency):
    import datetime as dt

    from django.utils import timezone

    from nmt.cases.services import measure_add, referral_create

    owner, liaison = personas.coordinator_stockholm, personas.liaison_migrationsverket
    measure_add(
        actor=owner,
        case=stockholm_case,
        kind="safe_housing",
        status="active",
        ends_on=timezone.localdate() + dt.timedelta(days=3),
    )
    referral_create(
        actor=owner,
        case=stockholm_case,
        to_agency=agency["migrationsverket"],
        legal_ground="consent",
        consent="given",
    )
    expected = {str(stockholm_case.pk)}
    for actor, selector in [
        (owner, my_open_cases),
        (owner, deadline_list),
        (liaison, referral_inbox),
    ]:
        rows = selector(actor=actor)
        assert len(rows) == 1, selector.__name__
        event = AuditEvent.objects.latest("id")
        assert (event.actor, event.action) == (actor, "list")
        assert _audited_cases(event) == expected, selector.__name__


def test_index_search_returns_no_identity_but_is_audited(personas, stockholm_case):
    entries = case_index_search(actor=personas.supportline, q="popescu")
    assert [e.case_number for e in entries] == [stockholm_case.case_number]
    assert "Popescu" not in repr(entries)
    assert AuditEvent.objects.filter(actor=personas.supportline, action="search").count() == 1
    assert case_index_search(actor=personas.analyst, q="popescu") == []


@pytest.mark.django_db(transaction=True)
def test_audit_needs_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(actor=None, action="view")


def test_chain_links_every_event(personas, stockholm_case):
    actor = personas.coordinator_stockholm
    for _ in range(3):
        case_list(actor=actor, filters=CaseFilters())
    previous: dict[int, str] = {}
    for event in AuditEvent.objects.order_by("id"):
        refs = [(a.object_type, a.object_id) for a in event.accesses.all()]
        assert event.previous_hash == previous.get(event.chain, GENESIS)
        assert event.hash == event_digest(event, refs)
        previous[event.chain] = event.hash
    for chain, last in previous.items():
        assert ChainHead.objects.get(pk=chain + 1).last_hash == last


def test_events_from_different_threads_spread_over_chains(personas, stockholm_case):
    import threading

    from nmt.audit.services import _chain

    seen = {_chain()}
    # All alive at once, so that no thread id is reused.
    barrier = threading.Barrier(8)

    def append() -> None:
        barrier.wait()
        seen.add(_chain())

    threads = [threading.Thread(target=append) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) > 1


def test_rolled_back_read_leaves_no_event(personas, stockholm_case):
    actor = personas.coordinator_stockholm

    @transaction.atomic
    def read_then_fail():
        case_list(actor=actor, filters=CaseFilters())
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        read_then_fail()
    assert not AuditEvent.objects.filter(actor=actor, action="list").exists()


def test_client_address_is_never_taken_from_the_client(rf, settings):
    from nmt.audit.request import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.5"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Behind the proxy: the address the proxy appended, not the one the client put first.
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    assert client_ip(request) == "192.0.2.7"
