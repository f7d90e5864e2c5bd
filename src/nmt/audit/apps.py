from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "nmt.audit"
    label = "audit"
