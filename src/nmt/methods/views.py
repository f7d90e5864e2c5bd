"""Pages of method support. Thin: reads through the selectors, writes through the services.
Something the user may not see is a 404; something they see but may not do is a 403."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nmt.cases.concurrency import ConflictError
from nmt.cases.selectors import access_case
from nmt.methods import forms, selectors, services
from nmt.methods.charts import series_svg
from nmt.methods.models import GuidanceItem, GuidanceStatus, LibraryKind, TagKind
from nmt.methods.policies import (
    guidance_policy,
    is_national_team,
    library_policy,
    meeting_policy,
    report_policy,
    signal_policy,
)
from nmt.methods.signals import signal_board
from nmt.web.forms import apply_errors

# ---------------------------------------------------------------- guided workflow (case page)


@login_required
@require_POST
def workflow_update_view(request: HttpRequest, case_number: str) -> HttpResponse:
    """Apply the ticks the user changed: the form sends what was ticked when the page was shown
    (``shown``) and what is ticked now (``done``)."""
    case = access_case(request.user, case_number)
    shown = set(request.POST.getlist("shown"))
    done = set(request.POST.getlist("done"))
    try:
        services.workflow_update(
            actor=request.user, case=case, tick=done - shown, untick=shown - done
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The guided workflow was saved."))
    if request.htmx:
        workflow = selectors.workflow_get(actor=request.user, case_number=case_number)
        return render(request, "methods/_workflow_panel.html", {"workflow": workflow})
    return redirect(f"/cases/{case.case_number}/#workflow-h")


@login_required
def guidance_list_view(request: HttpRequest) -> HttpResponse:
    if not guidance_policy.can_read(request.user):
        raise Http404
    versions = list(selectors.guidance_versions(actor=request.user))
    return render(
        request,
        "methods/guidance_list.html",
        {"versions": versions, "can_manage": guidance_policy.can_manage(request.user)},
    )


@login_required
def guidance_detail_view(request: HttpRequest, number: int) -> HttpResponse:
    version = selectors.access_guidance_version(request.user, number)
    items = list(version.items.all())
    return render(
        request,
        "methods/guidance_detail.html",
        {
            "version": version,
            "indicators": [i for i in items if i.kind == "indicator"],
            "steps": [i for i in items if i.kind == "step"],
            "editable": guidance_policy.can_manage(request.user)
            and version.status == GuidanceStatus.DRAFT,
        },
    )


@login_required
@require_POST
def guidance_draft_view(request: HttpRequest) -> HttpResponse:
    try:
        draft = services.guidance_draft_create(
            actor=request.user, change_note=request.POST.get("change_note", "")[:2000]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("guidance-list")
    return redirect("guidance-detail", number=draft.number)


@login_required
@require_POST
def guidance_publish_view(request: HttpRequest, number: int) -> HttpResponse:
    version = selectors.access_guidance_version(request.user, number)
    try:
        services.guidance_publish(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(n)s is published.") % {"n": version.number})
    return redirect("guidance-detail", number=number)


@login_required
@require_http_methods(["GET", "POST"])
def guidance_item_view(request: HttpRequest, number: int, item_id: int | None = None):
    version = selectors.access_guidance_version(request.user, number)
    if not guidance_policy.can_manage(request.user):
        raise PermissionDenied
    item = None
    if item_id is not None:
        try:
            item = version.items.get(pk=item_id)
        except GuidanceItem.DoesNotExist:
            raise Http404 from None
    form = forms.GuidanceItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("delete") and item is not None:
                services.guidance_item_delete(actor=request.user, version=version, item=item)
            else:
                services.guidance_item_save(
                    actor=request.user, version=version, item=item, **form.cleaned_data
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("guidance-detail", number=number)
    return render(
        request, "methods/guidance_item.html", {"version": version, "item": item, "form": form}
    )


# ---------------------------------------------------------------- methods library


@login_required
def library_view(request: HttpRequest) -> HttpResponse:
    form = forms.LibrarySearchForm(request.GET or None)
    filters = selectors.LibraryFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.LibraryFilters(
            q=data["q"] or "",
            purpose=data["purpose"] or "",
            role=data["role"] or "",
            category=data["category"] or "",
        )
    hits = selectors.library_search(actor=request.user, filters=filters)
    context = {
        "form": form,
        "hits": hits,
        "q": filters.q,
        "can_manage": library_policy.can_manage(request.user),
    }
    if request.htmx and request.htmx.target == "library-results":
        return render(request, "methods/_library_results.html", context)
    return render(request, "methods/library.html", context)


def _tags(item: Any) -> dict[str, list[str]]:
    return {kind: [t.value for t in item.tags.all() if t.kind == kind] for kind in TagKind.values}


@login_required
def library_item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    item = selectors.access_library_item(request.user, item_id)
    return render(
        request,
        "methods/library_item.html",
        {
            "item": item,
            "version": item.current,
            "versions": list(item.versions.all()),
            "tags": _tags(item),
            "can_manage": library_policy.can_manage(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def library_edit_view(request: HttpRequest, item_id: int | None = None) -> HttpResponse:
    item = selectors.access_library_item(request.user, item_id) if item_id else None
    if not library_policy.can_manage(request.user):
        raise PermissionDenied
    initial = {}
    if item is not None:
        tags = _tags(item)
        initial = {
            "category": item.category,
            "title": item.current.title,
            "summary": item.current.summary,
            "body": item.current.body,
            "purposes": tags[TagKind.PURPOSE],
            "roles": tags[TagKind.ROLE],
        }
    form = forms.LibraryItemForm(
        request.POST or None, request.FILES or None, initial=initial, new=item is None
    )
    if item is not None:
        form.fields["regions"].initial = list(
            form.fields["regions"].queryset.filter(code__in=_tags(item)[TagKind.REGION])
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("file")
        common = {
            "title": data["title"],
            "summary": data["summary"],
            "body": data["body"],
            "upload": upload,
            "filename": upload.name if upload else "",
            "change_note": data["change_note"],
            "purposes": data["purposes"],
            "roles": data["roles"],
            "regions": list(data["regions"]),
        }
        try:
            if item is None:
                item = services.library_item_create(
                    actor=request.user, kind=data["kind"], category=data["category"], **common
                )
            else:
                services.library_version_add(
                    actor=request.user, item=item, category=data["category"], **common
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The library was updated."))
            return redirect("library-item", item_id=item.pk)
    return render(
        request,
        "methods/library_form.html",
        {"form": form, "item": item, "page_kind": LibraryKind.PAGE},
    )


@login_required
def library_download_view(request: HttpRequest, item_id: int, number: int) -> FileResponse:
    version = selectors.library_file_open(actor=request.user, item_id=item_id, number=number)
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- situation reports


@login_required
@require_http_methods(["GET", "POST"])
def report_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_create = user.region_id is not None and report_policy.can_create(user, user.region_id)
    if not can_create and not report_policy.visible(user).exists() and not is_national_team(user):
        raise Http404
    form = forms.ReportCreateForm(request.POST or None)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.report_create(
                    actor=user,
                    region=user.region,
                    year=form.cleaned_data["year"],
                    term=form.cleaned_data["term"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("situation-detail", report_id=report.pk)
    return render(
        request,
        "methods/report_list.html",
        {
            "reports": selectors.report_list(actor=user),
            "form": form,
            "can_create": can_create,
            "pictures": selectors.national_pictures(actor=user),
            "can_compile": report_policy.can_compile(user),
        },
    )


@login_required
def report_detail_view(request: HttpRequest, report_id: int) -> HttpResponse:
    detail = selectors.report_get(actor=request.user, report_id=report_id)
    report = detail.report
    form = None
    if detail.permissions["edit"]:
        initial = {name: getattr(report, name) for name in forms.REPORT_SECTIONS}
        form = forms.ReportForm(initial={**initial, "version": report.version})
    return render(
        request,
        "methods/report_detail.html",
        {"d": detail, "report": report, "form": form, "comment_form": forms.CommentForm()},
    )


@login_required
@require_POST
def report_save_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.access_report(request.user, report_id)
    if not report_policy.can_edit(request.user, report):
        raise PermissionDenied
    form = forms.ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The report could not be saved; check the form."))
        return redirect("situation-detail", report_id=report_id)
    version = form.cleaned_data["version"]
    try:
        report = services.report_update(
            actor=request.user, report=report, expected_version=version, **form.sections()
        )
        if request.POST.get("submit"):
            services.report_submit(
                actor=request.user, report=report, expected_version=report.version
            )
            messages.success(request, _("The report was submitted to the national team."))
        else:
            messages.success(request, _("The draft was saved."))
    except ConflictError:
        messages.error(
            request, _("Someone else saved the report while you were writing. Review and retry.")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("situation-detail", report_id=report_id)


@login_required
@require_POST
def report_comment_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.access_report(request.user, report_id)
    form = forms.CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the comment."))
        return redirect("situation-detail", report_id=report_id)
    try:
        if request.POST.get("return"):
            services.report_return(
                actor=request.user, report=report, text=form.cleaned_data["text"]
            )
            messages.success(request, _("The report was returned to the region."))
        else:
            services.report_comment(
                actor=request.user, report=report, text=form.cleaned_data["text"]
            )
            messages.success(request, _("The comment was added."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("situation-detail", report_id=report_id)


@login_required
@require_http_methods(["GET", "POST"])
def national_picture_view(request: HttpRequest, picture_id: int | None = None) -> HttpResponse:
    if not report_policy.can_compile(request.user):
        raise Http404
    if picture_id is not None:
        picture = selectors.access_national_picture(request.user, picture_id)
        return render(
            request,
            "methods/national_picture.html",
            {
                "picture": picture,
                "reports": list(picture.reports.select_related("region").order_by("region__name")),
            },
        )
    form = forms.NationalPictureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        picture = services.national_picture_compile(actor=request.user, **form.cleaned_data)
        return redirect("national-picture", picture_id=picture.pk)
    return render(request, "methods/national_picture_form.html", {"form": form})


# ---------------------------------------------------------------- meetings


@login_required
def meeting_list_view(request: HttpRequest) -> HttpResponse:
    if not meeting_policy.can_create(request.user):
        raise Http404
    return render(
        request,
        "methods/meeting_list.html",
        {
            "meetings": selectors.meeting_list(actor=request.user),
            "overdue": selectors.action_list(actor=request.user, overdue=True),
            "mine": selectors.action_list(actor=request.user, mine=True),
        },
    )


def _meeting_values(form: forms.MeetingForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit_view(request: HttpRequest, meeting_id: int | None = None) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, meeting_id) if meeting_id else None
    if meeting is None and not meeting_policy.can_create(request.user):
        raise Http404
    if meeting is not None and not meeting_policy.can_edit(request.user, meeting):
        raise PermissionDenied
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS} if meeting else {}
    form = forms.MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                meeting = services.meeting_create(actor=request.user, **_meeting_values(form))
            else:
                services.meeting_update(
                    actor=request.user, meeting=meeting, **_meeting_values(form)
                )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("meeting-detail", meeting_id=meeting.pk)
    return render(request, "methods/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_detail_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, meeting_id)
    can_edit = meeting_policy.can_edit(request.user, meeting)
    actions = list(meeting.actions.all())
    return render(
        request,
        "methods/meeting_detail.html",
        {
            "meeting": meeting,
            "can_edit": can_edit,
            "actions": actions,
            "can_complete": {a.pk: meeting_policy.can_complete(request.user, a) for a in actions},
            "participant_form": forms.ParticipantForm(),
            "decision_form": forms.DecisionForm(),
            "action_form": forms.ActionForm(),
        },
    )


@login_required
@require_POST
def meeting_add_view(request: HttpRequest, meeting_id: int, what: str) -> HttpResponse:
    meeting = selectors.access_meeting(request.user, meeting_id)
    form_classes = {
        "participant": (forms.ParticipantForm, services.participant_add),
        "decision": (forms.DecisionForm, services.decision_add),
        "action": (forms.ActionForm, services.action_add),
    }
    if what not in form_classes:
        raise Http404
    form_class, service = form_classes[what]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        problems = [f"{form.fields[k].label}: {' '.join(v)}" for k, v in form.errors.items()]
        messages.error(request, _("Check the form: %(errors)s") % {"errors": "; ".join(problems)})
    return redirect("meeting-detail", meeting_id=meeting_id)


@login_required
@require_POST
def action_done_view(request: HttpRequest, action_id: int) -> HttpResponse:
    action = selectors.access_action(request.user, action_id)
    services.action_complete(actor=request.user, action=action, done=not action.done_on)
    return redirect("meeting-detail", meeting_id=action.meeting_id)


# ---------------------------------------------------------------- early signals


@login_required
def signals_view(request: HttpRequest) -> HttpResponse:
    if not signal_policy.can_view(request.user):
        raise Http404
    board = signal_board(actor=request.user)
    series = [
        {
            "s": s,
            "svg": series_svg(s.points, title=_series_title(s)),
            "title": _series_title(s),
        }
        for s in board.series
    ]
    return render(
        request,
        "methods/signals.html",
        {
            "board": board,
            "signalling": [x for x in series if x["s"].signalling],
            "quiet": [x for x in series if not x["s"].signalling],
        },
    )


def _series_title(series: Any) -> str:
    from nmt.methods.templatetags.methods import category_label

    return category_label(series.category, series.dimension)
