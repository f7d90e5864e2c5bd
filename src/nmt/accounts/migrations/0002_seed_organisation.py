from django.db import migrations


def seed(apps, schema_editor):
    from nmt.accounts.organisation import seed_organisation

    seed_organisation(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
