"""Support-line call log."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nmt.access.policies import contact_policy
from nmt.cases.concurrency import ConflictError
from nmt.supportline import services
from nmt.supportline.selectors import ContactFilters, access_contact, contact_get, contact_list
from nmt.web import forms
from nmt.web.conflicts import conflict_context


def _require_supportline(request: HttpRequest) -> None:
    # Nobody else may know the call log exists in any detail: 404, like a missing page.
    if not contact_policy.can_create(request.user):
        raise Http404


@login_required
def contact_list_view(request: HttpRequest) -> HttpResponse:
    _require_supportline(request)
    form = forms.ContactFilterForm(request.GET or None)
    filters = ContactFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = ContactFilters(
            q=data["q"] or "",
            topic=data["topic"] or "",
            caller_type=data["caller_type"] or "",
            region=data["region"].pk if data["region"] else None,
            year=data["year"],
            follow_up_open=data["follow_up_open"],
        )
    page = contact_list(actor=request.user, filters=filters, page=request.GET.get("page") or 1)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/supportline/list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_create_view(request: HttpRequest) -> HttpResponse:
    _require_supportline(request)
    form = forms.ContactForm(request.POST or None, initial={"region": request.user.region_id})
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(actor=request.user, **form.contact_values())
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The call was logged."))
            return redirect("contact-detail", contact_id=contact.pk)
    return render(request, "web/supportline/form.html", {"form": form})


@login_required
def contact_detail_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = contact_get(actor=request.user, contact_id=contact_id)
    return render(request, "web/supportline/detail.html", {"contact": contact})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = access_contact(request.user, contact_id)
    if not contact_policy.can_edit(request.user, contact):
        raise PermissionDenied
    fields = forms.ContactForm.base_fields
    initial = {name: getattr(contact, name) for name in fields}
    initial["occurred_at"] = timezone.localtime(contact.occurred_at).replace(
        second=0, microsecond=0
    )
    initial["region"] = contact.region_id
    initial["version"] = contact.version
    form = forms.ContactEditForm(request.POST or None, initial=initial)
    form.seal_baseline()
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(
                actor=request.user,
                contact=contact,
                expected_version=form.cleaned_data["version"],
                **form.contact_values(),
            )
        except ConflictError as error:
            current = {name: getattr(error.obj, name) for name in fields}
            current["region"] = error.obj.region
            conflict = conflict_context(error, form, current)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The call was saved."))
            return redirect("contact-detail", contact_id=contact.pk)
    return render(
        request,
        "web/supportline/form.html",
        {"form": form, "contact": contact, "conflict": conflict},
    )


@login_required
@require_POST
def contact_open_case_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = access_contact(request.user, contact_id)
    try:
        case = services.contact_open_case(actor=request.user, contact=contact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("contact-detail", contact_id=contact.pk)
    messages.success(
        request, _("Case %(number)s was opened without identifying data.") % {"number": case}
    )
    return redirect("case-detail", case_number=case.case_number)
