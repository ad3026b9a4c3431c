"""Refunds are recorded before the payment provider is asked, with their idempotency key and outcome.

Refunds recorded before this migration were made: they become ``succeeded``, with the key they were
asked with (``refund-<payment id>``)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F, Value
from django.db.models.functions import Cast, Concat


def keys_of_past_refunds(apps, schema_editor):
    Refund = apps.get_model("ticketing", "Refund")
    Refund.objects.update(
        idempotency_key=Concat(Value("refund-"), Cast("payment_id", models.CharField())),
        completed_at=F("created_at"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ticketing", "0003_invitation_token_digest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="refund",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Asked, outcome not known yet"),
                    ("succeeded", "Refunded"),
                    ("failed", "Refused by the payment provider"),
                ],
                default="succeeded",
                max_length=16,
            ),
        ),
        migrations.AlterField(
            model_name="refund",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Asked, outcome not known yet"),
                    ("succeeded", "Refunded"),
                    ("failed", "Refused by the payment provider"),
                ],
                default="pending",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="refund",
            name="idempotency_key",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="refund",
            name="completed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(keys_of_past_refunds, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="refund",
            name="idempotency_key",
            field=models.CharField(max_length=100, unique=True),
        ),
        migrations.AddField(
            model_name="refund",
            name="claimed_until",
            field=models.DateTimeField(blank=True, help_text="a request is asking the provider", null=True),
        ),
        migrations.AddField(
            model_name="refund",
            name="failure",
            field=models.CharField(
                blank=True, help_text="the provider's answer, when it refused", max_length=500
            ),
        ),
        migrations.AddField(
            model_name="refund",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="refund",
            name="provider_reference",
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AddConstraint(
            model_name="refund",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["pending", "succeeded"])),
                fields=("payment",),
                name="one_open_or_made_refund_per_payment",
            ),
        ),
    ]
