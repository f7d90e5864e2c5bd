from django.db import migrations


def seed(apps, schema_editor):
    from nmt.methods.guidance_seed import seed_guidance

    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label="methods", model="guidanceversion"
    )
    permission, _ = permission_model.objects.get_or_create(
        content_type=content_type,
        codename="national_team",
        defaults={"name": "Member of the national team (method support)"},
    )
    seed_guidance(apps)
    from nmt.methods.guidance_seed import NATIONAL_TEAM_GROUP

    apps.get_model("auth", "Group").objects.get(name=NATIONAL_TEAM_GROUP).permissions.add(
        permission
    )


class Migration(migrations.Migration):
    dependencies = [
        ("methods", "0002_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
