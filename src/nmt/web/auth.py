"""Login and logout, audited."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from nmt.audit.models import Action
from nmt.audit.services import audit_record


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


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
