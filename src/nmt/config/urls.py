from django.urls import include, path

urlpatterns = [
    path("api/", include("nmt.api.urls")),
    path("", include("nmt.web.urls")),
]
