import pytest
from django.urls import reverse
from tests.conftest import PASSWORD


@pytest.fixture
def client_for(client):
    def login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return login


def test_pages_render_for_owner(client_for, personas, stockholm_case):
    c = client_for(personas.coordinator_stockholm)
    for url in [
        reverse("dashboard"),
        reverse("case-list"),
        reverse("case-list") + "?q=popescu&year=2025",
        reverse("case-register"),
        reverse("case-index") + "?q=popescu",
        reverse("case-detail", args=[stockholm_case.case_number]),
        reverse("case-edit", args=[stockholm_case.case_number]),
        reverse("person-edit", args=[stockholm_case.case_number]),
        reverse("measure-add", args=[stockholm_case.case_number]),
        reverse("referral-add", args=[stockholm_case.case_number]),
    ]:
        response = c.get(url)
        assert response.status_code == 200, url


def test_supportline_pages(client_for, personas):
    c = client_for(personas.supportline)
    assert c.get(reverse("contact-list")).status_code == 200
    assert c.get(reverse("contact-create")).status_code == 200
