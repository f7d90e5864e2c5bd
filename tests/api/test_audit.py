"""Every read of personal data through the API is audited, row by row, in the same transaction.

Each operation of the schema is listed below with a call that returns data, and the objects that
response shows: every one must have an audit access row by the caller, written during the call.
A new endpoint missing from this table fails ``test_every_operation_is_in_the_table``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tests.api.support import API

from nmt.audit.models import AuditAccess, AuditEvent
from nmt.cases.models import Identification

Rows = set[tuple[str, str]]


@dataclass
class Ctx:
    world: Any
    personas: Any
    client_for: Callable[..., Any]

    def as_(self, name: str) -> tuple[Any, Any]:
        user = getattr(self.personas, name)
        return user, self.client_for(user)

    def url(self, attr: str, suffix: str = "") -> str:
        return f"{API}/cases/{getattr(self.world, attr).case_number}/{suffix}"


def cases(*case_numbers: str) -> Rows:
    rows: Rows = set()
    for pk, person in Identification.objects.filter(case_number__in=case_numbers).values_list(
        "pk", "person_id"
    ):
        rows |= {("identification", str(pk)), ("person", str(person))}
    return rows


def objects(kind: str, items: list[dict[str, Any]], key: str = "id") -> Rows:
    return {(kind, str(item[key])) for item in items}


def detail_rows(body: dict[str, Any]) -> Rows:
    return cases(body["case_number"]) | cases(*[c["case_number"] for c in body["other_cases"]])


ENDPOINTS: dict[tuple[str, str], Callable[[Ctx], tuple[Any, Any, Rows]]] = {}


def endpoint(method: str, path: str) -> Callable[[Any], Any]:
    def register(call: Callable[[Ctx], tuple[Any, Any, Rows]]) -> Any:
        ENDPOINTS[(method, API + path)] = call
        return call

    return register


@endpoint("get", "/cases/")
def _list(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.get(f"{API}/cases/")
    return user, response, cases(*[r["case_number"] for r in response.json()["results"]])


@endpoint("post", "/cases/")
def _register(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    body = {
        "channel": "regional_coordinator",
        "identified_on": "2025-06-01",
        "region": "stockholm",
        "same_person_as": t.world.stockholm.case_number,
    }
    response = client.post(f"{API}/cases/", body)
    return user, response, detail_rows(response.json())


@endpoint("get", "/cases/{case_number}/")
def _detail(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("liaison_migrationsverket")
    response = client.get(t.url("stockholm"))
    return user, response, detail_rows(response.json())


@endpoint("patch", "/cases/{case_number}/")
def _edit(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.patch(t.url("stockholm"), {"version": 1, "offence": "trafficking"})
    return user, response, detail_rows(response.json())


@endpoint("post", "/cases/{case_number}/status/")
def _status(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_syd")
    response = client.post(t.url("syd", "status/"), {"version": 1, "status": "support"})
    return user, response, detail_rows(response.json())


@endpoint("get", "/cases/{case_number}/person/")
def _person(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_syd")
    return user, client.get(t.url("syd", "person/")), cases(t.world.syd.case_number)


@endpoint("patch", "/cases/{case_number}/person/")
def _person_edit(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_syd")
    response = client.patch(t.url("syd", "person/"), {"version": 1, "languages": ["uk"]})
    return user, response, cases(t.world.syd.case_number)


@endpoint("get", "/cases/{case_number}/timeline/")
def _timeline(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.get(t.url("stockholm", "timeline/"))
    return user, response, objects("timelineentry", response.json()["results"])


@endpoint("post", "/cases/{case_number}/timeline/")
def _note(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.post(t.url("stockholm", "timeline/"), {"text": "Note"})
    return user, response, objects("timelineentry", [response.json()])


@endpoint("get", "/cases/{case_number}/measures/")
def _measures(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm_2")
    response = client.get(t.url("stockholm", "measures/"))
    return user, response, objects("measure", response.json())


@endpoint("post", "/cases/{case_number}/measures/")
def _measure_add(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.post(t.url("protected", "measures/"), {"kind": "safe_housing"})
    return user, response, objects("measure", [response.json()])


@endpoint("get", "/cases/{case_number}/measures/{measure_id}/")
def _measure(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("liaison_migrationsverket")
    response = client.get(t.url("stockholm", f"measures/{t.world.measure.pk}/"))
    return user, response, objects("measure", [response.json()])


@endpoint("patch", "/cases/{case_number}/measures/{measure_id}/")
def _measure_edit(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    url = t.url("stockholm", f"measures/{t.world.measure.pk}/")
    response = client.patch(url, {"version": 1, "notes": "Extended"})
    return user, response, objects("measure", [response.json()])


@endpoint("get", "/cases/{case_number}/referrals/")
def _referrals(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.get(t.url("closed_referral_case", "referrals/"))
    return user, response, objects("referral", response.json())


@endpoint("post", "/cases/{case_number}/referrals/")
def _refer(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_syd")
    body = {"to_agency": "migrationsverket", "legal_ground": "consent", "consent": "given"}
    response = client.post(t.url("syd", "referrals/"), body)
    return user, response, objects("referral", [response.json()])


@endpoint("get", "/cases/{case_number}/referrals/{referral_id}/")
def _referral(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("liaison_migrationsverket")
    response = client.get(t.url("stockholm", f"referrals/{t.world.referral.pk}/"))
    return user, response, objects("referral", [response.json()])


@endpoint("post", "/cases/{case_number}/referrals/{referral_id}/accept/")
def _accept(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("liaison_migrationsverket")
    url = t.url("stockholm", f"referrals/{t.world.referral.pk}/accept/")
    response = client.post(url, {"version": 1})
    return user, response, objects("referral", [response.json()])


@endpoint("post", "/cases/{case_number}/referrals/{referral_id}/close/")
def _close(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    url = t.url("stockholm", f"referrals/{t.world.referral.pk}/close/")
    response = client.post(url, {"version": 1})
    return user, response, objects("referral", [response.json()])


@endpoint("post", "/cases/{case_number}/referrals/{referral_id}/decline/")
def _decline(t: Ctx) -> tuple[Any, Any, Rows]:
    # The receiver declines and loses access: 204, nothing shown, nothing to audit as read.
    user, client = t.as_("liaison_migrationsverket")
    url = t.url("stockholm", f"referrals/{t.world.referral.pk}/decline/")
    response = client.post(url, {"version": 1, "decline_reason": "No"})
    assert response.status_code == 204
    return user, response, set()


@endpoint("get", "/referrals/inbox/")
def _inbox(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("liaison_migrationsverket")
    response = client.get(f"{API}/referrals/inbox/")
    # The selector records the cases (and persons) the referrals concern.
    return user, response, cases(*[r["case_number"] for r in response.json()])


@endpoint("get", "/deadlines/")
def _deadlines(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.get(f"{API}/deadlines/")
    return user, response, cases(*[d["case_number"] for d in response.json()])


@endpoint("get", "/contacts/")
def _contacts(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("supportline_2")
    response = client.get(f"{API}/contacts/")
    return user, response, objects("contact", response.json()["results"])


@endpoint("post", "/contacts/")
def _contact_add(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("supportline")
    body = {"occurred_at": "2025-02-02T10:00:00Z", "topic": "training"}
    response = client.post(f"{API}/contacts/", body)
    return user, response, objects("contact", [response.json()])


@endpoint("get", "/contacts/{contact_id}/")
def _contact(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("supportline_2")
    response = client.get(f"{API}/contacts/{t.world.contact.pk}/")
    return user, response, objects("contact", [response.json()])


@endpoint("patch", "/contacts/{contact_id}/")
def _contact_edit(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("supportline")
    response = client.patch(f"{API}/contacts/{t.world.contact.pk}/", {"version": 1})
    return user, response, objects("contact", [response.json()])


@endpoint("post", "/contacts/{contact_id}/open-case/")
def _open_case(t: Ctx) -> tuple[Any, Any, Rows]:
    from django.utils import timezone

    from nmt.supportline.services import contact_create

    user, client = t.as_("supportline")
    # The world's call already has its case; a call opens at most one.
    call = contact_create(
        actor=user,
        occurred_at=timezone.now(),
        topic="suspected_case",
        region=t.world.contact.region,
    )
    response = client.post(f"{API}/contacts/{call.pk}/open-case/", {})
    return user, response, detail_rows(response.json())


# Operations that return no personal data, each checked elsewhere.
@endpoint("get", "/cases/{case_number}/workflow/")
def _workflow(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.get(t.url("stockholm", "workflow/"))
    return user, response, {("identification", str(t.world.stockholm.pk))}


@endpoint("post", "/cases/{case_number}/workflow/")
def _workflow_tick(t: Ctx) -> tuple[Any, Any, Rows]:
    user, client = t.as_("coordinator_stockholm")
    response = client.post(t.url("stockholm", "workflow/"), {"tick": ["assess-safety"]})
    return user, response, {("identification", str(t.world.stockholm.pk))}


NO_PERSONAL_DATA = {
    ("post", API + "/auth/token/"),  # test_auth
    ("delete", API + "/auth/token/"),
    ("get", API + "/regions/"),
    ("get", API + "/agencies/"),
    ("get", API + "/case-index/"),  # no identities; audited as a search: test below
    # Method support: guidance, library, meetings, and aggregates protected by the cell key
    # method (tests/methods).
    ("get", API + "/guidance/"),
    ("get", API + "/library/"),
    ("get", API + "/library/{item_id}/"),
    ("get", API + "/situation-reports/"),
    ("get", API + "/situation-reports/{report_id}/"),
    ("get", API + "/meetings/"),
    ("get", API + "/meeting-actions/"),
    ("get", API + "/signals/"),
}


def audited(actor: Any, after: int) -> Rows:
    accesses = AuditAccess.objects.filter(event__actor=actor, event__id__gt=after)
    return {(kind, pk) for kind, pk in accesses.values_list("object_type", "object_id")}


def last_event() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.fixture
def ctx(world, personas, client_for) -> Ctx:
    return Ctx(world=world, personas=personas, client_for=client_for)


@pytest.mark.parametrize("operation", sorted(ENDPOINTS), ids=" ".join)
def test_every_row_shown_is_audited(operation, ctx):
    before = last_event()
    actor, response, rows = ENDPOINTS[operation](ctx)
    assert response.status_code < 300, response.content
    if operation[1] != API + "/cases/{case_number}/referrals/{referral_id}/decline/":
        assert rows, "the call must return data, or the check proves nothing"
    missing = rows - audited(actor, before)
    assert not missing, f"returned without an audit row: {sorted(missing)}"


def test_every_operation_is_in_the_table(openapi):
    methods = {"get", "post", "put", "patch", "delete"}
    operations = {
        (method, path)
        for path, item in openapi.document["paths"].items()
        if path.startswith(API)
        for method in item
        if method in methods
    }
    assert operations == set(ENDPOINTS) | NO_PERSONAL_DATA


def test_search_and_list_are_told_apart(ctx):
    user, client = ctx.as_("coordinator_stockholm")
    client.get(f"{API}/cases/", {"q": "Popescu"})
    event = AuditEvent.objects.filter(actor=user).latest("id")
    assert event.action == "search"
    # The query may hold a name: it is sealed in the audit, never stored in plain text.
    assert "Popescu" not in str(event.details)
    assert "q_sealed" in event.details["filters"]
    client.get(f"{API}/cases/", {"region": "stockholm"})
    assert AuditEvent.objects.filter(actor=user).latest("id").action == "list"


def test_case_index_search_is_audited_without_personal_rows(ctx):
    user, client = ctx.as_("supportline")
    before = last_event()
    assert len(client.get(f"{API}/case-index/", {"q": "Popescu"}).json()) == 1
    event = AuditEvent.objects.get(actor=user, id__gt=before)
    assert (event.action, event.object_type, event.details["count"]) == ("search", "case_index", 1)


def test_an_empty_page_past_the_end_audits_nothing(ctx):
    user, client = ctx.as_("coordinator_stockholm")
    before = last_event()
    assert client.get(f"{API}/cases/", {"page": 9}).status_code == 404
    assert audited(user, before) == set()


def test_the_conflict_body_is_an_audited_read(ctx):
    user, client = ctx.as_("coordinator_stockholm")
    _other, erik = ctx.as_("coordinator_stockholm_2")
    erik.patch(ctx.url("stockholm"), {"version": 1, "offence": "trafficking"})
    before = last_event()
    response = client.patch(ctx.url("stockholm"), {"version": 1, "offence": "exploitation"})
    assert response.status_code == 409
    assert detail_rows(response.json()["current"]) <= audited(user, before)
