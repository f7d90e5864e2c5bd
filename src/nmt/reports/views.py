"""Web pages for analysts: runs, the report on screen, downloads, agency lists (import with a
preview, then an atomic commit; deletion). Everyone else gets 404."""

from __future__ import annotations

import base64
import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from nmt.errors import BadInputError
from nmt.reports import render as outputs
from nmt.reports import selectors, services
from nmt.reports.htcds import htcds_export
from nmt.reports.policies import report_policy


def _require_analyst(request: HttpRequest) -> None:
    if not report_policy.can_use(request.user):
        raise Http404


class RunForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    method = forms.ChoiceField(
        label=gettext_lazy("Estimation method"),
        choices=[
            ("stepwise", gettext_lazy("Stepwise (default)")),
            ("bic", "BIC"),
            ("aic", "AIC"),
            ("main", gettext_lazy("Independence")),
        ],
    )
    disclosure = forms.ChoiceField(
        label=gettext_lazy("Disclosure control"),
        choices=[
            ("ckm", gettext_lazy("Cell key method (default)")),
            ("suppression", gettext_lazy("Threshold suppression")),
        ],
    )
    retrain = forms.BooleanField(
        label=gettext_lazy("Train the linkage model anew"),
        required=False,
        help_text=gettext_lazy("Otherwise the model of the latest kept run is reused."),
    )


class ListForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("List file (CSV or XLSX)"))
    source = forms.CharField(label=gettext_lazy("Source name"), max_length=40)
    origin = forms.CharField(label=gettext_lazy("Origin (agency or organisation)"), max_length=120)
    period_start = forms.DateField(label=gettext_lazy("Period from"))
    period_end = forms.DateField(label=gettext_lazy("Period to"))


@login_required
@require_http_methods(["GET", "POST"])
def run_list_view(request: HttpRequest) -> HttpResponse:
    _require_analyst(request)
    form = RunForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.report_run_create(
                actor=request.user,
                year=data["year"],
                run_settings=services.RunSettings(
                    method=data["method"],
                    disclosure=data["disclosure"],
                    reuse_model=not data["retrain"],
                ),
            )
        except BadInputError as error:
            form.add_error(None, str(error))
        else:
            return redirect("report-detail", run_id=run.pk)
    return render(
        request,
        "reports/runs.html",
        {"form": form, "runs": selectors.run_list(actor=request.user)},
    )


@login_required
def run_detail_view(request: HttpRequest, run_id: int) -> HttpResponse:
    _require_analyst(request)
    run = selectors.run_get(actor=request.user, run_id=run_id)
    lang = translation.get_language() or "sv"
    doc = outputs.context(run, lang)
    return render(request, "reports/detail.html", {**doc, "formats": outputs.FORMATS})


@login_required
def run_download_view(request: HttpRequest, run_id: int, fmt: str) -> HttpResponse:
    _require_analyst(request)
    run = selectors.run_get(actor=request.user, run_id=run_id)
    lang = request.GET.get("lang") or translation.get_language() or "sv"
    if lang not in outputs.LANGUAGES or fmt not in (*outputs.FORMATS, "htcds"):
        raise Http404
    if fmt == "htcds":
        data = htcds_export(run).to_csv()
        name, content_type = f"nmt-htcds-{run.year}.csv", "text/csv; charset=utf-8"
    else:
        data = outputs.render(run, fmt, lang)
        name, content_type = outputs.filename(run, fmt, lang), outputs.CONTENT_TYPES[fmt]
    services.report_export_audit(actor=request.user, run=run, fmt=fmt, lang=lang)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def list_view(request: HttpRequest) -> HttpResponse:
    """Import in two steps: the file is checked and summarised (nothing stored), then the
    analyst confirms and the list is stored in one transaction."""
    _require_analyst(request)
    form = ListForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and "confirm" in request.POST:
        try:
            payload = request.session.pop("nmt_list_upload")
        except KeyError:
            raise Http404 from None
        services.agency_list_import(
            actor=request.user,
            data=base64.b64decode(payload["data"]),
            filename=payload["filename"],
            source=payload["source"],
            origin=payload["origin"],
            period_start=dt.date.fromisoformat(payload["period_start"]),
            period_end=dt.date.fromisoformat(payload["period_end"]),
        )
        messages.success(request, _("The list was imported."))
        return redirect("report-lists")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        try:
            preview = services.agency_list_preview(
                actor=request.user,
                data=content,
                filename=data["file"].name,
                source=data["source"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except BadInputError as error:
            form.add_error(None, [str(p) for p in error.problems][:20])
        else:
            request.session["nmt_list_upload"] = {
                "data": base64.b64encode(content).decode("ascii"),
                "filename": data["file"].name,
                "source": data["source"],
                "origin": data["origin"],
                "period_start": data["period_start"].isoformat(),
                "period_end": data["period_end"].isoformat(),
            }
    return render(
        request,
        "reports/lists.html",
        {"form": form, "preview": preview, "lists": selectors.list_list(actor=request.user)},
    )


@login_required
@require_POST
def list_delete_view(request: HttpRequest, list_id: int) -> HttpResponse:
    _require_analyst(request)
    services.agency_list_delete(actor=request.user, agency_list_id=list_id)
    messages.success(request, _("The list was deleted."))
    return redirect("report-lists")
