from django.db import migrations, models

CHAINS = 8


def create_heads(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    for pk in range(1, CHAINS + 1):
        ChainHead.objects.get_or_create(pk=pk, defaults={"last_hash": "0" * 64, "last_event_id": 0})


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_actions_for_login_security")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(create_heads, migrations.RunPython.noop),
    ]
