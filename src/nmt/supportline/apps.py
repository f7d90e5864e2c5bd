from django.apps import AppConfig


class SupportlineConfig(AppConfig):
    name = "nmt.supportline"
    label = "supportline"
