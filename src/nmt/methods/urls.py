"""Routes of method support (mounted at the site root, beside nmt.web's)."""

from django.urls import path

from nmt.methods import views

urlpatterns = [
    path("cases/<str:case_number>/workflow/", views.workflow_update_view, name="workflow-update"),
    path("guidance/", views.guidance_list_view, name="guidance-list"),
    path("guidance/new/", views.guidance_draft_view, name="guidance-draft"),
    path("guidance/<int:number>/", views.guidance_detail_view, name="guidance-detail"),
    path("guidance/<int:number>/publish/", views.guidance_publish_view, name="guidance-publish"),
    path("guidance/<int:number>/items/new/", views.guidance_item_view, name="guidance-item-add"),
    path(
        "guidance/<int:number>/items/<int:item_id>/",
        views.guidance_item_view,
        name="guidance-item",
    ),
    path("library/", views.library_view, name="library"),
    path("library/new/", views.library_edit_view, name="library-add"),
    path("library/<int:item_id>/", views.library_item_view, name="library-item"),
    path("library/<int:item_id>/edit/", views.library_edit_view, name="library-edit"),
    path(
        "library/<int:item_id>/versions/<int:number>/download/",
        views.library_download_view,
        name="library-download",
    ),
    path("situation/", views.report_list_view, name="situation-list"),
    path("situation/<int:report_id>/", views.report_detail_view, name="situation-detail"),
    path("situation/<int:report_id>/save/", views.report_save_view, name="situation-save"),
    path("situation/<int:report_id>/comment/", views.report_comment_view, name="situation-comment"),
    path("situation/national/", views.national_picture_view, name="national-picture-new"),
    path(
        "situation/national/<int:picture_id>/",
        views.national_picture_view,
        name="national-picture",
    ),
    path("meetings/", views.meeting_list_view, name="meeting-list"),
    path("meetings/new/", views.meeting_edit_view, name="meeting-add"),
    path("meetings/<int:meeting_id>/", views.meeting_detail_view, name="meeting-detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit_view, name="meeting-edit"),
    path("meetings/<int:meeting_id>/<str:what>/", views.meeting_add_view, name="meeting-add-row"),
    path("actions/<int:action_id>/done/", views.action_done_view, name="action-done"),
    path("signals/", views.signals_view, name="signals"),
]
