from django.db import migrations


def seed(apps, schema_editor):
    from nmt.methods.guidance_seed import seed_guidance

    seed_guidance(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("methods", "0002_search_index"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
