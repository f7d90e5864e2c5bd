from django.urls import include, path

from nmt.web import (
    audit_views,
    auth,
    case_views,
    contact_views,
    rights_views,
    two_factor,
    views,
)

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz/", views.healthz, name="healthz"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("two-factor/", two_factor.verify_view, name="two-factor-verify"),
    path("two-factor/setup/", two_factor.setup_view, name="two-factor-setup"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/", case_views.case_list_view, name="case-list"),
    path("cases/new/", case_views.case_register_view, name="case-register"),
    path("cases/index/", case_views.case_index_view, name="case-index"),
    path("cases/<str:case_number>/", case_views.case_detail_view, name="case-detail"),
    path("cases/<str:case_number>/edit/", case_views.case_edit_view, name="case-edit"),
    path("cases/<str:case_number>/person/", case_views.person_edit_view, name="person-edit"),
    path("cases/<str:case_number>/status/", case_views.case_status_view, name="case-status"),
    path("cases/<str:case_number>/notes/", case_views.note_add_view, name="note-add"),
    path("cases/<str:case_number>/measures/", case_views.measure_add_view, name="measure-add"),
    path("cases/<str:case_number>/referrals/", case_views.referral_add_view, name="referral-add"),
    path("cases/<str:case_number>/reveal/", case_views.reveal_view, name="case-reveal"),
    path(
        "cases/<str:case_number>/subject-access.<str:fmt>",
        rights_views.subject_access_view,
        name="subject-access",
    ),
    path("cases/<str:case_number>/erasure/", rights_views.erasure_view, name="erasure"),
    path("measures/<int:measure_id>/", case_views.measure_edit_view, name="measure-edit"),
    path(
        "referrals/<int:referral_id>/<str:action>/",
        case_views.referral_respond_view,
        name="referral-respond",
    ),
    path("audit/", audit_views.audit_list_view, name="audit-list"),
    path("audit/<int:event_id>/", audit_views.audit_detail_view, name="audit-detail"),
    path("supportline/", contact_views.contact_list_view, name="contact-list"),
    path("supportline/new/", contact_views.contact_create_view, name="contact-create"),
    path("supportline/<int:contact_id>/", contact_views.contact_detail_view, name="contact-detail"),
    path(
        "supportline/<int:contact_id>/edit/", contact_views.contact_edit_view, name="contact-edit"
    ),
    path(
        "supportline/<int:contact_id>/case/",
        contact_views.contact_open_case_view,
        name="contact-open-case",
    ),
]
