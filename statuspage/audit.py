"""The status page's audit action codes (see ``hub.audit``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hub.audit import register


@register(_("Status page"))
class Action(models.TextChoices):
    COMPONENT_CHANGED = "status.component_changed", _("Component status changed")
    COMPONENT_CREATED = "status.component_created", _("Component created")
    COMPONENT_EDITED = "status.component_edited", _("Component edited")
    GROUP_CREATED = "status.group_created", _("Component group created")
    GROUP_EDITED = "status.group_edited", _("Component group edited")
    RETIRED = "status.retired", _("Retired from the status page")
    RESTORED = "status.restored", _("Brought back to the status page")
    INCIDENT_CREATED = "status.incident_created", _("Incident opened")
    INCIDENT_UPDATED = "status.incident_updated", _("Incident updated")
    TRANSLATED = "status.translated", _("Incident translated")
    POSTMORTEM = "status.postmortem", _("Postmortem saved")
    NOTICE_DISMISSED = "status.notice_dismissed", _("Incident pop-up dismissed")
    PLAYBOOKS_ATTACHED = "status.playbooks_attached", _("Workarounds attached")
    PLAYBOOK_CREATED = "status.playbook_created", _("Workaround created")
    PLAYBOOK_SAVED = "status.playbook_saved", _("Workaround saved")
    MAINTENANCE_SCHEDULED = "status.maintenance_scheduled", _("Maintenance scheduled")
    MAINTENANCE_IN_PROGRESS = "status.maintenance_in_progress", _("Maintenance started")
    MAINTENANCE_COMPLETED = "status.maintenance_completed", _("Maintenance completed")
    SUBSCRIBED = "status.subscribed", _("Subscription requested")
    SUBSCRIPTION_CONFIRMED = "status.subscription_confirmed", _("Subscription confirmed")
    SUBSCRIPTION_CHANGED = "status.subscription_changed", _("Subscription changed")
    UNSUBSCRIBED = "status.unsubscribed", _("Unsubscribed")
