"""The second factor (TOTP with recovery codes) and the lockout after repeated failed logins."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from tests.conftest import PASSWORD

from nmt.audit.models import AuditEvent


@pytest.fixture
def two_factor(settings):
    settings.NMT_REQUIRE_TWO_FACTOR = True


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def current_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The app's code; a code is accepted once, so a second login in the same 30 seconds takes
    the next one (within the device's tolerance of one step)."""
    t0 = device.t0 - steps_ahead * device.step
    return f"{totp(device.bin_key, step=device.step, t0=t0, digits=device.digits):06d}"


def enrol(client, user) -> tuple[TOTPDevice, list[str]]:
    password_login(client, user)
    assert client.get(reverse("dashboard")).url.startswith(reverse("two-factor-verify"))
    setup = client.get(reverse("two-factor-verify"), follow=True)
    assert setup.redirect_chain[-1][0] == reverse("two-factor-setup")
    assert "data:image/svg+xml" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two-factor-setup"), {"code": current_code(device)})
    codes = re.findall(r"<code>([0-9a-f]{6}-[0-9a-f]{6})</code>", response.content.decode())
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


def test_first_login_sets_up_the_app_then_the_session_is_open(client, personas, two_factor):
    user = personas.coordinator_stockholm
    enrol(client, user)
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(actor=user, action="second_factor_enrolled").exists()


def test_every_page_and_the_api_wait_for_the_second_factor(client, personas, two_factor):
    password_login(client, personas.coordinator_stockholm)
    for path in (reverse("dashboard"), reverse("case-list"), "/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("two-factor-verify"))
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403
    assert client.get(reverse("healthz")).status_code == 200


def test_later_logins_ask_for_a_code_and_recovery_codes_work_once(client, personas, two_factor):
    user = personas.coordinator_stockholm
    _device, codes = enrol(client, user)
    client.post(reverse("logout"))
    password_login(client, user)
    assert client.post(reverse("two-factor-verify"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    password_login(client, user)
    reused = client.post(reverse("two-factor-verify"), {"code": codes[0]})
    assert reused.status_code == 200  # a recovery code works once
    assert client.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.filter(actor=user, action="second_factor_failed").count() == 1
    time.sleep(1.1)  # django-otp slows down guessing: one second after the first failure
    assert client.post(reverse("two-factor-verify"), {"code": codes[1]}).status_code == 302


def test_guessing_codes_ends_the_session(client, personas, two_factor):
    user = personas.coordinator_stockholm
    enrol(client, user)
    client.post(reverse("logout"))
    password_login(client, user)
    for _attempt in range(5):
        response = client.post(reverse("two-factor-verify"), {"code": "123456"})
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("dashboard")).url.startswith(reverse("login"))


def test_api_token_needs_the_code(client, personas, two_factor):
    user = personas.coordinator_stockholm
    device, _codes = enrol(client, user)
    url = "/api/v1/auth/token/"
    refused = client.post(
        url, {"username": user.username, "password": PASSWORD}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "otp" in refused.json()["errors"]
    device.refresh_from_db()
    accepted = client.post(
        url,
        {"username": user.username, "password": PASSWORD, "otp": current_code(device, 1)},
        content_type="application/json",
    )
    assert accepted.status_code == 200
    assert accepted.json()["token"]


def test_repeated_failed_logins_lock_the_account(client, personas, settings):
    settings.AXES_ENABLED = True
    user = personas.coordinator_syd
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action="login_locked", details__username=user.username
    ).exists()
    # Another account is not affected.
    password_login(client, personas.coordinator_stockholm)
