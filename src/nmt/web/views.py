"""The dashboard and small pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nmt.access.policies import CASE_ROLES, case_policy, contact_policy
from nmt.cases.selectors import deadline_list, my_open_cases, referral_inbox


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe; also the trivial view the web benchmark uses as its floor."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {"works_with_cases": user.role in CASE_ROLES}
    if user.role in CASE_ROLES:
        context.update(
            open_cases=my_open_cases(actor=user),
            deadlines=deadline_list(actor=user),
            referrals=referral_inbox(actor=user),
            can_register=case_policy.can_register(user),
            can_log_calls=contact_policy.can_create(user),
        )
    return render(request, "web/dashboard.html", context)
