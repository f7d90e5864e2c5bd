"""Login and logout, audited; lockout after repeated failures."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from nmt.audit.models import Action
from nmt.audit.request import client_ip
from nmt.audit.services import audit_record


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            response = super().form_valid(form)
            audit_record(
                actor=form.get_user(), action=Action.LOGIN, ip_address=client_ip(self.request)
            )
        return response

    def form_invalid(self, form):  # type: ignore[no-untyped-def]
        username = (form.data.get("username") or "")[:150]
        with transaction.atomic():
            audit_record(
                actor=None,
                action=Action.LOGIN_FAILED,
                details={"username": username},
                ip_address=client_ip(self.request),
            )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        user = request.user
        with transaction.atomic():
            if user.is_authenticated:
                audit_record(actor=user, action=Action.LOGOUT, ip_address=client_ip(request))
            return super().post(request, *args, **kwargs)


def locked_out(
    request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """What a locked-out login sees (django-axes calls this), recorded in the audit."""
    username = ((credentials or {}).get("username") or request.POST.get("username") or "")[:150]
    with transaction.atomic():
        audit_record(
            actor=None,
            action=Action.LOGIN_LOCKED,
            details={"username": username},
            ip_address=client_ip(request),
        )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Too many failed logins. Try again later.")}, status=429)
    return render(request, "web/locked_out.html", status=429)
