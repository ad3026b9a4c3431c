from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def a_year_from_now(apps, schema_editor):
    """Tokens made before expiry existed get a year from the upgrade, so no integration breaks on the day."""
    apps.get_model("hub", "ApiToken").objects.update(expires_at=timezone.now() + timedelta(days=365))


class Migration(migrations.Migration):

    dependencies = [
        ("hub", "0004_outbox_sensitive_and_purge"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="apitoken",
            options={"ordering": ["-created_at", "-id"]},
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(a_year_from_now, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="prefix",
            field=models.CharField(db_index=True, max_length=12),
        ),
    ]
