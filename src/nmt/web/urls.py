from django.urls import path

from nmt.web import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
]
