"""Every seller space gets a public account ID (C2) and may get an account manager (C5).

Existing spaces get their IDs here, one each, before the column becomes unique."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import ticketing.models.organisations


def give_account_ids(apps, schema_editor):
    Organisation = apps.get_model("ticketing", "Organisation")
    taken = set()
    for organisation in Organisation.objects.all():
        code = ticketing.models.organisations.new_account_id()
        while code in taken:
            code = ticketing.models.organisations.new_account_id()
        taken.add(code)
        organisation.account_id = code
        organisation.save(update_fields=["account_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0004_refund_attempts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="account_id",
            field=models.CharField(max_length=9, null=True, verbose_name="account ID"),
        ),
        migrations.RunPython(give_account_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="account_id",
            field=models.CharField(
                default=ticketing.models.organisations.new_account_id,
                max_length=9,
                unique=True,
                verbose_name="account ID",
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="account_manager",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="managed_organisations",
                to=settings.AUTH_USER_MODEL,
                verbose_name="account manager",
            ),
        ),
    ]
