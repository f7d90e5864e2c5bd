from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def grant_national_team_permission(sender, using="default", **kwargs):
    """Give the national team's group (made by a migration) its permission, which Django creates
    only after the migrations. Content types and permissions are never made in a migration: their
    keys must come from Django's own post-migrate step."""
    from django.contrib.auth.models import Group, Permission

    from nmt.methods.guidance_seed import NATIONAL_TEAM_GROUP

    group = Group.objects.using(using).filter(name=NATIONAL_TEAM_GROUP).first()
    permission = (
        Permission.objects.using(using)
        .filter(codename="national_team", content_type__app_label="methods")
        .first()
    )
    if group is not None and permission is not None:
        group.permissions.add(permission)


class MethodsConfig(AppConfig):
    name = "nmt.methods"
    label = "methods"
    verbose_name = _("Method support")

    def ready(self) -> None:
        post_migrate.connect(grant_national_team_permission, sender=self)
