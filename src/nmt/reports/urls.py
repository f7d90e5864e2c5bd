from django.urls import path

from nmt.reports import views

urlpatterns = [
    path("", views.run_list_view, name="report-list"),
    path("lists/", views.list_view, name="report-lists"),
    path("lists/<int:list_id>/delete/", views.list_delete_view, name="report-list-delete"),
    path("<int:run_id>/", views.run_detail_view, name="report-detail"),
    path("<int:run_id>/<str:fmt>/", views.run_download_view, name="report-download"),
]
