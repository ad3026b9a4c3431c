from django.db import migrations, models


class Migration(migrations.Migration):
    """Component descriptions in each language (the current text is French), and retirement of components,
    groups and playbooks instead of deletion."""

    dependencies = [
        ("statuspage", "0003_group_slugs"),
    ]

    operations = [
        migrations.RenameField(model_name="component", old_name="description", new_name="description_fr"),
        migrations.AlterField(
            model_name="component",
            name="description_fr",
            field=models.CharField(blank=True, max_length=255, verbose_name="description (French)"),
        ),
        migrations.AddField(
            model_name="component",
            name="description_de",
            field=models.CharField(blank=True, max_length=255, verbose_name="description (German)"),
        ),
        migrations.AddField(
            model_name="component",
            name="description_en",
            field=models.CharField(blank=True, max_length=255, verbose_name="description (English)"),
        ),
        migrations.AddField(
            model_name="component",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="componentgroup",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="playbook",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="component",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AlterField(
            model_name="componentgroup",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AlterField(
            model_name="playbook",
            name="position",
            field=models.PositiveIntegerField(default=0, verbose_name="position"),
        ),
    ]
