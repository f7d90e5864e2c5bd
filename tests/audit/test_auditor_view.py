"""The data-protection officer's view: who read case X, what user Y read, exports, failed logins."""

import csv
import io

from django.urls import reverse
from tests.conftest import PASSWORD

from nmt.audit.models import AuditEvent
from nmt.cases.selectors import CaseFilters, case_get, case_list


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_only_the_auditor_reads_the_log(client, personas):
    for name, user in personas.all().items():
        if name in {"auditor", "inactive_coordinator"}:
            continue
        client.force_login(user)
        assert client.get(reverse("audit-list")).status_code == 404, name
        assert client.get(reverse("audit-list") + "?format=csv").status_code == 404, name
    client.force_login(personas.auditor)
    assert client.get(reverse("audit-list")).status_code == 200


def test_who_read_case_x(client, personas, stockholm_case):
    case_get(actor=personas.coordinator_stockholm_2, case_number=stockholm_case.case_number)
    case_list(actor=personas.coordinator_stockholm, filters=CaseFilters(q="Popescu"))
    case_list(actor=personas.coordinator_syd, filters=CaseFilters())  # sees nothing of it
    login(client, personas.auditor)
    response = client.get(reverse("audit-list"), {"case_number": stockholm_case.case_number})
    users = {event.actor_username for event in response.context["page"].object_list}
    assert users == {"erik_sthlm", "anna_sthlm"}  # the reader, the searcher and the registrar
    assert "sara_syd" not in users
    # The auditor's search is itself logged.
    assert AuditEvent.objects.filter(actor=personas.auditor, object_type="audit").exists()


def test_what_user_y_read_and_failed_logins(client, personas, stockholm_case):
    case_get(actor=personas.coordinator_stockholm_2, case_number=stockholm_case.case_number)
    client.post(reverse("login"), {"username": "erik_sthlm", "password": "wrong"})
    login(client, personas.auditor)
    response = client.get(reverse("audit-list"), {"username": "erik_sthlm", "actions": ["view"]})
    events = list(response.context["page"].object_list)
    assert [e.action for e in events] == ["view"]
    detail = client.get(reverse("audit-detail", args=[events[0].pk]))
    assert stockholm_case.case_number in detail.content.decode()
    assert "Popescu" not in detail.content.decode()  # the log holds no case content
    failed = client.get(reverse("audit-list"), {"actions": ["login_failed"]})
    assert [e.details["username"] for e in failed.context["page"].object_list] == ["erik_sthlm"]


def test_export_is_a_csv_and_is_logged(client, personas, stockholm_case):
    login(client, personas.auditor)
    response = client.get(reverse("audit-list"), {"format": "csv", "actions": ["create"]})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["user"], r["action"]) for r in rows] == [("anna_sthlm", "create")]
    assert AuditEvent.objects.filter(actor=personas.auditor, action="export").count() == 1
