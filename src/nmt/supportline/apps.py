from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportlineConfig(AppConfig):
    name = "nmt.supportline"
    label = "supportline"
    verbose_name = _("Support line")
