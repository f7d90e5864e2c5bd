"""The data-protection officer's view of the audit log."""

from __future__ import annotations

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from nmt.audit.models import Action
from nmt.audit.selectors import (
    AuditFilters,
    audit_event_export,
    audit_event_get,
    audit_event_list,
)
from nmt.web.forms import DateInput


class AuditFilterForm(forms.Form):
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=20)
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    actions = forms.MultipleChoiceField(
        label=_("Actions"),
        choices=Action.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        data = self.cleaned_data
        return AuditFilters(
            case_number=data["case_number"],
            username=data["username"],
            actions=tuple(data["actions"]),
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


@login_required
def audit_list_view(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    if request.GET.get("format") == "csv":
        rows = audit_event_export(actor=request.user, filters=filters)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="nmt-audit.csv"'
        writer = csv.DictWriter(response, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
        return response
    page = audit_event_list(actor=request.user, filters=filters, page=request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/audit/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
def audit_detail_view(request: HttpRequest, event_id: int) -> HttpResponse:
    event, accessed = audit_event_get(actor=request.user, event_id=event_id)
    return render(request, "web/audit/detail.html", {"event": event, "accessed": accessed})
