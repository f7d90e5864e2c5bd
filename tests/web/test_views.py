"""The web UI through Django's test client: access (404 / 403 / login), forms that save nothing when
wrong, edit conflicts, protected identity, audit of logins, security headers and the session.

Swedish is checked through ``Content-Language``, ``<html lang>`` and Django's own translated
messages; our own strings are compared with what the catalog gives at test time, so these tests
do not depend on how far the Swedish translation has come.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from tests.conftest import PASSWORD

from nmt.audit.models import AuditEvent
from nmt.cases import services
from nmt.cases.models import (
    CaseCounter,
    Identification,
    IdentityDocument,
    Measure,
    Person,
    Referral,
    TimelineEntry,
)
from nmt.supportline.services import contact_create
from nmt.web.middleware import SessionActivityMiddleware

ADDRESS = "Skyddsvägen 13, Gävle"
WHEREABOUTS = "Skyddat boende Norrtull"


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


# Django's own message, translated in Django's catalog.
REQUIRED_EN = "This field is required."
REQUIRED_SV = sv(REQUIRED_EN)


def html(response) -> str:
    return response.content.decode()


def lang_of(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', html(response))
    return match.group(1) if match else ""


def form_data(form) -> dict:
    """What the browser would send back for an unchanged form, as the page rendered it."""
    data = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False or value == "":
            continue
        if value is True:
            value = "on"
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        elif isinstance(value, dt.date):
            value = value.isoformat()
        data[bound.html_name] = value if isinstance(value, list) else str(value)
    return data


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shared_case(personas, stockholm_case, agency):
    """The Stockholm case with a reflection period and a pending referral to Migrationsverket."""
    measure = services.measure_add(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        kind="reflection_period",
        starts_on=dt.date(2025, 3, 20),
    )
    referral = services.referral_create(
        actor=personas.coordinator_stockholm,
        case=stockholm_case,
        to_agency=agency["migrationsverket"],
        legal_ground="consent",
        consent="given",
    )
    return stockholm_case, measure, referral


def case_requests(case, measure, referral, agency) -> list[tuple[str, str, str, dict]]:
    """(URL name, method, path, valid POST data) for every case page and action."""
    number = case.case_number
    case_edit = {
        "identified_on": "2025-03-14",
        "channel": "regional_coordinator",
        "region": str(case.region_id),
        "purposes": ["begging"],
        "offence": "trafficking",
        "exploitation_place": "sweden",
        "version": str(case.version),
    }
    person_edit = {"given_name": "Ändrad", "sex": "female", "version": "1"}
    respond = lambda action: reverse("referral-respond", args=[referral.pk, action])  # noqa: E731
    on_case = lambda name: reverse(name, args=[number])  # noqa: E731
    return [
        ("case-detail", "get", on_case("case-detail"), {}),
        ("case-edit", "get", on_case("case-edit"), {}),
        ("case-edit", "post", on_case("case-edit"), case_edit),
        ("person-edit", "get", on_case("person-edit"), {}),
        ("person-edit", "post", on_case("person-edit"), person_edit),
        (
            "case-status",
            "post",
            on_case("case-status"),
            {"status": "closed", "closed_reason": "other", "version": str(case.version)},
        ),
        ("note-add", "post", on_case("note-add"), {"text": "En anteckning"}),
        ("measure-add", "get", on_case("measure-add"), {}),
        (
            "measure-add",
            "post",
            on_case("measure-add"),
            {"kind": "safe_housing", "status": "planned"},
        ),
        ("measure-edit", "get", reverse("measure-edit", args=[measure.pk]), {}),
        (
            "measure-edit",
            "post",
            reverse("measure-edit", args=[measure.pk]),
            {"status": "active", "starts_on": "2025-03-20", "version": "1"},
        ),
        ("referral-add", "get", on_case("referral-add"), {}),
        (
            "referral-add",
            "post",
            on_case("referral-add"),
            {
                "to_agency": str(agency["polismyndigheten"].pk),
                "legal_ground": "consent",
                "consent": "given",
            },
        ),
        ("referral-respond", "post", respond("accept"), {"version": "1"}),
        ("referral-respond", "get", respond("decline"), {}),
        ("referral-respond", "post", respond("decline"), {"version": "1", "reason": "Inte vår"}),
        ("referral-respond", "post", respond("close"), {"version": "1"}),
        ("case-reveal", "get", on_case("case-reveal"), {}),
        ("case-reveal", "post", on_case("case-reveal"), {"reason": "Nyfiken"}),
    ]


def state_of(case) -> dict:
    """Everything a request could have changed about the case."""
    case.refresh_from_db()
    person = Person.objects.get(pk=case.person_id)
    return {
        "case": (case.version, case.status),
        "person": (person.version, person.given_name),
        "measures": list(Measure.objects.values_list("pk", "version", "status")),
        "referrals": list(Referral.objects.values_list("pk", "version", "status")),
        "timeline": TimelineEntry.objects.count(),
        "writes": AuditEvent.objects.filter(action__in=["create", "update", "reveal"]).count(),
    }


# ---------------------------------------------------------------- who gets 404, 403, login


@pytest.mark.parametrize(
    "persona",
    [
        "coordinator_syd",
        "outsider",
        "analyst",
        "auditor",
        "admin",
        "supportline",
        "liaison_polisen",
    ],
)
def test_every_case_page_is_404_for_those_who_may_not_see_the_case(
    persona, personas, shared_case, agency
):
    case, measure, referral = shared_case
    client = client_for(getattr(personas, persona))
    before = state_of(case)
    for name, method, path, data in case_requests(case, measure, referral, agency):
        response = getattr(client, method)(path, data)
        assert response.status_code == 404, (persona, name, method, path)
        assert "Popescu" not in html(response), (name, method)
    assert state_of(case) == before
    # The same answer as for a case that does not exist.
    missing = client.get(reverse("case-detail", args=["NMT-2025-99999"]))
    assert missing.status_code == 404


def test_missing_objects_are_404_for_the_owner(personas, shared_case):
    client = client_for(personas.coordinator_stockholm)
    for path in [
        reverse("case-detail", args=["NMT-2025-99999"]),
        reverse("case-edit", args=["NMT-2025-99999"]),
        reverse("measure-edit", args=[99999]),
        reverse("referral-respond", args=[99999, "close"]),
    ]:
        assert client.get(path).status_code == 404, path
    _case, _measure, referral = shared_case
    assert (
        client.post(reverse("referral-respond", args=[referral.pk, "nonsense"])).status_code == 404
    )


# What the Migrationsverket liaison, who sees the case through a pending referral, may do.
LIAISON_PENDING = {
    ("case-detail", "get"): 200,
    ("case-edit", "get"): 403,
    ("case-edit", "post"): 403,
    ("person-edit", "get"): 403,
    ("person-edit", "post"): 403,
    ("case-status", "post"): 403,
    ("note-add", "post"): 403,
    ("measure-add", "get"): 403,
    ("measure-add", "post"): 403,
    ("measure-edit", "get"): 403,
    ("measure-edit", "post"): 403,
    ("referral-add", "get"): 403,
    ("referral-add", "post"): 403,
    ("case-reveal", "get"): 403,
    ("case-reveal", "post"): 403,
}


def test_liaison_with_a_pending_referral_sees_the_case_but_may_not_act(
    personas, shared_case, agency
):
    case, measure, referral = shared_case
    client = client_for(personas.liaison_migrationsverket)
    before = state_of(case)
    for name, method, path, data in case_requests(case, measure, referral, agency):
        if name == "referral-respond":
            continue
        response = getattr(client, method)(path, data)
        assert response.status_code == LIAISON_PENDING[name, method], (name, method)
    assert state_of(case) == before
    # The address is for the owners of the case.
    content = html(client.get(reverse("case-detail", args=[case.case_number])))
    assert "Hemliga gatan" not in content


def test_liaison_after_accepting_adds_notes_and_measures_but_does_not_edit(personas, shared_case):
    case, measure, referral = shared_case
    client = client_for(personas.liaison_migrationsverket)
    response = client.post(
        reverse("referral-respond", args=[referral.pk, "accept"]), {"version": "1"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    number = case.case_number
    assert client.get(reverse("measure-add", args=[number])).status_code == 200
    assert client.get(reverse("measure-edit", args=[measure.pk])).status_code == 200
    response = client.post(reverse("note-add", args=[number]), {"text": "Ansökan mottagen"})
    assert response.status_code == 302
    note = TimelineEntry.objects.get(kind="note", created_by=personas.liaison_migrationsverket)
    assert note.text == "Ansökan mottagen"
    for name in ("case-edit", "person-edit", "referral-add", "case-reveal"):
        assert client.get(reverse(name, args=[number])).status_code == 403, name
    response = client.post(
        reverse("case-status", args=[number]), {"status": "support", "version": "1"}
    )
    assert response.status_code == 403
    # Accepting again is not possible: only a pending referral is answered.
    response = client.get(reverse("referral-respond", args=[referral.pk, "decline"]))
    assert response.status_code == 403


def test_liaison_declines_with_a_reason_and_loses_the_case(personas, shared_case):
    case, _measure, referral = shared_case
    client = client_for(personas.liaison_migrationsverket)
    path = reverse("referral-respond", args=[referral.pk, "decline"])
    assert client.get(path).status_code == 200
    response = client.post(path, {"version": "1", "reason": ""})
    assert response.status_code == 200
    assert REQUIRED_SV in html(response)
    referral.refresh_from_db()
    assert referral.status == "pending"
    response = client.post(path, {"version": "1", "reason": "Inte aktuellt för oss"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "Inte aktuellt för oss")
    assert client.get(reverse("case-detail", args=[case.case_number])).status_code == 404


def test_owner_may_not_answer_their_own_referral(personas, shared_case):
    _case, _measure, referral = shared_case
    client = client_for(personas.coordinator_stockholm)
    for action, data in [
        ("accept", {"version": "1"}),
        ("decline", {"version": "1", "reason": "x"}),
    ]:
        response = client.post(reverse("referral-respond", args=[referral.pk, action]), data)
        assert response.status_code == 403, action
    assert client.get(reverse("referral-respond", args=[referral.pk, "decline"])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == "pending"


def test_same_region_coordinator_works_on_the_case(personas, shared_case, agency):
    """The owner's side of the matrix above: the same requests succeed and change the case, so
    the 404s and 403s are the policy's doing, not bad test data."""
    case, measure, referral = shared_case
    client = client_for(personas.coordinator_stockholm_2)
    for name, method, path, _data in case_requests(case, measure, referral, agency):
        if method == "get" and name != "referral-respond":
            assert client.get(path).status_code == 200, name
    posts = [
        path
        for name, method, path, _data in case_requests(case, measure, referral, agency)
        if method == "post" and (name != "referral-respond" or path.endswith("/close/"))
    ]
    for path in posts:
        # Fresh versions each time, as a reloaded page would send.
        current = {
            p: d for _n, m, p, d in case_requests(case, measure, referral, agency) if m == "post"
        }
        before = state_of(case)
        response = client.post(path, current[path])
        assert response.status_code == 302, path
        assert state_of(case) != before, path


def test_anonymous_users_are_sent_to_the_login(personas, shared_case, agency):
    case, measure, referral = shared_case
    client = Client()
    paths = [path for _n, _m, path, _d in case_requests(case, measure, referral, agency)]
    paths += [reverse(name) for name in ("dashboard", "case-list", "case-register", "case-index")]
    paths += [reverse("contact-list"), reverse("contact-create")]
    before = state_of(case)
    for path in paths:
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code == 302, (method, path)
            assert response["Location"].startswith(f"{reverse('login')}?next="), (method, path)
    assert state_of(case) == before


def test_a_deactivated_account_is_logged_out(personas, stockholm_case):
    user = personas.coordinator_stockholm
    client = client_for(user)
    assert client.get(reverse("dashboard")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("case-detail", args=[stockholm_case.case_number]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_lists_and_dashboards_show_only_visible_cases(personas, shared_case):
    case, _measure, _referral = shared_case
    visible = {"coordinator_stockholm", "coordinator_stockholm_2", "liaison_migrationsverket"}
    for name, user in personas.all().items():
        if name == "inactive_coordinator":
            continue
        client = client_for(user)
        for path in [reverse("dashboard"), reverse("case-list")]:
            content = html(client.get(path))
            assert (case.case_number in content) == (name in visible), (name, path)
            assert ("Ioana Maria Popescu" in content) == (name in visible), (name, path)
        for query in ("Popescu", "19990402-2382", "9904022382", case.case_number):
            content = html(client.get(reverse("case-list"), {"q": query}))
            link = reverse("case-detail", args=[case.case_number])
            assert (link in content) == (name in visible), (name, query)
            assert ("Ioana Maria" in content) == (name in visible), (name, query)


def test_national_index_shows_cases_without_identities(personas, stockholm_case):
    client = client_for(personas.coordinator_syd)
    content = html(client.get(reverse("case-index"), {"q": "Popescu"}))
    assert f"<td>{stockholm_case.case_number}</td>" in content
    assert "Ioana" not in content
    assert "1999" not in content
    assert reverse("case-detail", args=[stockholm_case.case_number]) not in content
    assert client_for(personas.analyst).get(reverse("case-index")).status_code == 404


def test_every_form_field_has_a_label(personas, shared_case):
    case, measure, _referral = shared_case
    number = case.case_number
    owner = client_for(personas.coordinator_stockholm)
    pages = [
        (owner, reverse("case-register")),
        (owner, reverse("case-edit", args=[number])),
        (owner, reverse("person-edit", args=[number])),
        (owner, reverse("measure-edit", args=[measure.pk])),
        (owner, reverse("referral-add", args=[number])),
        (owner, reverse("case-detail", args=[number])),
        (owner, reverse("case-list")),
        (client_for(personas.liaison_migrationsverket), reverse("dashboard")),
    ]
    for client, path in pages:
        content = html(client.get(path))
        controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", content)
        assert controls, path
        for control in controls:
            if re.search(r'type="(hidden|submit)"', control):
                continue
            control_id = re.search(r'\bid="([^"]+)"', control)
            assert control_id, (path, control)
            assert f'for="{control_id.group(1)}"' in content, (path, control)


# ---------------------------------------------------------------- support line


def test_support_line_pages_are_404_for_everyone_else(personas, region):
    contact = contact_create(
        actor=personas.supportline,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        topic="suspected_case",
        region=region["syd"],
        summary="Samtal från en skola",
    )
    paths = {
        "contact-list": ("get", reverse("contact-list")),
        "contact-create": ("get", reverse("contact-create")),
        "contact-detail": ("get", reverse("contact-detail", args=[contact.pk])),
        "contact-edit": ("get", reverse("contact-edit", args=[contact.pk])),
        "contact-open-case": ("post", reverse("contact-open-case", args=[contact.pk])),
    }
    for name, user in personas.all().items():
        if name == "inactive_coordinator":
            continue
        client = client_for(user)
        for page, (method, path) in paths.items():
            status = getattr(client, method)(path).status_code
            if name.startswith("supportline"):
                assert status in (200, 302), (name, page)
            else:
                assert status == 404, (name, page)
    # Only the support line's own requests opened a case from the call.
    opened_by = {c.registered_by for c in Identification.objects.filter(source_contact=contact)}
    assert opened_by
    assert opened_by <= {personas.supportline, personas.supportline_2}


# ---------------------------------------------------------------- nothing half-saved


def row_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Person, Identification, IdentityDocument, TimelineEntry, CaseCounter)
    } | {"created": AuditEvent.objects.filter(action="create").count()}


def registration(**overrides) -> dict:
    data = {
        "case-identified_on": "2025-03-14",
        "case-channel": "regional_coordinator",
        "case-region": "",
        "case-purposes": ["sexual"],
        "case-offence": "unknown",
        "case-exploitation_place": "unknown",
        "case-note": "Kom via skolkuratorn",
        "person-given_name": "Ioana",
        "person-family_name": "Popescu",
        "person-sex": "female",
        "person-citizenship": "RO",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("cookie", "language", "required"), [(None, "sv", REQUIRED_SV), ("en", "en", REQUIRED_EN)]
)
def test_missing_required_fields_are_named_in_the_users_language(
    personas, cookie, language, required
):
    client = client_for(personas.coordinator_stockholm)
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    before = row_counts()
    response = client.post(
        reverse("case-register"),
        registration(**{"case-identified_on": "", "case-channel": ""}),
        HTTP_ACCEPT_LANGUAGE="en" if language == "sv" else "sv",
    )
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert lang_of(response) == language
    content = html(response)
    for name in ("case-identified_on", "case-channel"):
        errors = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', content, re.S)
        assert errors, name
        assert required in errors.group(1)
        assert re.search(rf'<[^>]*id="id_{name}"[^>]*aria-invalid="true"', content) or re.search(
            rf'<[^>]*aria-invalid="true"[^>]*id="id_{name}"', content
        ), name
    # The rest of what the user typed is kept.
    assert 'value="Popescu"' in content
    assert "Kom via skolkuratorn" in content
    assert row_counts() == before


@pytest.mark.parametrize("language", ["sv", "en"])
def test_bad_personal_identity_number_saves_nothing(personas, language):
    client = client_for(personas.coordinator_stockholm)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    region = personas.coordinator_stockholm.region_id
    before = row_counts()
    response = client.post(
        reverse("case-register"),
        registration(
            **{
                "case-region": str(region),
                "person-document_kind": "personnummer",
                "person-document_number": "19990402-2383",  # check digit should be 2
            }
        ),
    )
    assert response.status_code == 200
    assert lang_of(response) == language
    content = html(response)
    errors = re.search(r'id="id_person-document_number_error">(.*?)</ul>', content, re.S)
    assert errors
    with translation.override(language):
        expected = translation.gettext("The check digit does not match; check the number.")
    assert expected in errors.group(1)
    assert 'value="19990402-2383"' in content
    assert row_counts() == before
    # Corrected, it saves everything at once.
    response = client.post(
        reverse("case-register"),
        registration(
            **{
                "case-region": str(region),
                "person-document_kind": "personnummer",
                "person-document_number": "19990402-2382",
            }
        ),
    )
    assert response.status_code == 302
    case = Identification.objects.get()
    assert response["Location"] == reverse("case-detail", args=[case.case_number])
    assert case.person.documents.get().number == "19990402-2382"
    assert [p.purpose for p in case.purpose_rows.all()] == ["sexual"]


def test_a_municipality_outside_the_region_saves_nothing(personas, region):
    from nmt.accounts.models import Municipality

    client = client_for(personas.coordinator_stockholm)
    malmo = Municipality.objects.filter(county__region=region["syd"]).first()
    before = row_counts()
    response = client.post(
        reverse("case-register"),
        registration(
            **{"case-region": str(region["stockholm"].pk), "case-municipality": str(malmo.pk)}
        ),
    )
    assert response.status_code == 200
    assert re.search(r'id="id_case-municipality_error"', html(response))
    assert row_counts() == before


# ---------------------------------------------------------------- edit conflicts


def _conflict_box(response) -> str:
    conflict = re.search(r'<div class="conflict" role="alert">(.*?)</div>', html(response), re.S)
    assert conflict, "no conflict box"
    return conflict.group(1)


def test_second_save_is_refused_and_merges_what_the_other_changed(personas, stockholm_case):
    path = reverse("case-edit", args=[stockholm_case.case_number])
    anna = client_for(personas.coordinator_stockholm)
    erik = client_for(personas.coordinator_stockholm_2)
    annas_form = form_data(anna.get(path).context["form"])
    eriks_form = form_data(erik.get(path).context["form"])

    assert anna.post(path, {**annas_form, "estimated_age": "33"}).status_code == 302
    response = erik.post(path, {**eriks_form, "offence": "trafficking"})

    assert response.status_code == 200
    box = _conflict_box(response)
    assert personas.coordinator_stockholm.get_full_name() in box
    # Anna's change to a field Erik did not touch is taken into his form, and named.
    assert f"{sv('Estimated age')}: 33" in box
    assert "<table>" not in box  # nothing both of them changed
    # Nothing of Erik's was saved; his input is still in the form.
    case = Identification.objects.get(pk=stockholm_case.pk)
    assert (case.version, case.estimated_age, case.offence) == (2, 33, "unknown")
    form = response.context["form"]
    assert form.data["offence"] == "trafficking"
    assert form.data["estimated_age"] == "33"

    # Saving again keeps both changes: no update is lost.
    assert erik.post(path, form.data).status_code == 302
    case.refresh_from_db()
    assert (case.version, case.estimated_age, case.offence) == (3, 33, "trafficking")


def test_both_changing_the_same_field_is_shown_side_by_side(personas, stockholm_case):
    path = reverse("case-edit", args=[stockholm_case.case_number])
    anna = client_for(personas.coordinator_stockholm)
    erik = client_for(personas.coordinator_stockholm_2)
    annas_form = form_data(anna.get(path).context["form"])
    eriks_form = form_data(erik.get(path).context["form"])
    assert anna.post(path, {**annas_form, "estimated_age": "33"}).status_code == 302
    response = erik.post(path, {**eriks_form, "estimated_age": "35"})
    box = _conflict_box(response)
    label = sv("Estimated age")
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th><td>(.*?)</td><td>(.*?)</td>", box)
    assert row, box
    assert row.groups() == ("33", "35")  # saved now, and Erik's version
    assert response.context["form"].data["estimated_age"] == "35"
    assert Identification.objects.get(pk=stockholm_case.pk).estimated_age == 33
    # Saving again, deliberately, replaces the saved value with his.
    assert erik.post(path, response.context["form"].data).status_code == 302
    assert Identification.objects.get(pk=stockholm_case.pk).estimated_age == 35


def test_conflict_on_a_measure(personas, shared_case):
    _case, measure, _referral = shared_case
    path = reverse("measure-edit", args=[measure.pk])
    anna = client_for(personas.coordinator_stockholm)
    erik = client_for(personas.coordinator_stockholm_2)
    annas_form = form_data(anna.get(path).context["form"])
    eriks_form = form_data(erik.get(path).context["form"])
    assert anna.post(path, {**annas_form, "status": "granted"}).status_code == 302
    response = erik.post(path, {**eriks_form, "notes": "Beslut väntas"})
    assert response.status_code == 200
    assert personas.coordinator_stockholm.get_full_name() in html(response)
    measure.refresh_from_db()
    assert (measure.version, measure.status, measure.notes) == (2, "granted", "")
    assert erik.post(path, response.context["form"].data).status_code == 302
    measure.refresh_from_db()
    assert (measure.version, measure.status, measure.notes) == (3, "granted", "Beslut väntas")


# ---------------------------------------------------------------- protected identity


@pytest.fixture
def protected_case(personas, region):
    return services.case_register(
        actor=personas.coordinator_stockholm,
        channel="regional_coordinator",
        identified_on=dt.date(2025, 4, 2),
        region=region["stockholm"],
        person=services.PersonInput(
            given_name="Amina",
            family_name="Okafor",
            sex="female",
            citizenships=["NG"],
            protected_identity=True,
            address=ADDRESS,
            whereabouts=WHEREABOUTS,
        ),
        purposes=["sexual"],
    )


def assert_hidden(response) -> None:
    content = html(response)
    assert ADDRESS not in content
    assert "Skyddsvägen" not in content
    assert WHEREABOUTS not in content


def test_protected_address_is_in_no_page(personas, protected_case, stockholm_case):
    number = protected_case.case_number
    for user in (personas.coordinator_stockholm, personas.coordinator_stockholm_2):
        client = client_for(user)
        for path in [
            reverse("dashboard"),
            reverse("case-list"),
            reverse("case-list") + "?q=Okafor",
            reverse("case-detail", args=[number]),
            reverse("case-edit", args=[number]),
            reverse("person-edit", args=[number]),
            reverse("measure-add", args=[number]),
            reverse("referral-add", args=[number]),
            reverse("case-reveal", args=[number]),
        ]:
            response = client.get(path)
            assert response.status_code == 200, path
            assert_hidden(response)
        # The partial the case list's search loads with HTMX.
        response = client.get(
            reverse("case-list") + "?q=Okafor",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="case-results",
        )
        assert "Okafor" in html(response)
        assert_hidden(response)
    # An unprotected person's address is shown to the owner as usual.
    owner = client_for(personas.coordinator_stockholm)
    content = html(owner.get(reverse("case-detail", args=[stockholm_case.case_number])))
    assert "Hemliga gatan 1, Solna" in content


def test_saving_the_person_form_keeps_the_hidden_address(personas, protected_case):
    path = reverse("person-edit", args=[protected_case.case_number])
    client = client_for(personas.coordinator_stockholm)
    data = form_data(client.get(path).context["form"])
    assert "address" not in data
    bad = client.post(path, {**data, "birth_date": "1999-13-45"})
    assert bad.status_code == 200
    assert_hidden(bad)
    assert client.post(path, {**data, "birth_date": "1999-05-01"}).status_code == 302
    person = Person.objects.get(pk=protected_case.person_id)
    assert (person.birth_date, person.address, person.whereabouts) == (
        "1999-05-01",
        ADDRESS,
        WHEREABOUTS,
    )


def test_conflict_box_does_not_show_the_protected_address(personas, protected_case):
    path = reverse("person-edit", args=[protected_case.case_number])
    anna = client_for(personas.coordinator_stockholm)
    erik = client_for(personas.coordinator_stockholm_2)
    annas_form = form_data(anna.get(path).context["form"])
    eriks_form = form_data(erik.get(path).context["form"])
    assert anna.post(path, {**annas_form, "address": "Nya skyddsvägen 2"}).status_code == 302
    response = erik.post(path, {**eriks_form, "languages": "engelska"})
    assert response.status_code == 200
    assert 'class="conflict"' in html(response)
    assert personas.coordinator_stockholm.get_full_name() in html(response)
    assert_hidden(response)
    assert "Nya skyddsvägen" not in html(response)
    # The box says that the address changed, without showing it.
    box = re.search(r'<div class="conflict" role="alert">(.*?)</div>', html(response), re.S)
    assert sv("Hidden (protected personal data)") in box.group(1)
    assert sv("Current whereabouts") not in box.group(1)  # unchanged: not listed
    # Saving again keeps the new hidden address and adds Erik's change.
    assert erik.post(path, response.context["form"].data).status_code == 302
    person = Person.objects.get(pk=protected_case.person_id)
    assert (person.address, person.whereabouts) == ("Nya skyddsvägen 2", WHEREABOUTS)
    assert person.languages == ["engelska"]


def test_reveal_shows_the_address_once_and_audits_the_reason(personas, protected_case):
    number = protected_case.case_number
    client = client_for(personas.coordinator_stockholm)
    reveal = reverse("case-reveal", args=[number])

    response = client.post(reveal, {"reason": ""})
    assert response.status_code == 200
    assert_hidden(response)
    assert not AuditEvent.objects.filter(action="reveal").exists()

    reason = "Planering av skyddat boende"
    response = client.post(reveal, {"reason": reason})
    assert response.status_code == 302
    assert response["Location"] == reverse("case-detail", args=[number])
    shown = html(client.get(response["Location"]))
    assert shown.count(ADDRESS) == 1
    assert shown.count(WHEREABOUTS) == 1
    assert_hidden(client.get(reverse("case-detail", args=[number])))

    (event,) = AuditEvent.objects.filter(action="reveal")
    assert event.actor == personas.coordinator_stockholm
    assert event.purpose == reason
    assert (event.object_type, event.object_id) == ("person", str(protected_case.person_id))
    assert ADDRESS not in str(event.details)


def test_only_owners_may_reveal(personas, protected_case, agency):
    services.referral_create(
        actor=personas.coordinator_stockholm,
        case=protected_case,
        to_agency=agency["migrationsverket"],
        legal_ground="consent",
        consent="given",
    )
    client = client_for(personas.liaison_migrationsverket)
    number = protected_case.case_number
    response = client.get(reverse("case-detail", args=[number]))
    assert response.status_code == 200
    assert_hidden(response)
    assert reverse("case-reveal", args=[number]) not in html(response)
    response = client.post(reverse("case-reveal", args=[number]), {"reason": "Utredning"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reveal").exists()


# ---------------------------------------------------------------- login, logout, audit


def test_login_success_failure_and_logout_are_audited(personas):
    user = personas.coordinator_stockholm
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": "fel"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.actor is None
    assert failed.details == {"username": user.username}
    assert failed.ip_address == "127.0.0.1"
    assert "fel" not in str(failed.details)

    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    login = AuditEvent.objects.get(action="login")
    assert (login.actor, login.ip_address) == (user, "127.0.0.1")

    assert client.get(reverse("logout")).status_code == 405  # logging out takes a POST
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert AuditEvent.objects.get(action="logout").actor == user
    assert client.get(reverse("dashboard")).status_code == 302


def test_inactive_and_unknown_users_cannot_log_in(personas):
    client = Client()
    for username in (personas.inactive_coordinator.username, "nobody_here"):
        response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
    usernames = [e.details["username"] for e in AuditEvent.objects.filter(action="login_failed")]
    assert usernames == [personas.inactive_coordinator.username, "nobody_here"]
    assert not AuditEvent.objects.filter(action="login").exists()


def test_login_redirects_only_within_the_site(personas):
    user = personas.coordinator_stockholm
    client = Client()
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": user.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


# ---------------------------------------------------------------- headers, session, language


def test_security_headers(personas, stockholm_case):
    anonymous = Client().get(reverse("login"))
    client = client_for(personas.coordinator_stockholm)
    pages = [
        client.get(reverse("dashboard")),
        client.get(reverse("case-detail", args=[stockholm_case.case_number])),
        client.get(reverse("case-detail", args=["NMT-2025-99999"])),
    ]
    for response in [anonymous, *pages]:
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "'unsafe-inline'" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    for response in pages:
        assert "no-store" in response["Cache-Control"]


def test_forms_need_the_csrf_token(personas, stockholm_case):
    user = personas.coordinator_stockholm
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 403
    strict.force_login(user)
    path = reverse("note-add", args=[stockholm_case.case_number])
    assert strict.post(path, {"text": "Utan token"}).status_code == 403
    assert not TimelineEntry.objects.filter(kind="note").exists()


def test_session_cookie_and_expiry_on_inactivity(personas):
    user = personas.coordinator_stockholm
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser
    assert cookie["expires"] == ""

    session = Session.objects.get(session_key=cookie.value)
    idle = settings.SESSION_COOKIE_AGE
    assert idle <= 60 * 60
    assert abs((session.expire_date - timezone.now()).total_seconds() - idle) < 60

    # Using the session renews the expiry (at most once a minute, to spare the database) ...
    store = SessionStore(session_key=cookie.value)
    store[SessionActivityMiddleware.KEY] = int(time.time()) - SessionActivityMiddleware.INTERVAL
    store.save()
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() + dt.timedelta(minutes=1)
    )
    assert client.get(reverse("dashboard")).status_code == 200
    session.refresh_from_db()
    assert (session.expire_date - timezone.now()).total_seconds() > idle - 60
    # ... and after the idle time without one, the user must log in again.
    Session.objects.filter(pk=session.pk).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_swedish_by_default_whatever_the_browser_asks(personas):
    anonymous = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert anonymous["Content-Language"] == "sv"
    assert lang_of(anonymous) == "sv"
    client = client_for(personas.coordinator_stockholm)
    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    assert (response["Content-Language"], lang_of(response)) == ("sv", "sv")
    assert "Cookie" in response["Vary"]


def test_language_switch_sets_the_cookie(personas):
    client = client_for(personas.coordinator_stockholm)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("case-list")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("case-list")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("case-list"))
    assert (page["Content-Language"], lang_of(page)) == ("en", "en")
    client.post(reverse("set_language"), {"language": "sv", "next": reverse("case-list")})
    assert lang_of(client.get(reverse("case-list"))) == "sv"
    # An unknown language in the cookie falls back to Swedish.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert lang_of(client.get(reverse("case-list"))) == "sv"


def test_nul_characters_are_refused_before_the_database(personas):
    client = client_for(personas.coordinator_stockholm)
    assert client.get(reverse("case-list"), {"region": "3\x00"}).status_code == 400
    response = client.post(reverse("case-register"), {"case-region": "\x00", "case-channel": "x"})
    assert response.status_code == 400
    api = client.post(
        "/api/v1/cases/",
        {"channel": "support_line", "identified_on": "2025-01-01", "region": "sto\x00ckholm"},
        content_type="application/json",
    )
    assert api.status_code == 400
