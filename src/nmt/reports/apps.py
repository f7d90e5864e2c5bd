from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "nmt.reports"
    label = "reports"
    verbose_name = _("Statistics and the situation report")
