"""Case pages: list and search, registration, the case page and its actions.

Views are thin: they read through the selectors (policy + audit) and write through the services.
A case the user may not see is a 404 (the same as a missing one); an action the user may see but
not take is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nmt.access.policies import case_policy
from nmt.cases import services
from nmt.cases.concurrency import ConflictError
from nmt.cases.selectors import (
    CaseFilters,
    access_case,
    access_measure,
    access_referral,
    case_get,
    case_index_search,
    case_list,
    protected_details_reveal,
)
from nmt.methods.selectors import build_workflow
from nmt.web import forms
from nmt.web.conflicts import conflict_context


def _filters(form: forms.CaseFilterForm) -> CaseFilters:
    if not form.is_valid():
        return CaseFilters()
    data = form.cleaned_data
    return CaseFilters(
        q=data["q"] or "",
        year=data["year"],
        purpose=data["purpose"] or "",
        status=data["status"] or "",
        region=data["region"].pk if data["region"] else None,
        channel=data["channel"] or "",
    )


@login_required
def case_list_view(request: HttpRequest) -> HttpResponse:
    form = forms.CaseFilterForm(request.GET or None)
    page_number = request.GET.get("page") or 1
    page = case_list(actor=request.user, filters=_filters(form), page=page_number)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_register": case_policy.can_register(request.user),
    }
    if request.htmx and request.htmx.target == "case-results":
        return render(request, "web/cases/_results.html", context)
    return render(request, "web/cases/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_register_view(request: HttpRequest) -> HttpResponse:
    if not case_policy.can_register(request.user):
        raise PermissionDenied
    initial = {"region": request.user.region_id, "channel": _default_channel(request.user)}
    case_form = forms.RegisterForm(request.POST or None, initial=initial, prefix="case")
    person_form = forms.PersonForm(request.POST or None, prefix="person")
    if request.method == "POST" and case_form.is_valid() and person_form.is_valid():
        values = case_form.case_values()
        try:
            case = services.case_register(
                actor=request.user,
                person=person_form.person_input(),
                note=case_form.cleaned_data["note"],
                **values,
            )
        except ValidationError as error:
            _split_errors(error, case_form, person_form)
        else:
            messages.success(request, _("Case %(number)s registered.") % {"number": case})
            return redirect("case-detail", case_number=case.case_number)
    return render(
        request, "web/cases/register.html", {"case_form": case_form, "person_form": person_form}
    )


def _default_channel(user: Any) -> str:
    return "support_line" if user.role == "supportline" else "regional_coordinator"


def _split_errors(error: ValidationError, case_form: forms.Form, person_form: Any) -> None:
    if not hasattr(error, "error_dict"):
        case_form.add_error(None, error)
        return
    for name, field_messages in error.message_dict.items():
        name = person_form.error_mapping.get(name, name)
        if name in person_form.fields:
            person_form.add_error(name, field_messages)
        elif name in case_form.fields:
            case_form.add_error(name, field_messages)
        else:
            case_form.add_error(None, field_messages)


@login_required
def case_detail_view(request: HttpRequest, case_number: str) -> HttpResponse:
    detail = case_get(actor=request.user, case_number=case_number)
    context = {
        "d": detail,
        "case": detail.case,
        "person": detail.person,
        "note_form": forms.NoteForm(),
        "status_form": forms.StatusForm(
            initial={"status": detail.case.status, "version": detail.case.version}
        ),
        "can_respond": {r.pk: case_policy.can_respond(request.user, r) for r in detail.referrals},
        "can_close": {
            r.pk: case_policy.can_close_referral(request.user, r) for r in detail.referrals
        },
        "revealed": request.session.pop(f"revealed:{case_number}", None),
        # The panel shows the case's own guidance ticks: checked and audited with the case by
        # case_get above (one access check and one audit event for the page, not two).
        "workflow": build_workflow(actor=request.user, case=detail.case),
    }
    return render(request, "web/cases/detail.html", context)


def _editable_case(request: HttpRequest, case_number: str):  # type: ignore[no-untyped-def]
    case = access_case(request.user, case_number)
    if not case_policy.can_edit(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_http_methods(["GET", "POST"])
def person_edit_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = _editable_case(request, case_number)
    person = case.person
    initial = {**forms.PersonForm.initial_from(person), "version": person.version}
    form = forms.PersonEditForm(request.POST or None, initial=initial)
    if person.protected_identity:
        form.hide_protected()
    form.seal_baseline()
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.person_input()
        if person.protected_identity:
            # Hidden values are kept unless the user typed a replacement.
            data.address = data.address or person.address
            data.whereabouts = data.whereabouts or person.whereabouts
        try:
            services.person_update(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                data=data,
            )
        except ConflictError as error:
            current = forms.PersonForm.initial_from(error.obj)
            hidden = ()
            if error.obj.protected_identity:
                # The saved address stays hidden here too (it is shown only on a logged reveal);
                # the box says only that it changed.
                hidden = ("address", "whereabouts")
                for name in hidden:
                    if name in error.changed_fields:
                        current[name] = _("Hidden (protected personal data)")
                    else:
                        del current[name]
            conflict = conflict_context(error, form, current, display_only=hidden)
        except ValidationError as error:
            forms.apply_errors(form, error, forms.PersonForm.error_mapping)
        else:
            messages.success(request, _("The person's details were saved."))
            return redirect("case-detail", case_number=case_number)
    return render(
        request,
        "web/cases/edit_person.html",
        {"case": case, "form": form, "conflict": conflict},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_edit_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = _editable_case(request, case_number)
    initial = {**forms.CaseForm.initial_from(case), "version": case.version}
    form = forms.CaseEditForm(request.POST or None, initial=initial)
    form.seal_baseline()
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                **form.case_values(),
            )
        except ConflictError as error:
            conflict = conflict_context(error, form, forms.CaseForm.initial_from(error.obj))
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect("case-detail", case_number=case_number)
    return render(
        request, "web/cases/edit_case.html", {"case": case, "form": form, "conflict": conflict}
    )


@login_required
@require_POST
def case_status_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = _editable_case(request, case_number)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.case_set_status(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                closed_reason=form.cleaned_data["closed_reason"],
                note=form.cleaned_data["note"],
            )
        except ConflictError as error:
            messages.error(request, _conflict_message(error))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("The status could not be changed; check the form."))
    return redirect("case-detail", case_number=case_number)


def _conflict_message(error: ConflictError) -> str:
    who = ", ".join(sorted({c.by for c in error.changes})) or _("someone else")
    return _("%(who)s changed the case while you were working on it. Review and try again.") % {
        "who": who
    }


@login_required
@require_POST
def note_add_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = access_case(request.user, case_number)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.user, case=case, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The note was added."))
    else:
        messages.error(request, _("Write the note."))
    return redirect("case-detail", case_number=case_number)


@login_required
@require_http_methods(["GET", "POST"])
def measure_add_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = access_case(request.user, case_number)
    if not case_policy.can_contribute(request.user, case):
        raise PermissionDenied
    form = forms.MeasureForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_add(
                actor=request.user,
                case=case,
                kind=form.cleaned_data["kind"],
                **form.measure_values(),
            )
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The measure was added."))
            return redirect("case-detail", case_number=case_number)
    return render(request, "web/cases/measure_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit_view(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure = access_measure(request.user, measure_id)
    case = measure.identification
    if not case_policy.can_contribute(request.user, case):
        raise PermissionDenied
    fields = ("kind", *services.MEASURE_FIELDS)
    initial = {name: getattr(measure, name) for name in fields}
    initial["version"] = measure.version
    form = forms.MeasureEditForm(request.POST or None, initial=initial)
    form.seal_baseline()
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(
                actor=request.user,
                measure=measure,
                expected_version=form.cleaned_data["version"],
                **form.measure_values(),
            )
        except ConflictError as error:
            current = {name: getattr(error.obj, name) for name in fields}
            conflict = conflict_context(error, form, current)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect("case-detail", case_number=case.case_number)
    return render(
        request,
        "web/cases/measure_form.html",
        {"case": case, "form": form, "measure": measure, "conflict": conflict},
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_add_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = access_case(request.user, case_number)
    if not case_policy.can_refer(request.user, case):
        raise PermissionDenied
    form = forms.ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            forms.apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The case was referred to %(agency)s.")
                % {"agency": form.cleaned_data["to_agency"]},
            )
            return redirect("case-detail", case_number=case_number)
    return render(request, "web/cases/referral_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def referral_respond_view(request: HttpRequest, referral_id: int, action: str) -> HttpResponse:
    referral = access_referral(request.user, referral_id)
    case_number = referral.identification.case_number
    if action not in {"accept", "decline", "close"}:
        raise Http404
    if action == "decline" and not case_policy.can_respond(request.user, referral):
        # Otherwise the decline form would be shown to users who may not decline.
        raise PermissionDenied
    form = forms.DeclineForm(request.POST or None, initial={"version": referral.version})
    if request.method == "GET":
        if action != "decline":
            raise Http404
        return render(
            request,
            "web/cases/referral_decline.html",
            {"referral": referral, "case": referral.identification, "form": form},
        )
    version = _posted_version(request)
    try:
        if action == "accept":
            services.referral_accept(
                actor=request.user, referral=referral, expected_version=version
            )
            messages.success(request, _("The referral was accepted."))
        elif action == "close":
            services.referral_close(actor=request.user, referral=referral, expected_version=version)
            messages.success(request, _("The referral was closed."))
        else:
            if not form.is_valid():
                return render(
                    request,
                    "web/cases/referral_decline.html",
                    {"referral": referral, "case": referral.identification, "form": form},
                )
            services.referral_decline(
                actor=request.user,
                referral=referral,
                expected_version=version,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, _("The referral was declined."))
    except ConflictError as error:
        messages.error(request, _conflict_message(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if (
        action in {"decline", "close"}
        and not case_policy.visible(request.user).filter(pk=referral.identification_id).exists()
    ):
        return redirect("dashboard")
    return redirect("case-detail", case_number=case_number)


def _posted_version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        raise PermissionDenied from None


@login_required
@require_http_methods(["GET", "POST"])
def reveal_view(request: HttpRequest, case_number: str) -> HttpResponse:
    case = access_case(request.user, case_number)
    if not case_policy.can_see_protected(request.user, case.person):
        raise PermissionDenied
    form = forms.RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        details = protected_details_reveal(
            actor=request.user, case_number=case_number, reason=form.cleaned_data["reason"]
        )
        # Shown once on the next page load, then gone.
        request.session[f"revealed:{case_number}"] = details
        return redirect("case-detail", case_number=case_number)
    return render(request, "web/cases/reveal.html", {"case": case, "form": form})


@login_required
def case_index_view(request: HttpRequest) -> HttpResponse:
    if not case_policy.can_use_case_index(request.user):
        raise Http404
    q = request.GET.get("q", "").strip()[:100]
    entries = case_index_search(actor=request.user, q=q) if q else []
    return render(request, "web/cases/index.html", {"q": q, "entries": entries})
