"""The help centre's audit action codes (see ``hub.audit``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.audit import register


@register(_("Help centre"))
class Action(models.TextChoices):
    EDITOR_ADDED = "helpcenter.editor_added", _("Help centre editor added")
    EDITOR_REMOVED = "helpcenter.editor_removed", _("Help centre editor removed")
