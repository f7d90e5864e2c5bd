from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "nmt.web"
    label = "web"
