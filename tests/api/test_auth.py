"""Authentication: API tokens (rate-limited, audited) and sessions (which need CSRF)."""

from __future__ import annotations

from tests.api.support import API, ConformingClient
from tests.conftest import PASSWORD

from nmt.audit.models import AuditEvent

TOKEN = f"{API}/auth/token/"


def test_token_for_username_and_password(personas, anonymous):
    response = anonymous.post(TOKEN, {"username": "anna_sthlm", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    again = anonymous.post(TOKEN, {"username": "anna_sthlm", "password": PASSWORD})
    assert again.json()["token"] == token
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anonymous.get(f"{API}/cases/").status_code == 200
    login = AuditEvent.objects.filter(action="login").latest("id")
    assert (login.actor_id, login.details["via"]) == (
        personas.coordinator_stockholm.pk,
        "api-token",
    )


def test_wrong_password_and_inactive_user_get_no_token(personas, anonymous):
    for username in ("anna_sthlm", "ingrid_sthlm", "nobody"):
        wrong = "wrong" if username == "anna_sthlm" else PASSWORD
        response = anonymous.post(TOKEN, {"username": username, "password": wrong})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["non_field_errors"]
    failed = AuditEvent.objects.filter(action="login_failed").order_by("id")
    assert [e.details["username"] for e in failed] == ["anna_sthlm", "ingrid_sthlm", "nobody"]


def test_token_attempts_are_limited_per_username(personas, anonymous):
    attempt = {"username": "anna_sthlm", "password": "guess"}
    statuses = [anonymous.post(TOKEN, attempt).status_code for _ in range(6)]
    assert statuses == [400] * 5 + [429]
    response = anonymous.post(TOKEN, {"username": "anna_sthlm", "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response


def test_token_attempts_are_limited_per_address(personas, anonymous):
    statuses = [
        anonymous.post(TOKEN, {"username": f"user{i}", "password": "x"}).status_code
        for i in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_revoked_token_stops_working(personas, client_for):
    client = client_for(personas.coordinator_syd)
    assert client.delete(TOKEN).status_code == 204
    assert client.get(f"{API}/cases/").status_code == 401
    assert AuditEvent.objects.filter(action="logout", actor=personas.coordinator_syd).exists()


def test_session_authentication_needs_csrf(personas, openapi):
    client = ConformingClient(enforce_csrf_checks=True)
    client.openapi = openapi
    assert client.login(username="anna_sthlm", password=PASSWORD)
    assert client.get(f"{API}/cases/").status_code == 200
    body = {"channel": "regional_coordinator", "identified_on": "2025-05-01", "region": "stockholm"}
    refused = client.post(f"{API}/cases/", body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    secret = "A" * 32
    client.cookies["csrftoken"] = secret
    assert client.post(f"{API}/cases/", body, HTTP_X_CSRFTOKEN=secret).status_code == 201


def test_tokens_expire(personas, anonymous, settings):
    import datetime as dt

    from rest_framework.authtoken.models import Token

    token = anonymous.post(TOKEN, {"username": "anna_sthlm", "password": PASSWORD}).json()["token"]
    anonymous.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert anonymous.get(f"{API}/cases/").status_code == 200
    Token.objects.filter(key=token).update(
        created=Token.objects.get(key=token).created
        - dt.timedelta(seconds=settings.NMT_API_TOKEN_SECONDS + 1)
    )
    response = anonymous.get(f"{API}/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    assert not Token.objects.filter(key=token).exists()
    anonymous.credentials()
    fresh = anonymous.post(TOKEN, {"username": "anna_sthlm", "password": PASSWORD}).json()["token"]
    assert fresh != token
