"""The second factor: TOTP (an authenticator app) with one-time recovery codes (django-otp).

After the password, a user with a confirmed device enters a code; a user without one sets it up
first. Until then, the session reaches nothing but these pages (TwoFactorMiddleware). Every step
is audited.
"""

from __future__ import annotations

import secrets

import segno
from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from nmt.audit.models import Action
from nmt.audit.request import client_ip
from nmt.audit.services import audit_record

RECOVERY_CODES = 10
MAX_FAILURES = 5
FAILURES_KEY = "nmt_otp_failures"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=_("The six digits from your authenticator app, or one of your recovery codes."),
    )


def needs_second_factor(request: HttpRequest) -> bool:
    user = request.user
    if not settings.NMT_REQUIRE_TWO_FACTOR or not user.is_authenticated:
        return False
    return not user.is_verified()


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return settings.LOGIN_REDIRECT_URL


def _audit(request: HttpRequest, action: str, **details: object) -> None:
    with transaction.atomic():
        audit_record(
            actor=request.user, action=action, details=details, ip_address=client_ip(request)
        )


@login_required
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    if not user_has_device(request.user):
        return redirect("two-factor-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "").replace("-", "")
        device = match_token(request.user, code)
        if device is not None:
            otp_login(request, device)
            request.session.pop(FAILURES_KEY, None)
            _audit(request, Action.SECOND_FACTOR, device=type(device).__name__)
            return redirect(_next(request))
        failures = request.session.get(FAILURES_KEY, 0) + 1
        request.session[FAILURES_KEY] = failures
        _audit(request, Action.SECOND_FACTOR_FAILED, attempt=failures)
        if failures >= MAX_FAILURES:
            # Start over from the password: guessing codes within one session has a ceiling.
            logout(request)
            return redirect(settings.LOGIN_URL)
        form.add_error("code", _("The code is not valid. Check your app's clock and try again."))
    return render(request, "web/two_factor/verify.html", {"form": form, "next": _next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def setup_view(request: HttpRequest) -> HttpResponse:
    if user_has_device(request.user):
        return redirect("two-factor-verify")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(request.user)
                otp_login(request, device)
                audit_record(
                    actor=request.user,
                    action=Action.SECOND_FACTOR_ENROLLED,
                    ip_address=client_ip(request),
                )
            return render(request, "web/two_factor/recovery.html", {"codes": codes})
        form.add_error("code", _("The code does not match. Scan the code again and retry."))
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr": qr.svg_data_uri(scale=5, dark="#17365c"),
        "secret": _spaced(device.config_url.split("secret=")[1].split("&")[0]),
    }
    return render(request, "web/two_factor/setup.html", context)


def _spaced(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _new_recovery_codes(user: object) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        StaticToken.objects.create(device=device, token=code.replace("-", ""))
    return codes


@transaction.atomic
def reset_second_factor(user: object) -> None:
    """Remove a user's devices (the administrator's remedy for a lost phone); the user sets up a
    new app at the next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
