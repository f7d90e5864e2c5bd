from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("nmt.api.urls")),
    path("reports/", include("nmt.reports.urls")),
    path("", include("nmt.methods.urls")),
    path("", include("nmt.web.urls")),
]
