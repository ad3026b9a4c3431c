"""Invitation links: only a digest of the token is kept, so the database no longer holds working links."""

import hashlib

from django.db import migrations


def hash_tokens(apps, schema_editor):
    Invitation = apps.get_model("ticketing", "Invitation")
    for invitation in Invitation.objects.only("pk", "token_digest"):
        # hub.tokens.digest as it was written: links already sent keep working
        invitation.token_digest = hashlib.sha256(invitation.token_digest.encode()).hexdigest()
        invitation.save(update_fields=["token_digest"])


class Migration(migrations.Migration):
    dependencies = [("ticketing", "0002_door")]

    operations = [
        migrations.RenameField(model_name="invitation", old_name="token", new_name="token_digest"),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
    ]
