from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "nmt.cases"
    label = "cases"
