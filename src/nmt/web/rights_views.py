"""The person's rights: subject-access export (JSON, PDF) and erasure on request."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from nmt.access.policies import case_policy
from nmt.cases.retention import erasure_decide, subject_access_export
from nmt.cases.selectors import access_case
from nmt.web.forms import DateInput, apply_errors


def _owned_case(request: HttpRequest, case_number: str):  # type: ignore[no-untyped-def]
    case = access_case(request.user, case_number)
    if not case_policy.can_edit(request.user, case):
        raise PermissionDenied
    return case


@login_required
def subject_access_view(request: HttpRequest, case_number: str, fmt: str) -> HttpResponse:
    if fmt not in {"json", "pdf"}:
        raise Http404
    case = _owned_case(request, case_number)
    data = subject_access_export(actor=request.user, case=case)
    stamp = timezone.localdate().isoformat()
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="nmt-{case_number}-{stamp}.json"'
        return response
    from weasyprint import HTML

    html = render_to_string("web/cases/subject_access.html", {"data": data, "case": case})
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="nmt-{case_number}-{stamp}.pdf"'
    return response


class ErasureForm(forms.Form):
    received_on = forms.DateField(label=gettext_lazy("Request received"), widget=DateInput())
    requested_by = forms.CharField(label=gettext_lazy("Requested by"), max_length=200)
    ongoing_investigation = forms.BooleanField(
        label=gettext_lazy("A preliminary investigation or trial that needs the data is ongoing"),
        required=False,
    )
    legal_obligation = forms.BooleanField(
        label=gettext_lazy("A statute obliges us to keep the data (e.g. social services records)"),
        required=False,
    )
    archive_rules = forms.BooleanField(
        label=gettext_lazy("The archive rules require the data to be kept"), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Reasoning of the decision"), widget=forms.Textarea(attrs={"rows": 3})
    )


@login_required
@require_http_methods(["GET", "POST"])
def erasure_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = _owned_case(request, case_number)
    form = ErasureForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            decision = erasure_decide(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if decision.decision == "erased":
                messages.success(request, _("The person's identifying data has been erased."))
            else:
                messages.info(request, _("The request was refused; the reasoning is recorded."))
            return redirect("case-detail", case_number=case_number)
    return render(request, "web/cases/erasure.html", {"case": case, "form": form})
