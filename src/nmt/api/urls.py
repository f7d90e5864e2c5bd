"""The API: version 1 under /api/v1/, its OpenAPI schema and browsable docs."""

from django.urls import include, path, re_path, register_converter
from django.urls.converters import StringConverter
from drf_spectacular.views import SpectacularAPIView

from nmt.api.views import auth, cases, contacts, measures, reference, referrals
from nmt.api.views.docs import ApiDocsView
from nmt.api.views.not_found import NotFoundView
from nmt.methods import api as methods_api


class CaseNumberConverter(StringConverter):
    """Case numbers (NMT-2025-00042) and nothing else, so that no stray byte reaches a query."""

    regex = "[A-Za-z0-9-]+"


register_converter(CaseNumberConverter, "nmt_case_number")

CASE = "cases/<nmt_case_number:case_number>/"
REFERRAL = CASE + "referrals/<int:referral_id>/"

v1 = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path(CASE, cases.CaseDetailView.as_view(), name="case-detail"),
    path(CASE + "status/", cases.CaseStatusView.as_view(), name="case-status"),
    path(CASE + "person/", cases.PersonDetailView.as_view(), name="case-person"),
    path(CASE + "timeline/", cases.TimelineView.as_view(), name="case-timeline"),
    path(CASE + "measures/", measures.MeasureListView.as_view(), name="measure-list"),
    path(
        CASE + "measures/<int:measure_id>/",
        measures.MeasureDetailView.as_view(),
        name="measure-detail",
    ),
    path(CASE + "referrals/", referrals.ReferralListView.as_view(), name="referral-list"),
    path(REFERRAL, referrals.ReferralDetailView.as_view(), name="referral-detail"),
    path(REFERRAL + "accept/", referrals.ReferralAcceptView.as_view(), name="referral-accept"),
    path(REFERRAL + "decline/", referrals.ReferralDeclineView.as_view(), name="referral-decline"),
    path(REFERRAL + "close/", referrals.ReferralCloseView.as_view(), name="referral-close"),
    path("referrals/inbox/", referrals.ReferralInboxView.as_view(), name="referral-inbox"),
    path("deadlines/", cases.DeadlineListView.as_view(), name="deadline-list"),
    path("case-index/", cases.CaseIndexView.as_view(), name="case-index"),
    path("contacts/", contacts.ContactListView.as_view(), name="contact-list"),
    path("contacts/<int:contact_id>/", contacts.ContactDetailView.as_view(), name="contact-detail"),
    path(
        "contacts/<int:contact_id>/open-case/",
        contacts.ContactOpenCaseView.as_view(),
        name="contact-open-case",
    ),
    path("guidance/", methods_api.GuidanceView.as_view(), name="guidance"),
    path(CASE + "workflow/", methods_api.WorkflowView.as_view(), name="case-workflow"),
    path("library/", methods_api.LibraryListView.as_view(), name="library-list"),
    path("library/<int:item_id>/", methods_api.LibraryItemView.as_view(), name="library-item"),
    path(
        "situation-reports/",
        methods_api.SituationReportListView.as_view(),
        name="situation-report-list",
    ),
    path(
        "situation-reports/<int:report_id>/",
        methods_api.SituationReportDetailView.as_view(),
        name="situation-report-detail",
    ),
    path("meetings/", methods_api.MeetingListView.as_view(), name="meeting-list"),
    path("meeting-actions/", methods_api.MeetingActionListView.as_view(), name="action-list"),
    path("signals/", methods_api.SignalListView.as_view(), name="signal-list"),
    path("regions/", reference.RegionListView.as_view(), name="region-list"),
    path("agencies/", reference.AgencyListView.as_view(), name="agency-list"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("v1/", include((v1, "api-v1"))),
    # Anything else under /api/ is a JSON 404, like the API's own (paths without the final
    # slash are left to CommonMiddleware, which redirects them).
    # [\s\S], not ".": a path with an encoded line break is under /api/ too. (Not the (?s) flag:
    # Django cannot reverse a pattern with inline flags, and then no URL of the site reverses.)
    re_path(r"^(?:[\s\S]*/)?$", NotFoundView.as_view()),
]
