from django.db import migrations, models
from django.utils.text import slugify


def slugs_from_french_names(apps, schema_editor):
    ComponentGroup = apps.get_model("statuspage", "ComponentGroup")
    taken = set()
    for group in ComponentGroup.objects.order_by("pk"):
        base = slugify(group.name_fr)[:50] or "group"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        group.slug = slug
        group.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [
        ("statuspage", "0002_subscription_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="componentgroup",
            name="slug",
            # No index yet: the unique one comes with the AlterField (two would clash on PostgreSQL).
            field=models.SlugField(db_index=False, max_length=60, null=True, verbose_name="slug"),
        ),
        migrations.RunPython(slugs_from_french_names, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="componentgroup",
            name="slug",
            field=models.SlugField(max_length=60, unique=True, verbose_name="slug"),
        ),
    ]
