from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "nmt.access"
    label = "access"
